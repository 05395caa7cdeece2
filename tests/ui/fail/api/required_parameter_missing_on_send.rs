use hbr_tests::test_ops::create_note::CreateNoteRequest;

async fn create(client: hbr_client::Client) {
    // Neither `VaultId` nor `Title` is set: `send` is not available.
    let _ = CreateNoteRequest::builder().body("text").with_client(client).send().await;
}

fn main() {}
