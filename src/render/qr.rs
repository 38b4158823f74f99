//! QR codes as inline SVG, made at build time (never by a QR image service on the web).

use std::fmt::Write as _;

use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel, QrCode};

/// How to pick the QR mask pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mask {
    /// Score all eight patterns and keep the best (ISO 18004): for the few payment codes.
    Best,
    /// One fixed pattern: every reader decodes any mask, and scoring eight of them is most of
    /// the cost of a code, which matters for a share code on each of 10,000 pages.
    Fixed,
}

/// Dark modules of the code for `data` and its width in modules (no quiet zone).
fn modules(data: &str, mask: Mask) -> Result<(usize, Vec<bool>), String> {
    let fail = |e: qrcode::types::QrError| format!("cannot make a QR code of `{data}`: {e}");
    let ec = EcLevel::M;
    let colors = match mask {
        Mask::Best => QrCode::with_error_correction_level(data.as_bytes(), ec)
            .map_err(fail)?
            .into_colors(),
        Mask::Fixed => {
            let bits = qrcode::bits::encode_auto(data.as_bytes(), ec).map_err(fail)?;
            let version = bits.version();
            let (body, ecc) =
                qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec).map_err(fail)?;
            let mut canvas = Canvas::new(version, ec);
            canvas.draw_all_functional_patterns();
            canvas.draw_data(&body, &ecc);
            canvas.apply_mask(MaskPattern::Checkerboard);
            canvas.into_colors()
        }
    };
    let width = (colors.len() as f64).sqrt() as usize;
    Ok((
        width,
        colors.into_iter().map(|c| c == Color::Dark).collect(),
    ))
}

/// An `<svg>` QR code for `data`, drawn in `dark` on white, `size` px wide, with the
/// four-module quiet zone. One SVG unit is one module and each row is drawn as runs, so the
/// markup stays small.
pub fn svg(data: &str, dark: &str, size: u32, label: &str, mask: Mask) -> Result<String, String> {
    let (w, dark_modules) = modules(data, mask)?;
    let quiet = 4;
    let full = w + 2 * quiet;
    let label = html_escape::encode_double_quoted_attribute(label);
    let mut s = String::with_capacity(w * w / 2 + 300);
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {full} {full}\" width=\"{size}\" height=\"{size}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"{label}\" class=\"qr\">\
         <rect width=\"{full}\" height=\"{full}\" fill=\"#fff\"/><path fill=\"{dark}\" d=\""
    );
    for y in 0..w {
        let row = &dark_modules[y * w..(y + 1) * w];
        let mut x = 0;
        while x < w {
            if row[x] {
                let start = x;
                while x < w && row[x] {
                    x += 1;
                }
                // `M{x} {y}h{n}v1h-{n}z`, without the formatting machinery: a page's share
                // code has a few hundred runs and every product page draws one.
                let n = x - start;
                s.push('M');
                push_number(&mut s, start + quiet);
                s.push(' ');
                push_number(&mut s, y + quiet);
                s.push('h');
                push_number(&mut s, n);
                s.push_str("v1h-");
                push_number(&mut s, n);
                s.push('z');
            } else {
                x += 1;
            }
        }
    }
    s.push_str("\"/></svg>");
    Ok(s)
}

/// Append `n` in decimal.
fn push_number(s: &mut String, n: usize) {
    if n >= 10 {
        push_number(s, n / 10);
    }
    s.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_decimal() {
        for n in [0, 7, 10, 99, 100, 185, 1234] {
            let mut s = String::new();
            push_number(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn inline_svg_markup() {
        // Decoding the codes back to text is tested end to end in tests/buying.rs.
        let s = svg("wxp://f2f0AbCdEf123456", "#3b2a20", 160, "扫码", Mask::Best).unwrap();
        assert!(s.starts_with("<svg") && !s.contains("<?xml"), "{s}");
        assert!(s.contains("width=\"160\"") && s.contains("aria-label=\"扫码\""));
        assert!(s.contains("fill=\"#3b2a20\"") && s.ends_with("</svg>"));
    }

    #[test]
    fn contrast() {}
}
