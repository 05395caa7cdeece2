//! XML answers, for requests that ask `Format=XML` (the legacy SDKs'
//! `set_accept_format('XML')`), in the service's shape: the JSON answer written as elements.
//!
//! - A success answer's root element is the action's name plus `Response`
//!   (`<DescribeVaultsResponse>`), an error's is `<Error>`; the root holds one element per
//!   field of the JSON answer, in its order.
//! - An object is an element holding one element per field; a string, number or boolean is an
//!   element holding its text (`true`, `10`); `null` is left out, as an absent field.
//! - An array is its items, each an element named after the array's field, side by side: the
//!   JSON wrapper `"Vaults": {"Vault": [a, b]}` becomes
//!   `<Vaults><Vault>a</Vault><Vault>b</Vault></Vaults>`, an empty one `<Vaults></Vaults>`.
//!
//! The text is escaped (`&`, `<`, `>`, and carriage returns, which XML readers would
//! otherwise turn into line feeds); characters XML 1.0 cannot carry (control characters other
//! than tab and line ends, U+FFFE, U+FFFF) become U+FFFD. A field name that is no XML name
//! has its other characters replaced with `_`. No input makes this panic.

use std::borrow::Cow;

use hbr_runtime::signing::decode::form_decode;
use hbr_runtime::signing::FORM_CONTENT_TYPE;
use hyper::header::CONTENT_TYPE;
use hyper::http::request::Parts;
use serde_json::Value;

/// The content type of XML answers.
pub(crate) const CONTENT_TYPE_XML: &str = "text/xml;charset=utf-8";

/// The format an answer is written in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Format {
    /// JSON, unless the request asks otherwise.
    #[default]
    Json,
    /// XML, for `Format=XML` (any case).
    Xml,
}

/// The last `Format` among `a=b&c=d` pairs, segments that do not decode skipped.
fn format_param(raw: &[u8]) -> Option<String> {
    raw.split(|&b| b == b'&').rev().find_map(|seg| {
        let eq = seg.iter().position(|&b| b == b'=')?;
        let key = form_decode(&seg[..eq]).ok()?;
        (key == "Format").then(|| form_decode(&seg[eq + 1..]).ok())?
    })
}

impl Format {
    /// The format the request asks for: `Format` in its form body (when `body` is given and
    /// is a form) or else its URL query; XML when that says `XML` in any case, JSON otherwise.
    pub(crate) fn requested(head: &Parts, body: Option<&[u8]>) -> Self {
        let is_form = head
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                ct.split(';')
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .eq_ignore_ascii_case(FORM_CONTENT_TYPE)
            });
        let from_body = body.filter(|_| is_form).and_then(format_param);
        let asked =
            from_body.or_else(|| format_param(head.uri.query().unwrap_or_default().as_bytes()));
        match asked {
            Some(f) if f.eq_ignore_ascii_case("xml") => Self::Xml,
            _ => Self::Json,
        }
    }
}

/// The XML document of a JSON answer, under the root element `root`. Bytes that are no JSON
/// (never produced by the emulator) are carried as the root's text.
pub(crate) fn from_json(root: &str, json: &[u8]) -> Vec<u8> {
    let mut out = String::with_capacity(json.len() + json.len() / 2 + 64);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    match serde_json::from_slice::<Value>(json) {
        Ok(Value::Object(fields)) => {
            let root = element_name(root);
            open(&mut out, &root);
            for (name, value) in &fields {
                write_value(&mut out, name, value);
            }
            close(&mut out, &root);
        }
        Ok(other) => write_value(&mut out, root, &other),
        Err(_) => write_value(
            &mut out,
            root,
            &Value::String(String::from_utf8_lossy(json).into_owned()),
        ),
    }
    out.into_bytes()
}

fn write_value(out: &mut String, name: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                write_value(out, name, item);
            }
        }
        Value::Object(fields) => {
            let name = element_name(name);
            open(out, &name);
            for (field, v) in fields {
                write_value(out, field, v);
            }
            close(out, &name);
        }
        Value::String(s) => leaf(out, name, s),
        Value::Bool(b) => leaf(out, name, if *b { "true" } else { "false" }),
        Value::Number(n) => leaf(out, name, &n.to_string()),
    }
}

fn leaf(out: &mut String, name: &str, text: &str) {
    let name = element_name(name);
    open(out, &name);
    escape_text_into(out, text);
    close(out, &name);
}

fn open(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Whether XML 1.0 can carry `c` in text.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

fn escape_text_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
}

/// `name` as an XML element name: letters, digits, `_`, `-` and `.`, starting with a letter
/// or `_`; any other character becomes `_`.
fn element_name(name: &str) -> Cow<'_, str> {
    let start_ok = |c: char| c.is_alphabetic() || c == '_';
    let rest_ok = |c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '.');
    let valid = name.chars().next().is_some_and(start_ok) && name.chars().all(rest_ok);
    if valid {
        return Cow::Borrowed(name);
    }
    let mut fixed: String = name
        .chars()
        .map(|c| if rest_ok(c) { c } else { '_' })
        .collect();
    if !fixed.chars().next().is_some_and(start_ok) {
        fixed.insert(0, '_');
    }
    Cow::Owned(fixed)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn xml(root: &str, json: &str) -> String {
        String::from_utf8(from_json(root, json.as_bytes())).unwrap()
    }

    #[test]
    fn wrappers_become_repeated_elements() {
        let doc = xml(
            "DescribeVaultsResponse",
            r#"{"RequestId":"R","Success":true,"TotalCount":2,"Vaults":{"Vault":[{"VaultId":"v-1"},{"VaultId":"v-2"}]},"Gone":null}"#,
        );
        assert_eq!(
            doc,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeVaultsResponse><RequestId>R</RequestId><Success>true</Success><TotalCount>2</TotalCount><Vaults><Vault><VaultId>v-1</VaultId></Vault><Vault><VaultId>v-2</VaultId></Vault></Vaults></DescribeVaultsResponse>"
        );
        let empty = xml("R", r#"{"Vaults":{"Vault":[]}}"#);
        assert!(empty.ends_with("<R><Vaults></Vaults></R>"), "{empty}");
    }

    #[test]
    fn text_and_names_are_made_safe() {
        let doc = xml("R", r#"{"A":"<b> & \"c\"\r\n\u0001\t","9x y":"1","":2}"#);
        assert!(
            doc.contains("<A>&lt;b&gt; &amp; \"c\"&#13;\n\u{FFFD}\t</A>"),
            "{doc}"
        );
        assert!(doc.contains("<_9x_y>1</_9x_y>"), "{doc}");
        assert!(doc.contains("<_>2</_>"), "{doc}");
        // Not JSON at all: carried as text.
        assert!(xml("R", "<x>").ends_with("<R>&lt;x&gt;</R>"));
    }

    #[test]
    fn the_format_is_read_from_the_body_or_the_query() {
        let head = |uri: &str, form: bool| {
            let mut b = hyper::Request::builder().uri(uri);
            if form {
                b = b.header(
                    CONTENT_TYPE,
                    "application/x-www-form-urlencoded; charset=utf-8",
                );
            }
            b.body(()).unwrap().into_parts().0
        };
        assert_eq!(
            Format::requested(&head("/?Format=xml", false), None),
            Format::Xml
        );
        assert_eq!(
            Format::requested(&head("/?Format=JSON", false), None),
            Format::Json
        );
        assert_eq!(Format::requested(&head("/?A=1", false), None), Format::Json);
        assert_eq!(
            Format::requested(&head("/?Format=%FF&Format=XML", false), None),
            Format::Xml
        );
        let body = Some(&b"Action=X&Format=XML"[..]);
        assert_eq!(Format::requested(&head("/", true), body), Format::Xml);
        // A body that is no form says nothing; the body wins over the query.
        assert_eq!(Format::requested(&head("/", false), body), Format::Json);
        assert_eq!(
            Format::requested(&head("/?Format=XML", true), Some(b"Format=JSON")),
            Format::Json
        );
    }
}
