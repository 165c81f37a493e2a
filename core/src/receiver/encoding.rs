//! Content-Encoding: gzip and deflate request bodies, decoded with a bound on the decoded size
//! so that a small compressed body (a "decompression bomb") cannot take more memory than an
//! uncompressed body may.

use std::borrow::Cow;
use std::io::Read;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use super::Answer;
use crate::error::Refusal;
use crate::parse::truncate;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Coding {
    Gzip,
    Deflate,
}

/// The codings of a Content-Encoding header, in the order they were applied; the answer 415
/// for one we do not decode.
pub(super) fn codings(header: Option<&str>) -> Result<Vec<Coding>, Answer> {
    let mut out = Vec::new();
    for name in header.unwrap_or("").split(',').map(str::trim) {
        let is = |s: &str| name.eq_ignore_ascii_case(s);
        if name.is_empty() || is("identity") {
            continue;
        } else if is("gzip") || is("x-gzip") {
            out.push(Coding::Gzip);
        } else if is("deflate") {
            out.push(Coding::Deflate);
        } else {
            return Err(Answer::refusal_with(
                Refusal::UnsupportedContentEncoding,
                format!(
                    "Content-Encoding '{}' is not supported: send gzip, deflate or identity",
                    truncate(name, 40)
                ),
            ));
        }
    }
    Ok(out)
}

/// Undoes `codings` (last applied first). `Err(None)`: the decoded body is over `limit`.
pub(super) fn decode<'a>(
    body: &'a [u8],
    codings: &[Coding],
    limit: usize,
) -> Result<Cow<'a, [u8]>, Option<Answer>> {
    let mut data = Cow::Borrowed(body);
    for &coding in codings.iter().rev() {
        let input: &[u8] = &data;
        let mut out = Vec::new();
        let bound = limit as u64 + 1;
        let read = match coding {
            Coding::Gzip => MultiGzDecoder::new(input).take(bound).read_to_end(&mut out),
            // HTTP's "deflate" is the zlib format, but some senders send raw deflate.
            Coding::Deflate if is_zlib(input) => {
                ZlibDecoder::new(input).take(bound).read_to_end(&mut out)
            }
            Coding::Deflate => DeflateDecoder::new(input).take(bound).read_to_end(&mut out),
        };
        if read.is_err() {
            let name = if coding == Coding::Gzip {
                "gzip"
            } else {
                "deflate"
            };
            return Err(Some(Answer::refusal_with(
                Refusal::InvalidContentEncoding,
                format!("the body is not valid {name} data, as its Content-Encoding says"),
            )));
        }
        if out.len() > limit {
            return Err(None);
        }
        data = Cow::Owned(out);
    }
    Ok(data)
}

fn is_zlib(b: &[u8]) -> bool {
    matches!(b, [cmf, flg, ..] if cmf & 0x0F == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0)
}
