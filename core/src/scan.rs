//! Finding a delimiter in the short runs a webhook is made of.
//!
//! Member names, ids, phone numbers and form segments are mostly under 32 bytes. memchr's
//! vectorised search costs about 50-90 instructions of set-up per call (per `next()` of its
//! iterators), more than the run itself: the first 32 bytes are searched eight at a time in a
//! register (SWAR, no set-up and no call), and only a longer run goes on to memchr.

const SHORT: usize = 32;
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

/// The index of the first `a` in `b`.
#[inline]
pub(crate) fn find(a: u8, b: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 8 <= b.len() {
        if i == SHORT {
            return memchr::memchr(a, &b[i..]).map(|j| i + j);
        }
        let found = flags(word(b, i), a);
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..].iter().position(|&c| c == a).map(|j| i + j)
}

/// The index of the first `a` or `b` in `s`.
#[inline]
pub(crate) fn find2(a: u8, b: u8, s: &[u8]) -> Option<usize> {
    let mut i = 0;
    while i + 8 <= s.len() {
        if i == SHORT {
            return memchr::memchr2(a, b, &s[i..]).map(|j| i + j);
        }
        let w = word(s, i);
        let found = flags(w, a) | flags(w, b);
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    s[i..].iter().position(|&c| c == a || c == b).map(|j| i + j)
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
            for len in 0..80 {
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
                            let want = s.iter().position(|&c| c == m);
                            assert_eq!(find(m, &s), want, "{s:?}");
                        }
                    }
                }
            }
        }
    }
}
