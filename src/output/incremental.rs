//! Rebuilds that write only what changed. Every file of a build is compared, as it is made,
//! with what the output folder already holds — by size and content hash, from a manifest kept
//! in the site's `.shopgen/` (never in the output), checked against the file itself (its size
//! and modification time), so a file edited or deleted by hand is noticed and restored. Only
//! new and changed files are written, into a staging folder beside the output (the same file
//! system); nothing in the output changes until the whole build has succeeded. Then each staged
//! file is renamed into place (a reader sees the old file or the new one, never half of one),
//! files no longer produced are deleted and empty folders removed. While that runs, a marker in
//! `.shopgen/` says the output is incomplete: a build killed then is completed by the next one
//! (which trusts no manifest entry then, and compares contents), and `deploy` refuses it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::{Entry, Output, Sink, check_path, staging_folder};
use crate::util::diag::{BuildError, Diagnostic};
use crate::util::{fsread, walk};

/// What the output holds of one file, as the last build left it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Record {
    size: u64,
    /// blake3 of the content, hex.
    hash: String,
    /// Modification time of the output file (nanoseconds since 1970), to notice hand edits.
    mtime: u64,
    /// For a copied file: its source's size and modification time, so an unchanged source is
    /// not even read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<(u64, u64)>,
    /// For a page: the fingerprint of the data it was rendered from, so an unchanged page is
    /// not even rendered again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    print: Option<u64>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Manifest {
    /// The output folder it describes.
    output: PathBuf,
    files: BTreeMap<String, Record>,
}

/// What an incremental build did to the output folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Files written (new or changed).
    pub written: usize,
    /// Files deleted (no longer produced).
    pub deleted: usize,
    /// Files the output already held as they are.
    pub unchanged: usize,
}

/// Where the manifest and the incomplete-marker of output folder `out` live: the site's
/// `.shopgen/output/`, one pair per output folder.
fn state_paths(site: &Path, out: &Path) -> (PathBuf, PathBuf) {
    let dir = site.join(".shopgen").join("output");
    let key = blake3::hash(out.to_string_lossy().as_bytes()).to_hex();
    let key = &key[..16];
    (
        dir.join(format!("{key}.json")),
        dir.join(format!("{key}.incomplete")),
    )
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// Whether a build into `out` (for the site at `site`) was stopped while it changed the
/// output, so the output may be part old, part new.
pub fn is_incomplete(site: &Path, out: &Path) -> bool {
    state_paths(site, &absolute(out)).1.exists()
}

fn mtime_of(m: &std::fs::Metadata) -> u64 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

fn hash_file(path: &Path) -> Option<String> {
    let mut f = std::fs::File::open(path).ok()?;
    if !f.metadata().ok()?.is_file() {
        return None;
    }
    let mut h = blake3::Hasher::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = f.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Some(h.finalize().to_hex().to_string())
}

/// An incremental build of one output folder: files go through [`Incremental::put`] (pages,
/// as a [`Sink`]) and [`Incremental::put_output`] (everything else), then [`Incremental::apply`]
/// changes the output. Dropped before that, it removes its staging folder and the output is
/// untouched.
pub struct Incremental {
    out: PathBuf,
    staging: PathBuf,
    manifest_path: PathBuf,
    marker: PathBuf,
    old: Manifest,
    /// The last apply was stopped: compare contents, trust no size or time.
    verify: bool,
    /// There is no output yet: the staging folder becomes the output, renamed whole.
    fresh: bool,
    new: Mutex<BTreeMap<String, Record>>,
    /// Files waiting in the staging folder.
    staged: Mutex<BTreeSet<String>>,
    /// State for the next build, by name, written when the build succeeds.
    states: Mutex<BTreeMap<String, Vec<u8>>>,
    applied: bool,
}

impl Incremental {
    /// Start a build into output folder `out` of the site at `site`.
    pub fn new(site: &Path, out: &Path) -> Result<Incremental, BuildError> {
        let out = absolute(out);
        let (_, _, staging) = staging_folder(&out)?;
        let (manifest_path, marker) = state_paths(site, &out);
        // An empty output folder is no output: it goes, and the staging folder takes its place.
        if std::fs::read_dir(&out).is_ok_and(|mut d| d.next().is_none()) {
            let _ = std::fs::remove_dir(&out);
        }
        let fresh = !out.exists();
        let old: Manifest = std::fs::read(&manifest_path)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(|m: &Manifest| m.output == out)
            .unwrap_or_default();
        Ok(Incremental {
            verify: marker.exists(),
            fresh,
            out,
            staging,
            manifest_path,
            marker,
            old,
            new: Mutex::new(BTreeMap::new()),
            staged: Mutex::new(BTreeSet::new()),
            states: Mutex::new(BTreeMap::new()),
            applied: false,
        })
    }

    /// The record of `rel` if the output holds it as recorded (and with content `hash`).
    fn held(&self, rel: &str, hash: &str) -> Option<Record> {
        if self.fresh {
            return None;
        }
        let r = self.old.files.get(rel).filter(|r| r.hash == hash)?;
        let path = self.out.join(rel);
        let meta = std::fs::symlink_metadata(&path).ok()?;
        if !meta.is_file() || meta.len() != r.size {
            return None;
        }
        if self.verify {
            // After an interrupted apply only the content says what the file holds.
            (hash_file(&path)?.as_str() == hash).then(|| Record {
                mtime: mtime_of(&meta),
                ..r.clone()
            })
        } else {
            (mtime_of(&meta) == r.mtime).then(|| r.clone())
        }
    }

    fn stage(
        &self,
        rel: &str,
        write: impl FnOnce(&Path) -> std::io::Result<()>,
    ) -> Result<u64, Diagnostic> {
        let path = self.staging.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Diagnostic::io(dir, "create folder", &e))?;
        }
        write(&path).map_err(|e| Diagnostic::io(&path, "write", &e))?;
        self.staged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string());
        // A rename keeps it, so the manifest can record it now.
        let meta = std::fs::metadata(&path).map_err(|e| Diagnostic::io(&path, "write", &e))?;
        Ok(mtime_of(&meta))
    }

    fn record(&self, rel: &str, r: Record) {
        self.new
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel.to_string(), r);
    }

    /// A generated file: staged unless the output already holds exactly these bytes.
    pub fn put_bytes(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        check_path(rel).map_err(|m| Diagnostic::new(rel, format!("refusing to write: {m}")))?;
        let hash = blake3::hash(bytes).to_hex().to_string();
        if let Some(r) = self.held(rel, &hash) {
            self.record(rel, r);
            return Ok(());
        }
        let mtime = self.stage(rel, |p| std::fs::write(p, bytes))?;
        self.record(
            rel,
            Record {
                size: bytes.len() as u64,
                hash,
                mtime,
                source: None,
                print: None,
            },
        );
        Ok(())
    }

    /// A file copied from the site: not even read when its size and time are those of the
    /// last build and the output still holds it; else compared by content, and copied (a
    /// copy-on-write clone where the file system has them: `std::fs::copy` uses
    /// `copy_file_range`) only when it changed.
    pub fn put_copy(&self, rel: &str, src: &Path) -> Result<(), Diagnostic> {
        check_path(rel).map_err(|m| Diagnostic::new(rel, format!("refusing to write: {m}")))?;
        let meta = std::fs::metadata(src).map_err(|e| Diagnostic::io(src, "read", &e))?;
        if !meta.is_file() {
            return Err(Diagnostic::new(
                src,
                format!("is {}, not a regular file", fsread::kind(meta.file_type())),
            ));
        }
        let source = Some((meta.len(), mtime_of(&meta)));
        if let Some(r) = self
            .old
            .files
            .get(rel)
            .filter(|r| r.source == source && !self.verify)
            && let Some(r) = self.held(rel, &r.hash.clone())
        {
            self.record(rel, r);
            return Ok(());
        }
        // A first build has nothing to compare with: the copy is not read for a hash (a shop's
        // photos are most of its bytes). An empty hash matches no content, so once the source
        // changes its size or time, the next build copies it.
        let hash = if self.fresh {
            String::new()
        } else {
            hash_file(src).ok_or_else(|| Diagnostic::new(src, "cannot read the file"))?
        };
        if let Some(r) = self.held(rel, &hash) {
            self.record(rel, Record { source, ..r });
            return Ok(());
        }
        let mtime = self.stage(rel, |p| std::fs::copy(src, p).map(|_| ()))?;
        self.record(
            rel,
            Record {
                size: meta.len(),
                hash,
                mtime,
                source,
                print: None,
            },
        );
        Ok(())
    }

    /// Every file of `out` that is not already in (the pages the sink took).
    pub fn put_output(&self, out: &Output) -> Result<(), BuildError> {
        let errors: Vec<Diagnostic> = {
            use rayon::prelude::*;
            out.files
                .par_iter()
                .filter_map(|(rel, entry)| {
                    match entry {
                        Entry::Bytes(b) => self.put_bytes(rel, b),
                        Entry::Copy(src) => self.put_copy(rel, src),
                    }
                    .err()
                })
                .collect()
        };
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.into())
        }
    }

    /// The build succeeded: move the staged files into the output, delete what is no longer
    /// produced, and write the manifest.
    pub fn apply(mut self) -> Result<Applied, BuildError> {
        self.write_states()?;
        let new = std::mem::take(&mut *self.new.lock().unwrap_or_else(|e| e.into_inner()));
        let staged = std::mem::take(&mut *self.staged.lock().unwrap_or_else(|e| e.into_inner()));
        let mut applied = Applied {
            written: staged.len(),
            unchanged: new.len() - staged.len(),
            deleted: 0,
        };
        // What the output holds that the build does not produce (listed before anything moves).
        let gone: Vec<PathBuf> = walk::files(&self.out, &self.out)
            .map(|w| w.files)
            .unwrap_or_default()
            .into_iter()
            .filter(|f| !new.contains_key(&f.rel))
            .map(|f| f.path)
            .collect();
        if staged.is_empty() && gone.is_empty() && !self.verify && new == self.old.files {
            self.applied = true;
            let _ = std::fs::remove_dir_all(&self.staging);
            return Ok(applied);
        }
        if let Some(dir) = self.marker.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Diagnostic::io(dir, "create folder", &e))?;
        }
        let files = new;
        if self.fresh {
            // No output yet: the staging folder, complete, becomes it in one rename.
            std::fs::rename(&self.staging, &self.out)
                .map_err(|e| Diagnostic::io(&self.out, "move the new output into place", &e))?;
            self.write_manifest(files)?;
            let _ = std::fs::remove_file(&self.marker);
            self.applied = true;
            return Ok(applied);
        }
        std::fs::write(&self.marker, self.out.to_string_lossy().as_bytes())
            .map_err(|e| Diagnostic::io(&self.marker, "write", &e))?;
        for rel in &staged {
            let (from, to) = (self.staging.join(rel), self.out.join(rel));
            if let Some(dir) = to.parent() {
                if dir.is_file() {
                    // A file where a folder must now be (a page that became a folder).
                    let _ = std::fs::remove_file(dir);
                }
                std::fs::create_dir_all(dir)
                    .map_err(|e| Diagnostic::io(dir, "create folder", &e))?;
            }
            if to.is_dir() {
                let _ = std::fs::remove_dir_all(&to);
            }
            std::fs::rename(&from, &to).map_err(|e| Diagnostic::io(&to, "move into place", &e))?;
        }
        for path in gone {
            if std::fs::remove_file(&path).is_ok() {
                applied.deleted += 1;
                // Empty folders up to the output folder go too.
                let mut dir = path.parent();
                while let Some(d) = dir {
                    if d == self.out || std::fs::remove_dir(d).is_err() {
                        break;
                    }
                    dir = d.parent();
                }
            }
        }
        self.write_manifest(files)?;
        std::fs::remove_file(&self.marker)
            .map_err(|e| Diagnostic::io(&self.marker, "remove", &e))?;
        self.applied = true;
        let _ = std::fs::remove_dir_all(&self.staging);
        Ok(applied)
    }

    /// Where state `name` is kept: beside the manifest.
    fn state_path(&self, name: &str) -> PathBuf {
        self.manifest_path.with_extension(format!("{name}.state"))
    }

    /// Write the states this build kept for the next one (each a temporary file, then a
    /// rename; one that is unchanged is not written).
    fn write_states(&self) -> Result<(), BuildError> {
        let states = std::mem::take(&mut *self.states.lock().unwrap_or_else(|e| e.into_inner()));
        for (name, bytes) in states {
            let path = self.state_path(&name);
            if std::fs::read(&path).is_ok_and(|old| old == bytes) {
                continue;
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Diagnostic::io(dir, "create folder", &e))?;
            }
            let tmp = path.with_extension("state.tmp");
            std::fs::write(&tmp, &bytes).map_err(|e| Diagnostic::io(&tmp, "write", &e))?;
            std::fs::rename(&tmp, &path).map_err(|e| Diagnostic::io(&path, "write", &e))?;
        }
        Ok(())
    }

    /// Write the manifest (a temporary file, then a rename).
    fn write_manifest(&self, files: BTreeMap<String, Record>) -> Result<(), BuildError> {
        let manifest = Manifest {
            output: self.out.clone(),
            files,
        };
        let tmp = self.manifest_path.with_extension("json.tmp");
        let json =
            serde_json::to_vec(&manifest).map_err(|e| Diagnostic::new(&tmp, e.to_string()))?;
        std::fs::write(&tmp, json).map_err(|e| Diagnostic::io(&tmp, "write", &e))?;
        std::fs::rename(&tmp, &self.manifest_path)
            .map_err(|e| Diagnostic::io(&self.manifest_path, "write", &e))?;
        Ok(())
    }
}

impl Sink for Incremental {
    fn put(&self, rel: &str, print: u64, bytes: Vec<u8>) -> Result<Option<Entry>, Diagnostic> {
        self.put_bytes(rel, &bytes)?;
        if let Some(r) = self
            .new
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_mut(rel)
        {
            r.print = Some(print);
        }
        Ok(None)
    }

    fn holds(&self, rel: &str, print: u64) -> bool {
        // After an interrupted apply only rendering and comparing can tell.
        if self.fresh || self.verify {
            return false;
        }
        let Some(r) = self.old.files.get(rel).filter(|r| r.print == Some(print)) else {
            return false;
        };
        match self.held(rel, &r.hash) {
            Some(r) => {
                self.record(rel, r);
                true
            }
            None => false,
        }
    }

    fn read_held(&self, rel: &str) -> Option<Vec<u8>> {
        if self.fresh || self.verify {
            return None;
        }
        let r = self.old.files.get(rel)?;
        self.held(rel, &r.hash)?;
        let bytes = std::fs::read(self.out.join(rel)).ok()?;
        (blake3::hash(&bytes).to_hex().as_str() == r.hash).then_some(bytes)
    }

    fn read_state(&self, name: &str) -> Option<Vec<u8>> {
        std::fs::read(self.state_path(name)).ok()
    }

    fn put_state(&self, name: &str, make: &dyn Fn() -> Vec<u8>) {
        let bytes = make();
        self.states
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_string(), bytes);
    }

    fn keep_all(&self, rels: &[String]) -> bool {
        if self.fresh || self.verify {
            return false;
        }
        let held: Option<Vec<Record>> = rels
            .iter()
            .map(|rel| self.held(rel, &self.old.files.get(rel)?.hash))
            .collect();
        let Some(held) = held else {
            return false;
        };
        for (rel, r) in rels.iter().zip(held) {
            self.record(rel, r);
        }
        true
    }
}

impl Drop for Incremental {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.staging);
        let _ = self.applied;
    }
}
