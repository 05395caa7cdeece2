"""Drives the emulator with the official Python SDK, unchanged.

Usage: official_sdk_lifecycle.py ENDPOINT(host:port) ACCESS_KEY_ID ACCESS_KEY_SECRET v3|v2|sm3 MODE

MODE `sweep`: reads a JSON array of {"operation", "input"} (API-shaped inputs) on stdin,
calls each operation with the SDK (`<Op>Request().from_map(input)`), and prints one JSON
array of {"operation", "ok", "code", "status", "body"} (the parsed body's `to_map()`), or
{"operation", "absent": true} for an operation this SDK release does not have.

MODE `lifecycle`: a vault, a plan in it, the plan run and its job polled to COMPLETE, its
snapshot found and restored, the restore polled to COMPLETE, then deletes; prints one JSON
object with what it saw.
"""
import json
import sys
import time

from alibabacloud_hbr20170908.client import Client
from alibabacloud_hbr20170908 import models
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_util.models import RuntimeOptions


def method_for(client, operation):
    """The SDK's `<op>_with_options` method (its snake_case is irregular around digits)."""
    wanted = (operation + "withoptions").lower()
    for attr in dir(client):
        if attr.endswith("with_options") and attr.replace("_", "").lower() == wanted:
            return getattr(client, attr)
    raise SystemExit(f"the SDK has no method for {operation}")


def call(client, operation, given):
    request = getattr(models, f"{operation}Request")().from_map(given)
    return method_for(client, operation)(request, RuntimeOptions()).body.to_map()


def sweep(client):
    out = []
    for case in json.load(sys.stdin):
        op = case["operation"]
        if not hasattr(models, f"{op}Request"):
            # Operations of the metadata this SDK release does not have.
            out.append({"operation": op, "absent": True})
            continue
        try:
            body = call(client, op, case["input"])
            out.append({"operation": op, "ok": True, "body": body})
        except Exception as e:  # the SDK's ClientException / ServerException
            out.append({
                "operation": op,
                "ok": False,
                "code": getattr(e, "code", None),
                "status": getattr(e, "status_code", None) or getattr(e, "statusCode", None),
                "message": str(e)[:300],
            })
    print(json.dumps(out))


def poll(client, operation, given, items, inner, final):
    for _ in range(200):
        body = call(client, operation, given)
        job = body[items][inner][0]
        if job["Status"] in final:
            return job
        time.sleep(0.2)
    raise SystemExit(f"{operation}: no final status")


def lifecycle(client):
    vault = call(client, "CreateVault", {"VaultRegionId": "cn-hangzhou", "VaultName": "py"})
    vault_id = vault["VaultId"]
    plan = call(client, "CreateBackupPlan", {
        "VaultId": vault_id, "SourceType": "ECS_FILE", "PlanName": "py-home", "BackupType": "COMPLETE",
        "Schedule": "I|1800000000|P1D", "InstanceId": "i-python", "Path": ["/home", "/srv"],
        "Disabled": True,
    })
    plan_id = plan["PlanId"]
    call(client, "EnableBackupPlan", {"PlanId": plan_id})
    plans = call(client, "DescribeBackupPlans", {"Filters": [{"Key": "planId", "Values": [plan_id]}]})
    job_id = call(client, "ExecuteBackupPlan", {"PlanId": plan_id})["JobId"]
    job = poll(client, "DescribeBackupJobs2",
               {"SourceType": "ECS_FILE", "Filters": [{"Key": "JobId", "Operator": "EQUAL", "Values": [job_id]}]},
               "BackupJobs", "BackupJob", ("COMPLETE", "FAILED", "CANCELED"))
    snapshots = call(client, "SearchHistoricalSnapshots", {
        "SourceType": "ECS_FILE", "Query": [{"field": "VaultId", "value": vault_id, "operation": "MATCH_TERM"}]})
    snapshot = snapshots["Snapshots"]["Snapshot"][0]
    restore_id = call(client, "CreateRestoreJob", {
        "RestoreType": "ECS_FILE", "SourceType": "ECS_FILE", "VaultId": vault_id,
        "SnapshotId": snapshot["SnapshotId"], "TargetInstanceId": "i-python-target", "TargetPath": "/restore",
    })["RestoreId"]
    restore = poll(client, "DescribeRestoreJobs2",
                   {"Filters": [{"Key": "JobId", "Operator": "EQUAL", "Values": [restore_id]}]},
                   "RestoreJobs", "RestoreJob", ("COMPLETE", "FAILED", "PARTIAL_COMPLETE", "CANCELED"))
    call(client, "DeleteSnapshot", {"SnapshotId": snapshot["SnapshotId"], "VaultId": vault_id})
    after = call(client, "SearchHistoricalSnapshots", {
        "Query": [{"field": "VaultId", "value": vault_id}]})
    call(client, "DeleteBackupPlan", {"PlanId": plan_id})
    call(client, "DeleteVault", {"VaultId": vault_id})
    vaults = call(client, "DescribeVaults", {"VaultId": vault_id})
    print(json.dumps({
        "vault_id": vault_id,
        "plan": plans["BackupPlans"]["BackupPlan"][0],
        "job": job,
        "snapshot": snapshot,
        "restore": restore,
        "snapshots_after_delete": after["TotalCount"],
        "vaults_after_delete": vaults["TotalCount"],
    }))


def main():
    endpoint, key_id, secret, signature, mode = sys.argv[1:6]
    config = Config(access_key_id=key_id, access_key_secret=secret, endpoint=endpoint, protocol="http")
    # v3 is the SDK's default (ACS3-HMAC-SHA256); v2 its legacy HMAC-SHA1; sm3 ACS3-HMAC-SM3.
    config.signature_algorithm = {"v3": None, "v2": "v2", "sm3": "ACS3-HMAC-SM3"}[signature]
    client = Client(config)
    {"sweep": sweep, "lifecycle": lifecycle}[mode](client)


if __name__ == "__main__":
    main()
