//! `shopgen deploy`: sync a built site to Aliyun OSS, an S3-protocol bucket or a local folder.
//!
//! Plan, then act. [`prepare`] reads the built site (from memory with `--build`, otherwise
//! from `public/`), hashes every file, lists the bucket, reads the manifest and makes a
//! [`Plan`]; it changes nothing. [`Prepared::execute`] uploads in phases (assets, then new
//! pages, then changed pages, then the home page, 404 page, sitemap and robots.txt), deletes
//! stale files last (only with `--delete`), and writes the manifest after everything else
//! succeeded. An interrupted deploy
//! leaves pages pointing only at files already uploaded, and a re-run compares by MD5 and
//! uploads only what is still missing or different.
//!
//! Deploy knows nothing of Markdown or templates: its input is an [`Output`].

pub mod baidu;
pub mod headers;
pub mod local;
pub mod manifest;
pub mod oss;
pub mod plan;
pub mod remote;
pub mod website;

use std::collections::BTreeMap;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::config::{BaseUrl, Config, Provider};
use crate::output::Output;
use crate::util::diag::Diagnostic;
use local::Local;
use manifest::{Manifest, ManifestEntry};
pub use plan::Plan;
use plan::{PHASES, RemoteObject, State};
pub use remote::Env;
use remote::Target;

/// A finished upload: its path and the ETag the server answered.
type Uploaded = (String, Option<String>);

/// What went wrong, and what to do: a [`Diagnostic`] of rule `deploy`. Never holds a key:
/// every error passes through [`redacted`] before it leaves the deploy.
pub type DeployError = Diagnostic;

/// A deploy error with `message` (add `.hint(…)` to say what to do).
pub fn failure(message: impl Into<String>) -> DeployError {
    Diagnostic::plain(message).rule("deploy")
}

/// `d` with every secret (a key, a token) in its texts replaced by `***`.
pub fn redacted(mut d: DeployError, secrets: &[String]) -> DeployError {
    d.message = redact(&d.message, secrets);
    d.hint = d.hint.map(|h| redact(&h, secrets));
    d
}

/// `text` with every secret of at least 4 characters replaced by `***`.
pub fn redact(text: &str, secrets: &[String]) -> String {
    let mut out = text.to_string();
    for s in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(s.as_str(), "***");
    }
    out
}

/// The flags of `shopgen deploy`.
#[derive(Debug, Clone)]
pub struct Options {
    /// Print the plan and change nothing.
    pub dry_run: bool,
    /// Delete objects below the prefix that are gone from the site.
    pub delete: bool,
    /// OSS: set static website hosting (index.html, 404.html, sub-folder index pages).
    pub configure_website: bool,
    /// Submit the changed pages to Baidu.
    pub baidu_push: bool,
    /// Uploads at a time.
    pub jobs: usize,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Where a line about each retried request goes (the terminal, for `cmd/deploy`).
    pub say: fn(&str),
}

impl Default for Options {
    fn default() -> Self {
        Options {
            dry_run: false,
            delete: false,
            configure_website: false,
            baidu_push: false,
            jobs: 8,
            progress: false,
            say: |_| {},
        }
    }
}

/// Settings of `--baidu-push`, checked before anything is uploaded.
struct BaiduPush {
    endpoint: String,
    site: String,
    token: String,
}

/// A planned deploy, ready to run.
pub struct Prepared {
    rt: tokio::runtime::Runtime,
    target: Target,
    local: Local,
    remote: BTreeMap<String, RemoteObject>,
    manifest: Option<Manifest>,
    base: BaseUrl,
    baidu: Option<BaiduPush>,
    opts: Options,
    pub plan: Plan,
    /// Warnings from loading the site.
    pub warnings: Vec<Diagnostic>,
}

/// What a deploy did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub target: String,
    pub uploaded: usize,
    pub uploaded_bytes: u64,
    pub deleted: usize,
    pub unchanged: usize,
    /// Stale objects left in place (no `--delete`).
    pub kept: usize,
    pub retries: usize,
    pub manifest_written: bool,
    pub website_configured: bool,
    /// Baidu's answer to each push request.
    pub baidu: Vec<String>,
    pub elapsed: Duration,
}

/// What to deploy: the site's settings and its built files.
pub struct Source {
    /// The site folder (relative `deploy.root` folders are inside it).
    pub root: std::path::PathBuf,
    pub config: Config,
    pub output: Output,
    /// Warnings from loading the site.
    pub warnings: Vec<Diagnostic>,
}

impl Source {
    /// The built site in `<root>/public`, with `config` (already validated).
    pub fn folder(
        root: &Path,
        config: Config,
        warnings: Vec<Diagnostic>,
    ) -> Result<Source, DeployError> {
        let public = root.join("public");
        if crate::output::incremental::is_incomplete(root, &public) {
            return Err(failure(format!(
                "`{}` is incomplete: a build was stopped while it changed it",
                public.display()
            ))
            .hint("build the site again (shopgen build), then deploy; or deploy with --build"));
        }
        Ok(Source {
            output: local::read_dir(&root.join("public"))?,
            root: root.to_path_buf(),
            config,
            warnings,
        })
    }
}

/// Connect, compare the built files with the target, and plan. Changes nothing.
/// `env` reads the environment (credentials, the Baidu token).
pub fn prepare(source: Source, opts: Options, env: Env) -> Result<Prepared, DeployError> {
    let mut secrets = Vec::new();
    let r = prepare_inner(source, opts, env, &mut secrets);
    r.map_err(|e| redacted(e, &secrets))
}

fn prepare_inner(
    source: Source,
    opts: Options,
    env: Env,
    secrets: &mut Vec<String>,
) -> Result<Prepared, DeployError> {
    let Source {
        root,
        config,
        output,
        warnings,
    } = source;
    let site = root.as_path();
    let Some(cfg) = config.deploy.clone() else {
        return Err(failure(format!(
            "{} has no `deploy:` section",
            site.join(crate::config::CONFIG_FILE).display()
        ))
        .hint("add e.g. `deploy: { provider: oss, bucket: my-shop, region: oss-cn-hangzhou }`"));
    };
    let base = BaseUrl::parse(&config.base_url).map_err(failure)?;
    if opts.configure_website && cfg.provider != Provider::Oss {
        return Err(failure(
            "--configure-website sets Aliyun OSS static website hosting; this site deploys with another provider",
        )
        .hint("remove --configure-website, or set `provider: oss`"));
    }
    let baidu = if opts.baidu_push {
        let token = env(baidu::TOKEN_ENV)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                failure(format!("--baidu-push needs {} in the environment", baidu::TOKEN_ENV))
                    .hint("copy the token from Baidu's webmaster tools (普通收录 → API提交); it never goes in shop.yaml")
            })?;
        secrets.push(token.clone());
        let settings = cfg.baidu_push.clone().unwrap_or_default();
        Some(BaiduPush {
            endpoint: settings
                .endpoint
                .unwrap_or_else(|| baidu::DEFAULT_ENDPOINT.to_string()),
            site: settings.site.unwrap_or_else(|| base.origin.clone()),
            token,
        })
    } else {
        None
    };

    let target = Target::connect(&cfg, site, env, opts.dry_run, opts.say)?;
    secrets.extend(target.secrets.iter().cloned());
    let local = Local::new(output)?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| failure(format!("cannot start the network runtime: {e}")))?;
    let jobs = opts.jobs.max(1);
    let (remote, manifest, plan) = rt.block_on(async {
        let remote = target.list().await?;
        let manifest = target.read_manifest().await?;
        // What the listing and the manifest cannot tell is asked of the server, in parallel.
        let states: Vec<State> = futures::stream::iter(&local.files)
            .map(|f| {
                let state = plan::classify(f, remote.get(&f.path), manifest.as_ref());
                let target = &target;
                async move {
                    if state != State::Unknown {
                        return Ok(state);
                    }
                    Ok(if target.has_md5(&f.path, &f.md5).await? {
                        State::Unchanged
                    } else {
                        State::Changed
                    })
                }
            })
            .buffered(jobs)
            .collect::<Vec<Result<State, DeployError>>>()
            .await
            .into_iter()
            .collect::<Result<_, _>>()?;
        let plan = Plan::new(local.files.iter().zip(states), &remote);
        Ok::<_, DeployError>((remote, manifest, plan))
    })?;
    Ok(Prepared {
        rt,
        target,
        local,
        remote,
        manifest,
        base,
        baidu,
        opts,
        plan,
        warnings,
    })
}

impl Prepared {
    /// `oss://bucket/prefix/ (region)`, `s3://bucket/prefix/` or the folder.
    pub fn target(&self) -> &str {
        &self.target.describe
    }

    /// The stale objects this deploy will delete (empty without `--delete`).
    pub fn deletes(&self) -> &[String] {
        if self.opts.delete {
            &self.plan.stale
        } else {
            &[]
        }
    }

    /// The plan in a few lines; with `detail`, one line per file (`+` new, `~` changed,
    /// `-` deleted).
    pub fn describe(&self, detail: bool) -> String {
        let p = &self.plan;
        let new = p.uploads.iter().filter(|u| u.new).count();
        let mut s = format!(
            "plan for {}: upload {} ({} new, {} changed, {}), delete {}, unchanged {}",
            self.target.describe,
            p.uploads.len(),
            new,
            p.uploads.len() - new,
            HumanBytes(p.upload_bytes()),
            self.deletes().len(),
            p.unchanged.len()
        );
        if !self.opts.delete && !p.stale.is_empty() {
            s.push_str(&format!(
                "\n{} file(s) in the bucket are no longer in the site; kept (pass --delete to remove them)",
                p.stale.len()
            ));
        }
        if detail {
            for u in &p.uploads {
                s.push_str(&format!(
                    "\n  {} {} ({})",
                    if u.new { '+' } else { '~' },
                    u.path,
                    HumanBytes(u.size)
                ));
            }
            for d in self.deletes() {
                s.push_str(&format!("\n  - {d}"));
            }
            if self.opts.configure_website {
                s.push_str(&format!(
                    "\n  website hosting: index {}, error {}, sub-folder index pages on",
                    website::INDEX,
                    website::ERROR
                ));
            }
            if self.baidu.is_some() {
                let n = self.changed_page_urls().len();
                s.push_str(&format!("\n  Baidu push: {n} page URL(s)"));
            }
        }
        s
    }

    fn changed_page_urls(&self) -> Vec<String> {
        baidu::page_urls(
            self.plan.uploads.iter().map(|u| u.path.as_str()),
            &self.base,
        )
    }

    /// Run the plan. Nothing is deleted unless the options say `delete` (the caller has
    /// confirmed it).
    pub fn execute(self) -> Result<Report, DeployError> {
        let secrets = self.target.secrets.clone();
        let mut all_secrets = secrets;
        if let Some(b) = &self.baidu {
            all_secrets.push(b.token.clone());
        }
        let r = self.rt.block_on(self.run());
        r.map_err(|e| redacted(e, &all_secrets))
    }

    async fn run(&self) -> Result<Report, DeployError> {
        let start = Instant::now();
        let plan = &self.plan;
        let total_bytes = plan.upload_bytes();
        let pb = if self.opts.progress && !plan.uploads.is_empty() {
            ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        pb.set_style(
            ProgressStyle::with_template(
                "{spinner} [{bar:32}] {bytes}/{total_bytes} {msg} ({bytes_per_sec}, {eta})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        let files_done = AtomicUsize::new(0);
        // After a failed upload no new one starts: the deploy stops at the end of the phase.
        let failed = AtomicBool::new(false);
        let n_files = plan.uploads.len();
        pb.set_message(format!("0/{n_files} files"));

        let mut etags: BTreeMap<String, Option<String>> = BTreeMap::new();
        for phase in PHASES {
            let batch: Vec<_> = plan.uploads.iter().filter(|u| u.phase == phase).collect();
            let results: Vec<Result<Option<Uploaded>, DeployError>> = futures::stream::iter(batch)
                .map(|u| {
                    let (pb, files_done, failed) = (&pb, &files_done, &failed);
                    async move {
                        if failed.load(Ordering::Relaxed) {
                            return Ok(None);
                        }
                        let md5 = self.md5_of(&u.path);
                        let r = match self.local.bytes(&u.path) {
                            Ok(bytes) => self.target.upload(&u.path, bytes, md5).await,
                            Err(e) => Err(e),
                        };
                        let etag = r.inspect_err(|_| failed.store(true, Ordering::Relaxed))?;
                        let done = files_done.fetch_add(1, Ordering::Relaxed) + 1;
                        pb.inc(u.size);
                        pb.set_message(format!("{done}/{n_files} files"));
                        Ok(Some((u.path.clone(), etag)))
                    }
                })
                .buffer_unordered(self.opts.jobs.max(1))
                .collect()
                .await;
            let mut errors = Vec::new();
            for r in results {
                match r {
                    Ok(Some((path, etag))) => {
                        etags.insert(path, etag);
                    }
                    Ok(None) => {}
                    Err(e) => errors.push(e),
                }
            }
            if let Some(first) = errors.first() {
                pb.abandon();
                let more = if errors.len() > 1 {
                    format!(" (and {} more upload(s) failed)", errors.len() - 1)
                } else {
                    String::new()
                };
                return Err(failure(format!(
                    "{}{more}\n{} of {n_files} file(s) uploaded; the pages that would point to the missing files were not uploaded and nothing was deleted",
                    first.message,
                    files_done.load(Ordering::Relaxed)
                ))
                .hint(first.hint.clone().unwrap_or_else(|| {
                    "run the deploy again: it uploads only what is still missing".into()
                })));
            }
        }
        pb.finish_and_clear();

        let deletes = self.deletes().to_vec();
        if !deletes.is_empty() {
            self.target.delete(&deletes).await?;
        }

        let next = self.next_manifest(&etags);
        let manifest_written = self.manifest.as_ref() != Some(&next);
        if manifest_written {
            self.target.write_manifest(&next).await?;
        }

        let mut website_configured = false;
        if self.opts.configure_website
            && let Some(access) = &self.target.oss
        {
            website::configure(access).await?;
            website_configured = true;
        }

        let mut answers = Vec::new();
        if let Some(b) = &self.baidu {
            let urls = self.changed_page_urls();
            if !urls.is_empty() {
                answers = baidu::push(&b.endpoint, &b.site, &b.token, &urls).await?;
            }
        }

        Ok(Report {
            target: self.target.describe.clone(),
            uploaded: plan.uploads.len(),
            uploaded_bytes: total_bytes,
            deleted: deletes.len(),
            unchanged: plan.unchanged.len(),
            kept: if self.opts.delete {
                0
            } else {
                plan.stale.len()
            },
            retries: self.target.retries.get(),
            manifest_written,
            website_configured,
            baidu: answers,
            elapsed: start.elapsed(),
        })
    }

    fn md5_of(&self, path: &str) -> &str {
        self.local
            .files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .map(|i| self.local.files[i].md5.as_str())
            .unwrap_or_default()
    }

    /// The manifest after this deploy: every local file with its MD5, size and ETag.
    fn next_manifest(&self, uploaded: &BTreeMap<String, Option<String>>) -> Manifest {
        let mut m = Manifest::new();
        for f in &self.local.files {
            let etag = match uploaded.get(&f.path) {
                Some(etag) => etag.clone(),
                None => self
                    .remote
                    .get(&f.path)
                    .and_then(|r| r.etag.clone())
                    .or_else(|| {
                        self.manifest
                            .as_ref()
                            .and_then(|m| m.files.get(&f.path))
                            .filter(|e| e.md5 == f.md5)
                            .and_then(|e| e.etag.clone())
                    }),
            };
            m.files.insert(
                f.path.clone(),
                ManifestEntry {
                    md5: f.md5.clone(),
                    size: f.size,
                    etag,
                },
            );
        }
        m
    }
}

impl Report {
    /// One line for the terminal.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "deployed to {}: uploaded {} file(s) ({}), deleted {}, unchanged {} in {:.1} s",
            self.target,
            self.uploaded,
            HumanBytes(self.uploaded_bytes),
            self.deleted,
            self.unchanged,
            self.elapsed.as_secs_f64()
        );
        if self.retries > 0 {
            s.push_str(&format!(" ({} retried request(s))", self.retries));
        }
        if self.kept > 0 {
            s.push_str(&format!(
                "\n{} stale file(s) kept in the bucket (pass --delete to remove them)",
                self.kept
            ));
        }
        if self.website_configured {
            s.push_str(&format!(
                "\nwebsite hosting set: index {}, error {}, sub-folder index pages on",
                website::INDEX,
                website::ERROR
            ));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_every_secret() {
        let secrets = vec![
            "AKIDsecretid".to_string(),
            "s3cr3tvalue".to_string(),
            "ab".into(),
        ];
        let e = redacted(
            failure("denied for AKIDsecretid: <StringToSign>s3cr3tvalue</StringToSign> ab")
                .hint("key AKIDsecretid"),
            &secrets,
        );
        assert_eq!(
            e.message,
            "denied for ***: <StringToSign>***</StringToSign> ab"
        );
        assert_eq!(e.hint.as_deref(), Some("key ***"));
    }
}
