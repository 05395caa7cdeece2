//! Percent-encoding shared by both signature versions (and the verifier).
//!
//! Three encodings appear on the wire:
//!
//! * **form encoding** ([`form_urlencode_into`]), as Python's `urlencode` does it: only
//!   `A–Z a–z 0–9 - _ . ~` stay literal, a space becomes `+`, every other UTF-8 byte `%XX`;
//!   used for the URL query and the form body;
//! * **RFC 3986 encoding** ([`rfc3986_encode_into`]): the same but a space becomes `%20`;
//!   used in the v3 canonical query and (as "POP encode") everywhere in v1 signing.
//!
//! Form *decoding*, the inverse, belongs to the server side: `signing::decode`, with the
//! `verify` feature.

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";
const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// Whether `b` is one of the RFC 3986 unreserved characters `A–Z a–z 0–9 - _ . ~`.
#[inline]
fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

#[inline]
fn encode_into(out: &mut String, s: &str, plus_for_space: bool) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) {
            continue;
        }
        // The run `start..i` holds only ASCII bytes, so both ends are char boundaries;
        // `get` keeps this panic-free regardless.
        if start < i {
            if let Some(run) = s.get(start..i) {
                out.push_str(run);
            }
        }
        if b == b' ' && plus_for_space {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(b & 0x0f)]));
        }
        start = i + 1;
    }
    if start < bytes.len() {
        if let Some(run) = s.get(start..) {
            out.push_str(run);
        }
    }
}

/// Appends `s` percent-encoded per RFC 3986: only `A–Z a–z 0–9 - _ . ~` stay literal, every
/// other UTF-8 byte becomes `%XX` with uppercase hex (so a space becomes `%20`).
///
/// This is both the v3 canonical-query encoding and the v1 "POP encode".
///
/// ```
/// let mut out = String::new();
/// hbr_runtime::signing::encode::rfc3986_encode_into(&mut out, "b 1/ü~*");
/// assert_eq!(out, "b%201%2F%C3%BC~%2A");
/// ```
pub fn rfc3986_encode_into(out: &mut String, s: &str) {
    encode_into(out, s, false);
}

/// [`rfc3986_encode_into`] into a new string.
///
/// ```
/// assert_eq!(hbr_runtime::signing::encode::rfc3986_encode("a=b&c"), "a%3Db%26c");
/// ```
pub fn rfc3986_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 2);
    rfc3986_encode_into(&mut out, s);
    out
}

/// Appends `s` form-encoded the way Python's `urlencode` does: like
/// [`rfc3986_encode_into`] except that a space becomes `+`.
///
/// ```
/// let mut out = String::new();
/// hbr_runtime::signing::encode::form_urlencode_into(&mut out, "b 1/ü~*");
/// assert_eq!(out, "b+1%2F%C3%BC~%2A");
/// ```
pub fn form_urlencode_into(out: &mut String, s: &str) {
    encode_into(out, s, true);
}

/// Appends the lowercase hex form of `bytes`.
///
/// ```
/// let mut out = String::new();
/// hbr_runtime::signing::encode::hex_lower_into(&mut out, &[0x0f, 0xa0]);
/// assert_eq!(out, "0fa0");
/// ```
pub fn hex_lower_into(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(HEX_LOWER[usize::from(b >> 4)]));
        out.push(char::from(HEX_LOWER[usize::from(b & 0x0f)]));
    }
}

/// Appends `pairs` as a form body / URL query: `k=v` joined with `&`, keys and values
/// form-encoded (see [`form_urlencode_into`]), in the order given.
///
/// ```
/// let pairs = [("A".to_string(), "x y".to_string()), ("B".to_string(), String::new())];
/// let mut out = String::new();
/// hbr_runtime::signing::encode::form_pairs_into(&mut out, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
/// assert_eq!(out, "A=x+y&B=");
/// ```
pub fn form_pairs_into<'a>(out: &mut String, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) {
    let mut first = out.is_empty();
    for (k, v) in pairs {
        if !first {
            out.push('&');
        }
        first = false;
        form_urlencode_into(out, k);
        out.push('=');
        form_urlencode_into(out, v);
    }
}
