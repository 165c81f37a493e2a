//! Receiver options: their names, defaults and validation, and reading them from one JSON
//! object so that every binding hands them over in one call.

use std::fmt;

use super::{
    Receiver, DEFAULT_BODY_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DEPTH,
    DEFAULT_TOKEN_QUERY,
};
use crate::json::{Json, Reader};
use crate::security::AllowList;
use crate::ParseOptions;

/// Every option as (camelCase, snake_case): JavaScript writes the first, Python and Rust the
/// second.
pub const OPTIONS: [(&str, &str); 11] = [
    ("token", "token"),
    ("tokenQuery", "token_query"),
    ("tokenHeader", "token_header"),
    ("allow", "allow"),
    ("allowLearn", "allow_learn"),
    ("trustedProxies", "trusted_proxies"),
    ("peerHeader", "peer_header"),
    ("maxBodyBytes", "max_body_bytes"),
    ("maxDepth", "max_depth"),
    ("strict", "strict"),
    ("bodyTimeoutMs", "body_timeout_ms"),
];

/// The options of a [`Receiver`], before validation ([`Receiver::new`] validates them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiverOptions {
    /// Accepted secrets (several while rotating); empty: no token check.
    pub token: Vec<String>,
    /// The query parameter that carries the token (`None`: not from the query).
    pub token_query: Option<String>,
    /// The header that carries the token (checked before the query parameter).
    pub token_header: Option<String>,
    /// CIDR ranges the sender's address must be in (`None`: any address).
    pub allow: Option<Vec<String>>,
    /// Log addresses `allow` would refuse instead of refusing them (to build the list).
    pub allow_learn: bool,
    /// Proxies (CIDR ranges) whose `X-Forwarded-For` / `Forwarded` is believed.
    pub trusted_proxies: Vec<String>,
    /// A header that carries the sender's address and is trusted because the user says so
    /// (`cf-connecting-ip` behind Cloudflare); it replaces the socket's peer.
    pub peer_header: Option<String>,
    /// Bodies over this many bytes (before or after decoding) are refused.
    pub max_body_bytes: usize,
    /// JSON nested deeper than this is refused.
    pub max_depth: usize,
    /// Strict parsing (see the README).
    pub strict: bool,
    /// How long an adapter waits for the body, in milliseconds.
    pub body_timeout_ms: u64,
}

impl Default for ReceiverOptions {
    fn default() -> Self {
        ReceiverOptions {
            token: Vec::new(),
            token_query: Some(DEFAULT_TOKEN_QUERY.to_owned()),
            token_header: None,
            allow: None,
            allow_learn: false,
            trusted_proxies: Vec::new(),
            peer_header: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
            strict: false,
            body_timeout_ms: DEFAULT_BODY_TIMEOUT_MS,
        }
    }
}

/// A bad receiver option, found when the receiver is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionError {
    option: String,
    message: String,
}

impl OptionError {
    fn new(option: &str, message: impl Into<String>) -> Self {
        OptionError {
            option: option.to_owned(),
            message: message.into(),
        }
    }

    /// The option, spelled as the user wrote it (`maxBodyBytes`, `max_body_bytes`,
    /// `token[1]`).
    pub fn option(&self) -> &str {
        &self.option
    }

    /// The message, which starts with the option's name.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OptionError {}

/// How the user spells options: snake_case unless the JSON used a camelCase name.
#[derive(Default)]
pub(super) struct Spelling {
    camel: bool,
}

impl Spelling {
    fn name(&self, snake: &str) -> &'static str {
        let i = OPTIONS.iter().position(|o| o.1 == snake).unwrap_or(0);
        if self.camel {
            OPTIONS[i].0
        } else {
            OPTIONS[i].1
        }
    }
}

/// Characters that do not survive being pasted raw into a URL's query string.
fn url_unsafe(c: char) -> bool {
    matches!(c, '+' | '/' | '=' | '%' | '&' | '#' | '?') || c.is_whitespace() || c.is_control()
}

/// An HTTP header name (RFC 9110 `token`), lowercased.
fn header_name(
    spell: &Spelling,
    snake: &str,
    v: Option<String>,
) -> Result<Option<String>, OptionError> {
    let Some(v) = v else { return Ok(None) };
    let name = spell.name(snake);
    let ok = !v.is_empty()
        && v.bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c));
    if !ok {
        return Err(OptionError::new(
            name,
            format!("{name} must be an HTTP header name such as 'x-webhook-token', not '{v}'"),
        ));
    }
    Ok(Some(v.to_ascii_lowercase()))
}

fn ranges(spell: &Spelling, snake: &str, list: &[String]) -> Result<AllowList, OptionError> {
    let name = spell.name(snake);
    AllowList::parse(list).map_err(|e| OptionError::new(name, format!("{name}: {e}")))
}

impl ReceiverOptions {
    pub(super) fn build(&self, spell: &Spelling) -> Result<Receiver, OptionError> {
        let token_name = spell.name("token");
        for (i, t) in self.token.iter().enumerate() {
            let name = if self.token.len() == 1 {
                token_name.to_owned()
            } else {
                format!("{token_name}[{i}]")
            };
            if t.is_empty() {
                return Err(OptionError::new(
                    &name,
                    format!("{name} is empty: set it to the webhook secret (is its environment variable unset?), or leave {token_name} out to accept requests without a token"),
                ));
            }
            if let Some(c) = t.chars().find(|&c| url_unsafe(c)) {
                return Err(OptionError::new(
                    &name,
                    format!("{name} contains {c:?}, which does not survive being pasted into a URL (a '+' reads as a space): use a URL-safe secret (letters, digits, '-', '_', '.', '~'), such as Python's secrets.token_urlsafe(32)"),
                ));
            }
        }
        if let Some(q) = &self.token_query {
            if q.is_empty() {
                let name = spell.name("token_query");
                return Err(OptionError::new(
                    name,
                    format!("{name} is empty: give a query parameter name such as 'token', or null to read the token only from a header"),
                ));
            }
        }
        let token_header = header_name(spell, "token_header", self.token_header.clone())?;
        let peer_header = header_name(spell, "peer_header", self.peer_header.clone())?;
        if !self.token.is_empty() && self.token_query.is_none() && token_header.is_none() {
            let name = spell.name("token_query");
            return Err(OptionError::new(
                name,
                format!(
                    "{name} is off and {} is not set: the token could never be presented",
                    spell.name("token_header")
                ),
            ));
        }
        let allow = match &self.allow {
            Some(list) => Some(ranges(spell, "allow", list)?),
            None => None,
        };
        let trusted_proxies = if self.trusted_proxies.is_empty() {
            None
        } else {
            Some(ranges(spell, "trusted_proxies", &self.trusted_proxies)?)
        };
        for (snake, v) in [
            ("max_body_bytes", self.max_body_bytes as u64),
            ("max_depth", self.max_depth as u64),
            ("body_timeout_ms", self.body_timeout_ms),
        ] {
            if v == 0 {
                let name = spell.name(snake);
                return Err(OptionError::new(
                    name,
                    format!("{name} must be a positive integer"),
                ));
            }
        }
        let mut headers: Vec<String> = ["content-length", "content-type", "content-encoding"]
            .map(String::from)
            .to_vec();
        headers.extend(token_header.iter().cloned());
        headers.extend(peer_header.iter().cloned());
        if trusted_proxies.is_some() {
            headers.extend(["x-forwarded-for".to_owned(), "forwarded".to_owned()]);
        }
        Ok(Receiver {
            tokens: self.token.clone(),
            token_query: self.token_query.clone(),
            token_header,
            allow,
            trusted_proxies,
            allow_learn: self.allow_learn,
            peer_header,
            parse: ParseOptions {
                strict: self.strict,
                max_body_bytes: self.max_body_bytes,
                max_depth: self.max_depth,
            },
            body_timeout_ms: self.body_timeout_ms,
            headers,
        })
    }
}

fn kind_of(v: &Json<'_>) -> &'static str {
    match v {
        Json::Str(_) => "a string",
        Json::Num(_) => "a number",
        Json::Bool(_) => "a boolean",
        Json::Null => "null",
        Json::Arr(_) => "a list",
        Json::Obj(_) => "an object",
    }
}

fn strings(name: &str, v: &Json<'_>, what: &str) -> Result<Vec<String>, OptionError> {
    let Json::Arr(items) = v else {
        return Err(OptionError::new(
            name,
            format!("{name} must be a list of {what}, not {}", kind_of(v)),
        ));
    };
    items
        .iter()
        .map(|item| match item {
            Json::Str(s) => Ok(s.to_string()),
            other => Err(OptionError::new(
                name,
                format!(
                    "{name} must be a list of {what}; it holds {}",
                    kind_of(other)
                ),
            )),
        })
        .collect()
}

fn string(name: &str, v: &Json<'_>) -> Result<Option<String>, OptionError> {
    match v {
        Json::Null => Ok(None),
        Json::Str(s) => Ok(Some(s.to_string())),
        other => Err(OptionError::new(
            name,
            format!("{name} must be a string, not {}", kind_of(other)),
        )),
    }
}

fn boolean(name: &str, v: &Json<'_>, default: bool) -> Result<bool, OptionError> {
    match v {
        Json::Null => Ok(default),
        Json::Bool(b) => Ok(*b),
        other => Err(OptionError::new(
            name,
            format!("{name} must be true or false, not {}", kind_of(other)),
        )),
    }
}

fn integer(name: &str, v: &Json<'_>, default: u64) -> Result<u64, OptionError> {
    match v {
        Json::Null => Ok(default),
        Json::Num(n) => n
            .parse::<u64>()
            .ok()
            .filter(|&n| n > 0 && n <= u64::from(u32::MAX))
            .ok_or_else(|| {
                OptionError::new(
                    name,
                    format!(
                        "{name} must be a positive integer (at most {}), not {n}",
                        u32::MAX
                    ),
                )
            }),
        other => Err(OptionError::new(
            name,
            format!("{name} must be a positive integer, not {}", kind_of(other)),
        )),
    }
}

fn token(name: &str, v: &Json<'_>) -> Result<Vec<String>, OptionError> {
    match v {
        Json::Str(s) => Ok(vec![s.to_string()]),
        Json::Null => Err(OptionError::new(
            name,
            format!("{name} is not set (null, None or undefined): set it to the webhook secret (is its environment variable unset?), or leave {name} out to accept requests without a token"),
        )),
        Json::Arr(items) if items.is_empty() => Err(OptionError::new(
            name,
            format!("{name} is an empty list: give at least one secret"),
        )),
        Json::Arr(_) => strings(name, v, "secrets (strings)"),
        other => Err(OptionError::new(
            name,
            format!("{name} must be a string or a list of strings, not {}", kind_of(other)),
        )),
    }
}

/// Reads options from a JSON object (camelCase or snake_case keys).
pub(super) fn from_json(json: &str) -> Result<(ReceiverOptions, Spelling), OptionError> {
    let mut o = ReceiverOptions::default();
    let mut spell = Spelling::default();
    let mut bad: Option<OptionError> = None;
    let read = Reader::new(json, false, 4).top_object(|key, v| {
        if bad.is_some() {
            return Ok(());
        }
        let Some(i) = OPTIONS.iter().position(|(c, s)| *c == key || *s == key) else {
            let snake = key.contains('_');
            let known: Vec<&str> = OPTIONS
                .iter()
                .map(|o| if snake { o.1 } else { o.0 })
                .collect();
            bad = Some(OptionError::new(
                &key,
                format!(
                    "unknown receiver option '{key}' (the options are: {})",
                    known.join(", ")
                ),
            ));
            return Ok(());
        };
        spell.camel |= OPTIONS[i].0 == key && OPTIONS[i].0 != OPTIONS[i].1;
        let name: &str = &key;
        let result = match OPTIONS[i].1 {
            "token" => token(name, &v).map(|t| o.token = t),
            "token_query" => match v {
                // null turns the query token off (absent keeps the default "token")
                Json::Null => {
                    o.token_query = None;
                    Ok(())
                }
                _ => string(name, &v).map(|s| o.token_query = s),
            },
            "token_header" => string(name, &v).map(|s| o.token_header = s),
            "allow" => match v {
                Json::Null => Ok(()),
                _ => strings(name, &v, "CIDR ranges such as '203.0.113.0/24'")
                    .map(|l| o.allow = Some(l)),
            },
            "allow_learn" => boolean(name, &v, false).map(|b| o.allow_learn = b),
            "trusted_proxies" => match v {
                Json::Null => Ok(()),
                _ => strings(name, &v, "CIDR ranges such as '10.0.0.0/8'")
                    .map(|l| o.trusted_proxies = l),
            },
            "peer_header" => string(name, &v).map(|s| o.peer_header = s),
            "max_body_bytes" => integer(name, &v, DEFAULT_MAX_BODY_BYTES as u64)
                .map(|n| o.max_body_bytes = usize::try_from(n).unwrap_or(usize::MAX)),
            "max_depth" => integer(name, &v, DEFAULT_MAX_DEPTH as u64)
                .map(|n| o.max_depth = usize::try_from(n).unwrap_or(usize::MAX)),
            "strict" => boolean(name, &v, false).map(|b| o.strict = b),
            _ => integer(name, &v, DEFAULT_BODY_TIMEOUT_MS).map(|n| o.body_timeout_ms = n),
        };
        if let Err(e) = result {
            bad = Some(e);
        }
        Ok(())
    });
    if let Err(e) = read {
        return Err(OptionError::new(
            "options",
            format!(
                "the receiver options are not a JSON object: {}",
                e.message()
            ),
        ));
    }
    match bad {
        Some(e) => Err(e),
        None => Ok((o, spell)),
    }
}
