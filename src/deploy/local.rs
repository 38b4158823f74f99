//! The files to deploy: a built [`Output`] (from memory, or read back from `public/`), each
//! with its MD5.

use std::path::Path;

use md5::{Digest, Md5};
use rayon::prelude::*;

use super::manifest;
use super::plan::LocalFile;
use super::{DeployError, failure};
use crate::output::{Entry, Output, check_path};
use crate::util::walk;

/// Lowercase hex MD5 of `bytes`.
pub fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The files of the built site, hashed.
pub struct Local {
    pub output: Output,
    /// Sorted by path.
    pub files: Vec<LocalFile>,
}

impl Local {
    /// Hash every file of `output` (in parallel).
    pub fn new(output: Output) -> Result<Local, DeployError> {
        let hashed: Result<Vec<LocalFile>, DeployError> = output
            .files
            .par_iter()
            .map(|(path, entry)| {
                // Every key again, before any request: a plain path below the prefix.
                if let Err(m) = check_path(path) {
                    return Err(failure(format!("refusing to deploy `{}`: {m}", path.escape_debug()))
                        .hint("rename the file in the site and build again"));
                }
                if path.starts_with(manifest::DIR) {
                    return Err(failure(format!(
                        "the built site has a file `{path}`, but `{}` is reserved for shopgen's deploy manifest",
                        manifest::DIR
                    ))
                    .hint("rename or remove that file"));
                }
                let bytes = read(&output, entry, path)?;
                Ok(LocalFile {
                    path: path.clone(),
                    md5: md5_hex(&bytes),
                    size: bytes.len() as u64,
                })
            })
            .collect();
        Ok(Local {
            output,
            files: hashed?,
        })
    }

    /// The contents of one file.
    pub fn bytes(&self, path: &str) -> Result<Vec<u8>, DeployError> {
        match self.output.files.get(path) {
            Some(entry) => read(&self.output, entry, path),
            None => Err(failure(format!("`{path}` is not part of the site"))),
        }
    }
}

fn read(output: &Output, entry: &Entry, path: &str) -> Result<Vec<u8>, DeployError> {
    match entry {
        Entry::Bytes(b) => Ok(b.to_vec()),
        Entry::Copy(src) => output.read_copy(src).map_err(|e| {
            failure(format!(
                "cannot read `{}` ({path}): {}",
                src.display(),
                e.message
            ))
            .hint("build the site again (shopgen build, or deploy with --build)")
        }),
    }
}

/// Read a built site back from a folder (`public/`) as an [`Output`] of files to copy.
pub fn read_dir(dir: &Path) -> Result<Output, DeployError> {
    if !dir.is_dir() {
        return Err(failure(format!("`{}` does not exist", dir.display()))
            .hint("build the site first with `shopgen build`, or deploy with --build"));
    }
    let mut out = Output::default();
    let walked = walk::files(dir, dir).map_err(|d| {
        failure(d.message).hint("rename the file, or build the site again (shopgen build)")
    })?;
    if let Some(e) = walked.error(dir) {
        return Err(failure(e.message)
            .hint("build the site again (shopgen build): it writes only regular files"));
    }
    out.root = dir.canonicalize().ok();
    for f in walked.files {
        if let Err(m) = check_path(&f.rel) {
            return Err(
                failure(format!("`{}` cannot be deployed: {m}", f.path.display()))
                    .hint("rename the file"),
            );
        }
        out.files.insert(f.rel, Entry::Copy(f.path));
    }
    if out.files.is_empty() {
        return Err(failure(format!("`{}` is empty", dir.display()))
            .hint("build the site first with `shopgen build`, or deploy with --build"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_of_known_strings() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_hex(b"a"), "0cc175b9c0f1b6a831c399e269772661");
    }

    #[test]
    fn reads_a_folder_and_refuses_the_reserved_one() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("products/x")).unwrap();
        std::fs::write(tmp.path().join("index.html"), "a").unwrap();
        std::fs::write(tmp.path().join("products/x/index.html"), "").unwrap();
        let local = Local::new(read_dir(tmp.path()).unwrap()).unwrap();
        let paths: Vec<&str> = local.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["index.html", "products/x/index.html"]);
        assert_eq!(local.files[0].md5, "0cc175b9c0f1b6a831c399e269772661");
        assert_eq!(local.bytes("index.html").unwrap(), b"a");

        // A dot-folder in public/ is never deployed (the one ignore policy), so a stray
        // `.shopgen/` cannot overwrite the deploy manifest; an output that has one is refused.
        std::fs::create_dir_all(tmp.path().join(".shopgen")).unwrap();
        std::fs::write(tmp.path().join(".shopgen/manifest.json"), "{}").unwrap();
        let out = read_dir(tmp.path()).unwrap();
        assert!(!out.files.keys().any(|k| k.starts_with(".shopgen")));
        let mut out = out;
        out.files.insert(
            ".shopgen/manifest.json".into(),
            Entry::Copy(tmp.path().join(".shopgen/manifest.json")),
        );
        assert!(Local::new(out).is_err());
        assert!(read_dir(&tmp.path().join("missing")).is_err());
    }
}
