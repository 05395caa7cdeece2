//! The stateful actions' handlers, one module per action or resource, and [`TABLE`], the list
//! dispatch reads. Every other operation of the spec is answered from its schema alone.
//!
//! Adding a stateful action is adding a module here with its handler and an [`Action`] built
//! from the generated request type (so its name is the spec's), and one entry in [`TABLE`].
//! A handler sees the request after [`crate::schema::check`] accepted it.

mod cancel_restore_job;
mod create_restore_job;
mod describe_restore_jobs2;

use hbr_client::Operation;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::ApiError;
use crate::params::Params;
use crate::store::Store;

/// One call of an action, as its handler sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Call<'a> {
    /// The business parameters (query and form body, in arrival order).
    pub(crate) params: Params<'a>,
    /// The parameters the spec lists, checked, in the API's JSON shape.
    pub(crate) input: &'a Value,
    /// The request ID the answer carries.
    pub(crate) request_id: &'a str,
    /// The clock reading of the request, unix milliseconds.
    pub(crate) now_ms: i64,
}

/// A handler: the success body of the call, or the error it gets.
pub(crate) type Handler = fn(&Store, &Call<'_>) -> Result<Vec<u8>, ApiError>;

/// An action the emulator implements.
pub(crate) struct Action {
    /// The action name, as the spec spells it.
    pub(crate) name: &'static str,
    /// What answers it.
    pub(crate) handle: Handler,
}

impl Call<'_> {
    /// The request as the operation's typed request (decoded from the checked input).
    pub(crate) fn typed<R: DeserializeOwned>(&self) -> Result<R, ApiError> {
        serde_json::from_value(self.input.clone()).map_err(|e| {
            ApiError::new(
                400,
                "InvalidParameter",
                format!("The request is not valid: {e}."),
            )
        })
    }
}

impl Action {
    /// The action of the generated operation `O`, answered by `handle`.
    pub(crate) const fn of<O: Operation>(handle: Handler) -> Self {
        Self {
            name: O::ACTION,
            handle,
        }
    }
}

/// Every action the emulator implements.
pub(crate) const TABLE: &[Action] = &[
    describe_restore_jobs2::ACTION,
    create_restore_job::ACTION,
    cancel_restore_job::ACTION,
];

#[cfg(test)]
mod tests;
