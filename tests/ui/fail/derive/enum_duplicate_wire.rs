use hbr_client::HbrEnum;

#[derive(HbrEnum)]
pub enum Color {
    #[hbr(wire = "RED")]
    Red,
    #[hbr(wire = "RED")]
    Crimson,
    #[hbr(unknown)]
    Unknown(String),
}

fn main() {}
