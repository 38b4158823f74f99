//! Watching the site's files (notify, debounced) and sorting what changed into [`Changes`].

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::RecursiveMode;
use notify::event::EventKind;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use super::live::Changes;
use crate::util::walk;

/// How long the file system must be quiet before a change is handled. Editors save in a few
/// steps (write a temp file, rename) that take a millisecond or two; a save caught half-way
/// shows an error for a moment and the next event fixes it.
const DEBOUNCE: Duration = Duration::from_millis(20);

/// The folders of a site that are watched (recursively) when they exist. The site root itself
/// is watched on its own, for `shop.yaml` and for these folders appearing; other folders
/// (`public/`, `.git/`…) are never watched.
const FOLDERS: &[&str] = &[
    "content",
    "static",
    "assets",
    "templates",
    "styles",
    "i18n",
    "themes",
];

/// Watch the site at `root` and call `on_change` with each batch of changes, on a thread of
/// its own, for as long as the process runs.
pub fn spawn(
    root: PathBuf,
    mut on_change: impl FnMut(Changes) + Send + 'static,
) -> notify::Result<()> {
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx)?;
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    let mut watched = HashSet::new();
    watch_folders(&root, &mut watched, |p| {
        debouncer.watch(p, RecursiveMode::Recursive)
    })?;
    std::thread::Builder::new()
        .name("shopgen-watch".into())
        .spawn(move || {
            for batch in rx {
                let events = match batch {
                    Ok(events) => events,
                    Err(errors) => {
                        for e in errors {
                            tell!("warning: watching files: {e}");
                        }
                        continue;
                    }
                };
                let changes = classify(
                    &root,
                    events
                        .iter()
                        .filter(|e| !matches!(e.kind, EventKind::Access(_)))
                        .flat_map(|e| e.paths.iter()),
                );
                if let Err(e) = watch_folders(&root, &mut watched, |p| {
                    debouncer.watch(p, RecursiveMode::Recursive)
                }) {
                    tell!("warning: watching files: {e}");
                }
                if !changes.is_empty() {
                    on_change(changes);
                }
            }
        })
        .map_err(notify::Error::io)?;
    Ok(())
}

/// Start watching each of [`FOLDERS`] that exists and is not watched yet.
fn watch_folders(
    root: &Path,
    watched: &mut HashSet<PathBuf>,
    mut watch: impl FnMut(&Path) -> notify::Result<()>,
) -> notify::Result<()> {
    for name in FOLDERS {
        let dir = root.join(name);
        if dir.is_dir() && !watched.contains(&dir) {
            watch(&dir)?;
            watched.insert(dir);
        } else if !dir.exists() {
            // Deleted: watch it again if it comes back.
            watched.remove(&dir);
        }
    }
    Ok(())
}

/// Sort changed paths (below `root`) by what must be rebuilt for them.
pub fn classify<'a>(root: &Path, paths: impl Iterator<Item = &'a PathBuf>) -> Changes {
    let mut ch = Changes::default();
    for path in paths {
        let Ok(rel) = path.strip_prefix(root) else {
            continue;
        };
        let parts: Vec<&str> = rel
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => s.to_str(),
                _ => None,
            })
            .collect();
        if parts.is_empty() || walk::is_ignored_path(rel) {
            continue;
        }
        let hit = match parts.as_slice() {
            ["shop.yaml"] => {
                ch.config = true;
                true
            }
            ["content", f] if crate::content::catalog::FILES.contains(f) => {
                ch.catalog = true;
                true
            }
            ["content", "products", ..] if parts.len() > 2 => ch.products.insert(path.clone()),
            ["content", "pages", ..] if parts.len() > 2 => ch.pages.insert(path.clone()),
            ["content"] | ["content", "products" | "pages"] => {
                // A whole content folder was added, moved or removed.
                ch.config = true;
                true
            }
            ["templates", ..] => {
                ch.templates = true;
                true
            }
            ["styles", ..] => {
                ch.styles = true;
                true
            }
            ["i18n", ..] => {
                ch.strings = true;
                true
            }
            ["static", ..] => {
                ch.statics = true;
                true
            }
            ["assets", ..] => {
                ch.assets = true;
                true
            }
            ["themes", ..] => {
                ch.theme = true;
                true
            }
            _ => false,
        };
        if hit {
            ch.files.insert(rel.to_path_buf());
        }
    }
    ch
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify_rel(paths: &[&str]) -> Changes {
        let root = Path::new("/site");
        let paths: Vec<PathBuf> = paths.iter().map(|p| root.join(p)).collect();
        classify(root, paths.iter())
    }

    #[test]
    fn sorts_paths_by_what_they_change() {
        let ch = classify_rel(&[
            "content/products/a.md",
            "content/products/bags",
            "content/pages/about.md",
        ]);
        assert_eq!(ch.products.len(), 2);
        assert_eq!(ch.pages.len(), 1);
        assert!(!ch.config && !ch.templates);
        assert_eq!(ch.files.len(), 3);

        assert!(classify_rel(&["shop.yaml"]).config);
        assert!(classify_rel(&["content/products"]).config);
        let sheet = classify_rel(&["content/products.xlsx"]);
        assert!(sheet.catalog && !sheet.config && !sheet.css_only());
        assert!(!classify_rel(&["content/notes.csv"]).catalog);
        assert!(classify_rel(&["templates/partials/footer.html"]).templates);
        assert!(classify_rel(&["i18n/zh-CN.yaml"]).strings);
        assert!(classify_rel(&["static/images/a.svg"]).statics);
        assert!(classify_rel(&["assets/js/shop.js"]).assets);
        assert!(!classify_rel(&["assets/js/shop.js"]).css_only());
        assert!(classify_rel(&["themes/meigong/templates/base.html"]).theme);
        let css = classify_rel(&["styles/main.css"]);
        assert!(css.styles && css.css_only());
        assert!(!classify_rel(&["styles/main.css", "content/products/a.md"]).css_only());
    }

    #[test]
    fn ignores_output_and_editor_scratch_files() {
        for p in [
            "public/index.html",
            "README.md",
            "content/products/.a.md.swp",
            "content/products/a.md~",
            "content/products/4913",
            "templates/.base.html.swx",
            ".git/index",
            "",
        ] {
            assert!(classify_rel(&[p]).is_empty(), "{p}");
        }
        let outside = [PathBuf::from("/elsewhere/shop.yaml")];
        assert!(classify(Path::new("/site"), outside.iter()).is_empty());
    }
}
