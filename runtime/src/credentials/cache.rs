//! A single-flight cache for credentials that expire.

use std::fmt;
use std::future::Future;

use futures_util::lock::Mutex;
use time::{Duration, OffsetDateTime};

use super::{Credentials, CredentialsError};

/// Credentials are refreshed this long before they expire.
pub(crate) const REFRESH_MARGIN: Duration = Duration::minutes(15);

/// Holds the last credentials fetched; refreshes them when they come within a margin
/// ([`REFRESH_MARGIN`] by default) of their expiration. Concurrent callers wait for one
/// fetch: the lock is held while it runs.
pub(crate) struct CredentialsCache {
    slot: Mutex<Option<Credentials>>,
    margin: Duration,
}

impl CredentialsCache {
    pub(crate) fn new() -> Self {
        Self::with_margin(REFRESH_MARGIN)
    }

    /// A cache that refreshes credentials `margin` before they expire.
    pub(crate) fn with_margin(margin: Duration) -> Self {
        Self {
            slot: Mutex::new(None),
            margin,
        }
    }

    /// Returns the cached credentials if still fresh (not within the margin of their
    /// expiration), otherwise calls `fetch`. When the
    /// fetch fails but the cached credentials have not actually expired yet, they are
    /// returned (and the failure logged) so a flaky endpoint does not break callers early.
    pub(crate) async fn get_or_refresh<F, Fut>(
        &self,
        provider: &'static str,
        fetch: F,
    ) -> Result<Credentials, CredentialsError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, CredentialsError>>,
    {
        let mut slot = self.slot.lock().await;
        let now = OffsetDateTime::now_utc();
        if let Some(cached) = slot.as_ref() {
            if !cached.expires_within(now, self.margin) {
                return Ok(cached.clone());
            }
        }
        match fetch().await {
            Ok(fresh) => {
                tracing::debug!(
                    provider,
                    expiration = ?fresh.expiration(),
                    "fetched new credentials"
                );
                *slot = Some(fresh.clone());
                Ok(fresh)
            }
            Err(err) => match slot.as_ref() {
                Some(cached) if !cached.expires_within(now, Duration::ZERO) => {
                    tracing::warn!(
                        provider,
                        error = %err,
                        "refreshing credentials failed; using the cached ones until they expire"
                    );
                    Ok(cached.clone())
                }
                _ => Err(err),
            },
        }
    }
}

impl fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CredentialsCache { .. }")
    }
}
