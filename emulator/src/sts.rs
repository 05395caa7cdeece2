//! STS `AssumeRole` (API 2015-04-01), served beside HBR: temporary credentials for a role,
//! issued to requests signed with the emulator's long-term key (or with temporary
//! credentials it issued, as role chaining), and remembered so that requests signed with
//! them are accepted with their token until they expire.

use std::collections::BTreeMap;
use std::sync::Mutex;

use rand::distributions::Alphanumeric;
use rand::Rng;
use serde_json::json;

use crate::error::ApiError;
use crate::params::Params;

/// The STS API version served.
pub(crate) const STS_VERSION: &str = "2015-04-01";
/// The action served.
pub(crate) const ASSUME_ROLE: &str = "AssumeRole";
/// The session durations STS grants, in seconds, and its default.
const DURATIONS: std::ops::RangeInclusive<i64> = 900..=43_200;
const DEFAULT_DURATION: i64 = 3600;
/// At most this many issued credentials are remembered; the oldest to expire go first.
const MAX_ISSUED: usize = 10_000;

/// One issued set of temporary credentials.
struct Issued {
    secret: String,
    token: String,
    /// Unix seconds.
    expires_at: i64,
}

/// Temporary credentials the emulator's STS issued, as
/// [`RunningEmulator::issued_credentials`](crate::RunningEmulator::issued_credentials) lists
/// them. `Debug` shows the AccessKey ID only.
#[derive(Clone, PartialEq, Eq)]
pub struct IssuedCredentials {
    /// The AccessKey ID, `STS.…`.
    pub access_key_id: String,
    /// Its secret.
    pub access_key_secret: String,
    /// The security token sent with it.
    pub security_token: String,
}

impl std::fmt::Debug for IssuedCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IssuedCredentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// The temporary credentials issued so far.
#[derive(Default)]
pub(crate) struct Issuer {
    issued: Mutex<BTreeMap<String, Issued>>,
}

fn random(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

impl Issuer {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Issued>> {
        self.issued
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Every set of credentials still remembered.
    pub(crate) fn list(&self) -> Vec<IssuedCredentials> {
        self.lock()
            .iter()
            .map(|(id, i)| IssuedCredentials {
                access_key_id: id.clone(),
                access_key_secret: i.secret.clone(),
                security_token: i.token.clone(),
            })
            .collect()
    }

    /// The secret of issued credentials `access_key_id`, if this emulator issued them.
    pub(crate) fn secret_of(&self, access_key_id: &str) -> Option<String> {
        self.lock().get(access_key_id).map(|i| i.secret.clone())
    }

    /// Whether `access_key_id` was issued here: `Ok(true)` when `token` is its token and it
    /// has not expired at `now` (unix seconds), `Ok(false)` for a key issued elsewhere.
    pub(crate) fn check(
        &self,
        access_key_id: &str,
        token: Option<&str>,
        now: i64,
    ) -> Result<bool, ApiError> {
        let issued = self.lock();
        let Some(entry) = issued.get(access_key_id) else {
            return Ok(false);
        };
        if token != Some(entry.token.as_str()) {
            return Err(ApiError::new(
                400,
                "InvalidSecurityToken.Mismatch",
                "The specified SecurityToken does not belong to the AccessKeyId it was sent with.",
            ));
        }
        if now >= entry.expires_at {
            return Err(ApiError::new(
                400,
                "InvalidSecurityToken.Expired",
                "The specified SecurityToken is expired.",
            ));
        }
        Ok(true)
    }

    /// Answers `AssumeRole` with `params` at `now_ms`: new temporary credentials.
    pub(crate) fn assume_role(
        &self,
        params: Params<'_>,
        request_id: &str,
        now_ms: i64,
    ) -> Result<Vec<u8>, ApiError> {
        let role_arn = required(params, "RoleArn")?;
        let account = role_arn
            .strip_prefix("acs:ram::")
            .and_then(|rest| rest.split_once(":role/"))
            .filter(|(uid, name)| {
                !uid.is_empty() && uid.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty()
            });
        if account.is_none() {
            return Err(ApiError::invalid_parameter(
                "RoleArn",
                "a role ARN is acs:ram::<account id>:role/<role name>",
            ));
        }
        let session = required(params, "RoleSessionName")?;
        let session_ok = (2..=64).contains(&session.len())
            && session
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.@=,".contains(&b));
        if !session_ok {
            return Err(ApiError::invalid_parameter(
                "RoleSessionName",
                "2 to 64 letters, digits or - _ . @ = ,",
            ));
        }
        let duration = match params.last("DurationSeconds") {
            None => DEFAULT_DURATION,
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|d| DURATIONS.contains(d))
                .ok_or_else(|| {
                    ApiError::invalid_parameter("DurationSeconds", "from 900 to 43200 seconds")
                })?,
        };
        if let Some(policy) = params.last("Policy") {
            if serde_json::from_str::<serde_json::Value>(policy).is_err() {
                return Err(ApiError::invalid_parameter("Policy", "not valid JSON"));
            }
        }
        let expires_at = now_ms.div_euclid(1000) + duration;
        let id = format!("STS.{}", random(24));
        let (secret, token) = (random(32), format!("CAIS{}", random(96)));
        self.remember(&id, &secret, &token, expires_at, now_ms.div_euclid(1000));
        let expiration = time::OffsetDateTime::from_unix_timestamp(expires_at)
            .map_err(|_| ApiError::invalid_parameter("DurationSeconds", "out of range"))?;
        let body = json!({
            "RequestId": request_id,
            "AssumedRoleUser": {
                "Arn": format!("{role_arn}/{session}"),
                "AssumedRoleId": format!("3{}:{session}", random(16).to_ascii_lowercase()),
            },
            "Credentials": {
                "AccessKeyId": id,
                "AccessKeySecret": secret,
                "SecurityToken": token,
                "Expiration": hbr_runtime::signing::format_timestamp(expiration),
            }
        });
        Ok(serde_json::to_vec(&body).unwrap_or_default())
    }

    fn remember(&self, id: &str, secret: &str, token: &str, expires_at: i64, now: i64) {
        let mut issued = self.lock();
        issued.retain(|_, i| i.expires_at > now);
        while issued.len() >= MAX_ISSUED {
            let first = issued
                .iter()
                .min_by_key(|(_, i)| i.expires_at)
                .map(|(k, _)| k.clone());
            match first {
                Some(key) => issued.remove(&key),
                None => break,
            };
        }
        issued.insert(
            id.to_owned(),
            Issued {
                secret: secret.to_owned(),
                token: token.to_owned(),
                expires_at,
            },
        );
    }
}

fn required<'a>(params: Params<'a>, name: &str) -> Result<&'a str, ApiError> {
    params
        .last(name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::missing_parameter(name))
}

/// The refusal of an HBR call not signed with issued credentials, under `--require-sts`.
pub(crate) fn sts_required() -> ApiError {
    ApiError::new(
        403,
        "Forbidden.RAM",
        "User not authorized to operate on the specified resource: this emulator runs with \
         --require-sts and accepts HBR calls only when they are signed with temporary \
         credentials it issued through STS AssumeRole, sent with their SecurityToken.",
    )
}
