//! `images.processor: oss`: the bucket makes the variants. Pages point at the original with
//! Aliyun OSS image-processing parameters (`?x-oss-process=image/auto-orient,1/resize,w_750/
//! quality,q_80/format,webp`), so the build encodes nothing; the original itself is published
//! without its EXIF (but for its orientation), XMP, IPTC, comments and text chunks, by removing
//! those segments — the compressed pixels are untouched.

use std::collections::BTreeMap;

use img_parts::{Bytes, ImageEXIF, jpeg::Jpeg, png::Png, webp::WebP};
use rayon::prelude::*;

use std::path::PathBuf;
use std::sync::Mutex;

use super::cache::{Cache, Source};
use super::codec::{self, Kind};
use super::{Format, Picture};
use crate::util::fsread;

/// The `x-oss-process` value for one variant: upright, `width` wide, in `format`.
pub fn process(width: u32, format: Format, quality: u8) -> String {
    let fmt = match format {
        Format::Avif => "avif",
        Format::Webp => "webp",
        Format::Jpeg => "jpg",
        Format::Png => "png",
    };
    let mut p = format!("image/auto-orient,1/resize,w_{width}");
    if format != Format::Png {
        p.push_str(&format!("/quality,q_{quality}"));
    }
    p.push_str(&format!("/format,{fmt}"));
    if format == Format::Jpeg {
        // Progressive JPEG.
        p.push_str("/interlace,1");
    }
    p
}

/// `url` with the processing parameters of one variant.
pub fn url(url: &str, width: u32, format: Format, quality: u8) -> String {
    format!("{url}?x-oss-process={}", process(width, format, quality))
}

/// An EXIF block (little-endian TIFF) holding nothing but the orientation.
fn orientation_exif(value: u8) -> Vec<u8> {
    let mut b = Vec::with_capacity(26);
    b.extend_from_slice(b"II*\0");
    b.extend_from_slice(&8u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&0x0112u16.to_le_bytes());
    b.extend_from_slice(&3u16.to_le_bytes());
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend_from_slice(&u16::from(value).to_le_bytes());
    b.extend_from_slice(&[0, 0]);
    b.extend_from_slice(&0u32.to_le_bytes());
    b
}

/// `bytes` without metadata: EXIF (all but the orientation), XMP, IPTC, comments, text chunks.
pub fn strip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let kind = codec::sniff(bytes)?;
    let damaged = |e: img_parts::Error| format!("the file is damaged ({e})");
    let orientation = {
        use image::ImageDecoder;
        image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .ok()
            .and_then(|r| r.into_decoder().ok())
            .and_then(|mut d| d.orientation().ok())
            .map(|o| o.to_exif())
            .unwrap_or(1)
    };
    let b = Bytes::copy_from_slice(bytes);
    Ok(match kind {
        Kind::Jpeg => {
            let mut j = Jpeg::from_bytes(b).map_err(damaged)?;
            // APP1 (EXIF, XMP), APP3–APP13 (IPTC and makers' data), APP15, comments; APP0
            // (JFIF), APP2 (ICC profile) and APP14 (Adobe colour transform) stay.
            j.segments_mut().retain(|s| {
                let m = s.marker();
                !(m == 0xE1 || (0xE3..=0xED).contains(&m) || m == 0xEF || m == 0xFE)
            });
            if orientation != 1 {
                j.set_exif(Some(Bytes::from(orientation_exif(orientation))));
            }
            j.encoder().bytes().to_vec()
        }
        Kind::Png => {
            let mut p = Png::from_bytes(b).map_err(damaged)?;
            for kind in [b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"] {
                p.remove_chunks_by_type(*kind);
            }
            p.encoder().bytes().to_vec()
        }
        Kind::Webp => {
            let mut w = WebP::from_bytes(b).map_err(damaged)?;
            w.set_exif(if orientation != 1 {
                Some(Bytes::from(orientation_exif(orientation)))
            } else {
                None
            });
            w.remove_chunks_by_id(*b"XMP ");
            w.encoder().bytes().to_vec()
        }
        Kind::Gif => bytes.to_vec(),
    })
}

/// The cache file of the stripped original of `pic`.
pub fn stripped_name(pic: &Picture) -> String {
    let ext = pic.rel.rsplit_once('.').map_or("img", |(_, x)| x);
    format!(
        "{}-original.{}",
        &pic.hash[..32.min(pic.hash.len())],
        ext.to_ascii_lowercase()
    )
}

/// Every original as published: path below `static/` → the file to copy. A file without
/// metadata is published as it is; another one stripped, in the cache (made only when
/// missing). `plain` is what the cache index knows of each (updated here).
pub fn strip_all(
    pictures: &BTreeMap<String, Picture>,
    cache: &Cache,
    plain: &Mutex<BTreeMap<String, Source>>,
) -> Result<BTreeMap<String, PathBuf>, (String, String)> {
    let known: BTreeMap<String, Option<bool>> = plain
        .lock()
        .unwrap()
        .iter()
        .map(|(k, s)| (k.clone(), s.plain))
        .collect();
    let done: Vec<(String, PathBuf, bool)> = pictures
        .par_iter()
        .map(|(rel, p)| {
            if known.get(rel).copied().flatten() == Some(true) {
                return Ok((rel.clone(), p.source.clone(), true));
            }
            let name = stripped_name(p);
            let path = cache.dir.join(&name);
            if path.is_file() {
                return Ok((rel.clone(), path, false));
            }
            let bytes = fsread::read(&p.source, fsread::FILE_LIMIT)
                .map_err(|d| (rel.clone(), d.message))?;
            let out = strip(&bytes).map_err(|m| (rel.clone(), m))?;
            if out == bytes {
                return Ok((rel.clone(), p.source.clone(), true));
            }
            cache.write(&name, &out).map_err(|e| {
                (
                    rel.clone(),
                    format!("the image cache could not be written ({e})"),
                )
            })?;
            Ok((rel.clone(), path, false))
        })
        .collect::<Result<_, (String, String)>>()?;
    let mut index = plain.lock().unwrap();
    let mut out = BTreeMap::new();
    for (rel, path, is_plain) in done {
        if let Some(s) = index.get_mut(&rel) {
            s.plain = Some(is_plain);
        }
        out.insert(rel, path);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn processing_parameters_as_aliyun_documents_them() {
        assert_eq!(
            process(750, Format::Webp, 80),
            "image/auto-orient,1/resize,w_750/quality,q_80/format,webp"
        );
        assert_eq!(
            url("/images/a.jpg", 375, Format::Jpeg, 82),
            "/images/a.jpg?x-oss-process=image/auto-orient,1/resize,w_375/quality,q_82/format,jpg/interlace,1"
        );
    }

    #[test]
    fn exif_and_comments_go_the_orientation_stays() {
        let px = vec![200u8; 16 * 8 * 3];
        let j = codec::jpeg(&px, 16, 8, 80).unwrap();
        // Insert an EXIF block with GPS-like text and a comment after SOI.
        let mut exif = b"Exif\0\0".to_vec();
        let mut tiff = orientation_exif(6);
        tiff.extend_from_slice(b"GPS 31.2304N 121.4737E");
        exif.extend_from_slice(&tiff);
        let mut seg = vec![0xFF, 0xE1];
        seg.extend_from_slice(&((exif.len() + 2) as u16).to_be_bytes());
        seg.extend_from_slice(&exif);
        let mut com = vec![0xFF, 0xFE, 0, 9];
        com.extend_from_slice(b"secret!");
        let with = [&j[..2], &seg, &com, &j[2..]].concat();
        let out = strip(&with).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains("GPS") && !text.contains("secret"), "{text}");
        let h = codec::header(&out, 1 << 30).unwrap();
        assert_eq!(
            (h.width, h.height),
            (8, 16),
            "still rotated by its orientation"
        );
    }
}
