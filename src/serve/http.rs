//! The HTTP side of the preview: pages from the in-memory output, the live-reload script and
//! its event stream (Server-Sent Events).

use std::convert::Infallible;
use std::path::Path;
use std::sync::{Arc, PoisonError, RwLock};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;
use serde::Serialize;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use super::live::Live;
use crate::output;
use crate::util::diag::Diagnostic;

/// Where the live-reload script and its events are served (no page of a site can be there:
/// slugs are lowercase letters, digits and `-`).
pub const SCRIPT_PATH: &str = "/__shopgen/livereload.js";
pub const EVENTS_PATH: &str = "/__shopgen/events";
const SCRIPT: &str = include_str!("livereload.js");

/// What the server shares between requests and the rebuild thread.
#[derive(Clone)]
pub struct AppState {
    pub live: Arc<RwLock<Live>>,
    pub events: broadcast::Sender<Message>,
    /// The site folder, to show file names relative to it.
    pub root: Arc<Path>,
}

/// A message to the browsers, sent as one Server-Sent Event.
#[derive(Debug, Clone)]
pub enum Message {
    /// Reload the page.
    Reload,
    /// Only the stylesheet changed: swap it for this one.
    Css(String),
    /// The last change does not build: show these problems over the page.
    Failed(Vec<Problem>),
}

/// One error, as the browser overlay shows it: the diagnostic (in its one JSON form), its file
/// relative to the site folder, and that path as the overlay prints it.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(flatten)]
    pub diagnostic: Diagnostic,
    pub file: String,
}

impl Problem {
    pub fn new(d: &Diagnostic, root: &Path) -> Problem {
        let diagnostic = d.relative_to(root);
        let file = diagnostic
            .file
            .as_ref()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        Problem { diagnostic, file }
    }
}

impl Message {
    fn event(&self) -> Event {
        match self {
            Message::Reload => Event::default().event("reload").data("{}"),
            Message::Css(href) => Event::default()
                .event("css")
                .data(serde_json::json!({ "href": href }).to_string()),
            Message::Failed(problems) => Event::default()
                .event("failed")
                .data(serde_json::json!({ "errors": problems }).to_string()),
        }
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route(SCRIPT_PATH, get(script))
        .route(EVENTS_PATH, get(events))
        .fallback(page)
        .with_state(state)
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        SCRIPT,
    )
        .into_response()
}

async fn events(State(st): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribe first, so that nothing sent after the current state was read is missed.
    let updates = BroadcastStream::new(st.events.subscribe()).map(|m| {
        Ok(match m {
            Ok(m) => m.event(),
            // Too far behind to know what changed: reload.
            Err(_) => Message::Reload.event(),
        })
    });
    let mut first = vec![Ok(Event::default().event("hello").data("{}"))];
    let errors = st
        .live
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .errors()
        .iter()
        .map(|d| Problem::new(d, &st.root))
        .collect::<Vec<_>>();
    if !errors.is_empty() {
        first.push(Ok(Message::Failed(errors).event()));
    }
    Sse::new(tokio_stream::iter(first).chain(updates)).keep_alive(KeepAlive::default())
}

/// Any other path: a file of the site.
async fn page(State(st): State<AppState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
        )
            .into_response();
    }
    let Some(rel) = resolve(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad path\n").into_response();
    };
    let live = st.live.read().unwrap_or_else(PoisonError::into_inner);
    if !live.ready() {
        let html = not_built(live.errors(), &st.root);
        return respond(
            StatusCode::SERVICE_UNAVAILABLE,
            "index.html",
            html.into_bytes(),
        );
    }
    if let Some(bytes) = live.file(&rel) {
        return respond(StatusCode::OK, &rel, bytes.into_owned());
    }
    // `/about` → `/about/`, as static hosting does.
    if !rel.ends_with("index.html") && live.file(&format!("{rel}/index.html")).is_some() {
        let to = format!("/{rel}/");
        return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response();
    }
    match live.file("404.html") {
        Some(bytes) => respond(StatusCode::NOT_FOUND, "404.html", bytes.into_owned()),
        None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
    }
}

/// The output path a request path asks for, or `None` when it is not a plain path inside the
/// site: `..` or `.` segments (also percent-encoded), backslashes, NUL, bad UTF-8.
pub fn resolve(path: &str) -> Option<String> {
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return None,
            s => parts.push(s),
        }
    }
    let mut rel = parts.join("/");
    if rel.is_empty() || decoded.ends_with('/') {
        if !rel.is_empty() {
            rel.push('/');
        }
        rel.push_str("index.html");
    }
    output::is_safe(&rel).then_some(rel)
}

fn respond(status: StatusCode, rel: &str, bytes: Vec<u8>) -> Response {
    let ctype = content_type(rel);
    let body = if ctype.starts_with("text/html") {
        inject(bytes)
    } else {
        bytes
    };
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&ctype) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    res
}

pub use crate::util::mime::content_type;

/// Add the live-reload script before `</body>` (or at the end).
pub fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\"></script>");
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, tag.into_bytes());
    html
}

/// The page shown before the site has built once.
fn not_built(errors: &[Diagnostic], root: &Path) -> String {
    let mut s = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>shopgen: the site does not build</title></head><body><h1>The site does not build yet</h1><ul>",
    );
    for d in errors {
        s.push_str("<li><pre>");
        s.push_str(&html_escape::encode_text(
            &d.relative_to(root).to_text(false),
        ));
        s.push_str("</pre></li>");
    }
    s.push_str("</ul><p>Fix the files; this page reloads by itself.</p></body></html>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_resolve_to_output_files() {
        assert_eq!(resolve("/").as_deref(), Some("index.html"));
        assert_eq!(
            resolve("/products/a/").as_deref(),
            Some("products/a/index.html")
        );
        assert_eq!(resolve("/products/a").as_deref(), Some("products/a"));
        assert_eq!(resolve("//sitemap.xml").as_deref(), Some("sitemap.xml"));
        assert_eq!(
            resolve("/images/%E7%9A%AE.svg").as_deref(),
            Some("images/皮.svg")
        );
    }

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        for p in [
            "/../shop.yaml",
            "/a/../../etc/passwd",
            "/%2e%2e/shop.yaml",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/..%2fshop.yaml",
            "/..%2Fetc%2Fpasswd",
            "/..\\shop.yaml",
            "/%5c..%5cshop.yaml",
            "/./index.html",
            "/a%00.html",
            "/%ff%fe",
        ] {
            assert_eq!(resolve(p), None, "{p}");
        }
        // Absolute paths stay inside the site: they name an output file or nothing.
        assert_eq!(resolve("/etc/passwd").as_deref(), Some("etc/passwd"));
        // Decoded once only: `%252e` is the literal name `%2e`.
        assert_eq!(resolve("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("assets/style.1.css"),
            "text/css; charset=utf-8"
        );
        assert_eq!(content_type("sitemap.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("robots.txt"), "text/plain; charset=utf-8");
        assert_eq!(content_type("images/a.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("images/a.png"), "image/png");
        assert_eq!(content_type("images/a.webp"), "image/webp");
        assert_eq!(content_type("fonts/a.woff2"), "font/woff2");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></BODY></html>".to_vec());
        let s = String::from_utf8(out).unwrap();
        assert!(s.ends_with(&format!(
            "<script src=\"{SCRIPT_PATH}\"></script></BODY></html>"
        )));
        let s = String::from_utf8(inject(b"<p>no body</p>".to_vec())).unwrap();
        assert!(s.ends_with("</script>"));
    }
}
