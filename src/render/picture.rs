//! The markup of a photo: `<picture>` with a WebP `<source srcset sizes>` and an `<img src
//! srcset sizes width height alt loading decoding>` over the JPEG (or PNG) fallback, the
//! photo's mean colour as a placeholder behind it, tall 详情 images as stacked segments. With
//! `images.processor: oss` the same markup points at the original with OSS processing
//! parameters. Templates reach it through the `image()` function; Markdown images too.

use std::fmt::Write;
use std::sync::Arc;

use html_escape::encode_double_quoted_attribute as attr;

use super::views::Urls;
use crate::config::ImageProcessor;
use crate::images::{Format, Images, Picture, oss};

/// How one photo is shown.
#[derive(Debug, Clone, Default)]
pub struct Show<'a> {
    pub preset: &'a str,
    pub alt: &'a str,
    pub class: Option<&'a str>,
    /// Load at once (the first screen) rather than lazily.
    pub eager: bool,
    /// `fetchpriority="high"`: the largest photo of the first screen.
    pub high: bool,
}

fn srcset(urls: Vec<(String, u32)>) -> String {
    urls.iter()
        .map(|(u, w)| format!("{u} {w}w"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn img_attrs(
    out: &mut String,
    show: &Show,
    width: u32,
    height: u32,
    color: Option<[u8; 3]>,
    alt: &str,
) {
    let _ = write!(
        out,
        " width=\"{width}\" height=\"{height}\" alt=\"{}\"",
        attr(alt)
    );
    if let Some(c) = show.class {
        let _ = write!(out, " class=\"{}\"", attr(c));
    }
    if show.eager {
        if show.high {
            out.push_str(" fetchpriority=\"high\"");
        }
    } else {
        out.push_str(" loading=\"lazy\"");
    }
    out.push_str(" decoding=\"async\"");
    if let Some([r, g, b]) = color {
        let _ = write!(out, " style=\"background-color:#{r:02x}{g:02x}{b:02x}\"");
    }
}

/// The `src` of the fallback: the narrowest at least 750 wide, or the widest there is.
fn pick(set: &[(String, u32)]) -> &str {
    set.iter()
        .find(|(_, w)| *w >= 750)
        .or(set.last())
        .map_or("", |(u, _)| u.as_str())
}

/// The markup of `pic` shown as `show`.
pub fn picture(images: &Images, urls: &Urls, pic: &Picture, show: &Show) -> String {
    let sizes = images
        .presets
        .get(show.preset)
        .map_or("100vw", |p| p.sizes.as_str());
    let mut out = String::with_capacity(600);
    if pic.original {
        let _ = write!(out, "<img src=\"{}\"", attr(&urls.url(&pic.rel)));
        img_attrs(&mut out, show, pic.width, pic.height, pic.color, show.alt);
        out.push('>');
        return out;
    }
    let oss = images.processor == ImageProcessor::Oss;
    let fallback = if oss {
        if pic.alpha { Format::Png } else { Format::Jpeg }
    } else {
        pic.fallback()
    };
    let tall = pic.segments > 1;
    if tall {
        out.push_str("<span class=\"img-tall\">");
    }
    // Each use lists only the widths it needs: for each of its preset's widths, the narrowest
    // variant at least that wide (the widest there is, past the photo's own width).
    let used = used_widths(
        &pic.widths,
        images
            .presets
            .get(show.preset)
            .map_or(&[][..], |p| &p.widths),
    );
    for seg in 0..pic.segments {
        let set = |f: Format| -> Vec<(String, u32)> {
            if oss {
                let q = if f == Format::Jpeg {
                    images.jpeg_quality
                } else {
                    images.quality
                };
                let base = urls.url(&pic.rel);
                used.iter()
                    .map(|&w| (oss::url(&base, w, f, q), w))
                    .collect()
            } else {
                pic.set(f, seg)
                    .filter(|v| used.contains(&v.width))
                    .map(|v| (urls.url(&v.rel), v.width))
                    .collect()
            }
        };
        let (avif, webp, fb) = (set(Format::Avif), set(Format::Webp), set(fallback));
        let (w, h) = if oss {
            (pic.width, pic.height)
        } else {
            pic.set(fallback, seg)
                .last()
                .map_or((pic.width, pic.height), |v| (v.width, v.height))
        };
        let alt = if seg == 0 { show.alt } else { "" };
        out.push_str("<picture>");
        if !avif.is_empty() && !oss {
            let _ = write!(
                out,
                "<source type=\"image/avif\" srcset=\"{}\" sizes=\"{}\">",
                attr(&srcset(avif)),
                attr(sizes)
            );
        }
        let _ = write!(
            out,
            "<source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\"><img src=\"{}\" srcset=\"{}\" sizes=\"{}\"",
            attr(&srcset(webp)),
            attr(sizes),
            attr(pick(&fb)),
            attr(&srcset(fb.clone())),
            attr(sizes),
        );
        let seg_show = Show {
            eager: show.eager && seg == 0,
            high: show.high && seg == 0,
            ..show.clone()
        };
        // A placeholder colour would show through transparency.
        let color = pic.color.filter(|_| !pic.alpha);
        img_attrs(&mut out, &seg_show, w, h, color, alt);
        out.push_str("></picture>");
    }
    if tall {
        out.push_str("</span>");
    }
    out
}

/// The widths of `available` a use with preset widths `wanted` lists (all of them when the
/// preset is unknown).
pub fn used_widths(available: &[u32], wanted: &[u32]) -> Vec<u32> {
    if wanted.is_empty() {
        return available.to_vec();
    }
    let mut out: Vec<u32> = wanted
        .iter()
        .filter_map(|&w| {
            available
                .iter()
                .copied()
                .find(|&a| a >= w)
                .or_else(|| available.last().copied())
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The one file that stands for `pic` where a single URL is wanted (a share card,
/// `og:image`): its JPEG (or PNG) about 1200 wide, with its size.
pub fn representative(images: &Images, urls: &Urls, pic: &Picture) -> (String, u32, u32) {
    if pic.original {
        return (urls.url(&pic.rel), pic.width, pic.height);
    }
    if images.processor == ImageProcessor::Oss {
        let w = pic.width.min(1200);
        let h = (u64::from(pic.height) * u64::from(w) / u64::from(pic.width.max(1))) as u32;
        let f = if pic.alpha { Format::Png } else { Format::Jpeg };
        return (
            oss::url(&urls.url(&pic.rel), w, f, images.jpeg_quality),
            w,
            h,
        );
    }
    let set: Vec<_> = pic.set(pic.fallback(), 0).collect();
    match set.iter().find(|v| v.width >= 1080).or(set.last()) {
        Some(v) => (urls.url(&v.rel), v.width, v.height),
        None => (urls.url(&pic.rel), pic.width, pic.height),
    }
}

/// The URL of `pic` at `width` or the next wider (the widest there is otherwise), in its
/// fallback format (JPEG, or PNG for transparency), which every browser shows.
pub fn sized(images: &Images, urls: &Urls, pic: &Picture, width: u32) -> String {
    if pic.original {
        return urls.url(&pic.rel);
    }
    if images.processor == ImageProcessor::Oss {
        let f = if pic.alpha { Format::Png } else { Format::Jpeg };
        return oss::url(
            &urls.url(&pic.rel),
            pic.width.min(width),
            f,
            images.jpeg_quality,
        );
    }
    let set: Vec<_> = pic.set(pic.fallback(), 0).collect();
    match set.iter().find(|v| v.width >= width).or(set.last()) {
        Some(v) => urls.url(&v.rel),
        None => urls.url(&pic.rel),
    }
}

/// The arguments of `image()`; `null` is as good as left out.
#[derive(serde::Deserialize)]
struct Args {
    path: Option<String>,
    preset: Option<String>,
    alt: Option<String>,
    class: Option<String>,
    #[serde(default)]
    eager: bool,
    #[serde(default)]
    high: bool,
    width: Option<u32>,
    height: Option<u32>,
}

/// `image(path=…, preset=…, alt=…, class=…, eager=…)` for templates: the markup of the photo
/// at `path` (below `static/`, or its URL); a plain `<img>` for SVG and other files.
pub fn register(tera: &mut tera::Tera, images: Arc<Images>, urls: Arc<Urls>) {
    tera.register_function(
        "image",
        move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
            let a: Args = kwargs.deserialize()?;
            let Some(path) = a.path.filter(|p| !p.is_empty()) else {
                return Ok(tera::Value::safe_string(""));
            };
            let (preset, alt) = (
                a.preset.unwrap_or_else(|| "gallery".into()),
                a.alt.unwrap_or_default(),
            );
            let (class, eager, high, width, height) = (a.class, a.eager, a.high, a.width, a.height);
            let show = Show {
                preset: &preset,
                alt: &alt,
                class: class.as_deref(),
                eager,
                high,
            };
            let rel = static_rel(&path, &urls.base_path);
            let html = match images.find(&rel) {
                Some(pic) => picture(&images, &urls, pic, &show),
                None => {
                    let src = if path.contains("://") || path.starts_with('/') {
                        path.clone()
                    } else {
                        urls.url(&rel)
                    };
                    let mut out = format!("<img src=\"{}\"", attr(&src));
                    match (width, height) {
                        (Some(w), Some(h)) => img_attrs(&mut out, &show, w, h, None, &alt),
                        _ => {
                            let _ = write!(out, " alt=\"{}\"", attr(&alt));
                            if let Some(c) = &show.class {
                                let _ = write!(out, " class=\"{}\"", attr(c));
                            }
                            if !eager {
                                out.push_str(" loading=\"lazy\"");
                            }
                        }
                    }
                    out.push('>');
                    out
                }
            };
            Ok(tera::Value::safe_string(&html))
        },
    );
}

/// The path below `static/` of `path`, given as such or as a URL under `base_path`.
pub fn static_rel(path: &str, base_path: &str) -> String {
    let p = path.strip_prefix(base_path).unwrap_or(path);
    let p = p.trim_start_matches('/');
    let p = p.split(['?', '#']).next().unwrap_or(p);
    percent_encoding::percent_decode_str(p)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::used_widths;

    #[test]
    fn a_use_lists_the_widths_it_needs() {
        let all = [120, 240, 375, 480, 750, 1125, 1500];
        assert_eq!(used_widths(&all, &[120, 240]), vec![120, 240]);
        assert_eq!(used_widths(&all, &[240, 480, 720]), vec![240, 480, 750]);
        assert_eq!(
            used_widths(&all, &[375, 750, 1125, 1500]),
            vec![375, 750, 1125, 1500]
        );
        assert_eq!(used_widths(&[120, 240, 800], &[375, 750, 1125]), vec![800]);
        assert_eq!(used_widths(&all, &[]), all.to_vec());
    }
}
