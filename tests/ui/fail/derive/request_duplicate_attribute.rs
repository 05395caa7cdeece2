use hbr_client::HbrRequest;

#[derive(HbrRequest)]
pub struct Shout {
    #[hbr(wire = "Target", maximum = 3, maximum = 4)]
    volume: Option<i32>,
}

fn main() {}
