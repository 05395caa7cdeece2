use hbr_client::HbrEnum;

#[derive(HbrEnum)]
pub enum Color {
    #[hbr(wire = "RED")]
    Red,
    #[hbr(unknown)]
    Unknown(i32),
}

fn main() {}
