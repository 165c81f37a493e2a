//! UTF-8 to UTF-16 for the layout's values ([`super::JsValues`]): the largest single cost of
//! laying out a message whose text is not ASCII (a workerd CPU profile of the benchmark's JSON
//! deliveries). With WebAssembly SIMD, 16 bytes of 1-, 2- and 3-byte sequences are converted per
//! step; elsewhere (the napi addon) and for 4-byte sequences and the last bytes, one character at
//! a time ([`scalar`]).

/// Appends `s` to `out` as UTF-16.
pub(super) fn push_utf16(s: &str, out: &mut Vec<u16>) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    vector::push_utf16(s, out);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    scalar(s, out);
}

/// [`push_utf16`] one character at a time, with ASCII runs copied 16 bytes per step.
#[cfg_attr(
    all(target_arch = "wasm32", target_feature = "simd128"),
    allow(dead_code)
)]
pub(super) fn scalar(s: &str, out: &mut Vec<u16>) {
    let b = s.as_bytes();
    let mut o = out.len();
    // A UTF-8 text never has more UTF-16 units than bytes.
    out.resize(o + b.len(), 0);
    let mut i = 0;
    while let Some(&b0) = b.get(i) {
        if b0 < 0x80 {
            // A run of ASCII (ids, numbers, most text), 16 bytes at a time, widened by the vector
            // unit; a chunk that holds other characters is copied up to the first of them, so
            // that a text mixing scripts never checks the same bytes twice.
            let (Some(src), Some(dst)) = (b.get(i..i + 16), out.get_mut(o..o + 16)) else {
                out[o] = u16::from(b0);
                i += 1;
                o += 1;
                continue;
            };
            let n = if src.is_ascii() {
                16
            } else {
                src.iter().position(|&c| c >= 0x80).unwrap_or(16)
            };
            for (d, &c) in dst[..n].iter_mut().zip(&src[..n]) {
                *d = u16::from(c);
            }
            i += n;
            o += n;
            continue;
        }
        let (c, len) = char_at(b, i);
        i += len;
        o = put(out, o, c);
    }
    out.truncate(o);
}

/// The character whose first byte, not ASCII, is `b[i]`, and its length in bytes (`b` is valid
/// UTF-8: the continuation bytes are there).
#[inline(always)]
fn char_at(b: &[u8], i: usize) -> (u32, usize) {
    let b0 = b[i];
    let cont = |k: usize| u32::from(b.get(i + k).copied().unwrap_or(0) & 0x3f);
    match b0 {
        0x00..=0x7f => (u32::from(b0), 1),
        0x80..=0xdf => ((u32::from(b0 & 0x1f) << 6) | cont(1), 2),
        0xe0..=0xef => ((u32::from(b0 & 0x0f) << 12) | (cont(1) << 6) | cont(2), 3),
        _ => (
            (u32::from(b0 & 0x07) << 18) | (cont(1) << 12) | (cont(2) << 6) | cont(3),
            4,
        ),
    }
}

/// Writes `c` at `out[o]` (two units for a surrogate pair); returns where the next goes.
#[inline(always)]
fn put(out: &mut [u16], o: usize, c: u32) -> usize {
    if c < 0x1_0000 {
        out[o] = c as u16;
        o + 1
    } else {
        let c = c - 0x1_0000;
        out[o] = 0xd800 | (c >> 10) as u16;
        out[o + 1] = 0xdc00 | (c & 0x3ff) as u16;
        o + 2
    }
}

/// 16 bytes per step. A step starts at a character boundary and ends after the last character
/// complete within its 16 bytes. Every byte computes the UTF-16 unit of the character it would
/// end (a continuation byte takes its predecessors' payload bits; a lead byte's unit is dropped),
/// then the units of the bytes that do end a character are packed together through a shuffle
/// table. Only 1- to 3-byte sequences: a step ends before a 4-byte one (an emoji), which is
/// decoded alone.
#[cfg(any(all(target_arch = "wasm32", target_feature = "simd128"), test))]
mod vector {
    use super::simd::*;
    use super::{char_at, put};

    /// `PACK[m]`: the byte shuffle that moves the 16-bit lanes set in `m` to the front, in order.
    static PACK: [[u8; 16]; 256] = {
        let mut t = [[0x80u8; 16]; 256];
        let mut m = 0;
        while m < 256 {
            let (mut lane, mut at) = (0, 0);
            while lane < 8 {
                if m & (1 << lane) != 0 {
                    t[m][at] = 2 * lane as u8;
                    t[m][at + 1] = 2 * lane as u8 + 1;
                    at += 2;
                }
                lane += 1;
            }
            m += 1;
        }
        t
    };

    pub(in super::super) fn push_utf16(s: &str, out: &mut Vec<u16>) {
        let b = s.as_bytes();
        let start = out.len();
        // As many units as bytes at most, and room for the last step's whole stores.
        out.resize(start + b.len() + 32, 0);
        let (mut i, mut o) = steps(b, b.len().saturating_sub(16), 0, out, start);
        // The last bytes (16 at most) through the same steps, from a copy padded with zeros:
        // each padding byte read is one character, one unit too many.
        let rest = b.len() - i;
        if rest > 0 {
            let mut pad = [0u8; 48];
            pad[..rest].copy_from_slice(&b[i..]);
            (i, o) = steps(&pad, rest, 0, out, o);
            o -= i - rest;
        }
        out.truncate(o);
    }

    /// Steps from `b[i]` (a character boundary) while `i < limit`, writing at `out[o]`; `b` has
    /// 17 bytes from any `i < limit` (the 17th tells whether the step ends a character), and
    /// `out` room for 16 units more than `b` has bytes from `i`. Returns where both ended.
    /// Its branches depend on the text only for a 4-byte sequence: in mixed scripts, a branch
    /// per kind of step was mispredicted often enough to cost more than the steps.
    #[inline(always)]
    fn steps(
        b: &[u8],
        limit: usize,
        mut i: usize,
        out: &mut [u16],
        mut o: usize,
    ) -> (usize, usize) {
        let zero = splat(0);
        while i < limit {
            let v = load(&b[i..i + 16]);
            // A run of ASCII (ids, most of a text) is widened as it is.
            if bitmask(v) == 0 {
                store(&mut out[o..o + 8], zip_lo(v, zero));
                store(&mut out[o + 8..o + 16], zip_hi(v, zero));
                i += 16;
                o += 16;
                continue;
            }
            // A 4-byte sequence (an emoji) ends the step before it, and is decoded alone when
            // a step starts with it.
            let four = bitmask(ge(v, splat(0xf0)));
            if four & 1 != 0 {
                let (c, n) = char_at(b, i);
                i += n;
                o = put(out, o, c);
                continue;
            }
            let cont = eq(and(v, splat(0xc0)), splat(0x80));
            let (p1, p2) = (prev1(v), prev2(v));
            // The unit's low byte: the byte's payload and two bits of its predecessor's; its high
            // byte: four more bits of the predecessor's and, after two continuation bytes, the
            // lead byte's four. (ASCII bytes are their own unit.)
            let lo = select(cont, or(and(v, splat(0x3f)), shl(p1, 6)), v);
            let hi = and(
                cont,
                or(shr(and(p1, splat(0x3f)), 2), and(prev1(cont), shl(p2, 4))),
            );
            // The step ends at its last character boundary: 16, 15 or 14 bytes on, before a
            // 4-byte sequence. Found from the bytes rather than the vector (the next step's load
            // waits on it), and without a branch.
            let c16 = usize::from(b[i + 16] & 0xc0 == 0x80);
            let c15 = usize::from(b[i + 15] & 0xc0 == 0x80);
            let f = four.trailing_zeros() as usize;
            let next = (16 - c16 - (c16 & c15)).min(f);
            // A byte ends a character unless a continuation byte follows.
            let ends = !((bitmask(cont) >> 1) | ((c16 as u16) << 15)) & ((1u32 << f) - 1) as u16;
            let (low, high) = (usize::from(ends as u8), usize::from(ends >> 8));
            store(
                &mut out[o..o + 8],
                swizzle(zip_lo(lo, hi), load(&PACK[low])),
            );
            o += low.count_ones() as usize;
            store(
                &mut out[o..o + 8],
                swizzle(zip_hi(lo, hi), load(&PACK[high])),
            );
            o += high.count_ones() as usize;
            i += next;
        }
        (i, o)
    }
}

/// The vector operations [`vector`] uses: WebAssembly SIMD.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use core::arch::wasm32::*;

    pub type V = v128;

    #[inline(always)]
    pub fn load(b: &[u8]) -> V {
        assert!(b.len() >= 16);
        // SAFETY: the 16 bytes read lie within `b`; wasm loads need no alignment.
        unsafe { v128_load(b.as_ptr().cast::<v128>()) }
    }
    #[inline(always)]
    pub fn store(out: &mut [u16], v: V) {
        assert!(out.len() >= 8);
        // SAFETY: the 16 bytes written lie within `out`; wasm stores need no alignment.
        unsafe { v128_store(out.as_mut_ptr().cast::<v128>(), v) }
    }
    #[inline(always)]
    pub fn bitmask(v: V) -> u16 {
        u8x16_bitmask(v)
    }
    #[inline(always)]
    pub fn splat(c: u8) -> V {
        u8x16_splat(c)
    }
    #[inline(always)]
    pub fn and(a: V, b: V) -> V {
        v128_and(a, b)
    }
    #[inline(always)]
    pub fn or(a: V, b: V) -> V {
        v128_or(a, b)
    }
    #[inline(always)]
    pub fn eq(a: V, b: V) -> V {
        u8x16_eq(a, b)
    }
    #[inline(always)]
    pub fn ge(a: V, b: V) -> V {
        u8x16_ge(a, b)
    }
    /// Each byte shifted left by `n` bits.
    #[inline(always)]
    pub fn shl(a: V, n: u32) -> V {
        u8x16_shl(a, n)
    }
    /// Each byte shifted right by `n` bits.
    #[inline(always)]
    pub fn shr(a: V, n: u32) -> V {
        u8x16_shr(a, n)
    }
    /// Lanes of `a` where `mask` is set, else of `b`.
    #[inline(always)]
    pub fn select(mask: V, a: V, b: V) -> V {
        v128_bitselect(a, b, mask)
    }
    /// Lane `i` holds lane `i - 1` (0 in lane 0).
    #[inline(always)]
    pub fn prev1(a: V) -> V {
        i8x16_shuffle::<16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14>(a, u8x16_splat(0))
    }
    /// Lane `i` holds lane `i - 2` (0 in lanes 0 and 1).
    #[inline(always)]
    pub fn prev2(a: V) -> V {
        i8x16_shuffle::<16, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13>(a, u8x16_splat(0))
    }
    /// Lanes 0..8 of `a` and `b` interleaved (`a` the low byte of each 16-bit lane).
    #[inline(always)]
    pub fn zip_lo(a: V, b: V) -> V {
        i8x16_shuffle::<0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23>(a, b)
    }
    /// Lanes 8..16 of `a` and `b` interleaved.
    #[inline(always)]
    pub fn zip_hi(a: V, b: V) -> V {
        i8x16_shuffle::<8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31>(a, b)
    }
    /// Lane `i` holds lane `idx[i]` of `a` (0 when that is 16 or more).
    #[inline(always)]
    pub fn swizzle(a: V, idx: V) -> V {
        i8x16_swizzle(a, idx)
    }
}

/// The same operations on arrays, so that the host's tests run [`vector`]'s code.
#[cfg(all(test, not(all(target_arch = "wasm32", target_feature = "simd128"))))]
mod simd {
    pub type V = [u8; 16];

    fn map(a: V, f: impl Fn(usize, u8) -> u8) -> V {
        std::array::from_fn(|i| f(i, a[i]))
    }
    fn mask(x: bool) -> u8 {
        if x {
            0xff
        } else {
            0
        }
    }
    pub fn load(b: &[u8]) -> V {
        b[..16].try_into().unwrap()
    }
    pub fn store(out: &mut [u16], v: V) {
        for (k, d) in out[..8].iter_mut().enumerate() {
            *d = u16::from_le_bytes([v[2 * k], v[2 * k + 1]]);
        }
    }
    pub fn bitmask(v: V) -> u16 {
        (0..16).fold(0, |m, i| m | (u16::from(v[i] >> 7) << i))
    }
    pub fn splat(c: u8) -> V {
        [c; 16]
    }
    pub fn and(a: V, b: V) -> V {
        map(a, |i, x| x & b[i])
    }
    pub fn or(a: V, b: V) -> V {
        map(a, |i, x| x | b[i])
    }
    pub fn eq(a: V, b: V) -> V {
        map(a, |i, x| mask(x == b[i]))
    }
    pub fn ge(a: V, b: V) -> V {
        map(a, |i, x| mask(x >= b[i]))
    }
    pub fn shl(a: V, n: u32) -> V {
        map(a, |_, x| x << n)
    }
    pub fn shr(a: V, n: u32) -> V {
        map(a, |_, x| x >> n)
    }
    pub fn select(m: V, a: V, b: V) -> V {
        map(a, |i, x| (x & m[i]) | (b[i] & !m[i]))
    }
    pub fn prev1(a: V) -> V {
        map(a, |i, _| if i >= 1 { a[i - 1] } else { 0 })
    }
    pub fn prev2(a: V) -> V {
        map(a, |i, _| if i >= 2 { a[i - 2] } else { 0 })
    }
    pub fn zip_lo(a: V, b: V) -> V {
        std::array::from_fn(|i| if i % 2 == 0 { a[i / 2] } else { b[i / 2] })
    }
    pub fn zip_hi(a: V, b: V) -> V {
        std::array::from_fn(|i| {
            if i % 2 == 0 {
                a[8 + i / 2]
            } else {
                b[8 + i / 2]
            }
        })
    }
    pub fn swizzle(a: V, idx: V) -> V {
        map(idx, |_, k| if k < 16 { a[usize::from(k)] } else { 0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(s: &str) {
        check_with(s, &[scalar, vector::push_utf16, push_utf16]);
    }

    fn check_with(s: &str, impls: &[fn(&str, &mut Vec<u16>)]) {
        let want: Vec<u16> = [7].into_iter().chain(s.encode_utf16()).collect();
        for f in impls {
            let mut out = vec![7u16];
            f(s, &mut out);
            assert_eq!(out, want, "{s:?}");
        }
    }

    #[test]
    fn utf16_of_any_text() {
        let texts = [
            "",
            "a",
            "plain ASCII text longer than sixteen bytes, twice over",
            "caf\u{e9}",
            "\u{e9}",
            "\u{1f697}",
            "\u{417}\u{430}\u{43a}\u{430}\u{437} Running 10 min late \u{1f697} \u{bf}D\u{f3}nde est\u{e1}",
            "abcdefghijklmno\u{e9}pqrstuvwxyz0123456789\u{4e2d}\u{6587}\u{1f44d}\u{1f3fd}!",
            "0123456789abcdef\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
        ];
        for t in texts {
            for prefix in ["", "x", "0123456789abcdefg"] {
                check(&format!("{prefix}{t}{prefix}"));
            }
        }
    }

    /// Every character class at every offset of a step, in runs that cross the steps' ends.
    #[test]
    fn utf16_of_every_mix() {
        // Boundaries of each UTF-8 length, and characters whose bits test each shift.
        let chars: Vec<char> = [
            0x00, 0x01, 0x41, 0x7f, 0x80, 0xa9, 0xe9, 0x3ff, 0x400, 0x5d0, 0x7ff, 0x800, 0xfff,
            0x1000, 0x4e2d, 0xabcd, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x1f697, 0x10ffff,
        ]
        .into_iter()
        .filter_map(char::from_u32)
        .collect();
        // Every pair of classes, each repeated, after every ASCII offset 0..16.
        for &a in &chars {
            for &b in &chars {
                for pad in 0..17 {
                    for reps in [1, 3, 7] {
                        let mut s = "x".repeat(pad);
                        for _ in 0..reps {
                            s.push(a);
                            s.push(b);
                        }
                        s.push_str("0123456789abcdefghij");
                        check(&s);
                    }
                }
            }
        }
        // Pseudo-random strings of every class (a fixed seed: the same cases every run).
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..5_000 {
            let len = (next() % 48) as usize;
            let s: String = (0..len)
                .map(|_| {
                    let r = next();
                    // Half ASCII, as in messages.
                    match r % 4 {
                        0 | 1 => chars[(r >> 8) as usize % 4],
                        _ => chars[(r >> 8) as usize % chars.len()],
                    }
                })
                .collect();
            check(&s);
        }
    }

    /// Every code point, in one text, at three offsets.
    #[test]
    fn utf16_of_every_code_point() {
        let all: String = (0..=0x10ffffu32).filter_map(char::from_u32).collect();
        // The steps (the per-character loop is the reference of the others), at three offsets.
        for pad in ["", "a", "abcdefg"] {
            check_with(&format!("{pad}{all}"), &[vector::push_utf16]);
        }
    }
}
