//! `shopgen check`: build the site in memory and report what would hurt a shop in mainland
//! China, each finding with its output path and, where it can be traced, the source file and
//! line it came from.
//!
//! Rules:
//! - `blocked-host`: the page makes a browser load something from (or connect to) a host in
//!   [`blocked_hosts`](crate::rules::blocked_hosts), in any form a browser honours.
//! - `icp-link`: a mainland site's home page lacks the ICP filing link; a Hong Kong site shows
//!   a filing link.
//! - `mixed-content`: an `http://` resource on an `https` site.
//! - `broken-link` / `missing-file`: an internal link or resource that is not in the output.
//! - `absolute-term` (warning): an advertising-law absolute term in product copy.
//! - `simplified-text` (warning): Simplified-only characters on a Hong Kong Traditional page.
//! - `wechat-personal` (warning, once): a WeChat Pay code that is a person's 收款码.
//! - `build`: the site does not build (errors), or the build warned.
//! - `unreadable`: an output file that could not be parsed.

mod copy;
mod css;
mod hant;
mod html;
mod links;
mod report;
mod sources;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use url::Url;

use crate::content::Model;
use crate::output::Output;
use crate::site::{Options, Site};
use crate::util::diag::{BuildError, Diagnostic, Severity};
use copy::absolute_terms;
use html::{Kind, Ref};
pub use report::Report;
use report::group;
use sources::{Origin, Place, Sources};

/// A site that does not build gives a report of its build errors.
pub fn check_site(root: &Path, opts: &Options) -> Report {
    let site = match Site::load(root, opts) {
        Ok(s) => s,
        Err(e) => return Report::new(root, 0, build_findings(&e)),
    };
    let out = match site.render() {
        Ok(o) => o,
        Err(e) => return Report::new(root, 0, build_findings(&e)),
    };
    check(&site.model, &out)
}

fn build_findings(e: &BuildError) -> Vec<Diagnostic> {
    e.diagnostics.clone()
}

/// What every file's check needs.
struct Ctx<'a> {
    site: &'a Model,
    out: &'a Output,
    sources: Sources,
    root: Url,
    https: bool,
}

/// Check a rendered site.
pub fn check(site: &Model, out: &Output) -> Report {
    let Ok(root) = Url::parse(&site.base.root()) else {
        // The loader validated base_url; this cannot fail for a loaded site.
        let d = Diagnostic::new(site.root.join("shop.yaml"), "base_url is not a URL");
        return Report::new(&site.root, 0, vec![d]);
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
    let mut findings: Vec<Diagnostic> = site
        .warnings
        .iter()
        .map(|d| d.clone().severity(Severity::Warning))
        .collect();
    findings.extend(ctx.personal_wechat());
    let per_file: Vec<Vec<Diagnostic>> = files.par_iter().map(|rel| ctx.file(rel)).collect();
    findings.extend(per_file.into_iter().flatten());
    let terms: Vec<Vec<Diagnostic>> = site.products.par_iter().map(absolute_terms).collect();
    findings.extend(terms.into_iter().flatten());
    Report::new(&site.root, files.len(), group(findings))
}

fn is_html(rel: &str) -> bool {
    rel.ends_with(".html") || rel.ends_with(".htm")
}

impl Ctx<'_> {
    fn file(&self, rel: &str) -> Vec<Diagnostic> {
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
            if hant::is_hong_kong(&self.site.config, rel) {
                findings.extend(self.simplified(rel, &bytes, &origin, &lines));
            }
        }
        findings
    }

    /// `wechat-personal`: one warning for the site, at the first WeChat Pay code of shop.yaml
    /// (the site's payments, then each language's) that is a person's.
    fn personal_wechat(&self) -> Option<Diagnostic> {
        let c = &self.site.config;
        let places: Vec<String> = crate::rules::payments::all(c)
            .into_iter()
            .filter(|(_, p)| crate::rules::payments::personal_wechat(p))
            .map(|(at, p)| {
                let key = if p.wechat.is_some() {
                    "wechat"
                } else {
                    "wechat_hk"
                };
                format!("{at}.{key}")
            })
            .collect();
        let first = places.first()?;
        let also = match places.len() {
            1 => String::new(),
            _ => format!(" (also `{}`)", places[1..].join("`, `")),
        };
        let mut d = Diagnostic::plain(format!(
            "`{first}`{also} is a personal WeChat Pay code (the default `wechat_kind: personal`): WeChat does not recognise a personal 收款码 by long-press in a web page or from a screenshot, so buyers in WeChat and on phones are asked to send their order to your WeChat first"
        ))
        .rule("wechat-personal")
        .severity(Severity::Warning);
        d.hint = Some(
            "with a merchant code (商家收款码, from WeChat Pay's merchant platform), set `wechat_kind: merchant` beside it; keep `contact.wechat` set, so buyers can reach you"
                .into(),
        );
        if let Some(p) = self.sources.config_field(first) {
            d.file = Some(p.file);
            d.line = Some(p.line);
            d.column = Some(p.column);
        }
        Some(d)
    }

    /// `simplified-text`: each piece of text of a Hong Kong page that still has Simplified
    /// characters, at its source where the text is written as it is (a translation, a
    /// template, shop.yaml).
    fn simplified(
        &self,
        rel: &str,
        bytes: &[u8],
        origin: &Origin,
        lines: &LineIndex,
    ) -> Vec<Diagnostic> {
        let Ok(found) = hant::scan(bytes, 20) else {
            return Vec::new();
        };
        found
            .into_iter()
            .map(|s| {
                finding(
                    Severity::Warning,
                    "simplified-text",
                    format!(
                        "Simplified Chinese on a Hong Kong Traditional page: {} in “{}”",
                        s.chars, s.snippet
                    ),
                    Some(
                        "write it in Traditional Chinese; or remove it from the zh-HK translation, so that the zh-CN text is converted"
                            .into(),
                    ),
                    None,
                    rel,
                    Some(lines.line(s.offset)),
                    self.sources.locate(rel, origin, &[&s.snippet], 0),
                )
            })
            .collect()
    }

    fn unreadable(&self, rel: &str, line: Option<usize>, message: String) -> Diagnostic {
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
) -> Diagnostic {
    let mut d = Diagnostic::plain(message).rule(rule).severity(severity);
    d.hint = help;
    d.url = url;
    d.output = Some(output.to_string());
    d.output_line = output_line;
    if let Some(p) = place {
        d.file = Some(p.file);
        d.line = Some(p.line);
        d.column = Some(p.column);
    }
    d
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
