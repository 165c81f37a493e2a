//! The Python boundary (`bindings-python`): texts in the form CPython's limited API makes a
//! `str` from cheapest.
//!
//! From UTF-8 (`PyUnicode_FromStringAndSize`) CPython decodes one character at a time past ASCII
//! and rebuilds the string each time a wider character turns up (Latin-1, then UCS-2, then
//! UCS-4): on the message texts of the benchmark corpus (scripts mixed with emoji) that was the
//! largest single cost of a parse with every field read in Python. From code points
//! (`PyUnicode_FromWideChar`, where `wchar_t` is 32 bits as on Linux and macOS) CPython finds the
//! widest character and copies. So a non-ASCII text crosses as code points decoded here
//! ([`push_code_points`]: runs of ASCII and of two-byte characters a vector at a time), and an
//! ASCII text as it is (CPython copies ASCII 8 bytes at a time).

/// Appends the code points of `s` to `out`, one `u32` per character.
///
/// Runs of ASCII are widened 16 bytes at a time (SSE2 on x86_64); each other character is
/// decoded from its UTF-8 sequence, which `s` being a `str` guarantees is whole and valid.
pub fn push_code_points(s: &str, out: &mut Vec<u32>) {
    let b = s.as_bytes();
    let base = out.len();
    // A UTF-8 text never has more characters than bytes.
    out.reserve(b.len());
    let dst = out.spare_capacity_mut().as_mut_ptr().cast::<u32>();
    let n = b.len();
    let src = b.as_ptr();
    let mut i = 0usize;
    // Characters written.
    let mut d = 0usize;
    // SAFETY (every read and write below): `s` is valid UTF-8, so a lead byte at `i < n` is
    // followed by its continuation bytes, all before `n`; a character is written at `d` after
    // `d` characters were decoded from `i >= d` bytes, so `d < n <= spare capacity`.
    unsafe {
        while i < n {
            debug_assert!(d <= i);
            let b0 = *src.add(i);
            let at = dst.add(d);
            if b0 < 0x80 {
                // A run of ASCII, 16 bytes per step; a lone ASCII byte (a space between words
                // of another script) on its own.
                if i + 16 <= n && *src.add(i + 1) < 0x80 {
                    // 16 code points at `d` (`d + 16 <= i + 16 <= n`).
                    let k = widen16(src.add(i), at);
                    i += k;
                    d += k;
                    continue;
                }
                at.write(u32::from(b0));
                i += 1;
            } else if b0 < 0xe0 {
                // A run of two-byte characters (Cyrillic, Greek, Arabic, Hebrew words), 8 per
                // step.
                if i + 16 <= n {
                    // 8 code points at `d` (`d + 8 <= i + 16 <= n`).
                    let k = pairs16(src.add(i), at);
                    if k != 0 {
                        i += 2 * k;
                        d += k;
                        continue;
                    }
                }
                at.write((u32::from(b0 & 0x1f) << 6) | cont(src, i + 1));
                i += 2;
            } else if b0 < 0xf0 {
                at.write((u32::from(b0 & 0x0f) << 12) | (cont(src, i + 1) << 6) | cont(src, i + 2));
                i += 3;
            } else {
                at.write(
                    (u32::from(b0 & 0x07) << 18)
                        | (cont(src, i + 1) << 12)
                        | (cont(src, i + 2) << 6)
                        | cont(src, i + 3),
                );
                i += 4;
            }
            d += 1;
        }
    }
    // SAFETY: `d` code points were written after the `base` that were there.
    unsafe { out.set_len(base + d) };
}

/// The six bits of the continuation byte at `src + i`.
///
/// # Safety
/// `src + i` is readable.
#[inline(always)]
unsafe fn cont(src: *const u8, i: usize) -> u32 {
    // SAFETY: the caller's.
    u32::from(unsafe { *src.add(i) } & 0x3f)
}

/// Writes the 16 bytes at `src` widened to 16 `u32` at `dst`; returns how many of them lead
/// the run of ASCII (1 to 16: the first byte is ASCII). Only those are meant: the others are
/// overwritten by what the caller decodes next.
///
/// # Safety
/// 16 bytes readable at `src`, 16 `u32` writable at `dst` (no alignment needed); `*src < 0x80`.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn widen16(src: *const u8, dst: *mut u32) -> usize {
    use std::arch::x86_64::{
        __m128i, _mm_loadu_si128, _mm_movemask_epi8, _mm_setzero_si128, _mm_storeu_si128,
        _mm_unpackhi_epi16, _mm_unpackhi_epi8, _mm_unpacklo_epi16, _mm_unpacklo_epi8,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline; the bounds are the caller's.
    unsafe {
        let v = _mm_loadu_si128(src.cast::<__m128i>());
        let z = _mm_setzero_si128();
        let lo = _mm_unpacklo_epi8(v, z);
        let hi = _mm_unpackhi_epi8(v, z);
        let out = dst.cast::<__m128i>();
        _mm_storeu_si128(out, _mm_unpacklo_epi16(lo, z));
        _mm_storeu_si128(out.add(1), _mm_unpackhi_epi16(lo, z));
        _mm_storeu_si128(out.add(2), _mm_unpacklo_epi16(hi, z));
        _mm_storeu_si128(out.add(3), _mm_unpackhi_epi16(hi, z));
        let high = _mm_movemask_epi8(v) as u32;
        if high == 0 {
            16
        } else {
            high.trailing_zeros() as usize
        }
    }
}

/// Decodes the 16 bytes at `src` as 8 two-byte UTF-8 sequences into 8 `u32` at `dst`; returns
/// how many of them lead the text as two-byte sequences (0 to 8). Only those are meant.
///
/// # Safety
/// 16 bytes readable at `src`, 8 `u32` writable at `dst`; `src` is at a character boundary of
/// valid UTF-8.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn pairs16(src: *const u8, dst: *mut u32) -> usize {
    use std::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi16, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi16, _mm_setzero_si128, _mm_slli_epi16, _mm_srli_epi16, _mm_storeu_si128,
        _mm_unpackhi_epi16, _mm_unpacklo_epi16,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline; the bounds are the caller's.
    unsafe {
        let v = _mm_loadu_si128(src.cast::<__m128i>());
        // Each 16-bit lane is one sequence, lead byte low: 110xxxxx 10yyyyyy.
        let shape = _mm_and_si128(v, _mm_set1_epi16(0xC0E0_u16 as i16));
        let ok = _mm_cmpeq_epi16(shape, _mm_set1_epi16(0x80C0_u16 as i16));
        // After a run of whole two-byte sequences from a boundary, the next lane starts at a
        // boundary too: the leading lanes of that shape are characters.
        let bad = !(_mm_movemask_epi8(ok) as u32) & 0xFFFF;
        let k = if bad == 0 {
            8
        } else {
            (bad.trailing_zeros() / 2) as usize
        };
        let lead = _mm_slli_epi16(_mm_and_si128(v, _mm_set1_epi16(0x1F)), 6);
        let tail = _mm_and_si128(_mm_srli_epi16(v, 8), _mm_set1_epi16(0x3F));
        let ch = _mm_or_si128(lead, tail);
        let z = _mm_setzero_si128();
        let out = dst.cast::<__m128i>();
        _mm_storeu_si128(out, _mm_unpacklo_epi16(ch, z));
        _mm_storeu_si128(out.add(1), _mm_unpackhi_epi16(ch, z));
        k
    }
}

/// [`pairs16`] without a vector unit: none (the caller decodes them one by one).
///
/// # Safety
/// As [`pairs16`].
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
unsafe fn pairs16(_src: *const u8, _dst: *mut u32) -> usize {
    0
}

/// [`widen16`] without a vector unit: the leading ASCII bytes only.
///
/// # Safety
/// As [`widen16`].
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
unsafe fn widen16(src: *const u8, dst: *mut u32) -> usize {
    let mut k = 0;
    // SAFETY: `k < 16`: within the caller's bounds.
    unsafe {
        while k < 16 && *src.add(k) < 0x80 {
            dst.add(k).write(u32::from(*src.add(k)));
            k += 1;
        }
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(s: &str) -> Vec<u32> {
        s.chars().map(u32::from).collect()
    }

    fn check(s: &str) {
        let mut out = vec![7u32, 8];
        push_code_points(s, &mut out);
        assert_eq!(&out[..2], &[7, 8]);
        assert_eq!(out[2..], reference(s)[..], "{s:?}");
    }

    #[test]
    fn every_character_at_every_offset_of_a_run() {
        // Each scalar value, after 0..=17 ASCII bytes and before a tail, so that it falls at
        // every position of a 16-byte step and at the end of the text.
        let mut s = String::new();
        for c in (0..=0x10_ffffu32).filter_map(char::from_u32) {
            let lead = (c as usize) % 18;
            s.clear();
            s.extend(std::iter::repeat('a').take(lead));
            s.push(c);
            if c as u32 % 3 == 0 {
                s.push_str("0123456789abcdef\u{e9}z");
            }
            check(&s);
        }
    }

    #[test]
    fn mixed_texts_of_every_length() {
        // A deterministic pseudo-random mix of 1-, 2-, 3- and 4-byte characters.
        let pool = [
            'a',
            ' ',
            '"',
            '\n',
            '\u{7f}',
            '\u{80}',
            'é',
            'Ж',
            'م',
            '\u{7ff}',
            '\u{800}',
            '中',
            '\u{ffff}',
            '\u{10000}',
            '🚗',
            '\u{10ffff}',
        ];
        // Under valgrind, 5 texts of each length rather than 20: every length, and every unsafe
        // path of push_code_points, still runs (tests/ci/memory.sh).
        let per_length = if crate::test_support::under_valgrind() {
            5
        } else {
            20
        };
        let mut x: u64 = 2026;
        for len in 0..300 {
            for _ in 0..per_length {
                let s: String = (0..len)
                    .map(|_| {
                        x = x
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        let r = (x >> 33) as usize;
                        // Runs of ASCII and of two-byte letters (words), as in the message
                        // texts, with any other character between them.
                        match (r % 8, (x >> 20) % 4) {
                            (0..=3, 0..=2) => char::from(b'a' + (r % 26) as u8),
                            (4..=6, _) => char::from_u32(0x430 + (r as u32 % 0x3d0)).unwrap(),
                            _ => pool[(r / 8) % pool.len()],
                        }
                    })
                    .collect();
                check(&s);
            }
        }
        check("");
    }
}
