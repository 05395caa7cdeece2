//! The hand-written runtime behind every generated HBR operation.
//!
//! `hbr-client` re-exports what users need from here; generated code and the derive macros
//! of `hbr-macros` reach the rest through `hbr_client::__private`.
#![forbid(unsafe_code)]

pub mod client;
pub mod credentials;
pub mod de;
pub mod filter;
pub mod json_field;
pub mod operation;
pub mod signing;
pub mod text;
pub mod timestamp;
pub mod validate;
pub mod waiter;
pub mod wire;

/// Builder state: a required parameter has been set.
#[derive(Clone, Copy, Debug, Default)]
pub struct Set;

/// Builder state: a required parameter has not been set yet.
#[derive(Clone, Copy, Debug, Default)]
pub struct Unset;
