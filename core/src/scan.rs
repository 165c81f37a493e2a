//! Finding a delimiter in the short runs a webhook is made of.
//!
//! Member names, ids, phone numbers and form segments are mostly under 64 bytes. memchr's
//! vectorised search costs about 50-90 instructions of set-up per call (per `next()` of its
//! iterators), more than such a run costs to search eight bytes at a time in a register (SWAR,
//! no set-up and no call, about one instruction per byte): the first 64 bytes are searched so,
//! and only a longer run goes on to memchr.

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

/// The index of the first `a` in `s` (`a` is not 0).
#[inline]
pub(crate) fn find(a: u8, s: &[u8]) -> Option<usize> {
    debug_assert!(a != 0);
    search(s, |w| flags(w, a), |rest| memchr::memchr(a, rest))
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
                            let want = s.iter().position(|&c| c == m);
                            assert_eq!(find(m, &s), want, "{s:?}");
                        }
                    }
                }
            }
        }
    }
}
