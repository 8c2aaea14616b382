//! Not yet lowered: the file is scanned as text. Replaced by the real parser.

use crate::ir::Document;
use crate::source::SourceFile;

pub fn parse(file: &SourceFile) -> Document {
    Document::from_text_lines(&file.text, file.bom_len())
}
