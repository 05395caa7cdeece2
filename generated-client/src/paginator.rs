//! Paging through list operations.

use hbr_runtime::client::Error;
use hbr_runtime::operation::Paginated;
use hbr_runtime::validate::ValidationError;

use crate::Client;

/// Pages through a paginated operation. PLACEHOLDER until the paginator lands.
#[derive(Debug)]
pub struct Paginator<O: Paginated> {
    client: Client,
    request: Result<O, ValidationError>,
}

impl<O: Paginated> Paginator<O> {
    /// A paginator for `request`.
    pub fn new(client: Client, request: Result<O, ValidationError>) -> Self {
        Self { client, request }
    }

    /// Sends the first page only.
    pub async fn first_page(self) -> Result<O::Output, Error> {
        let request = self.request?;
        self.client.execute(&request).await
    }
}
