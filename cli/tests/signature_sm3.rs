//! `hbr --signature sm3 call ...` against the requests the official Python SDK signed with
//! ACS3-HMAC-SM3 (`tests/vectors/sm3-vectors.json`): for each recorded request, `hbr` is run
//! with the same input against a local server that keeps what arrives. Its query and body are
//! the recorded bytes, it signs the same headers, and its `authorization` and payload hash are
//! what the runtime's signer gives for the date, nonce and user agent `hbr` sent: the signer
//! `runtime/tests/signing_sm3.rs` pins byte for byte to the same recorded requests. The
//! server's verifier accepts each request as it arrived.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use hbr_runtime::signing::decode::parse_form;
use hbr_runtime::signing::{
    sign, verify, IncomingRequest, RequestToSign, SignatureVersion, SigningKey,
};
use serde_json::Value;
use support::{hbr_with, stderr};

/// One request as it arrived.
struct Arrived {
    method: String,
    query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Arrived {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A server on 127.0.0.1 that answers one request with a minimal success body and sends what
/// arrived through the channel.
fn capture_once() -> (String, mpsc::Receiver<Arrived>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let target = parts.next().unwrap_or_default();
        let query = target.split_once('?').map_or("", |(_, q)| q).to_owned();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap();
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((n, v)) = h.split_once(':') {
                headers.push((n.trim().to_ascii_lowercase(), v.trim().to_owned()));
            }
        }
        let len: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let answer = r#"{"RequestId":"X","Success":true,"Code":"200","Message":"successful"}"#;
        let mut out = stream;
        let _ = write!(
            out,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json;charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{answer}",
            answer.len()
        );
        let _ = tx.send(Arrived {
            method,
            query,
            headers,
            body,
        });
    });
    (url, rx)
}

fn signed_header_names(authorization: &str) -> Vec<&str> {
    authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .map(|names| names.split(';').collect())
        .unwrap_or_default()
}

#[test]
fn hbr_signs_with_sm3_as_the_official_sdk_does() {
    let doc: Value =
        serde_json::from_str(include_str!("../../tests/vectors/sm3-vectors.json")).unwrap();
    let (ak, secret) = (
        doc["access_key_id"].as_str().unwrap(),
        doc["access_key_secret"].as_str().unwrap(),
    );
    let vectors = doc["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 6);
    for vector in vectors {
        let name = vector["name"].as_str().unwrap();
        let wire = &vector["wire"];
        let recorded = |n: &str| -> Option<&str> {
            wire["headers"]
                .as_array()?
                .iter()
                .find(|h| h[0] == n)
                .and_then(|h| h[1].as_str())
        };
        let token = vector["security_token"].as_str();
        let (url, arrived) = capture_once();
        let input = vector["input"].to_string();
        let operation = vector["operation"].as_str().unwrap();
        let mut vars = vec![
            ("ALIBABA_CLOUD_ACCESS_KEY_ID", ak),
            ("ALIBABA_CLOUD_ACCESS_KEY_SECRET", secret),
        ];
        if let Some(token) = token {
            vars.push(("ALIBABA_CLOUD_SECURITY_TOKEN", token));
        }
        let out = hbr_with(
            &[
                "--endpoint",
                &url,
                "--signature",
                "sm3",
                "call",
                operation,
                "--input",
                &input,
            ],
            false,
            &vars,
        );
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        let got = arrived.recv().unwrap();

        // The same bytes on the wire as the official SDK.
        assert_eq!(got.method, wire["method"], "{name}");
        assert_eq!(got.query, wire["raw_query"], "{name}: query");
        assert_eq!(
            got.body,
            wire["body"].as_str().unwrap().as_bytes(),
            "{name}: body"
        );
        assert_eq!(
            got.header("content-type"),
            recorded("content-type"),
            "{name}"
        );
        let ours = got.header("authorization").unwrap();
        let theirs = recorded("authorization").unwrap();
        assert!(
            ours.starts_with("ACS3-HMAC-SM3 Credential=testAccessKeyId,"),
            "{name}: {ours}"
        );
        assert_eq!(
            signed_header_names(ours),
            signed_header_names(theirs),
            "{name}"
        );

        // The signature is what the pinned signer gives for what hbr sent.
        let query = parse_form(got.query.as_bytes()).unwrap();
        let form = parse_form(&got.body).unwrap();
        let header = |n: &str| got.header(n).unwrap_or_default();
        let key = SigningKey {
            access_key_id: ak,
            access_key_secret: secret,
            security_token: token,
            provider_name: header("x-acs-credentials-provider"),
        };
        let req = RequestToSign {
            host: header("host"),
            action: header("x-acs-action"),
            version: header("x-acs-version"),
            user_agent: header("user-agent"),
            query: &query,
            form: got.header("content-type").map(|_| form.as_slice()),
            timestamp: header("x-acs-date"),
            nonce: header("x-acs-signature-nonce"),
            retry: None,
        };
        let expected = sign(SignatureVersion::V3Sm3, &key, &req);
        for (n, v) in &expected.headers {
            assert_eq!(got.header(n), Some(v.as_str()), "{name}: header {n}");
        }
        let verified = verify(
            &IncomingRequest {
                method: &got.method,
                path: "/",
                raw_query: &got.query,
                headers: &got.headers,
                body: &got.body,
            },
            &|id| (id == ak).then(|| secret.to_owned()),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(verified.signature_version, SignatureVersion::V3Sm3);
        assert_eq!(verified.security_token.as_deref(), token, "{name}");
    }
}

#[test]
fn sm3_is_a_signature_choice_and_others_are_refused() {
    let out = hbr_with(&["--help"], false, &[]);
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("sm3"), "{help}");
    let out = hbr_with(&["--signature", "sm2", "call", "--list"], false, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("sm3"), "{}", stderr(&out));
}
