#!/usr/bin/env python3
"""Record the wire parameters the official Python SDK sends for a set of HBR operations.

Writes `tests/vectors/official_sdk_operations.json`, which `tests/tests/official_sdk_operations.rs`
compares against what our generated client encodes for the same inputs.

Run it with the official SDK 2.7.1 installed in a virtual environment outside the repository,
and SDK 1.0.6 in a second one for the operation 2.x no longer sends (`RETIRED`); both need
PyYAML, which `python/filled_inputs.py` reads the spec with:

    python3 -m venv /work/.venv-official
    /work/.venv-official/bin/pip install alibabacloud-hbr20170908==2.7.1 pyyaml
    python3 -m venv /work/.venv-sdk106
    /work/.venv-sdk106/bin/pip install alibabacloud-hbr20170908==1.0.6 pyyaml
    /work/.venv-official/bin/python scripts/record_official_vectors.py \
        --retired-python /work/.venv-sdk106/bin/python

The cases are the hand-written `CASES` (particular shapes and values) and, for every
operation, its input with every parameter filled (`python/filled_inputs.py`). `--out FILE`
writes elsewhere than the committed file (`tests/tests/official_vectors_reproduce.rs` records
again into a temporary file and requires the same bytes).
For every case the script builds the SDK request with `<Op>Request().from_map(input)` from
the API-shaped JSON input, calls `client.<op>_with_options(request, RuntimeOptions())`
against a local recording HTTP server, once under the V3 signature (the default) and once under
V1 (HMAC-SHA1, the SDK's `signature_algorithm = "v2"`), and records the decoded URL query and
form body pairs in wire order and the request's content type. V1's signing parameters (time,
nonce, signature) are left out, so nothing recorded depends on the time or on the signing
nonce, and running the script again reproduces the file byte for byte (as long as the SDK
version is the same).
"""

import inspect
import json
import os
import re
import subprocess
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib import metadata

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "python"))

import filled_inputs  # noqa: E402 - needs the path above
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

# The operations and parameters only the SDK 2.7.1 models know (the spec imported them from it):
# every parameter of the 18 new operations filled, and each new parameter of the others.
V = "v-0001ck3ofxe6j2ixvgrt"
CASES += [
    {
        "name": "new: cross account by RAM role, a large account ID",
        "operation": "AddCrossAccount",
        "input": {"CrossAccountUserId": BIG_INT64, "CrossAccountRoleName": "BackupRole",
                  "Alias": AWKWARD, "CrossAccountType": "CROSS_ACCOUNT"},
    },
    {
        "name": "new: every data source setting, a repeatList of paths in the query",
        "operation": "AddDataSource",
        "input": {
            "DataSourceType": "COMMON_NAS", "DataSourceName": AWKWARD, "ClusterId": "cl-0003jyv",
            "ConnectionInfo": '{"sharePath":"/share","fileSystemType":"nfs"}',
            "Credential": '{"mountUsername":"u","mountPassword":"p *"}',
            "IndexLevel": "META", "Include": "*.doc", "Exclude": "/tmp", "Options": "{}",
            "Path": ["/a", "/b c"], "Schedule": "I|1648647166|P1D", "SpeedLimit": "0:24:1024",
        },
    },
    {
        "name": "new: browse a snapshot by token, every parameter (the deprecated ones too)",
        "operation": "BrowseFiles",
        "input": {
            "VaultId": V, "ClientId": "c-000o48", "SnapshotHash": "971e9d", "Path": "ef646a",
            "AbsolutePath": "/data/ü *", "MaxResults": 100, "NextToken": "eyJ+Q==",
            "StorageClass": "ARCHIVE", "Edition": "BASIC", "PageNumber": 2, "PageSize": 50,
            "RestoreId": "r-000oy9", "Token": "tok", "SecurityToken": "st",
        },
    },
    {
        "name": "new: vault replication",
        "operation": "CreateVaultReplication",
        "input": {"ReplicationSourceVaultId": V, "ReplicationTargetVaultId": "v-0002target",
                  "ReplicationSourceRegionId": "cn-hangzhou"},
    },
    {
        "name": "new: json array of source types in the query",
        "operation": "DeleteAirEcsInstance",
        "input": {"EcsInstanceId": "i-bp1ds3hfmqxk4l3gl0oa",
                  "UninstallClientSourceTypes": ["ECS_FILE", "UDM_ECS"]},
    },
    {
        "name": "new: a boolean True in the query",
        "operation": "DeleteContainerCluster",
        "input": {"ClusterId": "cc-00049slr9iuvvv6pp134", "Force": True},
    },
    {
        "name": "new: cross account removed",
        "operation": "DeleteCrossAccount",
        "input": {"CrossAccountUserId": 1440155109798732, "CrossAccountRoleName": "BackupRole",
                  "CrossAccountType": "CROSS_ACCOUNT_BY_RD"},
    },
    {"name": "new: one disk", "operation": "DeleteUdmDisk", "input": {"DiskId": "d-bp1ds3hfmqxk4l3gl0oa"}},
    {
        "name": "new: vault replication removed",
        "operation": "DeleteVaultReplication",
        "input": {"ReplicationSourceVaultId": V, "ReplicationTargetVaultId": "v-0002target",
                  "ReplicationSourceRegionId": "cn-shanghai"},
    },
    {
        "name": "new: container resources by page",
        "operation": "DescribeContainerResource",
        "input": {"ClusterId": "cc-0001", "ResourceType": "PV", "ResourceId": "pv-1",
                  "PageNumber": 2, "PageSize": 99},
    },
    {
        "name": "new: data sources by page",
        "operation": "DescribeDataSources",
        "input": {"DataSourceType": "COMMON_FILE_SYSTEM", "DataSourceId": "ds-000nqeo",
                  "DataSourceName": AWKWARD, "ClusterId": "cl-0003", "PageNumber": 1, "PageSize": 10},
    },
    {"name": "new: feature trial", "operation": "DescribeFeatureTrialInfo", "input": {"FeatureType": "OTS"}},
    {"name": "new: statistics", "operation": "GetBasicStatistics", "input": {"SourceType": "ECS_FILE"}},
    {"name": "new: OSS trial", "operation": "GetTrialInfo", "input": {"SourceType": "OSS", "Bucket": "hbr-bucket"}},
    {
        "name": "new: NAS trial, a time",
        "operation": "GetTrialInfo",
        "input": {"SourceType": "NAS", "FileSystemId": "005494", "CreateTime": 1607436917},
    },
    {
        "name": "new: protected resources, a boolean False",
        "operation": "ListProtectedResources",
        "input": {"SourceType": "ECS_FILE", "CreatedByProduct": "BASIC", "HasSnapshot": False,
                  "ResourceId": "i-wz95", "MaxResults": 10, "NextToken": "aWQjMCMy"},
    },
    {
        "name": "new: protected resources paged by count",
        "operation": "ListProtectedResources",
        "input": {"SourceType": "OSS", "CreatedByProduct": "HBR", "HasSnapshot": True, "Skip": 20,
                  "MaxResults": 10},
    },
    {
        "name": "new: snapshots of a resource by token and time",
        "operation": "ListSnapshots",
        "input": {"SourceType": "ECS_FILE", "ProtectedResourceId": "pr-0001", "VaultId": V,
                  "PlanId": "po-0001", "CompleteTimeStart": 1554347313, "CompleteTimeEnd": 1654347313,
                  "MaxResults": 50, "NextToken": "tok/+="},
    },
    {
        "name": "new: snapshots paged by count",
        "operation": "ListSnapshots",
        "input": {"SourceType": "OSS", "ProtectedResourceId": "pr-0002", "Skip": 100, "MaxResults": 100},
    },
    {"name": "new: data source removed", "operation": "RemoveDataSource", "input": {"DataSourceId": "ds-0006xodtle"}},
    {
        "name": "new: every data source setting changed",
        "operation": "UpdateDataSource",
        "input": {
            "DataSourceId": "ds-0006xodtle", "DataSourceName": AWKWARD, "ClusterId": "cl-0003jyv",
            "ConnectionInfo": '{"path":"/mnt"}', "Credential": '{"accessKeyId":"a","accessKeySecret":"s"}',
            "IndexLevel": "OFF", "Include": "*", "Exclude": "*.tmp", "Options": "{}",
            "Path": ["/mnt/a"], "Schedule": "I|1648647166|PT1H", "SpeedLimit": "0:24:0",
        },
    },
    # New parameters of operations the spec had.
    {"name": "new: Edition", "operation": "CancelBackupJob", "input": {"JobId": "job-0001", "Edition": "BASIC"}},
    {"name": "new: Edition, no vault", "operation": "CancelRestoreJob", "input": {"RestoreId": "r-0001", "Edition": "BASIC"}},
    {"name": "new: Edition", "operation": "DeleteBackupPlan", "input": {"PlanId": "plan-1", "VaultId": V, "Edition": "STANDARD"}},
    {"name": "new: Edition", "operation": "DisableBackupPlan", "input": {"PlanId": "plan-1", "VaultId": V, "Edition": "BASIC"}},
    {"name": "new: Edition", "operation": "EnableBackupPlan", "input": {"PlanId": "plan-1", "VaultId": V, "Edition": "BASIC"}},
    {"name": "new: Edition", "operation": "ExecuteBackupPlan", "input": {"PlanId": "plan-1", "Edition": "BASIC"}},
    {"name": "new: Edition", "operation": "DescribeBackupJobs2", "input": {"SourceType": "ECS_FILE", "Edition": "BASIC"}},
    {"name": "new: Edition", "operation": "DescribeBackupPlans", "input": {"SourceType": "ECS_FILE", "Edition": "BASIC"}},
    {"name": "new: Edition", "operation": "SearchHistoricalSnapshots", "input": {"SourceType": "ECS_FILE", "Edition": "BASIC"}},
    {"name": "new: Edition", "operation": "UpdateBackupPlan", "input": {"PlanId": "plan-1", "VaultId": V, "SourceType": "ECS_FILE", "Edition": "BASIC"}},
    {
        "name": "new: Edition of a restore",
        "operation": "CreateRestoreJob",
        "input": {"RestoreType": "ECS_FILE", "SourceType": "ECS_FILE", "VaultId": V, "SnapshotId": "s-0001",
                  "SnapshotHash": "971e9d", "TargetInstanceId": "i-0001", "TargetPath": "/restore", "Edition": "BASIC"},
    },
    {
        "name": "new: a synchronisation plan, with the basic edition",
        "operation": "CreateBackupPlan",
        "input": {"SourceType": "SYNC", "PlanName": "sync", "DataSourceId": "ds-0001",
                  "ClusterId": "cl-0001", "Schedule": "I|1602673264|P1D", "Edition": "BASIC"},
    },
    {
        "name": "new: a locked replication vault",
        "operation": "CreateVault",
        "input": {"VaultRegionId": "cn-shanghai", "VaultName": "worm", "WormEnabled": True, "Replication": False},
    },
    {"name": "new: lock a vault", "operation": "UpdateVault", "input": {"VaultId": V, "WormEnabled": True}},
    {
        "name": "new: an encrypted replication vault",
        "operation": "CreateReplicationVault",
        "input": {"VaultRegionId": "cn-shanghai", "VaultName": "mirror", "ReplicationSourceVaultId": V,
                  "ReplicationSourceRegionId": "cn-hangzhou", "EncryptType": "KMS", "KmsKeyId": "key-1"},
    },
    {
        "name": "new: vaults by name and owner, replication vaults",
        "operation": "DescribeVaults",
        "input": {"VaultName": AWKWARD, "VaultOwnerId": BIG_INT64, "Replication": True},
    },
    {
        "name": "new: clients by filters, a repeatList in the query",
        "operation": "DescribeBackupClients",
        "input": {"ClientType": "ECS_CLIENT", "Filters": [{"Key": "instanceName", "Values": ["a b", "c"]}]},
    },
    {
        "name": "new: policies of accounts, a json array in the body",
        "operation": "DescribePoliciesV2",
        "input": {"AccountScope": "ALL", "RuleScope": "TAG",
                  "Accounts": [{"CrossAccountType": "CROSS_ACCOUNT", "CrossAccountUserId": BIG_INT64,
                                "CrossAccountRoleName": "BackupRole"}]},
    },
    {
        "name": "new: policy type and the rules only 2.7.1 knows",
        "operation": "CreatePolicyV2",
        "input": {
            "PolicyName": "tags", "PolicyType": "STANDARD",
            "Rules": [
                {"RuleType": "BACKUP", "BackupType": "COMPLETE", "Schedule": "I|1648647166|P1D", "VaultId": V},
                {"RuleType": "TRANSITION", "Retention": 30, "ArchiveDays": 30},
                {"RuleType": "TAG", "TagFilters": [{"Key": "env", "Value": "prod", "Operator": "EQUAL"}],
                 "DataSourceFilters": [{"SourceType": "ECS_FILE", "DataSourceIds": ["i-1"],
                                        "AccountScope": "ALL",
                                        "Accounts": [{"CrossAccountType": "SELF_ACCOUNT"}]}]},
                {"RuleType": "SECURITY", "Immutable": True},
            ],
        },
    },
    {
        "name": "new: the rules only 2.7.1 knows, updated",
        "operation": "UpdatePolicyV2",
        "input": {
            "PolicyId": "po-000000zemmvqbvqyqg0n",
            "Rules": [
                {"RuleType": "BACKUP", "BackupType": "COMPLETE", "Schedule": "I|1648647166|P1D", "VaultId": V},
                {"RuleType": "TAG", "TagFilters": [{"Key": "team", "Value": "", "Operator": "NOT"}],
                 "DataSourceFilters": [{"SourceType": "OSS"}]},
            ],
        },
    },
    {
        "name": "new: archive objects left out of an OSS binding",
        "operation": "UpdatePolicyBinding",
        "input": {"PolicyId": "po-0001", "SourceType": "OSS", "DataSourceId": "bucket-1",
                  "AdvancedOptions": {"OssDetail": {"IgnoreArchiveObject": True}}},
    },
    {
        "name": "new: archive objects left out of an OSS binding, created",
        "operation": "CreatePolicyBindings",
        "input": {"PolicyId": "po-0001",
                  "PolicyBindingList": [{"SourceType": "OSS", "DataSourceId": "bucket-1",
                                         "AdvancedOptions": {"OssDetail": {"IgnoreArchiveObject": False}}}]},
    },
]



# Operations the spec keeps that SDK 2.x no longer sends, each with the last SDK version
# that sends it (the service still documents AttachNasFileSystem); recorded with that version
# through `--retired-python`, and marked with `sdk_version` in the vectors.
RETIRED = {"AttachNasFileSystem": "1.0.6"}


def filled_cases(only=None):
    """For every operation the SDK sends (or those in `only`), its inputs with every parameter
    filled (`python/filled_inputs.py`), after the hand-written cases above."""
    out = []
    for operation, request_cls in filled_inputs.request_classes(Client, only).items():
        for suffix, given in filled_inputs.filled_cases(operation, request_cls):
            name = "filled: every parameter" + (f", {suffix}" if suffix else "")
            out.append({"name": name, "operation": operation, "input": given})
    return out


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


# What the V1 signature adds to the query (the business parameters stay in the SDK's order).
V1_SIGNING = (
    "Action", "Format", "Version", "Timestamp", "SignatureNonce", "SignatureMethod",
    "SignatureVersion", "AccessKeyId", "Signature", "SecurityToken",
)


def _record(client, case, signature):
    """One case sent by `client`: its business parameters as they went on the wire."""
    op = case["operation"]
    given = json.loads(json.dumps(case["input"]))
    model = getattr(hbr_models, f"{op}Request", None)
    before = len(_recorded)
    if model is None:  # an operation without parameters (DescribeRegions)
        _method_for(client, op)(RuntimeOptions())
    else:
        request = model().from_map(given)
        _unset_absent_lists(request, given)
        _method_for(client, op)(request, RuntimeOptions())
    if len(_recorded) != before + 1:
        raise SystemExit(f"{op}: expected exactly one request, saw {len(_recorded) - before}")
    wire = _recorded[-1]
    _, _, raw_query = wire["path"].partition("?")
    raw_body = wire["body"].decode("utf-8")
    query = _pairs(raw_query)
    if signature == "v1":
        # Signing parameters vary per request (time, nonce); a parameter of the operation
        # that shares a name with one (BrowseFiles' SecurityToken) stays.
        query = [kv for kv in query if kv[0] not in V1_SIGNING or kv[0] in case["input"]]
    return {
        "name": case["name"],
        "operation": op,
        "signature": signature,
        "input": case["input"],
        "method": wire["method"],
        "query": query,
        "body": _pairs(raw_body) if raw_body else [],
        "content_type": wire["content_type"],
    }


def _record_all(cases):
    """Every case sent by the installed SDK under V3 and then V1."""
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    try:
        vectors = []
        for signature in ("v3", "v1"):
            config = Config(
                access_key_id="testAccessKeyId",
                access_key_secret="testAccessKeySecret",
                endpoint=f"127.0.0.1:{port}",
                protocol="http",
            )
            if signature == "v1":
                config.signature_algorithm = "v2"  # the SDK's name of the HMAC-SHA1 signature
            client = Client(config)
            for case in cases:
                vectors.append(_record(client, case, signature))
        return vectors
    finally:
        server.shutdown()
        server.server_close()


def _emit_retired():
    """`--emit-retired`: run under the SDK version that still sends the retired operations;
    prints their recorded cases as JSON."""
    version = metadata.version(PACKAGE)
    wanted = {op for op, v in RETIRED.items() if v == version}
    if not wanted:
        raise SystemExit(f"{PACKAGE} {version} is installed; the retired operations need {sorted(set(RETIRED.values()))}")
    cases = filled_cases(wanted)
    if {c["operation"] for c in cases} != wanted:
        raise SystemExit(f"{PACKAGE} {version} does not send all of {sorted(wanted)}")
    vectors = _record_all(cases)
    for v in vectors:
        v["sdk_version"] = version
    json.dump(vectors, sys.stdout, ensure_ascii=False)


def main():
    args = sys.argv[1:]
    if args == ["--emit-retired"]:
        _emit_retired()
        return
    options = dict(zip(args[::2], args[1::2]))
    if len(args) % 2 or "--retired-python" not in options or set(options) - {"--retired-python", "--out"}:
        raise SystemExit(__doc__)
    out = options.get("--out", OUT)
    vectors = _record_all(CASES + filled_cases())
    retired = subprocess.run(
        [options["--retired-python"], os.path.abspath(__file__), "--emit-retired"],
        check=True,
        capture_output=True,
        text=True,
    )
    vectors += json.loads(retired.stdout)

    version = metadata.version(PACKAGE)
    data = {
        "about": (
            f"Wire parameters sent by the official Python SDK ({PACKAGE} {version}) for API-shaped "
            f"inputs, each case under the V3 signature (ACS3-HMAC-SHA256, the default) and the V1 "
            f"one (HMAC-SHA1, the SDK's signature_algorithm 'v2'), recorded on {RECORDED_ON} "
            "against a local server by scripts/record_official_vectors.py. query / body: the "
            "decoded URL query and form-body pairs in wire order, the business parameters only "
            "(V3 signs in headers; V1's signing parameters, which vary per request, are left out "
            "of the query). Requests are built with <Op>Request().from_map(input); list-of-model "
            "fields that from_map sets to [] although the input omits them are reset to None first."
        ),
        "sdk": {"package": PACKAGE, "version": version},
        "retired": [{"operation": op, "sdk_version": v} for op, v in sorted(RETIRED.items())],
        "cases": vectors,
    }
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    ops = sorted({v["operation"] for v in vectors})
    print(f"wrote {len(vectors)} cases ({len(ops)} operations) to {os.path.normpath(out)}", file=sys.stderr)


if __name__ == "__main__":
    main()
