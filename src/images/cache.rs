//! The image cache in `<site>/.shopgen/cache/images/`: one file per variant, named by its
//! key (a digest of the source's content, the operation, the settings and the encoder
//! version), and an index of the sources (size, modification time, content digest, header,
//! mean colour) so a rebuild reads no photo that did not change. Files are written to a
//! temporary name and renamed, so two builds at once never leave half a file.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::codec::Header;

/// Changes whenever what an encoder makes of the same pixels could change: every variant
/// made by an older shopgen is made again.
pub const ENCODER_VERSION: &str = concat!(
    "shopgen-images-1 libwebp jpeg-encoder fir6 ",
    env!("CARGO_PKG_VERSION")
);

const INDEX: &str = "index.json";

/// What the index knows of one source file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    pub size: u64,
    pub mtime_ns: u128,
    /// blake3 of the file, hex.
    pub hash: String,
    pub header: Header,
    pub color: Option<[u8; 3]>,
    /// The file carries no metadata to strip (`processor: oss` publishes it as it is).
    #[serde(default)]
    pub plain: Option<bool>,
}

pub struct Cache {
    pub dir: PathBuf,
}

/// Size and modification time of a file, as the index records them.
pub fn stamp(path: &Path) -> Option<(u64, u128)> {
    let m = std::fs::metadata(path).ok()?;
    let mtime = m
        .modified()
        .ok()?
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((m.len(), mtime))
}

impl Cache {
    pub fn new(site: &Path) -> Cache {
        Cache {
            dir: site.join(".shopgen").join("cache").join("images"),
        }
    }

    pub fn path(&self, key: &str, ext: &str) -> PathBuf {
        self.dir.join(format!("{key}.{ext}"))
    }

    /// The index of the last build (empty when there is none or it cannot be read).
    pub fn index(&self) -> BTreeMap<String, Source> {
        std::fs::read(self.dir.join(INDEX))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default()
    }

    pub fn save_index(&self, index: &BTreeMap<String, Source>) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(index).map_err(std::io::Error::other)?;
        self.write(INDEX, &bytes)
    }

    /// Write `bytes` as `name` in the cache: a temporary file, then a rename.
    pub fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut tmp = tempfile_in(&self.dir)?;
        tmp.1.write_all(bytes)?;
        tmp.1.sync_data().ok();
        drop(tmp.1);
        std::fs::rename(&tmp.0, self.dir.join(name)).inspect_err(|_| {
            std::fs::remove_file(&tmp.0).ok();
        })
    }

    /// Delete the cache files no variant in `keep` (file names) needs. Returns how many.
    pub fn prune(&self, keep: &HashSet<String>) -> usize {
        let Ok(rd) = std::fs::read_dir(&self.dir) else {
            return 0;
        };
        let mut n = 0;
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            // A temporary file of a build still running is young: leave it.
            let young = e
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().map_or(true, |d| d.as_secs() < 600));
            if name == INDEX || keep.contains(&name) || (name.starts_with(".tmp") && young) {
                continue;
            }
            if std::fs::remove_file(e.path()).is_ok() {
                n += 1;
            }
        }
        n
    }
}

/// A new file in `dir` with a unique temporary name.
fn tempfile_in(dir: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    loop {
        let n = N.fetch_add(1, Ordering::Relaxed);
        let p = dir.join(format!(".tmp-{}-{n}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
        {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}
