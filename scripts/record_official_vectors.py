#!/usr/bin/env python3
"""Record the wire parameters the official Python SDK sends for a set of HBR operations.

Writes `tests/vectors/official_sdk_operations.json`, which `tests/tests/official_sdk_operations.rs`
compares against what our generated client encodes for the same inputs.

Run it with the official SDK installed in a virtual environment outside the repository:

    python3 -m venv /work/.venv-official
    /work/.venv-official/bin/pip install alibabacloud-hbr20170908
    /work/.venv-official/bin/python scripts/record_official_vectors.py

For every case the script builds the SDK request with `<Op>Request().from_map(input)` from
the API-shaped JSON input, calls `client.<op>_with_options(request, RuntimeOptions())`
against a local recording HTTP server (default V3 signature), and records the decoded URL
query and form body pairs in wire order and the request's content type. Nothing recorded
depends on the time or on the signing nonce, so running the script again reproduces the file
byte for byte (as long as the SDK version is the same).
"""

import inspect
import json
import os
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib import metadata

from alibabacloud_hbr20170908 import models as hbr_models
from alibabacloud_hbr20170908.client import Client
from alibabacloud_tea_openapi.models import Config
from darabonba.model import DaraModel
from darabonba.runtime import RuntimeOptions

PACKAGE = "alibabacloud-hbr20170908"
# The day the vectors were first recorded; fixed so that re-running reproduces the file.
RECORDED_ON = "2026-11-28"
OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "vectors", "official_sdk_operations.json"
)

# A string with a space, a slash, a non-ASCII letter and `*`.
AWKWARD = "Tägliche Sicherung/ü *"
BIG_INT64 = 9007199254740993  # 2^53 + 1: not representable as a double

CASES = [
    {
        "name": "query scalars and paging, repeatList of objects in the body",
        "operation": "DescribeVaults",
        "input": {
            "VaultRegionId": "cn-hangzhou",
            "Status": "CREATED",
            "PageNumber": 2,
            "PageSize": 50,
            "VaultType": "STANDARD",
            "ResourceGroupId": "rg-acfm2pz25js4xqy",
            "Tag": [
                {"Key": "env", "Value": "prod ü/*"},
                {"Key": "team", "Value": "backup ops"},
            ],
        },
    },
    {
        "name": "enum and awkward string in the query",
        "operation": "CreateVault",
        "input": {
            "VaultRegionId": "cn-shanghai",
            "VaultName": AWKWARD,
            "Description": "vault for ECS files & logs",
            "VaultType": "STANDARD",
            "VaultStorageClass": "ARCHIVE",
            "EncryptType": "KMS",
            "KmsKeyId": "0b8f6f3e-1c2d-4e5f-9a8b-7c6d5e4f3a2b",
        },
    },
    {
        "name": "plain query update",
        "operation": "UpdateVault",
        "input": {
            "VaultId": "v-0003rf9m17pap3ltpqwz",
            "VaultName": "renamed vault",
            "Description": "Beschreibung: ü/ö *",
            "ResourceGroupId": "rg-aek2ylsqsh4ngyy",
        },
    },
    {
        "name": "repeatList Path and Rule in the body, json Detail in the query, json OtsDetail in the body",
        "operation": "CreateBackupPlan",
        "input": {
            "SourceType": "ECS_FILE",
            "PlanName": AWKWARD,
            "BackupType": "COMPLETE",
            "VaultId": "v-0001ck3ofxe6j2ixvgrt",
            "Schedule": "I|1602673264|P1D",
            "Retention": 7,
            "InstanceId": "i-bp1ds3hfmqxk4l3gl0oa",
            "Detail": {
                "EnableFsFreeze": True,
                "DoCopy": False,
                "DiskIdList": ["d-bp1a", "d-bp1b"],
                "TimeoutInSeconds": 60,
                "PreScriptPath": "/opt/pre script.sh",
            },
            "SpeedLimit": "0:24:5120",
            "Include": '["/home/alice/*.txt"]',
            "Exclude": '["/home/alice/tmp/*"]',
            "Options": '{"UseVSS":false}',
            "Path": ["/home", "/var/log/ü dir"],
            "Rule": [
                {
                    "RuleName": "daily copy",
                    "Schedule": "I|1602673264|P1D",
                    "Retention": 30,
                    "Disabled": False,
                    "DoCopy": True,
                    "DestinationRegionId": "cn-beijing",
                    "DestinationRetention": BIG_INT64,
                    "BackupType": "COMPLETE",
                },
                {"RuleName": "weekly", "Schedule": "I|1602673264|P7D", "Retention": 90, "Disabled": True},
            ],
            "OtsDetail": {"TableNames": ["orders", "order items/ü"]},
            "CrossAccountType": "CROSS_ACCOUNT",
            "CrossAccountUserId": 1440155109798732,
            "CrossAccountRoleName": "BackupRole",
            "KeepLatestSnapshots": 1,
            "Disabled": True,
        },
    },
    {
        "name": "repeatList Path in the query, repeatList Rule and json OtsDetail in the body, boolean",
        "operation": "UpdateBackupPlan",
        "input": {
            "PlanId": "plan-20211109152931-5nn",
            "PlanName": "nightly",
            "Schedule": "I|1602673264|P1D",
            "Retention": 14,
            "VaultId": "v-0001ck3ofxe6j2ixvgrt",
            "SourceType": "ECS_FILE",
            "SpeedLimit": "0:24:1024",
            "Include": '["/data/*"]',
            "UpdatePaths": True,
            "Path": ["/data", "/srv/ü files"],
            "Rule": [{"RuleName": "r1", "Retention": 3, "DoCopy": False, "Disabled": False}],
            "OtsDetail": {"TableNames": ["t1"]},
            "KeepLatestSnapshots": 0,
        },
    },
    {
        "name": "flat arrays in the body (strings, objects with nested arrays)",
        "operation": "DescribeOtsTableSnapshots",
        "input": {
            "StartTime": 1642496881,
            "EndTime": 1642669681,
            "SnapshotIds": ["s-0002ulpi6c8s2xjlaeo9", "s-000ciwqq4kv4ra4aklui"],
            "OtsInstances": [
                {"InstanceName": "instance1", "TableNames": ["table a", "tab/le*b"]},
                {"InstanceName": "instance2", "TableNames": ["tüble"]},
            ],
            "Limit": 100,
            "NextToken": "caeba0bbb2be03f84eb48b699f0a4883+/=",
            "CrossAccountType": "CROSS_ACCOUNT",
            "CrossAccountUserId": BIG_INT64,
            "CrossAccountRoleName": "BackupRole",
        },
    },
    {
        "name": "json array of strings in the query",
        "operation": "DeleteBackupClientResource",
        "input": {"ClientIds": ["c-000ge4wa61b4d337xblq", "c-0001eg6mcvjs93f46s2d"]},
    },
    {
        "name": "json array of nested objects in the query, scalar in the body",
        "operation": "CreatePolicyBindings",
        "input": {
            "PolicyId": "po-000000zemmvqbvqyqg0n",
            "PolicyBindingList": [
                {
                    "SourceType": "UDM_ECS",
                    "DataSourceId": "i-bp1ds3hfmqxk4l3gl0oa",
                    "PolicyBindingDescription": AWKWARD,
                    "Disabled": "false",
                    "Include": '["*.doc", "*.xlsx"]',
                    "Exclude": '["/var/tmp"]',
                    "SpeedLimit": "0:24:10240",
                    "Source": "prefix/",
                    "CrossAccountType": "CROSS_ACCOUNT",
                    "CrossAccountUserId": BIG_INT64,
                    "CrossAccountRoleName": "BackupRole",
                    "AdvancedOptions": {
                        "UdmDetail": {
                            "AppConsistent": True,
                            "EnableFsFreeze": False,
                            "DiskIdList": ["d-1", "d-2"],
                            "TimeoutInSeconds": 60,
                            "PreScriptPath": "/opt/pre.sh",
                            "SnapshotGroup": True,
                        },
                        "FileDetail": {"AdvPolicy": False, "UseVSS": True},
                    },
                },
                {"SourceType": "OSS", "DataSourceId": "my-bucket", "Source": "backup/"},
            ],
        },
    },
    {
        "name": "json array of objects with nested arrays of objects in the body",
        "operation": "CreatePolicyV2",
        "input": {
            "PolicyName": AWKWARD,
            "PolicyDescription": "daily backup, keep 7 days",
            "Rules": [
                {
                    "RuleType": "BACKUP",
                    "BackupType": "COMPLETE",
                    "Schedule": "I|1648647166|P1D",
                    "Retention": 7,
                    "KeepLatestSnapshots": 1,
                    "RetentionRules": [
                        {"AdvancedRetentionType": "WEEKLY", "WhichSnapshot": 1, "Retention": 730},
                        {"AdvancedRetentionType": "YEARLY", "WhichSnapshot": 1, "Retention": BIG_INT64},
                    ],
                },
                {"RuleType": "REPLICATION", "ReplicationRegionId": "cn-shanghai", "Retention": 7},
            ],
        },
    },
    {
        "name": "form body scalars only",
        "operation": "DescribePoliciesV2",
        "input": {"PolicyId": "po-000000zemmvqbvqyqg0n", "MaxResults": 20, "NextToken": "next/page ü*"},
    },
    {
        "name": "json array of free-form values in the query",
        "operation": "SearchHistoricalSnapshots",
        "input": {
            "SourceType": "ECS_FILE",
            "Query": [
                {"field": "VaultId", "value": "v-0003rf9m17pap3ltpqwz", "operation": "MATCH_TERM"},
                {"field": "CreatedTime", "value": 1579470310, "operation": "GREATER_THAN"},
                {"field": "InstanceName", "value": AWKWARD, "operation": "MATCH_TERM"},
                {"field": "Tags", "value": [["a", "b"], ["c"]], "operation": "IN"},
            ],
            "Limit": 10,
            "NextToken": "token 1/ü",
            "SortBy": "CreatedTime",
            "Order": "DESC",
        },
    },
    {
        "name": "json UdmDetail and FailbackDetail in the query, json OtsDetail and scalars in the body",
        "operation": "CreateRestoreJob",
        "input": {
            "RestoreType": "UDM_ECS_DISK",
            "SourceType": "UDM_ECS",
            "VaultId": "v-0001ck3ofxe6j2ixvgrt",
            "SnapshotId": "s-0002ulpi6c8s2xjlaeo9",
            "SnapshotHash": "f2fe6f6d2d5a7a5c8b4e",
            "UdmRegionId": "cn-shanghai",
            "UdmDetail": {
                "sourceInstanceId": "i-uf62te6pm3iobmyvzfd3",
                "doRestart": True,
                "diskIds": ["d-1", "d-2"],
                "targetInstanceName": AWKWARD,
            },
            "FailbackDetail": {"Enabled": False, "Items": [{"Id": 1, "Tags": ["x", "y"]}]},
            "OtsDetail": {
                "BatchChannelCount": 2,
                "OverwriteExisting": False,
                "RestoreIndex": True,
                "IndexNameSuffix": "_restored",
            },
            "TargetPath": "/restore/ü dir/*",
            "TargetInstanceId": "i-uf62te6pm3iobmyvzfd3",
            "Include": '["/a"]',
            "Exclude": '["/b"]',
            "InitiatedByAck": True,
            "TargetTime": BIG_INT64,
            "TargetCreateTime": 1554347313,
            "CrossAccountType": "SELF_ACCOUNT",
            "CrossAccountUserId": 1440155109798732,
            "CrossAccountRoleName": "BackupRole",
        },
    },
    {
        "name": "plain query, two required parameters",
        "operation": "CancelRestoreJob",
        "input": {"RestoreId": "r-0003hewbvmbx4s9m9vp6", "VaultId": "v-0001ck3ofxe6j2ixvgrt"},
    },
    {
        "name": "repeatList of objects with nested string arrays in the query",
        "operation": "DescribeBackupJobs2",
        "input": {
            "SourceType": "ECS_FILE",
            "SortDirection": "DESCEND",
            "PageNumber": 1,
            "PageSize": 100,
            "Filters": [
                {"Key": "VaultId", "Operator": "IN", "Values": ["v-1", "v 2/ü*"]},
                {"Key": "CompleteTime", "Operator": "GREATER_THAN_OR_EQUAL", "Values": ["1554347313"]},
            ],
        },
    },
    {
        "name": "booleans, enum, int32 and the largest allowed int64 in the query",
        "operation": "UpdateClientSettings",
        "input": {
            "ClientId": "c-000e4hx6mnu9z0bpvwfp",
            "VaultId": "v-0001ck3ofxe6j2ixvgrt",
            "UseHttps": True,
            "AlertOnPartialComplete": False,
            "DataNetworkType": "VPC",
            "MaxCpuCore": 2,
            "MaxWorker": 8,
            "DataProxySetting": "CUSTOM",
            "ProxyHost": "proxy.example.com",
            "ProxyPort": 3128,
            "ProxyUser": "backup user",
            "ProxyPassword": "p@ss word/ü*",
            "ResourceGroupId": "rg-aek2ylsqsh4ngyy",
            "MaxMemory": 1099511627776,
        },
    },
    {
        "name": "json array of strings in the query with cross-account scalars",
        "operation": "InstallBackupClients",
        "input": {
            "InstanceIds": ["i-bp1ds3hfmqxk4l3gl0oa", "i-bp1a2b3c4d5e6f7g8h9i"],
            "CrossAccountType": "CROSS_ACCOUNT",
            "CrossAccountUserId": BIG_INT64,
            "CrossAccountRoleName": "BackupRole",
        },
    },
    {
        "name": "query scalars with booleans true and false and int32 zero",
        "operation": "CreateHanaInstance",
        "input": {
            "VaultId": "v-0001ck3ofxe6j2ixvgrt",
            "HanaName": AWKWARD,
            "Host": "hana-host.internal",
            "InstanceNumber": 0,
            "UserName": "SYSTEM",
            "Password": "S3cr*t pass/ü",
            "UseSsl": True,
            "ValidateCertificate": False,
            "AlertSetting": "INHERITED",
            "EcsInstanceId": '["i-uf6ir9y5m9vw1ajc6u25"]',
            "Sid": "HXE",
            "ResourceGroupId": "rg-aek2ylsqsh4ngyy",
        },
    },
    {
        "name": "query scalars and paging",
        "operation": "DescribeHanaDatabases",
        "input": {
            "ClusterId": "cl-000csl0pwztjgtlcb6un",
            "VaultId": "v-0001ck3ofxe6j2ixvgrt",
            "PageNumber": 3,
            "PageSize": 1,
            "ResourceGroupId": "rg-aek2ylsqsh4ngyy",
        },
    },
    {
        "name": "plain query action",
        "operation": "ExecuteBackupPlan",
        "input": {
            "PlanId": "plan-20211109152931-5nn",
            "VaultId": "v-0001ck3ofxe6j2ixvgrt",
            "SourceType": "ECS_FILE",
            "RuleId": "rule-0001aod7b4ydemvxj5zc",
        },
    },
]

_recorded = []


class _Recorder(BaseHTTPRequestHandler):
    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        _recorded.append(
            {
                "method": self.command,
                "path": self.path,
                "content_type": self.headers.get("Content-Type"),
                "body": body,
            }
        )
        payload = b'{"RequestId":"X","Success":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _handle

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


def _method_for(client, operation):
    """The SDK's `<op>_with_options` method (its snake_case is irregular around digits)."""
    wanted = (operation + "withoptions").lower()
    for attr in dir(client):
        if attr.endswith("with_options") and attr.replace("_", "").lower() == wanted:
            return getattr(client, attr)
    raise SystemExit(f"the SDK has no method for {operation}")


_LIST_INIT = re.compile(r"self\.(\w+) = \[\]\s*\n\s*if m\.get\('(\w+)'\) is not None")
_ATTR_OF = re.compile(r"if m\.get\('(\w+)'\) is not None:\s*\n\s*(?:temp_model = .*\n\s*)?self\.(\w+) =")


def _unset_absent_lists(model, given):
    """Undo a `from_map` artefact: it sets every list-of-models field to `[]` even when the
    input does not mention it, and the SDK then sends that `[]`. Setting such fields back to
    None gives the request a caller would build with only the given fields (constructor
    arguments), which is what "the same input" means here. Recurses into nested models."""
    if not isinstance(model, DaraModel) or not isinstance(given, dict):
        return
    source = inspect.getsource(type(model).from_map)
    for attr, key in _LIST_INIT.findall(source):
        if key not in given and getattr(model, attr, None) == []:
            setattr(model, attr, None)
    fields = [(key, attr) for key, attr in _ATTR_OF.findall(source)]
    fields += [(key, attr) for attr, key in _LIST_INIT.findall(source)]
    for key, attr in fields:
        value, sub = getattr(model, attr, None), given.get(key)
        if isinstance(value, DaraModel):
            _unset_absent_lists(value, sub)
        elif isinstance(value, list) and isinstance(sub, list):
            for item, sub_item in zip(value, sub):
                _unset_absent_lists(item, sub_item)


def _pairs(raw):
    return [[k, v] for k, v in urllib.parse.parse_qsl(raw, keep_blank_values=True, strict_parsing=False)]


def main():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        client = Client(
            Config(
                access_key_id="testAccessKeyId",
                access_key_secret="testAccessKeySecret",
                endpoint=f"127.0.0.1:{port}",
                protocol="http",
            )
        )
        vectors = []
        for case in CASES:
            op = case["operation"]
            given = json.loads(json.dumps(case["input"]))
            request = getattr(hbr_models, f"{op}Request")().from_map(given)
            _unset_absent_lists(request, given)
            before = len(_recorded)
            _method_for(client, op)(request, RuntimeOptions())
            if len(_recorded) != before + 1:
                raise SystemExit(f"{op}: expected exactly one request, saw {len(_recorded) - before}")
            wire = _recorded[-1]
            _, _, raw_query = wire["path"].partition("?")
            raw_body = wire["body"].decode("utf-8")
            vectors.append(
                {
                    "name": case["name"],
                    "operation": op,
                    "input": case["input"],
                    "method": wire["method"],
                    "query": _pairs(raw_query),
                    "body": _pairs(raw_body) if raw_body else [],
                    "content_type": wire["content_type"],
                }
            )
    finally:
        server.shutdown()
        server.server_close()

    version = metadata.version(PACKAGE)
    data = {
        "about": (
            f"Wire parameters sent by the official Python SDK ({PACKAGE} {version}, default V3 "
            f"signature) for API-shaped inputs, recorded on {RECORDED_ON} against a local server by "
            "scripts/record_official_vectors.py. query / body: the decoded URL query and form-body "
            "pairs in wire order (signing lives in headers under V3, so these are the business "
            "parameters only). Requests are built with <Op>Request().from_map(input); list-of-model "
            "fields that from_map sets to [] although the input omits them are reset to None first."
        ),
        "sdk": {"package": PACKAGE, "version": version},
        "cases": vectors,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    ops = sorted({v["operation"] for v in vectors})
    print(f"wrote {len(vectors)} cases ({len(ops)} operations) to {os.path.normpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
