//! Finding and checking the CJK font the documents are set in.
//!
//! Fonts are never bundled: the shell's machine has one (Debian: `fonts-noto-cjk`; Windows:
//! Microsoft YaHei; macOS: PingFang), or staff point [`FontSource::File`] at one. Whatever is
//! found is checked before use: a face must cover simplified Chinese, and every character a
//! document prints must have a glyph, because a legal letter with blank boxes in the
//! customer's name is worse than no letter.

use super::{DocumentError, Result};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the documents' font comes from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FontSource {
    /// The first of [`SYSTEM_CANDIDATES`] that exists and has a simplified-Chinese face.
    #[default]
    System,
    /// A file the shell names (`.ttf`, `.otf`, or a `.ttc` collection). With `face: None` the
    /// simplified-Chinese face of a collection is picked by its name table.
    File { path: PathBuf, face: Option<u32> },
}

/// Places a CJK font is installed by the platforms' own packages, most likely first.
pub const SYSTEM_CANDIDATES: &[&str] = &[
    // Debian / Ubuntu: fonts-noto-cjk (what scripts/setup installs).
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    // Fedora: google-noto-sans-cjk-fonts; Arch: noto-fonts-cjk.
    "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    // Debian's smaller per-language package layout.
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    // Windows: Microsoft YaHei, then SimHei.
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\simhei.ttf",
    // macOS.
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
];

/// Characters every document prints: a face without them is not a simplified-Chinese face.
const PROBE: &str = "决定书复核调解仲裁诉讼钱包开立回单人民币元不限轻信透露转账，。：";

/// Windows language id of Chinese (PRC) in a font's name table.
const LANG_ZH_CN: u16 = 0x0804;

/// A loaded font file and the face in it that the documents use.
///
/// Invariant: `index` names a face of `data` that covers [`PROBE`].
#[derive(Clone)]
pub struct CjkFont {
    data: Arc<Vec<u8>>,
    index: u32,
    family: String,
    path: PathBuf,
}

impl std::fmt::Debug for CjkFont {
    // The font's bytes are megabytes: show where it came from instead.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CjkFont")
            .field("path", &self.path)
            .field("index", &self.index)
            .field("family", &self.family)
            .finish()
    }
}

impl CjkFont {
    /// Reads and checks the font. Errors name every place looked in; never panics.
    pub fn load(source: &FontSource) -> Result<CjkFont> {
        match source {
            FontSource::File { path, face } => Self::from_file(path, *face),
            FontSource::System => {
                for candidate in SYSTEM_CANDIDATES {
                    let path = Path::new(candidate);
                    if !path.is_file() {
                        continue;
                    }
                    match Self::from_file(path, None) {
                        Ok(font) => return Ok(font),
                        // A broken or non-CJK file at a known place: try the next one.
                        Err(e) => tracing::warn!("skipping font {}: {e}", path.display()),
                    }
                }
                Err(DocumentError::NoCjkFont {
                    looked_in: SYSTEM_CANDIDATES.join(", "),
                })
            }
        }
    }

    fn from_file(path: &Path, face: Option<u32>) -> Result<CjkFont> {
        let data = std::fs::read(path).map_err(|source| DocumentError::FontUnreadable {
            path: path.to_owned(),
            source,
        })?;
        Self::from_bytes(data, face, path)
    }

    /// `origin` is only for messages.
    pub fn from_bytes(data: Vec<u8>, face: Option<u32>, origin: &Path) -> Result<CjkFont> {
        let faces = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        let chosen = match face {
            Some(index) if index >= faces => {
                return Err(DocumentError::NoSuchFace {
                    path: origin.to_owned(),
                    index,
                });
            }
            Some(index) => score_face(&data, index).map(|(_, family)| (index, family)),
            None => (0..faces)
                .filter_map(|i| score_face(&data, i).map(|(score, family)| (score, i, family)))
                // Highest score wins; on a tie the earlier face (max_by_key keeps the last).
                .max_by_key(|(score, i, _)| (*score, std::cmp::Reverse(*i)))
                .map(|(_, i, family)| (i, family)),
        };
        let (index, family) = chosen.ok_or_else(|| DocumentError::NotCjk {
            path: origin.to_owned(),
        })?;
        Ok(CjkFont {
            data: Arc::new(data),
            index,
            family,
            path: origin.to_owned(),
        })
    }

    pub fn family(&self) -> &str {
        &self.family
    }

    pub fn face_index(&self) -> u32 {
        self.index
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The parsed face, for measuring. Cheap: tables are read lazily from the shared bytes.
    pub(super) fn face(&self) -> Result<ttf_parser::Face<'_>> {
        ttf_parser::Face::parse(&self.data, self.index).map_err(|_| DocumentError::NotCjk {
            path: self.path.clone(),
        })
    }

    pub(super) fn krilla_font(&self) -> Result<krilla::text::Font> {
        krilla::text::Font::new(self.data.clone().into(), self.index).ok_or_else(|| {
            DocumentError::NotCjk {
                path: self.path.clone(),
            }
        })
    }
}

/// `None` if the face cannot print simplified Chinese; otherwise how surely it is the SC
/// face (collections such as Noto Sans CJK hold JP, KR, SC, TC, HK and Mono faces that all
/// cover the probe but draw some characters the way another region writes them).
fn score_face(data: &[u8], index: u32) -> Option<(u8, String)> {
    let face = ttf_parser::Face::parse(data, index).ok()?;
    if !PROBE.chars().all(|c| face.glyph_index(c).is_some()) {
        return None;
    }
    let mut family = String::new();
    let mut has_zh_cn_name = false;
    for name in face.names() {
        let id = name.name_id;
        if id != ttf_parser::name_id::FAMILY && id != ttf_parser::name_id::TYPOGRAPHIC_FAMILY {
            continue;
        }
        if name.language_id == LANG_ZH_CN {
            has_zh_cn_name = true;
        }
        if family.is_empty()
            && let Some(text) = name.to_string()
        {
            family = text;
        }
    }
    let sc = family.split_whitespace().any(|word| word == "SC");
    let score = match (sc, family.contains("Mono"), has_zh_cn_name) {
        (true, false, _) => 3,
        (true, true, _) => 2,
        (false, _, true) => 2,
        _ => 1,
    };
    Some((score, family))
}
