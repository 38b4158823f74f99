//! Photos made by the tests: gradients with texture and noise (so they compress like
//! photographs), JPEGs with the EXIF a phone writes (orientation, GPS, a description) and an
//! XMP block, PNGs with transparency.
#![allow(dead_code)]

/// A private string written into the EXIF and XMP of test photos: it must never be published.
pub const SECRET: &str = "GPS-31.2304N-121.4737E-Xuhui";

/// Deterministic noise.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u8 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 56) as u8
    }
}

/// RGB pixels: a warm gradient, a darker band at the top (to tell up from down) and noise.
pub fn pixels(w: u32, h: u32, seed: u64) -> Vec<u8> {
    let mut rng = Lcg(seed);
    let mut px = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let n = i32::from(rng.next() % 24) - 12;
            let top = if y < h / 10 { -90 } else { 0 };
            let r = 150 + (x * 80 / w) as i32 + n + top;
            let g = 90 + (y * 60 / h) as i32 + n / 2 + top;
            let b = 50 + n + top / 2;
            px.extend([r, g, b].map(|v| v.clamp(0, 255) as u8));
        }
    }
    px
}

/// A TIFF (little-endian) EXIF block: orientation, a description and a GPS IFD.
fn exif(orientation: u16) -> Vec<u8> {
    let desc = format!("{SECRET}\0");
    let mut b = Vec::new();
    b.extend_from_slice(b"II*\0");
    b.extend_from_slice(&8u32.to_le_bytes());
    // IFD0 at 8: 3 entries (2 + 3×12 + 4 = 42 bytes), data after it at 50.
    let desc_at = 8 + 42;
    let gps_at = desc_at + desc.len() as u32;
    b.extend_from_slice(&3u16.to_le_bytes());
    let entry = |b: &mut Vec<u8>, tag: u16, typ: u16, count: u32, value: u32| {
        b.extend_from_slice(&tag.to_le_bytes());
        b.extend_from_slice(&typ.to_le_bytes());
        b.extend_from_slice(&count.to_le_bytes());
        b.extend_from_slice(&value.to_le_bytes());
    };
    entry(&mut b, 0x010E, 2, desc.len() as u32, desc_at);
    entry(&mut b, 0x0112, 3, 1, u32::from(orientation));
    entry(&mut b, 0x8825, 4, 1, gps_at);
    b.extend_from_slice(&0u32.to_le_bytes());
    b.extend_from_slice(desc.as_bytes());
    // GPS IFD: GPSLatitudeRef "N".
    b.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut b, 0x0001, 2, 2, u32::from_le_bytes(*b"N\0\0\0"));
    b.extend_from_slice(&0u32.to_le_bytes());
    b
}

/// A camera JPEG of `w`×`h` stored pixels with EXIF `orientation` (6: shown turned 90°
/// clockwise, so portrait), GPS and XMP.
pub fn camera_jpeg(w: u32, h: u32, orientation: u16, seed: u64) -> Vec<u8> {
    let px = pixels(w, h, seed);
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 90);
    enc.add_exif_metadata(&exif(orientation)).unwrap();
    let mut xmp = b"http://ns.adobe.com/xap/1.0/\0".to_vec();
    xmp.extend_from_slice(
        format!("<x:xmpmeta><exif:GPS>{SECRET}</exif:GPS></x:xmpmeta>").as_bytes(),
    );
    enc.add_app_segment(1, xmp).unwrap();
    enc.encode(&px, w as u16, h as u16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    out
}

/// A PNG with transparency (a round badge on nothing), with a text chunk.
pub fn alpha_png(w: u32, h: u32) -> Vec<u8> {
    let mut img = image::RgbaImage::new(w, h);
    for (x, y, p) in img.enumerate_pixels_mut() {
        let (dx, dy) = (x as i64 - w as i64 / 2, y as i64 - h as i64 / 2);
        let inside = dx * dx + dy * dy < (w as i64 / 2 - 4).pow(2);
        *p = if inside {
            image::Rgba([180, 40, 30, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}
