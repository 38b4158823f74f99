//! Product photos: published as responsive variants (never the camera original), upright,
//! without metadata, cut when tall, cached between builds, bad files reported together.

mod common;

use std::path::Path;

use common::photos::{SECRET, alpha_png, camera_jpeg};
use common::{Fixture, SHOP_YAML};

fn shop(extra: &str) -> Fixture {
    let f = Fixture::new(&format!("{SHOP_YAML}logo: images/badge.png\n{extra}"));
    let dir = f.root().join("static/images");
    std::fs::create_dir_all(&dir).unwrap();
    // 4000×3000 stored, orientation 6: a portrait photo from a phone held upright.
    std::fs::write(dir.join("tote.jpg"), camera_jpeg(4000, 3000, 6, 1)).unwrap();
    std::fs::write(dir.join("side.jpg"), camera_jpeg(1000, 800, 1, 2)).unwrap();
    std::fs::write(dir.join("badge.png"), alpha_png(400, 400)).unwrap();
    std::fs::write(dir.join("long.jpg"), camera_jpeg(750, 6000, 1, 3)).unwrap();
    f.product(
        "tote.md",
        "title: 托特包\nprice: 1299\nimages: [images/tote.jpg, images/side.jpg]\n",
        "## 详情\n\n![细节长图](images/long.jpg)\n",
    );
    f
}

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect()
}

fn decode(path: &Path) -> image::DynamicImage {
    image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn photos_become_upright_variants_without_metadata() {
    let f = shop("");
    let run = f.build(&[]);
    run.assert_ok();
    let out = f.out();
    // The camera originals are not published.
    for name in ["tote.jpg", "side.jpg", "badge.png", "long.jpg"] {
        assert!(
            !out.join("images").join(name).exists(),
            "{name} was published as is"
        );
    }
    let variants = files_under(&out.join("assets/img"));
    assert!(variants.len() > 20, "{variants:?}");
    for v in &variants {
        let bytes = std::fs::read(v).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains(SECRET),
            "{} carries the EXIF/XMP text",
            v.display()
        );
        assert!(
            !text.contains("Exif\0\0"),
            "{} has an EXIF block",
            v.display()
        );
        assert!(
            !text.contains("ns.adobe.com/xap"),
            "{} has XMP",
            v.display()
        );
        let name = v.file_name().unwrap().to_string_lossy().into_owned();
        let img = decode(v);
        if name.starts_with("tote-") {
            // Shown upright: the phone photo is portrait.
            assert!(
                img.height() > img.width(),
                "{name}: {}×{}",
                img.width(),
                img.height()
            );
            assert!(img.width() <= 1500, "{name}");
        }
        if name.starts_with("side-") {
            assert!(
                img.width() <= 1000,
                "{name} was upscaled to {}",
                img.width()
            );
        }
        if name.starts_with("long-") {
            assert!(img.height() <= 2000, "{name} is {} high", img.height());
        }
        if name.starts_with("badge-") {
            assert!(name.ends_with(".png") || name.ends_with(".webp"), "{name}");
            assert!(img.color().has_alpha(), "{name} lost its transparency");
        }
    }
    // The top band of the rotated photo: orientation 6 turns the stored top to the right
    // side, so the right edge of the published photo is the dark band.
    let big = variants
        .iter()
        .find(|v| {
            let n = v.file_name().unwrap().to_string_lossy();
            n.starts_with("tote-750") && n.ends_with(".jpg")
        })
        .expect("a 750 wide JPEG of the tote");
    let img = decode(big).to_rgb8();
    let (w, h) = img.dimensions();
    let right = img.get_pixel(w - 5, h / 2)[0];
    let left = img.get_pixel(5, h / 2)[0];
    assert!(right + 40 < left, "not upright: left {left}, right {right}");

    let html = f.read("products/tote/index.html");
    assert!(
        html.contains("<picture><source type=\"image/webp\" srcset=\""),
        "{html}"
    );
    assert!(html.contains("sizes=\"(min-width: 1232px) 580px"), "{html}");
    // Width and height from the real, oriented pixels; the first photo eager and high.
    let gallery = html
        .split("class=\"gallery-slide\"")
        .skip(1)
        .collect::<Vec<_>>()
        .join("");
    let first = gallery.split("<picture>").nth(1).unwrap();
    assert!(first.contains("width=\"1500\" height=\"2000\""), "{first}");
    assert!(first.contains("fetchpriority=\"high\""), "{first}");
    assert!(
        !first
            .split("</picture>")
            .next()
            .unwrap()
            .contains("loading=\"lazy\"")
    );
    assert!(
        first.contains("style=\"background-color:#"),
        "a placeholder colour: {first}"
    );
    let second = gallery.split("<picture>").nth(2).unwrap();
    // A logo with transparency has no placeholder colour behind it.
    let logo = html.split("class=\"brand-logo\"").nth(1).unwrap();
    assert!(
        !logo.split('>').next().unwrap().contains("background-color"),
        "{logo}"
    );
    assert!(second.contains("loading=\"lazy\""), "{second}");
    // The tall 详情 image: three segments stacked, none over 2000 px.
    let tall = html
        .split("<span class=\"img-tall\">")
        .nth(1)
        .expect("segments");
    let tall = tall.split("</span>").next().unwrap();
    assert_eq!(tall.matches("<picture>").count(), 3, "{tall}");
    assert!(tall.contains("alt=\"细节长图\""), "{tall}");
    // The summary line says what was encoded.
    assert!(
        run.stdout().contains("variants encoded"),
        "{}",
        run.stdout()
    );
}

fn encoded(stdout: &str) -> usize {
    let s = stdout.split(" variants encoded").next().unwrap();
    s.rsplit('(').next().unwrap().trim().parse().unwrap()
}

#[test]
fn the_cache_makes_rebuilds_encode_nothing_and_a_replaced_photo_only_itself() {
    let f = shop("");
    let first = f.build(&[]);
    first.assert_ok();
    assert!(encoded(&first.stdout()) > 20, "{}", first.stdout());
    let cache = f.root().join(".shopgen/cache/images");
    let cached_before = files_under(&cache).len();

    let again = f.build(&[]);
    again.assert_ok();
    assert_eq!(encoded(&again.stdout()), 0, "{}", again.stdout());
    assert!(again.stdout().contains("0 written"), "{}", again.stdout());

    // Replace one photo: only its variants are encoded; its old ones leave the cache.
    std::fs::write(
        f.root().join("static/images/side.jpg"),
        camera_jpeg(900, 700, 1, 9),
    )
    .unwrap();
    let third = f.build(&[]);
    third.assert_ok();
    let n = encoded(&third.stdout());
    assert!(n > 0 && n <= 12, "{}", third.stdout());
    assert_eq!(
        files_under(&cache).len(),
        cached_before,
        "old variants were pruned"
    );
    assert!(!f.read("products/tote/index.html").is_empty());

    // A changed quality re-encodes the WebP variants only (the JPEG ones keep theirs).
    f.write(
        "shop.yaml",
        &format!("{SHOP_YAML}logo: images/badge.png\nimages:\n  quality: 60\n"),
    );
    let fourth = f.build(&[]);
    fourth.assert_ok();
    let webp = files_under(&f.out().join("assets/img"))
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "webp"))
        .count();
    assert_eq!(encoded(&fourth.stdout()), webp, "{}", fourth.stdout());
}

#[test]
fn bad_photos_are_all_reported_and_nothing_is_written() {
    let f = Fixture::new(SHOP_YAML);
    let dir = f.root().join("static/images");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("empty.jpg"), b"").unwrap();
    let good = camera_jpeg(64, 48, 1, 4);
    std::fs::write(dir.join("cut.jpg"), &good[..good.len() / 3]).unwrap();
    std::fs::write(dir.join("text.jpg"), b"this is not a photo at all").unwrap();
    std::fs::write(
        dir.join("iphone.heic"),
        [&[0u8, 0, 0, 24][..], b"ftypheic", &[0; 32]].concat(),
    )
    .unwrap();
    // A PNG whose header claims 60000×60000 pixels: refused before decoding.
    let mut bomb = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    bomb.extend_from_slice(b"IHDR");
    bomb.extend_from_slice(&60000u32.to_be_bytes());
    bomb.extend_from_slice(&60000u32.to_be_bytes());
    bomb.extend_from_slice(&[8, 2, 0, 0, 0]);
    let crc = crc32(&bomb[12..]);
    bomb.extend_from_slice(&crc.to_be_bytes());
    std::fs::write(dir.join("bomb.png"), &bomb).unwrap();
    f.product(
        "bag.md",
        "title: 包\nprice: 99\nimages: [images/empty.jpg, images/text.jpg, images/iphone.heic, images/bomb.png]\n",
        "![cut](images/cut.jpg)\n",
    );
    let run = f.build(&[]);
    assert!(!run.ok());
    let err = run.stderr();
    for (name, words) in [
        ("empty.jpg", "empty"),
        ("text.jpg", "not an image"),
        ("iphone.heic", "HEIC"),
        ("bomb.png", "megapixels"),
        ("cut.jpg", "image `images/cut.jpg`"),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not reported: {err}"));
        assert!(line.contains(words), "{name}: {line}");
    }
    assert!(err.contains("bag.md"), "{err}");
    assert!(!f.out().exists(), "nothing may be written");
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

#[test]
fn the_oss_processor_points_at_the_original_and_strips_it() {
    let f = shop("images:\n  processor: oss\n");
    let run = f.build(&[]);
    run.assert_ok();
    let html = f.read("products/tote/index.html");
    assert!(
        html.contains("/images/tote.jpg?x-oss-process=image/auto-orient,1/resize,w_750/quality,q_80/format,webp 750w"),
        "{html}"
    );
    assert!(
        html.contains("/images/tote.jpg?x-oss-process=image/auto-orient,1/resize,w_750/quality,q_82/format,jpg/interlace,1 750w"),
        "{html}"
    );
    assert!(!f.out().join("assets/img").exists(), "nothing is encoded");
    let original = std::fs::read(f.out().join("images/tote.jpg")).unwrap();
    let text = String::from_utf8_lossy(&original);
    assert!(!text.contains(SECRET), "the original keeps its GPS text");
    assert!(!text.contains("ns.adobe.com/xap"));
    // Still shown upright (only the orientation is left of the EXIF).
    let img = decode(&f.out().join("images/tote.jpg"));
    assert_eq!(
        (img.width(), img.height()),
        (4000, 3000),
        "pixels untouched"
    );
    assert!(html.contains("width=\"3000\" height=\"4000\""), "{html}");
    // A photo with nothing to strip (the PNG) is published byte for byte.
    assert_eq!(
        std::fs::read(f.out().join("images/badge.png")).unwrap(),
        std::fs::read(f.root().join("static/images/badge.png")).unwrap()
    );
    // A rebuild reads no photo again and writes nothing.
    let again = f.build(&[]);
    again.assert_ok();
    assert!(again.stdout().contains(" 0 written"), "{}", again.stdout());
}

#[test]
fn serve_makes_a_variant_when_it_is_asked_for() {
    let f = shop("");
    let (live, r) = shopgen::serve::live::Live::new(f.root().to_path_buf(), Default::default());
    r.unwrap();
    let out = live.output().unwrap();
    let rel = out
        .files
        .keys()
        .find(|k| k.starts_with("assets/img/images/side-") && k.ends_with(".webp"))
        .expect("a variant of side.jpg")
        .clone();
    let bytes = live.file(&rel).expect("made on request");
    assert_eq!(&bytes[..4], b"RIFF");
}

/// A JPEG of one flat colour with an ICC profile embedded.
fn jpeg_with_profile(rgb: [u8; 3], icc: &[u8]) -> Vec<u8> {
    let px: Vec<u8> = std::iter::repeat_n(rgb, 64 * 48).flatten().collect();
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 95);
    enc.add_icc_profile(icc).unwrap();
    enc.encode(&px, 64, 48, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// The mean colour of a published variant.
fn mean(path: &Path) -> [f64; 3] {
    let img = decode(path).to_rgb8();
    let n = f64::from(img.width() * img.height());
    let mut s = [0.0; 3];
    for p in img.pixels() {
        for c in 0..3 {
            s[c] += f64::from(p[c]);
        }
    }
    s.map(|v| v / n)
}

fn variant_of(f: &Fixture, stem: &str, ext: &str) -> std::path::PathBuf {
    files_under(&f.out().join("assets/img"))
        .into_iter()
        .find(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with(&format!("{stem}-")) && n.ends_with(ext)
        })
        .unwrap_or_else(|| panic!("no {ext} variant of {stem}"))
}

#[test]
fn colours_profiles_depths_and_animations() {
    let f = Fixture::new(SHOP_YAML);
    let p3 = moxcms::ColorProfile::new_display_p3().encode().unwrap();
    let adobe = moxcms::ColorProfile::new_adobe_rgb().encode().unwrap();
    let colour = [60u8, 170, 90];
    f.write_bytes("static/images/p3.jpg", &jpeg_with_profile(colour, &p3));
    f.write_bytes(
        "static/images/adobe.jpg",
        &jpeg_with_profile(colour, &adobe),
    );
    // CMYK, as print shops deliver it.
    let cmyk: Vec<u8> = std::iter::repeat_n([20u8, 60, 90, 10], 64 * 48)
        .flatten()
        .collect();
    let mut cmyk_jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut cmyk_jpeg, 90)
        .encode(&cmyk, 64, 48, jpeg_encoder::ColorType::Cmyk)
        .unwrap();
    f.write_bytes("static/images/cmyk.jpg", &cmyk_jpeg);
    // A 16-bit PNG.
    let deep =
        image::ImageBuffer::from_fn(64, 48, |x, _| image::Rgb([x as u16 * 1000, 30000u16, 9000]));
    let mut png16 = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb16(deep)
        .write_to(&mut png16, image::ImageFormat::Png)
        .unwrap();
    f.write_bytes("static/images/deep.png", png16.get_ref());
    // An animated GIF: published as it is.
    let mut gif = Vec::new();
    {
        let mut enc = image::codecs::gif::GifEncoder::new(&mut gif);
        for shade in [40u8, 200] {
            let frame = image::RgbaImage::from_pixel(32, 32, image::Rgba([shade, 80, 80, 255]));
            enc.encode_frame(image::Frame::new(frame)).unwrap();
        }
    }
    f.write_bytes("static/images/spin.gif", &gif);
    f.product(
        "p.md",
        "title: 色彩\nprice: 9\nimages: [images/p3.jpg, images/adobe.jpg, images/cmyk.jpg, images/deep.png, images/spin.gif]\n",
        "",
    );
    let run = f.build(&[]);
    run.assert_ok();

    // Display P3 and Adobe RGB are converted to sRGB as moxcms converts them.
    for (stem, icc) in [("p3", &p3), ("adobe", &adobe)] {
        let src = moxcms::ColorProfile::new_from_slice(icc).unwrap();
        let t = src
            .create_transform_8bit(
                moxcms::Layout::Rgb,
                &moxcms::ColorProfile::new_srgb(),
                moxcms::Layout::Rgb,
                moxcms::TransformOptions::default(),
            )
            .unwrap();
        let mut want = [0u8; 3];
        t.transform(&colour, &mut want).unwrap();
        assert!(
            want.iter().zip(colour).any(|(a, b)| a.abs_diff(b) > 8),
            "{stem}: the profile must matter for this test: {want:?}"
        );
        let got = mean(&variant_of(&f, stem, ".jpg"));
        for c in 0..3 {
            assert!(
                (got[c] - f64::from(want[c])).abs() < 6.0,
                "{stem}: got {got:?}, want {want:?} (unconverted {colour:?})"
            );
        }
    }
    // CMYK and 16-bit sources come out as 8-bit RGB variants.
    assert_eq!(
        decode(&variant_of(&f, "cmyk", ".jpg")).color(),
        image::ColorType::Rgb8
    );
    assert_eq!(
        decode(&variant_of(&f, "deep", ".jpg")).color(),
        image::ColorType::Rgb8
    );
    // The animation: published as it is, with a warning.
    assert_eq!(std::fs::read(f.out().join("images/spin.gif")).unwrap(), gif);
    assert!(run.stderr().contains("animated"), "{}", run.stderr());
    assert!(
        f.read("products/p/index.html")
            .contains("src=\"/images/spin.gif\"")
    );
}

#[test]
fn avif_is_published_too_when_asked_for() {
    let f = Fixture::new(&format!(
        "{SHOP_YAML}images:\n  avif: true\n  avif_speed: 10\n  widths: {{ gallery: [375], thumb: [120], card: [240] }}\n"
    ));
    f.write_bytes("static/images/a.jpg", &camera_jpeg(800, 600, 1, 5));
    f.product("p.md", "title: 包\nprice: 9\nimages: [images/a.jpg]\n", "");
    f.build(&[]).assert_ok();
    let html = f.read("products/p/index.html");
    let gallery = html.split("class=\"gallery-slide\"").nth(1).unwrap();
    let avif = gallery
        .find("<source type=\"image/avif\"")
        .expect("an AVIF source");
    let webp = gallery.find("<source type=\"image/webp\"").unwrap();
    assert!(avif < webp, "AVIF comes first: {gallery}");
    let file = variant_of(&f, "a", ".avif");
    let bytes = std::fs::read(file).unwrap();
    assert_eq!(&bytes[4..12], b"ftypavif");
}
