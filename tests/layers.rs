//! The layers run one way: a module of `src/` may use only the layers below its own (and its
//! own). The list is the `layers` block of ARCHITECTURE.md, one layer a line, lowest first;
//! modules on one line are peers that never use each other.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Layer number of each top-level module, from ARCHITECTURE.md.
fn layers() -> HashMap<String, usize> {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let block = doc
        .split("```layers\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("ARCHITECTURE.md has a ```layers block");
    let mut map = HashMap::new();
    for (level, line) in block.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        let names = line.split('#').next().unwrap_or("");
        for name in names.split_whitespace() {
            assert!(
                map.insert(name.to_string(), level).is_none(),
                "`{name}` is listed twice in the layers block"
            );
        }
    }
    map
}

/// The top-level module a file of `src/` belongs to (`src/render/views.rs` → `render`).
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_string())
}

/// Every `crate::name` a file uses, with its line.
fn uses(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let after = &rest[at + "crate::".len()..];
            let name: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push((i + 1, name));
            }
            rest = after;
        }
    }
    out
}

#[test]
fn imports_run_down_the_layers_only() {
    let layers = layers();
    let src = root().join("src");
    let mut wrong = Vec::new();
    let mut seen = 0;
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let Some(module) = module_of(&src, path) else {
            continue;
        };
        // The binary (`main.rs` and `cmd/`) sits on top and uses the library by name.
        if module == "main" || module == "cmd" || module == "lib" {
            continue;
        }
        let Some(&own) = layers.get(&module) else {
            wrong.push(format!(
                "{}: module `{module}` is in no layer of ARCHITECTURE.md",
                path.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(path).unwrap();
        for (line, used) in uses(&text) {
            seen += 1;
            if used == module {
                continue;
            }
            match layers.get(&used) {
                Some(&l) if l < own => {}
                Some(&l) => wrong.push(format!(
                    "{}:{line}: `{module}` (layer {own}) uses `crate::{used}` (layer {l}): {}",
                    path.strip_prefix(root()).unwrap().display(),
                    if l == own {
                        "peers never use each other"
                    } else {
                        "that runs back up"
                    }
                )),
                None => wrong.push(format!(
                    "{}:{line}: `crate::{used}` is in no layer of ARCHITECTURE.md",
                    path.display()
                )),
            }
        }
    }
    assert!(
        seen > 50,
        "found only {seen} uses: is the scan reading src/?"
    );
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_scan_sees_what_it_must() {
    let found = uses(
        "use crate::render::{self, x};\nlet a = crate::util::diag::Diagnostic::new();\n// crate::deploy in a comment\n",
    );
    assert_eq!(
        found,
        vec![(1, "render".to_string()), (2, "util".to_string())]
    );
}
