#!/usr/bin/env python3
"""Record requests the official Python SDK signs with ACS3-HMAC-SM3.

Writes `tests/vectors/sm3-vectors.json`, which `runtime/tests/signing_sm3.rs` signs again
byte for byte (query, every header, body) and verifies, and which the `hbr --signature sm3`
test compares the command's requests with.

Run it with the official SDK installed in a virtual environment outside the repository:

    python3 -m venv /work/.venv-official
    /work/.venv-official/bin/pip install alibabacloud-hbr20170908==2.7.1
    /work/.venv-official/bin/python scripts/record_sm3_vectors.py

Each case builds the SDK request with `<Op>Request().from_map(input)` from the API-shaped
input and calls `client.<op>_with_options(request, RuntimeOptions())` with
`Config(signature_algorithm='ACS3-HMAC-SM3')` against a local recording HTTP server. What
arrived is recorded as it was: method, path, raw query, every header (lowercased names, in
arrival order) and the body. The date and nonce the SDK signed with are in the recorded
`x-acs-date` and `x-acs-signature-nonce` headers, so a signer given them must reproduce the
`authorization` header exactly. Running the script again records new dates and nonces.
"""

import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib import metadata

from alibabacloud_hbr20170908 import models as hbr_models
from alibabacloud_hbr20170908.client import Client
from alibabacloud_tea_openapi.models import Config
from darabonba.runtime import RuntimeOptions

from record_official_vectors import _method_for, _unset_absent_lists

PACKAGE = "alibabacloud-hbr20170908"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "vectors", "sm3-vectors.json")
ACCESS_KEY_ID = "testAccessKeyId"
ACCESS_KEY_SECRET = "testAccessKeySecret"

CASES = [
    {"name": "empty", "operation": "DescribeRestoreJobs2", "input": {}},
    {"name": "paging", "operation": "DescribeRestoreJobs2", "input": {"PageNumber": 2, "PageSize": 99}},
    {
        "name": "filters with awkward values",
        "operation": "DescribeRestoreJobs2",
        "input": {
            "RestoreType": "OSS",
            "Filters": [
                {"Key": "VaultId", "Operator": "EQUAL", "Values": ["v-1"]},
                {"Key": "Bucket", "Operator": "IN", "Values": ["b 1", "b/2", "ü~*"]},
            ],
        },
    },
    {
        "name": "form body (Tag) beside query parameters",
        "operation": "DescribeVaults",
        "input": {"PageSize": 5, "Tag": [{"Key": "env", "Value": "prod ü/*"}]},
    },
    {
        "name": "form body only, awkward values",
        "operation": "DescribePoliciesV2",
        "input": {"PolicyId": "po-000000zemmvqbvqyqg0n", "MaxResults": 20, "NextToken": "next/page ü*"},
    },
    {
        "name": "STS token",
        "operation": "DescribeRestoreJobs2",
        "input": {"PageSize": 10},
        "security_token": "CAIS-sts-token/+=",
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
                "headers": [[k.lower(), v] for k, v in self.headers.items()],
                "body": body,
            }
        )
        payload = b'{"RequestId":"X","Success":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json;charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = _handle

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


def main():
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    vectors = []
    try:
        for case in CASES:
            config = Config(
                access_key_id=ACCESS_KEY_ID,
                access_key_secret=ACCESS_KEY_SECRET,
                security_token=case.get("security_token"),
                endpoint=f"127.0.0.1:{port}",
                protocol="http",
                signature_algorithm="ACS3-HMAC-SM3",
            )
            client = Client(config)
            op = case["operation"]
            given = json.loads(json.dumps(case["input"]))
            request = getattr(hbr_models, f"{op}Request")().from_map(given)
            _unset_absent_lists(request, given)
            before = len(_recorded)
            _method_for(client, op)(request, RuntimeOptions())
            if len(_recorded) != before + 1:
                raise SystemExit(f"{op}: expected exactly one request, saw {len(_recorded) - before}")
            wire = _recorded[-1]
            path, _, raw_query = wire["path"].partition("?")
            vectors.append(
                {
                    "name": case["name"],
                    "operation": op,
                    "signature": "sm3",
                    "input": case["input"],
                    "security_token": case.get("security_token"),
                    "wire": {
                        "method": wire["method"],
                        "path": path,
                        "raw_query": raw_query,
                        "headers": wire["headers"],
                        "body": wire["body"].decode("utf-8"),
                    },
                }
            )
    finally:
        server.shutdown()
        server.server_close()

    version = metadata.version(PACKAGE)
    data = {
        "about": (
            f"Requests signed with ACS3-HMAC-SM3 by the official Python SDK ({PACKAGE} {version}, "
            "Config(signature_algorithm='ACS3-HMAC-SM3')), recorded against a local server by "
            "scripts/record_sm3_vectors.py: the request in the API's shape and what arrived on the "
            "wire (headers lowercased, in arrival order). The date and nonce signed are the "
            "x-acs-date and x-acs-signature-nonce headers."
        ),
        "sdk": {"package": PACKAGE, "version": version},
        "access_key_id": ACCESS_KEY_ID,
        "access_key_secret": ACCESS_KEY_SECRET,
        "vectors": vectors,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {len(vectors)} vectors to {os.path.normpath(OUT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
