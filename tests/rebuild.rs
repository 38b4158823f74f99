//! Rebuilds that write only what changed: a no-change rebuild touches no file, an edit
//! rewrites exactly the files whose bytes changed (a subset of what `serve` re-renders for the
//! same edit), removed pages go, hand edits are undone, a failed build changes nothing, and an
//! apply that was stopped is completed by the next build while `deploy` refuses the output.

mod common;
use common::*;

use std::collections::BTreeMap;
#[cfg(unix)]
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use shopgen::serve::live::{Changes, Live};

/// Every output file: (inode, modification time, contents).
fn state(dir: &Path) -> BTreeMap<String, (u64, std::time::SystemTime, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            #[cfg(unix)]
            let ino = m.ino();
            #[cfg(not(unix))]
            let ino = 0;
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                (ino, m.modified().unwrap(), std::fs::read(e.path()).unwrap()),
            )
        })
        .collect()
}

/// The files whose inode or time changed between two states (rewritten), present in both.
fn rewritten(
    a: &BTreeMap<String, (u64, std::time::SystemTime, Vec<u8>)>,
    b: &BTreeMap<String, (u64, std::time::SystemTime, Vec<u8>)>,
) -> Vec<String> {
    b.iter()
        .filter(|(k, v)| a.get(*k).is_some_and(|o| (o.0, o.1) != (v.0, v.1)))
        .map(|(k, _)| k.clone())
        .collect()
}

/// A copy of the example shop.
fn shop() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("shop");
    copy_example_site(&root);
    (tmp, root)
}

fn build(root: &Path) -> Run {
    let run = shopgen(&["build", root.to_str().unwrap()]);
    run.assert_ok();
    run
}

const TOTE: &str = "content/products/真皮托特包.md";

#[test]
fn a_rebuild_with_nothing_changed_writes_no_file() {
    let (_t, root) = shop();
    build(&root);
    let before = state(&root.join("public"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = build(&root);
    assert!(
        run.stdout()
            .contains(": 0 written, 0 deleted; 0 pages rendered)"),
        "{}",
        run.stdout()
    );
    // Not even the search index is made again.
    assert!(
        run.stdout().contains("the index kept as it is") && !run.stdout().contains("indexed in"),
        "{}",
        run.stdout()
    );
    let after = state(&root.join("public"));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    assert!(
        rewritten(&before, &after).is_empty(),
        "{:?}",
        rewritten(&before, &after)
    );
}

#[test]
fn an_edit_rewrites_exactly_the_files_that_changed_and_no_more_than_serve_renders() {
    let (_t, root) = shop();
    build(&root);
    let (mut live, first) = Live::new(
        root.clone(),
        shopgen::Options {
            drafts: false,
            base_url: None,
        },
    );
    first.unwrap();
    let before = state(&root.join("public"));
    let p = root.join(TOTE);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("\nprice: 1299\n", "\nprice: 1188\n")).unwrap();
    let rendered = live
        .apply(Changes {
            files: [p.clone()].into(),
            products: [p].into(),
            ..Changes::default()
        })
        .unwrap()
        .rendered;
    // The search files are made again when what they index changed (the price is in them).
    let search_made = rendered.search.is_some();
    let rendered = rendered.paths;
    std::thread::sleep(std::time::Duration::from_millis(20));
    build(&root);
    let after = state(&root.join("public"));
    let written = rewritten(&before, &after);
    let changed: Vec<String> = after
        .iter()
        .filter(|(k, v)| before.get(*k).is_some_and(|o| o.2 != v.2))
        .map(|(k, _)| k.clone())
        .collect();
    assert!(!written.is_empty());
    assert_eq!(
        written, changed,
        "files rewritten whose bytes did not change"
    );
    for w in &written {
        if w == "search/index.json" || w.starts_with("assets/search/") {
            assert!(search_made, "{w} was written but serve did not index again");
            continue;
        }
        assert!(
            rendered.contains(w),
            "{w} was written but serve does not re-render it: {rendered:?}"
        );
    }
    assert!(written.contains(&"products/zhen-pi-tuo-te-bao/index.html".to_string()));
}

#[test]
fn removed_pages_go_and_hand_edits_are_undone() {
    let (_t, root) = shop();
    build(&root);
    let out = root.join("public");
    let pristine = state(&out);
    // By hand: an edited page, a deleted page, a stray file.
    std::fs::write(out.join("index.html"), "edited by hand").unwrap();
    std::fs::remove_file(out.join("about/index.html")).unwrap();
    std::fs::write(out.join("stray.html"), "not from the build").unwrap();
    let run = build(&root);
    assert!(
        run.stdout().contains(": 2 written, 1 deleted;"),
        "{}",
        run.stdout()
    );
    let now = state(&out);
    assert_eq!(now.len(), pristine.len());
    for (k, v) in &pristine {
        assert_eq!(now[k].2, v.2, "{k} is not restored");
    }
    // A product removed: its page and its now-empty folder go.
    std::fs::remove_file(root.join("content/products/key-holder.md")).unwrap();
    build(&root);
    assert!(!out.join("products/key-holder/index.html").exists());
    assert!(
        !out.join("products/key-holder").exists(),
        "the empty folder is left"
    );
}

#[test]
fn the_search_index_is_kept_only_while_the_output_holds_it_whole_and_current() {
    let (_t, root) = shop();
    build(&root);
    let out = root.join("public");
    let pristine = state(&out);
    let shard = pristine
        .keys()
        .find(|k| k.starts_with("assets/search/0."))
        .expect("a shard")
        .clone();
    // A shard deleted by hand: the index is made again and the shard restored, nothing else.
    std::fs::remove_file(out.join(&shard)).unwrap();
    let run = build(&root);
    assert!(run.stdout().contains("indexed in"), "{}", run.stdout());
    assert!(
        run.stdout().contains(": 1 written, 0 deleted;"),
        "{}",
        run.stdout()
    );
    let now = state(&out);
    assert_eq!(
        now.keys().collect::<Vec<_>>(),
        pristine.keys().collect::<Vec<_>>()
    );
    assert_eq!(now[&shard].2, pristine[&shard].2);
    // A product's title edited: made again with the new title in it.
    let p = root.join(TOTE);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("title: 真皮托特包", "title: 真皮托特包 限定款"),
    )
    .unwrap();
    let run = build(&root);
    assert!(run.stdout().contains("indexed in"), "{}", run.stdout());
    assert_ne!(
        state(&out)["search/index.json"].2,
        pristine["search/index.json"].2
    );
    let found = state(&out)
        .iter()
        .filter(|(k, _)| k.starts_with("assets/search/") && !k.contains("docs-"))
        .any(|(_, v)| String::from_utf8_lossy(&v.2).contains("\"限定\""));
    assert!(found, "the edited title is not in the index");
}

#[test]
fn a_failed_rebuild_touches_nothing() {
    let (_t, root) = shop();
    build(&root);
    let before = state(&root.join("public"));
    let p = root.join(TOTE);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replace("\nprice: 1299\n", "\nprice: 12.999\n")).unwrap();
    let run = shopgen(&["build", root.to_str().unwrap()]);
    assert!(!run.ok());
    let after = state(&root.join("public"));
    assert_eq!(before, after, "a failed build changed the output");
    let leftovers: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_interrupted_apply_is_completed_by_the_next_build_and_deploy_refuses_it_meanwhile() {
    let (_t, root) = shop();
    // Deploy to a folder: shop.yaml's `deploy:` block (indented lines after it) replaced.
    let folder = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string(root.join("shop.yaml")).unwrap();
    let mut kept = String::new();
    let mut skipping = false;
    for line in yaml.lines() {
        if line.starts_with("deploy:") {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with(' ') || line.is_empty()) {
            continue;
        }
        skipping = false;
        kept.push_str(line);
        kept.push('\n');
    }
    kept.push_str(&format!(
        "deploy:\n  provider: fs\n  root: {}\n",
        folder.path().display()
    ));
    std::fs::write(root.join("shop.yaml"), kept).unwrap();
    build(&root);
    let out = root.join("public");
    let pristine = state(&out);
    // What a build killed while it moved files into place leaves: its marker, and a file that
    // holds other bytes than the manifest says though its size and time look right.
    let marker = std::fs::read_dir(root.join(".shopgen/output"))
        .unwrap()
        .flatten()
        .find(|e| e.path().extension().is_some_and(|x| x == "json"))
        .unwrap()
        .path()
        .with_extension("incomplete");
    std::fs::write(&marker, "").unwrap();
    let page = out.join("products/key-holder/index.html");
    let old = std::fs::read(&page).unwrap();
    let mtime = std::fs::metadata(&page).unwrap().modified().unwrap();
    let mut stale = old.clone();
    stale[0] = if stale[0] == b'x' { b'y' } else { b'x' };
    std::fs::write(&page, &stale).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_modified(mtime)
        .unwrap();

    let run = shopgen(&["deploy", root.to_str().unwrap()]);
    assert!(!run.ok(), "deploy must refuse an incomplete output");
    assert!(
        run.stderr().contains("incomplete") && run.stderr().contains("build"),
        "{}",
        run.stderr()
    );

    build(&root);
    assert!(!marker.exists(), "the marker is still there");
    assert_eq!(
        std::fs::read(&page).unwrap(),
        old,
        "the interrupted file is not completed"
    );
    for (k, v) in &pristine {
        assert_eq!(state(&out)[k].2, v.2, "{k}");
    }
    let run = shopgen(&["deploy", root.to_str().unwrap()]);
    assert!(run.ok(), "{}", run.stderr());
}

#[test]
fn clean_rewrites_the_whole_output() {
    let (_t, root) = shop();
    build(&root);
    let before = state(&root.join("public"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let run = shopgen(&["build", root.to_str().unwrap(), "--clean"]);
    run.assert_ok();
    let after = state(&root.join("public"));
    assert_eq!(rewritten(&before, &after).len(), before.len());
    for (k, v) in &before {
        assert_eq!(after[k].2, v.2);
    }
}

#[test]
fn a_page_is_rendered_again_when_its_data_changes_and_only_then() {
    let (_t, root) = shop();
    build(&root);
    // A page that names another template: its view is the same, its page is not.
    let about = root.join("content/pages/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/plain.html"),
        "{% extends \"page.html\" %}{% block content %}<p class=\"plain-page\">{{ page.title }}</p>{% endblock content %}",
    )
    .unwrap();
    // A new template may be included by any other: every page is rendered again, once.
    build(&root);
    let run = build(&root);
    assert!(
        run.stdout().contains("; 0 pages rendered)"),
        "{}",
        run.stdout()
    );
    std::fs::write(
        &about,
        text.replacen("---\n", "---\ntemplate: plain.html\n", 1),
    )
    .unwrap();
    let run = build(&root);
    assert!(
        run.stdout().contains("; 1 pages rendered)"),
        "{}",
        run.stdout()
    );
    let page = std::fs::read_to_string(root.join("public/about/index.html")).unwrap();
    assert!(
        page.contains("plain-page"),
        "the page did not change template"
    );
}

#[test]
fn a_changed_static_file_is_copied_again_and_an_unchanged_one_is_not() {
    let (_t, root) = shop();
    build(&root);
    let out = root.join("public");
    let before = state(&out);
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        root.join("static/images/logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"120\"/>",
    )
    .unwrap();
    build(&root);
    let after = state(&out);
    let written = rewritten(&before, &after);
    assert!(
        written.contains(&"images/logo.svg".to_string()),
        "{written:?}"
    );
    assert!(
        !written.contains(&"images/kf-qr.svg".to_string()),
        "{written:?}"
    );
    assert_eq!(
        std::fs::read(out.join("images/logo.svg")).unwrap(),
        std::fs::read(root.join("static/images/logo.svg")).unwrap()
    );
}

/// A rebuild takes each view's digest from the last build when its file and everything
/// site-wide it shows are unchanged, and builds only the views the pages it renders show.
/// Edits that change a view without touching its file (shop.yaml, a photo, a new product in
/// its category) and edits that search indexes must still give the output a clean build gives.
#[test]
fn a_rebuild_that_takes_what_the_last_build_knew_equals_a_clean_build() {
    let (t, root) = shop();
    let clean = t.path().join("clean");
    let same_as_clean = |what: &str| {
        let run = build(&root);
        let c = shopgen(&[
            "build",
            root.to_str().unwrap(),
            "-o",
            clean.to_str().unwrap(),
            "--clean",
        ]);
        c.assert_ok();
        let (a, b) = (snapshot(&root.join("public")), snapshot(&clean));
        assert_eq!(
            a.keys().collect::<Vec<_>>(),
            b.keys().collect::<Vec<_>>(),
            "after {what}: other files than a clean build"
        );
        for (k, v) in &a {
            assert!(
                v == &b[k],
                "after {what}: {} differs from a clean build",
                k.display()
            );
        }
        run
    };
    build(&root);
    let state_dir = root.join(".shopgen/output");
    let states = || {
        std::fs::read_dir(&state_dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".state"))
            .collect::<Vec<_>>()
    };
    assert!(
        states().iter().any(|n| n.ends_with(".views.state")),
        "{:?}",
        states()
    );

    let edit = |rel: &str, from: &str, to: &str| {
        let p = root.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    };
    // One product's price: its page, its listings and the search files.
    edit(TOTE, "\nprice: 1299\n", "\nprice: 1188\n");
    let run = same_as_clean("a price edit");
    assert!(run.stdout().contains("indexed in"), "{}", run.stdout());
    assert!(
        states().iter().any(|n| n.ends_with(".terms.state")),
        "{:?}",
        states()
    );
    // A title searched for, with every other document's terms taken from the last build.
    edit(TOTE, "title: 真皮托特包\n", "title: 真皮托特包 琥珀限定\n");
    same_as_clean("a title edit");
    let found = snapshot(&root.join("public"))
        .iter()
        .filter(|(k, _)| k.starts_with("assets/search") && !k.to_string_lossy().contains("docs-"))
        .any(|(_, v)| String::from_utf8_lossy(v).contains("\"琥珀\""));
    assert!(found, "the edited title is not in the index");
    // shop.yaml: every product view shows the payment codes.
    edit(
        "shop.yaml",
        "https://qr.alipay.com/fkx12345abcde",
        "https://qr.alipay.com/fkx67890fghij",
    );
    same_as_clean("a shop.yaml edit");
    // A new product in the tote's category: the count every view of the category shows.
    std::fs::write(
        root.join("content/products/new-bag.md"),
        format!(
            "---\n{}---\n新款。\n",
            product_fm("新款手袋", "899", "女包", 50)
        ),
    )
    .unwrap();
    same_as_clean("a new product");
    // A photo replaced by another with the same name: new variants in every view that shows it.
    std::fs::copy(
        root.join("static/images/products/tote-black.jpg"),
        root.join("static/images/products/tote-cognac.jpg"),
    )
    .unwrap();
    same_as_clean("a photo replaced");
    // A kept state that is not what it should be is not trusted.
    for n in states() {
        std::fs::write(state_dir.join(n), b"not a state").unwrap();
    }
    edit(TOTE, "\nprice: 1188\n", "\nprice: 1099\n");
    same_as_clean("cut states");
}
