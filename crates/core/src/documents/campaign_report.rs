//! A campaign's effect on one A4 page, for the branch meeting (issue 17): its KPI tiles
//! (during against before), the before/after comparison as bars, the trend as a line and the
//! funnel, each with its numbers written beside it so the page reads in black and white.
//!
//! Unlike the letters this page never flows onto a second one: it is laid out at fixed
//! places, long text is cut to fit (with "…"), and a layout that would still run past the
//! bottom margin is refused rather than printed on two pages.
//!
//! The input is plain, already worded data (`insights::report` takes the words from the
//! locale file the screen shows, so the page and the screen say the same thing).

use super::layout::{A4, Geometry, Item, Measure, Sheet, Weight, break_lines};
use super::{CjkFont, DocumentError, FontSource, Result, render, required};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// A4 with narrower margins than a letter: a report page is read at a table, not filed.
const PAGE: Geometry = Geometry {
    margin_x: 40,
    margin_top: 40,
    margin_bottom: 40,
    ..A4
};

/// One KPI tile: a metric's value during the campaign and, below it, before and change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTile {
    pub label: String,
    pub value: String,
    pub detail: String,
}

/// A bar, a point of a line or a step of the funnel: its label, its number as printed, and
/// the number drawn (none: no data, nothing drawn, the text says so).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartValue {
    pub label: String,
    pub text: String,
    pub value: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignReportInput {
    /// "春季推广（DEMO-SPRING）活动效果报告".
    pub title: String,
    /// Under the title: the periods and branches, the as-of time, the scope.
    pub lines: Vec<String>,
    /// Boxed under them when the numbers are the copy kept for offline reading.
    pub offline_note: Option<String>,
    pub tiles_title: String,
    pub tiles: Vec<ReportTile>,
    pub bars_title: String,
    pub bars: Vec<ChartValue>,
    /// Under the bars: the change from before to during, in words.
    pub bars_note: String,
    pub funnel_title: String,
    pub funnel: Vec<ChartValue>,
    pub trend_title: String,
    pub trend: Vec<ChartValue>,
    /// Who printed it and when; no customer's personal data is on the page.
    pub footer: String,
}

/// Most tiles, trend points and funnel steps the page has room for.
const MAX_TILES: usize = 8;
const MAX_POINTS: usize = 12;
const MAX_STEPS: usize = 6;
const MAX_BARS: usize = 4;

pub fn campaign_report(input: &CampaignReportInput) -> Result<Vec<u8>> {
    campaign_report_with(input, &CjkFont::load(&FontSource::System)?)
}

pub fn campaign_report_with(input: &CampaignReportInput, font: &CjkFont) -> Result<Vec<u8>> {
    let title = required("title", &input.title)?;
    for (what, count, max) in [
        ("tiles", input.tiles.len(), MAX_TILES),
        ("trend points", input.trend.len(), MAX_POINTS),
        ("funnel steps", input.funnel.len(), MAX_STEPS),
        ("bars", input.bars.len(), MAX_BARS),
    ] {
        if count > max {
            return Err(DocumentError::InvalidInput(format!(
                "{what}: at most {max} fit on the page, not {count}"
            )));
        }
    }
    let face = font.face()?;
    let measure = Measure::new(face);
    let sheet = lay_out(input, title, &measure)?;
    render(&[sheet], PAGE, &measure, font, title)
}

/// Items at fixed places on the one page, top to bottom.
struct Page<'m, 'f> {
    measure: &'m Measure<'f>,
    items: Sheet,
    /// The baseline of the last line laid, or the bottom of the last drawing.
    y: i32,
}

impl Page<'_, '_> {
    fn left(&self) -> i32 {
        PAGE.margin_x
    }

    fn width(&self) -> i32 {
        PAGE.content_width()
    }

    fn text(&mut self, x: i32, y: i32, size: i32, text: &str) {
        if text.is_empty() {
            return;
        }
        self.items.push(Item::Text {
            x,
            y,
            size,
            text: text.to_owned(),
        });
    }

    /// `text` cut to `max` points wide, ending in "…" when cut.
    fn fit(&self, text: &str, size: i32, max: i32) -> String {
        if self.measure.width_pt(text, size) <= max {
            return text.to_owned();
        }
        let mut out = String::new();
        for c in text.chars() {
            let next = format!("{out}{c}…");
            if self.measure.width_pt(&next, size) > max {
                break;
            }
            out.push(c);
        }
        out.push('…');
        out
    }

    /// Text centred on `centre`, cut to `max` points.
    fn centred(&mut self, centre: i32, y: i32, size: i32, text: &str, max: i32) {
        let text = self.fit(text, size, max);
        let w = self.measure.width_pt(&text, size);
        self.text(centre - w / 2, y, size, &text);
    }

    /// A paragraph across the column, at most `max_lines` lines (the last cut with "…").
    fn lines(&mut self, text: &str, size: i32, max_lines: usize) {
        let width = self.width();
        let mut lines = break_lines(self.measure, text, size, width, width);
        if lines.len() > max_lines {
            let rest = lines.split_off(max_lines - 1).concat();
            lines.push(self.fit(&rest, size, width));
        }
        for line in lines {
            self.y += size * 3 / 2;
            let x = self.left();
            self.text(x, self.y, size, &line);
        }
    }

    fn frame(&mut self, x: i32, y: i32, w: i32, h: i32) {
        self.items.push(Item::Line {
            points: vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)],
            weight: Weight::Hair,
        });
    }

    fn heading(&mut self, x: i32, y: i32, text: &str, max: i32) {
        let text = self.fit(text, 12, max);
        self.text(x, y, 12, &text);
    }
}

/// `value` of `max` as a share of `span` points (0 when there is nothing to scale by).
fn scaled(value: Option<Decimal>, max: Decimal, span: i32) -> i32 {
    let Some(value) = value.filter(|v| v.is_sign_positive()) else {
        return 0;
    };
    if max <= Decimal::ZERO {
        return 0;
    }
    (value * Decimal::from(span) / max)
        .round()
        .to_i32()
        .unwrap_or(0)
        .clamp(0, span)
}

fn largest(values: &[ChartValue]) -> Decimal {
    values
        .iter()
        .filter_map(|v| v.value)
        .max()
        .unwrap_or(Decimal::ZERO)
}

fn lay_out(input: &CampaignReportInput, title: &str, measure: &Measure<'_>) -> Result<Sheet> {
    let mut page = Page {
        measure,
        items: Vec::new(),
        y: PAGE.margin_top,
    };
    let (left, width) = (page.left(), page.width());

    // Title, centred, at most two lines (the second cut with "…" when it runs on).
    let mut title_lines = break_lines(measure, title, 18, width, width);
    if title_lines.len() > 2 {
        let rest = title_lines.split_off(1).concat();
        title_lines.push(page.fit(&rest, 18, width));
    }
    for line in &title_lines {
        page.y += 24;
        let y = page.y;
        page.centred(PAGE.width / 2, y, 18, line, width);
    }
    page.y += 4;
    for line in &input.lines {
        page.lines(line, 10, 2);
    }
    if let Some(note) = input
        .offline_note
        .as_deref()
        .filter(|n| !n.trim().is_empty())
    {
        let top = page.y + 6;
        page.y = top;
        page.lines(note, 10, 2);
        page.y += 6;
        let h = page.y - top;
        page.frame(left - 4, top, width + 8, h);
    }
    page.y += 8;
    page.items.push(Item::Rule {
        x1: left,
        x2: left + width,
        y: page.y,
    });

    // KPI tiles, four to a row.
    page.y += 22;
    let y = page.y;
    page.heading(left, y, &input.tiles_title, width);
    const COLUMNS: i32 = 4;
    const GAP: i32 = 8;
    const TILE_H: i32 = 56;
    let tile_w = (width - (COLUMNS - 1) * GAP) / COLUMNS;
    let top = page.y + 8;
    let mut rows = 0;
    for (i, tile) in (0_i32..).zip(&input.tiles) {
        let (row, col) = (i / COLUMNS, i % COLUMNS);
        rows = rows.max(row + 1);
        let x = left + col * (tile_w + GAP);
        let y = top + row * (TILE_H + GAP);
        page.frame(x, y, tile_w, TILE_H);
        let inner = tile_w - 10;
        let label = page.fit(&tile.label, 9, inner);
        page.text(x + 5, y + 14, 9, &label);
        let value = page.fit(&tile.value, 16, inner);
        page.text(x + 5, y + 35, 16, &value);
        let detail = page.fit(&tile.detail, 8, inner);
        page.text(x + 5, y + 49, 8, &detail);
    }
    page.y = top + rows * (TILE_H + GAP);

    // The before/after bars (left) and the funnel (right), side by side.
    const PLOT_H: i32 = 120;
    let bars_w = 300;
    let funnel_x = left + bars_w + 20;
    let funnel_w = width - bars_w - 20;
    page.y += 24;
    let heading_y = page.y;
    page.heading(left, heading_y, &input.bars_title, bars_w);
    page.heading(funnel_x, heading_y, &input.funnel_title, funnel_w);
    let plot_top = heading_y + 22;
    let axis_y = plot_top + PLOT_H;
    bars(&mut page, &input.bars, left, bars_w, plot_top, axis_y);
    let note_y = axis_y + 30;
    let note = page.fit(&input.bars_note, 9, bars_w);
    page.text(left, note_y, 9, &note);
    funnel(&mut page, &input.funnel, funnel_x, funnel_w, plot_top);
    page.y = note_y;

    // The trend, across the page.
    page.y += 30;
    let heading_y = page.y;
    page.heading(left, heading_y, &input.trend_title, width);
    let plot_top = heading_y + 24;
    let axis_y = plot_top + PLOT_H;
    trend(&mut page, &input.trend, left, width, plot_top, axis_y);
    page.y = axis_y + 16;

    // The footer sits in the bottom margin; everything else must end above it.
    let bottom = PAGE.height - PAGE.margin_bottom;
    if page.y > bottom {
        return Err(DocumentError::InvalidInput(format!(
            "the report runs {} points past one page",
            page.y - bottom
        )));
    }
    let footer = format!("{}　第 1 页 / 共 1 页", input.footer.trim());
    page.centred(PAGE.width / 2, PAGE.height - 22, 8, &footer, width);
    Ok(page.items)
}

/// Vertical bars in grey with the number above each and the label below.
fn bars(
    page: &mut Page<'_, '_>,
    values: &[ChartValue],
    left: i32,
    width: i32,
    top: i32,
    axis: i32,
) {
    let max = largest(values);
    let n = i32::try_from(values.len()).unwrap_or(1).max(1);
    let slot = width / n;
    let bar_w = slot * 3 / 5;
    // Alternating greys tell neighbouring bars apart; the labels say which is which.
    const GREYS: [u8; 4] = [70, 160, 200, 115];
    for (i, v) in (0_i32..).zip(values) {
        let centre = left + slot * i + slot / 2;
        let h = scaled(v.value, max, axis - top - 14);
        if h > 0 {
            page.items.push(Item::Shade {
                x: centre - bar_w / 2,
                y: axis - h,
                w: bar_w,
                h,
                lightness: GREYS[usize::try_from(i).unwrap_or(0) % GREYS.len()],
            });
        }
        page.centred(centre, axis - h - 4, 9, &v.text, slot);
        page.centred(centre, axis + 13, 8, &v.label, slot - 2);
    }
    page.items.push(Item::Line {
        points: vec![(left, axis), (left + width, axis)],
        weight: Weight::Hair,
    });
}

/// The funnel as horizontal bars, one step a row, the count after each bar.
fn funnel(page: &mut Page<'_, '_>, steps: &[ChartValue], left: i32, width: i32, top: i32) {
    const ROW: i32 = 24;
    const LABEL_W: i32 = 84;
    let max = largest(steps);
    let span = width - LABEL_W - 36;
    for (i, step) in (0_i32..).zip(steps) {
        let y = top + i * ROW;
        // 8 pt: the longest step ("已实名（本机数据）") fits beside its bar.
        let label = page.fit(&step.label, 8, LABEL_W - 4);
        page.text(left, y + 13, 8, &label);
        let w = scaled(step.value, max, span);
        if w > 0 {
            page.items.push(Item::Shade {
                x: left + LABEL_W,
                y: y + 3,
                w,
                h: ROW - 8,
                lightness: 130,
            });
        }
        let count = page.fit(&step.text, 9, width - LABEL_W - w - 4);
        page.text(left + LABEL_W + w + 4, y + 13, 9, &count);
    }
}

/// The trend as a bold line with a square at each point, its number above and its day below.
fn trend(
    page: &mut Page<'_, '_>,
    points: &[ChartValue],
    left: i32,
    width: i32,
    top: i32,
    axis: i32,
) {
    let max = largest(points);
    let n = i32::try_from(points.len()).unwrap_or(1).max(1);
    let slot = width / n;
    let span = axis - top - 14;
    // A point without data breaks the line: nothing is drawn where nothing was measured.
    let mut run: Vec<(i32, i32)> = Vec::new();
    let mut runs = Vec::new();
    for (i, p) in (0_i32..).zip(points) {
        let x = left + slot * i + slot / 2;
        match p.value {
            Some(_) => {
                let y = axis - scaled(p.value, max, span);
                run.push((x, y));
                page.items.push(Item::Block {
                    x: x - 2,
                    y: y - 2,
                    w: 4,
                    h: 4,
                });
                page.centred(x, y - 6, 7, &p.text, slot);
            }
            None => {
                runs.push(std::mem::take(&mut run));
                page.centred(x, axis - 6, 7, &p.text, slot);
            }
        }
        page.centred(x, axis + 11, 7, &p.label, slot);
    }
    runs.push(run);
    for run in runs.into_iter().filter(|r| r.len() > 1) {
        page.items.push(Item::Line {
            points: run,
            weight: Weight::Bold,
        });
    }
    page.items.push(Item::Line {
        points: vec![(left, axis), (left + width, axis)],
        weight: Weight::Hair,
    });
}
