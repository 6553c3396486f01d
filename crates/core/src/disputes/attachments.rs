//! Files attached to a dispute's evidence. Staff choose a file; core decides whether it is
//! kept: it must be non-empty and under the size cap, its name a plain file name (no folder,
//! no path separator), and its type, found from the first bytes of its content, one the desk
//! accepts and the one its name claims, so an executable renamed `.pdf` is refused. A kept
//! file is hashed (SHA-256 of the plain bytes), sealed under the data key and listed with who
//! added it; its name, type, size and hash go to the core as evidence text. A refusal writes
//! nothing but its audit record: no row, no file, nothing to clean up.

use super::desk::EvidenceKind;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

/// 10 MiB: a phone photo or a scanned statement fits; a video does not belong in a case file.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_NAME_CHARS: usize = 120;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentInput {
    pub dispute_id: i64,
    pub kind: EvidenceKind,
    pub description: String,
    /// The name of the file as staff chose it (its last component only).
    pub file_name: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentRow {
    pub id: i64,
    pub evidence_id: i64,
    pub file_name: String,
    pub media_type: String,
    #[ts(type = "number")]
    pub size_bytes: i64,
    pub sha256: String,
    pub added_by: String,
    pub added_at: String,
}

/// The types the desk keeps, each with the name endings that may claim it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    Pdf,
    Png,
    Jpeg,
    Webp,
}

impl MediaType {
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Webp => "image/webp",
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            MediaType::Pdf => &["pdf"],
            MediaType::Png => &["png"],
            MediaType::Jpeg => &["jpg", "jpeg"],
            MediaType::Webp => &["webp"],
        }
    }
}

/// What the content's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Accepted(MediaType),
    /// A program: Windows PE, ELF, Mach-O, a script with `#!`. Never kept, whatever its name.
    Executable,
    Unknown,
}

/// Reads the magic bytes (the signatures the formats' specifications fix).
pub fn sniff(bytes: &[u8]) -> Sniffed {
    let starts = |sig: &[u8]| bytes.starts_with(sig);
    if starts(b"MZ")
        || starts(b"\x7fELF")
        || starts(b"#!")
        || starts(&[0xfe, 0xed, 0xfa, 0xce])
        || starts(&[0xfe, 0xed, 0xfa, 0xcf])
        || starts(&[0xce, 0xfa, 0xed, 0xfe])
        || starts(&[0xcf, 0xfa, 0xed, 0xfe])
        || starts(&[0xca, 0xfe, 0xba, 0xbe])
    {
        return Sniffed::Executable;
    }
    if starts(b"%PDF-") {
        Sniffed::Accepted(MediaType::Pdf)
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        Sniffed::Accepted(MediaType::Png)
    } else if starts(&[0xff, 0xd8, 0xff]) {
        Sniffed::Accepted(MediaType::Jpeg)
    } else if bytes.len() >= 12 && starts(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Sniffed::Accepted(MediaType::Webp)
    } else {
        Sniffed::Unknown
    }
}

/// A file that may be kept: its checked name, type and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub file_name: String,
    pub media_type: MediaType,
    pub sha256: String,
}

/// The refusal, as the field and the code the UI words (`errors.detail.<code>`).
pub fn check(file_name: &str, bytes: &[u8]) -> Result<Checked, (&'static str, &'static str)> {
    let name = crate::domain::fold_width(file_name).trim().to_owned();
    // A name is one plain component: no separators of any system, no parent or current
    // folder, no control characters (a NUL ends the name in C APIs).
    let plain = !name.is_empty()
        && name.chars().count() <= MAX_NAME_CHARS
        && !name.contains(['/', '\\', ':'])
        && name != "."
        && name != ".."
        && !name.starts_with('.')
        && !name.chars().any(char::is_control);
    if !plain {
        return Err(("fileName", "attachment_name_invalid"));
    }
    if bytes.is_empty() {
        return Err(("bytes", "attachment_empty"));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(("bytes", "attachment_too_large"));
    }
    let media_type = match sniff(bytes) {
        Sniffed::Executable => return Err(("bytes", "attachment_executable")),
        Sniffed::Unknown => return Err(("bytes", "attachment_type_refused")),
        Sniffed::Accepted(t) => t,
    };
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    if !media_type.extensions().contains(&extension.as_str()) {
        return Err(("fileName", "attachment_name_mismatch"));
    }
    Ok(Checked {
        file_name: name,
        media_type,
        sha256: hex::encode(Sha256::digest(bytes)),
    })
}

/// The context a file's content is sealed under: a sealed blob copied to another row or
/// another dispute does not open there.
pub fn seal_context(dispute_id: i64, sha256: &str) -> String {
    format!("dispute-attachment:{dispute_id}:{sha256}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n";

    /// Attachments: the type is read from the content, not the name; an executable is
    /// refused whatever it is called, and a name must claim the type the content has.
    #[test]
    fn attachment_type_is_checked_by_content_not_by_name() {
        assert_eq!(sniff(PDF), Sniffed::Accepted(MediaType::Pdf));
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n...."),
            Sniffed::Accepted(MediaType::Png)
        );
        assert_eq!(
            sniff(&[0xff, 0xd8, 0xff, 0xe0]),
            Sniffed::Accepted(MediaType::Jpeg)
        );
        assert_eq!(
            sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Sniffed::Accepted(MediaType::Webp)
        );
        for exe in [
            &b"MZ\x90\0"[..],
            b"\x7fELF\x02\x01",
            b"#!/bin/sh\n",
            &[0xcf, 0xfa, 0xed, 0xfe],
        ] {
            assert_eq!(sniff(exe), Sniffed::Executable);
        }
        assert_eq!(
            check("receipt.pdf", b"MZ\x90\0\x03\0\0\0"),
            Err(("bytes", "attachment_executable"))
        );
        assert_eq!(
            check("photo.png", PDF),
            Err(("fileName", "attachment_name_mismatch"))
        );
        assert_eq!(
            check("notes.txt", b"hello"),
            Err(("bytes", "attachment_type_refused"))
        );
        let ok = check("小票.PDF", PDF).expect("kept");
        assert_eq!(ok.media_type, MediaType::Pdf);
        assert_eq!(ok.sha256, hex::encode(Sha256::digest(PDF)));
    }

    /// Attachments: a 0-byte file and one over the cap are refused, and a name with a path
    /// separator (either kind), a parent folder or a control character.
    #[test]
    fn attachment_refusals_empty_too_large_and_path_separators() {
        assert_eq!(check("a.pdf", b""), Err(("bytes", "attachment_empty")));
        let big = [PDF, &vec![b'0'; MAX_ATTACHMENT_BYTES][..]].concat();
        assert_eq!(check("a.pdf", &big), Err(("bytes", "attachment_too_large")));
        for name in [
            "../a.pdf",
            "dir/a.pdf",
            "C:\\x\\a.pdf",
            "..",
            "",
            ".hidden.pdf",
            "a\0.pdf",
            "a\n.pdf",
        ] {
            assert_eq!(
                check(name, PDF),
                Err(("fileName", "attachment_name_invalid")),
                "{name:?}"
            );
        }
    }
}
