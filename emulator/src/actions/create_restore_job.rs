//! `CreateRestoreJob`: the request checked ([`CreateSpec`]), then a new job in the store that
//! runs on the clock.

use rand::rngs::StdRng;
use serde_json::{Map, Value};

use hbr_client::create_restore_job::CreateRestoreJobRequest;
use hbr_client::types::{CrossAccountType, RestoreType, SourceType};

use super::{Action, Call};
use crate::data::{hbr_id, restores_files, round_up_mib, source_type_for, Sizes};
use crate::data::{Job, OtsDetail, Report};
use crate::error::ApiError;
use crate::params::{parse_enum, Params};
use crate::response::success_body;
use crate::status::Status;
use crate::store::{text, NewJob, QuotaExceeded, Store};

pub(crate) const ACTION: Action = Action::of::<CreateRestoreJobRequest>(handle);

/// Seconds the job record is kept (180 days), as in the seeded data.
const EXPIRE_AFTER: i64 = 180 * 86_400;

/// What a restore job takes from its vault and snapshot.
struct Origin {
    region_id: String,
    storage_class: String,
    plan_id: String,
    snapshot_hash: String,
}

/// The vault and the snapshot in it that the restore reads, which must exist, and the
/// snapshot's data source type, which must be the one the request restores from.
fn origin(store: &Store, spec: &CreateSpec, now: i64) -> Result<Origin, ApiError> {
    let state = store.resources.read();
    let vault = state
        .vault(&spec.vault_id)
        .ok_or_else(|| ApiError::not_found("VaultId", &spec.vault_id))?;
    let snapshot = store
        .snapshot(&state, now, &spec.snapshot_id)
        .filter(|s| text(&s.record, "VaultId") == spec.vault_id)
        .ok_or_else(|| ApiError::not_found("SnapshotId", &spec.snapshot_id))?;
    let of_snapshot = text(&snapshot.record, "SourceType");
    if SourceType::from_wire(of_snapshot) != spec.source_type {
        return Err(ApiError::invalid_parameter(
            "SourceType",
            format!(
                "the snapshot {} holds {of_snapshot} data, not {}",
                spec.snapshot_id, spec.source_type
            ),
        ));
    }
    Ok(Origin {
        region_id: text(vault, "VaultRegionId").to_owned(),
        storage_class: text(vault, "VaultStorageClass").to_owned(),
        plan_id: snapshot.plan_id,
        snapshot_hash: text(&snapshot.record, "SnapshotHash").to_owned(),
    })
}

fn handle(store: &Store, call: &Call<'_>) -> Result<Vec<u8>, ApiError> {
    let spec = CreateSpec::from_params(call.params)?;
    let now = call.now_ms;
    let origin = origin(store, &spec, now)?;
    let restore_id = store
        .restore_jobs
        .create(now, |id, rng| spec.clone().into_job(id, &origin, rng, now))
        .map_err(|QuotaExceeded { max }| {
            ApiError::new(
                400,
                "QuotaExceeded.RestoreJob",
                format!("At most {max} restore jobs can be created in this emulator."),
            )
        })?;
    store.saved();
    Ok(success_body(
        call.request_id,
        [("RestoreId", Value::from(restore_id))],
    ))
}

/// Where the restored data goes; which fields apply depends on the restore type.
#[derive(Clone, Debug, Default)]
struct Destination {
    target_instance_id: String,
    target_path: String,
    target_bucket: String,
    target_prefix: String,
    target_file_system_id: String,
    target_create_time: i64,
    target_instance_name: String,
    target_table_name: String,
    target_time: i64,
}

/// Whose data it is.
#[derive(Clone, Debug)]
struct Account {
    cross_account_type: String,
    cross_account_user_id: i64,
    cross_account_role_name: String,
}

/// A checked `CreateRestoreJob` request.
#[derive(Clone, Debug)]
struct CreateSpec {
    restore_type: RestoreType,
    source_type: SourceType,
    vault_id: String,
    snapshot_id: String,
    snapshot_hash: Option<String>,
    options: String,
    include: String,
    exclude: String,
    destination: Destination,
    udm_detail: Option<Map<String, Value>>,
    udm_region_id: Option<String>,
    ots_detail: Option<Map<String, Value>>,
    failback_detail: Option<Map<String, Value>>,
    account: Account,
}

/// A restore type the spec lists but the emulator does not create.
fn unsupported(restore_type: &RestoreType) -> ApiError {
    ApiError::invalid_parameter(
        "RestoreType",
        format!("the emulator does not create {restore_type} restores"),
    )
}

impl CreateSpec {
    /// Checks the parameters of a `CreateRestoreJob` request, in the order the service
    /// reports them.
    fn from_params(params: Params<'_>) -> Result<Self, ApiError> {
        let restore_type: RestoreType = params.required_enum("RestoreType")?;
        let source_type: SourceType = params.required_enum("SourceType")?;
        let expected_source =
            source_type_for(&restore_type).ok_or_else(|| unsupported(&restore_type))?;
        if source_type != expected_source {
            return Err(ApiError::invalid_parameter(
                "SourceType",
                format!(
                    "a {restore_type} restore needs the source type {expected_source}, got {source_type}"
                ),
            ));
        }
        let vault_id = params.required("VaultId")?.to_owned();
        let snapshot_id = params.required("SnapshotId")?.to_owned();
        let snapshot_hash = params.optional("SnapshotHash").map(str::to_owned);
        let options = match params.json_object("Options")? {
            Some(map) => Value::Object(map).to_string(),
            None => "{\"UseVSS\":false}".to_owned(),
        };
        let include = params.json_string_array("Include")?;
        let exclude = params.json_string_array("Exclude")?;
        let udm_detail = params.json_object("UdmDetail")?;
        let udm_region_id = params.optional("UdmRegionId").map(str::to_owned);
        let ots_detail = params.json_object("OtsDetail")?;
        let failback_detail = params.json_object("FailbackDetail")?;
        // Checked for form only: the emulator keeps no containers.
        params.json_object("TargetContainer")?;
        params.boolean("InitiatedByAck")?;
        let destination = destination(params, &restore_type)?;
        if let Some(ots) = &ots_detail {
            check_ots_detail(ots)?;
        }
        Ok(Self {
            restore_type,
            source_type,
            vault_id,
            snapshot_id,
            snapshot_hash,
            options,
            include,
            exclude,
            destination,
            udm_detail,
            udm_region_id,
            ots_detail,
            failback_detail,
            account: account(params)?,
        })
    }

    /// The created job (its progress fields are set when it is read).
    fn into_job(self, restore_id: String, origin: &Origin, rng: &mut StdRng, now: i64) -> NewJob {
        let restore_type = &self.restore_type;
        let is_file = restores_files(restore_type);
        let sizes = Sizes::draw(rng, is_file || *restore_type == RestoreType::Oss);
        let snapshot_hash = self
            .snapshot_hash
            .unwrap_or_else(|| origin.snapshot_hash.clone());
        let created_time = now.div_euclid(1000);
        let source_instance_id = udm_source_instance(self.udm_detail.as_ref());
        let report = is_file.then(|| {
            Report::under(
                &format!("/temp/report/{restore_id}/{restore_id}"),
                Status::Created.report(),
            )
        });
        let ots_detail =
            (*restore_type == RestoreType::OtsTable).then(|| ots_detail(self.ots_detail.as_ref()));
        let object = |m: Option<Map<String, Value>>| {
            m.map_or_else(|| "{}".to_owned(), |m| Value::Object(m).to_string())
        };
        let d = self.destination;
        let job = Job {
            snapshot_hash,
            status: Status::Created.as_str().to_owned(),
            error_message: String::new(),
            actual_items: 0,
            vault_id: self.vault_id,
            actual_bytes: 0,
            udm_detail: object(self.udm_detail),
            source_type: self.source_type.as_str().to_owned(),
            options: self.options,
            source_instance_id: source_instance_id.clone(),
            restore_type: restore_type.as_str().to_owned(),
            target_create_time: d.target_create_time,
            items_done: 0,
            bytes_total: sizes.bytes_total,
            exclude: self.exclude,
            parent_id: String::new(),
            complete_time: 0,
            created_time,
            target_bucket: d.target_bucket,
            cluster_id: String::new(),
            target_file_system_id: d.target_file_system_id,
            progress: 0,
            expire_time: created_time + EXPIRE_AFTER,
            target_data_source_id: hbr_id(rng, "ds-"),
            target_prefix: d.target_prefix,
            target_path: d.target_path,
            error_file: String::new(),
            start_time: 0,
            updated_time: created_time,
            snapshot_id: self.snapshot_id,
            restore_id,
            target_client_id: if *restore_type == RestoreType::EcsFile {
                hbr_id(rng, "c-")
            } else {
                String::new()
            },
            items_total: sizes.items_total,
            include: self.include,
            bytes_done: 0,
            target_instance_name: d.target_instance_name,
            target_table_name: d.target_table_name,
            speed: 0,
            target_time: d.target_time,
            ots_detail,
            cross_account_type: self.account.cross_account_type,
            cross_account_user_id: self.account.cross_account_user_id,
            cross_account_role_name: self.account.cross_account_role_name,
            report,
            metering_bytes_done: 0,
            metering_bytes_total: round_up_mib(sizes.bytes_total),
            storage_class: origin.storage_class.clone(),
            failback_detail: object(self.failback_detail),
            target_instance_id: d.target_instance_id,
            source_resource_id: source_instance_id,
            region_id: if origin.region_id.is_empty() {
                self.udm_region_id.unwrap_or_default()
            } else {
                origin.region_id.clone()
            },
            plan_id: origin.plan_id.clone(),
        };
        NewJob {
            job,
            dedup_pct: sizes.dedup_pct,
        }
    }
}

/// The destination fields the restore type needs (`MissingParameter` for a missing one).
fn destination(params: Params<'_>, restore_type: &RestoreType) -> Result<Destination, ApiError> {
    let target_create_time = params.int64("TargetCreateTime")?;
    let target_time = params.int64("TargetTime")?;
    let text = |name: &str| params.optional(name).unwrap_or_default().to_owned();
    let need = |name: &str| params.required(name).map(str::to_owned);
    let mut d = Destination::default();
    match restore_type {
        RestoreType::EcsFile => {
            d.target_instance_id = need("TargetInstanceId")?;
            d.target_path = need("TargetPath")?;
        }
        RestoreType::Oss => {
            d.target_bucket = need("TargetBucket")?;
            d.target_prefix = text("TargetPrefix");
        }
        RestoreType::Nas | RestoreType::CommonFileSystem => {
            d.target_file_system_id = need("TargetFileSystemId")?;
            d.target_create_time = target_create_time.unwrap_or(0);
            d.target_path = params.optional("TargetPath").unwrap_or("/").to_owned();
        }
        RestoreType::OtsTable => {
            d.target_instance_name = need("TargetInstanceName")?;
            d.target_table_name = need("TargetTableName")?;
            d.target_time = target_time.unwrap_or(0);
        }
        RestoreType::UdmEcsRollback => {
            d.target_instance_id = text("TargetInstanceId");
        }
        other => return Err(unsupported(other)),
    }
    Ok(d)
}

/// `OtsDetail`'s documented members have their documented types.
fn check_ots_detail(ots: &Map<String, Value>) -> Result<(), ApiError> {
    if let Some(v) = ots.get("BatchChannelCount") {
        if v.as_i64().is_none_or(|n| i32::try_from(n).is_err()) {
            return Err(ApiError::invalid_parameter(
                "OtsDetail",
                "BatchChannelCount must be a 32-bit integer",
            ));
        }
    }
    for flag in [
        "OverwriteExisting",
        "RestoreIndex",
        "RestoreSearchIndex",
        "ReGenerateAutoIncrementPK",
    ] {
        if ots.get(flag).is_some_and(|v| !v.is_boolean()) {
            return Err(ApiError::invalid_parameter(
                "OtsDetail",
                format!("{flag} must be a boolean"),
            ));
        }
    }
    Ok(())
}

/// The account fields: a cross-account restore names the account and the role.
fn account(params: Params<'_>) -> Result<Account, ApiError> {
    let kind = params
        .optional("CrossAccountType")
        .map(|v| parse_enum::<CrossAccountType>("CrossAccountType", v))
        .transpose()?;
    match kind {
        None | Some(CrossAccountType::SelfAccount) => Ok(Account {
            cross_account_type: CrossAccountType::SelfAccount.as_str().to_owned(),
            cross_account_user_id: 0,
            cross_account_role_name: String::new(),
        }),
        Some(CrossAccountType::CrossAccount) => Ok(Account {
            cross_account_type: CrossAccountType::CrossAccount.as_str().to_owned(),
            cross_account_user_id: params
                .int64("CrossAccountUserId")?
                .ok_or_else(|| ApiError::missing_parameter("CrossAccountUserId"))?,
            cross_account_role_name: params.required("CrossAccountRoleName")?.to_owned(),
        }),
        Some(other) => Err(ApiError::invalid_parameter(
            "CrossAccountType",
            format!("the emulator does not create {other} restores"),
        )),
    }
}

/// The instance a whole-instance rollback restores, from `UdmDetail`.
fn udm_source_instance(udm_detail: Option<&Map<String, Value>>) -> String {
    udm_detail
        .and_then(|d| {
            d.get("sourceInstanceId")
                .or_else(|| d.get("SourceInstanceId"))
        })
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The Tablestore settings of an OTS_TABLE job, from `OtsDetail`.
fn ots_detail(sent: Option<&Map<String, Value>>) -> OtsDetail {
    let get = |k: &str| sent.and_then(|d| d.get(k));
    OtsDetail {
        batch_channel_count: get("BatchChannelCount")
            .and_then(Value::as_i64)
            .and_then(|n| i32::try_from(n).ok())
            .unwrap_or(1),
        overwrite_existing: get("OverwriteExisting")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}
