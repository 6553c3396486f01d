//! Printable zh-CN documents: the complaint decision letter, the wallet receipt, the
//! campaign report and the others, as PDF.
//!
//! Each document is laid out first (integer points, see [`layout`]) and then drawn with
//! [krilla](https://docs.rs/krilla), which embeds only the glyphs used (a subset of the CJK
//! face, tens of KB instead of the 16-20 MB font file). The font is the machine's own CJK font
//! ([`FontSource`]); nothing is downloaded and no font is committed.
//!
//! Inputs are plain data the UI can preview; these functions only format and check them. What
//! may be printed is decided by the input types: the decision letter has no root-cause field
//! (that is the bank's internal record), and the receipt takes a resident ID only already
//! masked.

mod campaign_report;
mod dispute_letter;
mod elder_guide;
mod font;
mod layout;
mod letter;
mod qr_poster;
mod receipt;

pub use campaign_report::{
    CampaignReportInput, ChartValue, ReportTile, campaign_report, campaign_report_with,
};
pub use dispute_letter::{
    DisputeLetterBody, DisputeLetterInput, DisputeLetterKind, dispute_letter, dispute_letter_with,
};
pub use elder_guide::{
    GUIDE_BODY_PT, GUIDE_HEADING_PT, GuideInput, elder_guide, elder_guide_with, mask_wallet_id,
};
pub use font::{CjkFont, FontSource, SYSTEM_CANDIDATES};
pub use letter::{
    DEFAULT_REVIEW_DAYS, LetterInput, LetterOutcome, decision_letter, decision_letter_with,
};
pub use qr_poster::{QrPosterInput, qr_grid, qr_poster, qr_poster_with};
pub use receipt::{
    ANTI_FRAUD_HOTLINE, ANTI_FRAUD_SLOGAN, FeeLine, ReceiptInput, WalletLimits, WalletTier,
    wallet_receipt, wallet_receipt_with,
};

use crate::domain::Money;
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use krilla::Document;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::TextDirection;
use layout::{Geometry, Item, Measure, Sheet};
use serde::Serialize;
use std::path::PathBuf;
use ts_rs::TS;

/// A generated file the UI saves (a PDF letter or receipt, an XLSX report). `bytes` crosses
/// to the UI as an array of numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BinaryFile {
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error(
        "no Chinese (CJK) font found (looked in: {looked_in}); install fonts-noto-cjk or set the font path"
    )]
    NoCjkFont { looked_in: String },
    #[error("cannot read font file {path}: {source}")]
    FontUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a font with a simplified-Chinese face")]
    NotCjk { path: PathBuf },
    #[error("{path} has no face number {index}")]
    NoSuchFace { path: PathBuf, index: u32 },
    #[error("the font has no glyph for: {0}")]
    MissingGlyphs(String),
    #[error("invalid input: {0}")]
    InvalidInput(String),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

pub type Result<T, E = DocumentError> = std::result::Result<T, E>;

impl From<DocumentError> for crate::Error {
    fn from(e: DocumentError) -> Self {
        match e {
            // Staff can fix their input; everything else is the machine's set-up.
            DocumentError::InvalidInput(m) => crate::Error::InvalidInput(m),
            DocumentError::MissingGlyphs(m) => {
                crate::Error::InvalidInput(format!("characters the font cannot print: {m}"))
            }
            other => crate::Error::Internal(anyhow::Error::new(other)),
        }
    }
}

/// "人民币 1,234.50 元". Money is always at scale 2, so the text has two decimals.
pub fn format_money(amount: Money) -> String {
    let text = amount.to_string();
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "00"));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("人民币 {sign}{grouped}.{fraction} 元")
}

/// "2026年11月23日".
pub fn format_date(date: NaiveDate) -> String {
    format!("{}年{}月{}日", date.year(), date.month(), date.day())
}

/// "2026年11月23日 14:05".
pub fn format_date_time(at: NaiveDateTime) -> String {
    format!(
        "{} {:02}:{:02}",
        format_date(at.date()),
        at.hour(),
        at.minute()
    )
}

/// A required text field, trimmed; the error names the field as the form labels it.
fn required<'a>(field: &str, value: &'a str) -> Result<&'a str> {
    let v = value.trim();
    if v.is_empty() {
        return Err(DocumentError::InvalidInput(format!("{field}: required")));
    }
    Ok(v)
}

fn not_negative(field: &str, amount: Money) -> Result<Money> {
    if amount.is_negative() {
        return Err(DocumentError::InvalidInput(format!(
            "{field}: cannot be negative"
        )));
    }
    Ok(amount)
}

/// Draws laid-out sheets with the document's font. Refuses text the font cannot print.
fn render(
    sheets: &[Sheet],
    geometry: Geometry,
    measure: &Measure<'_>,
    font: &CjkFont,
    title: &str,
) -> Result<Vec<u8>> {
    let missing = measure.missing(sheets);
    if !missing.is_empty() {
        return Err(DocumentError::MissingGlyphs(missing.into_iter().collect()));
    }
    let pdf_font = font.krilla_font()?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .language("zh-CN".to_owned())
            .creator("Walletdesk".to_owned()),
    );
    let size = PageSettings::from_wh(geometry.width as f32, geometry.height as f32)
        .ok_or_else(|| DocumentError::Pdf("invalid page size".into()))?;
    for sheet in sheets {
        let mut page = document.start_page_with(size.clone());
        let mut surface = page.surface();
        for item in sheet {
            match item {
                Item::Text { x, y, size, text } => surface.draw_text(
                    Point::from_xy(*x as f32, *y as f32),
                    pdf_font.clone(),
                    *size as f32,
                    text,
                    false,
                    TextDirection::Auto,
                ),
                Item::Block { x, y, w, h } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x as f32, *y as f32);
                    path.line_to((*x + *w) as f32, *y as f32);
                    path.line_to((*x + *w) as f32, (*y + *h) as f32);
                    path.line_to(*x as f32, (*y + *h) as f32);
                    path.close();
                    if let Some(path) = path.finish() {
                        surface.draw_path(&path);
                    }
                }
                Item::Shade {
                    x,
                    y,
                    w,
                    h,
                    lightness,
                } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x as f32, *y as f32);
                    path.line_to((*x + *w) as f32, *y as f32);
                    path.line_to((*x + *w) as f32, (*y + *h) as f32);
                    path.line_to(*x as f32, (*y + *h) as f32);
                    path.close();
                    if let Some(path) = path.finish() {
                        surface.set_fill(Some(krilla::paint::Fill {
                            paint: krilla::color::luma::Color::new(*lightness).into(),
                            ..krilla::paint::Fill::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_fill(Some(krilla::paint::Fill::default()));
                    }
                }
                Item::Line { points, weight } => {
                    let mut path = PathBuilder::new();
                    for (i, (px, py)) in points.iter().enumerate() {
                        if i == 0 {
                            path.move_to(*px as f32, *py as f32);
                        } else {
                            path.line_to(*px as f32, *py as f32);
                        }
                    }
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: weight.points(),
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                        surface.set_fill(Some(krilla::paint::Fill::default()));
                    }
                }
                Item::Rule { x1, x2, y } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1 as f32, *y as f32);
                    path.line_to(*x2 as f32, *y as f32);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            width: 0.5,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                        surface.set_fill(Some(krilla::paint::Fill::default()));
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| DocumentError::Pdf(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(s: &str) -> Money {
        Money::parse(s).expect("valid money")
    }

    #[test]
    fn money_reads_as_chinese_text_with_thousands() {
        assert_eq!(format_money(money("1234.5")), "人民币 1,234.50 元");
        assert_eq!(format_money(money("0")), "人民币 0.00 元");
        assert_eq!(format_money(money("999")), "人民币 999.00 元");
        assert_eq!(format_money(money("1000")), "人民币 1,000.00 元");
        assert_eq!(format_money(money("500000")), "人民币 500,000.00 元");
        assert_eq!(
            format_money(money("-1234567.89")),
            "人民币 -1,234,567.89 元"
        );
    }

    #[test]
    fn dates_read_as_chinese_text() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 5).expect("date");
        assert_eq!(format_date(d), "2026年1月5日");
        let at = d.and_hms_opt(9, 7, 0).expect("time");
        assert_eq!(format_date_time(at), "2026年1月5日 09:07");
    }
}
