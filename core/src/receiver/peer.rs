//! Whose request is it: the socket's peer, unless the user trusts a proxy in front of it
//! (`trusted_proxies`) or a header that carries the address (`peer_header`).

use std::net::IpAddr;

use super::Request;
use crate::security::{parse_addr, AllowList};

/// The sender's address as `allow` should see it, or `None` when no trustworthy one is known.
pub(super) fn resolve(
    request: &Request<'_>,
    peer_header: Option<&str>,
    trusted: Option<&AllowList>,
) -> Option<IpAddr> {
    if let Some(name) = peer_header {
        // Opted in: the header is the address (behind Cloudflare, CF-Connecting-IP). Without
        // it there is no trustworthy address, and the socket (Cloudflare's edge) is not one.
        return request.get(name).and_then(|v| parse_addr(&v));
    }
    let socket = request.peer.and_then(parse_addr)?;
    let Some(trusted) = trusted else {
        return Some(socket);
    };
    if !trusted.contains(socket) {
        return Some(socket);
    }
    // Each proxy appends the address it received from; read from the right, skip our own
    // proxies, and stop at the first hop they did not vouch for. Entries left of it were
    // written by the client and mean nothing.
    let hops: Vec<String> = if let Some(xff) = request.get("x-forwarded-for") {
        xff.split(',').map(str::to_owned).collect()
    } else if let Some(fwd) = request.get("forwarded") {
        fwd.split(',').filter_map(forwarded_for).collect()
    } else {
        return Some(socket);
    };
    let mut client = socket;
    for hop in hops.iter().rev() {
        let ip = parse_addr(hop)?; // "unknown", an obfuscated name: no address to believe
        client = ip;
        if !trusted.contains(ip) {
            break;
        }
    }
    Some(client)
}

/// The `for=` value of one element of a `Forwarded` header (RFC 7239).
fn forwarded_for(element: &str) -> Option<String> {
    element.split(';').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("for")
            .then(|| v.trim().trim_matches('"').to_owned())
    })
}

/// The line an adapter logs in allow-list learn mode.
pub(super) fn learn_line(peer: Option<IpAddr>) -> String {
    match peer {
        Some(ip) => format!(
            "primevox-webhooks allow learn mode: accepted a request from {ip}, which allow does not list (add it to allow, then turn learn mode off)"
        ),
        None => "primevox-webhooks allow learn mode: accepted a request whose sender address is unknown".to_owned(),
    }
}
