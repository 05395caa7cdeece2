//! Dispatch: an authenticated request's action looked up in the table of implemented actions
//! ([`crate::actions::TABLE`]), its version checked, and its handler called.
//!
//! An action the spec has but the emulator does not implement yet ([`Route::NotImplemented`])
//! and a name the spec does not have ([`Route::Unknown`]) both get the gateway's
//! `404 InvalidAction.NotFound`, each with its own message.

use crate::actions::{Action, Call, TABLE};
use crate::error::ApiError;
use crate::params::Params;
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

/// The actions the emulator implements, in the order of its dispatch table. Every other
/// action of the API gets `404 InvalidAction.NotFound`.
///
/// ```
/// assert!(hbr_emulator::ACTIONS.contains(&"DescribeRestoreJobs2"));
/// assert!(hbr_emulator::ACTIONS.iter().all(|a| hbr_client::OPERATION_NAMES.contains(a)));
/// ```
pub const ACTIONS: &[&str] = &action_names::<{ TABLE.len() }>(TABLE);

/// Where an action name leads.
pub(crate) enum Route {
    /// An implemented action.
    Served(&'static Action),
    /// An action of the spec (the generated client has it) not implemented yet.
    NotImplemented,
    /// A name that is no action of the spec.
    Unknown,
}

/// Where `action` leads.
pub(crate) fn route(action: &str) -> Route {
    if let Some(served) = TABLE.iter().find(|a| a.name == action) {
        Route::Served(served)
    } else if hbr_client::OPERATION_NAMES.contains(&action) {
        Route::NotImplemented
    } else {
        Route::Unknown
    }
}

fn not_found(action: &str, why: &str) -> ApiError {
    ApiError::new(
        404,
        "InvalidAction.NotFound",
        format!(
            "Specified api is not found, please check your url and method: action {action:?}{why}."
        ),
    )
}

/// What dispatch needs of an authenticated request.
pub(crate) struct Request<'a> {
    /// The action, from the signature's own field (`x-acs-action`), if sent there.
    pub(crate) action: Option<&'a str>,
    /// The API version, from the signature's own field (`x-acs-version`), if sent there.
    pub(crate) version: Option<&'a str>,
    /// The business parameters (they carry `Action` and `Version` under v1).
    pub(crate) params: Params<'a>,
    /// The request ID the answer carries.
    pub(crate) request_id: &'a str,
    /// The clock reading of the request, unix milliseconds.
    pub(crate) now_ms: i64,
}

/// The success body for `request`, or its error: no action (`MissingParameter`), no such
/// action (`InvalidAction.NotFound`), no or another version, then whatever the handler says.
pub(crate) fn dispatch(store: &Store, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let params = request.params;
    let Some(action) = request.action.or_else(|| params.last("Action")) else {
        return Err(ApiError::missing_parameter("Action"));
    };
    let served = match route(action) {
        Route::Served(served) => served,
        Route::NotImplemented => {
            return Err(not_found(
                action,
                ", an HBR action this emulator does not implement yet",
            ))
        }
        Route::Unknown => return Err(not_found(action, "")),
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
    let call = Call {
        params,
        request_id: request.request_id,
        now_ms: request.now_ms,
    };
    (served.handle)(store, &call)
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
            assert!(matches!(route(a.name), Route::Served(s) if s.name == a.name));
        }
        assert_eq!(ACTIONS.len(), TABLE.len());
        assert_eq!(
            ACTIONS,
            [
                "DescribeRestoreJobs2",
                "CreateRestoreJob",
                "CancelRestoreJob"
            ]
        );
    }

    #[test]
    fn spec_actions_not_served_yet_are_told_apart_from_unknown_names() {
        assert!(matches!(route("DescribeVaults"), Route::NotImplemented));
        assert!(matches!(route("DescribeEverything"), Route::Unknown));
        // Action names are case-sensitive.
        assert!(matches!(route("describerestorejobs2"), Route::Unknown));
        let not_yet = hbr_client::OPERATION_NAMES
            .iter()
            .filter(|name| matches!(route(name), Route::NotImplemented))
            .count();
        assert_eq!(not_yet + TABLE.len(), hbr_client::OPERATION_NAMES.len());
    }
}
