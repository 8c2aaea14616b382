//! ARM template expressions: `[concat(parameters('a'), '/x')]` into an [`Expr`].
//!
//! Grammar (what Azure Resource Manager accepts):
//! ```text
//! expr    := primary ( '.' name | '.?' name | '[' expr ']' | '?' )*
//! primary := name '(' ( expr ( ',' expr )* )? ')'      function call; name may be `ns.fn`
//!          | '\'' chars '\''                            string, '' escapes a quote
//!          | number | true | false | null
//! ```
//! A string value is an expression when it starts with `[` and ends with `]`; `[[` escapes a
//! literal leading bracket.

use crate::ir::Expr;

/// Error with the byte offset inside the expression text (the whole string, brackets included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExprError {
    pub offset: usize,
    pub message: String,
}

/// True when an ARM string value is an expression.
pub fn is_expression(s: &str) -> bool {
    s.len() >= 2 && s.starts_with('[') && !s.starts_with("[[") && s.ends_with(']')
}

/// Nesting limit for calls and brackets: real templates stay far below it.
const ARM_EXPRESSION_NESTING_LIMIT: usize = 128;

/// Parses a string that [`is_expression`] (brackets included).
pub fn parse(s: &str) -> Result<Expr, ExprError> {
    let inner = &s[1..s.len() - 1];
    let mut p = Parser {
        src: inner.as_bytes(),
        text: inner,
        pos: 0,
        depth: 0,
    };
    p.skip_ws();
    let e = p.expr().map_err(|mut e| {
        e.offset += 1;
        e
    })?;
    p.skip_ws();
    if p.pos != p.src.len() {
        return Err(ExprError {
            offset: p.pos + 1,
            message: format!("unexpected text ({}) after the expression", p.next_char()),
        });
    }
    Ok(e)
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err<T>(&self, message: impl Into<String>) -> Result<T, ExprError> {
        Err(ExprError {
            offset: self.pos,
            message: message.into(),
        })
    }

    /// The next character, described without quoting the input ([`super::describe_char`]).
    fn next_char(&self) -> String {
        self.text[self.pos..]
            .chars()
            .next()
            .map_or_else(|| "end of expression".to_string(), super::describe_char)
    }

    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// Skips whitespace, Unicode included (ARM reads templates with .NET, where a no-break space
    /// between arguments is whitespace).
    fn skip_ws(&mut self) {
        // ASCII first: almost every byte here is one, and most calls find no whitespace at all.
        while let Some(&b) = self.src.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => self.pos += 1,
                0x80.. => break,
                _ => return,
            }
        }
        while let Some(c) = self.text[self.pos..].chars().next() {
            if !c.is_whitespace() {
                break;
            }
            self.pos += c.len_utf8();
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        self.depth += 1;
        if self.depth > ARM_EXPRESSION_NESTING_LIMIT {
            return self.err("expression nested too deeply");
        }
        let mut e = self.primary()?;
        // Each `.name` or `[index]` nests the tree one level deeper (what follows walks it
        // recursively), so a chain counts against the same budget as nested calls.
        let entered = self.depth;
        loop {
            self.skip_ws();
            if matches!(self.peek(), Some(b'.' | b'[')) {
                self.depth += 1;
                if self.depth > ARM_EXPRESSION_NESTING_LIMIT {
                    return self.err("expression nested too deeply");
                }
            }
            match self.peek() {
                Some(b'.') => {
                    self.pos += 1;
                    if self.peek() == Some(b'?') {
                        self.pos += 1;
                    }
                    let name = self.name()?;
                    e = Expr::Member {
                        base: Box::new(e),
                        name: name.to_string(),
                    };
                }
                Some(b'[') => {
                    self.pos += 1;
                    self.skip_ws();
                    let index = self.expr()?;
                    if !self.eat(b']') {
                        return self.err("expected `]`");
                    }
                    e = Expr::Index {
                        base: Box::new(e),
                        index: Box::new(index),
                    };
                }
                Some(b'?') => {
                    // safe dereference `a?['b']`
                    self.pos += 1;
                }
                _ => break,
            }
        }
        self.depth = entered - 1;
        Ok(e)
    }

    fn name(&mut self) -> Result<&str, ExprError> {
        self.skip_ws();
        let start = self.pos;
        while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_' || c == b'$')
        {
            self.pos += 1;
        }
        if start == self.pos {
            return self.err("expected a name");
        }
        Ok(&self.text[start..self.pos])
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        self.skip_ws();
        match self.peek() {
            None => self.err("expected an expression"),
            Some(b'\'') => self.string(),
            Some(c) if c.is_ascii_digit() || c == b'-' => {
                let start = self.pos;
                self.pos += 1;
                while matches!(self.peek(), Some(c) if c.is_ascii_digit() || c == b'.') {
                    self.pos += 1;
                }
                Ok(Expr::Number(self.text[start..self.pos].to_string()))
            }
            Some(c) if c.is_ascii_alphabetic() || c == b'_' => {
                let mut name = self.name()?.to_string();
                self.skip_ws();
                // user-defined function namespace: `contoso.uniqueName(...)`
                if self.peek() == Some(b'.') {
                    let save = self.pos;
                    self.pos += 1;
                    if let Ok(member) = self.name() {
                        let member = member.to_string();
                        self.skip_ws();
                        if self.peek() == Some(b'(') {
                            name = format!("{name}.{member}");
                        } else {
                            self.pos = save;
                        }
                    } else {
                        self.pos = save;
                    }
                }
                if self.eat(b'(') {
                    let mut args = Vec::new();
                    if !self.eat(b')') {
                        loop {
                            args.push(self.expr()?);
                            if self.eat(b',') {
                                continue;
                            }
                            if self.eat(b')') {
                                break;
                            }
                            return self.err("expected `,` or `)` in the argument list");
                        }
                    }
                    Ok(lower_call(name, args))
                } else {
                    match name.to_ascii_lowercase().as_str() {
                        "true" => Ok(Expr::Bool(true)),
                        "false" => Ok(Expr::Bool(false)),
                        "null" => Ok(Expr::Null),
                        _ => self.err("a name without `(…)`: expected a function call"),
                    }
                }
            }
            Some(_) => self.err(format!("unexpected character ({})", self.next_char())),
        }
    }

    fn string(&mut self) -> Result<Expr, ExprError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        let mut seg = self.pos;
        loop {
            match self.peek() {
                None => {
                    self.pos = open;
                    return self.err("unterminated string");
                }
                Some(b'\'') => {
                    out.push_str(&self.text[seg..self.pos]);
                    self.pos += 1;
                    if self.peek() == Some(b'\'') {
                        out.push('\'');
                        self.pos += 1;
                        seg = self.pos;
                    } else {
                        return Ok(Expr::Str(out));
                    }
                }
                Some(_) => self.pos += 1,
            }
        }
    }
}

/// A call, with `parameters('x')` and `variables('x')` lowered to typed references.
fn lower_call(name: String, mut args: Vec<Expr>) -> Expr {
    if let [Expr::Str(_)] = args.as_slice() {
        let typed: Option<fn(String) -> Expr> = if name.eq_ignore_ascii_case("parameters") {
            Some(Expr::Param)
        } else if name.eq_ignore_ascii_case("variables") {
            Some(Expr::Var)
        } else {
            None
        };
        if let Some(typed) = typed {
            if let Some(Expr::Str(arg)) = args.pop() {
                return typed(arg);
            }
        }
    }
    Expr::Call { name, args }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Call {
            name: name.into(),
            args,
        }
    }

    #[test]
    fn parses_calls_members_and_indexes() {
        let e = parse("[listKeys(resourceId('Microsoft.Storage/storageAccounts', parameters('sa')), '2023-01-01').keys[0].value]").unwrap();
        assert!(e.calls_fn("listkeys"));
        assert_eq!(e.parameter_refs(), vec!["sa"]);
        match e {
            Expr::Member { name, base } => {
                assert_eq!(name, "value");
                assert!(matches!(*base, Expr::Index { .. }));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unicode_whitespace_between_arguments() {
        let e = parse("[resourceId('a',\u{a0}parameters('b'))]").unwrap();
        assert_eq!(e.parameter_refs(), vec!["b"]);
    }

    #[test]
    fn parameter_and_variable_references_are_typed() {
        assert_eq!(parse("[PARAMETERS('a')]").unwrap(), Expr::Param("a".into()));
        assert_eq!(parse("[variables('v')]").unwrap(), Expr::Var("v".into()));
        // A computed name stays a call: which parameter it names is not known here.
        assert!(matches!(
            parse("[parameters(concat('a', 'b'))]").unwrap(),
            Expr::Call { .. }
        ));
        let e = parse("[concat(parameters('p'), variables('v').x)]").unwrap();
        assert_eq!(e.to_string(), "concat(parameters('p'), variables('v').x)");
    }

    #[test]
    fn strings_escape_quotes() {
        assert_eq!(parse("['it''s']").unwrap(), Expr::Str("it's".into()));
    }

    #[test]
    fn namespaced_user_functions_and_literals() {
        let e = parse("[contoso.uniqueName(parameters('p'), true, null, -1)]").unwrap();
        assert_eq!(
            e,
            call(
                "contoso.uniqueName",
                vec![
                    Expr::Param("p".into()),
                    Expr::Bool(true),
                    Expr::Null,
                    Expr::Number("-1".into())
                ]
            )
        );
    }

    #[test]
    fn safe_dereference() {
        let e = parse("[reference('x').outputs.?value]").unwrap();
        assert!(matches!(e, Expr::Member { .. }));
        assert!(parse("[parameters('o')?['k']]").is_ok());
    }

    #[test]
    fn errors_have_offsets() {
        let err = parse("[concat('a',]").unwrap_err();
        assert_eq!(err.offset, 12);
        assert!(parse("[concat('a')").is_err() || !is_expression("[concat('a')"));
        assert!(parse("['unterminated]").is_err());
        assert!(parse("[foo]").is_err());
    }

    #[test]
    fn escaped_bracket_is_not_an_expression() {
        assert!(!is_expression("[[literal]"));
        assert!(is_expression("[variables('v')]"));
        assert!(!is_expression("plain"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let s = format!("[{}1{}]", "f(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&s).is_err());
    }
}
