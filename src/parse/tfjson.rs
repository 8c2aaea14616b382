//! Terraform JSON syntax and plan JSON. Not yet lowered beyond the value tree.

use crate::ir::Document;
use crate::source::{Format, SourceFile};

pub fn parse(file: &SourceFile, _format: Format) -> Document {
    super::appconfig::parse_json(file)
}
