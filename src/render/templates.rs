//! The tera environment: theme templates, overridden by the site's `templates/` by name,
//! parsed once; and the theme's UI strings for the site's language.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use tera::Tera;

use crate::content::Model;
use crate::util::diag::Diagnostic;
use crate::util::{fsread, walk};

pub struct Templates {
    pub tera: Tera,
    /// Template name → the file it came from, for error messages.
    sources: HashMap<String, PathBuf>,
    /// A digest of every template's name and text.
    pub digest: u64,
}

impl Templates {
    /// Parse the templates of `site`; `functions` registers the functions they may call
    /// (known before parsing, which checks every call).
    pub fn load(
        site: &Model,
        functions: &(dyn Fn(&mut Tera) + Sync),
    ) -> Result<Templates, Diagnostic> {
        let mut sources: HashMap<String, PathBuf> = HashMap::new();
        let mut texts: BTreeMap<String, String> = BTreeMap::new();
        for (name, bytes) in site.theme.under("templates") {
            let shown = site.theme.display_path(&format!("templates/{name}"));
            let text = String::from_utf8(bytes.to_vec())
                .map_err(|_| Diagnostic::new(&shown, "the template is not UTF-8 text"))?;
            sources.insert(name.to_string(), shown);
            texts.insert(name.to_string(), text);
        }
        let own = site.root.join("templates");
        let walked = walk::files(&own, &site.root)?;
        if let Some(e) = walked.error(&own) {
            return Err(e);
        }
        for f in walked.files {
            let text = fsread::read_text(&f.path)?;
            sources.insert(f.rel.clone(), f.path);
            texts.insert(f.rel, text);
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        functions(&mut tera);
        let mut h = blake3::Hasher::new();
        for (name, text) in &texts {
            h.update(name.as_bytes());
            h.update(&[0]);
            h.update(text.as_bytes());
            h.update(&[0]);
        }
        let digest = super::digest64(&h.finalize());
        let templates = Templates {
            tera,
            sources,
            digest,
        };
        let mut t = templates;
        t.tera
            .add_raw_templates(texts.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| t.diagnostic(&e, None))?;
        Ok(t)
    }

    /// Turn a tera error into a diagnostic naming the template file and line.
    pub fn diagnostic(&self, e: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        use tera::ErrorKind;
        let mut d = match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                let file = self
                    .sources
                    .get(r.filename())
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from(r.filename()));
                let span = r.span();
                Diagnostic::new(file, format!("template error: {}", r.message()))
                    .at(span.start_line, span.start_col + 1)
            }
            ErrorKind::TemplateNotFound(name) => Diagnostic::new(name, "template not found")
                .hint("add it to the theme's templates/ or to the site's templates/ folder"),
            _ => {
                let mut msg = e.to_string();
                let mut src = std::error::Error::source(e);
                while let Some(s) = src {
                    msg.push_str(": ");
                    msg.push_str(&s.to_string());
                    src = s.source();
                }
                Diagnostic::new("templates", format!("template error: {msg}"))
            }
        };
        if d.hint.is_none() {
            d.hint = Some(match rendering {
                Some(page) => format!("while rendering {page}; fix the template (a site's templates/ folder overrides the theme's files by name)"),
                None => "fix the template (a site's templates/ folder overrides the theme's files by name)".into(),
            });
        }
        d
    }
}

/// UI strings: the theme's `i18n/<lang>.yaml`, with the site's own `i18n/<lang>.yaml` on top.
pub fn strings(site: &Model) -> Result<BTreeMap<String, String>, Diagnostic> {
    let lang = site.config.language.code();
    let rel = format!("i18n/{lang}.yaml");
    let shown = site.theme.display_path(&rel);
    let bytes = site.theme.get(&rel).ok_or_else(|| {
        Diagnostic::new(
            &shown,
            format!("the theme has no UI strings for language `{lang}`"),
        )
        .hint("add the file, or set `language:` in shop.yaml to one the theme supports")
    })?;
    let text = String::from_utf8_lossy(bytes);
    let mut map: BTreeMap<String, String> = crate::config::yaml::parse(&text, &shown, 1)?;
    let own = site.root.join(&rel);
    if own.is_file() {
        let text = fsread::read_text(&own)?;
        let extra: BTreeMap<String, String> = crate::config::yaml::parse(&text, &own, 1)?;
        map.extend(extra);
    }
    Ok(map)
}
