"""Drives an HBR endpoint with the legacy Python SDK (aliyun-python-sdk-core +
aliyun-python-sdk-hbr, HMAC-SHA1), unchanged.

Usage: legacy_sdk.py HOST PORT ACCESS_KEY_ID ACCESS_KEY_SECRET GET|POST

Every request is sent with the given HTTP method (the SDK's own choice is POST; GET puts every
parameter in the URL query). Prints one JSON object with what it saw: two pages of
DescribeRestoreJobs2, a filtered listing, a vault created and then listed, a page and an error
asked in XML (`set_accept_format('XML')` with `do_action`, since `do_action_with_exception`
forces JSON; parsed with the standard library), and an error.
"""
import json
import sys
import warnings
import xml.etree.ElementTree as ET

from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkhbr.request.v20170908.CreateVaultRequest import CreateVaultRequest
from aliyunsdkhbr.request.v20170908.DescribeRestoreJobs2Request import DescribeRestoreJobs2Request
from aliyunsdkhbr.request.v20170908.DescribeVaultsRequest import DescribeVaultsRequest


def main():
    host, port, key_id, secret, method = sys.argv[1:6]
    client = AcsClient(key_id, secret, "cn-hangzhou", port=int(port), auto_retry=False)

    def send(request, fmt=None):
        request.set_endpoint(host)
        request.set_protocol_type("http")
        request.set_method(method)
        if fmt is None:
            return client.do_action_with_exception(request)
        request.set_accept_format(fmt)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return client.do_action(request)

    def jobs(page_number, page_size, filters=None):
        request = DescribeRestoreJobs2Request()
        request.set_PageNumber(page_number)
        request.set_PageSize(page_size)
        if filters:
            request.set_Filterss(filters)
        return json.loads(send(request))

    pages = [jobs(n, 5) for n in (1, 2)]
    failed = jobs(1, 99, [{"Key": "Status", "Operator": "IN", "Values": ["FAILED"]}])

    create = CreateVaultRequest()
    create.set_VaultRegionId("cn-hangzhou")
    create.set_VaultName(f"legacy {method} ü/*")
    vault_id = json.loads(send(create))["VaultId"]
    listed = DescribeVaultsRequest()
    listed.set_VaultId(vault_id)
    vaults = json.loads(send(listed))["Vaults"]["Vault"]

    as_xml = DescribeRestoreJobs2Request()
    as_xml.set_PageSize(3)
    root = ET.fromstring(send(as_xml, "XML"))
    xml_error = DescribeRestoreJobs2Request()
    xml_error.set_PageSize(500)
    error_root = ET.fromstring(send(xml_error, "XML"))

    too_big = DescribeRestoreJobs2Request()
    too_big.set_PageSize(500)
    try:
        send(too_big)
        error = None
    except ServerException as e:
        error = {"code": e.get_error_code(), "status": e.get_http_status(), "request_id": e.get_request_id()}

    print(json.dumps({
        "pages": [[j["RestoreId"] for j in p["RestoreJobs"]["RestoreJob"]] for p in pages],
        "total": pages[0]["TotalCount"],
        "failed_total": failed["TotalCount"],
        "failed_statuses": sorted({j["Status"] for j in failed["RestoreJobs"]["RestoreJob"]}),
        "vault_id": vault_id,
        "vaults": [{"VaultId": v["VaultId"], "VaultName": v["VaultName"]} for v in vaults],
        "xml_root": root.tag,
        "xml_total": root.findtext("TotalCount"),
        "xml_ids": [j.findtext("RestoreId") for j in root.find("RestoreJobs").findall("RestoreJob")],
        "xml_error": [error_root.tag, error_root.findtext("Code")],
        "error": error,
    }))


if __name__ == "__main__":
    main()
