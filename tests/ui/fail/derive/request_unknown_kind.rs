use hbr_client::{HbrRequest, HbrResponse};

#[derive(HbrRequest)]
#[hbr(action = "Peek", version = "2017-09-08", kind = "get", response = PeekResponse)]
pub struct PeekRequest {
    #[hbr(wire = "Name")]
    name: Option<String>,
}

#[derive(HbrRequest)]
#[hbr(kind = "read")]
pub struct NotAnOperation {
    #[hbr(wire = "Name")]
    name: Option<String>,
}

#[derive(HbrResponse)]
#[hbr(output)]
pub struct PeekResponse {
    #[hbr(wire = "RequestId")]
    request_id: Option<String>,
}

fn main() {}
