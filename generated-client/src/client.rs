//! The client: a handle on the runtime that every generated operation is a method of.

use hbr_runtime::client::{CallOptions, Config, Error, Runtime};
use hbr_runtime::operation::Operation;

/// A client for HBR. Cheap to clone; clones share one connection pool and credentials.
///
/// Each operation is a method returning a builder: set parameters, then `.send().await`.
#[derive(Clone, Debug)]
pub struct Client {
    runtime: Runtime,
}

impl Client {
    /// A client for the given configuration.
    pub fn new(config: Config) -> Result<Self, Error> {
        Ok(Self {
            runtime: Runtime::new(config)?,
        })
    }

    /// A client configured from the environment: credentials from the official chain
    /// (`ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET`/`_SECURITY_TOKEN`, then the profile files, ...),
    /// region from `ALIBABA_CLOUD_REGION_ID` or the CLI profile.
    pub fn from_env() -> Result<Self, Error> {
        Self::new(Config::from_env())
    }

    /// A client wrapping an existing runtime.
    pub fn from_runtime(runtime: Runtime) -> Self {
        Self { runtime }
    }

    /// The runtime behind this client.
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// Validates, signs and sends any operation (generated or hand-written), and parses its
    /// response.
    pub async fn execute<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        self.runtime.execute(operation).await
    }

    /// [`execute`](Self::execute) with options for this call only, e.g. retrying a write
    /// like a read ([`CallOptions::retry_writes`]).
    ///
    /// ```no_run
    /// use hbr_client::{CallOptions, Client};
    /// use hbr_client::cancel_restore_job::CancelRestoreJobRequest;
    ///
    /// # async fn demo(client: &Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let cancel = CancelRestoreJobRequest::builder().restore_id("r-1").vault_id("v-1").build()?;
    /// // Cancelling twice is harmless: retry it whatever the failure.
    /// client.execute_with(&cancel, &CallOptions::new().retry_writes(true)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn execute_with<O: Operation>(
        &self,
        operation: &O,
        options: &CallOptions,
    ) -> Result<O::Output, Error> {
        self.runtime.execute_with(operation, options).await
    }

    /// Sends a `CreateRestoreJob`, `CreateBackupJob` or `ExecuteBackupPlan`; when its answer
    /// is lost ([`ErrorKind::OutcomeUnknown`](crate::ErrorKind::OutcomeUnknown)), looks for
    /// the job it may have created before deciding whether to send it again. See
    /// [`reconcile`](crate::reconcile) for what it guarantees.
    pub async fn create_reconciled<R: crate::reconcile::ReconciledCreate>(
        &self,
        request: &R,
        options: &crate::reconcile::ReconcileOptions,
    ) -> Result<crate::reconcile::Reconciled, Error> {
        crate::reconcile::create(self, request, options).await
    }
}
