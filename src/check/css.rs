//! The URLs in a piece of CSS (`url()` anywhere, and `@import`), found by parsing it with
//! lightningcss and printing it with dependency analysis, which reports each one with its line.

use lightningcss::dependencies::{Dependency, DependencyOptions};
use lightningcss::stylesheet::{ParserOptions, PrinterOptions, StyleAttribute, StyleSheet};

/// Where the CSS text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A `.css` file.
    File,
    /// The text of a `<style>` element.
    Block,
    /// A `style="…"` attribute: declarations only.
    Attribute,
}

/// One URL in CSS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CssUrl {
    pub url: String,
    /// 1-based line and column within the CSS text.
    pub line: usize,
    pub column: usize,
    /// `@import` rather than `url()`.
    pub import: bool,
}

/// Every `url()` and `@import` in `text`, in source order. Rules the parser cannot read are
/// skipped as a browser skips them; `Err` only when nothing can be read at all.
pub fn urls(text: &str, ctx: Context) -> Result<Vec<CssUrl>, String> {
    let parser = || ParserOptions {
        error_recovery: true,
        ..ParserOptions::default()
    };
    let printer = || PrinterOptions {
        analyze_dependencies: Some(DependencyOptions {
            remove_imports: false,
        }),
        ..PrinterOptions::default()
    };
    let deps = match ctx {
        Context::Attribute => {
            StyleAttribute::parse(text, parser())
                .map_err(|e| e.to_string())?
                .to_css(printer())
                .map_err(|e| e.to_string())?
                .dependencies
        }
        Context::File | Context::Block => {
            StyleSheet::parse(text, parser())
                .map_err(|e| e.to_string())?
                .to_css(printer())
                .map_err(|e| e.to_string())?
                .dependencies
        }
    };
    let mut out: Vec<CssUrl> = deps
        .unwrap_or_default()
        .into_iter()
        .map(|d| match d {
            Dependency::Import(i) => CssUrl {
                url: i.url,
                line: i.loc.start.line as usize,
                column: i.loc.start.column as usize,
                import: true,
            },
            Dependency::Url(u) => CssUrl {
                url: u.url,
                line: u.loc.start.line as usize,
                column: u.loc.start.column as usize,
                import: false,
            },
        })
        .collect();
    out.sort_by_key(|u| (u.line, u.column));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(text: &str, ctx: Context) -> Vec<(String, usize, bool)> {
        urls(text, ctx)
            .unwrap()
            .into_iter()
            .map(|u| (u.url, u.line, u.import))
            .collect()
    }

    #[test]
    fn imports_urls_and_font_faces_with_lines() {
        let css = "@import url(\"https://fonts.googleapis.com/css?family=Inter\");\n\
                   @import '//cdn.jsdelivr.net/x.css' screen;\n\
                   @font-face { font-family: X;\n  src: url(https://fonts.gstatic.com/x.woff2) format(\"woff2\"); }\n\
                   .a { background: #fff url('/img/a.png') no-repeat; }\n\
                   @media (min-width: 1px) { .b { background-image: image-set(url(b1.png) 1x, url(b2.png) 2x) } }\n\
                   .c { --bg: url(/custom.png); }\n";
        assert_eq!(
            list(css, Context::File),
            [
                (
                    "https://fonts.googleapis.com/css?family=Inter".into(),
                    1,
                    true
                ),
                ("//cdn.jsdelivr.net/x.css".into(), 2, true),
                ("https://fonts.gstatic.com/x.woff2".into(), 4, false),
                ("/img/a.png".into(), 5, false),
                ("b1.png".into(), 6, false),
                ("b2.png".into(), 6, false),
                ("/custom.png".into(), 7, false),
            ]
        );
    }

    #[test]
    fn attributes_and_broken_css() {
        assert_eq!(
            list(
                "color: red; background: url(//unpkg.com/a.png)",
                Context::Attribute
            ),
            [("//unpkg.com/a.png".into(), 1, false)]
        );
        // A broken rule is skipped; the rest is still read.
        assert_eq!(
            list(
                "a { width: 10qq; color: } b { background: url(/x.png) }",
                Context::Block
            ),
            [("/x.png".into(), 1, false)]
        );
        // Text in comments and strings that are not URLs is not a reference.
        assert!(
            list(
                "/* url(https://youtube.com/) */ a::after { content: \"https://x.com\" }",
                Context::File
            )
            .is_empty()
        );
    }
}
