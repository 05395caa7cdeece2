//! Form decoding, the inverse of [`super::encode`]: what the server side (the verifier, the
//! emulator) reads a URL query or form body with. It is strict: a malformed `%` escape or
//! invalid UTF-8 is an error. Only with the `verify` feature.

/// Why a form-encoded string could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits.
    #[error("malformed percent escape at byte {at}")]
    BadEscape {
        /// Byte offset of the `%` in the input.
        at: usize,
    },
    /// The decoded bytes are not valid UTF-8.
    #[error("decoded text is not valid UTF-8")]
    InvalidUtf8,
}

#[inline]
fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes one form-encoded component: `+` becomes a space and `%XX` its byte; the result
/// must be UTF-8.
///
/// ```
/// use hbr_runtime::signing::decode::{form_decode, DecodeError};
/// assert_eq!(form_decode(b"b+1%2F%C3%BC~%2a").unwrap(), "b 1/ü~*");
/// assert_eq!(form_decode(b"50%"), Err(DecodeError::BadEscape { at: 2 }));
/// assert_eq!(form_decode(b"%FF"), Err(DecodeError::InvalidUtf8));
/// ```
pub fn form_decode(input: &[u8]) -> Result<String, DecodeError> {
    if !input.iter().any(|&b| b == b'%' || b == b'+') {
        return std::str::from_utf8(input)
            .map(str::to_owned)
            .map_err(|_| DecodeError::InvalidUtf8);
    }
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = input.get(i + 1).copied().and_then(hex_val);
                let lo = input.get(i + 2).copied().and_then(hex_val);
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => return Err(DecodeError::BadEscape { at: i }),
                }
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| DecodeError::InvalidUtf8)
}

/// Splits a URL query or form body into decoded `(key, value)` pairs in arrival order.
///
/// Empty segments (`a=1&&b=2`) are skipped; a segment without `=` has an empty value.
///
/// ```
/// let pairs = hbr_runtime::signing::decode::parse_form(b"A=x+y&&B&C=%3D").unwrap();
/// assert_eq!(pairs, [("A".into(), "x y".into()), ("B".into(), "".into()), ("C".into(), "=".into())]);
/// ```
pub fn parse_form(input: &[u8]) -> Result<Vec<(String, String)>, DecodeError> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for segment in input.split(|&b| b == b'&') {
        let seg_offset = offset;
        offset += segment.len() + 1;
        if segment.is_empty() {
            continue;
        }
        let (k, v) = match segment.iter().position(|&b| b == b'=') {
            Some(eq) => (&segment[..eq], &segment[eq + 1..]),
            None => (segment, &segment[segment.len()..]),
        };
        let key = form_decode(k).map_err(|e| shift(e, seg_offset))?;
        let value = form_decode(v).map_err(|e| shift(e, seg_offset + k.len() + 1))?;
        pairs.push((key, value));
    }
    Ok(pairs)
}

fn shift(e: DecodeError, by: usize) -> DecodeError {
    match e {
        DecodeError::BadEscape { at } => DecodeError::BadEscape { at: at + by },
        other => other,
    }
}
