use hbr_client::HbrResponse;

#[derive(HbrResponse)]
pub struct Reply {
    #[hbr(wire = "RequestId")]
    request_id: String,
}

fn main() {}
