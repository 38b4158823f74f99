//! URL slugs: ASCII only, Chinese turned into pinyin, never a path that leaves the output folder.

use pinyin::ToPinyin;

/// Turn a title or file stem into a slug: `真皮托特包` → `zhen-pi-tuo-te-bao`,
/// `Leather Tote 2026` → `leather-tote-2026`.
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
    for (c, py) in text.chars().zip(text.to_pinyin()) {
        if let Some(py) = py {
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

/// Whether `slug` is safe and clean as one URL path segment.
pub fn is_valid(slug: &str) -> bool {
    let b = slug.as_bytes();
    !b.is_empty()
        && b.len() <= 200
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
