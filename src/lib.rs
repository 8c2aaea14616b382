//! keyless: find what keeps Azure templates and app configs from running on managed identities.
//!
//! Data flow: [`discover`] → [`source::SourceFile`] → [`parse`] → [`ir::Document`] → [`rules`] →
//! [`finding::Finding`] → [`report`].

pub mod analysis;
pub mod baseline;
pub mod cli;
pub mod config;
pub mod config_schema;
pub mod connstr;
pub mod date;
pub mod digest;
pub mod discover;
pub mod encoding;
pub mod fault;
pub mod finding;
pub mod fix;
pub mod generated;
pub mod generated_arm;
pub mod git;
pub mod history;
pub mod io;
pub mod ir;
pub mod modules;
pub mod parse;
pub mod per_file_ignores;
pub mod redact;
pub mod report;
pub mod results;
pub mod rules;
pub mod scan;
pub mod server;
pub mod source;
pub mod suppress;
pub mod table;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
