//! The manifest object: what the last complete deploy put in the bucket, with each file's MD5.
//!
//! A listing gives every object's size and (on most servers) its ETag, which for a simple
//! upload is the MD5 of the content. The manifest fills the gap where the ETag is missing or
//! is not an MD5 (some servers, multipart uploads), so that a re-run never has to read the
//! objects themselves. It is written last, after every upload and delete succeeded.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Where the manifest lives, below the deploy prefix. Never uploaded from, nor deleted as
/// stale by, the site.
pub const PATH: &str = ".shopgen/manifest.json";
/// The folder reserved for shopgen's own objects.
pub const DIR: &str = ".shopgen/";

const VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    #[serde(default)]
    pub generator: String,
    /// Relative path → what was uploaded there.
    pub files: BTreeMap<String, ManifestEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Lowercase hex MD5 of the content.
    pub md5: String,
    pub size: u64,
    /// The ETag the server gave the object, when it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

impl Manifest {
    pub fn new() -> Manifest {
        Manifest {
            version: VERSION,
            generator: format!("shopgen {}", env!("CARGO_PKG_VERSION")),
            files: BTreeMap::new(),
        }
    }

    /// Parse a stored manifest. `None` for one that is unreadable or of another version: the
    /// deploy then plans from the listing alone.
    pub fn parse(bytes: &[u8]) -> Option<Manifest> {
        serde_json::from_slice::<Manifest>(bytes)
            .ok()
            .filter(|m| m.version == VERSION)
    }

    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_rejects() {
        let mut m = Manifest::new();
        m.files.insert(
            "index.html".into(),
            ManifestEntry {
                md5: "0cc175b9c0f1b6a831c399e269772661".into(),
                size: 1,
                etag: Some("\"0CC175B9C0F1B6A831C399E269772661\"".into()),
            },
        );
        assert_eq!(Manifest::parse(&m.to_json()), Some(m.clone()));
        assert_eq!(Manifest::parse(b"not json"), None);
        assert_eq!(Manifest::parse(br#"{"version":99,"files":{}}"#), None);
    }
}
