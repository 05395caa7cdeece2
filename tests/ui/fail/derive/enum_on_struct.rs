use hbr_client::HbrEnum;

#[derive(HbrEnum)]
pub struct Color {
    name: String,
}

fn main() {}
