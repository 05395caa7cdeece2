use hbr_client::{HbrRequest, HbrResponse};

#[derive(Clone, HbrResponse)]
#[hbr(output)]
pub struct ListThingsResponse {
    #[hbr(wire = "RequestId")]
    request_id: Option<String>,
    #[hbr(wire = "TotalCount")]
    total_count: Option<i32>,
    #[hbr(wire = "Things")]
    things: Option<Vec<String>>,
}

#[derive(Clone, HbrRequest)]
#[hbr(
    action = "ListThings",
    version = "2017-09-08",
    response = ListThingsResponse,
    paginate(page_number = page_number, page_size = page_size, total_count = total_count, items = things, item = String)
)]
pub struct ListThingsRequest {
    #[hbr(wire = "PageNumber", minimum = 1)]
    page_number: Option<i32>,
    #[hbr(wire = "PageSize", minimum = 1)]
    page_size: Option<i32>,
}

fn main() {}
