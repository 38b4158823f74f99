//! `shopgen check`: build the site in memory and report what would hurt a shop in mainland
//! China, each finding with its output path and, where it can be traced, the source file and
//! line it came from.
//!
//! Rules:
//! - `blocked-host`: the page makes a browser load something from (or connect to) a host in
//!   [`blocked_hosts`](crate::china::blocked_hosts), in any form a browser honours.
//! - `icp-link`: a mainland site's home page lacks the ICP filing link; a Hong Kong site shows
//!   a filing link.
//! - `mixed-content`: an `http://` resource on an `https` site.
//! - `broken-link` / `missing-file`: an internal link or resource that is not in the output.
//! - `absolute-term` (warning): an advertising-law absolute term in product copy.
//! - `build`: the site does not build (errors), or the build warned.
//! - `unreadable`: an output file that could not be parsed.

mod css;
mod html;
mod sources;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use url::Url;

use super::{ad_terms, blocked_hosts};
use crate::config::Region;
use crate::content::{self, LoadOptions, Site};
use crate::error::{BuildError, Diagnostic};
use crate::output::Output;
use html::{Kind, Ref};
use sources::{Origin, Place, Sources};

/// How bad a finding is. Errors fail the check; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// `blocked-host`, `icp-link`, `mixed-content`, `broken-link`, `missing-file`,
    /// `absolute-term`, `build`, `unreadable`.
    pub rule: &'static str,
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The URL the finding is about, as written (decoded).
    pub url: Option<String>,
    /// The output file (relative to the output folder), e.g. `products/tote/index.html`.
    /// Absent only for `build` findings.
    pub output: Option<String>,
    /// 1-based line in the output file.
    pub output_line: Option<usize>,
    /// The source file it came from, when known.
    pub source: Option<PathBuf>,
    /// 1-based line (and column) in `source`.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// Further output files with the same finding from the same source line.
    pub also_in: Vec<String>,
}

/// The result of a check.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The site folder as given.
    pub site: PathBuf,
    /// Output files read (HTML and CSS).
    pub files_checked: usize,
    pub errors: usize,
    pub warnings: usize,
    pub findings: Vec<Finding>,
}

impl Report {
    fn new(site: &Path, files_checked: usize, findings: Vec<Finding>) -> Report {
        let errors = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count();
        Report {
            site: site.to_path_buf(),
            files_checked,
            errors,
            warnings: findings.len() - errors,
            findings,
        }
    }

    /// True when nothing fails the check (warnings are allowed).
    pub fn passed(&self) -> bool {
        self.errors == 0
    }

    /// The report as one JSON document.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// The report for a terminal.
    pub fn to_text(&self) -> String {
        let mut s = String::new();
        for f in &self.findings {
            let sev = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(s, "{sev}[{}]: {}", f.rule, f.message);
            if let Some(src) = &f.source {
                let _ = write!(s, "  --> {}", src.display());
                if let Some(l) = f.line {
                    let _ = write!(s, ":{l}");
                    if let Some(c) = f.column {
                        let _ = write!(s, ":{c}");
                    }
                }
                s.push('\n');
            }
            if let Some(out) = &f.output {
                let _ = write!(s, "  in output {out}");
                if let Some(l) = f.output_line {
                    let _ = write!(s, ":{l}");
                }
                match f.also_in.len() {
                    0 => {}
                    1 => {
                        let _ = write!(s, " and {}", f.also_in[0]);
                    }
                    n => {
                        let _ = write!(s, " and {n} more files");
                    }
                }
                s.push('\n');
            }
            if let Some(h) = &f.help {
                let _ = writeln!(s, "  help: {h}");
            }
        }
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let _ = write!(
            s,
            "checked {}: {}",
            plural(self.files_checked, "file"),
            if self.findings.is_empty() {
                "no problems found".to_string()
            } else {
                format!(
                    "{}, {}",
                    plural(self.errors, "error"),
                    plural(self.warnings, "warning")
                )
            }
        );
        s
    }
}

/// Load and render the site at `root` in memory (nothing is written) and check it.
/// A site that does not build gives a report of its build errors.
pub fn check_site(root: &Path, opts: &LoadOptions) -> Report {
    let site = match content::load(root, opts) {
        Ok(s) => s,
        Err(e) => return Report::new(root, 0, build_findings(&e)),
    };
    let out = match crate::render::render(&site) {
        Ok(o) => o,
        Err(e) => return Report::new(root, 0, build_findings(&e)),
    };
    check(&site, &out)
}

fn build_findings(e: &BuildError) -> Vec<Finding> {
    e.diagnostics
        .iter()
        .map(|d| diagnostic_finding(d, Severity::Error))
        .collect()
}

fn diagnostic_finding(d: &Diagnostic, severity: Severity) -> Finding {
    Finding {
        severity,
        rule: "build",
        message: match &d.field {
            Some(f) => format!("field `{f}`: {}", d.message),
            None => d.message.clone(),
        },
        help: d.hint.clone(),
        url: None,
        output: None,
        output_line: None,
        source: Some(d.file.clone()),
        line: d.line,
        column: d.column,
        also_in: Vec::new(),
    }
}

/// What every file's check needs.
struct Ctx<'a> {
    site: &'a Site,
    out: &'a Output,
    sources: Sources,
    root: Url,
    https: bool,
}

/// Check a rendered site.
pub fn check(site: &Site, out: &Output) -> Report {
    let Ok(root) = Url::parse(&site.base.root()) else {
        // The loader validated base_url; this cannot fail for a loaded site.
        let d = Diagnostic::new(site.root.join("shop.yaml"), "base_url is not a URL");
        return Report::new(&site.root, 0, vec![diagnostic_finding(&d, Severity::Error)]);
    };
    let ctx = Ctx {
        site,
        out,
        https: root.scheme() == "https",
        root,
        sources: Sources::read(site),
    };
    let files: Vec<&str> = out
        .files
        .keys()
        .map(String::as_str)
        .filter(|r| is_html(r) || r.ends_with(".css"))
        .collect();
    let mut findings: Vec<Finding> = site
        .warnings
        .iter()
        .map(|d| diagnostic_finding(d, Severity::Warning))
        .collect();
    let per_file: Vec<Vec<Finding>> = files.par_iter().map(|rel| ctx.file(rel)).collect();
    findings.extend(per_file.into_iter().flatten());
    let terms: Vec<Vec<Finding>> = site.products.par_iter().map(absolute_terms).collect();
    findings.extend(terms.into_iter().flatten());
    Report::new(&site.root, files.len(), group(findings))
}

fn is_html(rel: &str) -> bool {
    rel.ends_with(".html") || rel.ends_with(".htm")
}

/// Merge findings that come from the same source line (a template shared by many pages)
/// into one, listing the other output files; sort by source file and line.
fn group(findings: Vec<Finding>) -> Vec<Finding> {
    type Key = (
        &'static str,
        Severity,
        String,
        Option<PathBuf>,
        Option<usize>,
        Option<usize>,
    );
    let mut out: Vec<Finding> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    for f in findings {
        if f.source.is_none() || f.line.is_none() {
            out.push(f);
            continue;
        }
        let key = (
            f.rule,
            f.severity,
            f.message.clone(),
            f.source.clone(),
            f.line,
            f.column,
        );
        match index.get(&key) {
            Some(&i) => {
                if let Some(o) = f.output
                    && out[i].output.as_ref() != Some(&o)
                    && !out[i].also_in.contains(&o)
                {
                    out[i].also_in.push(o);
                }
            }
            None => {
                index.insert(key, out.len());
                out.push(f);
            }
        }
    }
    out.sort_by(|a, b| {
        (
            a.source.is_none(),
            &a.source,
            a.line,
            a.column,
            &a.output,
            a.output_line,
        )
            .cmp(&(
                b.source.is_none(),
                &b.source,
                b.line,
                b.column,
                &b.output,
                b.output_line,
            ))
    });
    out
}

impl Ctx<'_> {
    fn file(&self, rel: &str) -> Vec<Finding> {
        let Some(bytes) = self.out.get_bytes(rel) else {
            return vec![self.unreadable(rel, None, "cannot read the file".into())];
        };
        let origin = self.sources.origin(rel, self.out);
        let Ok(page) = self.root.join(
            &rel.replace('%', "%25")
                .replace('#', "%23")
                .replace('?', "%3F"),
        ) else {
            return Vec::new();
        };
        let mut findings = Vec::new();
        let lines = LineIndex::new(&bytes);
        let (refs, anchors) = if is_html(rel) {
            match html::scan(&bytes) {
                Ok(scan) => {
                    for (at, e) in &scan.css_errors {
                        findings.push(self.unreadable(
                            rel,
                            Some(lines.line(*at)),
                            format!("cannot parse CSS: {e}"),
                        ));
                    }
                    (scan.refs, scan.anchors)
                }
                Err(e) => {
                    return vec![self.unreadable(rel, None, format!("cannot parse HTML: {e}"))];
                }
            }
        } else {
            let text = String::from_utf8_lossy(&bytes);
            match css::urls(&text, css::Context::File) {
                Ok(urls) => (
                    urls.into_iter()
                        .map(|u| Ref {
                            what: if u.import { "CSS @import" } else { "CSS url()" }.into(),
                            value: u.url,
                            raw: None,
                            kind: Kind::Load,
                            offset: 0,
                            extra_lines: u.line - 1,
                        })
                        .collect(),
                    Vec::new(),
                ),
                Err(e) => {
                    return vec![self.unreadable(rel, None, format!("cannot parse CSS: {e}"))];
                }
            }
        };
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut done: Vec<(&'static str, String, usize)> = Vec::new();
        for r in &refs {
            let problems = self.reference(r, &page);
            if problems.is_empty() {
                continue;
            }
            let out_line = lines.line(r.offset) + r.extra_lines;
            let nth = {
                let n = seen.entry(r.value.clone()).or_insert(0);
                *n += 1;
                *n - 1
            };
            for (rule, message, help) in problems {
                // The same URL twice in one tag (`src` and `srcset`) is one finding.
                let key = (rule, r.value.clone(), out_line);
                if done.contains(&key) {
                    continue;
                }
                done.push(key);
                let mut needles: Vec<&str> = vec![r.value.as_str()];
                if let Some(raw) = &r.raw {
                    needles.push(raw);
                }
                let stripped = r
                    .value
                    .strip_prefix(self.site.base.path.as_str())
                    .unwrap_or(&r.value)
                    .trim_start_matches('/');
                if stripped.len() > 3 {
                    needles.push(stripped);
                }
                let place = match &origin {
                    Origin::Copy(p) => Some(Place {
                        file: p.clone(),
                        line: out_line,
                        column: 1,
                    }),
                    _ => self.sources.locate(rel, &origin, &needles, nth),
                };
                findings.push(finding(
                    Severity::Error,
                    rule,
                    message,
                    Some(help),
                    Some(r.value.clone()),
                    rel,
                    Some(out_line),
                    place,
                ));
            }
        }
        if is_html(rel) {
            findings.extend(self.filing_links(rel, &page, &anchors, &lines));
        }
        findings
    }

    /// The problems of one reference: (rule, message, help).
    fn reference(&self, r: &Ref, page: &Url) -> Vec<(&'static str, String, String)> {
        let mut problems = Vec::new();
        let Ok(url) = page.join(&r.value) else {
            return problems;
        };
        if !matches!(url.scheme(), "http" | "https") {
            return problems; // data:, mailto:, tel:, javascript:, weixin: …
        }
        let host = url.host_str().unwrap_or("");
        // Only what the browser fetches by itself counts: a link the buyer may click is fine.
        if r.kind != Kind::Link
            && let Some(b) = blocked_hosts::lookup(host)
        {
            let verb = if r.kind == Kind::Connect {
                "connects to"
            } else {
                "loads"
            };
            problems.push((
                "blocked-host",
                format!(
                    "{} {verb} `{}` from {host}, {}: {}",
                    r.what, r.value, b.service, b.reason
                ),
                b.instead.to_string(),
            ));
        }
        if self.https && r.kind == Kind::Load && url.scheme() == "http" {
            problems.push((
                "mixed-content",
                format!(
                    "{} loads `{}` over plain http on an https site: browsers block it or mark the page insecure",
                    r.what, r.value
                ),
                "use https://, or put the file in static/ and use its local path".into(),
            ));
        }
        if r.kind != Kind::Connect && url.origin() == self.root.origin() {
            let (verb, rule) = if r.kind == Kind::Link {
                ("links to", "broken-link")
            } else {
                ("loads", "missing-file")
            };
            match self.internal(&url) {
                Ok(None) => {}
                Ok(Some(path)) => problems.push((
                    rule,
                    format!(
                        "{} {verb} `{}`, but the output has no `{path}`",
                        r.what, r.value
                    ),
                    if r.kind == Kind::Link {
                        "fix the link, or add the page it points to".into()
                    } else {
                        "fix the path, or put the file in static/ (paths of static files start at the site root)".into()
                    },
                )),
                Err(base) => problems.push((
                    rule,
                    format!(
                        "{} {verb} `{}`, which is outside the site's base path `{base}`",
                        r.what, r.value
                    ),
                    format!("start the path with `{base}`, or write it relative to the page"),
                )),
            }
        }
        problems
    }

    /// For a URL on the site's own origin: `Ok(None)` when the output has it, `Ok(Some(path))`
    /// naming the missing output path, `Err(base path)` when it is outside the base path.
    fn internal(&self, url: &Url) -> Result<Option<String>, String> {
        let base = &self.site.base.path;
        let Some(rest) = url.path().strip_prefix(base.as_str()).or_else(|| {
            // `/shop` for the base path `/shop/`.
            (url.path() == base.trim_end_matches('/')).then_some("")
        }) else {
            return Err(base.clone());
        };
        let rel = percent_encoding::percent_decode_str(rest)
            .decode_utf8_lossy()
            .into_owned();
        let has = |p: &str| self.out.files.contains_key(p);
        let found = if rel.is_empty() || rel.ends_with('/') {
            has(&format!("{rel}index.html"))
        } else {
            // A folder without its slash is redirected to it by static hosts (OSS too).
            has(&rel) || has(&format!("{rel}/index.html"))
        };
        Ok(if found {
            None
        } else if rel.is_empty() || rel.ends_with('/') {
            Some(format!("{rel}index.html"))
        } else {
            Some(rel)
        })
    }

    /// The filing links: a mainland site's home page shows the ICP number as the text of a
    /// link to the MIIT filing system; a Hong Kong site shows no filing link at all.
    fn filing_links(
        &self,
        rel: &str,
        page: &Url,
        anchors: &[html::Anchor],
        lines: &LineIndex,
    ) -> Vec<Finding> {
        const MIIT: &str = "beian.miit.gov.cn";
        const MPS: &str = "beian.mps.gov.cn";
        let hosting = &self.site.config.hosting;
        let host_of = |a: &html::Anchor| {
            page.join(&a.href)
                .ok()
                .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        };
        let shows = hosting.region == Region::Mainland || hosting.mainland_cdn;
        let mut findings = Vec::new();
        if !shows {
            for a in anchors {
                if let Some(h) = host_of(a)
                    && (h == MIIT || h == MPS)
                {
                    let place = self
                        .sources
                        .locate(rel, &Origin::Page, &[&a.href, h.as_str()], 0);
                    findings.push(finding(
                        Severity::Error,
                        "icp-link",
                        format!("a Hong Kong site shows a mainland filing link (`{}`, text `{}`)", a.href, a.text),
                        Some("remove it from the template, or set `mainland_cdn: true` under `hosting:` in shop.yaml if a mainland CDN fronts the shop".into()),
                        Some(a.href.clone()),
                        rel,
                        Some(lines.line(a.offset)),
                        place,
                    ));
                }
            }
            return findings;
        }
        if rel != "index.html" {
            return findings;
        }
        let icp = hosting.icp.as_deref().unwrap_or("");
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let want = squash(icp);
        let links: Vec<&html::Anchor> = anchors
            .iter()
            .filter(|a| host_of(a).as_deref() == Some(MIIT))
            .collect();
        if links.iter().any(|a| squash(&a.text) == want) {
            return findings;
        }
        let expected = format!("<a href=\"https://{MIIT}/\">{icp}</a>");
        let help = "keep the theme's footer (partials/footer.html) or copy its filing links into your template override".to_string();
        match links.first() {
            Some(a) => findings.push(finding(
                Severity::Error,
                "icp-link",
                format!(
                    "the home page's ICP link reads `{}`, not the configured number: expected {expected}",
                    a.text
                ),
                Some(help),
                Some(a.href.clone()),
                rel,
                Some(lines.line(a.offset)),
                self.sources.locate(rel, &Origin::Page, &[&a.href], 0),
            )),
            None => findings.push(finding(
                Severity::Error,
                "icp-link",
                format!("the home page of a mainland site has no ICP filing link: expected {expected}"),
                Some(help),
                None,
                rel,
                None,
                self.sources.config_field("hosting.icp"),
            )),
        }
        findings
    }

    fn unreadable(&self, rel: &str, line: Option<usize>, message: String) -> Finding {
        finding(
            Severity::Error,
            "unreadable",
            message,
            None,
            None,
            rel,
            line,
            None,
        )
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    severity: Severity,
    rule: &'static str,
    message: String,
    help: Option<String>,
    url: Option<String>,
    output: &str,
    output_line: Option<usize>,
    place: Option<Place>,
) -> Finding {
    let (source, line, column) = match place {
        Some(p) => (Some(p.file), Some(p.line), Some(p.column)),
        None => (None, None, None),
    };
    Finding {
        severity,
        rule,
        message,
        help,
        url,
        output: Some(output.to_string()),
        output_line,
        source,
        line,
        column,
        also_in: Vec::new(),
    }
}

/// Front-matter fields of a product that are its sales copy, and the body.
const COPY_FIELDS: &[&str] = &["title", "subtitle", "description", "badges"];

/// Absolute terms in a product's copy, with the line and column in its file.
fn absolute_terms(p: &content::Product) -> Vec<Finding> {
    let Ok(raw) = std::fs::read_to_string(&p.source) else {
        return Vec::new();
    };
    let text = raw.strip_prefix('\u{feff}').unwrap_or(&raw);
    let output = format!("{}index.html", p.path());
    let mut findings = Vec::new();
    let mut field: Option<&str> = None;
    let mut fences = 0;
    for (i, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if fences < 2 && matches!(line.trim_end(), "---" | "...") && (fences == 1 || i == 0) {
            fences += 1;
            if fences == 2 {
                field = Some("body");
            }
            continue;
        }
        let scan_from = if fences == 1 {
            // Front matter: a key at the start of a line starts a field; indented lines and
            // list items continue it.
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if !line.starts_with([' ', '\t', '-'])
                && let Some((key, _)) = line.split_once(':')
            {
                field = COPY_FIELDS.iter().find(|f| **f == key.trim()).copied();
                key.len() + 1
            } else {
                0
            }
        } else {
            0
        };
        let Some(f) = field else { continue };
        for hit in ad_terms::find(&line[scan_from..]) {
            let at = scan_from + hit.offset;
            let column = line[..at].chars().count() + 1;
            findings.push(Finding {
                severity: Severity::Warning,
                rule: "absolute-term",
                message: format!(
                    "`{}` in the product's {f} is {}",
                    hit.text, hit.term.why
                ),
                help: Some("state a checkable fact instead (material, size, craft, origin); absolute claims risk fines of RMB 200,000–1,000,000".into()),
                url: None,
                output: Some(output.clone()),
                output_line: None,
                source: Some(p.source.clone()),
                line: Some(i + 1),
                column: Some(column),
                also_in: Vec::new(),
            });
        }
    }
    findings
}

/// Byte offset → line, for one output file.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(bytes: &[u8]) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(newlines(bytes));
        LineIndex { starts }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

fn newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index() {
        let l = LineIndex::new(b"a\nbc\n\nd");
        assert_eq!(l.line(0), 1);
        assert_eq!(l.line(1), 1);
        assert_eq!(l.line(2), 2);
        assert_eq!(l.line(5), 3);
        assert_eq!(l.line(6), 4);
    }
}
