use hbr_client::HbrRequest;

#[derive(HbrRequest)]
pub union Shout {
    a: u32,
    b: f32,
}

fn main() {}
