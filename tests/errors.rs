//! Every content error: a clear message naming file and line, a non-zero exit, and the
//! previous output left exactly as it was.

mod common;
use common::*;

/// Build a good site, break one file, rebuild: the build must fail with `expect` in its
/// message (naming the file and line) and leave the first output untouched.
fn fails_cleanly(file: &str, text: &str, expect: &[&str]) -> String {
    let f = Fixture::new(SHOP_YAML);
    f.product("good.md", &product_fm("好包", "199", "女包", 1), "正文\n");
    f.build(&[]).assert_ok();
    let before = snapshot(&f.out());
    assert!(!before.is_empty());
    f.write(file, text);
    let run = f.build(&[]);
    let err = run.stderr();
    assert!(!run.ok(), "build should fail for {file}:\n{}", run.stdout());
    assert_eq!(run.out.status.code(), Some(1));
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        snapshot(&f.out()),
        before,
        "public/ changed after a failed build"
    );
    let leftovers: Vec<_> = std::fs::read_dir(f.root())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    err
}

#[test]
fn broken_yaml() {
    fails_cleanly(
        "content/products/broken.md",
        "---\ntitle: 包\nprice: [1, 2\ncategory: x\n---\n",
        &["content/products/broken.md:", "error:"],
    );
}

#[test]
fn missing_required_field() {
    let e = fails_cleanly(
        "content/products/notitle.md",
        "---\nprice: 10\n---\nbody\n",
        &["notitle.md:2", "`title`", "missing"],
    );
    assert!(e.contains("help:"), "{e}");
}

#[test]
fn price_with_currency_sign_and_commas() {
    fails_cleanly(
        "content/products/yen.md",
        "---\ntitle: 包\nprice: \"¥1,299\"\n---\n",
        &["yen.md:3", "price", "¥1,299", "1299.50"],
    );
}

#[test]
fn negative_price() {
    fails_cleanly(
        "content/products/neg.md",
        "---\ntitle: 包\nprice: -5\n---\n",
        &["neg.md:3", "negative"],
    );
}

#[test]
fn unclosed_front_matter() {
    fails_cleanly(
        "content/products/open.md",
        "---\ntitle: 包\nprice: 5\nbody text\n",
        &["open.md:1", "never closed"],
    );
}

#[test]
fn yaml_alias_bomb() {
    let mut s = String::from(
        "---\ntitle: 炸弹\nprice: 1\ntags: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let mut prev = "a0".to_string();
    for i in 1..10 {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        s.push_str(&format!("badges: &a{i} [{refs}]\n"));
        prev = format!("a{i}");
    }
    s.push_str("---\n");
    let e = fails_cleanly("content/products/bomb.md", &s, &["bomb.md:"]);
    assert!(
        e.len() < 4000,
        "the message should be short, got {} bytes",
        e.len()
    );
}

#[test]
fn unknown_key_suggests_the_right_one() {
    fails_cleanly(
        "content/products/typo.md",
        "---\ntitle: 包\nprice: 5\norginal_price: 9\n---\n",
        &[
            "typo.md:4",
            "orginal_price",
            "did you mean `original_price`",
        ],
    );
}

#[test]
fn unknown_key_in_shop_yaml() {
    fails_cleanly(
        "shop.yaml",
        &format!("{SHOP_YAML}titel: x\n"),
        &["shop.yaml:8", "titel", "did you mean `title`"],
    );
}

#[test]
fn duplicate_slugs_name_both_files() {
    let e = fails_cleanly(
        "content/products/dup.md",
        "---\ntitle: 另一个\nprice: 5\nslug: good\n---\n",
        &["dup.md", "good.md", "slug `good`"],
    );
    assert!(e.contains("slug"), "{e}");
}

#[test]
fn all_errors_are_reported_together() {
    let f = Fixture::new(SHOP_YAML);
    f.product("a.md", "title: A\nprice: abc\n", "");
    f.product("b.md", "title: B\nprice: -1\n", "");
    f.write("content/pages/c.md", "---\ntitle: C\n");
    let run = f.build(&[]);
    assert!(!run.ok());
    let err = run.stderr();
    for name in ["a.md", "b.md", "c.md", "3 errors"] {
        assert!(err.contains(name), "{name} missing from:\n{err}");
    }
    assert!(
        !f.out().exists(),
        "nothing is written by a failed first build"
    );
}

#[test]
fn template_error_names_template_and_line() {
    let f = Fixture::new(SHOP_YAML);
    f.product("a.md", &product_fm("A", "5", "女包", 1), "");
    f.write(
        "templates/product.html",
        "<html>\n<body>\n{{ product.no_such_field }}\n</body></html>\n",
    );
    let run = f.build(&[]);
    assert!(!run.ok());
    let err = run.stderr();
    assert!(err.contains("templates/product.html:3"), "{err}");
    assert!(err.contains("a.md"), "names the page being rendered: {err}");
}

#[test]
fn bad_slug_is_refused_and_nothing_escapes() {
    let f = Fixture::new(SHOP_YAML);
    f.product("evil.md", "title: 坏\nprice: 1\nslug: ../../escaped\n", "");
    let run = f.build(&[]);
    assert!(!run.ok());
    assert!(run.stderr().contains("evil.md:4"), "{}", run.stderr());
    assert!(run.stderr().contains("slug"), "{}", run.stderr());
    assert!(!f.root().parent().unwrap().join("escaped").exists());
    assert!(!f.root().join("escaped").exists());
}

#[test]
fn base_url_must_be_an_address() {
    fails_cleanly(
        "shop.yaml",
        &SHOP_YAML.replace("https://shop.example.cn", "shop.example.cn"),
        &["shop.yaml:2", "base_url", "https://"],
    );
}

#[test]
fn missing_image_is_an_error() {
    fails_cleanly(
        "content/products/img.md",
        "---\ntitle: 包\nprice: 5\nimages: [images/nope.jpg]\n---\n",
        &["img.md:4", "images/nope.jpg"],
    );
}

/// A copy of the repository's example shop in a temp folder, with `edit` applied to its
/// `shop.yaml`; the build must fail and its errors are returned.
fn example_shop_fails(edit: impl Fn(&str) -> String) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("shop");
    copy_example_site(&site);
    let yaml = std::fs::read_to_string(site.join("shop.yaml")).unwrap();
    std::fs::write(site.join("shop.yaml"), edit(&yaml)).unwrap();
    let run = shopgen(&["build", site.to_str().unwrap()]);
    assert!(!run.ok(), "the build should fail");
    assert!(
        !site.join("public").exists(),
        "a failed build wrote public/"
    );
    run.stderr()
}

/// The 1-based line of `shop.yaml` of the example shop that holds `needle`.
fn example_line(needle: &str) -> usize {
    let yaml = std::fs::read_to_string(example_site().join("shop.yaml")).unwrap();
    1 + yaml
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no `{needle}` in the example shop.yaml"))
}

#[test]
fn a_bad_slug_of_the_second_category_points_at_its_own_line() {
    let line = example_line("slug: nan-shi-pi-ju");
    let err = example_shop_fails(|y| y.replace("slug: nan-shi-pi-ju", "slug: Nan Shi"));
    let want = format!("shop.yaml:{line}:11");
    assert!(err.contains(&want), "expected {want} in:\n{err}");
    assert!(err.contains("categories[1].slug"), "{err}");
}

#[test]
fn a_missing_image_of_the_fourth_category_points_at_its_own_line() {
    let line = example_line("image: images/cat-care.svg");
    let err = example_shop_fails(|y| y.replace("images/cat-care.svg", "images/nowhere.svg"));
    let want = format!("shop.yaml:{line}:12");
    assert!(err.contains(&want), "expected {want} in:\n{err}");
    assert!(err.contains("categories[3].image"), "{err}");
    // The same rule and words as a product image that is not there.
    assert!(
        err.contains("`images/nowhere.svg` is not in static/"),
        "{err}"
    );
    assert!(err.contains("put the image under static/"), "{err}");
}

#[test]
fn a_missing_endorsement_photo_points_at_the_third_endorsement() {
    let yaml = std::fs::read_to_string(example_site().join("shop.yaml")).unwrap();
    let photos: Vec<&str> = yaml
        .lines()
        .filter(|l| l.trim_start().starts_with("photo:"))
        .collect();
    assert!(photos.len() >= 3, "the example shop has three endorsements");
    let third = photos[2]
        .trim_start()
        .trim_start_matches("photo:")
        .trim()
        .to_string();
    let line = example_line(&format!("photo: {third}"));
    let err =
        example_shop_fails(|y| y.replace(&format!("photo: {third}"), "photo: people/gone.jpg"));
    assert!(
        err.contains(&format!("shop.yaml:{line}:")),
        "expected line {line} in:\n{err}"
    );
    assert!(err.contains("home.endorsements[2].photo"), "{err}");
    assert!(err.contains("`people/gone.jpg` is not in static/"), "{err}");
}

#[test]
fn every_image_shop_yaml_names_is_checked() {
    let err = example_shop_fails(|y| {
        y.replace("images/logo.svg", "images/no-logo.svg")
            .replace("images/cat-women.svg", "images/no-cat.svg")
    });
    for want in [
        "`images/no-logo.svg` is not in static/",
        "`images/no-cat.svg` is not in static/",
        "field `logo`",
        "categories[0].image",
    ] {
        assert!(err.contains(want), "expected {want:?} in:\n{err}");
    }
}
