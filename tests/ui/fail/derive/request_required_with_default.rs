use hbr_client::HbrRequest;

#[derive(HbrRequest)]
pub struct Shout {
    #[hbr(wire = "Target", default = "everyone")]
    target: String,
}

fn main() {}
