use hbr_client::HbrRequest;

// Every mistake of one derive input is reported in the same compile.
#[derive(HbrRequest)]
pub struct Shout {
    #[hbr(wire = "Target", colour = "red")]
    target: Option<String>,
    #[hbr(wire = "Volume", minimum = "low")]
    volume: Option<i32>,
    #[hbr(wire = "Names", style = "csv")]
    names: Option<Vec<String>>,
}

fn main() {}
