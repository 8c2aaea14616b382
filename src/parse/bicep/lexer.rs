//! Bicep lexer: tokens with exact byte spans.
//!
//! Newlines are tokens (Bicep separates declarations, object properties and array items with
//! them). Strings with `${...}` interpolation are split into pieces (`StrHead`, `StrMid`,
//! `StrTail`) with the interpolated tokens in between, using a stack of open braces so that an
//! object literal inside an interpolation closes at the right `}`. Multi-line strings are `'''`
//! (verbatim, no interpolation) and `$'''` (interpolation written `${...}`; with `$$'''` it is
//! `$${...}`, and so on). Comments (`//`, `/* */`) are collected; `#disable-next-line` style
//! pragmas are skipped.

use crate::ir::Comment;
use crate::source::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Ident,
    Number,
    /// A whole string without interpolation (decoded).
    Str(String),
    /// The literal text before the first `${` of an interpolated string.
    StrHead(String),
    /// The literal text between two interpolations.
    StrMid(String),
    /// The literal text after the last interpolation, up to the closing quote.
    StrTail(String),
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBrack,
    RBrack,
    Comma,
    Colon,
    DoubleColon,
    Dot,
    Ellipsis,
    Question,
    Coalesce,
    At,
    Assign,
    Arrow,
    Eq,
    Neq,
    EqI,
    NeqI,
    Lt,
    Le,
    Gt,
    Ge,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    And,
    Or,
    Pipe,
    Newline,
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    pub span: Span,
    pub message: String,
}

pub struct Lexed {
    pub tokens: Vec<Token>,
    pub comments: Vec<Comment>,
}

#[derive(Clone, Copy)]
enum Mode {
    Brace,
    /// Inside `${` of a string: `None` for a one-line string, `Some(n)` for a multi-line string
    /// opened with `n` dollars.
    Interp(Option<usize>),
}

/// Lexes `text` from byte `start` (past a byte order mark) to the end.
pub fn lex(text: &str, start: usize) -> Result<Lexed, LexError> {
    let mut lx = Lexer {
        text,
        b: text.as_bytes(),
        pos: start,
        tokens: Vec::new(),
        comments: Vec::new(),
        modes: Vec::new(),
        line_blank: true,
    };
    lx.run()?;
    Ok(Lexed {
        tokens: lx.tokens,
        comments: lx.comments,
    })
}

struct Lexer<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
    comments: Vec<Comment>,
    modes: Vec<Mode>,
    /// Only whitespace since the start of the line (for `#pragma` lines).
    line_blank: bool,
}

impl Lexer<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(self.pos + i).copied()
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.tokens.push(Token {
            tok,
            span: Span::new(start, self.pos),
        });
    }

    fn err<T>(&self, start: usize, end: usize, message: impl Into<String>) -> Result<T, LexError> {
        Err(LexError {
            span: Span::new(start, end).on_char_boundaries(self.text),
            message: message.into(),
        })
    }

    fn run(&mut self) -> Result<(), LexError> {
        while let Some(c) = self.at(0) {
            let start = self.pos;
            if c == b'\n' {
                self.pos += 1;
                self.push(Tok::Newline, start);
                self.line_blank = true;
                continue;
            }
            if c == b' ' || c == b'\t' || c == b'\r' {
                self.pos += 1;
                continue;
            }
            let blank = std::mem::replace(&mut self.line_blank, false);
            match c {
                b'/' if self.at(1) == Some(b'/') => {
                    let end = self.text[start..]
                        .find('\n')
                        .map_or(self.b.len(), |i| start + i);
                    let body = self.text[start + 2..end].trim_end_matches('\r');
                    self.comments.push(Comment {
                        span: Span::new(start, start + 2 + body.len()),
                        text: body.to_string(),
                    });
                    self.pos = end;
                    self.line_blank = blank;
                }
                b'/' if self.at(1) == Some(b'*') => {
                    let Some(i) = self.text[start + 2..].find("*/") else {
                        return self.err(start, start + 2, "unterminated `/*` comment");
                    };
                    let end = start + 2 + i + 2;
                    self.comments.push(Comment {
                        span: Span::new(start, end),
                        text: self.text[start + 2..end - 2].to_string(),
                    });
                    self.pos = end;
                    self.line_blank = blank;
                }
                b'#' if blank => {
                    // `#disable-next-line rule`, `#disable-diagnostics`: compiler pragmas.
                    let end = self.text[start..]
                        .find('\n')
                        .map_or(self.b.len(), |i| start + i);
                    self.pos = end;
                }
                b'\'' => {
                    if self.at(1) == Some(b'\'') && self.at(2) == Some(b'\'') {
                        self.pos += 3;
                        self.multiline_head(start, 0)?;
                    } else {
                        self.pos += 1;
                        let (s, interp) = self.line_piece(start)?;
                        let tok = if interp { Tok::StrHead(s) } else { Tok::Str(s) };
                        if interp {
                            self.modes.push(Mode::Interp(None));
                        }
                        self.push(tok, start);
                    }
                }
                b'$' => {
                    let mut n = 0;
                    while self.at(n) == Some(b'$') {
                        n += 1;
                    }
                    if self.at(n) == Some(b'\'')
                        && self.at(n + 1) == Some(b'\'')
                        && self.at(n + 2) == Some(b'\'')
                    {
                        self.pos += n + 3;
                        self.multiline_head(start, n)?;
                    } else {
                        return self.err(start, start + n, "unexpected `$`");
                    }
                }
                b'{' => {
                    self.pos += 1;
                    self.modes.push(Mode::Brace);
                    self.push(Tok::LBrace, start);
                }
                b'}' => {
                    self.pos += 1;
                    match self.modes.pop() {
                        Some(Mode::Interp(None)) => {
                            let (s, interp) = self.line_piece(start)?;
                            if interp {
                                self.modes.push(Mode::Interp(None));
                                self.push(Tok::StrMid(s), start);
                            } else {
                                self.push(Tok::StrTail(s), start);
                            }
                        }
                        Some(Mode::Interp(Some(n))) => {
                            let (s, interp) = self.multiline_piece(start, n)?;
                            if interp {
                                self.modes.push(Mode::Interp(Some(n)));
                                self.push(Tok::StrMid(s), start);
                            } else {
                                self.push(Tok::StrTail(s), start);
                            }
                        }
                        _ => self.push(Tok::RBrace, start),
                    }
                }
                b'0'..=b'9' => {
                    while matches!(self.at(0), Some(b'0'..=b'9')) {
                        self.pos += 1;
                    }
                    if self.at(0) == Some(b'.') && matches!(self.at(1), Some(b'0'..=b'9')) {
                        self.pos += 1;
                        while matches!(self.at(0), Some(b'0'..=b'9')) {
                            self.pos += 1;
                        }
                    }
                    self.push(Tok::Number, start);
                }
                c if c.is_ascii_alphabetic() || c == b'_' => {
                    while matches!(self.at(0), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
                        self.pos += 1;
                    }
                    self.push(Tok::Ident, start);
                }
                _ => {
                    let (tok, len) = match (c, self.at(1), self.at(2)) {
                        (b'.', Some(b'.'), Some(b'.')) => (Tok::Ellipsis, 3),
                        (b':', Some(b':'), _) => (Tok::DoubleColon, 2),
                        (b'?', Some(b'?'), _) => (Tok::Coalesce, 2),
                        (b'=', Some(b'>'), _) => (Tok::Arrow, 2),
                        (b'=', Some(b'='), _) => (Tok::Eq, 2),
                        (b'=', Some(b'~'), _) => (Tok::EqI, 2),
                        (b'!', Some(b'='), _) => (Tok::Neq, 2),
                        (b'!', Some(b'~'), _) => (Tok::NeqI, 2),
                        (b'<', Some(b'='), _) => (Tok::Le, 2),
                        (b'>', Some(b'='), _) => (Tok::Ge, 2),
                        (b'&', Some(b'&'), _) => (Tok::And, 2),
                        (b'|', Some(b'|'), _) => (Tok::Or, 2),
                        (b'(', _, _) => (Tok::LParen, 1),
                        (b')', _, _) => (Tok::RParen, 1),
                        (b'[', _, _) => (Tok::LBrack, 1),
                        (b']', _, _) => (Tok::RBrack, 1),
                        (b',', _, _) => (Tok::Comma, 1),
                        (b':', _, _) => (Tok::Colon, 1),
                        (b'.', _, _) => (Tok::Dot, 1),
                        (b'?', _, _) => (Tok::Question, 1),
                        (b'@', _, _) => (Tok::At, 1),
                        (b'=', _, _) => (Tok::Assign, 1),
                        (b'<', _, _) => (Tok::Lt, 1),
                        (b'>', _, _) => (Tok::Gt, 1),
                        (b'+', _, _) => (Tok::Plus, 1),
                        (b'-', _, _) => (Tok::Minus, 1),
                        (b'*', _, _) => (Tok::Star, 1),
                        (b'/', _, _) => (Tok::Slash, 1),
                        (b'%', _, _) => (Tok::Percent, 1),
                        (b'!', _, _) => (Tok::Bang, 1),
                        (b'|', _, _) => (Tok::Pipe, 1),
                        _ => {
                            let ch = self.text[start..].chars().next().unwrap_or('?');
                            return self.err(
                                start,
                                start + ch.len_utf8(),
                                format!(
                                    "unexpected character ({})",
                                    crate::parse::describe_char(ch)
                                ),
                            );
                        }
                    };
                    self.pos += len;
                    self.push(tok, start);
                }
            }
        }
        let end = self.pos;
        self.push(Tok::Eof, end);
        Ok(())
    }

    /// Reads a one-line string piece from `self.pos` (after `'` or after the `}` closing an
    /// interpolation). Returns the decoded text and whether it stopped at `${`.
    fn line_piece(&mut self, open: usize) -> Result<(String, bool), LexError> {
        let mut out = String::new();
        let mut seg = self.pos;
        loop {
            match self.at(0) {
                None | Some(b'\n') | Some(b'\r') => {
                    return self.err(open, self.pos, "unterminated string");
                }
                Some(b'\'') => {
                    out.push_str(&self.text[seg..self.pos]);
                    self.pos += 1;
                    return Ok((out, false));
                }
                Some(b'$') if self.at(1) == Some(b'{') => {
                    out.push_str(&self.text[seg..self.pos]);
                    self.pos += 2;
                    return Ok((out, true));
                }
                Some(b'\\') => {
                    out.push_str(&self.text[seg..self.pos]);
                    let esc = self.pos;
                    self.pos += 1;
                    match self.at(0) {
                        Some(b'\\') => out.push('\\'),
                        Some(b'\'') => out.push('\''),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'$') => out.push('$'),
                        Some(b'u') if self.at(1) == Some(b'{') => {
                            let digits_start = self.pos + 2;
                            let Some(close) = self.text[digits_start..].find('}') else {
                                return self.err(esc, self.pos + 1, "invalid `\\u{...}` escape");
                            };
                            let digits = &self.text[digits_start..digits_start + close];
                            let ch = u32::from_str_radix(digits, 16)
                                .ok()
                                .filter(|_| !digits.is_empty() && digits.len() <= 6)
                                .and_then(char::from_u32);
                            let Some(ch) = ch else {
                                return self.err(
                                    esc,
                                    digits_start + close + 1,
                                    "invalid `\\u{...}` escape",
                                );
                            };
                            out.push(ch);
                            self.pos = digits_start + close;
                        }
                        _ => {
                            return self.err(esc, self.pos + 1, "invalid escape sequence");
                        }
                    }
                    self.pos += 1;
                    seg = self.pos;
                }
                Some(c) => {
                    self.pos += utf8_len(c);
                }
            }
        }
    }

    /// After `'''` or `$'''`: the first piece of a multi-line string.
    fn multiline_head(&mut self, start: usize, dollars: usize) -> Result<(), LexError> {
        // A newline right after the opening quotes is not part of the value.
        if self.at(0) == Some(b'\r') && self.at(1) == Some(b'\n') {
            self.pos += 2;
        } else if self.at(0) == Some(b'\n') {
            self.pos += 1;
        }
        let (s, interp) = self.multiline_piece(start, dollars)?;
        if interp {
            self.modes.push(Mode::Interp(Some(dollars)));
            self.push(Tok::StrHead(s), start);
        } else {
            self.push(Tok::Str(s), start);
        }
        Ok(())
    }

    /// A verbatim piece up to `'''` or, when `dollars > 0`, up to `dollars` `$` and a `{`.
    fn multiline_piece(&mut self, open: usize, dollars: usize) -> Result<(String, bool), LexError> {
        let start = self.pos;
        loop {
            match self.at(0) {
                None => return self.err(open, open + 3, "unterminated multi-line string"),
                Some(b'\'') if self.at(1) == Some(b'\'') && self.at(2) == Some(b'\'') => {
                    let s = self.text[start..self.pos].to_string();
                    self.pos += 3;
                    return Ok((s, false));
                }
                Some(b'$') if dollars > 0 => {
                    let mut n = 0;
                    while self.at(n) == Some(b'$') {
                        n += 1;
                    }
                    if n >= dollars && self.at(n) == Some(b'{') {
                        let s = self.text[start..self.pos + n - dollars].to_string();
                        self.pos += n + 1;
                        return Ok((s, true));
                    }
                    self.pos += n;
                }
                Some(c) => self.pos += utf8_len(c),
            }
        }
    }
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s, 0)
            .unwrap()
            .tokens
            .into_iter()
            .map(|t| t.tok)
            .collect()
    }

    #[test]
    fn punctuation_and_operators() {
        use Tok::*;
        assert_eq!(
            toks("a.?b ?? c[?0]! != d =~ e ... x::y => <= >= && || | @"),
            vec![
                Ident,
                Dot,
                Question,
                Ident,
                Coalesce,
                Ident,
                LBrack,
                Question,
                Number,
                RBrack,
                Bang,
                Neq,
                Ident,
                EqI,
                Ident,
                Ellipsis,
                Ident,
                DoubleColon,
                Ident,
                Arrow,
                Le,
                Ge,
                And,
                Or,
                Pipe,
                At,
                Eof
            ]
        );
    }

    #[test]
    fn strings_escapes_and_interpolation_with_spans() {
        let text = "'a\\'b\\u{41}' 'x${ {k: 'v'}.k }y${z}'";
        let l = lex(text, 0).unwrap();
        let t: Vec<&Tok> = l.tokens.iter().map(|t| &t.tok).collect();
        assert_eq!(t[0], &Tok::Str("a'bA".into()));
        assert_eq!(l.tokens[0].span, Span::new(0, 12));
        assert_eq!(t[1], &Tok::StrHead("x".into()));
        assert_eq!(t[2], &Tok::LBrace);
        // the object's `}` closes the brace, not the interpolation
        assert_eq!(t[6], &Tok::RBrace);
        assert_eq!(t[7], &Tok::Dot);
        assert_eq!(t[9], &Tok::StrMid("y".into()));
        assert_eq!(t[11], &Tok::StrTail("".into()));
        assert_eq!(&text[l.tokens[11].span.start..l.tokens[11].span.end], "}'");
    }

    #[test]
    fn multiline_strings() {
        let l = lex("'''\nline ${x}\n''' $'''a ${b} c''' $$'''${d} $${e}'''", 0).unwrap();
        let t: Vec<&Tok> = l.tokens.iter().map(|t| &t.tok).collect();
        assert_eq!(t[0], &Tok::Str("line ${x}\n".into()));
        assert_eq!(t[1], &Tok::StrHead("a ".into()));
        assert_eq!(t[3], &Tok::StrTail(" c".into()));
        assert_eq!(t[4], &Tok::StrHead("${d} ".into()));
        assert_eq!(t[6], &Tok::StrTail("".into()));
    }

    #[test]
    fn comments_and_pragmas() {
        let l = lex("// one\nx /* two */ #y\n  #disable-next-line foo\nz", 0);
        // `#` in the middle of a line is an error, at the start of a line a pragma
        assert!(l.is_err());
        let l = lex("// one\nx /* two */\n  #disable-next-line foo\nz", 0).unwrap();
        assert_eq!(l.comments.len(), 2);
        assert_eq!(l.comments[0].text, " one");
        assert_eq!(l.comments[1].span, Span::new(9, 18));
        let idents = l.tokens.iter().filter(|t| t.tok == Tok::Ident).count();
        assert_eq!(idents, 2);
    }

    #[test]
    fn errors_have_positions() {
        assert_eq!(lex("x = 'abc\n'", 0).err().unwrap().span.start, 4);
        assert_eq!(lex("x = '\\q'", 0).err().unwrap().span.start, 5);
        assert_eq!(lex("/* x", 0).err().unwrap().span.start, 0);
        assert_eq!(lex("a ~ b", 0).err().unwrap().span, Span::new(2, 3));
        assert!(lex("'''abc", 0).is_err());
        assert!(lex("'\\u{110000}'", 0).is_err());
    }
}
