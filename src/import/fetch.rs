//! Getting a catalog's photos into the site's `static/`: downloaded several at a time with
//! timeouts, or copied from a local folder by file name. A photo already in place is not
//! fetched again (a rerun resumes), each arrives through a `.part` file renamed when complete,
//! and a failure is reported with its product while the others go on.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::StreamExt;

/// How many downloads run at once.
const AT_ONCE: usize = 8;
/// The largest photo accepted.
const LIMIT: u64 = 64 * 1024 * 1024;

/// A photo to put at `dest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub url: String,
    pub dest: PathBuf,
    /// The product's handle, for the report.
    pub product: String,
}

/// A photo that could not be had, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub product: String,
    pub url: String,
    pub reason: String,
}

/// Where the photos come from.
pub enum From<'a> {
    /// Their URLs.
    Web,
    /// A folder holding them under the file names of their URLs.
    Folder(&'a Path),
}

/// What fetching did.
#[derive(Debug, Default)]
pub struct Fetched {
    pub fetched: usize,
    /// Already in place from an earlier run.
    pub kept: usize,
    pub failed: Vec<Failure>,
}

/// The file name a photo URL ends in, decoded (`Tote_1.jpg` of `…/Tote_1.jpg?v=17`).
pub fn url_file_name(url: &str) -> String {
    let path = url::Url::parse(url)
        .map(|u| u.path().to_string())
        .unwrap_or_else(|_| url.split(['?', '#']).next().unwrap_or(url).to_string());
    let last = path.rsplit('/').next().unwrap_or("");
    percent_encoding::percent_decode_str(last)
        .decode_utf8_lossy()
        .into_owned()
}

/// Fetch every photo of `wanted`; `tick(done, total)` follows the progress.
pub fn fetch(wanted: &[Wanted], from: From<'_>, tick: &(dyn Fn(usize, usize) + Sync)) -> Fetched {
    let mut out = Fetched::default();
    let todo: Vec<&Wanted> = wanted
        .iter()
        .filter(|w| {
            let there = std::fs::metadata(&w.dest).is_ok_and(|m| m.is_file() && m.len() > 0);
            out.kept += usize::from(there);
            !there
        })
        .collect();
    let total = todo.len();
    tick(0, total);
    let results: Vec<(&Wanted, Result<(), String>)> = match from {
        From::Folder(dir) => {
            let index = folder_index(dir);
            todo.iter()
                .enumerate()
                .map(|(i, w)| {
                    let r = match index.get(&url_file_name(&w.url)) {
                        Some(src) => copy(src, &w.dest),
                        None => Err(format!(
                            "no file named `{}` in {}",
                            url_file_name(&w.url),
                            dir.display()
                        )),
                    };
                    tick(i + 1, total);
                    (*w, r)
                })
                .collect()
        }
        From::Web => download_all(&todo, tick),
    };
    for (w, r) in results {
        match r {
            Ok(()) => out.fetched += 1,
            Err(reason) => out.failed.push(Failure {
                product: w.product.clone(),
                url: w.url.clone(),
                reason,
            }),
        }
    }
    out.failed
        .sort_by(|a, b| (&a.product, &a.url).cmp(&(&b.product, &b.url)));
    out
}

/// The files below `dir` by file name (the first found for a name).
fn folder_index(dir: &Path) -> HashMap<String, PathBuf> {
    let mut index = HashMap::new();
    if let Ok(walked) = crate::util::walk::files(dir, dir) {
        for f in walked.files {
            if let Some(name) = f.path.file_name().and_then(|n| n.to_str()) {
                index.entry(name.to_string()).or_insert(f.path.clone());
            }
        }
    }
    index
}

fn part_of(dest: &Path) -> PathBuf {
    let mut p = dest.as_os_str().to_owned();
    p.push(".part");
    PathBuf::from(p)
}

fn copy(src: &Path, dest: &Path) -> Result<(), String> {
    if let Some(dir) = dest.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let part = part_of(dest);
    std::fs::copy(src, &part)
        .and_then(|_| std::fs::rename(&part, dest))
        .map_err(|e| {
            let _ = std::fs::remove_file(&part);
            format!("cannot copy {}: {e}", src.display())
        })
}

fn download_all<'a>(
    todo: &[&'a Wanted],
    tick: &(dyn Fn(usize, usize) + Sync),
) -> Vec<(&'a Wanted, Result<(), String>)> {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return todo
                .iter()
                .map(|w| (*w, Err(format!("cannot start the downloads: {e}"))))
                .collect();
        }
    };
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .read_timeout(Duration::from_secs(30))
        .timeout(Duration::from_secs(300))
        .user_agent(concat!("shopgen/", env!("CARGO_PKG_VERSION")))
        .build();
    let client = match client {
        Ok(c) => c,
        Err(e) => {
            return todo
                .iter()
                .map(|w| (*w, Err(format!("cannot start the downloads: {e}"))))
                .collect();
        }
    };
    let total = todo.len();
    runtime.block_on(async {
        let mut done = 0;
        let mut results = Vec::with_capacity(total);
        let mut stream = futures::stream::iter(todo.iter().map(|w| {
            let client = client.clone();
            async move { (*w, download(&client, w).await) }
        }))
        .buffer_unordered(AT_ONCE);
        while let Some(r) = stream.next().await {
            done += 1;
            tick(done, total);
            results.push(r);
        }
        results
    })
}

async fn download(client: &reqwest::Client, w: &Wanted) -> Result<(), String> {
    use tokio::io::AsyncWriteExt;
    let mut resp = client.get(&w.url).send().await.map_err(|e| describe(&e))?;
    if !resp.status().is_success() {
        return Err(format!("the server answered {}", resp.status()));
    }
    if resp.content_length().is_some_and(|n| n > LIMIT) {
        return Err(format!("larger than {} MB", LIMIT / 1024 / 1024));
    }
    if let Some(dir) = w.dest.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let part = part_of(&w.dest);
    let result = async {
        let mut file = tokio::fs::File::create(&part)
            .await
            .map_err(|e| format!("cannot write {}: {e}", part.display()))?;
        let mut size = 0u64;
        while let Some(chunk) = resp.chunk().await.map_err(|e| describe(&e))? {
            size += chunk.len() as u64;
            if size > LIMIT {
                return Err(format!("larger than {} MB", LIMIT / 1024 / 1024));
            }
            file.write_all(&chunk)
                .await
                .map_err(|e| format!("cannot write {}: {e}", part.display()))?;
        }
        if size == 0 {
            return Err("the server sent an empty file".to_string());
        }
        file.flush().await.map_err(|e| e.to_string())?;
        drop(file);
        tokio::fs::rename(&part, &w.dest)
            .await
            .map_err(|e| format!("cannot write {}: {e}", w.dest.display()))
    }
    .await;
    if result.is_err() {
        let _ = tokio::fs::remove_file(&part).await;
    }
    result
}

/// A download error in a few words: a timeout, a refused connection, the cause.
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "timed out".to_string();
    }
    let mut s = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        s = format!("{s}: {c}");
        cause = c.source();
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_of_urls() {
        assert_eq!(
            url_file_name("https://cdn.shopify.com/s/files/1/0/Tote_1.jpg?v=1700000000"),
            "Tote_1.jpg"
        );
        assert_eq!(url_file_name("https://x.example/a/%E6%89%98.png"), "托.png");
        assert_eq!(url_file_name("tote.jpg"), "tote.jpg");
    }
}
