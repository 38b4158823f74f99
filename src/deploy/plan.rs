//! The plan: which files to upload, in which order, which to delete, which are unchanged.
//! Pure data in, data out: the I/O is in the caller.

use std::collections::{BTreeMap, BTreeSet};

use super::headers;
use super::manifest::Manifest;

/// A file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalFile {
    /// Relative path with `/` separators: the object key below the prefix.
    pub path: String,
    /// Lowercase hex MD5.
    pub md5: String,
    pub size: u64,
}

/// An object found in the bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteObject {
    pub size: u64,
    pub etag: Option<String>,
}

/// What a comparison can tell about one local file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Unchanged,
    New,
    Changed,
    /// The listing neither proves nor disproves it: ask the server (or read the object).
    Unknown,
}

/// The MD5 an ETag stands for: a simple upload's ETag is the hex MD5 of the content (OSS
/// writes it in upper case). `None` for anything else (multipart `…-3`, opaque values).
pub fn etag_md5(etag: &str) -> Option<String> {
    let e = etag.trim().trim_start_matches("W/").trim_matches('"');
    (e.len() == 32 && e.bytes().all(|b| b.is_ascii_hexdigit())).then(|| e.to_ascii_lowercase())
}

/// Compare one local file with what the listing and the manifest say about its key.
pub fn classify(
    local: &LocalFile,
    remote: Option<&RemoteObject>,
    manifest: Option<&Manifest>,
) -> State {
    let Some(remote) = remote else {
        return State::New;
    };
    if remote.size != local.size {
        return State::Changed;
    }
    if let Some(md5) = remote.etag.as_deref().and_then(etag_md5) {
        return if md5 == local.md5 {
            State::Unchanged
        } else {
            State::Changed
        };
    }
    // No usable ETag: trust the manifest when it recorded this content at this size and,
    // if the server gives an ETag, the very same ETag.
    if let Some(m) = manifest.and_then(|m| m.files.get(&local.path))
        && m.md5 == local.md5
        && m.size == remote.size
        && (remote.etag.is_none() || m.etag == remote.etag)
    {
        return State::Unchanged;
    }
    State::Unknown
}

/// When a file goes up. Each phase starts only when the one before it has finished, so a
/// visitor during a deploy never gets a page that points to a file not uploaded yet: what a
/// page points to is either already live or uploaded in an earlier phase, and stale files are
/// deleted only after the pages that pointed to them were replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Stylesheets, images and every other file pages point to.
    Assets,
    /// Pages not yet in the bucket: nothing live links to them until the next phase.
    NewPages,
    /// Pages that replace live ones (and may now link to the new pages).
    Pages,
    /// The home page, 404 page, sitemaps and robots.txt, which point to the pages.
    Entry,
}

pub const PHASES: [Phase; 4] = [Phase::Assets, Phase::NewPages, Phase::Pages, Phase::Entry];

pub fn phase(path: &str, new: bool) -> Phase {
    if !headers::is_page(path) {
        Phase::Assets
    } else if path == "index.html"
        || path == "404.html"
        || !path.contains('/') && !path.ends_with(".html")
    {
        Phase::Entry
    } else if new {
        Phase::NewPages
    } else {
        Phase::Pages
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub path: String,
    pub size: u64,
    pub new: bool,
    pub phase: Phase,
}

/// What a deploy will do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// In upload order: by phase, then by path.
    pub uploads: Vec<Upload>,
    /// Objects below the prefix with no local file: deleted with `--delete`.
    pub stale: Vec<String>,
    pub unchanged: Vec<String>,
}

impl Plan {
    /// Build the plan from each local file's resolved state (no `Unknown` left: an unknown
    /// file counts as changed) and the keys found in the bucket.
    pub fn new<'a>(
        files: impl IntoIterator<Item = (&'a LocalFile, State)>,
        remote: &BTreeMap<String, RemoteObject>,
    ) -> Plan {
        let mut plan = Plan::default();
        let mut local = BTreeSet::new();
        for (f, state) in files {
            local.insert(f.path.as_str());
            match state {
                State::Unchanged => plan.unchanged.push(f.path.clone()),
                State::New | State::Changed | State::Unknown => plan.uploads.push(Upload {
                    path: f.path.clone(),
                    size: f.size,
                    new: state == State::New,
                    phase: phase(&f.path, state == State::New),
                }),
            }
        }
        plan.uploads
            .sort_by(|a, b| (a.phase, &a.path).cmp(&(b.phase, &b.path)));
        plan.unchanged.sort();
        plan.stale = remote
            .keys()
            .filter(|k| !local.contains(k.as_str()))
            .cloned()
            .collect();
        plan
    }

    pub fn upload_bytes(&self) -> u64 {
        self.uploads.iter().map(|u| u.size).sum()
    }

    pub fn is_noop(&self, delete: bool) -> bool {
        self.uploads.is_empty() && (!delete || self.stale.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::manifest::ManifestEntry;

    fn local(path: &str, md5: &str, size: u64) -> LocalFile {
        LocalFile {
            path: path.into(),
            md5: md5.into(),
            size,
        }
    }
    const A: &str = "0cc175b9c0f1b6a831c399e269772661";
    const B: &str = "92eb5ffee6ae2fec3ad71c777531578f";

    #[test]
    fn etags() {
        assert_eq!(
            etag_md5(&format!("\"{}\"", A.to_uppercase())),
            Some(A.into())
        );
        assert_eq!(etag_md5(A), Some(A.into()));
        assert_eq!(etag_md5(&format!("W/\"{A}\"")), Some(A.into()));
        assert_eq!(etag_md5("\"d41d8cd98f00b204e9800998ecf8427e-2\""), None);
        assert_eq!(etag_md5("\"abc\""), None);
    }

    #[test]
    fn classify_by_etag_then_manifest() {
        let f = local("index.html", A, 1);
        let obj = |etag: Option<&str>, size| RemoteObject {
            size,
            etag: etag.map(str::to_string),
        };
        assert_eq!(classify(&f, None, None), State::New);
        assert_eq!(
            classify(&f, Some(&obj(Some(&format!("\"{A}\"")), 1)), None),
            State::Unchanged
        );
        assert_eq!(
            classify(&f, Some(&obj(Some(&format!("\"{B}\"")), 1)), None),
            State::Changed
        );
        assert_eq!(
            classify(&f, Some(&obj(Some(&format!("\"{A}\"")), 2)), None),
            State::Changed
        );
        // No ETag in the listing: the manifest decides, or nobody does.
        assert_eq!(classify(&f, Some(&obj(None, 1)), None), State::Unknown);
        let mut m = Manifest::new();
        m.files.insert(
            "index.html".into(),
            ManifestEntry {
                md5: A.into(),
                size: 1,
                etag: Some("\"opaque-1\"".into()),
            },
        );
        assert_eq!(
            classify(&f, Some(&obj(None, 1)), Some(&m)),
            State::Unchanged
        );
        assert_eq!(
            classify(&f, Some(&obj(Some("\"opaque-1\""), 1)), Some(&m)),
            State::Unchanged
        );
        // The object was replaced since (another opaque ETag): unknown.
        assert_eq!(
            classify(&f, Some(&obj(Some("\"opaque-2\""), 1)), Some(&m)),
            State::Unknown
        );
        // The file changed since the manifest: unknown, not unchanged.
        let g = local("index.html", B, 1);
        assert_eq!(classify(&g, Some(&obj(None, 1)), Some(&m)), State::Unknown);
    }

    #[test]
    fn phases_put_assets_first_and_entry_pages_last() {
        assert_eq!(phase("assets/style.0123456789.css", false), Phase::Assets);
        assert_eq!(phase("images/a.jpg", true), Phase::Assets);
        assert_eq!(phase("products/x/index.html", true), Phase::NewPages);
        assert_eq!(phase("products/x/index.html", false), Phase::Pages);
        assert_eq!(phase("about/index.html", false), Phase::Pages);
        assert_eq!(phase("index.html", true), Phase::Entry);
        assert_eq!(phase("404.html", false), Phase::Entry);
        assert_eq!(phase("sitemap.xml", false), Phase::Entry);
        assert_eq!(phase("robots.txt", true), Phase::Entry);
        assert!(PHASES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn plan_orders_uploads_and_finds_stale_files() {
        let files = [
            local("index.html", A, 1),
            local("products/x/index.html", A, 1),
            local("assets/style.0123456789.css", A, 1),
            local("images/same.png", A, 1),
            local("products/listing/index.html", A, 1),
        ];
        let states = [
            State::Changed,
            State::New,
            State::New,
            State::Unchanged,
            State::Unknown,
        ];
        let mut remote = BTreeMap::new();
        for k in ["index.html", "images/same.png", "old/index.html"] {
            remote.insert(
                k.to_string(),
                RemoteObject {
                    size: 1,
                    etag: None,
                },
            );
        }
        let plan = Plan::new(files.iter().zip(states), &remote);
        let order: Vec<&str> = plan.uploads.iter().map(|u| u.path.as_str()).collect();
        assert_eq!(
            order,
            [
                "assets/style.0123456789.css",
                "products/x/index.html",
                "products/listing/index.html",
                "index.html"
            ]
        );
        assert_eq!(plan.stale, ["old/index.html"]);
        assert_eq!(plan.unchanged, ["images/same.png"]);
        assert_eq!(plan.upload_bytes(), 4);
        assert!(!plan.is_noop(false));
    }
}
