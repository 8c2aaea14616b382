//! keyless: find what keeps Azure templates and app configs from running on managed identities.
//!
//! Data flow: [`discover`] → [`source::SourceFile`] → [`parse`] → [`ir::Document`] → [`rules`] →
//! [`finding::Finding`] → [`report`].

pub mod analysis;
pub(crate) mod baseline;
pub mod cli;
pub mod config;
pub(crate) mod config_schema;
pub(crate) mod connstr;
pub(crate) mod date;
pub(crate) mod digest;
pub mod discover;
pub mod encoding;
pub mod fault;
pub mod finding;
pub mod fix;
pub mod formats;
pub mod generated;
pub(crate) mod generated_arm;
pub(crate) mod git;
pub(crate) mod history;
pub(crate) mod history_memo;
pub(crate) mod io;
pub mod ir;
pub(crate) mod module_cache;
pub(crate) mod modules;
pub mod parse;
pub(crate) mod per_file_ignores;
pub mod redact;
pub(crate) mod report;
pub(crate) mod results;
pub mod rules;
pub mod scan;
pub mod server;
pub mod source;
pub(crate) mod suppress;
pub(crate) mod table;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
