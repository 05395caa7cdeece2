"""Calls DescribeRestoreJobs2 on an HBR endpoint with the official Python SDK, unchanged.

Usage: official_sdk_call.py ENDPOINT(host:port) ACCESS_KEY_ID ACCESS_KEY_SECRET v3|v2|sm3

Prints one JSON line: the response body's TotalCount, the first page's RestoreIds, and the
ids of a filtered query, so the caller can compare them with what it expects.
"""
import json
import sys

from alibabacloud_hbr20170908.client import Client
from alibabacloud_hbr20170908 import models
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_util.models import RuntimeOptions


def main():
    endpoint, key_id, secret, signature = sys.argv[1:5]
    config = Config(access_key_id=key_id, access_key_secret=secret, endpoint=endpoint, protocol="http")
    # v3 is the SDK's default (ACS3-HMAC-SHA256); v2 its legacy HMAC-SHA1; sm3 ACS3-HMAC-SM3.
    config.signature_algorithm = {"v3": None, "v2": "v2", "sm3": "ACS3-HMAC-SM3"}[signature]
    client = Client(config)
    page = client.describe_restore_jobs_2with_options(
        models.DescribeRestoreJobs2Request(page_number=1, page_size=20), RuntimeOptions()
    ).body
    ids = [j.restore_id for j in page.restore_jobs.restore_job]
    filtered = client.describe_restore_jobs_2with_options(
        models.DescribeRestoreJobs2Request(
            page_size=99,
            filters=[models.DescribeRestoreJobs2RequestFilters(key="Status", operator="IN", values=["FAILED"])],
        ),
        RuntimeOptions(),
    ).body
    print(json.dumps({
        "total": page.total_count,
        "ids": ids,
        "failed_total": filtered.total_count,
        "failed_statuses": sorted({j.status for j in filtered.restore_jobs.restore_job}),
    }))


if __name__ == "__main__":
    main()
