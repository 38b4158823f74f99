//! The live preview's incremental rebuilds give exactly what a full build of the same files
//! gives, after every kind of edit, while rendering only the pages an edit touches.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use shopgen::Options as LoadOptions;
use shopgen::output::Output;
use shopgen::serve::live::{Changes, Live};

const BASE: &str = "http://127.0.0.1:1111/";

fn opts() -> LoadOptions {
    LoadOptions {
        drafts: false,
        base_url: Some(BASE.into()),
    }
}

fn files(out: &Output) -> BTreeMap<String, Vec<u8>> {
    out.files
        .keys()
        .map(|k| (k.clone(), out.get_bytes(k).unwrap().into_owned()))
        .collect()
}

/// Compare the live output with a full build of the site as it is on disk now.
#[track_caller]
fn assert_same_as_full_build(live: &Live, root: &Path, step: &str) {
    let site = shopgen::Site::load(root, &opts()).unwrap_or_else(|e| panic!("{step}: {e}"));
    let full = files(&site.render().unwrap());
    let incremental = files(live.output().unwrap());
    let only_full: Vec<_> = full
        .keys()
        .filter(|k| !incremental.contains_key(*k))
        .collect();
    let only_live: Vec<_> = incremental
        .keys()
        .filter(|k| !full.contains_key(*k))
        .collect();
    assert!(
        only_full.is_empty() && only_live.is_empty(),
        "{step}: missing {only_full:?}, extra {only_live:?}"
    );
    for (k, v) in &full {
        assert!(
            incremental[k] == *v,
            "{step}: {k} differs from a full build"
        );
    }
}

struct Site {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        for e in walkdir::WalkDir::new(common::example_site()) {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(common::example_site()).unwrap();
            if rel.starts_with("public") || rel.starts_with(".shopgen") {
                continue;
            }
            if e.file_type().is_dir() {
                std::fs::create_dir_all(root.join(rel)).unwrap();
            } else {
                std::fs::copy(e.path(), root.join(rel)).unwrap();
            }
        }
        // `serve` makes photos' variants lazily and shows their placeholder colour once the
        // cache knows it: with the cache warm, as after any build, it shows what a build writes.
        shopgen::Site::load(&root, &opts())
            .unwrap()
            .render()
            .unwrap();
        Site { _dir: dir, root }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn edit(&self, rel: &str, f: impl Fn(String) -> String) -> PathBuf {
        let p = self.path(rel);
        let before = std::fs::read_to_string(&p).unwrap();
        let after = f(before.clone());
        assert_ne!(before, after, "the edit of {rel} changed nothing");
        std::fs::write(&p, after).unwrap();
        p
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }
}

fn product(path: PathBuf) -> Changes {
    Changes {
        files: [path.clone()].into(),
        products: [path].into(),
        ..Changes::default()
    }
}

#[test]
fn the_home_page_depends_on_the_product_count_not_on_every_product() {
    let site = Site::new();
    let (mut live, first) = Live::new(site.root.clone(), opts());
    first.unwrap();
    // A product the home page does not feature: its story changes, the count does not.
    let file = "content/products/key-holder.md";
    assert!(
        !std::fs::read_to_string(site.path(file))
            .unwrap()
            .contains("featured: true")
    );
    let p = site.edit(file, |s| s + "\n多一段详情。\n");
    let r = live.apply(product(p)).unwrap();
    assert!(
        r.rendered
            .paths
            .iter()
            .any(|p| p.starts_with("products/key-holder/")),
        "{:?}",
        r.rendered.paths
    );
    assert!(
        !r.rendered.paths.contains(&"index.html".to_string()),
        "home re-rendered: {:?}",
        r.rendered.paths
    );
    assert_same_as_full_build(&live, &site.root, "a story that home does not show");
    // A new product changes the count that home shows.
    let new = site.write(
        "content/products/new-card-case.md",
        "---\ntitle: 新卡包\nprice: 99\ncategory: 钱包卡包\n---\n正文\n",
    );
    let r = live.apply(product(new)).unwrap();
    assert!(
        r.rendered.paths.contains(&"index.html".to_string()),
        "{:?}",
        r.rendered.paths
    );
    assert_same_as_full_build(&live, &site.root, "one more product");
}

#[test]
fn every_kind_of_edit_matches_a_full_build() {
    let site = Site::new();
    let (mut live, first) = Live::new(site.root.clone(), opts());
    let total = first.unwrap().rendered.pages;
    assert_same_as_full_build(&live, &site.root, "first build");

    // A product's price and story: its page, the listings and home that show it, the related
    // products of its category — not the whole site.
    let tote = site.edit("content/products/真皮托特包.md", |s| {
        s.replace("\nprice: 1299\n", "\nprice: 1188\n") + "\n新增一段详情。\n"
    });
    let r = live.apply(product(tote.clone())).unwrap();
    assert!(
        r.rendered.rendered > 0 && r.rendered.rendered < total / 2,
        "{} of {total} pages rendered",
        r.rendered.rendered
    );
    assert_same_as_full_build(&live, &site.root, "price and story");

    // A photo shown in a new way (the story photo in the tote's gallery): planned again, with
    // the gallery's variants of it; then the same photos again, which needs no new plan.
    site.edit("content/products/真皮托特包.md", |s| {
        s.replace(
            "  - images/products/tote-detail.jpg\n",
            "  - images/products/tote-detail.jpg\n  - images/story.jpg\n",
        )
    });
    live.apply(product(tote.clone())).unwrap();
    assert_same_as_full_build(&live, &site.root, "a photo in a new use");
    site.edit("content/products/真皮托特包.md", |s| {
        s.replace("新增一段详情。", "又一段详情。")
    });
    live.apply(product(tote.clone())).unwrap();
    assert_same_as_full_build(&live, &site.root, "text only, the same photos");

    // Into another category: category counts change everywhere.
    site.edit("content/products/真皮托特包.md", |s| {
        s.replace("\ncategory: 女包\n", "\ncategory: 钱包卡包\n")
    });
    live.apply(product(tote.clone())).unwrap();
    assert_same_as_full_build(&live, &site.root, "category");

    // To the front of the catalog: the order of listings and related products changes.
    let card = site.edit("content/products/card-holder.md", |s| {
        let kept: Vec<&str> = s.lines().filter(|l| !l.starts_with("weight:")).collect();
        kept.join("\n").replacen("---\n", "---\nweight: -100\n", 1)
    });
    live.apply(product(card.clone())).unwrap();
    assert_same_as_full_build(&live, &site.root, "weight");

    // A new slug: the old page is gone.
    site.edit("content/products/card-holder.md", |s| {
        s.replacen("---\n", "---\nslug: kapian-jia\n", 1)
    });
    let r = live.apply(product(card.clone())).unwrap();
    assert!(r.rendered.removed >= 1);
    assert_same_as_full_build(&live, &site.root, "slug");

    // A new product in a new category, then deleted again.
    let new = site.write(
        "content/products/新品/围巾.md",
        "---\ntitle: 羊绒围巾\nprice: 699\ncategory: 配饰\nfeatured: true\n---\n暖。\n",
    );
    live.apply(product(new.clone())).unwrap();
    assert!(live.file("products/wei-jin/index.html").is_some());
    assert_same_as_full_build(&live, &site.root, "added");
    std::fs::remove_dir_all(new.parent().unwrap()).unwrap();
    // A removed folder arrives as the folder's path.
    live.apply(product(new.parent().unwrap().to_path_buf()))
        .unwrap();
    assert!(live.file("products/wei-jin/index.html").is_none());
    assert_same_as_full_build(&live, &site.root, "folder removed");

    // A draft is left out.
    let purse = site.edit("content/products/coin-purse.md", |s| {
        s.replacen("---\n", "---\ndraft: true\n", 1)
    });
    live.apply(product(purse)).unwrap();
    assert_same_as_full_build(&live, &site.root, "draft");

    // A page's title shows in every page's menu.
    let about = site.edit("content/pages/about.md", |s| {
        s.replacen("\ntitle: ", "\ntitle: 关于我们·", 1)
    });
    let r = live
        .apply(Changes {
            files: [about.clone()].into(),
            pages: [about].into(),
            ..Changes::default()
        })
        .unwrap();
    assert_eq!(r.rendered.rendered, r.rendered.pages);
    assert_same_as_full_build(&live, &site.root, "page title");

    // Templates, strings, styles and static files.
    let tpl = site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>找不到</p>{% endblock %}",
    );
    let r = live
        .apply(Changes {
            files: [tpl].into(),
            templates: true,
            ..Changes::default()
        })
        .unwrap();
    assert_eq!(
        r.rendered.rendered, r.rendered.pages,
        "a template change renders every page"
    );
    assert_same_as_full_build(&live, &site.root, "template");
    let css = site.write("styles/home.css", ".x{color:red}");
    live.apply(Changes {
        files: [css].into(),
        styles: true,
        ..Changes::default()
    })
    .unwrap();
    assert_same_as_full_build(&live, &site.root, "styles");
    let img = site.write(
        "static/images/new.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    live.apply(Changes {
        files: [img].into(),
        statics: true,
        ..Changes::default()
    })
    .unwrap();
    assert!(live.file("images/new.svg").is_some());
    assert_same_as_full_build(&live, &site.root, "static");
    // The site's own shop.js replaces the theme's: a new fingerprint, linked from every page.
    let js = site.write(
        "assets/js/shop.js",
        "document.documentElement.className+=' js';\n",
    );
    let r = live
        .apply(Changes {
            files: [js].into(),
            assets: true,
            ..Changes::default()
        })
        .unwrap();
    assert_eq!(r.rendered.rendered, r.rendered.pages, "every page links it");
    assert_same_as_full_build(&live, &site.root, "assets");
}

#[test]
fn a_failed_edit_keeps_the_last_good_output_until_fixed() {
    let site = Site::new();
    let (mut live, first) = Live::new(site.root.clone(), opts());
    first.unwrap();
    let before = files(live.output().unwrap());

    // Two products with one slug: refused, nothing changes.
    let dup = site.write(
        "content/products/dup.md",
        "---\ntitle: 重复\nprice: 1\nslug: zhen-pi-tuo-te-bao\n---\n",
    );
    let err = live.apply(product(dup.clone())).unwrap_err();
    assert!(err.to_string().contains("zhen-pi-tuo-te-bao"), "{err}");
    assert_eq!(files(live.output().unwrap()), before);
    assert!(!live.errors().is_empty());

    // A template error while the product error stands: still the old output.
    let tpl = site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ page.nope }}{% endblock %}",
    );
    let err = live
        .apply(Changes {
            files: [tpl.clone()].into(),
            templates: true,
            ..Changes::default()
        })
        .unwrap_err();
    assert!(!err.diagnostics.is_empty());
    assert_eq!(files(live.output().unwrap()), before);

    // Fixing the product is not enough: the template is still broken.
    std::fs::remove_file(&dup).unwrap();
    let err = live.apply(product(dup.clone())).unwrap_err();
    assert!(
        err.diagnostics.iter().any(|d| d
            .file
            .as_ref()
            .is_some_and(|f| f.ends_with("templates/page.html"))),
        "{err}"
    );
    assert_eq!(files(live.output().unwrap()), before);

    // Fixing the template too: back to a good site, the same as a full build.
    std::fs::remove_file(&tpl).unwrap();
    live.apply(Changes {
        files: [tpl].into(),
        templates: true,
        ..Changes::default()
    })
    .unwrap();
    assert!(live.errors().is_empty());
    assert_same_as_full_build(&live, &site.root, "fixed");
}

/// The search files of an output: shards by number, and the others by name.
fn search_files(out: &Output) -> (BTreeMap<usize, String>, Vec<String>) {
    let mut shards = BTreeMap::new();
    let mut others = Vec::new();
    for k in out.files.keys() {
        let Some(name) = k.strip_prefix("assets/search/") else {
            continue;
        };
        match name.split('.').next().and_then(|i| i.parse().ok()) {
            Some(i) => {
                shards.insert(i, k.clone());
            }
            None => others.push(k.clone()),
        }
    }
    (shards, others)
}

#[test]
fn serve_makes_again_only_the_search_shards_an_edit_touches() {
    let f = common::Fixture::new(common::SHOP_YAML);
    let words = [
        "托特", "钱包", "皮带", "卡包", "护照", "钥匙", "保养", "斜挎", "零钱",
    ];
    for i in 0..400 {
        let body: String = (0..80)
            .map(|k| {
                format!(
                    "{}{}款第{}号 ",
                    words[(i + k) % 9],
                    words[(i * 7 + k) % 9],
                    i * 40 + k
                )
            })
            .collect();
        f.product(
            &format!("p{i}.md"),
            &format!("title: 商品{i} 真皮{}\nprice: 199\n", words[i % 9]),
            &body,
        );
    }
    let (mut live, first) = Live::new(f.root().to_path_buf(), opts());
    first.unwrap();
    let (before, _) = search_files(live.output().unwrap());
    assert!(before.len() >= 4, "{} shards", before.len());
    // A new word in one product's title: the shards of its terms change, no other.
    let p = f.root().join("content/products/p17.md");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(
        &p,
        text.replace("title: 商品17", "title: 商品17 琥珀 amber"),
    )
    .unwrap();
    let report = live
        .apply(Changes {
            files: [p.clone()].into(),
            products: [p].into(),
            ..Changes::default()
        })
        .unwrap();
    assert!(report.rendered.search.is_some());
    let (after, _) = search_files(live.output().unwrap());
    assert_eq!(before.len(), after.len());
    let changed: Vec<usize> = before
        .keys()
        .filter(|i| before[i] != after[i])
        .copied()
        .collect();
    // Each changed shard holds a term the edit added (琥珀, 琥, 珀, amber, the pinyin hupo, hp,
    // po); the others are byte for byte as they were.
    let live_files = files(live.output().unwrap());
    let gained = ["琥", "珀", "琥珀", "amber", "hupo", "hp", "po"];
    for i in &changed {
        let json = String::from_utf8_lossy(&live_files[&after[i]]).into_owned();
        assert!(
            gained.iter().any(|t| json.contains(&format!("\"{t}\":["))),
            "shard {i} changed but holds none of the new terms"
        );
    }
    assert!(!changed.is_empty());
    assert!(
        changed.len() < before.len(),
        "{} of {} shards changed",
        changed.len(),
        before.len()
    );
    assert_same_as_full_build(&live, f.root(), "after the title edit");
}

#[test]
fn a_catalog_sheet_edit_renders_the_products_it_changed() {
    let site = Site::new();
    let csv = "标题,slug,价格,分类,规格.颜色,图片\n\
               羊皮手套,glove,399,钱包卡包,经典黑,images/products/tote-black.jpg\n\
               ,,429,,焦糖棕,images/products/tote-cognac.jpg\n\
               真丝方巾,scarf,199,丝巾,,\n";
    let sheet = site.write("content/products.csv", csv);
    let catalog = |path: PathBuf| Changes {
        files: [path].into(),
        catalog: true,
        ..Changes::default()
    };
    let (mut live, first) = Live::new(site.root.clone(), opts());
    first.unwrap();
    assert_same_as_full_build(&live, &site.root, "a site with a catalog");

    site.edit("content/products.csv", |s| s.replace(",429,", ",459,"));
    let r = live.apply(catalog(sheet.clone())).unwrap();
    let paths = &r.rendered.paths;
    assert!(
        paths.iter().any(|p| p.starts_with("products/glove/")),
        "{paths:?}"
    );
    assert!(
        !paths.iter().any(|p| p.starts_with("products/scarf/")),
        "{paths:?}"
    );
    assert_same_as_full_build(&live, &site.root, "a combination's price in the sheet");

    // A detail story beside the sheet is read with it.
    let story = site.write("content/products/scarf.md", "手工卷边的**真丝**方巾。\n");
    let r = live.apply(product(story.clone())).unwrap();
    let paths = &r.rendered.paths;
    assert!(
        paths.iter().any(|p| p.starts_with("products/scarf/")),
        "{paths:?}"
    );
    assert!(
        !paths.iter().any(|p| p.starts_with("products/glove/")),
        "{paths:?}"
    );
    assert_same_as_full_build(&live, &site.root, "a story for a sheet product");
    std::fs::remove_file(&story).unwrap();
    live.apply(product(story)).unwrap();
    assert_same_as_full_build(&live, &site.root, "the story removed");

    // A bad cell keeps the last good output; the fix brings the sheet back.
    site.edit("content/products.csv", |s| s.replace(",199,", ",¥199,"));
    let err = live.apply(catalog(sheet.clone())).unwrap_err().to_string();
    assert!(err.contains("row 4, column 价格 (C)"), "{err}");
    site.edit("content/products.csv", |s| s.replace(",¥199,", ",189,"));
    live.apply(catalog(sheet.clone())).unwrap();
    assert_same_as_full_build(&live, &site.root, "the cell fixed");

    std::fs::remove_file(&sheet).unwrap();
    live.apply(catalog(sheet)).unwrap();
    assert_same_as_full_build(&live, &site.root, "the sheet removed");
}
