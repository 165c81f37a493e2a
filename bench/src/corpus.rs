//! A deterministic, realistic mixed corpus of PrimeVOX webhooks (the same seed gives the same
//! bytes on every machine, so every language benchmarks the same payloads).

/// One payload: Content-Type header and body.
pub struct Payload {
    pub content_type: Option<&'static str>,
    pub body: String,
    pub is_json: bool,
}

/// xorshift64*: small, fast, and identical everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const FIRST: &[&str] = &[
    "José",
    "Zoë",
    "Mary-Kate",
    "François",
    "Łukasz",
    "Siobhán",
    "Nguyễn",
    "O'Brien",
    "Ana María",
    "Søren",
    "Renée",
    "Björn",
    "Chloé",
    "Iñaki",
    "Dmitri",
    "Aiko",
    "Fatima",
    "Wei",
];
const LAST: &[&str] = &[
    "Pérez",
    "Smith & Sons",
    "Müller",
    "D'Angelo",
    "García",
    "Østergaard",
    "Lefèvre",
    "Kowalski",
    "Nakamura",
    "Johnson",
    "Al-Sayed",
    "Ng",
    "Brown #2",
    "A=B Consulting",
];
const EXT_NAMES: &[&str] = &[
    "Front Desk",
    "Sales & Support",
    "Dr. Núñez",
    "Billing #2",
    "Warehouse",
    "Reception",
    "After-hours",
    "Ops=On Call",
];
const DID_DESC: &[&str] = &[
    "Main line",
    "Support (after hours)",
    "Spanish / Español",
    "Marketing #1",
    "Fax & Voice",
];
const DID_GROUP: &[&str] = &["Austin Office", "Remote", "Call Center", "Sales=East"];
const SNIPPETS: &[&str] = &[
    "Hi, is this still available?",
    "Running 10 min late \u{1F697}",
    "He said \"call me back\" after 5pm",
    "Line one\nLine two\nLine three",
    "¿Dónde está la oficina?",
    "Заказ готов к выдаче",
    "明天下午三点见",
    "مرحبا، هل يمكنك الاتصال بي؟",
    "Thanks!! \u{1F44D}\u{1F3FD}",
    "Price is $45 & tax = $3.71 #deal",
    "C:\\path\\to\\file \t tab",
    "नमस्ते, आपका ऑर्डर तैयार है",
];

fn digits(r: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + r.below(10) as u8))
        .collect()
}

fn nanp(r: &mut Rng) -> String {
    format!(
        "{}{}{}{}",
        2 + r.below(8),
        digits(r, 2),
        2 + r.below(8),
        digits(r, 6)
    )
}

fn phone(r: &mut Rng) -> String {
    match r.below(10) {
        0..=4 => format!("+1{}", nanp(r)),
        5..=7 => nanp(r),
        8 => format!("1{}", nanp(r)),
        _ => format!("+44{}", digits(r, 10)),
    }
}

fn uuid(r: &mut Rng) -> String {
    let h = format!("{:016x}{:016x}", r.next(), r.next());
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

fn name(r: &mut Rng) -> String {
    if r.chance(8) {
        return "anonymous".into();
    }
    format!("{} {}", r.pick(FIRST), r.pick(LAST))
}

fn message(r: &mut Rng) -> String {
    // Lengths from 1 to 1,600 characters, most of them short, as texts are.
    let target = match r.below(10) {
        0..=5 => 1 + r.below(80),
        6..=8 => 80 + r.below(400),
        _ => 480 + r.below(1121),
    } as usize;
    let mut s = String::new();
    while s.chars().count() < target {
        if !s.is_empty() {
            s.push(' ');
        }
        let snippet = r.pick::<&str>(SNIPPETS);
        s.push_str(snippet);
    }
    s.chars().take(target).collect()
}

/// A JSON string literal; with `ascii`, non-ASCII is written as `\u` escapes, as some senders do.
fn js(s: &str, ascii: bool) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c if ascii && !c.is_ascii() => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{u:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Form-encodes, with spaces as `+` or `%20` (both are seen in the wild).
fn fe(s: &str, plus: bool) -> String {
    let mut out = String::new();
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => out.push(b as char),
            b' ' if plus => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

const JSON_CT: &[Option<&str>] = &[
    Some("application/json"),
    Some("application/json; charset=utf-8"),
    Some("application/json;charset=UTF-8"),
];
const FORM_CT: &[Option<&str>] = &[
    Some("application/x-www-form-urlencoded"),
    Some("application/x-www-form-urlencoded; charset=utf-8"),
];

fn form(pairs: &[(&str, String)], r: &mut Rng) -> Payload {
    let plus = r.chance(60);
    let body = pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", fe(v, plus)))
        .collect::<Vec<_>>()
        .join("&");
    Payload {
        content_type: *r.pick(FORM_CT),
        body,
        is_json: false,
    }
}

/// One payload of a kind drawn with call events far more common than messages.
pub fn payload(r: &mut Rng) -> Payload {
    let n = 4 + r.below(3) as usize;
    let container = format!("{}{}", 1 + r.below(9), digits(r, n - 1));
    let n = 2 + r.below(4) as usize;
    let tenant = format!("{}{}", 1 + r.below(9), digits(r, n - 1));
    let call = uuid(r);
    let ext = format!("{}", 100 + r.below(900));
    match r.below(100) {
        0..=7 => {
            let inbound = r.below(8) < 5;
            let ascii = r.chance(30);
            let numeric_ids = r.chance(20);
            let id = |s: &str| {
                if numeric_ids {
                    s.to_owned()
                } else {
                    js(s, false)
                }
            };
            let body = format!(
                "{{\"eventType\":\"{}\",\"toNumber\":{},\"fromNumber\":{},\"containerID\":{},\"tenantID\":{},\"conversationID\":{},\"messageText\":{}}}",
                if inbound { "inboundMessage" } else { "outboundMessage" },
                js(&phone(r), false),
                js(&phone(r), false),
                id(&container),
                id(&tenant),
                js(&digits(r, 8), false),
                js(&message(r), ascii)
            );
            Payload {
                content_type: *r.pick(JSON_CT),
                body,
                is_json: true,
            }
        }
        8..=22 => form(
            &[
                ("eventType", "InboundCall".into()),
                ("eventTarget", "phoneNumber".into()),
                ("containerId", container),
                ("tenantId", tenant),
                ("didNumber", phone(r)),
                ("didDescription", r.pick(DID_DESC).to_string()),
                ("didGroup", r.pick(DID_GROUP).to_string()),
                (
                    "cidPrefix",
                    if r.chance(30) {
                        "VIP".into()
                    } else {
                        String::new()
                    },
                ),
                ("callUuid", call),
                ("callerIdNum", phone(r)),
                ("callerIdName", name(r)),
            ],
            r,
        ),
        23..=37 => {
            let answered = r.chance(60);
            form(
                &[
                    ("eventType", "HangupCall".into()),
                    ("containerId", container),
                    ("tenantId", tenant),
                    ("extNumber", if answered { ext } else { String::new() }),
                    (
                        "extName",
                        if answered {
                            r.pick(EXT_NAMES).to_string()
                        } else {
                            String::new()
                        },
                    ),
                    ("callUuid", call),
                    ("callerIdName", name(r)),
                    ("callerIdNum", phone(r)),
                ],
                r,
            )
        }
        38..=57 => form(
            &[
                ("eventType", "ringAttempt".into()),
                ("eventTarget", "extension".into()),
                ("containerId", container),
                ("tenantId", tenant),
                ("extNumber", ext),
                ("extName", r.pick(EXT_NAMES).to_string()),
                ("callUuid", call),
                ("callerIdNum", phone(r)),
            ],
            r,
        ),
        58..=67 => form(
            &[
                ("eventType", "ExtensionAnswered".into()),
                ("containerId", container),
                ("tenantId", tenant),
                ("callUuid", call),
                ("callerIdNum", phone(r)),
                ("callerIdName", name(r)),
                ("extensionNumber", ext),
                ("extensionName", r.pick(EXT_NAMES).to_string()),
            ],
            r,
        ),
        68..=80 => {
            let vm = r.chance(25);
            form(
                &[
                    (
                        "eventType",
                        if vm {
                            "voicemailHangup"
                        } else {
                            "inboundCallCompleted"
                        }
                        .into(),
                    ),
                    ("containerId", container),
                    ("tenantId", tenant),
                    ("extNumber", ext),
                    ("extName", r.pick(EXT_NAMES).to_string()),
                    ("callUuid", call),
                    ("callerIdName", name(r)),
                    ("callerIdNum", phone(r)),
                ],
                r,
            )
        }
        81..=88 => form(
            &[
                ("eventType", "outboundCall".into()),
                ("containerId", container),
                ("tenantId", tenant),
                ("extNumber", ext),
                ("extName", r.pick(EXT_NAMES).to_string()),
                ("callUuid", call),
                ("numberDialed", phone(r)),
            ],
            r,
        ),
        89..=94 => form(
            &[
                ("eventType", "ringAttempt".into()),
                ("eventTarget", "ringGroup".into()),
                ("containerId", container),
                ("tenantId", tenant),
                ("rgNumber", format!("6{}", digits(r, 2))),
                ("callUuid", call),
                ("callerIdNum", phone(r)),
            ],
            r,
        ),
        _ => form(
            &[
                ("eventType", "queueEntered".into()),
                ("eventTarget", "queue".into()),
                ("containerId", container),
                ("tenantId", tenant),
                ("queueNumber", format!("7{}", digits(r, 2))),
                ("callUuid", call),
                ("callerIdNum", phone(r)),
            ],
            r,
        ),
    }
}

/// The benchmark corpus: `n` payloads from seed 2026.
pub fn corpus(n: usize) -> Vec<Payload> {
    let mut r = Rng::new(2026);
    (0..n).map(|_| payload(&mut r)).collect()
}

/// The corpus as JSON lines (`{"content_type": ..., "body": ...}`), for the other languages.
pub fn to_jsonl(corpus: &[Payload]) -> String {
    let mut out = String::new();
    for p in corpus {
        out.push_str("{\"content_type\":");
        match p.content_type {
            Some(ct) => out.push_str(&js(ct, false)),
            None => out.push_str("null"),
        }
        out.push_str(",\"body\":");
        out.push_str(&js(&p.body, false));
        out.push_str("}\n");
    }
    out
}
