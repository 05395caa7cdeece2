//! Where requests go: the protocol and the endpoint authority.

use std::fmt;
use std::str::FromStr;

use super::error::Error;

/// The URL scheme requests use.
///
/// ```
/// use hbr_runtime::client::Protocol;
/// assert_eq!("HTTP".parse::<Protocol>().unwrap(), Protocol::Http);
/// assert_eq!(Protocol::default(), Protocol::Https);
/// assert!("ftp".parse::<Protocol>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// TLS (the default).
    #[default]
    Https,
    /// Plain HTTP: only when asked for, e.g. for a local emulator.
    Http,
}

impl Protocol {
    /// `https` or `http`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Https => "https",
            Self::Http => "http",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Protocol {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        if s.eq_ignore_ascii_case("https") {
            Ok(Self::Https)
        } else if s.eq_ignore_ascii_case("http") {
            Ok(Self::Http)
        } else {
            Err(Error::configuration(format!(
                "unknown protocol {s:?} (expected \"https\" or \"http\")"
            )))
        }
    }
}

/// Regions whose HBR endpoint is the central `hbr.aliyuncs.com` rather than
/// `hbr.<region>.aliyuncs.com` (from the product's endpoint metadata).
const CENTRAL_REGIONS: &[&str] = &[
    "cn-wulanchabu",
    "cn-zhangbei",
    "cn-hangzhou-internal-test-1",
    "rus-west-1-pop",
];

/// A resolved endpoint: the protocol and the authority (`host[:port]`) sent as the `host`
/// header and signed.
///
/// ```
/// use hbr_runtime::client::{Endpoint, Protocol};
///
/// let regional = Endpoint::for_region("cn-hangzhou", None).unwrap();
/// assert_eq!(regional.authority(), "hbr.cn-hangzhou.aliyuncs.com");
/// assert_eq!(regional.base_url(), "https://hbr.cn-hangzhou.aliyuncs.com/");
///
/// let local = Endpoint::parse("http://127.0.0.1:8080", None).unwrap();
/// assert_eq!((local.protocol(), local.authority()), (Protocol::Http, "127.0.0.1:8080"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    protocol: Protocol,
    authority: String,
}

impl Endpoint {
    /// The regional endpoint `hbr.<region>.aliyuncs.com` (or `hbr-<network>.<region>...`
    /// for a network such as `vpc`), over `protocol` (HTTPS when `None`).
    pub fn for_region(region: &str, protocol: Option<Protocol>) -> Result<Self, Error> {
        Self::for_region_and_network(region, None, protocol)
    }

    /// [`Endpoint::for_region`] with a network type: `None`, `""` or `public` for the public
    /// endpoint, e.g. `vpc` for `hbr-vpc.<region>.aliyuncs.com`.
    pub fn for_region_and_network(
        region: &str,
        network: Option<&str>,
        protocol: Option<Protocol>,
    ) -> Result<Self, Error> {
        let region = region.trim();
        if region.is_empty() {
            return Err(Error::configuration("the region is empty"));
        }
        if !is_label(region) {
            return Err(Error::configuration(format!(
                "invalid region {region:?}: a region id has only letters, digits and '-', e.g. cn-hangzhou"
            )));
        }
        let network = network
            .map(str::trim)
            .filter(|n| !n.is_empty() && !n.eq_ignore_ascii_case("public"));
        if let Some(network) = network {
            if !is_label(network) {
                return Err(Error::configuration(format!(
                    "invalid network {network:?}: expected e.g. \"vpc\""
                )));
            }
        }
        let authority = if CENTRAL_REGIONS.contains(&region) {
            "hbr.aliyuncs.com".to_owned()
        } else if let Some(network) = network {
            format!("hbr-{network}.{region}.aliyuncs.com")
        } else {
            format!("hbr.{region}.aliyuncs.com")
        };
        Ok(Self {
            protocol: protocol.unwrap_or_default(),
            authority,
        })
    }

    /// An explicit endpoint: an authority such as `127.0.0.1:8080` or
    /// `hbr.cn-hangzhou.aliyuncs.com`, or a URL such as `http://127.0.0.1:8080` whose scheme
    /// sets the protocol. `protocol` is the protocol asked for explicitly, if any; it must
    /// agree with a URL's scheme.
    ///
    /// ```
    /// use hbr_runtime::client::{Endpoint, Protocol};
    /// assert_eq!(Endpoint::parse("127.0.0.1:9000", None).unwrap().protocol(), Protocol::Https);
    /// assert_eq!(Endpoint::parse("127.0.0.1:9000", Some(Protocol::Http)).unwrap().protocol(), Protocol::Http);
    /// assert!(Endpoint::parse("http://127.0.0.1:9000", Some(Protocol::Https)).is_err());
    /// assert!(Endpoint::parse("http://127.0.0.1:9000/some/path", None).is_err());
    /// ```
    pub fn parse(endpoint: &str, protocol: Option<Protocol>) -> Result<Self, Error> {
        let text = endpoint.trim();
        let (scheme, rest) = match text.split_once("://") {
            Some((scheme, rest)) => (Some(scheme.parse::<Protocol>()?), rest),
            None => (None, text),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let protocol = match (scheme, protocol) {
            (Some(s), Some(p)) if s != p => {
                return Err(Error::configuration(format!(
                    "the endpoint {text:?} says {s} but the protocol {p} was asked for"
                )))
            }
            (Some(s), _) => s,
            (None, p) => p.unwrap_or_default(),
        };
        if authority.is_empty() {
            return Err(Error::configuration(format!(
                "the endpoint {text:?} has no host"
            )));
        }
        if let Some(bad) = authority.chars().find(|c| {
            matches!(c, '/' | '?' | '#' | '@' | '\\') || c.is_whitespace() || c.is_control()
        }) {
            return Err(Error::configuration(format!(
                "invalid endpoint {text:?}: {bad:?} is not allowed; give a host[:port] or a URL like http://127.0.0.1:8080 without a path"
            )));
        }
        let base = format!("{}://{authority}/", protocol.as_str());
        match reqwest::Url::parse(&base) {
            Ok(url) if url.host_str().is_some_and(|h| !h.is_empty()) => {}
            Ok(_) => {
                return Err(Error::configuration(format!(
                    "the endpoint {text:?} has no host"
                )))
            }
            Err(e) => {
                return Err(Error::configuration(format!(
                    "invalid endpoint {text:?}: {e}"
                )))
            }
        }
        Ok(Self {
            protocol,
            authority: authority.to_owned(),
        })
    }

    /// The protocol.
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// The authority (`host[:port]`), exactly as sent in the `host` header.
    pub fn authority(&self) -> &str {
        &self.authority
    }

    /// `<protocol>://<authority>/`, the URL every request is posted to (before its query).
    pub fn base_url(&self) -> String {
        format!("{}://{}/", self.protocol.as_str(), self.authority)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.protocol, self.authority)
    }
}

fn is_label(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_and_network() {
        let e = Endpoint::for_region_and_network("cn-hangzhou", Some("vpc"), None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.authority(), "hbr-vpc.cn-hangzhou.aliyuncs.com");
        let e = Endpoint::for_region_and_network("cn-wulanchabu", Some("vpc"), None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.authority(), "hbr.aliyuncs.com");
        let e = Endpoint::for_region_and_network("cn-shanghai-finance-1", Some("public"), None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(e.authority(), "hbr.cn-shanghai-finance-1.aliyuncs.com");
    }

    #[test]
    fn rejects_bad_input() {
        for bad in ["", "cn hangzhou", "cn/hangzhou", "evil.com#", "-x"] {
            assert!(Endpoint::for_region(bad, None).is_err(), "{bad}");
        }
        for bad in [
            "",
            "http://",
            "ftp://h",
            "h/p",
            "u@h",
            "h?x=1",
            "http://h:99999",
            "h h",
        ] {
            assert!(Endpoint::parse(bad, None).is_err(), "{bad}");
        }
        assert!(Endpoint::parse("HTTP://Example.com:81/", None).is_ok());
        assert!(Endpoint::parse("[::1]:8080", None).is_ok());
    }
}
