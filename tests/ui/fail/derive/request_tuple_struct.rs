use hbr_client::HbrRequest;

#[derive(HbrRequest)]
pub struct Shout(String);

fn main() {}
