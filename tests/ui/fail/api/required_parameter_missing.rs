use hbr_tests::test_ops::create_note::CreateNoteRequest;

fn main() {
    // `Title` is required: the builder does not build without it.
    let _ = CreateNoteRequest::builder().vault_id("v-1").body("text").build();
}
