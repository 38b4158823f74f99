//! The one site walker. Every folder shopgen reads (content, static, templates, styles,
//! assets, themes, a built `public/`) is walked here, with the one ignore policy of
//! [`super::ignore`].

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

pub use super::ignore::{is_ignored, is_ignored_path};
use crate::util::diag::Diagnostic;

/// A file found by [`files`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its path (the folder joined with `rel`).
    pub path: PathBuf,
    /// Its path below the folder, its names joined with `/` as they are (a `\` in a name
    /// stays a `\`; the output layer refuses such a name).
    pub rel: String,
}

/// A folder's files, and the entries left out because they are not plain files inside the
/// site (a FIFO, a socket, a device, a link that leaves the site or leads nowhere).
#[derive(Debug, Clone, Default)]
pub struct Walked {
    pub files: Vec<Found>,
    pub skipped: Vec<(PathBuf, String)>,
}

impl Walked {
    /// One warning that lists what was skipped, if anything was.
    pub fn warning(&self, dir: &Path) -> Option<Diagnostic> {
        let d = self.problem(dir)?;
        Some(d.severity(crate::util::diag::Severity::Warning))
    }

    /// The skipped entries as one error, if there are any.
    pub fn error(&self, dir: &Path) -> Option<Diagnostic> {
        self.problem(dir)
    }

    fn problem(&self, dir: &Path) -> Option<Diagnostic> {
        if self.skipped.is_empty() {
            return None;
        }
        let list: Vec<String> = self
            .skipped
            .iter()
            .map(|(p, why)| format!("{} ({why})", p.display()))
            .collect();
        Some(
            Diagnostic::new(
                dir,
                format!(
                    "{} {} not a plain file inside the site and {} left out: {}",
                    self.skipped.len(),
                    if self.skipped.len() == 1 { "entry is" } else { "entries are" },
                    if self.skipped.len() == 1 { "was" } else { "were" },
                    list.join(", ")
                ),
            )
            .hint("replace links that lead outside the site with copies of the files; shopgen reads only regular files"),
        )
    }
}

/// Every file below `dir`, sorted by name, without the ignored ones (nor anything inside an
/// ignored folder). A folder that does not exist has none. Only regular files are listed, and
/// symbolic links to regular files whose target (resolved) is inside `root`, the site.
pub fn files(dir: &Path, root: &Path) -> Result<Walked, Diagnostic> {
    let mut out = Walked::default();
    if !dir.is_dir() {
        return Ok(out);
    }
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let walk = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || e.file_name().to_str().is_none_or(|n| !is_ignored(n)));
    for entry in walk {
        let entry = entry.map_err(|e| {
            let at = e.path().unwrap_or(dir).to_path_buf();
            Diagnostic::new(at, format!("cannot read the folder: {e}"))
        })?;
        let t = entry.file_type();
        if t.is_dir() {
            continue;
        }
        let path = entry.path();
        if t.is_symlink() {
            match path.canonicalize() {
                Ok(target) if !target.starts_with(&root) => {
                    out.skipped.push((
                        path.to_path_buf(),
                        "a link that leads outside the site".into(),
                    ));
                    continue;
                }
                Ok(target) => match std::fs::metadata(&target) {
                    Ok(m) if m.is_file() => {}
                    Ok(m) => {
                        out.skipped.push((
                            path.to_path_buf(),
                            format!("a link to {}", super::fsread::kind(m.file_type())),
                        ));
                        continue;
                    }
                    Err(_) => {
                        out.skipped
                            .push((path.to_path_buf(), "a link that leads nowhere".into()));
                        continue;
                    }
                },
                Err(_) => {
                    out.skipped
                        .push((path.to_path_buf(), "a link that leads nowhere".into()));
                    continue;
                }
            }
        } else if !t.is_file() {
            out.skipped
                .push((path.to_path_buf(), super::fsread::kind(t).to_string()));
            continue;
        }
        let rel = path.strip_prefix(dir).unwrap_or(path);
        let mut names = Vec::new();
        for c in rel.components() {
            let Some(name) = c.as_os_str().to_str() else {
                return Err(Diagnostic::new(path, "the file name is not UTF-8")
                    .hint("rename it with UTF-8 characters (ASCII is safest in URLs)"));
            };
            names.push(name);
        }
        out.files.push(Found {
            path: path.to_path_buf(),
            rel: names.join("/"),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_without_ignored_files_and_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        for f in [
            "a.md",
            "sub/b.md",
            ".DS_Store",
            "sub/.b.md.swp",
            "sub/b.md~",
            ".hidden/c.md",
            "Thumbs.db",
        ] {
            std::fs::create_dir_all(d.join(f).parent().unwrap()).unwrap();
            std::fs::write(d.join(f), "x").unwrap();
        }
        let rels: Vec<String> = files(d, d)
            .unwrap()
            .files
            .into_iter()
            .map(|f| f.rel)
            .collect();
        assert_eq!(rels, ["a.md", "sub/b.md"]);
        assert!(files(&d.join("missing"), d).unwrap().files.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_only_inside_the_site() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("static/images")).unwrap();
        std::fs::write(site.join("real.jpg"), "x").unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "x").unwrap();
        let link = |target: &Path, name: &str| {
            std::os::unix::fs::symlink(target, site.join("static/images").join(name)).unwrap()
        };
        link(&site.join("real.jpg"), "inside.jpg");
        link(&tmp.path().join("secret.txt"), "outside.txt");
        link(Path::new("/etc/passwd"), "passwd");
        link(&site.join("gone.jpg"), "broken.jpg");
        // A name with a backslash is kept as it is, for the output layer to refuse.
        std::fs::write(site.join("static/x\\..\\pwn.txt"), "x").unwrap();
        let w = files(&site.join("static"), &site).unwrap();
        let rels: Vec<&str> = w.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["images/inside.jpg", "x\\..\\pwn.txt"]);
        assert_eq!(w.skipped.len(), 3, "{:?}", w.skipped);
        let warning = w.warning(&site.join("static")).unwrap();
        assert!(warning.message.contains("outside the site"), "{warning}");
        assert!(warning.message.contains("leads nowhere"), "{warning}");
    }
}
