//! Authentication: the request's signature verified with the runtime's verifier (both
//! versions; the long-term key or temporary credentials the emulator's STS issued), then its
//! STS token, its timestamp against the server clock and its nonce against replays, each
//! refused with the service's error.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use hyper::http::request::Parts;

use hbr_runtime::signing::{
    parse_timestamp, verify, IncomingRequest, VerifiedRequest, VerifyError,
};

use crate::config::EmulatorConfig;
use crate::error::ApiError;
use crate::nonce::NonceCache;
use crate::sts::Issuer;

/// The accepted credentials and the replay guard.
pub(crate) struct Auth {
    access_key_id: String,
    access_key_secret: String,
    security_tokens: Vec<String>,
    max_clock_skew: Duration,
    nonces: Mutex<NonceCache>,
    /// The temporary credentials issued by `AssumeRole`.
    pub(crate) issuer: Issuer,
}

fn verify_error(e: VerifyError) -> ApiError {
    match e {
        VerifyError::Incomplete { missing } => ApiError::new(
            400,
            "IncompleteSignature",
            format!("The request signature does not conform to Aliyun standards: missing {missing}."),
        ),
        VerifyError::UnknownAccessKey { access_key_id } => ApiError::new(
            404,
            "InvalidAccessKeyId.NotFound",
            format!("Specified access key is not found: {access_key_id}."),
        ),
        VerifyError::SignatureMismatch { string_to_sign, .. } => ApiError::new(
            400,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"
            ),
        ),
        VerifyError::ContentHashMismatch { declared, actual } => ApiError::new(
            400,
            "SignatureDoesNotMatch",
            format!(
                "Specified signature is not matched with our calculation: x-acs-content-sha256 is {declared} but the body received hashes to {actual}."
            ),
        ),
        VerifyError::Malformed { reason } => ApiError::new(
            400,
            "InvalidParameter",
            format!("The request is malformed: {reason}."),
        ),
    }
}

impl Auth {
    pub(crate) fn new(config: &EmulatorConfig) -> Self {
        Self {
            access_key_id: config.access_key_id.clone(),
            access_key_secret: config.access_key_secret.clone(),
            security_tokens: config.security_tokens.clone(),
            max_clock_skew: config.limits.max_clock_skew,
            nonces: Mutex::new(NonceCache::new(
                config.limits.nonce_ttl,
                config.limits.nonce_capacity,
            )),
            issuer: Issuer::default(),
        }
    }

    /// The AccessKey ID requests must be signed with.
    pub(crate) fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The request (its head and its body) verified and accepted, with whether it was signed
    /// with temporary credentials issued here; or the error it gets.
    pub(crate) fn authenticate(
        &self,
        head: &Parts,
        body: &[u8],
    ) -> Result<(VerifiedRequest, bool), ApiError> {
        let headers: Vec<(String, String)> = head
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let incoming = IncomingRequest {
            method: head.method.as_str(),
            path: head.uri.path(),
            raw_query: head.uri.query().unwrap_or_default(),
            headers: &headers,
            body,
        };
        let lookup = |ak: &str| {
            if ak == self.access_key_id {
                Some(self.access_key_secret.clone())
            } else {
                self.issuer.secret_of(ak)
            }
        };
        let verified = verify(&incoming, &lookup).map_err(verify_error)?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let token = verified.security_token.as_deref();
        let temporary = self.issuer.check(&verified.access_key_id, token, now)?;
        if !temporary {
            self.check_token(token)?;
        }
        self.check_timestamp(&verified.timestamp)?;
        self.check_nonce(&verified.access_key_id, &verified.nonce)?;
        Ok((verified, temporary))
    }

    /// A token, when sent, must be one of the configured ones (any, when none is).
    fn check_token(&self, token: Option<&str>) -> Result<(), ApiError> {
        match token {
            Some(token)
                if !self.security_tokens.is_empty()
                    && !self.security_tokens.iter().any(|t| t == token) =>
            {
                Err(ApiError::new(
                    400,
                    "InvalidSecurityToken.Malformed",
                    "The specified SecurityToken is malformed or not valid.",
                ))
            }
            _ => Ok(()),
        }
    }

    /// The request time must be well formed and close to the server clock.
    fn check_timestamp(&self, timestamp: &str) -> Result<(), ApiError> {
        let sent_at = parse_timestamp(timestamp).map_err(|_| {
            ApiError::new(
                400,
                "InvalidTimeStamp.Format",
                format!(
                    "Specified time stamp or date value {timestamp:?} is not well formatted (expected YYYY-MM-DDTHH:MM:SSZ)."
                ),
            )
        })?;
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let skew = sent_at.unix_timestamp().saturating_sub(now).unsigned_abs();
        if skew > self.max_clock_skew.as_secs() {
            return Err(ApiError::new(
                400,
                "InvalidTimeStamp.Expired",
                format!(
                    "Specified time stamp or date value is expired: {timestamp} is {skew} seconds away from the server time."
                ),
            ));
        }
        Ok(())
    }

    /// The nonce must be sent and not used before by the same key within the TTL.
    fn check_nonce(&self, access_key_id: &str, nonce: &str) -> Result<(), ApiError> {
        if nonce.is_empty() {
            return Err(ApiError::missing_parameter("SignatureNonce"));
        }
        let fresh = self
            .nonces
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(format!("{access_key_id}\n{nonce}"), Instant::now());
        if fresh {
            Ok(())
        } else {
            Err(ApiError::new(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            ))
        }
    }
}
