use hbr_client::HbrRequest;

#[derive(HbrRequest)]
pub struct Shout {
    #[hbr(wire = "Target")]
    target: Option<String>,
    #[hbr(wire = "Target")]
    other: Option<String>,
}

fn main() {}
