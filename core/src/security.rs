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
        Ok(())
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

    /// Whether the address is in any range. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`, as
    /// dual-stack servers report IPv4 peers) are compared as IPv4.
    pub fn contains(&self, addr: IpAddr) -> bool {
        let addr = match addr {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(addr, IpAddr::V4),
            v4 => v4,
        };
        self.ranges.iter().any(|&(net, bits)| match (net, addr) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(bits)).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(bits)).unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        })
    }

    /// Parses `addr` (a peer address as a string, with or without a port) and checks it;
    /// an unparseable address is not allowed.
    pub fn contains_str(&self, addr: &str) -> bool {
        let a = addr.trim();
        let parsed = a
            .parse::<IpAddr>()
            .ok()
            .or_else(|| a.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
            .or_else(|| {
                a.strip_prefix('[')
                    .and_then(|x| x.split(']').next())
                    .and_then(|x| x.parse().ok())
            });
        parsed.is_some_and(|ip| self.contains(ip))
    }
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
