//! Reading a file of the site: only regular files, and never more than a limit, so that a FIFO,
//! a socket, a device or `/dev/zero` in place of a file fails at once instead of hanging the
//! build or filling the memory.

use std::fs::FileType;
use std::io::Read;
use std::path::Path;

use crate::util::diag::Diagnostic;

/// The most shopgen reads of a text file: `shop.yaml`, a product, a page, a template, a
/// stylesheet, a UI-strings file.
pub const TEXT_LIMIT: u64 = 10 * 1024 * 1024;
/// The most shopgen reads of any other file (a photo, a script, a file of `public/`).
pub const FILE_LIMIT: u64 = 512 * 1024 * 1024;

/// What kind of file system entry `t` is, for messages.
pub fn kind(t: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_file() {
        "a file"
    } else {
        "not a regular file"
    }
}

fn not_regular(path: &Path, t: FileType) -> Diagnostic {
    Diagnostic::new(path, format!("is {}, not a regular file", kind(t)))
        .hint("put a plain file here; shopgen never reads FIFOs, sockets or devices")
}

fn too_large(path: &Path, limit: u64) -> Diagnostic {
    Diagnostic::new(
        path,
        format!(
            "is larger than {} MB, the most shopgen reads of such a file",
            limit / (1024 * 1024)
        ),
    )
    .hint("is this the right file? a shop's texts are far smaller")
}

/// The bytes of the regular file at `path` (a symbolic link is followed: the walker has
/// checked that it stays inside the site), at most `limit` of them.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| Diagnostic::io(path, "read", &e))?;
    if !meta.is_file() {
        return Err(not_regular(path, meta.file_type()));
    }
    if meta.len() > limit {
        return Err(too_large(path, limit));
    }
    let file = std::fs::File::open(path).map_err(|e| Diagnostic::io(path, "read", &e))?;
    // It may have been swapped for something else since it was looked at.
    let meta = file
        .metadata()
        .map_err(|e| Diagnostic::io(path, "read", &e))?;
    if !meta.is_file() {
        return Err(not_regular(path, meta.file_type()));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Diagnostic::io(path, "read", &e))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(path, limit));
    }
    Ok(bytes)
}

/// The text of the regular file at `path` (UTF-8, at most [`TEXT_LIMIT`] bytes).
pub fn read_text(path: &Path) -> Result<String, Diagnostic> {
    let bytes = read(path, TEXT_LIMIT)?;
    String::from_utf8(bytes).map_err(|e| {
        Diagnostic::new(
            path,
            format!(
                "the file is not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
        .hint("save the file as UTF-8")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_within_the_limit() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("a.txt");
        std::fs::write(&f, "植鞣").unwrap();
        assert_eq!(read_text(&f).unwrap(), "植鞣");
        assert!(read(&f, 3).unwrap_err().message.contains("larger than"));
        std::fs::write(&f, [0xff, 0xfe]).unwrap();
        assert!(read_text(&f).unwrap_err().message.contains("not UTF-8"));
        assert!(
            read(tmp.path(), 10)
                .unwrap_err()
                .message
                .contains("a folder")
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_fail_at_once() {
        let e = read(Path::new("/dev/zero"), TEXT_LIMIT).unwrap_err();
        assert!(e.message.contains("a device"), "{e}");
        let tmp = tempfile::tempdir().unwrap();
        let link = tmp.path().join("shop.yaml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(read_text(&link).unwrap_err().message.contains("a device"));
    }
}
