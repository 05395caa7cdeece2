use hbr_client::HbrEnum;

#[derive(HbrEnum)]
pub enum Color {
    #[hbr(wire = "RED")]
    Red,
}

fn main() {}
