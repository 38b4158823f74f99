//! Traditional → Simplified, one character at a time, from the OpenCC-derived table in
//! `fold.txt` (written by `tools/fold-table.py`). Index and query fold alike, so 錢包 and 钱包
//! are the same tokens.

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

static TABLE: &str = include_str!("fold.txt");

/// The pairs, and a bitmap of the characters from U+3400 to U+9FFF that have one (most text is
/// in that range and most of its characters fold to themselves, so most lookups end there).
static FOLD: LazyLock<(FxHashMap<char, char>, Vec<u64>)> = LazyLock::new(|| {
    let map: FxHashMap<char, char> = pairs().collect();
    let mut bits = vec![0u64; (COMMON.end - COMMON.start).div_ceil(64) as usize];
    for &c in map.keys() {
        if COMMON.contains(&(c as u32)) {
            let i = (c as u32 - COMMON.start) as usize;
            bits[i / 64] |= 1 << (i % 64);
        }
    }
    (map, bits)
});

const COMMON: std::ops::Range<u32> = 0x3400..0xA000;

/// Every (Traditional, Simplified) pair of the table, in its order.
pub fn pairs() -> impl Iterator<Item = (char, char)> {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let mut cs = l.chars();
            Some((cs.next()?, cs.next()?))
        })
}

/// `c` in its Simplified form (itself when it has none).
pub fn fold(c: char) -> char {
    let (map, bits) = &*FOLD;
    if COMMON.contains(&(c as u32)) {
        let i = (c as u32 - COMMON.start) as usize;
        if bits[i / 64] & (1 << (i % 64)) == 0 {
            return c;
        }
    }
    map.get(&c).copied().unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_and_hong_kong_forms_fold() {
        assert_eq!(fold('錢'), '钱');
        assert_eq!(fold('裡'), '里');
        assert_eq!(fold('綫'), '线');
        assert_eq!(fold('钱'), '钱');
        assert_eq!(fold('a'), 'a');
        assert!(pairs().count() > 3000);
    }
}
