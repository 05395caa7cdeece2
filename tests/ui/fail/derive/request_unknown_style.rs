use hbr_client::HbrRequest;

#[derive(HbrRequest)]
pub struct Shout {
    #[hbr(wire = "Names", style = "repeat_list")]
    names: Option<Vec<String>>,
}

fn main() {}
