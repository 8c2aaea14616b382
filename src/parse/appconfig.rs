//! App configuration JSON (appsettings*.json, local.settings.json) and other JSON.

use crate::ir::Document;
use crate::source::SourceFile;

pub fn parse_json(file: &SourceFile) -> Document {
    match super::json::parse_plain(&file.text) {
        Ok(p) => Document {
            root: Some(p.root),
            comments: p.comments,
            ..Document::default()
        },
        Err(problem) => super::failed(file, problem),
    }
}
