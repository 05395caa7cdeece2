use hbr_client::HbrRequest;

#[derive(HbrRequest)]
pub struct Shout {
    #[hbr(wire = "Names", max_items = "five")]
    names: Option<Vec<String>>,
}

fn main() {}
