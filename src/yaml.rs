//! YAML parsing with serde-saphyr, turning its errors into [`Diagnostic`]s.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, did_you_mean};

/// Parse `text` (which starts at line `first_line` of `file`) into `T`.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Path,
    first_line: usize,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(text, options())
        .map_err(|e| to_diagnostic(&e, text, file, first_line))
}

fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // A shop file is small: anything past these is an alias bomb or a mistake.
    budget.max_events = 200_000;
    budget.max_aliases = 10_000;
    serde_saphyr::options! { budget: Some(budget) }
}

fn to_diagnostic(
    err: &serde_saphyr::Error,
    text: &str,
    file: &Path,
    first_line: usize,
) -> Diagnostic {
    let mut message = err.without_snippet().to_string();
    // The location is reported separately, so drop saphyr's " at line X, column Y".
    if let Some(i) = message.rfind(" at line ") {
        message.truncate(i);
    }
    let mut diag = Diagnostic::new(file, message.clone());
    if let Some(loc) = err.location() {
        let line = loc.line() as usize;
        if line > 0 {
            diag = diag.at(line + first_line - 1, loc.column() as usize);
            diag.field = key_on_line(text, line);
        }
    }
    if message.contains("budget") || message.contains("alias") || message.contains("recursi") {
        diag.hint = Some(
            "YAML anchors and aliases (&name / *name) expand too far here; write the values out"
                .into(),
        );
    }
    // "unknown field `titel`, expected one of title, price, tags"
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((name, expected)) = rest.split_once('`')
    {
        let candidates: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|s| s.trim_matches('`'))
            .filter(|s| !s.is_empty())
            .collect();
        diag.field = Some(name.to_string());
        diag.message = format!("unknown field `{name}`");
        diag.hint = Some(match did_you_mean(name, &candidates) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("remove it; allowed here: {}", candidates.join(", ")),
        });
    } else if let Some(rest) = message.strip_prefix("missing field `")
        && let Some((name, _)) = rest.split_once('`')
    {
        diag.field = Some(name.to_string());
        diag.message = format!("required field `{name}` is missing");
        diag.hint = Some(format!("add a line `{name}: …`"));
    }
    diag
}

/// The mapping key written on 1-based `line` of `text`, if that line has one.
fn key_on_line(text: &str, line: usize) -> Option<String> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let l = l.trim_start().trim_start_matches("- ").trim_start();
    let (key, _) = l.split_once(':')?;
    let ok = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    ok.then(|| key.to_string())
}

/// 1-based line of a dotted key path (`hosting.icp`) in block-style YAML, when it can be found.
pub fn locate(text: &str, path: &str) -> Option<usize> {
    let mut want = path.split('.');
    let mut key = want.next()?;
    let mut min_indent = 0usize;
    let mut found = None;
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if body.is_empty() || body.starts_with('#') || indent < min_indent {
            continue;
        }
        let body = body.trim_start_matches("- ");
        if let Some(rest) = body.strip_prefix(key)
            && rest.starts_with(':')
        {
            found = Some(i + 1);
            match want.next() {
                Some(next) => {
                    key = next;
                    min_indent = indent + 1;
                }
                None => return found,
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        price: Option<u32>,
        tags: Option<Vec<String>>,
    }

    fn err(s: &str) -> Diagnostic {
        parse::<T>(s, Path::new("a.md"), 2).unwrap_err()
    }

    #[test]
    fn locates_nested_keys() {
        let t = "title: x\nhosting:\n  region: mainland\n  icp: 京ICP备\ncontact:\n  phone: 1\n";
        assert_eq!(locate(t, "hosting.icp"), Some(4));
        assert_eq!(locate(t, "contact.phone"), Some(6));
        assert_eq!(locate(t, "title"), Some(1));
        assert_eq!(locate(t, "nothing"), None);
    }

    #[test]
    fn unknown_field_suggests_the_right_one() {
        let d = err("title: a\ntitel: b\n");
        assert_eq!(d.line, Some(3));
        assert_eq!(d.field.as_deref(), Some("titel"));
        assert_eq!(d.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn type_error_names_field_and_line() {
        let d = err("title: a\nprice: abc\n");
        assert_eq!((d.line, d.column), (Some(3), Some(8)));
        assert_eq!(d.field.as_deref(), Some("price"));
    }

    #[test]
    fn missing_field_is_named() {
        let d = err("price: 3\n");
        assert_eq!(d.field.as_deref(), Some("title"));
        assert!(d.message.contains("missing"), "{d}");
    }

    #[test]
    fn alias_bomb_is_stopped() {
        let mut s =
            String::from("title: x\ntags: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..9 {
            let p = i - 1;
            s.push_str(&format!(
                "x{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Loose {
            title: String,
            #[serde(flatten)]
            rest: std::collections::BTreeMap<String, serde_json::Value>,
        }
        let e = parse::<Loose>(&s, Path::new("a.md"), 1).unwrap_err();
        assert!(e.hint.as_deref().unwrap_or("").contains("aliases"), "{e}");
    }
}
