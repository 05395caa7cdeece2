//! Dispatch: an authenticated request's action looked up, its version checked, its
//! parameters checked against the operation's spec ([`crate::schema::check`]), then its
//! handler called.
//!
//! A stateful action ([`Route::Stateful`], in [`crate::actions::TABLE`]) has a handler that
//! reads and changes the store. Every other operation of the spec ([`Route::SchemaOnly`]) is
//! answered from what the generated code knows of its response. A name the spec does not
//! have ([`Route::Unknown`]) gets the gateway's `404 InvalidAction.NotFound`.

use hbr_client::registry::OperationInfo;

use crate::actions::{listing, Action, Call, TABLE};
use crate::answer;
use crate::error::ApiError;
use crate::params::Params;
use crate::render;
use crate::schema::{self, Wire};
use crate::store::Store;

/// The API version the emulator serves (the generated client's).
///
/// ```
/// assert_eq!(hbr_emulator::API_VERSION, "2017-09-08");
/// ```
pub const API_VERSION: &str = hbr_client::API_VERSION;

const fn action_names<const N: usize>(table: &[Action]) -> [&'static str; N] {
    let mut names = [""; N];
    let mut i = 0;
    while i < N {
        names[i] = table[i].name;
        i += 1;
    }
    names
}

/// The stateful actions: those whose answers come from, and whose calls change, the
/// emulator's resources, in the order of its dispatch table. Every other operation of the
/// API is answered from its schema.
///
/// ```
/// assert!(hbr_emulator::ACTIONS.contains(&"DescribeRestoreJobs2"));
/// assert!(hbr_emulator::ACTIONS.iter().all(|a| hbr_client::OPERATION_NAMES.contains(a)));
/// ```
pub const ACTIONS: &[&str] = &action_names::<{ TABLE.len() }>(TABLE);

/// Where an action name leads.
pub(crate) enum Route {
    /// A stateful action: its operation and its handler.
    Stateful(&'static OperationInfo, &'static Action),
    /// An operation of the spec answered from its schema.
    SchemaOnly(&'static OperationInfo),
    /// A name that is no action of the spec.
    Unknown,
}

/// Where `action` leads.
pub(crate) fn route(action: &str) -> Route {
    let Some(op) = hbr_client::OPERATIONS.iter().find(|o| o.name == action) else {
        return Route::Unknown;
    };
    match TABLE.iter().find(|a| a.name == action) {
        Some(served) => Route::Stateful(op, served),
        None => Route::SchemaOnly(op),
    }
}

/// What dispatch needs of an authenticated request.
pub(crate) struct Request<'a> {
    /// The action, from the signature's own field (`x-acs-action`), if sent there.
    pub(crate) action: Option<&'a str>,
    /// The API version, from the signature's own field (`x-acs-version`), if sent there.
    pub(crate) version: Option<&'a str>,
    /// The business parameters (they carry `Action` and `Version` under v1).
    pub(crate) params: Params<'a>,
    /// How many of `params` came from the URL query (the rest from the form body).
    pub(crate) query_count: usize,
    /// Whether each parameter must travel where the spec puts it: under the ACS3
    /// signatures; v1 signs the query and the form body as one set.
    pub(crate) check_places: bool,
    /// The request ID the answer carries.
    pub(crate) request_id: &'a str,
    /// The clock reading of the request, unix milliseconds.
    pub(crate) now_ms: i64,
}

/// The success body for `request`, or its error: no action (`MissingParameter`), no such
/// action (`InvalidAction.NotFound`), no or another version, parameters against the spec,
/// then whatever the handler says.
pub(crate) fn dispatch(store: &Store, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let params = request.params;
    let Some(action) = request.action.or_else(|| params.last("Action")) else {
        return Err(ApiError::missing_parameter("Action"));
    };
    let (op, stateful) = match route(action) {
        Route::Stateful(op, served) => (op, Some(served)),
        Route::SchemaOnly(op) => (op, None),
        Route::Unknown => {
            return Err(ApiError::new(
                404,
                "InvalidAction.NotFound",
                format!(
                    "Specified api is not found, please check your url and method: action {action:?} is not an action of HBR {API_VERSION}."
                ),
            ))
        }
    };
    match request.version.or_else(|| params.last("Version")) {
        None => return Err(ApiError::missing_parameter("Version")),
        Some(API_VERSION) => {}
        Some(other) => {
            return Err(ApiError::new(
                400,
                "InvalidVersion",
                format!("Specified parameter Version {other:?} is not valid; the HBR API version is {API_VERSION}."),
            ))
        }
    }
    let wire = Wire {
        params: params.0,
        query_count: request.query_count,
        check_places: request.check_places,
    };
    let input = schema::check(op, wire)?;
    let call = Call {
        params,
        input: &input,
        request_id: request.request_id,
        now_ms: request.now_ms,
    };
    // A fixed listing wins; a pageable operation with no store pages over an empty one.
    let listed = op
        .paging
        .as_ref()
        .and_then(|paging| match store.listing(op.name) {
            Some(items) => Some((paging, items.to_vec())),
            None => stateful.is_none().then(|| (paging, Vec::new())),
        });
    let body = match (listed, stateful) {
        (Some((paging, items)), _) => listing::answer(&call, op.name, paging, items)?,
        (None, Some(served)) => (served.handle)(store, &call)?,
        (None, None) => answer::schema_only(op, request.request_id),
    };
    Ok(if store.ints_as_strings() {
        render::ints_as_strings(body)
    } else {
        body
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_served_action_is_an_operation_of_the_spec_and_served_once() {
        for (i, a) in TABLE.iter().enumerate() {
            assert!(
                hbr_client::OPERATION_NAMES.contains(&a.name),
                "{} is not in the spec",
                a.name
            );
            assert!(
                TABLE.iter().skip(i + 1).all(|b| b.name != a.name),
                "{} twice",
                a.name
            );
            assert!(matches!(route(a.name), Route::Stateful(_, s) if s.name == a.name));
        }
        assert_eq!(ACTIONS.len(), TABLE.len());
        // The lifecycle the issue asks for is stateful.
        for name in [
            "CreateVault",
            "DescribeVaults",
            "UpdateVault",
            "DeleteVault",
            "CreateBackupPlan",
            "DescribeBackupPlans",
            "UpdateBackupPlan",
            "EnableBackupPlan",
            "DisableBackupPlan",
            "ExecuteBackupPlan",
            "DeleteBackupPlan",
            "CreateBackupJob",
            "DescribeBackupJobs2",
            "SearchHistoricalSnapshots",
            "DescribeUdmSnapshots",
            "DeleteSnapshot",
            "CreateRestoreJob",
            "DescribeRestoreJobs2",
            "CancelRestoreJob",
            "CreatePolicyV2",
            "DescribePoliciesV2",
            "CreatePolicyBindings",
            "DescribePolicyBindings",
        ] {
            assert!(ACTIONS.contains(&name), "{name}");
        }
    }

    #[test]
    fn every_action_of_the_spec_is_served_and_other_names_are_not() {
        for name in hbr_client::OPERATION_NAMES {
            assert!(!matches!(route(name), Route::Unknown), "{name}");
        }
        assert!(matches!(route("DescribeEverything"), Route::Unknown));
        // Action names are case-sensitive.
        assert!(matches!(route("describerestorejobs2"), Route::Unknown));
        let schema_only = hbr_client::OPERATION_NAMES
            .iter()
            .filter(|name| matches!(route(name), Route::SchemaOnly(_)))
            .count();
        assert_eq!(schema_only + TABLE.len(), hbr_client::OPERATION_NAMES.len());
    }
}

#[cfg(test)]
mod readme {
    /// The README's table of operations says which are stateful, as the dispatch table does.
    #[test]
    fn the_readme_lists_every_operation_with_its_kind() {
        let readme = include_str!("../README.md");
        for name in hbr_client::OPERATION_NAMES {
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| `{name}` |")))
                .unwrap_or_else(|| panic!("README lists no row for {name}"));
            let stateful = super::ACTIONS.contains(name);
            let kind = if stateful {
                "| stateful |"
            } else {
                "| schema-checked |"
            };
            assert!(row.contains(kind), "{name}: {row}");
        }
    }
}
