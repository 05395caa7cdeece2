//! The stateful actions' handlers, one module per action or resource, and [`TABLE`], the list
//! dispatch reads. Every other operation of the spec is answered from its schema alone.
//!
//! Adding a stateful action is adding a module here with its handler and an [`Action`] built
//! from the generated request type (so its name is the spec's), and one entry in [`TABLE`].
//! A handler sees the request after [`crate::schema::check`] accepted it.

mod backup_jobs;
mod backup_plans;
mod bindings;
mod browse;
mod cancel_restore_job;
mod create_restore_job;
mod cross_accounts;
mod data_sources;
mod describe_restore_jobs2;
pub(crate) mod listing;
mod policies;
mod protected;
mod replication;
mod snapshots;
mod vaults;

use hbr_client::Operation;
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

impl<'a> Call<'a> {
    /// The checked value of the top-level parameter `name`, if given.
    pub(crate) fn value(&self, name: &str) -> Option<&'a Value> {
        self.input.get(name)
    }

    /// A string parameter, if given (an empty string counts as given).
    pub(crate) fn text(&self, name: &str) -> Option<&'a str> {
        self.value(name).and_then(Value::as_str)
    }

    /// A string parameter the emulator needs to do its work although the spec does not
    /// mark it required: `MissingParameter` when absent or empty.
    pub(crate) fn need(&self, name: &str) -> Result<&'a str, ApiError> {
        self.text(name)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ApiError::missing_parameter(name))
    }

    /// An integer parameter, if given.
    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        self.value(name).and_then(Value::as_i64)
    }

    /// A boolean parameter, if given.
    pub(crate) fn flag(&self, name: &str) -> Option<bool> {
        self.value(name).and_then(Value::as_bool)
    }

    /// The request time in unix seconds.
    pub(crate) fn now_s(&self) -> i64 {
        self.now_ms.div_euclid(1000)
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

/// Every stateful action, by resource.
pub(crate) const TABLE: &[Action] = &[
    describe_restore_jobs2::ACTION,
    create_restore_job::ACTION,
    cancel_restore_job::ACTION,
    vaults::CREATE,
    vaults::DESCRIBE,
    vaults::UPDATE,
    vaults::DELETE,
    vaults::DESCRIBE_TASK,
    backup_plans::CREATE,
    backup_plans::DESCRIBE,
    backup_plans::UPDATE,
    backup_plans::ENABLE,
    backup_plans::DISABLE,
    backup_plans::EXECUTE,
    backup_plans::DELETE,
    backup_jobs::CREATE,
    backup_jobs::DESCRIBE,
    backup_jobs::CANCEL,
    snapshots::SEARCH,
    snapshots::DESCRIBE_UDM,
    snapshots::DELETE,
    protected::LIST_PROTECTED,
    protected::LIST_SNAPSHOTS,
    protected::STATISTICS,
    browse::BROWSE,
    policies::CREATE,
    policies::DESCRIBE,
    policies::UPDATE,
    policies::DELETE,
    policies::EXECUTE,
    bindings::CREATE,
    bindings::DESCRIBE,
    bindings::UPDATE,
    bindings::DELETE,
    data_sources::ADD,
    data_sources::DESCRIBE,
    data_sources::UPDATE,
    data_sources::REMOVE,
    cross_accounts::ADD,
    cross_accounts::DELETE,
    cross_accounts::DESCRIBE,
    replication::CREATE,
    replication::DELETE,
];

#[cfg(test)]
mod lifecycle_tests;
#[cfg(test)]
mod protected_tests;
#[cfg(test)]
mod tests;
