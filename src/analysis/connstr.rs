//! Connection strings in documents. The grammar (parse a string into parts, say how it
//! authenticates and which service it talks to) is [`crate::connstr`], below the parsers and the
//! analyses, and is re-exported here; finding connection strings in a document's values and saying
//! what kind of expression a secret comes from is [`search`]'s.

pub use crate::analysis::exposure::{is_connection_string, SecretSource};
pub use crate::connstr::*;

pub mod search;
pub use search::{
    connection_string_attribute, find_in_doc, find_in_doc_until, secret_source, service_of_type,
    Found,
};
