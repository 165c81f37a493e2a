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
    let mut mask = 0u64;
    for k in 0..8 {
        let w = word(b, 8 * k);
        let f = needles.iter().fold(0, |f, &c| f | exact_eq(w, c));
        mask |= high_bits(f) << (8 * k);
    }
    mask
}

/// The high bit of each byte of `w` that equals `c`, exactly (no borrow across bytes, unlike
/// `flags`, which is exact for the lowest match only).
#[inline(always)]
fn exact_eq(w: u64, c: u8) -> u64 {
    let x = w ^ (ONES * u64::from(c));
    !(((x & !HIGH).wrapping_add(!HIGH)) | x) & HIGH
}

/// The high bit of each byte of `w` below 0x20, exactly.
#[inline(always)]
fn exact_control(w: u64) -> u64 {
    // The low seven bits plus 0x60 reach the high bit from 0x20 up, and never carry out.
    !(((w & !HIGH).wrapping_add(ONES * 0x60)) | w) & HIGH
}

/// The high bit of byte i of `f` (only high bits set) as bit i.
#[inline(always)]
fn high_bits(f: u64) -> u64 {
    // Each product bit lands apart: no carries.
    ((f >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// Whether `c` ends a run of plain text in a JSON string: a quote, a backslash, and with
/// `CONTROLS` (strict mode) a raw control character.
#[inline(always)]
pub(crate) fn is_stop<const CONTROLS: bool>(c: u8) -> bool {
    c == b'"' || c == b'\\' || (CONTROLS && c < 0x20)
}

/// The first byte of `s` from `from` that [`is_stop`], 16 bytes per step.
///
/// JSON strings are member names and short values, and message texts of a thousand bytes
/// with an escape every few bytes: one 16-byte step finds most ends, with no call and no set-up.
#[inline(always)]
pub(crate) fn find_stop<const CONTROLS: bool>(s: &[u8], from: usize) -> Option<usize> {
    let n = s.len();
    let mut i = from;
    while let Some(chunk) = s.get(i..).and_then(<[u8]>::first_chunk::<16>) {
        let m = stops16::<CONTROLS>(chunk);
        if m != 0 {
            return Some(i + m.trailing_zeros() as usize);
        }
        i += 16;
    }
    if i >= n {
        return None;
    }
    let m = match s.last_chunk::<16>() {
        // The last 16 bytes overlap bytes already searched (no stop among them): shifted out.
        Some(last) => stops16::<CONTROLS>(last) >> (i + 16 - n),
        None => {
            let mut b = [0u8; 16];
            b[..n - i].copy_from_slice(&s[i..]);
            // A zero pad byte is a control character: masked off.
            stops16::<CONTROLS>(&b) & ((1 << (n - i)) - 1)
        }
    };
    (m != 0).then(|| i + m.trailing_zeros() as usize)
}

/// The [`is_stop`] bytes among the 16 of `b`, as bits.
#[inline(always)]
pub(crate) fn stops16<const CONTROLS: bool>(b: &[u8; 16]) -> u32 {
    // SAFETY: `b` is 16 readable bytes; nothing is written without COPY.
    unsafe { stops16_at::<CONTROLS, false>(b.as_ptr(), std::ptr::null_mut()) }
}

/// Copies the 16 bytes at `src` to `dst` and returns their [`is_stop`] bytes as bits: a run of
/// plain text is copied 16 bytes per step while it is searched, with no call (the bytes stored
/// past the stop lie in spare capacity, or are overwritten next).
///
/// # Safety
/// `src` must be valid for reading 16 bytes and `dst` for writing 16 bytes.
#[inline(always)]
pub(crate) unsafe fn stops16_copy<const CONTROLS: bool>(src: *const u8, dst: *mut u8) -> u32 {
    // SAFETY: as required of the caller.
    unsafe { stops16_at::<CONTROLS, true>(src, dst) }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn stops16_at<const CONTROLS: bool, const COPY: bool>(src: *const u8, dst: *mut u8) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_storeu_si128,
    };
    // SAFETY: SSE2 is part of the x86_64 baseline; 16 bytes are read at `src` and written at
    // `dst` (when copying), as the caller guarantees.
    unsafe {
        let v = _mm_loadu_si128(src.cast::<__m128i>());
        if COPY {
            _mm_storeu_si128(dst.cast::<__m128i>(), v);
        }
        let mut hit = _mm_or_si128(
            _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8)),
            _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8)),
        );
        if CONTROLS {
            // max(v, 0x1f) == 0x1f exactly for v <= 0x1f (unsigned).
            let top = _mm_set1_epi8(0x1f);
            hit = _mm_or_si128(hit, _mm_cmpeq_epi8(_mm_max_epu8(v, top), top));
        }
        u32::from(_mm_movemask_epi8(hit) as u16)
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
unsafe fn stops16_at<const CONTROLS: bool, const COPY: bool>(src: *const u8, dst: *mut u8) -> u32 {
    use core::arch::wasm32::{
        u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, v128, v128_load, v128_or, v128_store,
    };
    // SAFETY: 16 bytes are read at `src` and written at `dst` (when copying), as the caller
    // guarantees; wasm loads and stores need no alignment.
    let v = unsafe { v128_load(src.cast::<v128>()) };
    if COPY {
        unsafe { v128_store(dst.cast::<v128>(), v) };
    }
    let mut hit = v128_or(
        u8x16_eq(v, u8x16_splat(b'"')),
        u8x16_eq(v, u8x16_splat(b'\\')),
    );
    if CONTROLS {
        hit = v128_or(hit, u8x16_lt(v, u8x16_splat(0x20)));
    }
    u32::from(u8x16_bitmask(hit))
}

#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
#[inline(always)]
unsafe fn stops16_at<const CONTROLS: bool, const COPY: bool>(src: *const u8, dst: *mut u8) -> u32 {
    // SAFETY: as required of the caller.
    unsafe { stops16_swar::<CONTROLS, COPY>(src, dst) }
}

/// [`stops16_at`] eight bytes at a time in a register.
#[cfg_attr(
    any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    ),
    allow(dead_code)
)]
#[inline(always)]
unsafe fn stops16_swar<const CONTROLS: bool, const COPY: bool>(
    src: *const u8,
    dst: *mut u8,
) -> u32 {
    let mut b = [0u8; 16];
    // SAFETY: 16 bytes are read at `src` and written at `dst` (when copying), as the caller
    // guarantees; `b` is a separate local.
    unsafe {
        std::ptr::copy_nonoverlapping(src, b.as_mut_ptr(), 16);
        if COPY {
            std::ptr::copy_nonoverlapping(b.as_ptr(), dst, 16);
        }
    }
    let mut mask = 0u64;
    for k in 0..2 {
        let w = word(&b, 8 * k);
        let mut f = exact_eq(w, b'"') | exact_eq(w, b'\\');
        if CONTROLS {
            f |= exact_control(w);
        }
        mask |= high_bits(f) << (8 * k);
    }
    mask as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fillers a test uses: all, or under valgrind the first three (the others tell a
    /// match from a near miss, which the native run checks; the loads are the same).
    fn sample(fillers: &[u8]) -> &[u8] {
        if crate::test_support::under_valgrind() {
            &fillers[..3]
        } else {
            fillers
        }
    }

    /// Where a test of `len` bytes puts its match: every position, then none (`usize::MAX`).
    /// Under valgrind, every fifth position and the last ones: each length still runs each
    /// way through the search (word by word, the tail word, the 16-byte steps, the long
    /// search).
    fn hits(len: usize) -> impl Iterator<Item = usize> {
        let step = if crate::test_support::under_valgrind() {
            5
        } else {
            1
        };
        (0..=len)
            .filter(move |&hit| hit % step == 0 || hit + 2 >= len)
            .chain([usize::MAX])
    }

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
                for &fill in sample(&fillers) {
                    for hit in hits(len) {
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
    fn finds_string_stops_like_a_plain_scan() {
        // Every length past two 16-byte steps, every start, a stop at every position (or none),
        // among bytes next to the stops: one bit off, the high bit set, 0x1f/0x20.
        fn check<const CONTROLS: bool>(s: &[u8]) {
            for from in 0..=s.len() {
                let want = (from..s.len()).find(|&i| is_stop::<CONTROLS>(s[i]));
                assert_eq!(find_stop::<CONTROLS>(s, from), want, "{s:?} from {from}");
            }
        }
        let fillers = [
            b'a',
            b'"' ^ 1,
            b'\\' ^ 1,
            b'"' | 0x80,
            b'\\' | 0x80,
            0x20,
            0x7f,
            0x9f,
            0xff,
        ];
        for len in 0..50 {
            for &fill in sample(&fillers) {
                for hit in hits(len) {
                    for stop in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
                        let mut s = vec![fill; len];
                        if hit < len {
                            s[hit] = stop;
                            if hit + 5 < len {
                                s[hit + 5] = b'"';
                            }
                        }
                        check::<false>(&s);
                        check::<true>(&s);
                    }
                }
            }
        }
    }

    #[test]
    fn string_stops_simd_and_swar_agree() {
        // Every byte value at every position of a block of each filler; the copy is whole.
        fn check<const CONTROLS: bool>(b: &[u8; 16]) {
            let want = (0..16)
                .filter(|&i| is_stop::<CONTROLS>(b[i]))
                .fold(0, |m, i| m | 1 << i);
            assert_eq!(stops16::<CONTROLS>(b), want, "{b:?}");
            let mut copy = [0u8; 16];
            // SAFETY: both are 16-byte arrays.
            let m = unsafe { stops16_copy::<CONTROLS>(b.as_ptr(), copy.as_mut_ptr()) };
            assert_eq!((m, &copy), (want, b));
            let mut copy = [0u8; 16];
            // SAFETY: both are 16-byte arrays.
            let m = unsafe { stops16_swar::<CONTROLS, true>(b.as_ptr(), copy.as_mut_ptr()) };
            assert_eq!((m, &copy), (want, b));
            // SAFETY: `b` is 16 bytes; nothing is written without COPY.
            let m = unsafe { stops16_swar::<CONTROLS, false>(b.as_ptr(), std::ptr::null_mut()) };
            assert_eq!(m, want);
        }
        // Under valgrind, every byte value at three positions (the first, one inside, the last).
        let positions: &[usize] = if crate::test_support::under_valgrind() {
            &[0, 9, 15]
        } else {
            &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
        };
        for fill in [0u8, b'a', 0x1f, 0x20, b'"', b'\\', 0x80, 0xa2, 0xdc, 0xff] {
            for &at in positions {
                for c in 0..=255u8 {
                    let mut b = [fill; 16];
                    b[at] = c;
                    b[(at + 7) % 16] = c ^ 0x80;
                    check::<false>(&b);
                    check::<true>(&b);
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
