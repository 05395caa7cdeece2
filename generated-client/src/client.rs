//! The client: a handle on the runtime that every generated operation is a method of.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use hbr_runtime::client::{CallOptions, Config, Error, Runtime};
use hbr_runtime::operation::Operation;
use hbr_runtime::validate::ValidationError;

/// The future a builder's `send()` returns: it owns the client and the request, is `Send`
/// and `'static` (so it can be spawned), and resolves to the operation's typed response.
///
/// A named type rather than one `async` block per operation: proving an `async` block `Send`
/// means walking every state of the whole call, which the compiler did again for each of the
/// crate's operations (a large part of its build time, see BENCHMARKS.md). This struct is
/// `Send` by its fields alone; the call itself is one boxed `async` block made at the first
/// poll, generic over the operation and so built only for the operations an application sends.
///
/// ```no_run
/// use hbr_client::{Client, SendFuture};
/// use hbr_client::describe_vaults::DescribeVaultsRequest;
///
/// fn spawnable(client: &Client) -> SendFuture<DescribeVaultsRequest> {
///     client.describe_vaults().page_size(10).send()
/// }
/// # async fn demo(client: Client) -> Result<(), Box<dyn std::error::Error>> {
/// let vaults = tokio::spawn(spawnable(&client)).await??;
/// # let _ = vaults;
/// # Ok(()) }
/// ```
#[must_use = "a request is sent only when its future is awaited (or polled)"]
pub struct SendFuture<O: Operation> {
    /// The client and the request as built, until the first poll.
    ready: Option<(Client, Result<O, ValidationError>)>,
    /// The call, from the first poll on.
    sending: Option<Call<O::Output>>,
}

/// One call on its way: the boxed `async` block of [`SendFuture`].
type Call<T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send>>;

impl<O: Operation> SendFuture<O> {
    fn new(client: Client, request: Result<O, ValidationError>) -> Self {
        Self {
            ready: Some((client, request)),
            sending: None,
        }
    }
}

// The call is boxed and nothing else is pinned in place.
impl<O: Operation> Unpin for SendFuture<O> {}

impl<O: Operation + 'static> Future for SendFuture<O> {
    type Output = Result<O::Output, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        if let Some((client, request)) = this.ready.take() {
            this.sending = Some(Box::pin(async move { client.execute(&request?).await }));
        }
        match this.sending.as_mut() {
            Some(call) => call.as_mut().poll(cx),
            None => Poll::Pending, // not reached: `ready` is set until `sending` is
        }
    }
}

impl<O: Operation> std::fmt::Debug for SendFuture<O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SendFuture")
            .field("action", &O::ACTION)
            .field("started", &self.sending.is_some())
            .finish()
    }
}

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

    /// What a builder's `send()` does: the request as built (or why it could not be), sent.
    #[doc(hidden)]
    pub fn send_built<O: Operation>(self, request: Result<O, ValidationError>) -> SendFuture<O> {
        SendFuture::new(self, request)
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
