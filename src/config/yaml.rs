//! YAML parsing with serde-saphyr, turning its errors into [`Diagnostic`]s.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::de::{self, DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use crate::util::diag::{Diagnostic, did_you_mean};

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

/// A YAML text and where each of its values is, for messages that point at the value that
/// failed: `doc.at("categories[1].slug")` is the line and column of the second category's
/// slug. The locations come from serde-saphyr's spans ([`Spanned`]); the tree of them is made
/// only when a message needs one.
#[derive(Debug)]
pub struct Document {
    pub file: PathBuf,
    text: String,
    /// The line of `file` that the YAML starts on (front matter starts after `---`).
    first_line: usize,
    tree: OnceLock<Option<Spanned<Node>>>,
}

impl Clone for Document {
    fn clone(&self) -> Self {
        Document::new(&self.file, self.text.clone(), self.first_line)
    }
}

impl Document {
    pub fn new(file: &Path, text: String, first_line: usize) -> Document {
        Document {
            file: file.to_path_buf(),
            text,
            first_line,
            tree: OnceLock::new(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Parse the whole text into `T`.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        parse(&self.text, &self.file, self.first_line)
    }

    /// 1-based line and column in `file` of the value at `path` (`hosting.icp`,
    /// `categories[1].slug`, `home.endorsements[2].photo`); when that value is not written,
    /// of the nearest enclosing one that is (none when not even the first key is written).
    pub fn at(&self, path: &str) -> Option<(usize, usize)> {
        let tree = self
            .tree
            .get_or_init(|| serde_saphyr::from_str_with_options(&self.text, options()).ok())
            .as_ref()?;
        let mut node = tree;
        let mut found = false;
        for step in steps(path) {
            let next = match (&node.value, step) {
                (Node::Map(entries), Step::Key(k)) => {
                    entries.iter().find(|(key, _)| key == k).map(|(_, v)| v)
                }
                (Node::Seq(items), Step::Index(i)) => items.get(i),
                _ => None,
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
            found = true;
        }
        let loc = node.referenced;
        (found && loc.line() > 0).then(|| {
            (
                loc.line() as usize + self.first_line - 1,
                loc.column() as usize,
            )
        })
    }

    /// An error about the value at `path`, located exactly.
    pub fn error(&self, path: &str, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::new(&self.file, message).field(path);
        if let Some((line, column)) = self.at(path) {
            d = d.at(line, column);
        }
        d
    }
}

/// One step of a value path: a mapping key or a sequence index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// `home.endorsements[2].photo` → `home`, `endorsements`, 2, `photo`.
fn steps(path: &str) -> impl Iterator<Item = Step<'_>> {
    path.split('.').flat_map(|part| {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        let indices = rest
            .split('[')
            .filter_map(|i| i.trim_end_matches(']').parse().ok())
            .map(Step::Index);
        (!key.is_empty())
            .then_some(Step::Key(key))
            .into_iter()
            .chain(indices)
    })
}

/// The shape of a YAML document with the location of every value.
#[derive(Debug)]
enum Node {
    Map(Vec<(String, Spanned<Node>)>),
    Seq(Vec<Spanned<Node>>),
    Scalar,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

macro_rules! scalar {
    ($($name:ident: $t:ty),*) => {$(
        fn $name<E: de::Error>(self, _: $t) -> Result<Node, E> {
            Ok(Node::Scalar)
        }
    )*};
}

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    scalar!(visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_i128: i128, visit_u128: u128, visit_f64: f64, visit_str: &str, visit_bytes: &[u8]);

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element::<Spanned<Node>>()? {
            items.push(v);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(Key(k)) = map.next_key::<Key>()? {
            entries.push((k, map.next_value::<Spanned<Node>>()?));
        }
        Ok(Node::Map(entries))
    }
}

/// A mapping key as text (`1: x` has the key `1`).
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key(String::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Key, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Key(String::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Key, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Key(String::new()))
            }
        }
        d.deserialize_any(KeyVisitor)
    }
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
    fn locates_nested_and_repeated_keys() {
        let t = "title: x\nhosting:\n  region: mainland\n  icp: 京ICP备\ncontact:\n  phone: 1\n\
                 categories:\n  - name: a\n    slug: s1\n  - name: b\n    slug: S 2\n\
                 home:\n  endorsements:\n    - { name: x, photo: a.png }\n    - name: y\n      photo: b.png\n";
        let d = Document::new(Path::new("shop.yaml"), t.to_string(), 1);
        assert_eq!(d.at("hosting.icp"), Some((4, 8)));
        assert_eq!(d.at("contact.phone"), Some((6, 10)));
        assert_eq!(d.at("title"), Some((1, 8)));
        assert_eq!(d.at("categories[0].slug"), Some((9, 11)));
        assert_eq!(d.at("categories[1].slug"), Some((11, 11)));
        assert_eq!(d.at("home.endorsements[0].photo"), Some((14, 25)));
        assert_eq!(d.at("home.endorsements[1].photo"), Some((16, 14)));
        // A value that is not written: the nearest enclosing one.
        assert_eq!(d.at("hosting.gongan"), d.at("hosting"));
        assert_eq!(d.at("nothing"), None);
        // Front matter starts below the `---` line.
        let fm = Document::new(
            Path::new("a.md"),
            "title: x\nimages: [a.jpg, b.jpg]\n".into(),
            2,
        );
        assert_eq!(fm.at("images[1]"), Some((3, 17)));
        let e = fm.error("images[1]", "missing");
        assert_eq!(
            (e.line, e.column, e.field.as_deref()),
            (Some(3), Some(17), Some("images[1]"))
        );
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
