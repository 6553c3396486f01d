//! A booth's QR code, printed (issue 14): an A4 poster for the stand and a table card to cut
//! out, both carrying the code of the core-signed self sign-up link of one campaign, booth and
//! staff member. The code is drawn as vector squares (sharp at any print size) from the
//! `qrcode` crate's matrix, with the 4-module quiet zone scanners need.

use super::layout::{A4, Flow, Measure};
use super::{CjkFont, DocumentError, FontSource, Result, format_date, render, required};
use chrono::NaiveDate;
use qrcode::{Color, EcLevel, QrCode};

/// Modules of white margin around the code (ISO/IEC 18004's quiet zone).
const QUIET_ZONE: usize = 4;
/// Side of the poster's code and of the table card's, in points (about 12 cm and 6 cm).
const POSTER_SIDE_PT: i32 = 340;
const CARD_SIDE_PT: i32 = 170;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrPosterInput {
    pub campaign_name: String,
    /// What the person gets, in words ("开户立得 8.88 元"); empty for none.
    pub incentive: String,
    pub booth_name: String,
    pub mall: String,
    pub staff_name: String,
    /// The core-signed link the code encodes.
    pub link: String,
    pub printed_on: NaiveDate,
}

/// The code's dark cells with the quiet zone around them, row-major, and the side in modules.
/// Medium error correction: a poster gets scuffed, and the link stays a version 5-6 code.
pub fn qr_grid(link: &str) -> Result<(Vec<bool>, usize)> {
    let code = QrCode::with_error_correction_level(link.as_bytes(), EcLevel::M)
        .map_err(|e| DocumentError::InvalidInput(format!("link: cannot be a QR code ({e})")))?;
    let inner = code.width();
    let colors = code.to_colors();
    let side = inner + 2 * QUIET_ZONE;
    let mut dark = vec![false; side * side];
    for (i, color) in colors.iter().enumerate() {
        let (row, col) = (i / inner, i % inner);
        dark[(row + QUIET_ZONE) * side + col + QUIET_ZONE] = *color == Color::Dark;
    }
    Ok((dark, side))
}

pub fn qr_poster(input: &QrPosterInput) -> Result<Vec<u8>> {
    qr_poster_with(input, &CjkFont::load(&FontSource::System)?)
}

/// Page 1: the A4 poster. Page 2: the table card, a quarter of the page between cut rules.
pub fn qr_poster_with(input: &QrPosterInput, font: &CjkFont) -> Result<Vec<u8>> {
    let campaign = required("campaign name", &input.campaign_name)?;
    let booth = required("booth name", &input.booth_name)?;
    let staff = required("staff name", &input.staff_name)?;
    let link = required("link", &input.link)?;
    let (dark, side) = qr_grid(link)?;
    let side_i32 = i32::try_from(side).unwrap_or(i32::MAX);
    let face = font.face()?;
    let measure = Measure::new(face);
    let mut flow = Flow::new(A4, &measure);

    flow.centered(campaign, 30);
    flow.centered("扫码开通数字人民币钱包", 22);
    if !input.incentive.trim().is_empty() {
        flow.centered(input.incentive.trim(), 22);
    }
    flow.gap(16);
    flow.grid(&dark, side, (POSTER_SIDE_PT / side_i32).max(1));
    flow.gap(8);
    flow.centered(&format!("{booth} · {}", input.mall.trim()), 16);
    flow.centered(&format!("推广员：{staff}"), 16);
    flow.centered("请用手机银行或相机扫码，在银行页面填写手机号即可开户。", 12);
    flow.centered(
        "本码由银行签发，只记在上面这位推广员名下；工作人员不会向您索要验证码或密码。",
        10,
    );
    flow.centered(&format!("打印日期：{}", format_date(input.printed_on)), 10);

    // The table card, on a page of its own so it can be cut out.
    flow.page_break();
    flow.rule();
    flow.centered("— 沿线剪下，对折立于桌面 —", 10);
    flow.gap(12);
    flow.centered(campaign, 18);
    flow.centered("扫码开户", 18);
    flow.gap(8);
    flow.grid(&dark, side, (CARD_SIDE_PT / side_i32).max(1));
    flow.gap(4);
    flow.centered(&format!("推广员：{staff}"), 12);
    flow.centered(booth, 12);
    flow.gap(8);
    flow.rule();

    let sheets = flow.finish(|page, pages| format!("第 {page} 页 / 共 {pages} 页"), 10);
    render(
        &sheets,
        A4,
        &measure,
        font,
        &format!("{campaign} 推广二维码"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_has_a_quiet_zone_of_four_light_modules_on_every_side() {
        let (dark, side) =
            qr_grid("https://wallet.sandbox.walletdesk.invalid/s?c=A&b=B&s=c&sig=00")
                .expect("code");
        for i in 0..side {
            for q in 0..QUIET_ZONE {
                for cell in [
                    q * side + i,
                    (side - 1 - q) * side + i,
                    i * side + q,
                    i * side + side - 1 - q,
                ] {
                    assert!(!dark[cell], "quiet zone cell {cell} is dark");
                }
            }
        }
        // The finder pattern's corner starts right inside the quiet zone.
        assert!(dark[QUIET_ZONE * side + QUIET_ZONE]);
    }

    #[test]
    fn the_printed_code_scans_back_to_the_signed_link() {
        let link = "https://wallet.sandbox.walletdesk.invalid/s?c=DEMO-SPRING&b=DEMO-MALL&s=booth\
                    &sig=0123456789abcdef0123456789abcdef";
        let (dark, side) = qr_grid(link).expect("code");
        // Drawn at 4 pixels a module, as a scanner's camera would see the printed squares.
        const PX: usize = 4;
        let mut image =
            rqrr::PreparedImage::prepare_from_greyscale(side * PX, side * PX, |x, y| {
                if dark[(y / PX) * side + x / PX] {
                    0
                } else {
                    255
                }
            });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1, "one code found");
        let (_, content) = grids[0].decode().expect("decodes");
        assert_eq!(content, link);
    }
}
