//! QR codes as inline SVG, made at build time (never by a QR image service on the web).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An inline `<svg>` QR code for `data`, drawn in `dark` on white, `size` px wide.
/// One SVG unit is one module, so the markup stays small.
pub fn svg(data: &str, dark: &str, size: u32, label: &str) -> Result<String, String> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)
        .map_err(|e| format!("cannot make a QR code of `{data}`: {e}"))?;
    let raw = code
        .render::<svg::Color>()
        .quiet_zone(true)
        .module_dimensions(1, 1)
        .dark_color(svg::Color(dark))
        .light_color(svg::Color("#ffffff"))
        .build();
    let body = raw.split_once("?>").map_or(raw.as_str(), |(_, b)| b);
    // <svg … width="N" height="N" viewBox="0 0 N N" …>: show it at `size` px, labelled.
    let Some(open_end) = body.find('>') else {
        return Err("unexpected QR renderer output".into());
    };
    let (open, rest) = body.split_at(open_end);
    let mut attrs = String::new();
    for part in open.trim_start_matches("<svg").split_whitespace() {
        if part.starts_with("width=") || part.starts_with("height=") || part.starts_with("version=")
        {
            continue;
        }
        attrs.push(' ');
        attrs.push_str(part);
    }
    let label = label
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    Ok(format!(
        "<svg{attrs} width=\"{size}\" height=\"{size}\" role=\"img\" aria-label=\"{label}\" class=\"qr\"{rest}"
    ))
}

/// WCAG contrast ratio of a `#rrggbb` colour against white.
pub fn contrast_on_white(hex: &str) -> Option<f64> {
    let h = hex.strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let channel = |i: usize| -> Option<f64> {
        let v = f64::from(u8::from_str_radix(h.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        })
    };
    let l = 0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?;
    Some(1.05 / (l + 0.05))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_svg_markup() {
        // Decoding the codes back to text is tested end to end in tests/buying.rs.
        let s = svg("wxp://f2f0AbCdEf123456", "#3b2a20", 160, "扫码").unwrap();
        assert!(s.starts_with("<svg") && !s.contains("<?xml"), "{s}");
        assert!(s.contains("width=\"160\"") && s.contains("aria-label=\"扫码\""));
        assert!(s.contains("fill=\"#3b2a20\"") && s.ends_with("</svg>"));
    }

    #[test]
    fn contrast() {
        assert!(contrast_on_white("#000000").unwrap() > 20.0);
        assert!(contrast_on_white("#3b2a20").unwrap() > 7.0);
        assert!(contrast_on_white("#ffff00").unwrap() < 2.0);
        assert_eq!(contrast_on_white("red"), None);
    }
}
