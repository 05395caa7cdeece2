use hbr_client::HbrResponse;

#[derive(HbrResponse)]
pub struct Reply {
    #[hbr(wire = "Count", json = Vec<String>)]
    count: Option<i64>,
    #[hbr(wire = "When", timestamp = "unix_seconds")]
    when: Option<String>,
    #[hbr(wire = "Items", wrapper = "Item")]
    items: Option<String>,
}

fn main() {}
