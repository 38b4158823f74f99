//! Pixels in and out: what a source file is (format, oriented size, alpha, animation) read
//! from its headers; decoding with the EXIF orientation applied and the ICC profile converted
//! to sRGB; resizing (fast_image_resize, Lanczos3); encoding lossy WebP (libwebp), progressive
//! JPEG with optimised Huffman tables, or PNG. Encoders are given bare pixels, so no EXIF, GPS,
//! maker note or XMP of the source can reach a published file.

use std::io::Cursor;

use fast_image_resize as fir;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, metadata::Orientation};

/// What the headers of a source file say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Header {
    pub format: Kind,
    /// Size as shown, after the EXIF orientation.
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    /// An animated GIF or WebP: published as it is.
    pub animated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
    Gif,
}

/// Why a file cannot be used, in words for the shop owner.
pub type Problem = String;

const EXPORT: &str = "export it as JPEG (photos) or PNG (graphics with transparency)";

/// The format of `bytes` from its first bytes, or what to do instead.
pub fn sniff(bytes: &[u8]) -> Result<Kind, Problem> {
    if bytes.is_empty() {
        return Err("the file is empty (0 bytes)".into());
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = String::from_utf8_lossy(&bytes[8..12]).to_string();
        return Err(match brand.as_str() {
            "heic" | "heix" | "heim" | "heis" | "mif1" | "msf1" | "hevc" => format!(
                "this is a HEIC photo (iPhone), which browsers cannot show: {EXPORT} \
                 (on the iPhone: Settings → Camera → Formats → Most Compatible)"
            ),
            "avif" | "avis" => format!("AVIF sources are not supported: {EXPORT} or WebP"),
            _ => format!("this is a video or ISO media file (`{brand}`), not a photo: {EXPORT}"),
        });
    }
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(Kind::Jpeg),
        Ok(ImageFormat::Png) => Ok(Kind::Png),
        Ok(ImageFormat::WebP) => Ok(Kind::Webp),
        Ok(ImageFormat::Gif) => Ok(Kind::Gif),
        Ok(other) => Err(format!(
            "{} images are not published as photos: {EXPORT}",
            other
                .extensions_str()
                .first()
                .unwrap_or(&"this")
                .to_uppercase()
        )),
        Err(_) => Err(format!("this is not an image shopgen can read: {EXPORT}")),
    }
}

fn format_of(kind: Kind) -> ImageFormat {
    match kind {
        Kind::Jpeg => ImageFormat::Jpeg,
        Kind::Png => ImageFormat::Png,
        Kind::Webp => ImageFormat::WebP,
        Kind::Gif => ImageFormat::Gif,
    }
}

fn reader(bytes: &[u8], kind: Kind, max_pixels: u64) -> ImageReader<Cursor<&[u8]>> {
    let mut r = ImageReader::with_format(Cursor::new(bytes), format_of(kind));
    let mut limits = image::Limits::default();
    // Room for the decoded pixels of the largest photo allowed (RGBA, 16 bits), no more.
    limits.max_alloc = Some(max_pixels.saturating_mul(8).max(64 << 20));
    r.limits(limits);
    r
}

fn swaps_sides(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

fn animated(bytes: &[u8], kind: Kind) -> bool {
    use image::AnimationDecoder;
    match kind {
        Kind::Gif => image::codecs::gif::GifDecoder::new(Cursor::new(bytes))
            .map(|d| d.into_frames().take(2).count() > 1)
            .unwrap_or(false),
        Kind::Webp => image::codecs::webp::WebPDecoder::new(Cursor::new(bytes))
            .map(|d| d.has_animation())
            .unwrap_or(false),
        _ => false,
    }
}

/// Read the headers of `bytes` (nothing is decoded): the format, the oriented size, alpha,
/// animation. A photo over `max_pixels` is refused here, before any pixel is decoded.
pub fn header(bytes: &[u8], max_pixels: u64) -> Result<Header, Problem> {
    let kind = sniff(bytes)?;
    // The size alone, from the first bytes: a decompression bomb is refused before a decoder
    // even starts.
    if let Ok(s) = imagesize::blob_size(bytes) {
        too_many(s.width as u64, s.height as u64, max_pixels)?;
    }
    let mut decoder = reader(bytes, kind, max_pixels)
        .into_decoder()
        .map_err(|e| describe(&e))?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err("the image has no pixels (0 wide or high)".into());
    }
    too_many(u64::from(w), u64::from(h), max_pixels)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let alpha = decoder.color_type().has_alpha();
    let (width, height) = if swaps_sides(orientation) {
        (h, w)
    } else {
        (w, h)
    };
    Ok(Header {
        format: kind,
        width,
        height,
        alpha,
        animated: animated(bytes, kind),
    })
}

fn too_many(w: u64, h: u64, max_pixels: u64) -> Result<(), Problem> {
    let pixels = w.saturating_mul(h);
    if pixels > max_pixels {
        return Err(format!(
            "{w}×{h} is {:.0} megapixels, more than the {:.0} allowed (`images.max_pixels`); \
             a file this large is refused before decoding",
            pixels as f64 / 1e6,
            max_pixels as f64 / 1e6
        ));
    }
    Ok(())
}

fn describe(e: &image::ImageError) -> Problem {
    use image::ImageError as E;
    match e {
        E::Limits(_) => "the image is too large to decode safely".into(),
        E::Decoding(d) => format!("the file is damaged or truncated ({d})"),
        E::Unsupported(u) => format!("this kind of image is not supported ({u}): {EXPORT}"),
        other => format!("the image could not be read ({other})"),
    }
}

/// Decoded, upright, sRGB pixels: RGB, or RGBA when the source has alpha.
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub alpha: bool,
    pub data: Vec<u8>,
}

/// Decode `bytes`: orientation applied, colours converted to sRGB from an embedded ICC
/// profile (Display P3, Adobe RGB…), 16-bit and CMYK sources brought to 8-bit RGB(A).
pub fn decode(bytes: &[u8], max_pixels: u64) -> Result<Pixels, Problem> {
    let kind = sniff(bytes)?;
    let mut decoder = reader(bytes, kind, max_pixels)
        .into_decoder()
        .map_err(|e| describe(&e))?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > max_pixels {
        return Err("the image has more pixels than `images.max_pixels` allows".into());
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let alpha = decoder.color_type().has_alpha();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| describe(&e))?;
    img.apply_orientation(orientation);
    let (width, height) = (img.width(), img.height());
    let mut data = if alpha {
        img.into_rgba8().into_raw()
    } else {
        img.into_rgb8().into_raw()
    };
    if let Some(icc) = icc {
        to_srgb(&icc, &mut data, alpha);
    }
    Ok(Pixels {
        width,
        height,
        alpha,
        data,
    })
}

/// Convert RGB(A) pixels from the colour space of `icc` to sRGB in place. A profile that is
/// not an RGB one (a CMYK JPEG's, already converted by the decoder) or that cannot be read is
/// left alone; so is sRGB itself.
fn to_srgb(icc: &[u8], data: &mut [u8], alpha: bool) {
    use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};
    let Ok(src) = ColorProfile::new_from_slice(icc) else {
        return;
    };
    if src.color_space != DataColorSpace::Rgb {
        return;
    }
    let dst = ColorProfile::new_srgb();
    if src.red_colorant == dst.red_colorant
        && src.green_colorant == dst.green_colorant
        && src.blue_colorant == dst.blue_colorant
        && src.red_trc == dst.red_trc
    {
        return;
    }
    let layout = if alpha { Layout::Rgba } else { Layout::Rgb };
    let Ok(t) = src.create_transform_8bit(layout, &dst, layout, TransformOptions::default()) else {
        return;
    };
    let input = data.to_vec();
    let _ = t.transform(&input, data);
}

/// Resize rows `top..top + rows` of `src` to `width` × `height`.
pub fn resize(
    src: &Pixels,
    top: u32,
    rows: u32,
    width: u32,
    height: u32,
) -> Result<Vec<u8>, Problem> {
    let pt = if src.alpha {
        fir::PixelType::U8x4
    } else {
        fir::PixelType::U8x3
    };
    let view = fir::images::ImageRef::new(src.width, src.height, &src.data, pt)
        .map_err(|e| format!("resizing failed ({e})"))?;
    let mut dst = fir::images::Image::new(width, height, pt);
    let opts = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3))
        .crop(0.0, f64::from(top), f64::from(src.width), f64::from(rows));
    fir::Resizer::new()
        .resize(&view, &mut dst, &opts)
        .map_err(|e| format!("resizing failed ({e})"))?;
    Ok(dst.into_vec())
}

/// Lossy WebP (with alpha when `alpha`).
pub fn webp(data: &[u8], width: u32, height: u32, alpha: bool, quality: u8) -> Vec<u8> {
    let enc = if alpha {
        webp::Encoder::from_rgba(data, width, height)
    } else {
        webp::Encoder::from_rgb(data, width, height)
    };
    enc.encode(f32::from(quality)).to_vec()
}

/// AVIF (rav1e through ravif), with alpha when `alpha`.
pub fn avif(
    data: &[u8],
    width: u32,
    height: u32,
    alpha: bool,
    quality: u8,
    speed: u8,
) -> Result<Vec<u8>, Problem> {
    let enc = ravif::Encoder::new()
        .with_quality(f32::from(quality))
        .with_alpha_quality(f32::from(quality))
        .with_speed(speed)
        .with_num_threads(Some(1));
    let (w, h) = (width as usize, height as usize);
    let out = if alpha {
        let px: Vec<ravif::RGBA8> = data
            .chunks_exact(4)
            .map(|c| ravif::RGBA8::new(c[0], c[1], c[2], c[3]))
            .collect();
        enc.encode_rgba(ravif::Img::new(&px[..], w, h))
    } else {
        let px: Vec<ravif::RGB8> = data
            .chunks_exact(3)
            .map(|c| ravif::RGB8::new(c[0], c[1], c[2]))
            .collect();
        enc.encode_rgb(ravif::Img::new(&px[..], w, h))
    };
    out.map(|e| e.avif_file)
        .map_err(|e| format!("AVIF encoding failed ({e})"))
}

/// Progressive JPEG with optimised Huffman tables (RGB only).
pub fn jpeg(data: &[u8], width: u32, height: u32, quality: u8) -> Result<Vec<u8>, Problem> {
    let (w, h) = (
        u16::try_from(width).map_err(|_| "too wide for JPEG")?,
        u16::try_from(height).map_err(|_| "too high for JPEG")?,
    );
    let mut out = Vec::with_capacity(data.len() / 10);
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality);
    enc.set_progressive(true);
    enc.set_optimized_huffman_tables(true);
    enc.encode(data, w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| format!("JPEG encoding failed ({e})"))?;
    Ok(out)
}

/// PNG, RGBA, best compression.
pub fn png(data: &[u8], width: u32, height: u32) -> Result<Vec<u8>, Problem> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Best, FilterType::Adaptive)
        .write_image(data, width, height, image::ExtendedColorType::Rgba8)
        .map_err(|e| format!("PNG encoding failed ({e})"))?;
    Ok(out)
}

/// The mean colour of the pixels (a placeholder shown while the photo loads).
pub fn mean_color(p: &Pixels) -> [u8; 3] {
    let step = if p.alpha { 4 } else { 3 };
    let (mut r, mut g, mut b, mut n) = (0u64, 0u64, 0u64, 0u64);
    // Every 7th pixel is plenty for a mean.
    for px in p.data.chunks_exact(step).step_by(7) {
        r += u64::from(px[0]);
        g += u64::from(px[1]);
        b += u64::from(px[2]);
        n += 1;
    }
    let n = n.max(1);
    [(r / n) as u8, (g / n) as u8, (b / n) as u8]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_of(w: u32, h: u32) -> Vec<u8> {
        let px: Vec<u8> = (0..w * h).flat_map(|i| [(i % 251) as u8, 90, 40]).collect();
        jpeg(&px, w, h, 80).unwrap()
    }

    #[test]
    fn formats_are_told_apart() {
        assert_eq!(sniff(&jpeg_of(8, 8)), Ok(Kind::Jpeg));
        assert!(sniff(b"").unwrap_err().contains("empty"));
        let heic = [&[0, 0, 0, 24][..], b"ftypheic", &[0; 16]].concat();
        assert!(
            sniff(&heic).unwrap_err().contains("HEIC"),
            "{:?}",
            sniff(&heic)
        );
        assert!(sniff(b"BM\x00\x00 not a bmp really").is_err());
        assert!(sniff(b"hello world").unwrap_err().contains("not an image"));
    }

    #[test]
    fn header_then_decode_then_encode() {
        let j = jpeg_of(40, 30);
        let h = header(&j, 100_000_000).unwrap();
        assert_eq!(
            (h.width, h.height, h.alpha, h.animated),
            (40, 30, false, false)
        );
        assert!(header(&j, 1000).unwrap_err().contains("megapixels"));
        let p = decode(&j, 100_000_000).unwrap();
        assert_eq!((p.width, p.height, p.data.len()), (40, 30, 40 * 30 * 3));
        let small = resize(&p, 0, 30, 20, 15).unwrap();
        assert_eq!(small.len(), 20 * 15 * 3);
        let w = webp(&small, 20, 15, false, 80);
        assert_eq!(&w[..4], b"RIFF");
        let top = resize(&p, 0, 15, 20, 8).unwrap();
        assert_eq!(top.len(), 20 * 8 * 3);
        // Truncated: a clear error, no panic.
        assert!(
            decode(&j[..j.len() / 2], 100_000_000).is_err() || header(&j[..20], 1 << 30).is_err()
        );
    }
}
