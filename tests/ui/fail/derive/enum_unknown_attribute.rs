use hbr_client::HbrEnum;

#[derive(HbrEnum)]
pub enum Color {
    #[hbr(wrie = "RED")]
    Red,
    #[hbr(unknown)]
    Unknown(String),
}

fn main() {}
