//! Sending deliveries over HTTP (trigger, replay, listen --forward-to).

use std::time::Duration;

use reqwest::Url;

use crate::Failure;

/// How long one delivery may take before it counts as failed.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// Parses a target URL: absolute http (or https when built with the `tls` feature) with a host.
pub fn target_url(flag: &str, s: &str) -> Result<Url, Failure> {
    let url =
        Url::parse(s).map_err(|e| Failure::usage(format!("{flag} {s:?} is not a URL: {e}")))?;
    let schemes: &[&str] = if cfg!(feature = "tls") {
        &["http", "https"]
    } else {
        &["http"]
    };
    if !schemes.contains(&url.scheme()) {
        let why = if url.scheme() == "https" {
            "this build sends plain http only (build with --features tls for https)".to_owned()
        } else {
            format!("the scheme must be {}", schemes.join(" or "))
        };
        return Err(Failure::usage(format!("{flag} {s:?}: {why}")));
    }
    if url.host_str().map_or(true, str::is_empty) {
        return Err(Failure::usage(format!("{flag} {s:?} has no host")));
    }
    Ok(url)
}

/// One HTTP client for a whole command. Proxy variables are ignored: deliveries go where told.
pub fn client() -> Result<reqwest::Client, Failure> {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(TIMEOUT)
        .build()
        .map_err(|e| Failure::failed(format!("cannot make an HTTP client: {e}")))
}

/// Appends a raw query string to a URL's own query.
pub fn with_query(url: &Url, query: &str) -> Url {
    let mut url = url.clone();
    if !query.is_empty() {
        let joined = match url.query() {
            Some(q) if !q.is_empty() => format!("{q}&{query}"),
            _ => query.to_owned(),
        };
        url.set_query(Some(&joined));
    }
    url
}

/// The answer to one delivery: its status and (the start of) its body, or why none came.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// Sends one request and reads the answer.
pub async fn send(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: Url,
    content_type: Option<&str>,
    headers: &[(String, String)],
    body: Vec<u8>,
) -> Result<Answer, String> {
    let mut req = client.request(method, url);
    if let Some(ct) = content_type {
        req = req.header(reqwest::header::CONTENT_TYPE, ct);
    }
    for (k, v) in headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let res = req.body(body).send().await.map_err(describe)?;
    let status = res.status().as_u16();
    let body = res.text().await.unwrap_or_default();
    let mut body = body.trim().to_owned();
    if body.len() > 300 {
        let cut = (0..=300)
            .rev()
            .find(|&i| body.is_char_boundary(i))
            .unwrap_or(0);
        body.truncate(cut);
        body.push('…');
    }
    Ok(Answer { status, body })
}

/// A one-line reason for a request that got no answer.
fn describe(e: reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "request failed"
    };
    let mut cause = String::new();
    let mut src: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(s) = src {
        cause = s.to_string();
        src = s.source();
    }
    if cause.is_empty() {
        format!("{what}: {e}")
    } else {
        format!("{what}: {cause}")
    }
}
