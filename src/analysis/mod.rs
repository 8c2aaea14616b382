//! Shared helpers rules call: connection-string parsing, secret matching and entropy, role and
//! scope resolution, following expressions through variables and parameters.

pub mod bind;
pub mod codec;
pub mod connstr;
pub mod exposure;
pub mod grants;
pub mod identity;
pub mod key_users;
pub mod names;
pub mod params;
pub mod remedy;
pub mod resolve;
pub mod roles;
pub mod secret_value;
pub mod secrets;
pub mod services;
