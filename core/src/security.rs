//! Keeping strangers out. PrimeVOX does not sign its webhooks, so the defences are a secret
//! token in the registered URL (or a header added by a proxy) and, where known, the sender's
//! address range. Receivers in every binding call these before reading the body.

use std::net::IpAddr;

/// Whether `presented` equals any of `expected` (several for rotation), in time that depends
/// only on the lengths, not on where the first difference is. Empty expected tokens never
/// match, so a misconfigured empty secret cannot open the door.
pub fn verify_token<S: AsRef<str>>(presented: &str, expected: &[S]) -> bool {
    let mut ok = 0u8;
    for e in expected {
        let e = e.as_ref().as_bytes();
        ok |= u8::from(!e.is_empty()) & constant_time_eq(presented.as_bytes(), e);
    }
    ok == 1
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> u8 {
    // Compare over the expected token's length whatever the presented length, so timing
    // reveals neither a matching prefix nor (beyond the loop bound) the secret's length.
    let mut diff = u8::from(a.len() != b.len());
    for (i, &y) in b.iter().enumerate() {
        let x = a.get(i).copied().unwrap_or(!y);
        diff |= x ^ y;
    }
    u8::from(std::hint::black_box(diff) == 0)
}

/// The value of `name` in a URL query string (`a=1&token=xyz`), form-decoded; the first one.
pub fn query_param(query: &str, name: &str) -> Option<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut found = None;
    let _ = crate::form::pairs(query, false, |k, v| {
        if found.is_none() && k == name {
            found = Some(v.into_owned());
        }
        Ok::<(), crate::error::ParseError>(())
    });
    found
}

/// A list of CIDR ranges (`203.0.113.0/24`, `2001:db8::/32`, or single addresses).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AllowList {
    ranges: Vec<(IpAddr, u8)>,
}

impl AllowList {
    /// Parses ranges; the error names the first entry that is not an address or CIDR range.
    pub fn parse<S: AsRef<str>>(ranges: &[S]) -> Result<AllowList, String> {
        let mut out = Vec::with_capacity(ranges.len());
        for r in ranges {
            let r = r.as_ref().trim();
            let (addr, bits) = match r.split_once('/') {
                Some((a, b)) => (a, Some(b)),
                None => (r, None),
            };
            let addr: IpAddr = addr
                .parse()
                .map_err(|_| format!("'{r}' is not an IP address or CIDR range"))?;
            let max = if addr.is_ipv4() { 32 } else { 128 };
            let bits = match bits {
                None => max,
                Some(b) => b
                    .parse::<u8>()
                    .ok()
                    .filter(|&b| b <= max)
                    .ok_or_else(|| format!("'{r}' has an invalid prefix length"))?,
            };
            out.push((addr, bits));
        }
        Ok(AllowList { ranges: out })
    }

    /// Whether the address is in any range. An IPv4 address and its IPv4-mapped IPv6 form
    /// (`::ffff:a.b.c.d`, as dual-stack servers report IPv4 peers) are the same address on both
    /// sides: `::ffff:127.0.0.1` matches `127.0.0.1/8`, and `127.0.0.1` matches
    /// `::ffff:0:0/96`.
    pub fn contains(&self, addr: IpAddr) -> bool {
        let (v4, v6) = match addr {
            IpAddr::V4(a) => (Some(a), a.to_ipv6_mapped()),
            IpAddr::V6(a) => (a.to_ipv4_mapped(), a),
        };
        self.ranges.iter().any(|&(net, bits)| match net {
            IpAddr::V4(n) => v4.is_some_and(|a| {
                let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }),
            IpAddr::V6(n) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
                u128::from(n) & mask == u128::from(v6) & mask
            }
        })
    }

    /// Whether the list has no range at all.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    /// Parses `addr` (a peer address as a string, with or without a port) and checks it;
    /// an unparseable address is not allowed.
    pub fn contains_str(&self, addr: &str) -> bool {
        parse_addr(addr).is_some_and(|ip| self.contains(ip))
    }
}

/// An address as peers and forwarding headers write it: `1.2.3.4`, `1.2.3.4:5678`, `::1`,
/// `[::1]:443`, `"[::1]"` (quoted, as in `Forwarded`), with surrounding spaces.
pub fn parse_addr(addr: &str) -> Option<IpAddr> {
    let a = addr.trim().trim_matches('"');
    a.parse::<IpAddr>()
        .ok()
        .or_else(|| a.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| {
            a.strip_prefix('[')
                .and_then(|x| x.split(']').next())
                .and_then(|x| x.parse().ok())
        })
}

/// A token presented in a header, as every receiver reads it: surrounding spaces and tabs
/// (HTTP's optional whitespace, which some servers keep) are not part of it.
pub fn header_token(value: &str) -> &str {
    value.trim_matches(|c| c == ' ' || c == '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        assert!(verify_token("s3cret", &["old", "s3cret"]));
        assert!(!verify_token("s3cre", &["s3cret"]));
        assert!(!verify_token("s3cretx", &["s3cret"]));
        assert!(!verify_token("", &[""]));
        assert!(!verify_token("x", &[] as &[&str]));
    }

    #[test]
    fn ranges() {
        let l = AllowList::parse(&["203.0.113.0/24", "2001:db8::/32", "198.51.100.7"]).unwrap();
        assert!(l.contains_str("203.0.113.200"));
        assert!(l.contains_str("::ffff:203.0.113.9"));
        assert!(l.contains_str("203.0.113.9:4431"));
        assert!(l.contains_str("[2001:db8::1]:443"));
        assert!(l.contains_str("198.51.100.7"));
        assert!(!l.contains_str("198.51.100.8"));
        assert!(!l.contains_str("not an ip"));
        assert!(AllowList::parse(&["10.0.0.0/33"]).is_err());
        let mapped = AllowList::parse(&["::ffff:127.0.0.1"]).unwrap();
        assert!(mapped.contains_str("::ffff:127.0.0.1"));
        assert!(mapped.contains_str("127.0.0.1"));
        assert!(!mapped.contains_str("127.0.0.2"));
        let all4 = AllowList::parse(&["::ffff:0:0/96"]).unwrap();
        assert!(all4.contains_str("8.8.8.8"));
        assert!(all4.contains_str("::ffff:10.0.0.1"));
        assert!(!all4.contains_str("2001:db8::1"));
        assert!(AllowList::parse(&["127.0.0.0/8"])
            .unwrap()
            .contains_str("::ffff:127.9.9.9"));
        assert!(AllowList::parse(&["::/0"]).unwrap().contains_str("1.2.3.4"));
        assert!(!AllowList::parse(&["10.0.0.0/8"])
            .unwrap()
            .contains_str("::1"));
        assert!(AllowList::parse(&["0.0.0.0/0"])
            .unwrap()
            .contains_str("8.8.8.8"));
    }

    #[test]
    fn query() {
        assert_eq!(
            query_param("?a=1&token=ab%2Bc", "token").as_deref(),
            Some("ab+c")
        );
        assert_eq!(query_param("token=", "token").as_deref(), Some(""));
        assert_eq!(query_param("a=1", "token"), None);
    }
}
