//! Embeds the default theme and the example site into the binary, so that an installed
//! `shopgen` can `init` and `build` without the source tree.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/util/ignore.rs"]
mod ignore;

fn collect(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if ignore::is_ignored(name) || name == "public" {
            continue;
        }
        if path.is_dir() {
            collect(&path, base, out);
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path.canonicalize().unwrap()));
        }
    }
}

fn table(name: &str, dir: &str) -> String {
    println!("cargo:rerun-if-changed={dir}");
    let mut files = Vec::new();
    collect(Path::new(dir), Path::new(dir), &mut files);
    let mut s = format!("pub static {name}: &[(&str, &[u8])] = &[\n");
    for (rel, abs) in files {
        writeln!(
            s,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        )
        .unwrap();
    }
    s.push_str("];\n");
    s
}

fn main() {
    println!("cargo:rerun-if-changed=src/util/ignore.rs");
    let mut code = table("THEME_MEIGONG", "themes/meigong");
    code.push_str(&table("EXAMPLE_SITE", "example-site"));
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("embedded.rs");
    std::fs::write(out, code).unwrap();
}
