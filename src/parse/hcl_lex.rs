//! The HCL pre-scan: one pass over a `.tf` file that collects its comments (for inline
//! suppressions and comment scanning) and bounds its bracket nesting before hcl-edit parses it.

use crate::source::Span;

/// Deepest bracket nesting accepted before parsing (checked by a linear pre-scan, so a file nested
/// 100,000 deep costs one pass and no recursion). hcl-edit itself stops at 64 nested levels with
/// an error, which is reported as too deep as well.
pub const HCL_NESTING_LIMIT: usize = 512;

/// One pass over the text: collects comments (`#`, `//`, `/* */`, with their spans and their text
/// without delimiters), aware of strings, template interpolations and heredocs; and fails with the
/// offset of the first bracket nested deeper than [`HCL_NESTING_LIMIT`].
pub(crate) fn lex(text: &str) -> Result<Vec<(Span, String)>, usize> {
    let b = text.as_bytes();
    let mut comments = Vec::new();
    // Open brackets: `{`, `[`, `(`, and `$` for a template interpolation `${` / `%{`.
    let mut stack: Vec<u8> = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    in_string = false;
                    i += 1;
                }
                b'\n' => {
                    // Unterminated string: the parser reports it; resume as code.
                    in_string = false;
                    i += 1;
                }
                b'$' | b'%' if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') => i += 3,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    stack.push(b'$');
                    if stack.len() > HCL_NESTING_LIMIT {
                        return Err(i);
                    }
                    in_string = false;
                    i += 2;
                }
                _ => i += 1,
            }
            continue;
        }
        match c {
            b'#' => i = line_comment(text, i, 1, &mut comments),
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_comment(text, i, 2, &mut comments),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
                let inner_end = end.saturating_sub(2).max(i + 2);
                comments.push((
                    Span::new(i, end),
                    text.get(i + 2..inner_end).unwrap_or("").to_string(),
                ));
                i = end;
            }
            b'"' => {
                in_string = true;
                i += 1;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => i = skip_heredoc(text, i),
            b'{' | b'[' | b'(' => {
                stack.push(c);
                if stack.len() > HCL_NESTING_LIMIT {
                    return Err(i);
                }
                i += 1;
            }
            b'}' => {
                if stack.pop() == Some(b'$') {
                    in_string = true;
                }
                i += 1;
            }
            b']' | b')' => {
                stack.pop();
                i += 1;
            }
            _ => i += 1,
        }
    }
    Ok(comments)
}

fn line_comment(text: &str, start: usize, delim: usize, out: &mut Vec<(Span, String)>) -> usize {
    let end = text[start..].find('\n').map_or(text.len(), |e| start + e);
    let body = text.get(start + delim..end).unwrap_or("");
    let trimmed = body.strip_suffix('\r').unwrap_or(body);
    out.push((
        Span::new(start, start + delim + trimmed.len()),
        trimmed.to_string(),
    ));
    end
}

/// At `<<`: when a heredoc header (`<<EOF` / `<<-EOF` ending its line) follows, returns the offset
/// after its closing delimiter line; else the offset after `<<`.
fn skip_heredoc(text: &str, at: usize) -> usize {
    let rest = &text[at + 2..];
    let rest_trim = rest.strip_prefix('-').unwrap_or(rest);
    let ident_len = rest_trim
        .bytes()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        .count();
    let ident = &rest_trim[..ident_len];
    let after = &rest_trim[ident_len..];
    let line_end = after.find('\n');
    let header_ok = !ident.is_empty()
        && line_end.is_some_and(|e| after[..e].trim_end_matches('\r').trim().is_empty());
    let Some(line_end) = line_end.filter(|_| header_ok) else {
        return at + 2;
    };
    let mut pos = text.len() - after.len() + line_end + 1;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |e| pos + e);
        let line = text[pos..end].trim_end_matches('\r').trim();
        pos = (end + 1).min(text.len());
        if line == ident {
            return end;
        }
    }
    text.len()
}
