use hbr_client::HbrRequest;

#[derive(HbrRequest)]
#[hbr(rule(when(Mode = "LOUD"), field = "Volumee", required, message = "a loud shout needs a volume"))]
pub struct Shout {
    #[hbr(wire = "Mode")]
    mode: Option<String>,
    #[hbr(wire = "Volume")]
    volume: Option<i32>,
}

fn main() {}
