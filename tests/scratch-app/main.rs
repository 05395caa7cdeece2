//! A user's application, built by `tests/tests/packaging.rs` against the *packaged* crates
//! (`cargo package` output, patched in place of crates.io), and with the README's dependency
//! on a clone of the repository, with `hbr-client` as its only HBR dependency. Usage: `scratch ENDPOINT ACCESS_KEY_ID ACCESS_KEY_SECRET`; it prints one line
//! per restore job of the first page of ECS_FILE jobs, then `total N`.

use std::time::Duration;

use hbr_client::config::{Config, RetryConfig, SignatureVersion};
use hbr_client::credentials::Credentials;
use hbr_client::describe_restore_jobs2::{Filter, RestoreJobStatus};
use hbr_client::error::ErrorKind;
use hbr_client::types::RestoreType;
use hbr_client::Client;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(endpoint), Some(id), Some(secret)) = (args.next(), args.next(), args.next()) else {
        return Err("usage: scratch ENDPOINT ACCESS_KEY_ID ACCESS_KEY_SECRET".into());
    };
    let config = Config::builder()
        .endpoint(endpoint)
        .signature_version(SignatureVersion::V3)
        .credentials(Credentials::new(id, secret))
        .connect_timeout(Duration::from_secs(5))
        .retry(RetryConfig::standard())
        .build();
    let client = Client::new(config)?;

    // A constraint the spec states is checked before anything is sent.
    let refused = client.describe_restore_jobs2().page_size(100).send().await;
    match refused {
        Err(e) if e.kind() == ErrorKind::Validation => {}
        other => return Err(format!("PageSize 100 was not refused: {other:?}").into()),
    }

    let page = client
        .describe_restore_jobs2()
        .restore_type(RestoreType::EcsFile)
        .filter(Filter::status().not_equal(RestoreJobStatus::Failed))
        .page_size(20)
        .send()
        .await?;
    for job in page.restore_jobs() {
        println!(
            "{} {:?}",
            job.restore_id().unwrap_or_default(),
            job.status().cloned()
        );
    }
    println!("total {}", page.total_count().unwrap_or_default());
    Ok(())
}
