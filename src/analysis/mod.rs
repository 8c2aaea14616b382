//! Shared helpers rules call: connection-string parsing, secret matching and entropy, role and
//! scope resolution, following expressions through variables and parameters.

pub mod identity;
pub mod resolve;
pub mod roles;
