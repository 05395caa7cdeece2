use hbr_client::HbrRequest;

#[derive(HbrRequest)]
#[hbr(action = "Shout")]
pub struct Shout {
    #[hbr(wire = "Target")]
    target: Option<String>,
}

fn main() {}
