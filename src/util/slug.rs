//! URL slugs: ASCII only, Chinese turned into pinyin, never a path that leaves the output folder.

use pinyin::ToPinyin;

/// Words the pinyin table reads wrongly one character at a time (its first reading of 行 is
/// xíng, of 重 zhòng, of 厦 shà, of 都 dōu…), read as in shop titles and place names.
const WORDS: &[(&str, &[&str])] = &[
    ("银行", &["yin", "hang"]),
    ("行业", &["hang", "ye"]),
    ("重庆", &["chong", "qing"]),
    ("重复", &["chong", "fu"]),
    ("重新", &["chong", "xin"]),
    ("厦门", &["xia", "men"]),
    ("成都", &["cheng", "du"]),
    ("首都", &["shou", "du"]),
    ("都市", &["du", "shi"]),
    ("音乐", &["yin", "yue"]),
    ("乐器", &["yue", "qi"]),
    ("调料", &["tiao", "liao"]),
    ("调味", &["tiao", "wei"]),
    ("空调", &["kong", "tiao"]),
    ("便宜", &["pian", "yi"]),
    ("还原", &["huan", "yuan"]),
    ("朝代", &["chao", "dai"]),
    // 长 reads cháng (long) in product names; these mean zhǎng (to grow, a head of).
    ("成长", &["cheng", "zhang"]),
    ("生长", &["sheng", "zhang"]),
    ("增长", &["zeng", "zhang"]),
    ("店长", &["dian", "zhang"]),
    ("校长", &["xiao", "zhang"]),
    ("家长", &["jia", "zhang"]),
];

/// Characters whose first reading in the pinyin table is rarely the one a product name means.
const CHARS: &[(char, &str)] = &[('长', "chang")];

/// Turn a title or file stem into a slug: `真皮托特包` → `zhen-pi-tuo-te-bao`,
/// `Leather Tote 2026` → `leather-tote-2026`, `银行卡包` → `yin-hang-ka-bao`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut dash = false;
    let push_word = |out: &mut String, word: &str, dash: &mut bool| {
        if *dash && !out.is_empty() {
            out.push('-');
        }
        *dash = false;
        out.push_str(word);
    };
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if let Some((word, readings)) = WORDS.iter().find(|(w, _)| rest.starts_with(w)) {
            for r in *readings {
                dash = true;
                push_word(&mut out, r, &mut dash);
            }
            dash = true;
            rest = &rest[word.len()..];
            continue;
        }
        rest = &rest[c.len_utf8()..];
        if let Some(&(_, r)) = CHARS.iter().find(|(ch, _)| *ch == c) {
            dash = true;
            push_word(&mut out, r, &mut dash);
            dash = true;
        } else if let Some(py) = c.to_pinyin() {
            // each Han character is its own syllable
            dash = true;
            // ü is written v in URLs (女 → nv), as in pinyin input methods
            push_word(&mut out, &py.plain().replace('ü', "v"), &mut dash);
            dash = true;
        } else if c.is_ascii_alphanumeric() {
            let lower = c.to_ascii_lowercase();
            let mut buf = [0u8; 4];
            push_word(&mut out, lower.encode_utf8(&mut buf), &mut dash);
        } else {
            dash = true;
        }
    }
    out
}

/// The longest slug, in bytes: well inside the 255 bytes a file or folder name can have.
pub const MAX_LEN: usize = 200;

/// Whether `slug` is safe and clean as one URL path segment (at most [`MAX_LEN`] bytes).
pub fn is_valid(slug: &str) -> bool {
    let b = slug.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_LEN
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_becomes_pinyin() {
        assert_eq!(slugify("真皮托特包"), "zhen-pi-tuo-te-bao");
        assert_eq!(slugify("女包"), "nv-bao");
        assert_eq!(slugify("A4真皮托特包"), "a4-zhen-pi-tuo-te-bao");
        assert_eq!(slugify("经典 Tote 包"), "jing-dian-tote-bao");
    }

    #[test]
    fn polyphones_read_as_in_shop_titles() {
        assert_eq!(slugify("长袖衬衫"), "chang-xiu-chen-shan");
        assert_eq!(slugify("长款钱包"), "chang-kuan-qian-bao");
        assert_eq!(slugify("银行卡包"), "yin-hang-ka-bao");
        assert_eq!(slugify("重庆火锅底料"), "chong-qing-huo-guo-di-liao");
        assert_eq!(slugify("厦门馅饼"), "xia-men-xian-bing");
        assert_eq!(slugify("成都店长推荐"), "cheng-du-dian-zhang-tui-jian");
        assert_eq!(slugify("宝宝成长记录"), "bao-bao-cheng-zhang-ji-lu");
        assert_eq!(slugify("A4长裙"), "a4-chang-qun");
        assert_eq!(slugify("Bank银行"), "bank-yin-hang");
    }

    #[test]
    fn latin_is_lowercased_and_dashed() {
        assert_eq!(slugify("Leather Tote 2026"), "leather-tote-2026");
        assert_eq!(slugify("  --Hello,  World!--"), "hello-world");
        assert_eq!(slugify("leather-tote"), "leather-tote");
    }

    #[test]
    fn path_tricks_vanish() {
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("..\\win"), "win");
        assert_eq!(slugify("/abs"), "abs");
        assert_eq!(slugify("%2e%2e"), "2e-2e");
    }

    #[test]
    fn validity() {
        assert!(is_valid("zhen-pi-tuo-te-bao"));
        assert!(is_valid("tote_2"));
        for bad in [
            "", "..", "../x", "a/b", "a\\b", "Tote", "真皮", "-a", ".hidden", "a b", "a%2f",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
