//! Finding a delimiter in the short runs a webhook is made of.
//!
//! JSON member names and values (ids, phone numbers) are mostly under 64 bytes. memchr's
//! vectorised search costs about 50-90 instructions of set-up per call (per `next()` of its
//! iterators), more than such a run costs to search eight bytes at a time in a register (SWAR,
//! no set-up and no call, about one instruction per byte): the first 64 bytes are searched so,
//! and only a longer run goes on to memchr ([`find2`]). Form bodies are marked in one pass
//! instead ([`Marks`]).

const SHORT: usize = 64;
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that equals `needle`, exactly for the lowest one (a borrow
/// can only flag bytes above a real match), so the lowest flag of any OR of these is the first
/// match of any of the needles.
#[inline(always)]
fn flags(w: u64, needle: u8) -> u64 {
    let x = w ^ (ONES * u64::from(needle));
    x.wrapping_sub(ONES) & !x & HIGH
}

#[inline(always)]
fn word(b: &[u8], i: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[i..i + 8]);
    u64::from_le_bytes(w)
}

/// The first byte of `s` that `matches` flags (with [`flags`]; no needle is 0), searching by
/// words up to [`SHORT`] bytes and with `long` after that.
#[inline(always)]
fn search(
    s: &[u8],
    matches: impl Fn(u64) -> u64,
    long: impl FnOnce(&[u8]) -> Option<usize>,
) -> Option<usize> {
    let first =
        |found: u64, at: usize| (found != 0).then(|| at + (found.trailing_zeros() / 8) as usize);
    let n = s.len();
    if n < 8 {
        // Zero padding matches no needle.
        let mut w = [0u8; 8];
        w[..n].copy_from_slice(s);
        return first(matches(u64::from_le_bytes(w)), 0);
    }
    let mut i = 0;
    while i + 8 <= n {
        if i == SHORT {
            return long(&s[i..]).map(|j| i + j);
        }
        if let Some(j) = first(matches(word(s, i)), i) {
            return Some(j);
        }
        i += 8;
    }
    // The last word overlaps bytes already searched: none of them matches, so the lowest flag
    // is still the first match.
    if i < n {
        return first(matches(word(s, n - 8)), n - 8);
    }
    None
}

/// The index of the first `a` or `b` in `s` (neither is 0).
#[inline]
pub(crate) fn find2(a: u8, b: u8, s: &[u8]) -> Option<usize> {
    debug_assert!(a != 0 && b != 0);
    search(
        s,
        |w| flags(w, a) | flags(w, b),
        |rest| memchr::memchr2(a, b, rest),
    )
}

/// The positions of the bytes of a text equal to any of four needles (none is 0), in order.
///
/// A form body is a run of segments a few dozen bytes long, each with a `&`, an `=` and perhaps
/// escapes: one pass marks all four delimiters of 64 bytes at a time into a bit mask (16 bytes
/// per SSE2 compare on x86_64, eight per SWAR word elsewhere), where one search per delimiter
/// per segment paid a call and its set-up every dozen bytes.
pub(crate) struct Marks<'s> {
    s: &'s [u8],
    needles: [u8; 4],
    /// Where the block of `mask` starts.
    base: usize,
    /// One bit per byte of the block that is a needle and not yet returned.
    mask: u64,
}

impl<'s> Marks<'s> {
    #[inline]
    pub(crate) fn new(s: &'s [u8], needles: [u8; 4]) -> Self {
        debug_assert!(!needles.contains(&0));
        Marks {
            s,
            needles,
            base: 0,
            mask: block(s, 0, needles),
        }
    }
}

impl Iterator for Marks<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.base += 64;
            if self.base >= self.s.len() {
                return None;
            }
            self.mask = block(self.s, self.base, self.needles);
        }
        let at = self.base + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

/// The mask of the needles among the 64 bytes of `s` from `at`, zero-padded past its end (a
/// pad byte is no needle).
#[inline(always)]
fn block(s: &[u8], at: usize, needles: [u8; 4]) -> u64 {
    let rest = &s[at.min(s.len())..];
    match rest.first_chunk::<64>() {
        Some(b) => mask64(b, needles),
        None => {
            let mut b = [0u8; 64];
            b[..rest.len()].copy_from_slice(rest);
            mask64(&b, needles)
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn mask64(b: &[u8; 64], needles: [u8; 4]) -> u64 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline; each 16 bytes read lie within `b`.
    unsafe {
        let n = needles.map(|c| _mm_set1_epi8(c as i8));
        let mut mask = 0u64;
        for k in 0..4 {
            let v = _mm_loadu_si128(b.as_ptr().add(16 * k).cast::<__m128i>());
            let hit = _mm_or_si128(
                _mm_or_si128(_mm_cmpeq_epi8(v, n[0]), _mm_cmpeq_epi8(v, n[1])),
                _mm_or_si128(_mm_cmpeq_epi8(v, n[2]), _mm_cmpeq_epi8(v, n[3])),
            );
            mask |= u64::from(_mm_movemask_epi8(hit) as u16) << (16 * k);
        }
        mask
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn mask64(b: &[u8; 64], needles: [u8; 4]) -> u64 {
    use core::arch::wasm32::{u8x16_bitmask, u8x16_eq, u8x16_splat, v128, v128_load, v128_or};
    let n = needles.map(|c| u8x16_splat(c));
    let mut mask = 0u64;
    for k in 0..4 {
        // SAFETY: the 16 bytes read lie within `b`; wasm loads need no alignment.
        let v = unsafe { v128_load(b.as_ptr().add(16 * k).cast::<v128>()) };
        let hit = v128_or(
            v128_or(u8x16_eq(v, n[0]), u8x16_eq(v, n[1])),
            v128_or(u8x16_eq(v, n[2]), u8x16_eq(v, n[3])),
        );
        mask |= u64::from(u8x16_bitmask(hit)) << (16 * k);
    }
    mask
}

#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
#[inline(always)]
fn mask64(b: &[u8; 64], needles: [u8; 4]) -> u64 {
    mask64_swar(b, needles)
}

/// [`mask64`] eight bytes at a time in a register.
#[cfg_attr(
    any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ),
    allow(dead_code)
)]
#[inline(always)]
fn mask64_swar(b: &[u8; 64], needles: [u8; 4]) -> u64 {
    // The high bit of each byte of `w` that equals `c`, exactly (no borrow across bytes, unlike
    // `flags`, which is exact for the lowest match only).
    let exact = |w: u64, c: u8| {
        let x = w ^ (ONES * u64::from(c));
        !(((x & !HIGH).wrapping_add(!HIGH)) | x) & HIGH
    };
    let mut mask = 0u64;
    for k in 0..8 {
        let w = word(b, 8 * k);
        let f = needles.iter().fold(0, |f, &c| f | exact(w, c));
        // The high bit of byte i moves to bit i (each product bit lands apart, no carries).
        let bits = ((f >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56;
        mask |= bits << (8 * k);
    }
    mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_a_plain_scan() {
        // Every length up to past the SWAR/memchr switch, a match at every position (or none),
        // among bytes that differ from the needles by one bit or by the high bit.
        let fillers = [
            b'a',
            b'"' ^ 1,
            b'\\' ^ 0x80,
            b'"' | 0x80,
            0x00,
            0xff,
            b'\\' - 1,
            b'&' ^ 1,
            b'%' | 0x80,
        ];
        for (x, y) in [(b'"', b'\\'), (b'%', b'+'), (b'&', b'=')] {
            for len in 0..150 {
                for &fill in &fillers {
                    for hit in (0..=len).chain([usize::MAX]) {
                        for m in [x, y] {
                            let mut s = vec![fill; len];
                            if hit < len {
                                s[hit] = m;
                                if hit + 3 < len {
                                    s[hit + 3] = x;
                                }
                            }
                            let want2 = s.iter().position(|&c| c == x || c == y);
                            assert_eq!(find2(x, y, &s), want2, "{s:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn marks_every_needle_in_order() {
        let needles = [b'&', b'=', b'%', b'+'];
        let fillers = [
            b'a',
            b'&' ^ 1,
            b'=' | 0x80,
            0x00,
            0xff,
            b'%' - 1,
            b'+' ^ 0x80,
        ];
        for len in 0..200 {
            for &fill in &fillers {
                for step in [1, 3, 7, 64] {
                    let mut s = vec![fill; len];
                    for (j, i) in (0..len).step_by(step).enumerate() {
                        s[i] = needles[j % 4];
                    }
                    let want: Vec<usize> = (0..len).filter(|&i| needles.contains(&s[i])).collect();
                    assert_eq!(Marks::new(&s, needles).collect::<Vec<_>>(), want, "{s:?}");
                    let mut padded = [0u8; 64];
                    let n = len.min(64);
                    padded[..n].copy_from_slice(&s[..n]);
                    assert_eq!(
                        mask64_swar(&padded, needles),
                        mask64(&padded, needles),
                        "{s:?}"
                    );
                }
            }
        }
    }
}
