//! Bicep (`.bicep`) and Bicep parameter (`.bicepparam`) files into the IR.
//!
//! A hand-written lexer ([`lexer`]) and recursive-descent parser ([`parser`]) build a spanned
//! syntax tree ([`ast`]); [`lower`] turns it into the same Document shapes the ARM lowering
//! produces. A syntax error is an `InputProblem` of kind `Syntax` at its position (`TooDeep` for
//! nesting beyond [`parser::BICEP_NESTING_LIMIT`]) and the file is scanned as text.

pub mod ast;
pub mod lexer;
pub mod lower;
pub mod parser;
#[cfg(test)]
mod tests;

use crate::ir::{Document, InputProblem, InputProblemKind};
use crate::source::{Format, SourceFile};

/// Parses a Bicep or `.bicepparam` file. A file with a syntax error keeps what parsed: the
/// declarations before the error and after it ([`parser::parse_recovering`]; when the lexer
/// failed, those of the lines before its error), with the text that did not parse read line by
/// line as a broken file's is.
pub fn parse(file: &SourceFile) -> Document {
    let params_file = file.format_by_name == Format::BicepParams;
    match parse_text(&file.text, params_file) {
        Ok(doc) => doc,
        Err(problem) => recover(file, params_file, problem),
    }
}

fn recover(file: &SourceFile, params_file: bool, problem: InputProblem) -> Document {
    let text = &file.text;
    let start = file.bom_len();
    let (lexed, lexed_to) = match lexer::lex(text, start) {
        Ok(l) => (l, text.len()),
        Err(e) => {
            let cut = text
                .get(..e.span.start)
                .and_then(|t| t.rfind('\n'))
                .map_or(start, |i| i + 1);
            match text.get(..cut).map(|t| lexer::lex(t, start.min(cut))) {
                Some(Ok(l)) => (l, cut),
                _ => return super::failed(file, problem),
            }
        }
    };
    let (program, mut skipped) = parser::parse_recovering(&text[..lexed_to], &lexed.tokens);
    if program.decls.is_empty() {
        return super::failed(file, problem);
    }
    if lexed_to < text.len() {
        skipped.push(crate::source::Span::new(lexed_to, text.len()));
    }
    let mut doc = lower::lower(text, &program, params_file, lexed.comments);
    for region in skipped {
        doc.text_lines.extend(super::recover::lines(
            text,
            region.start,
            region.end,
            file.format_by_name,
        ));
    }
    doc.problems.push(problem);
    doc.partial = true;
    doc
}

/// Parses a whole file's text (a leading byte order mark is skipped; spans are file offsets).
pub fn parse_text(text: &str, params_file: bool) -> Result<Document, InputProblem> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let lexed = lexer::lex(text, start).map_err(|e| InputProblem {
        kind: InputProblemKind::Syntax,
        span: e.span,
        message: format!("invalid Bicep: {}", e.message),
    })?;
    let program = parser::parse(text, &lexed.tokens).map_err(|e| InputProblem {
        kind: if e.too_deep {
            InputProblemKind::TooDeep
        } else {
            InputProblemKind::Syntax
        },
        span: e.span,
        message: if e.too_deep {
            e.message
        } else {
            format!("invalid Bicep: {}", e.message)
        },
    })?;
    Ok(lower::lower(text, &program, params_file, lexed.comments))
}

/// Entry point for fuzzing: any bytes, never a panic.
pub fn fuzz(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = parse_text(&text, false);
    let _ = parse_text(&text, true);
}
