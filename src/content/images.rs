//! Image dimensions, read from file headers at load time so pages can set width and height
//! (no layout jump while images load).

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

/// Width and height in CSS pixels.
pub type Size = (u32, u32);

/// Raster extensions: files with these are photos to publish as variants (or errors).
const RASTER: &[&str] = &[
    "jpg", "jpeg", "jpe", "jfif", "png", "webp", "gif", "heic", "heif", "avif", "tif", "tiff",
    "bmp",
];

/// Whether `path` names a raster image (a photo: the photo stage reads its size and makes its
/// variants).
pub fn is_raster(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, x)| RASTER.iter().any(|r| x.eq_ignore_ascii_case(r)))
}

/// The size of the image at `path`: raster formats via their headers, SVG via its
/// `width`/`height` attributes or `viewBox`.
pub fn dimensions(path: &Path) -> Option<Size> {
    // Never open what is not a regular file (a FIFO would block).
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return None;
    }
    if path
        .extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("svg"))
    {
        let mut head = vec![0u8; 4096];
        let n = std::fs::File::open(path).ok()?.read(&mut head).ok()?;
        return svg_size(&String::from_utf8_lossy(&head[..n]));
    }
    let s = imagesize::size(path).ok()?;
    Some((u32::try_from(s.width).ok()?, u32::try_from(s.height).ok()?))
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let i = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[i..].split('"').next()
}

fn number(v: &str) -> Option<u32> {
    let v = v.trim().trim_end_matches("px");
    let f: f64 = v.parse().ok()?;
    (f.is_finite() && f > 0.0 && f < 100_000.0).then(|| f.round() as u32)
}

fn svg_size(head: &str) -> Option<Size> {
    let start = head.find("<svg")?;
    let tag = &head[start..start + head[start..].find('>')?];
    let tag = tag.replace(['\n', '\t', '\r'], " ");
    if let (Some(w), Some(h)) = (
        attr(&tag, "width").and_then(number),
        attr(&tag, "height").and_then(number),
    ) {
        return Some((w, h));
    }
    let vb: Vec<f64> = attr(&tag, "viewBox")?
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    match vb[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w.round() as u32, h.round() as u32)),
        _ => None,
    }
}

/// Sizes of the given static paths (relative to `static_dir`), read in parallel.
pub fn sizes<'a>(static_dir: &Path, paths: impl Iterator<Item = &'a str>) -> HashMap<String, Size> {
    let mut wanted: Vec<&str> = paths.map(|p| p.trim_start_matches('/')).collect();
    wanted.sort_unstable();
    wanted.dedup();
    wanted
        .par_iter()
        .filter_map(|p| dimensions(&static_dir.join(p)).map(|s| (p.to_string(), s)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes() {
        assert_eq!(
            svg_size(
                r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600">"#
            ),
            Some((800, 600))
        );
        assert_eq!(
            svg_size(r#"<svg width="1600px" height="700" viewBox="0 0 16 7">"#),
            Some((1600, 700))
        );
        assert_eq!(svg_size("<svg\n  viewBox=\"0,0,32,32\"\n>"), Some((32, 32)));
        assert_eq!(svg_size("<svg>"), None);
        assert_eq!(svg_size("not svg"), None);
    }

    #[test]
    fn raster_sizes() {
        let dir = tempfile::tempdir().unwrap();
        // A 3×2 PNG header (IHDR) is enough for the size.
        let png: Vec<u8> = [
            &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13][..],
            b"IHDR",
            &[0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0, 0, 0, 0, 0],
        ]
        .concat();
        std::fs::write(dir.path().join("a.png"), png).unwrap();
        assert_eq!(dimensions(&dir.path().join("a.png")), Some((3, 2)));
        assert_eq!(dimensions(&dir.path().join("missing.png")), None);
    }
}
