//! An operation written by hand with the derives behaves like a generated one.
use hbr_client::{HbrEnum, HbrRequest, HbrResponse};

/// A mode.
#[derive(Clone, Debug, PartialEq, HbrEnum)]
pub enum Mode {
    /// Fast.
    #[hbr(wire = "FAST")]
    Fast,
    /// Unknown.
    #[hbr(unknown)]
    Unknown(String),
}

/// The request.
#[derive(Clone, Debug, HbrRequest)]
#[hbr(action = "DescribeThings", version = "2017-09-08", response = DescribeThingsResponse)]
pub struct DescribeThingsRequest {
    /// Required.
    #[hbr(wire = "VaultId")]
    vault_id: String,
    /// Optional.
    #[hbr(wire = "Mode", default = "FAST")]
    mode: Option<Mode>,
}

/// The response.
#[derive(Clone, Debug, HbrResponse)]
#[hbr(output)]
pub struct DescribeThingsResponse {
    /// Request id.
    #[hbr(wire = "RequestId")]
    request_id: Option<String>,
}

async fn send(client: hbr_client::Client) -> Result<(), hbr_client::Error> {
    let reply = DescribeThingsRequest::builder().vault_id("v-1").mode(Mode::Fast).with_client(client).send().await?;
    let _ = reply.request_id();
    Ok(())
}

fn main() {
    let _ = send;
    let _ = DescribeThingsRequest::builder().vault_id("v-1").build();
}
