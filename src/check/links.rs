//! Where a page's references go: blocked hosts, mixed content, internal links and files, the
//! filing-number links in the footer.

use url::Url;

use super::html::{self, Kind, Ref};
use super::sources::Origin;
use super::{Ctx, LineIndex, finding};
use crate::config::Region;
use crate::rules::blocked_hosts;
use crate::util::diag::{Diagnostic, Severity};

impl Ctx<'_> {
    /// The problems of one reference: (rule, message, help).
    pub(super) fn reference(&self, r: &Ref, page: &Url) -> Vec<(&'static str, String, String)> {
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
        if !matches!(r.kind, Kind::Connect | Kind::Script) && url.origin() == self.root.origin() {
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
    pub(super) fn filing_links(
        &self,
        rel: &str,
        page: &Url,
        anchors: &[html::Anchor],
        lines: &LineIndex,
    ) -> Vec<Diagnostic> {
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
}
