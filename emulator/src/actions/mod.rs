//! The action handlers, one module per action, and [`TABLE`], the list dispatch reads.
//!
//! Adding an action is adding a module here with its handler and an [`Action`] built from
//! the generated request type (so its name is the spec's), and one entry in [`TABLE`].

mod cancel_restore_job;
mod create_restore_job;
mod describe_restore_jobs2;

use hbr_client::Operation;

use crate::error::ApiError;
use crate::params::Params;
use crate::store::Store;

/// One call of an action, as its handler sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Call<'a> {
    /// The business parameters (query and form body, in arrival order).
    pub(crate) params: Params<'a>,
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
