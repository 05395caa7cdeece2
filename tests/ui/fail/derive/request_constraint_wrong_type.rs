use hbr_client::HbrRequest;

#[derive(HbrRequest)]
pub struct Shout {
    #[hbr(wire = "Target", max_items = 3)]
    target: Option<String>,
    #[hbr(wire = "Volume", max_length = 3)]
    volume: Option<i32>,
}

fn main() {}
