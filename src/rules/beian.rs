//! Filing numbers shown in a mainland site's footer: the ICP filing number (ICP备案号),
//! the public-security filing number (公网安备) and the ICP / value-added telecom licence.

/// GB/T 2260 province code, the character in ICP numbers, the character in public-security numbers.
pub const PROVINCES: &[(&str, char, char)] = &[
    ("11", '京', '京'),
    ("12", '津', '津'),
    ("13", '冀', '冀'),
    ("14", '晋', '晋'),
    ("15", '蒙', '蒙'),
    ("21", '辽', '辽'),
    ("22", '吉', '吉'),
    ("23", '黑', '黑'),
    ("31", '沪', '沪'),
    ("32", '苏', '苏'),
    ("33", '浙', '浙'),
    ("34", '皖', '皖'),
    ("35", '闽', '闽'),
    ("36", '赣', '赣'),
    ("37", '鲁', '鲁'),
    ("41", '豫', '豫'),
    ("42", '鄂', '鄂'),
    ("43", '湘', '湘'),
    ("44", '粤', '粤'),
    ("45", '桂', '桂'),
    ("46", '琼', '琼'),
    ("50", '渝', '渝'),
    ("51", '蜀', '川'),
    ("52", '黔', '贵'),
    ("53", '滇', '滇'),
    ("54", '藏', '藏'),
    ("61", '陕', '陕'),
    ("62", '陇', '甘'),
    ("63", '青', '青'),
    ("64", '宁', '宁'),
    ("65", '新', '新'),
];

/// Legacy ICP characters still seen on old filings: accepted with a warning.
const LEGACY_ICP: &[(char, char)] = &[('川', '蜀'), ('甘', '陇')];

pub const ICP_EXAMPLE: &str =
    "浙ICP备2024123456号-1 (province character, ICP备, 6–10 digits, 号, optional -N)";

/// A valid ICP filing number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Icp {
    /// The canonical form, spaces removed: `京ICP备12345678号-1`.
    pub number: String,
    /// Things that are accepted but worth a look.
    pub warnings: Vec<String>,
}

fn strip_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn is_fullwidth_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

fn icp_province(c: char) -> Result<Option<String>, String> {
    if PROVINCES.iter().any(|p| p.1 == c) {
        return Ok(None);
    }
    if let Some((_, now)) = LEGACY_ICP.iter().find(|(old, _)| *old == c) {
        return Ok(Some(format!(
            "`{c}` is the legacy province character; current filings for this province use `{now}` — check the number on beian.miit.gov.cn"
        )));
    }
    Err(match c {
        '云' => "`云` is not used in ICP numbers: Yunnan filings start with `滇`".into(),
        '贵' => "`贵` is not used in ICP numbers: Guizhou filings start with `黔`".into(),
        '港' | '澳' | '台' => {
            format!("`{c}`: Hong Kong, Macau and Taiwan have no MIIT ICP filing numbers")
        }
        _ => format!("`{c}` is not a province character of an ICP number"),
    })
}

/// Validate an ICP filing number (`京ICP备12345678号-1`).
pub fn parse_icp(raw: &str) -> Result<Icp, String> {
    let s = strip_spaces(raw);
    if s.is_empty() {
        return Err("the ICP number is empty".into());
    }
    if s.chars().any(is_fullwidth_digit) {
        return Err(format!(
            "`{raw}` has full-width digits (０-９); write them half-width (0-9)"
        ));
    }
    let first = s.chars().next().unwrap_or(' ');
    if s.starts_with("ICP") {
        return Err(format!(
            "`{raw}` has no province character before ICP (e.g. 京ICP备…)"
        ));
    }
    let mut warnings = Vec::new();
    if let Some(w) = icp_province(first)? {
        warnings.push(w);
    }
    let rest = &s[first.len_utf8()..];
    if rest.starts_with("ICP证") {
        return Err(format!(
            "`{raw}` is an ICP licence number, not the filing number: put it in `hosting.licence` and the 备案号 (…ICP备…号) in `hosting.icp`"
        ));
    }
    let Some(rest) = rest.strip_prefix("ICP备") else {
        return Err(format!(
            "`{raw}` must have `ICP备` after the province character"
        ));
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = &rest[digits.len()..];
    if digits.len() < 6 || digits.len() > 10 {
        return Err(format!(
            "`{raw}` must have 6 to 10 digits after ICP备, found {}",
            digits.len()
        ));
    }
    if let Some(x) = after.strip_prefix('-')
        && x.contains('号')
    {
        return Err(format!(
            "`{raw}` puts the site suffix before 号: write `…{digits}号-{}`",
            x.trim_end_matches('号')
        ));
    }
    let Some(suffix) = after.strip_prefix('号') else {
        return Err(format!(
            "`{raw}` must end the number with `号` (e.g. …{digits}号)"
        ));
    };
    if !suffix.is_empty() {
        let n = suffix.strip_prefix('-').unwrap_or("");
        if n.is_empty() || n.len() > 3 || !n.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!(
                "`{raw}`: after 号 only a site suffix like `-1` may follow"
            ));
        }
    }
    Ok(Icp {
        number: s,
        warnings,
    })
}

/// A valid public-security filing number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gongan {
    /// As it is shown: `京公网安备11010502030143号`.
    pub number: String,
    /// The 14 digits, for the MPS search link.
    pub code: String,
}

/// Validate a public-security filing number (`京公网安备 11010502030143号`).
pub fn parse_gongan(raw: &str) -> Result<Gongan, String> {
    let s = strip_spaces(raw);
    if s.chars().any(is_fullwidth_digit) {
        return Err(format!(
            "`{raw}` has full-width digits (０-９); write them half-width (0-9)"
        ));
    }
    let first = s
        .chars()
        .next()
        .ok_or("the public-security number is empty")?;
    if s.starts_with("公网安备") {
        return Err(format!(
            "`{raw}` has no province character before 公网安备 (e.g. 京公网安备…)"
        ));
    }
    let Some(rest) = s[first.len_utf8()..].strip_prefix("公网安备") else {
        return Err(format!(
            "`{raw}` must have `公网安备` after the province character"
        ));
    };
    let code: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if code.len() != 14 {
        return Err(format!(
            "`{raw}` must have 14 digits after 公网安备, found {}",
            code.len()
        ));
    }
    if &rest[code.len()..] != "号" {
        return Err(format!(
            "`{raw}` must end with `号` right after the 14 digits"
        ));
    }
    let Some(&(_, _, police)) = PROVINCES.iter().find(|p| p.0 == &code[..2]) else {
        return Err(format!("`{raw}`: {} is not a province code", &code[..2]));
    };
    if first != police {
        return Err(format!(
            "`{raw}`: code {} belongs to `{police}`, not `{first}` (public-security numbers use 川 贵 甘 for Sichuan, Guizhou, Gansu)",
            &code[..2]
        ));
    }
    Ok(Gongan {
        number: format!("{first}公网安备{code}号"),
        code,
    })
}

/// Validate an ICP licence (`京ICP证030173号`) or value-added telecom licence (`浙B2-20080224`, `B2-20090288`).
pub fn parse_licence(raw: &str) -> Result<String, String> {
    let s = strip_spaces(raw);
    let mut chars = s.chars();
    let first = chars.next().ok_or("the licence number is empty")?;
    let known = |c: char| PROVINCES.iter().any(|p| p.1 == c) || LEGACY_ICP.iter().any(|l| l.0 == c);
    let (prov, rest) = if known(first) {
        (Some(first), chars.as_str())
    } else {
        (None, s.as_str())
    };
    if let Some(d) = rest
        .strip_prefix("ICP证")
        .and_then(|r| r.strip_suffix('号'))
        && prov.is_some()
        && d.len() == 6
        && d.chars().all(|c| c.is_ascii_digit())
    {
        return Ok(s);
    }
    for kind in ["B1.B2-", "A2-", "B1-", "B2-"] {
        if let Some(d) = rest.strip_prefix(kind) {
            let d = d.strip_suffix('号').unwrap_or(d);
            if d.len() == 8 && d.chars().all(|c| c.is_ascii_digit()) {
                return Ok(s);
            }
        }
    }
    Err(format!(
        "`{raw}` is neither an ICP licence (京ICP证030173号) nor a telecom licence (浙B2-20080224)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icp_numbers_from_the_reference_are_accepted() {
        for ok in [
            "京ICP备12345678号-1",
            "陕ICP备15002899号-4",
            "鲁ICP备2023032291号-1",
            "蜀ICP备2026033844号-1",
            "蜀ICP备20006272号-1",
            "陇ICP备2020003856号",
            "陇ICP备2026009447号",
            "黔ICP备2025056580号",
            "滇ICP备2026019339号-1",
            "滇ICP备08101331号",
            "京ICP备2024000001号",
            "粤ICP备04000001号",
        ] {
            let icp = parse_icp(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(icp.number, ok);
            assert!(icp.warnings.is_empty(), "{ok}");
        }
        // every province's ICP character
        for (_, c, _) in PROVINCES {
            assert!(parse_icp(&format!("{c}ICP备12345678号")).is_ok(), "{c}");
        }
    }

    #[test]
    fn legacy_characters_warn() {
        for old in ["川ICP备09150084号", "甘ICP备14018586号"] {
            let icp = parse_icp(old).unwrap();
            assert_eq!(icp.warnings.len(), 1, "{old}");
        }
    }

    #[test]
    fn spaces_are_normalised() {
        assert_eq!(
            parse_icp("沪ICP备 2022003331 号").unwrap().number,
            "沪ICP备2022003331号"
        );
    }

    #[test]
    fn bad_icp_numbers_say_what_is_wrong() {
        for (bad, says) in [
            ("京ICP备12345678号-", "suffix"),
            ("云ICP备12345678号", "滇"),
            ("贵ICP备12345678号", "黔"),
            ("港ICP备12345678号", "Hong Kong"),
            ("澳ICP备12345678号", "Macau"),
            ("台ICP备12345678号", "Taiwan"),
            ("京ICP备１２３４５６７８号", "full-width"),
            ("ICP备12345678号", "province"),
            ("滇ICP备09010050-5号", "before 号"),
            ("京ICP备12345678", "号"),
            ("京ICP备12345号", "6 to 10"),
            ("京ICP备12345678901号", "6 to 10"),
            ("京ICP证030173号", "licence"),
            ("", "empty"),
        ] {
            let e = parse_icp(bad).expect_err(bad);
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn gongan_numbers() {
        for (ok, code) in [
            ("京公网安备 11010502030143号", "11010502030143"),
            ("粤公网安备44010502001297号", "44010502001297"),
            ("川公网安备 51012402000444号", "51012402000444"),
            ("甘公网安备 62090202000584号", "62090202000584"),
            ("贵公网安备52052302000396号", "52052302000396"),
            ("滇公网安备53062802000020号", "53062802000020"),
            ("浙公网安备33010602012345号", "33010602012345"),
        ] {
            let g = parse_gongan(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(g.code, code);
        }
        for (bad, says) in [
            ("京公网安备 1101050203014号", "14 digits"),
            ("蜀公网安备51012402000444号", "川"),
            ("黔公网安备52052302000396号", "贵"),
            ("京公网安备44010502001297号", "粤"),
            ("公网安备11010502030143号", "province"),
            ("京公网安备１1010502030143号", "full-width"),
            ("京公网安备11010502030143", "号"),
        ] {
            let e = parse_gongan(bad).expect_err(bad);
            assert!(e.contains(says), "{bad}: {e}");
        }
    }

    #[test]
    fn licences() {
        for ok in [
            "京ICP证030173号",
            "京ICP证070359号",
            "浙B2-20080224",
            "粤B2-20090059",
            "粤A2-20044005",
            "皖B1.B2-20070020",
            "B2-20090288",
            "B2-20060558",
        ] {
            assert!(parse_licence(ok).is_ok(), "{ok}");
        }
        for bad in ["京ICP备12345678号", "B3-20090288", "浙B2-2008022", "hello"] {
            assert!(parse_licence(bad).is_err(), "{bad}");
        }
    }
}
