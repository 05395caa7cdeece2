//! With every required parameter set, in any order, the builder builds.
use hbr_tests::test_ops::create_note::CreateNoteRequest;

fn main() {
    let _ = CreateNoteRequest::builder().title("t").vault_id("v-1").build();
    let _ = CreateNoteRequest::builder().vault_id("v-1").body("b").title("t").tags(["a"]).build();
}
