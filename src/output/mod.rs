//! The in-memory build result (relative path → contents), the one chokepoint for output
//! paths, the sinks pages are rendered into, and the two ways a build reaches the disk: an
//! incremental apply that writes only what changed ([`incremental`]), or a staging folder
//! swapped in whole ([`Staging`], for `--clean`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

pub mod incremental;

use crate::util::diag::{BuildError, Diagnostic};
use crate::util::fsread;

/// The contents of one output file.
#[derive(Debug, Clone)]
pub enum Entry {
    Bytes(Cow<'static, [u8]>),
    /// A file copied as-is from the site (kept on disk, not in memory).
    Copy(PathBuf),
}

/// Every file of the built site, keyed by its path below the output root (`products/x/index.html`).
#[derive(Debug, Clone, Default)]
pub struct Output {
    pub files: BTreeMap<String, Entry>,
    /// The folder every copied file must resolve into when it is read (the site, or the
    /// `public/` that deploy reads): checked again at every read, so a file swapped for a
    /// link to elsewhere is never served or uploaded.
    pub root: Option<PathBuf>,
}

impl Output {
    /// Add a file. `rel` must be a plain relative path: it can never leave the output folder.
    /// A second file at the same path is an error naming both sources.
    pub fn insert(&mut self, rel: &str, entry: Entry, from: &str) -> Result<(), Diagnostic> {
        if !is_safe(rel) {
            return Err(Diagnostic::new(
                from,
                format!(
                    "refusing to write `{rel}`: it is not a plain path inside the output folder"
                ),
            ));
        }
        if self.files.contains_key(rel) {
            return Err(
                Diagnostic::new(from, format!("two files would be written to `{rel}`")).hint(
                    "rename one of them (a page slug may clash with a static file or another page)",
                ),
            );
        }
        self.files.insert(rel.to_string(), entry);
        Ok(())
    }

    /// Add or replace a file (static files: the site's replace the theme's).
    pub fn replace(&mut self, rel: &str, entry: Entry) -> Result<(), Diagnostic> {
        if !is_safe(rel) {
            return Err(Diagnostic::new(
                rel,
                "refusing to write a path outside the output folder",
            ));
        }
        self.files.insert(rel.to_string(), entry);
        Ok(())
    }

    pub fn get_bytes(&self, rel: &str) -> Option<Cow<'_, [u8]>> {
        match self.files.get(rel)? {
            Entry::Bytes(b) => Some(Cow::Borrowed(b.as_ref())),
            Entry::Copy(p) => self.read_copy(p).ok().map(Cow::Owned),
        }
    }

    /// The contents of a copied file: a regular file, resolved inside [`Output::root`].
    pub fn read_copy(&self, path: &Path) -> Result<Vec<u8>, Diagnostic> {
        if let Some(root) = &self.root {
            let real = path
                .canonicalize()
                .map_err(|e| Diagnostic::io(path, "read", &e))?;
            if !real.starts_with(root) {
                return Err(
                    Diagnostic::new(path, "now leads outside the site; it is not read")
                        .hint("replace the link with a copy of the file"),
                );
            }
        }
        fsread::read(path, fsread::FILE_LIMIT)
    }

    /// Write everything to `dir` atomically: into a sibling staging folder first, swapped in
    /// only when every file is written. On failure `dir` is left exactly as it was.
    pub fn write_atomic(&self, dir: &Path) -> Result<(), BuildError> {
        let staging = Staging::new(dir)?;
        staging.write(self)?;
        staging.commit()
    }
}

/// A folder beside the output folder that a build is written into, then swapped in for it.
/// Dropped without [`Staging::commit`], it is removed and the output folder stays as it was.
pub struct Staging {
    dir: PathBuf,
    staging: PathBuf,
    old: PathBuf,
}

impl Staging {
    /// Make an empty staging folder for output folder `dir`.
    pub fn new(dir: &Path) -> Result<Staging, BuildError> {
        let (parent, name, staging) = staging_folder(dir)?;
        let pid = std::process::id();
        Ok(Staging {
            dir: dir.to_path_buf(),
            old: parent.join(format!(".{name}.old-{pid}")),
            staging,
        })
    }

    /// Where files go until the commit.
    pub fn root(&self) -> &Path {
        &self.staging
    }

    /// Write every file of `out` (files written straight into [`Staging::root`] stay).
    pub fn write(&self, out: &Output) -> Result<(), BuildError> {
        out.write_all(&self.staging).map_err(BuildError::from)
    }

    /// Swap the staging folder in for the output folder.
    pub fn commit(self) -> Result<(), BuildError> {
        swap(&self.staging, &self.dir, &self.old).map_err(BuildError::from)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // After a commit the staging folder is gone and this does nothing.
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

impl Output {
    fn write_all(&self, root: &Path) -> Result<(), Vec<Diagnostic>> {
        let unsafe_paths: Vec<Diagnostic> = self
            .files
            .keys()
            .filter_map(|rel| {
                let m = check_path(rel).err()?;
                Some(Diagnostic::new(rel, format!("refusing to write: {m}")))
            })
            .collect();
        if !unsafe_paths.is_empty() {
            return Err(unsafe_paths);
        }
        // Create folders first (sequentially, once each), then write files in parallel.
        let mut dirs: Vec<PathBuf> = self
            .files
            .keys()
            .filter_map(|k| Path::new(k).parent().map(|p| root.join(p)))
            .collect();
        dirs.dedup();
        for d in &dirs {
            std::fs::create_dir_all(d).map_err(|e| vec![Diagnostic::io(d, "create folder", &e)])?;
        }
        let errors: Vec<Diagnostic> = self
            .files
            .par_iter()
            .filter_map(|(rel, entry)| {
                let path = root.join(rel);
                let r = match entry {
                    Entry::Bytes(b) => {
                        std::fs::File::create(&path).and_then(|mut f| f.write_all(b))
                    }
                    Entry::Copy(src) => match std::fs::metadata(src) {
                        Ok(m) if m.is_file() => std::fs::copy(src, &path).map(|_| ()),
                        Ok(m) => Err(std::io::Error::other(format!(
                            "{} is {}",
                            src.display(),
                            fsread::kind(m.file_type())
                        ))),
                        Err(e) => Err(e),
                    },
                };
                r.err().map(|e| Diagnostic::io(&path, "write", &e))
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Where rendered pages go as they are made: kept in memory ([`Memory`], for `serve` and
/// `check`) or written into a folder at once ([`Folder`], for `build`, so that a large shop's
/// pages are never all in memory).
pub trait Sink: Sync {
    /// Take the page at `rel`, rendered from data with fingerprint `print`. What it returns
    /// is kept in the [`Output`] (`None`: the page is on disk and only its path is remembered).
    fn put(&self, rel: &str, print: u64, bytes: Vec<u8>) -> Result<Option<Entry>, Diagnostic>;

    /// Whether the sink already holds the page at `rel` as rendered from data with fingerprint
    /// `print` (by an earlier build), so it need not be rendered at all.
    fn holds(&self, _rel: &str, _print: u64) -> bool {
        false
    }

    /// The bytes of the generated file at `rel` when the sink already holds it exactly as an
    /// earlier build left it (`None` otherwise, or when the sink keeps nothing between builds).
    /// Reading it keeps nothing: see [`Sink::keep_all`].
    fn read_held(&self, _rel: &str) -> Option<Vec<u8>> {
        None
    }

    /// Keep the generated files `rels` as an earlier build left them, without making them
    /// again: whether the sink holds every one of them so (if not, none is kept).
    fn keep_all(&self, _rels: &[String]) -> bool {
        false
    }

    /// What an earlier build of this output kept for the next one under `name` (a cache of
    /// values derived from the site, never part of the output; `None` when there is none or
    /// the sink keeps nothing between builds).
    fn read_state(&self, _name: &str) -> Option<Vec<u8>> {
        None
    }

    /// Keep what `make` gives under `name` for the next build (written only if this build
    /// succeeds; a sink that keeps nothing between builds does not call it).
    fn put_state(&self, _name: &str, _make: &dyn Fn() -> Vec<u8>) {}
}

/// The sink of one language of the site: its pages go under its folder (`en/`) of `inner`, and
/// what it keeps for the next build under names of its own (`en.views`).
pub struct Prefixed<'a> {
    pub inner: &'a dyn Sink,
    /// The folder with its `/`.
    pub prefix: &'a str,
}

impl Prefixed<'_> {
    fn rel(&self, rel: &str) -> String {
        format!("{}{rel}", self.prefix)
    }
    fn state(&self, name: &str) -> String {
        format!("{}.{name}", self.prefix.trim_end_matches('/'))
    }
}

impl Sink for Prefixed<'_> {
    fn put(&self, rel: &str, print: u64, bytes: Vec<u8>) -> Result<Option<Entry>, Diagnostic> {
        self.inner.put(&self.rel(rel), print, bytes)
    }
    fn holds(&self, rel: &str, print: u64) -> bool {
        self.inner.holds(&self.rel(rel), print)
    }
    fn read_held(&self, rel: &str) -> Option<Vec<u8>> {
        self.inner.read_held(&self.rel(rel))
    }
    fn keep_all(&self, rels: &[String]) -> bool {
        let rels: Vec<String> = rels.iter().map(|r| self.rel(r)).collect();
        self.inner.keep_all(&rels)
    }
    fn read_state(&self, name: &str) -> Option<Vec<u8>> {
        self.inner.read_state(&self.state(name))
    }
    fn put_state(&self, name: &str, make: &dyn Fn() -> Vec<u8>) {
        self.inner.put_state(&self.state(name), make)
    }
}

/// Pages kept in memory.
pub struct Memory;

impl Sink for Memory {
    fn put(&self, _rel: &str, _print: u64, bytes: Vec<u8>) -> Result<Option<Entry>, Diagnostic> {
        Ok(Some(Entry::Bytes(Cow::Owned(bytes))))
    }
}

/// Pages written into a folder (a build's staging folder) as they are rendered.
pub struct Folder<'a>(pub &'a Path);

impl Sink for Folder<'_> {
    fn put(&self, rel: &str, _print: u64, bytes: Vec<u8>) -> Result<Option<Entry>, Diagnostic> {
        write_file(self.0, rel, &bytes).map(|()| None)
    }
}

/// For output folder `dir`: its parent (made if missing), its name, and an empty staging folder
/// beside it for this process (`.<name>.staging-<pid>`), after the staging folders of killed
/// builds are removed.
pub(crate) fn staging_folder(dir: &Path) -> Result<(PathBuf, String, PathBuf), Diagnostic> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dir
        .file_name()
        .ok_or_else(|| {
            Diagnostic::new(dir, "the output folder needs a name").hint("pass e.g. --output public")
        })?
        .to_string_lossy()
        .into_owned();
    std::fs::create_dir_all(&parent)
        .map_err(|e| Diagnostic::io(&parent, "create the output's parent folder", &e))?;
    remove_stale(&parent, &name);
    let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)
        .map_err(|e| Diagnostic::io(&staging, "create the staging folder", &e))?;
    Ok((parent, name, staging))
}

/// Remove the staging and old-output folders that builds of output folder `name` left in
/// `parent` when they were killed: those of processes that no longer run (or, where that
/// cannot be told, older than a day).
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let own = std::process::id();
    let prefixes = [format!(".{name}.staging-"), format!(".{name}.old-")];
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(n) = file_name.to_str() else {
            continue;
        };
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| n.strip_prefix(p.as_str()))
            .and_then(|rest| rest.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == own || !e.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let proc = Path::new("/proc");
        let gone = if proc.join("self").exists() {
            !proc.join(pid.to_string()).exists()
        } else {
            e.metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > 24 * 3600)
        };
        if gone {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Write one file at `rel` below `root`, making its folders.
pub fn write_file(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    check_path(rel).map_err(|m| Diagnostic::new(rel, format!("refusing to write: {m}")))?;
    let path = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Diagnostic::io(dir, "create folder", &e))?;
    }
    std::fs::write(&path, bytes).map_err(|e| Diagnostic::io(&path, "write", &e))
}

fn swap(staging: &Path, dir: &Path, old: &Path) -> Result<(), Vec<Diagnostic>> {
    let had_old = dir.exists();
    if had_old {
        std::fs::rename(dir, old)
            .map_err(|e| vec![Diagnostic::io(dir, "move the previous output aside", &e)])?;
    }
    if let Err(e) = std::fs::rename(staging, dir) {
        if had_old {
            let _ = std::fs::rename(old, dir);
        }
        return Err(vec![Diagnostic::io(
            dir,
            "move the new output into place",
            &e,
        )]);
    }
    if had_old {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok(())
}

/// A build output whose name carries a hash of its content: inside `assets/`, with a
/// dot-separated part of 8 to 64 hex digits (`assets/style.0123abcd89.css`).
pub fn is_fingerprinted(path: &str) -> bool {
    let Some(rest) = path.strip_prefix("assets/") else {
        return false;
    };
    let name = rest.rsplit('/').next().unwrap_or(rest);
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| (8..=64).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The one chokepoint for output paths (a file of a build, a file `serve` answers with, a
/// key `deploy` uploads): `rel` must be a normalised relative path of safe names — names
/// joined by `/`, none empty, `.` or `..`, none with a `\\`, a `:` drive, a NUL or another
/// control character, none longer than 255 bytes. Returns why not.
pub fn check_path(rel: &str) -> Result<(), String> {
    if rel.is_empty() {
        return Err("the path is empty".into());
    }
    if rel.starts_with('/') {
        return Err(format!("`{rel}` is an absolute path"));
    }
    for name in rel.split('/') {
        let shown = name.escape_debug();
        if name.is_empty() {
            return Err(format!(
                "`{}` has an empty part (`//` or a trailing `/`)",
                rel.escape_debug()
            ));
        }
        if name == "." || name == ".." {
            return Err(format!(
                "`{}` has a `{name}` part, which could leave the output folder",
                rel.escape_debug()
            ));
        }
        if name.contains('\\') {
            return Err(format!(
                "the name `{shown}` has a backslash, which other systems read as a folder separator"
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(format!("the name `{shown}` has a control character"));
        }
        if name.len() > 255 {
            return Err(format!(
                "the name `{}…` is longer than the 255 bytes a file name can have",
                name.chars().take(24).collect::<String>()
            ));
        }
    }
    if rel.len() > 1 && rel.as_bytes()[1] == b':' {
        return Err(format!("`{rel}` starts with a drive letter"));
    }
    Ok(())
}

/// Whether `rel` passes [`check_path`].
pub fn is_safe(rel: &str) -> bool {
    check_path(rel).is_ok()
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_paths_are_refused() {
        let mut o = Output::default();
        for bad in ["../x", "/etc/passwd", "a/../../b", "a\\..\\b", "", "./"] {
            assert!(
                o.insert(bad, Entry::Bytes(Cow::Borrowed(b"x")), "t")
                    .is_err(),
                "{bad}"
            );
        }
        assert!(
            o.insert(
                "products/a/index.html",
                Entry::Bytes(Cow::Borrowed(b"x")),
                "t"
            )
            .is_ok()
        );
        assert!(
            o.insert(
                "products/a/index.html",
                Entry::Bytes(Cow::Borrowed(b"y")),
                "t"
            )
            .is_err()
        );
    }

    #[test]
    fn the_chokepoint_refuses_what_could_escape() {
        for bad in [
            "..\\..\\pwn.txt",
            "a/..\\b",
            "../x",
            "a/../b",
            "/etc/passwd",
            "C:/x",
            "a//b",
            "a/",
            "a/./b",
            "bell\u{7}.txt",
            "new\nline",
            "",
        ] {
            assert!(check_path(bad).is_err(), "{bad:?}");
            assert!(!is_safe(bad), "{bad:?}");
        }
        assert!(check_path(&"a".repeat(256)).is_err());
        for good in [
            "index.html",
            "products/zhen-pi/index.html",
            "images/托特包 1.jpg",
            "a.b.c",
        ] {
            assert!(check_path(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn stale_staging_folders_of_dead_builds_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        // No process has a pid this high (the kernel's limit is 2^22).
        let dead = tmp.path().join(".public.staging-4294967294");
        let old = tmp.path().join(".public.old-4294967294");
        let other = tmp.path().join(".other.staging-4294967294");
        for d in [&dead, &old, &other] {
            std::fs::create_dir_all(d.join("x")).unwrap();
        }
        let mut o = Output::default();
        o.insert("index.html", Entry::Bytes(Cow::Borrowed(b"new")), "t")
            .unwrap();
        o.write_atomic(&tmp.path().join("public")).unwrap();
        if Path::new("/proc/self").exists() {
            assert!(!dead.exists() && !old.exists());
        }
        assert!(other.exists(), "another output's folders are not touched");
    }

    #[test]
    fn atomic_write_replaces_and_keeps_nothing_stale() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(out.join("old")).unwrap();
        std::fs::write(out.join("old/stale.html"), "stale").unwrap();
        let mut o = Output::default();
        o.insert("index.html", Entry::Bytes(Cow::Borrowed(b"new")), "t")
            .unwrap();
        o.write_atomic(&out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "new"
        );
        assert!(!out.join("old").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left behind");
    }
}
