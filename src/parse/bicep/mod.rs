//! Bicep (`.bicep`) and Bicep parameter (`.bicepparam`) files into the IR.
//!
//! A hand-written lexer ([`lexer`]) and recursive-descent parser ([`parser`]) build a spanned
//! syntax tree ([`ast`]); [`lower`] turns it into the same Document shapes the ARM lowering
//! produces. A syntax error is an `InputProblem` of kind `Syntax` at its position (`TooDeep` for
//! nesting beyond [`parser::MAX_DEPTH`]) and the file is scanned as text.

pub mod ast;
pub mod lexer;
pub mod lower;
pub mod parser;
#[cfg(test)]
mod tests;

use crate::ir::{Document, InputProblem, InputProblemKind};
use crate::source::{Format, SourceFile};

/// Parses a Bicep or `.bicepparam` file.
pub fn parse(file: &SourceFile) -> Document {
    match parse_text(&file.text, file.format_by_name == Format::BicepParams) {
        Ok(doc) => doc,
        Err(problem) => super::failed(file, problem),
    }
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
