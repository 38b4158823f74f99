//! Helpers for end-to-end tests: fixture sites in temp folders and the shopgen binary.
#![allow(dead_code)]

pub mod languages;
pub mod photos;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const SHOP_YAML: &str = "title: 测试小店
base_url: https://shop.example.cn
language: zh-CN
paginate: 12
hosting:
  region: mainland
  icp: 京ICP备12345678号-1
";

/// A fixture site in a temp folder.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new(shop_yaml: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("shop.yaml"), shop_yaml).unwrap();
        std::fs::create_dir_all(dir.path().join("content/products")).unwrap();
        std::fs::create_dir_all(dir.path().join("content/pages")).unwrap();
        Fixture { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    pub fn product(&self, file: &str, front: &str, body: &str) -> &Self {
        self.write(
            &format!("content/products/{file}"),
            &format!("---\n{front}---\n{body}"),
        )
    }

    pub fn build(&self, args: &[&str]) -> Run {
        let mut all = vec!["build", self.root().to_str().unwrap()];
        all.extend_from_slice(args);
        shopgen(&all)
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.out().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }
}

pub struct Run {
    pub out: Output,
}

impl Run {
    pub fn ok(&self) -> bool {
        self.out.status.success()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.out.stderr).into_owned()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.out.stdout).into_owned()
    }
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        assert!(self.ok(), "build failed:\n{}", self.stderr());
        self
    }
}

pub fn shopgen(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_shopgen"))
        .args(args)
        .output()
        .expect("run shopgen");
    Run { out }
}

/// Every file under `dir` with its contents, to prove a folder was left untouched.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Build the repository's example site into a temp folder: (the folder, its `public/`).
pub fn build_example_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    shopgen(&[
        "build",
        example_site().to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ])
    .assert_ok();
    (tmp, out)
}

/// Copy the repository's example site (without its output and state) to `dest`.
pub fn copy_example_site(dest: &Path) {
    for entry in walkdir::WalkDir::new(example_site()).into_iter().flatten() {
        let rel = entry.path().strip_prefix(example_site()).unwrap();
        if rel.starts_with("public") || rel.starts_with(".shopgen") {
            continue;
        }
        let to = dest.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
}

/// The path of the repository's example site.
pub fn example_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site")
}

/// A simple product front matter.
pub fn product_fm(title: &str, price: &str, category: &str, weight: i64) -> String {
    format!(
        "title: {title}\nprice: {price}\noriginal_price: 9999\ncategory: {category}\nweight: {weight}\n"
    )
}

/// Read a QR code back from an inline SVG that shopgen made: rasterise its modules and scan
/// them with rqrr, as a phone would.
pub fn decode_svg(svg: &str) -> Option<String> {
    let vb = svg.split("viewBox=\"0 0 ").nth(1)?.split('"').next()?;
    let n: usize = vb.split_whitespace().next()?.parse().ok()?;
    let d = svg.split(" d=\"").nth(1)?.split('"').next()?;
    let mut dark = vec![false; n * n];
    // "M{l} {t}h{w}v{h}H{l}V{t}" per rectangle
    for rect in d.split('M').filter(|s| !s.is_empty()) {
        let nums: Vec<usize> = rect
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap_or(0))
            .collect();
        let (l, t, w, h) = (nums[0], nums[1], nums[2], nums[3]);
        for y in t..t + h {
            for x in l..l + w {
                dark[y * n + x] = true;
            }
        }
    }
    let scale = 4;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(n * scale, n * scale, |x, y| {
        if dark[(y / scale) * n + x / scale] {
            0
        } else {
            255
        }
    });
    let grids = img.detect_grids();
    grids.first()?.decode().ok().map(|(_, text)| text)
}
