//! Page flow and line breaking, in whole points and font units.
//!
//! Layout is integer arithmetic on purpose: the workspace keeps floats out of business code
//! (`clippy::float_arithmetic`), and whole points are precise enough for a printed letter.
//! Floats appear only where krilla takes them, as plain conversions at drawing time.
//!
//! Layout runs first and produces [`Sheet`]s (plain lists of items); drawing happens after,
//! so the page count is known when footers ("第 1 页 / 共 3 页") are written.

use std::collections::BTreeSet;

/// Page size and margins in points (1/72 inch).
#[derive(Debug, Clone, Copy)]
pub(super) struct Geometry {
    pub width: i32,
    pub height: i32,
    pub margin_x: i32,
    pub margin_top: i32,
    pub margin_bottom: i32,
}

/// A4 portrait (595.28 x 841.89 pt, rounded to whole points).
pub(super) const A4: Geometry = Geometry {
    width: 595,
    height: 842,
    margin_x: 72,
    margin_top: 72,
    margin_bottom: 72,
};

/// A5 portrait, what counter printers take for receipts.
pub(super) const A5: Geometry = Geometry {
    width: 420,
    height: 595,
    margin_x: 40,
    margin_top: 44,
    margin_bottom: 48,
};

impl Geometry {
    pub fn content_width(&self) -> i32 {
        self.width - 2 * self.margin_x
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Item {
    /// `y` is the baseline, measured down from the top of the page.
    Text {
        x: i32,
        y: i32,
        size: i32,
        text: String,
    },
    /// A thin horizontal rule.
    Rule { x1: i32, x2: i32, y: i32 },
    /// A filled black rectangle, `y` its top edge (a QR code's module).
    Block { x: i32, y: i32, w: i32, h: i32 },
    /// A filled grey rectangle, `y` its top edge (a chart's bar); `lightness` 0 is black,
    /// 255 white. Grey rather than colour: the report is printed on black-and-white printers.
    Shade {
        x: i32,
        y: i32,
        w: i32,
        h: i32,
        lightness: u8,
    },
    /// Straight segments through `points` (a chart's line, axis or frame).
    Line {
        points: Vec<(i32, i32)>,
        weight: Weight,
    },
}

/// How heavy a drawn line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight {
    /// 0.5 pt: frames and axes.
    Hair,
    /// 1.5 pt: a chart's data line, clear from its axes in black and white.
    Bold,
}

impl Weight {
    /// Points, for krilla (the only float in drawing, a constant).
    pub fn points(self) -> f32 {
        match self {
            Weight::Hair => 0.5,
            Weight::Bold => 1.5,
        }
    }
}

pub(super) type Sheet = Vec<Item>;

/// Glyph advances of the document's face, in font units.
#[derive(Debug)]
pub(super) struct Measure<'a> {
    face: ttf_parser::Face<'a>,
    units_per_em: i64,
}

impl<'a> Measure<'a> {
    pub fn new(face: ttf_parser::Face<'a>) -> Measure<'a> {
        let units_per_em = i64::from(face.units_per_em()).max(1);
        Measure { face, units_per_em }
    }

    fn advance(&self, c: char) -> i64 {
        // A character without a glyph is refused before drawing ([`Measure::missing`]);
        // measuring it as one em keeps layout total in the meantime.
        self.face
            .glyph_index(c)
            .and_then(|g| self.face.glyph_hor_advance(g))
            .map_or(self.units_per_em, i64::from)
    }

    pub fn units(&self, text: &str) -> i64 {
        text.chars().map(|c| self.advance(c)).sum()
    }

    /// Width in whole points, rounded up so right-aligned text never crosses the margin.
    pub fn width_pt(&self, text: &str, size: i32) -> i32 {
        let units = self.units(text) * i64::from(size);
        let points = (units + self.units_per_em - 1) / self.units_per_em;
        i32::try_from(points).unwrap_or(i32::MAX)
    }

    /// How many font units fit in `points` at `size`.
    fn units_in(&self, points: i32, size: i32) -> i64 {
        i64::from(points) * self.units_per_em / i64::from(size.max(1))
    }

    /// Characters of the drawn text that the face has no glyph for.
    pub fn missing(&self, sheets: &[Sheet]) -> BTreeSet<char> {
        sheets
            .iter()
            .flatten()
            .filter_map(|item| match item {
                Item::Text { text, .. } => Some(text),
                Item::Rule { .. } | Item::Block { .. } | Item::Shade { .. } | Item::Line { .. } => {
                    None
                }
            })
            .flat_map(|t| t.chars())
            .filter(|c| !c.is_whitespace() && self.face.glyph_index(*c).is_none())
            .collect()
    }
}

/// No line may start with these (标点避头): they stay with the character before them.
const NO_LINE_START: &str = "，。、；：？！）】」』》〉”’…—·%,.;:?!)]}";
/// No line may end with these (标点避尾): they go with the character after them.
const NO_LINE_END: &str = "（【「『《〈“‘([{";

/// A piece of text that is never split across lines unless it alone is wider than a line.
#[derive(Debug, PartialEq, Eq)]
enum Token {
    Space,
    Word(String),
}

/// Chinese breaks between any two characters; a run of Latin letters, digits and ASCII
/// punctuation ("ABC-123", "1,234.50") is one word; punctuation sticks to its neighbour.
fn tokens(text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    let mut glue_next = false;
    for c in text.chars() {
        if c.is_whitespace() {
            out.push(Token::Space);
            glue_next = false;
            continue;
        }
        let joins_previous = glue_next
            || NO_LINE_START.contains(c)
            || (c.is_ascii_graphic()
                && matches!(out.last(), Some(Token::Word(w)) if w.chars().last().is_some_and(|p| p.is_ascii_graphic())));
        match out.last_mut() {
            Some(Token::Word(w)) if joins_previous => w.push(c),
            _ => out.push(Token::Word(c.to_string())),
        }
        glue_next = NO_LINE_END.contains(c);
    }
    out
}

/// Breaks one paragraph (no newlines) into lines at most `max_pt` wide at `size`, the first
/// line at most `first_max_pt` (for a first-line indent).
pub(super) fn break_lines(
    measure: &Measure<'_>,
    text: &str,
    size: i32,
    first_max_pt: i32,
    max_pt: i32,
) -> Vec<String> {
    let first_max = measure.units_in(first_max_pt, size);
    let rest_max = measure.units_in(max_pt, size);
    let space = measure.units(" ");
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0_i64;
    let mut pending_space = false;
    for token in tokens(text) {
        let word = match token {
            Token::Space => {
                pending_space = !line.is_empty();
                continue;
            }
            Token::Word(w) => w,
        };
        let w = measure.units(&word);
        let max = if lines.is_empty() {
            first_max
        } else {
            rest_max
        };
        let gap = if pending_space { space } else { 0 };
        pending_space = false;
        if width + gap + w <= max {
            if gap > 0 {
                line.push(' ');
            }
            line.push_str(&word);
            width += gap + w;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            width = 0;
        }
        if w <= rest_max {
            line.push_str(&word);
            width = w;
            continue;
        }
        // Wider than a whole line (a long reference number): split it where it must.
        for c in word.chars() {
            let a = measure.advance(c);
            let max = if lines.is_empty() {
                first_max
            } else {
                rest_max
            };
            if width + a > max && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                width = 0;
            }
            line.push(c);
            width += a;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Lays text down the page, starting new pages as needed.
#[derive(Debug)]
pub(super) struct Flow<'m, 'f> {
    pub geometry: Geometry,
    measure: &'m Measure<'f>,
    sheets: Vec<Sheet>,
    /// Baseline of the last line laid, from the top of the page.
    y: i32,
}

impl<'m, 'f> Flow<'m, 'f> {
    pub fn new(geometry: Geometry, measure: &'m Measure<'f>) -> Self {
        Flow {
            geometry,
            measure,
            sheets: vec![Vec::new()],
            y: geometry.margin_top,
        }
    }

    pub fn measure(&self) -> &Measure<'f> {
        self.measure
    }

    fn bottom(&self) -> i32 {
        self.geometry.height - self.geometry.margin_bottom
    }

    fn new_page(&mut self) {
        self.sheets.push(Vec::new());
        self.y = self.geometry.margin_top;
    }

    /// Starts a new page unless `height` more points fit on this one.
    pub fn keep(&mut self, height: i32) {
        if self.y + height > self.bottom() && self.sheets.last().is_some_and(|s| !s.is_empty()) {
            self.new_page();
        }
    }

    /// Starts the next page (a part that must stand on a page of its own).
    pub fn page_break(&mut self) {
        self.new_page();
    }

    pub fn gap(&mut self, points: i32) {
        self.y += points;
    }

    /// Filled squares of `module` points for the dark cells of a `width` x `width` grid
    /// (row-major `dark`), centred, below the last line; moves down past it.
    pub fn grid(&mut self, dark: &[bool], width: usize, module: i32) {
        let side = i32::try_from(width)
            .unwrap_or(i32::MAX)
            .saturating_mul(module);
        self.keep(side);
        let left = (self.geometry.width - side) / 2;
        let top = self.y;
        for (i, _) in dark.iter().enumerate().filter(|(_, d)| **d) {
            let (row, col) = (i / width.max(1), i % width.max(1));
            self.push(Item::Block {
                x: left + i32::try_from(col).unwrap_or(0) * module,
                y: top + i32::try_from(row).unwrap_or(0) * module,
                w: module,
                h: module,
            });
        }
        self.y += side;
    }

    fn push(&mut self, item: Item) {
        if let Some(sheet) = self.sheets.last_mut() {
            sheet.push(item);
        }
    }

    /// Leading for a size: 1.5 lines, enough for Chinese read on paper.
    fn leading(size: i32) -> i32 {
        size * 3 / 2
    }

    /// Moves down one line of `size`, to a new page if needed; returns the new baseline.
    fn next_line(&mut self, size: i32) -> i32 {
        let leading = Self::leading(size);
        self.keep(leading);
        self.y += leading;
        self.y
    }

    fn text(&mut self, x: i32, y: i32, text: &str, size: i32) {
        self.push(Item::Text {
            x,
            y,
            size,
            text: text.to_owned(),
        });
    }

    /// One line at `x`, no wrapping.
    pub fn line_at(&mut self, x: i32, text: &str, size: i32) {
        let y = self.next_line(size);
        self.text(x, y, text, size);
    }

    pub fn centered(&mut self, text: &str, size: i32) {
        let w = self.measure.width_pt(text, size);
        let x = ((self.geometry.width - w) / 2).max(self.geometry.margin_x);
        self.line_at(x, text, size);
    }

    pub fn right(&mut self, text: &str, size: i32) {
        let w = self.measure.width_pt(text, size);
        let x = (self.geometry.width - self.geometry.margin_x - w).max(self.geometry.margin_x);
        self.line_at(x, text, size);
    }

    /// Wrapped text; `first_indent` points on the first line of each paragraph, `indent` on
    /// every line. Newlines in `text` start new paragraphs.
    pub fn paragraph(&mut self, text: &str, size: i32, indent: i32, first_indent: i32) {
        let left = self.geometry.margin_x + indent;
        let width = self.geometry.content_width() - indent;
        for para in text.lines() {
            let para = para.trim();
            if para.is_empty() {
                continue;
            }
            let lines = break_lines(self.measure, para, size, width - first_indent, width);
            for (i, line) in lines.iter().enumerate() {
                let x = if i == 0 { left + first_indent } else { left };
                self.line_at(x, line, size);
            }
        }
    }

    /// A heading kept on the same page as the first `with_lines` lines of `body_size` after it.
    pub fn heading(&mut self, text: &str, size: i32, body_size: i32, with_lines: i32) {
        self.keep(Self::leading(size) + with_lines * Self::leading(body_size));
        self.line_at(self.geometry.margin_x, text, size);
    }

    /// "label：value" with the value wrapped in a column after the label.
    pub fn field(&mut self, label: &str, value: &str, size: i32, label_width: i32) {
        let x = self.geometry.margin_x;
        let width = self.geometry.content_width() - label_width;
        let lines = break_lines(self.measure, value, size, width, width);
        for (i, line) in lines.iter().enumerate() {
            let y = self.next_line(size);
            // The label goes first, on the value's first line, so it reads (and extracts)
            // as "label：value".
            if i == 0 {
                self.text(x, y, label, size);
            }
            self.text(x + label_width, y, line, size);
        }
    }

    /// A rule across the text column, a little below the last baseline.
    pub fn rule(&mut self) {
        self.keep(12);
        self.y += 8;
        let (x1, x2) = (
            self.geometry.margin_x,
            self.geometry.width - self.geometry.margin_x,
        );
        let y = self.y;
        self.push(Item::Rule { x1, x2, y });
    }

    /// The laid-out pages, each with a centred footer `footer(page, pages)`.
    pub fn finish(mut self, footer: impl Fn(usize, usize) -> String, size: i32) -> Vec<Sheet> {
        let pages = self.sheets.len();
        let y = self.geometry.height - self.geometry.margin_bottom / 2;
        for (i, sheet) in self.sheets.iter_mut().enumerate() {
            let text = footer(i + 1, pages);
            let w = self.measure.width_pt(&text, size);
            sheet.push(Item::Text {
                x: (self.geometry.width - w) / 2,
                y,
                size,
                text,
            });
        }
        self.sheets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokens(text)
            .into_iter()
            .map(|t| match t {
                Token::Space => " ".to_owned(),
                Token::Word(w) => w,
            })
            .collect()
    }

    #[test]
    fn chinese_breaks_anywhere_latin_words_stay_whole() {
        assert_eq!(words("调查结果"), ["调", "查", "结", "果"]);
        assert_eq!(words("编号ABC-123号"), ["编", "号", "ABC-123", "号"]);
        assert_eq!(
            words("金额 1,234.50 元"),
            ["金", "额", " ", "1,234.50", " ", "元"]
        );
    }

    #[test]
    fn lines_fit_keep_every_character_and_keep_words_whole() {
        let font = crate::documents::CjkFont::load(&crate::documents::FontSource::System)
            .expect("a CJK font (install fonts-noto-cjk)");
        let measure = Measure::new(font.face().expect("face"));
        let text = "经核查，该笔转账因系统在清算批次切换时重发报文（批次 settlement-batch-20261028-0001），导致同一笔交易被扣划两次，金额 2,000.00 元。"
            .repeat(5);
        let (size, first, width) = (11, 200, 222);
        let lines = break_lines(&measure, &text, size, first, width);
        assert!(lines.len() > 5, "{lines:?}");
        for (i, line) in lines.iter().enumerate() {
            let max = if i == 0 { first } else { width };
            assert!(
                measure.width_pt(line, size) <= max,
                "{line:?} wider than {max}"
            );
            assert!(
                !line.starts_with(['，', '。', '）']),
                "{line:?} starts with punctuation"
            );
        }
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(squeeze(&lines.concat()), squeeze(&text));
        let whole = lines
            .iter()
            .filter(|l| l.contains("settlement-batch-20261028-0001"))
            .count();
        assert_eq!(whole, 5, "{lines:?}");
    }

    #[test]
    fn a_word_wider_than_the_line_is_split_not_lost() {
        let font = crate::documents::CjkFont::load(&crate::documents::FontSource::System)
            .expect("a CJK font (install fonts-noto-cjk)");
        let measure = Measure::new(font.face().expect("face"));
        let word = "X".repeat(200);
        let lines = break_lines(&measure, &word, 10, 100, 100);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), word);
        assert!(lines.iter().all(|l| measure.width_pt(l, 10) <= 100));
    }

    #[test]
    fn punctuation_stays_with_its_neighbour() {
        assert_eq!(words("好，是。"), ["好，", "是。"]);
        assert_eq!(words("见《规定》"), ["见", "《规", "定》"]);
        assert_eq!(words("(note)"), ["(note)"]);
    }
}
