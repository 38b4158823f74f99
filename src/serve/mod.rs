//! `shopgen serve`: a live preview. The site is built once into memory and served from there;
//! the site's files are watched, and each change re-renders only the pages it touches and
//! tells the browsers (Server-Sent Events) to reload, or to swap the stylesheet when only CSS
//! changed. A change that does not build leaves the last good site served and shows its errors
//! over the page until the file is fixed.

/// Print a line on stdout (`say!`) or stderr (`tell!`). Unlike `println!` these never panic:
/// a closed terminal is no reason to stop serving.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

pub mod http;
pub mod live;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::content::LoadOptions;
use crate::util::diag::{BuildError, Diagnostic};
use http::{AppState, Message, Problem};
use live::{Changes, Live, Report};

/// Options of `shopgen serve`.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder.
    pub site: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Open the preview in a browser.
    pub open: bool,
    pub drafts: bool,
}

/// Serve the site until interrupted (Ctrl-C).
pub fn run(opts: Options) -> Result<(), Diagnostic> {
    let root = opts.site.canonicalize().map_err(|e| {
        failed(format!(
            "cannot open the site folder {}: {e}",
            opts.site.display()
        ))
    })?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| failed(format!("cannot start the server: {e}")))?;
    runtime.block_on(serve(root, opts))
}

async fn serve(root: PathBuf, opts: Options) -> Result<(), Diagnostic> {
    let listener = tokio::net::TcpListener::bind((opts.bind, opts.port))
        .await
        .map_err(|e| {
            failed(format!(
                "cannot listen on {}: {e}",
                SocketAddr::new(opts.bind, opts.port)
            ))
            .hint("is another preview running? choose another port with --port, or --port 0 for any free one")
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| failed(format!("cannot listen: {e}")))?;
    // Pages link to the preview, not to the real shop.
    let shown = if addr.ip().is_unspecified() {
        SocketAddr::new(IpAddr::from([127, 0, 0, 1]), addr.port())
    } else {
        addr
    };
    let url = format!("http://{shown}/");
    let load = LoadOptions {
        drafts: opts.drafts,
        base_url: Some(url.clone()),
    };

    let start = Instant::now();
    let (live, first) = Live::new(root.clone(), load);
    match &first {
        Ok(r) => print_report("built the site", r, start),
        Err(e) => print_errors("the site does not build yet", e, &root),
    }
    let (events, _) = broadcast::channel(64);
    let state = AppState {
        live: Arc::new(RwLock::new(live)),
        events,
        root: root.clone().into(),
    };
    let rebuild_state = state.clone();
    watch::spawn(root.clone(), move |changes| {
        rebuild(&rebuild_state, changes)
    })
    .map_err(|e| failed(format!("cannot watch {}: {e}", root.display())))?;

    say!("serving {} at {url} (Ctrl-C to stop)", root.display());
    if addr.ip().is_unspecified() {
        tell!(
            "warning: listening on all interfaces ({}): anyone on your network can open this preview",
            addr.ip()
        );
    }
    if opts.open {
        open_browser(&url);
    }
    let app = http::router(state);
    tokio::select! {
        r = axum::serve(listener, app) => r.map_err(|e| failed(format!("the server stopped: {e}"))),
        _ = tokio::signal::ctrl_c() => {
            say!("stopped");
            Ok(())
        }
    }
}

/// Apply one batch of changes and tell the terminal and the browsers.
fn rebuild(state: &AppState, changes: Changes) {
    let what = describe(&changes);
    let css_only = changes.css_only();
    let start = Instant::now();
    let mut live = state.live.write().unwrap_or_else(PoisonError::into_inner);
    let result = live.apply(changes);
    let message = match &result {
        Ok(r) if !r.changed() => None,
        Ok(r) => {
            print_report(&what, r, start);
            Some(match live.css_url() {
                Some(href) if css_only && !r.full => Message::Css(href),
                _ => Message::Reload,
            })
        }
        Err(e) => {
            print_errors(&what, e, &state.root);
            Some(Message::Failed(
                e.diagnostics
                    .iter()
                    .map(|d| Problem::new(d, &state.root))
                    .collect(),
            ))
        }
    };
    drop(live);
    if let Some(m) = message {
        // No browser listening is fine.
        let _ = state.events.send(m);
    }
}

/// `content/products/a.md` or `content/products/a.md and 3 more`.
fn describe(changes: &Changes) -> String {
    let mut files = changes.files.iter();
    let first = files
        .next()
        .map(|f| f.display().to_string())
        .unwrap_or_else(|| "the site".into());
    match files.len() {
        0 => first,
        n => format!("{first} and {n} more"),
    }
}

fn print_report(what: &str, r: &Report, start: Instant) {
    for w in &r.warnings {
        tell!("warning: {w}");
    }
    say!(
        "{what}: {} of {} pages rendered{} in {} ms",
        r.rendered.rendered,
        r.rendered.pages,
        if r.rendered.removed > 0 {
            format!(", {} removed", r.rendered.removed)
        } else {
            String::new()
        },
        start.elapsed().as_millis()
    );
}

fn print_errors(what: &str, e: &BuildError, root: &Path) {
    tell!(
        "{what}: {} error{}; still serving the last good version",
        e.diagnostics.len(),
        if e.diagnostics.len() == 1 { "" } else { "s" }
    );
    for d in &e.diagnostics {
        tell!("{}", d.relative_to(root).to_text(false));
    }
}

/// A failure of the preview server itself (not of the site).
fn failed(message: String) -> Diagnostic {
    Diagnostic::plain(message).rule("serve")
}

/// Best effort: a missing opener is no error.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    match std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(mut child) => {
            std::thread::spawn(move || child.wait());
        }
        Err(e) => tell!("note: cannot open a browser ({program}: {e}); open {url} yourself"),
    }
}
