"""The official Python SDK's side of `scripts/compare-python.sh`.

Usage:
  official_bench.py parse PAGE.json N       best µs per json.loads + from_map of the page
  official_bench.py sign N                  best µs per v3, v1 and SM3 signing step
  official_bench.py list HOST:PORT AK SECRET [v3|v2]
                                            pages through every restore job (99 per page)
                                            and prints them as one JSON array on stdout

The signing figures time what the SDK does per request to sign it: under v3, hashing the
(empty) payload and `Utils.get_authorization` (canonical request, string to sign, HMAC);
under v1, `Utils.get_rpcsignature` over the signed parameters; under SM3 the v3 step with
`ACS3-HMAC-SM3`. The request is the one the
Rust side signs (DescribeRestoreJobs2 with 8 parameters).
"""
import json
import sys
import time

from alibabacloud_hbr20170908 import models
from alibabacloud_hbr20170908.client import Client
from alibabacloud_tea_openapi.models import Config
from alibabacloud_tea_openapi.utils import Utils
from darabonba.request import DaraRequest
from darabonba.runtime import RuntimeOptions
from darabonba.utils.bytes import Bytes as DaraBytes


def best_us(fn, n, batches=5):
    best = float("inf")
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - start) * 1e6 / n)
    return best


def parse(path, n):
    with open(path, encoding="utf-8") as f:
        text = f.read()

    def one():
        body = models.DescribeRestoreJobs2ResponseBody().from_map(json.loads(text))
        assert len(body.restore_jobs.restore_job) == 99
        return body

    print(f"parse-typed {best_us(one, n):.3f}")


QUERY = {
    "PageNumber": "1",
    "PageSize": "10",
    "Filters.1.Key": "VaultId",
    "Filters.1.Values.1": "v-0006abcdq",
    "Filters.2.Key": "Status",
    "Filters.2.Operator": "IN",
    "Filters.2.Values.1": "COMPLETE",
    "Filters.2.Values.2": "FAILED",
}


def sign(n):
    request = DaraRequest()
    request.method = "POST"
    request.pathname = "/"
    request.query = dict(QUERY)
    request.headers = {
        "host": "hbr.cn-hangzhou.aliyuncs.com",
        "x-acs-version": "2017-09-08",
        "x-acs-action": "DescribeRestoreJobs2",
        "user-agent": "AlibabaCloud (Linux; x86_64) Python/3.11 Core/0.4 TeaDSL/2",
        "x-acs-date": "2024-01-01T00:00:00Z",
        "x-acs-signature-nonce": "0123456789abcdef0123456789abcdef",
        "accept": "application/json",
    }
    def acs3(algorithm):
        payload = Utils.hash(DaraBytes.from_("", "utf-8"), algorithm)
        return Utils.get_authorization(
            request, algorithm, payload.hex(), "testAccessKeyId", "testAccessKeySecret"
        )

    def v3():
        return acs3("ACS3-HMAC-SHA256")

    def sm3():
        return acs3("ACS3-HMAC-SM3")

    params = dict(QUERY)
    params.update({
        "Action": "DescribeRestoreJobs2",
        "Format": "json",
        "Version": "2017-09-08",
        "Timestamp": "2024-01-01T00:00:00Z",
        "SignatureNonce": "0123456789abcdef0123456789abcdef",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "AccessKeyId": "testAccessKeyId",
    })

    def v1():
        return Utils.get_rpcsignature(params, "POST", "testAccessKeySecret")

    print(f"sign-v3 {best_us(v3, n):.3f}")
    print(f"sign-v1 {best_us(v1, n):.3f}")
    print(f"sign-sm3 {best_us(sm3, n):.3f}")


def list_jobs(endpoint, key_id, secret, signature="v3"):
    config = Config(access_key_id=key_id, access_key_secret=secret, endpoint=endpoint, protocol="http")
    if signature == "v2":
        config.signature_algorithm = "v2"
    client = Client(config)
    out = sys.stdout
    out.write("[")
    first = True
    page_number = 1
    seen = 0
    while True:
        body = client.describe_restore_jobs_2with_options(
            models.DescribeRestoreJobs2Request(page_number=page_number, page_size=99), RuntimeOptions()
        ).body
        jobs = body.restore_jobs.restore_job if body.restore_jobs else []
        for job in jobs:
            out.write("\n" if first else ",\n")
            first = False
            json.dump(job.to_map(), out)
        seen += len(jobs)
        if not jobs or seen >= (body.total_count or 0):
            break
        page_number += 1
    out.write("\n]\n")


def main():
    command = sys.argv[1]
    if command == "parse":
        parse(sys.argv[2], int(sys.argv[3]))
    elif command == "sign":
        sign(int(sys.argv[2]))
    elif command == "list":
        list_jobs(*sys.argv[2:])
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
