//! Content-Encoding: gzip and deflate request bodies, decoded with a bound on the decoded size
//! so that a small compressed body (a "decompression bomb") cannot take more memory than an
//! uncompressed body may.

use std::borrow::Cow;

use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

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
    // No header (most requests, checked twice each): nothing to split or trim.
    let Some(header) = header else {
        return Ok(out);
    };
    for name in header.split(',').map(str::trim) {
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
        let decoded = match coding {
            Coding::Gzip => gunzip(&data, limit),
            // HTTP's "deflate" is the zlib format, but some senders send raw deflate.
            Coding::Deflate => inflate(&data, is_zlib(&data), limit).map(|(out, _)| out),
        };
        data = match decoded {
            Ok(out) => Cow::Owned(out),
            Err(Failure::TooLarge) => return Err(None),
            Err(Failure::Invalid) => {
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
        };
    }
    Ok(data)
}

enum Failure {
    Invalid,
    TooLarge,
}

fn is_zlib(b: &[u8]) -> bool {
    matches!(b, [cmf, flg, ..] if cmf & 0x0F == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0)
}

/// Inflates one deflate stream (zlib-wrapped when `zlib`) into at most `limit` bytes: the
/// output and how many input bytes the stream took. The output buffer grows as needed, never
/// past `limit + 1`, so a bomb costs no more memory than an uncompressed body may.
fn inflate(input: &[u8], zlib: bool, limit: usize) -> Result<(Vec<u8>, usize), Failure> {
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF
        | if zlib {
            inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER
        } else {
            0
        };
    let cap = limit.saturating_add(1);
    let mut out = vec![0; input.len().saturating_mul(4).clamp(64, cap)];
    let mut state = Box::<DecompressorOxide>::default();
    let (mut in_pos, mut out_pos) = (0, 0);
    loop {
        let rest = input.get(in_pos..).ok_or(Failure::Invalid)?;
        let (status, used, written) = decompress(&mut state, rest, &mut out, out_pos, flags);
        in_pos += used;
        out_pos += written;
        match status {
            TINFLStatus::Done if out_pos <= limit => {
                out.truncate(out_pos);
                return Ok((out, in_pos));
            }
            TINFLStatus::Done => return Err(Failure::TooLarge),
            TINFLStatus::HasMoreOutput if out.len() >= cap => return Err(Failure::TooLarge),
            TINFLStatus::HasMoreOutput => {
                let grown = out.len().saturating_mul(2).min(cap);
                out.resize(grown, 0);
            }
            _ => return Err(Failure::Invalid),
        }
    }
}

/// A gzip body (RFC 1952): each member's header, deflate data and trailer (CRC-32 and size,
/// both checked); members may follow one another.
fn gunzip(mut input: &[u8], limit: usize) -> Result<Vec<u8>, Failure> {
    let mut out = Vec::new();
    loop {
        let start = gzip_header(input).ok_or(Failure::Invalid)?;
        let (data, used) = inflate(&input[start..], false, limit - out.len())?;
        let end = start + used;
        let trailer = input.get(end..end + 8).ok_or(Failure::Invalid)?;
        let crc = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
        let size = u32::from_le_bytes([trailer[4], trailer[5], trailer[6], trailer[7]]);
        if crc != crc32(&data) || size != data.len() as u32 {
            return Err(Failure::Invalid);
        }
        out.extend_from_slice(&data);
        input = &input[end + 8..];
        // Some tools pad a gzip file with zeros: nothing more to decode.
        if input.iter().all(|&b| b == 0) {
            return Ok(out);
        }
    }
}

/// The length of a gzip member header, or `None` when it is not one.
fn gzip_header(b: &[u8]) -> Option<usize> {
    const FHCRC: u8 = 2;
    const FEXTRA: u8 = 4;
    const FNAME: u8 = 8;
    const FCOMMENT: u8 = 16;
    let [0x1f, 0x8b, 8, flags, _, _, _, _, _, _, ..] = *b else {
        return None;
    };
    let mut i = 10;
    if flags & FEXTRA != 0 {
        let len = b.get(i..i + 2)?;
        i += 2 + usize::from(u16::from_le_bytes([len[0], len[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            i += b.get(i..)?.iter().position(|&c| c == 0)? + 1;
        }
    }
    if flags & FHCRC != 0 {
        i += 2;
    }
    (i <= b.len()).then_some(i)
}

/// CRC-32 (IEEE, as gzip uses it), bit by bit: bodies are small, and no table is worth the size.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(b: &[u8]) -> Vec<u8> {
        let mut e = flate2::GzBuilder::new()
            .filename("body.json")
            .comment("c")
            .extra(vec![1, 2, 3])
            .write(Vec::new(), flate2::Compression::default());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_members_headers_and_trailers() {
        let mut two = gzip(b"hello, ");
        two.extend(gzip(b"world"));
        assert_eq!(gunzip(&two, 100).ok(), Some(b"hello, world".to_vec()));
        let mut padded = gzip(b"x");
        padded.extend([0; 7]);
        assert_eq!(gunzip(&padded, 100).ok(), Some(b"x".to_vec()));
        let mut bad_crc = gzip(b"hello");
        let n = bad_crc.len();
        bad_crc[n - 8] ^= 1;
        assert!(matches!(gunzip(&bad_crc, 100), Err(Failure::Invalid)));
        let truncated = &gzip(b"hello")[..12];
        assert!(matches!(gunzip(truncated, 100), Err(Failure::Invalid)));
        assert!(matches!(
            gunzip(&gzip(&[7; 101]), 100),
            Err(Failure::TooLarge)
        ));
        assert_eq!(
            gunzip(&gzip(&[7; 100]), 100).ok().map(|v| v.len()),
            Some(100)
        );
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }
}
