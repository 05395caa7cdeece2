//! `Format=XML` answers: parsed by a strict XML reader (roxmltree) and read back into JSON, they
//! hold the content of the JSON answer to the same request. The root element is the action
//! plus `Response` (`Error` for errors), arrays are repeated elements named as the JSON
//! wrappers name them (the typed client's `RestoreJobs: {RestoreJob: [...]}` rule, which the
//! registry states per pageable operation), the typed responses read the same values from
//! both, and the content type is `text/xml`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use hbr_runtime::signing::SignatureVersion;
use serde_json::{Map, Value};

/// The element's text (a leaf), or its children read with `shape`, the JSON answer's value at
/// the same place: the n-th child whose JSON counterpart is an array is read as its n-th item.
fn read_back(node: roxmltree::Node<'_, '_>, shape: &Value) -> Value {
    let Value::Object(fields) = shape else {
        return Value::String(node.text().unwrap_or_default().to_owned());
    };
    let mut out = Map::new();
    for child in node.children().filter(roxmltree::Node::is_element) {
        let name = child.tag_name().name();
        match fields.get(name) {
            Some(Value::Array(items)) => {
                let slot = out.entry(name).or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(list) = slot {
                    let shape = items.get(list.len()).unwrap_or(&Value::Null);
                    list.push(read_back(child, shape));
                }
            }
            other => {
                let before = out.insert(
                    name.to_owned(),
                    read_back(child, other.unwrap_or(&Value::Null)),
                );
                assert!(
                    before.is_none(),
                    "<{name}> repeated where the JSON has no array"
                );
            }
        }
    }
    // An array whose items are all gone (empty) has no element: it is empty.
    for (name, value) in fields {
        if value.is_array() {
            out.entry(name.clone())
                .or_insert_with(|| Value::Array(Vec::new()));
        }
    }
    Value::Object(out)
}

/// The JSON answer with every scalar as the text XML gives it and `null`s left out.
fn as_text(value: &Value) -> Value {
    match value {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), as_text(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(as_text).collect()),
        Value::String(s) => Value::String(s.clone()),
        other => Value::String(other.to_string()),
    }
}

async fn both(
    c: &reqwest::Client,
    emu: &hbr_emulator::RunningEmulator,
    version: SignatureVersion,
    action: &str,
    params: &[(&str, &str)],
) -> (Resp, Resp) {
    let mut json_call = Call::placed(version, action, &pairs(params));
    let json = call(c, emu, &json_call).await;
    // `Format=XML` in the URL query (any case); the v1 signer's own `Format=json` comes first,
    // so the last one, XML, is the one signed and read.
    json_call.query.push(("Format".into(), "xMl".into()));
    let xml = call(c, emu, &json_call).await;
    (json, xml)
}

/// Parses an XML answer and checks it against the JSON answer; returns the read-back JSON.
fn same_content(action: &str, json: &Resp, xml: &Resp) -> Value {
    assert_eq!(xml.status, json.status, "{action}");
    assert_eq!(
        xml.header("content-type"),
        Some("text/xml;charset=utf-8"),
        "{action}"
    );
    assert!(xml.header("x-acs-request-id").is_some());
    let text = std::str::from_utf8(&xml.body).unwrap();
    assert!(
        text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
        "{text}"
    );
    let doc = roxmltree::Document::parse(text)
        .unwrap_or_else(|e| panic!("{action}: not XML ({e}): {text}"));
    let root = doc.root_element();
    let expected_root = if json.status == 200 {
        format!("{action}Response")
    } else {
        "Error".to_owned()
    };
    assert_eq!(root.tag_name().name(), expected_root);
    let mut want = as_text(&json.json());
    let mut got = read_back(root, &want);
    // Each answer has its own request id (and, for errors, a recommendation naming it).
    assert_eq!(
        got["RequestId"].as_str(),
        xml.header("x-acs-request-id"),
        "{action}"
    );
    for field in ["RequestId", "Recommend"] {
        if let (Some(w), Some(g)) = (want.as_object_mut(), got.as_object_mut()) {
            w.remove(field);
            g.remove(field);
        }
    }
    assert_eq!(
        got, want,
        "{action}: the XML answer's content differs from the JSON's"
    );
    read_back(root, &json.json())
}

#[tokio::test]
async fn xml_answers_hold_the_json_content() {
    let emu = start(60, 5).await;
    let c = client();
    let cases: [(&str, &[(&str, &str)]); 6] = [
        (
            "DescribeRestoreJobs2",
            &[("PageSize", "7"), ("PageNumber", "2")],
        ),
        (
            "DescribeRestoreJobs2",
            &[
                ("Filters.1.Key", "Status"),
                ("Filters.1.Values.1", "NO-SUCH-STATUS"),
            ],
        ),
        ("DescribeVaults", &[("PageSize", "3")]),
        ("DescribeBackupPlans", &[("PageSize", "4")]),
        (
            "SearchHistoricalSnapshots",
            &[
                ("SourceType", "ECS_FILE"),
                (
                    "Query",
                    r#"[{"field":"VaultId","value":"nope","operation":"MATCH_TERM"}]"#,
                ),
            ],
        ),
        ("DescribeRegions", &[]),
    ];
    for version in SignatureVersion::ALL {
        for (action, params) in cases {
            let (json, xml) = both(&c, &emu, version, action, params).await;
            assert_eq!(
                json.status,
                200,
                "{action}: {}",
                String::from_utf8_lossy(&json.body)
            );
            let read = same_content(action, &json, &xml);
            // The typed response reads the same from both (its integers and booleans from the
            // XML's text).
            let op = hbr_client::registry::find(action).unwrap();
            let typed_json = (op.decode)(&json.body).unwrap();
            let typed_xml = (op.decode)(&serde_json::to_vec(&read).unwrap()).unwrap();
            let strip = |mut v: Value| {
                v.as_object_mut().map(|m| m.remove("RequestId"));
                v
            };
            assert_eq!(strip(typed_xml), strip(typed_json), "{version} {action}");
            // The items travel as the registry's wrapper rule says: <Items><Item>…</Item>…
            if let Some(paging) = &op.paging {
                let doc =
                    roxmltree::Document::parse(std::str::from_utf8(&xml.body).unwrap()).unwrap();
                let items = doc
                    .root_element()
                    .children()
                    .find(|n| n.has_tag_name(paging.items))
                    .unwrap();
                let expected = match paging.wrapper {
                    Some(w) => json.json()[paging.items][w].as_array().map_or(0, Vec::len),
                    None => json.json()[paging.items].as_array().map_or(0, Vec::len),
                };
                let count = match paging.wrapper {
                    Some(w) => items.children().filter(|n| n.has_tag_name(w)).count(),
                    None => doc
                        .root_element()
                        .children()
                        .filter(|n| n.has_tag_name(paging.items))
                        .count(),
                };
                assert_eq!(count, expected, "{version} {action}");
            }
        }
    }
}

#[tokio::test]
async fn xml_errors_have_the_service_shape() {
    let emu = start(20, 1).await;
    let c = client();
    for version in SignatureVersion::ALL {
        // A parameter error.
        let (json, xml) = both(
            &c,
            &emu,
            version,
            "DescribeRestoreJobs2",
            &[("PageSize", "500")],
        )
        .await;
        json.assert_error(400, "InvalidParameter");
        let read = same_content("DescribeRestoreJobs2", &json, &xml);
        assert_eq!(read["Code"], "InvalidParameter");
        // A signature error: the format is read before the signature is checked.
        let mut wrong = Call::new(version, &[("Format", "XML")]);
        wrong.key.secret = "not-the-secret";
        let resp = call(&c, &emu, &wrong).await;
        assert_eq!(resp.status, 400);
        assert_eq!(resp.header("content-type"), Some("text/xml;charset=utf-8"));
        let text = String::from_utf8(resp.body.clone()).unwrap();
        let doc = roxmltree::Document::parse(&text).unwrap();
        let code = doc
            .root_element()
            .children()
            .find(|n| n.has_tag_name("Code"))
            .and_then(|n| n.text());
        assert_eq!(
            (doc.root_element().tag_name().name(), code),
            ("Error", Some("SignatureDoesNotMatch")),
            "{text}"
        );
    }
    // A form body asking XML: the Node.js client's way of sending it.
    let mut in_body = Call::new(SignatureVersion::V3, &[]);
    in_body.action = "DescribeVaults";
    in_body.form = Some(pairs(&[("Format", "XML")]));
    let resp = call(&c, &emu, &in_body).await;
    assert_eq!(resp.header("content-type"), Some("text/xml;charset=utf-8"));
    // Format=JSON, or anything else, keeps JSON.
    for value in ["JSON", "json", "yaml"] {
        let resp = call(
            &c,
            &emu,
            &Call::new(SignatureVersion::V3, &[("Format", value)]),
        )
        .await;
        assert_eq!(resp.status, 200);
        assert_common_headers(&resp);
    }
}
