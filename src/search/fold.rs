//! Traditional → Simplified, one character at a time, from the OpenCC-derived table in
//! `fold.txt` (written by `tools/fold-table.py`). Index and query fold alike, so 錢包 and 钱包
//! are the same tokens.

use std::collections::HashMap;
use std::sync::LazyLock;

static TABLE: &str = include_str!("fold.txt");

static FOLD: LazyLock<HashMap<char, char>> = LazyLock::new(|| pairs().collect());

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
    FOLD.get(&c).copied().unwrap_or(c)
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
