//! The layout engine: sets a validated template, filled with values, on A4 pages.
//!
//! Geometry follows GB/T 9704 (A4; margins 37 top, 35 bottom, 28 left, 26 right mm; title 2号
//! ≈ 22 pt centred, body 3号 = 16 pt with a line pitch of about 28 pt). The engine knows
//! nothing about notices: it flows blocks down the page, breaks lines with
//! [`super::linebreak`], splits tables across pages with the header repeated, and records which
//! characters each face set so the PDF can embed exactly those glyphs. Coordinates are pt from
//! the top-left corner until an op is emitted (PDF counts from the bottom).

use std::collections::BTreeSet;

use printpdf::{
    Color, FontId, Greyscale, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Pt, Rect,
    TextItem,
};

use super::fonts::{Face, Fonts};
use super::linebreak::{Breaking, Line as TextLine, break_lines_as, no_line_end, no_line_start};
use super::template::{Block, Table, Template, TextOpts, Values, fill, fill_pieces};

pub(crate) const MM: f32 = 72.0 / 25.4;
pub(crate) const PAGE_W: f32 = 210.0 * MM;
pub(crate) const PAGE_H: f32 = 297.0 * MM;
const TOP: f32 = 37.0 * MM;
pub(crate) const BOTTOM: f32 = 35.0 * MM;
const LEFT: f32 = 28.0 * MM;
pub(crate) const RIGHT: f32 = 26.0 * MM;
const TEXT_W: f32 = PAGE_W - LEFT - RIGHT;
const BODY_PT: f32 = 16.0;
const PITCH: f32 = 1.75; // line pitch as a multiple of the font size
const RULE_PT: f32 = 0.6;
/// The verification block's QR code, and the space above the block when it sits below.
const QR_SIDE: f32 = 22.0 * MM;
const VERIFICATION_GAP: f32 = 6.0 * MM;

/// PDF resource names of the two faces.
pub(crate) const BODY_ID: &str = "F1";
pub(crate) const TITLE_ID: &str = "F2";

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum FaceKind {
    Body,
    Title,
}

/// Whether justification may widen the gap between `a` and `b`: anywhere except inside a run
/// of Latin letters, digits and ASCII punctuation.
fn stretchable(a: char, b: char) -> bool {
    let word = |c: char| c.is_ascii_graphic() || c == '¥';
    !(word(a) && word(b))
}

/// Where the last signature block was set, so the verification block can sit beside it.
#[derive(Clone, Copy)]
struct SignatureBox {
    page: usize,
    top: f32,
    bottom: f32,
    left: f32,
}

/// Pages being laid out.
pub(crate) struct Layout<'a> {
    fonts: &'a Fonts,
    pub(crate) pages: Vec<Vec<Op>>,
    pub(crate) used_body: BTreeSet<char>,
    pub(crate) used_title: BTreeSet<char>,
    /// For each table laid out, in order: the page (from 1) each body row starts on.
    pub(crate) table_rows: Vec<Vec<usize>>,
    /// The height of what follows the table being laid out when only a trailer does (the
    /// 主持人 line, the verification block): its last row goes with it (2026.8 on), so that
    /// no page holds the trailer alone.
    tail: f32,
    y: f32,
    pagehead: Option<(f32, Vec<String>)>,
    signature: Option<SignatureBox>,
    /// How lines are broken (the template version's).
    breaking: Breaking,
    /// Whether a table row too tall for what is left of the page continues on the next
    /// (2026.8 on; before, a row taller than a page ran off its foot).
    rows_flow: bool,
    /// Whether the issuers and date are kept within the margin ([`Layout::fit_signature`];
    /// 2026.10 on: before, a long village name ran them off the page's right edge).
    fits_signature: bool,
    /// Whether the verification block is counted as part of the ending it closes
    /// ([`Style::keeps_ending_together`]; 2026.13 on).
    keeps_ending_together: bool,
}

impl<'a> Layout<'a> {
    fn new(fonts: &'a Fonts, breaking: Breaking, rows_flow: bool) -> Self {
        Layout {
            breaking,
            rows_flow,
            fits_signature: false,
            keeps_ending_together: false,
            fonts,
            pages: Vec::new(),
            used_body: BTreeSet::new(),
            used_title: BTreeSet::new(),
            table_rows: Vec::new(),
            tail: 0.0,
            y: TOP,
            pagehead: None,
            signature: None,
        }
    }

    fn face(&self, f: FaceKind) -> &Face {
        match f {
            FaceKind::Body => &self.fonts.body,
            FaceKind::Title => &self.fonts.title,
        }
    }

    fn width(&self, f: FaceKind, size: f32, s: &str) -> f32 {
        let face = self.face(f);
        s.chars().map(|c| face.advance(c, size)).sum()
    }

    fn lines(&self, f: FaceKind, size: f32, text: &str, width: f32, indent: f32) -> Vec<TextLine> {
        // Dates are kept whole in table cells (2026.10 on), and in running text (2026.11 on).
        let how = Breaking {
            dates_whole: self.breaking.dates_whole && self.breaking.dates_whole_in_text,
            ..self.breaking
        };
        self.lines_as(f, size, text, width, indent, how)
    }

    fn lines_as(
        &self,
        f: FaceKind,
        size: f32,
        text: &str,
        width: f32,
        indent: f32,
        how: Breaking,
    ) -> Vec<TextLine> {
        let face = self.face(f);
        break_lines_as(text, width, indent, &|c| face.advance(c, size), how)
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.new_page();
        }
        self.pages.last_mut().expect("a page exists")
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
        if let Some((size, lines)) = self.pagehead.clone() {
            let pitch = size * 1.5;
            let mut y = TOP - 4.0 * MM - pitch * lines.len() as f32;
            for l in &lines {
                self.text(FaceKind::Body, size, LEFT, y + size * 1.1, l, 0.0);
                y += pitch;
            }
            self.hline(LEFT, PAGE_W - RIGHT, TOP - 2.5 * MM, 0.4);
        }
    }

    /// Starts a new page unless `h` more points fit on this one.
    fn ensure(&mut self, h: f32) {
        if self.pages.is_empty() || self.y + h > PAGE_H - BOTTOM + 0.01 {
            self.new_page();
        }
    }

    /// Sets `s` with its baseline at `baseline` (pt from the top).
    pub(crate) fn text(&mut self, f: FaceKind, size: f32, x: f32, baseline: f32, s: &str, tc: f32) {
        if s.is_empty() {
            return;
        }
        let used = match f {
            FaceKind::Body => &mut self.used_body,
            FaceKind::Title => &mut self.used_title,
        };
        used.extend(s.chars());
        let id = match f {
            FaceKind::Body => BODY_ID,
            FaceKind::Title => TITLE_ID,
        };
        let ops = self.ops();
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(id.into())),
            size: Pt(size),
        });
        if tc != 0.0 {
            ops.push(Op::SetCharacterSpacing { multiplier: tc });
        }
        ops.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(x),
                y: Pt(PAGE_H - baseline),
            },
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(s.to_string())],
        });
        ops.push(Op::EndTextSection);
        if tc != 0.0 {
            ops.push(Op::SetCharacterSpacing { multiplier: 0.0 });
        }
    }

    fn stroke(&mut self, pts: &[(f32, f32)], thickness: f32) {
        let ops = self.ops();
        ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
        ops.push(Op::DrawLine {
            line: Line {
                points: pts
                    .iter()
                    .map(|&(x, y)| LinePoint {
                        p: Point {
                            x: Pt(x),
                            y: Pt(PAGE_H - y),
                        },
                        bezier: false,
                    })
                    .collect(),
                is_closed: false,
            },
        });
    }

    fn hline(&mut self, x1: f32, x2: f32, y: f32, t: f32) {
        self.stroke(&[(x1, y), (x2, y)], t);
    }

    fn vline(&mut self, x: f32, y1: f32, y2: f32, t: f32) {
        self.stroke(&[(x, y1), (x, y2)], t);
    }

    fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.ops().push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(x),
                y: Pt(PAGE_H - y - h),
                width: Pt(w),
                height: Pt(h),
                mode: Some(PaintMode::Fill),
                winding_order: None,
            },
        });
    }

    /// Baseline of a line of `size` centred in a line box of `pitch` starting at `top`.
    fn baseline(top: f32, size: f32, pitch: f32) -> f32 {
        top + (pitch - size) / 2.0 + size * 0.88
    }

    /// A title line filled from `pieces` (see [`fill_pieces`]). With `at_pieces` (templates
    /// 2026.5 on), a title too long for one line is cut into two where one piece meets the
    /// next — between the village, 关于, the matter's title and the notice's name — so no
    /// word is split ("硬化" across two lines), choosing the cut whose longer line is
    /// shortest and never one that starts the second line with 的 or with punctuation that
    /// may not begin a line, or ends the first with punctuation that may not end one (the
    /// sheet's “ before the matter's title). When no such cut gives two lines that fit (a
    /// matter's title longer than a line), the lines are balanced as [`Layout::centred`]
    /// does.
    fn title(&mut self, size: f32, pitch: f32, pieces: &[String], at_pieces: bool) {
        let f = FaceKind::Title;
        let text = pieces.concat();
        if at_pieces && self.lines(f, size, &text, TEXT_W, 0.0).len() > 1 {
            let mut best: Option<(f32, usize)> = None;
            let mut cut = 0;
            for p in &pieces[..pieces.len().saturating_sub(1)] {
                cut += p.len();
                let (a, b) = text.split_at(cut);
                let Some(first) = b.chars().next() else {
                    continue;
                };
                let last = a.chars().next_back().unwrap_or(' ');
                if a.trim().is_empty() || first == '的' || no_line_start(first) || no_line_end(last)
                {
                    continue;
                }
                let (la, lb) = (
                    self.lines(f, size, a, TEXT_W, 0.0),
                    self.lines(f, size, b, TEXT_W, 0.0),
                );
                if let ([la], [lb]) = (la.as_slice(), lb.as_slice()) {
                    let w = la.width.max(lb.width);
                    if best.is_none_or(|(bw, _)| w < bw) {
                        best = Some((w, cut));
                    }
                }
            }
            if let Some((_, cut)) = best {
                let (a, b) = text.split_at(cut);
                self.centred(f, size, pitch, a);
                self.centred(f, size, pitch, b);
                return;
            }
        }
        self.centred(f, size, pitch, &text);
    }

    /// Centred lines; a title that needs several lines is balanced (lines of similar length,
    /// never a lone character on the last line).
    fn centred(&mut self, f: FaceKind, size: f32, pitch: f32, text: &str) {
        let mut lines = self.lines(f, size, text, TEXT_W, 0.0);
        if lines.len() > 1 {
            let n = lines.len();
            let (mut lo, mut hi) = (TEXT_W / n as f32, TEXT_W);
            for _ in 0..20 {
                let mid = (lo + hi) / 2.0;
                if self.lines(f, size, text, mid, 0.0).len() > n {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            lines = self.lines(f, size, text, hi, 0.0);
        }
        for l in lines {
            self.ensure(pitch);
            let x = LEFT + (TEXT_W - l.width) / 2.0;
            self.text(
                f,
                size,
                x,
                Self::baseline(self.y, size, pitch),
                &l.text,
                0.0,
            );
            self.y += pitch;
        }
    }

    /// A paragraph: first line indented by `indent` ems, full lines justified by widening the
    /// gaps between characters (never inside a Latin word or number).
    fn paragraph(&mut self, f: FaceKind, size: f32, text: &str, indent_em: f32) {
        let pitch = size * PITCH;
        let indent = indent_em * size;
        let lines = self.lines(f, size, text, TEXT_W, indent);
        for (i, l) in lines.iter().enumerate() {
            self.ensure(pitch);
            let ind = if i == 0 { indent } else { 0.0 };
            let chars: Vec<char> = l.text.chars().collect();
            let gaps = (1..chars.len())
                .filter(|&k| stretchable(chars[k - 1], chars[k]))
                .count();
            let slack = TEXT_W - ind - l.width;
            let per_gap = if l.last || gaps == 0 || slack <= 0.0 {
                0.0
            } else {
                slack / gaps as f32
            };
            let baseline = Self::baseline(self.y, size, pitch);
            if per_gap > 0.0 && per_gap < size * 0.3 {
                self.text_spaced(f, size, LEFT + ind, baseline, &chars, per_gap);
            } else {
                self.text(f, size, LEFT + ind, baseline, &l.text, 0.0);
            }
            self.y += pitch;
        }
    }

    /// Like [`Layout::text`], with `extra` pt added at every stretchable gap (a TJ array).
    fn text_spaced(
        &mut self,
        f: FaceKind,
        size: f32,
        x: f32,
        baseline: f32,
        chars: &[char],
        extra: f32,
    ) {
        let mut items = Vec::new();
        let mut run = String::new();
        for (k, &c) in chars.iter().enumerate() {
            if k > 0 && stretchable(chars[k - 1], c) {
                items.push(TextItem::Text(std::mem::take(&mut run)));
                items.push(TextItem::Offset(-extra / size * 1000.0));
            }
            run.push(c);
        }
        items.push(TextItem::Text(run));
        let used = match f {
            FaceKind::Body => &mut self.used_body,
            FaceKind::Title => &mut self.used_title,
        };
        used.extend(chars.iter().copied());
        let id = match f {
            FaceKind::Body => BODY_ID,
            FaceKind::Title => TITLE_ID,
        };
        let ops = self.ops();
        ops.push(Op::StartTextSection);
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(FontId(id.into())),
            size: Pt(size),
        });
        ops.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(x),
                y: Pt(PAGE_H - baseline),
            },
        });
        ops.push(Op::ShowText { items });
        ops.push(Op::EndTextSection);
    }

    /// The issuers and date as set from 2026.10: within the margin, two ems from it as
    /// usual; lines too wide (a long village name) set smaller, down to 12 pt, and what is
    /// still too wide broken onto more lines. Empty lines left out.
    fn fit_signature(&self, size: f32, lines: &[String]) -> (f32, Vec<String>) {
        const SMALLEST: f32 = 12.0;
        let lines: Vec<String> = lines
            .iter()
            .filter(|l| !l.trim().is_empty())
            .cloned()
            .collect();
        let room = |s: f32| TEXT_W - 2.0 * s + 0.01;
        let widest = |s: f32| {
            lines
                .iter()
                .map(|l| self.width(FaceKind::Body, s, l))
                .fold(0.0f32, f32::max)
        };
        let w = widest(size);
        if w <= room(size) {
            return (size, lines);
        }
        // Widths scale with the size: w·s/size + 2s fits TEXT_W.
        let s = (size * TEXT_W / (w + 2.0 * size)).clamp(SMALLEST, size);
        let lines = lines
            .iter()
            .flat_map(|l| {
                if self.width(FaceKind::Body, s, l) <= room(s) {
                    vec![l.clone()]
                } else {
                    self.lines(FaceKind::Body, s, l, TEXT_W - 2.0 * s, 0.0)
                        .into_iter()
                        .map(|x| x.text)
                        .collect()
                }
            })
            .collect();
        (s, lines)
    }

    /// The issuers and date as [`Layout::signature`] sets them: their size and lines, and
    /// the left edge of the block.
    fn signature_lines(&self, size: f32, lines: &[String]) -> (f32, Vec<String>, f32) {
        let (size, lines) = if self.fits_signature {
            self.fit_signature(size, lines)
        } else {
            (
                size,
                lines
                    .iter()
                    .filter(|l| !l.trim().is_empty())
                    .cloned()
                    .collect(),
            )
        };
        let w = lines
            .iter()
            .map(|l| self.width(FaceKind::Body, size, l))
            .fold(0.0, f32::max);
        let right = PAGE_W - RIGHT - 2.0 * size;
        let left = (right - w).max(LEFT);
        (size, lines, left)
    }

    fn signature(&mut self, size: f32, lines: &[String]) {
        let pitch = size * PITCH;
        self.y += pitch; // one blank line after 特此公告
        let (size, lines, left) = self.signature_lines(size, lines);
        let pitch = size * PITCH;
        self.ensure(pitch * lines.len() as f32);
        let w = lines
            .iter()
            .map(|l| self.width(FaceKind::Body, size, l))
            .fold(0.0, f32::max);
        let top = self.y;
        for l in &lines {
            let lw = self.width(FaceKind::Body, size, l);
            let x = left + (w - lw) / 2.0;
            self.text(
                FaceKind::Body,
                size,
                x,
                Self::baseline(self.y, size, pitch),
                l,
                0.0,
            );
            self.y += pitch;
        }
        let page = self.pages.len() - 1;
        self.signature = Some(SignatureBox {
            page,
            top,
            bottom: self.y,
            left,
        });
    }

    /// The verification block: QR code with the lines beside it. It sits bottom left, beside
    /// the issuers when they leave room, else below everything at the foot of the text area.
    fn verification(&mut self, size: f32, lines: &[String], qr: &str) {
        let pitch = size * 1.45;
        let text_x = LEFT + QR_SIDE + 3.0 * MM;
        let set = |me: &mut Self, top: f32, lines: &[TextLine], h: f32| {
            me.qr(LEFT, top + (h - QR_SIDE) / 2.0, QR_SIDE, qr);
            let mut y = top + (h - lines.len() as f32 * pitch) / 2.0;
            for l in lines {
                me.text(
                    FaceKind::Body,
                    size,
                    text_x,
                    Self::baseline(y, size, pitch),
                    &l.text,
                    0.0,
                );
                y += pitch;
            }
        };
        if let Some(sig) = self.signature.filter(|s| s.page + 1 == self.pages.len())
            && let Some((wrapped, h)) = self.verification_beside(size, lines, sig)
        {
            // 2026.13 on, within the page as the issuers are (they were kept on it).
            let slack = if self.keeps_ending_together {
                0.01
            } else {
                0.0
            };
            let top = sig.bottom - h;
            if top + h <= PAGE_H - BOTTOM + slack {
                set(self, top, &wrapped, h);
                return;
            }
        }
        let (wrapped, h) = self.verification_wrapped(size, lines, LEFT + TEXT_W - text_x);
        let gap = VERIFICATION_GAP;
        if self.pages.is_empty() || self.y + gap + h > PAGE_H - BOTTOM {
            self.new_page();
        }
        // Foot of the text area, so the block sits in the same place on every page.
        let top = (PAGE_H - BOTTOM - h).max(self.y + gap);
        set(self, top, &wrapped, h);
        self.y = top + h;
    }

    /// The verification block's lines wrapped to `w`, and the block's height.
    fn verification_wrapped(&self, size: f32, lines: &[String], w: f32) -> (Vec<TextLine>, f32) {
        let wrapped: Vec<TextLine> = lines
            .iter()
            .flat_map(|l| self.lines(FaceKind::Body, size, l, w, 0.0))
            .collect();
        let h = QR_SIDE.max(wrapped.len() as f32 * size * 1.45);
        (wrapped, h)
    }

    /// The verification block set beside issuers set at `sig` (its lines and height), when
    /// they leave it room: 45 mm for its lines, and no higher than the issuers and a line.
    fn verification_beside(
        &self,
        size: f32,
        lines: &[String],
        sig: SignatureBox,
    ) -> Option<(Vec<TextLine>, f32)> {
        let text_x = LEFT + QR_SIDE + 3.0 * MM;
        let avail = sig.left - 5.0 * MM - text_x;
        if avail < 45.0 * MM {
            return None;
        }
        let (wrapped, h) = self.verification_wrapped(size, lines, avail);
        (sig.bottom - h >= sig.top - BODY_PT * PITCH).then_some((wrapped, h))
    }

    /// What the verification block takes below issuers whose block starts at `left` and is
    /// `height` tall: nothing when it sits beside them, else its gap and height (2026.13:
    /// reserved with the sign-off, so the block is not left alone on a page).
    fn verification_below(&self, size: f32, lines: &[String], left: f32, height: f32) -> f32 {
        let sig = SignatureBox {
            page: 0,
            top: 0.0,
            bottom: height,
            left,
        };
        match self.verification_beside(size, lines, sig) {
            Some(_) => 0.0,
            None => {
                let text_x = LEFT + QR_SIDE + 3.0 * MM;
                let (_, h) = self.verification_wrapped(size, lines, LEFT + TEXT_W - text_x);
                VERIFICATION_GAP + h
            }
        }
    }

    /// Draws `data` as a QR code, dark modules as filled squares (runs merged per row).
    fn qr(&mut self, x: f32, y: f32, side: f32, data: &str) {
        let Some((n, colors)) = qr_modules(data) else {
            return; // Too long to encode: the printed lines still carry the same facts.
        };
        let m = side / n as f32;
        self.ops().push(Op::SetFillColor {
            col: Color::Greyscale(Greyscale::new(0.0, None)),
        });
        for r in 0..n {
            let mut c = 0;
            while c < n {
                if colors[r * n + c] == qrcode::Color::Dark {
                    let start = c;
                    while c < n && colors[r * n + c] == qrcode::Color::Dark {
                        c += 1;
                    }
                    let w = (c - start) as f32 * m;
                    self.fill_rect(x + start as f32 * m, y + r as f32 * m, w, m);
                } else {
                    c += 1;
                }
            }
        }
    }

    fn table(&mut self, t: &Table, header: &[String], rows: &[Vec<String>], empty: Option<&str>) {
        let size = t.size.unwrap_or(12.0);
        let pitch = size * 1.4;
        let pad = 3.0;
        let total: f32 = t.widths.iter().sum();
        let widths: Vec<f32> = t.widths.iter().map(|w| w / total * TEXT_W).collect();
        let min_h = t.row_mm.map(|m| m * MM).unwrap_or(0.0);

        // A date in a cell is kept whole (2026.10 on: `Breaking::dates_whole`).
        let cell_lines = |me: &Self, f: FaceKind, text: &str, w: f32| -> Vec<TextLine> {
            text.split("\\n")
                .flat_map(|piece| {
                    me.lines_as(f, size, piece.trim(), w - 2.0 * pad, 0.0, me.breaking)
                })
                .collect()
        };
        let layout_row = |me: &Self, f: FaceKind, cells: &[String]| {
            let laid: Vec<Vec<TextLine>> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| cell_lines(me, f, c, *w))
                .collect();
            let n = laid.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h =
                (n as f32 * pitch + 2.0 * pad).max(if f == FaceKind::Title { 0.0 } else { min_h });
            (laid, h)
        };
        let (head_laid, head_h) = layout_row(self, FaceKind::Title, header);
        // A part of a row split across pages is set from its top (centred, the columns of
        // one text broken over two parts did not line up).
        let draw_row =
            |me: &mut Self, f: FaceKind, laid: &[Vec<TextLine>], h: f32, top_aligned: bool| {
                let top = me.y;
                let mut x = LEFT;
                me.hline(LEFT, LEFT + TEXT_W, top, RULE_PT);
                me.hline(LEFT, LEFT + TEXT_W, top + h, RULE_PT);
                me.vline(LEFT, top, top + h, RULE_PT);
                for (col, (lines, w)) in laid.iter().zip(&widths).enumerate() {
                    let block_h = lines.len() as f32 * pitch;
                    let mut ly = if top_aligned {
                        top + pad
                    } else {
                        top + (h - block_h) / 2.0
                    };
                    let centre = match t.align.get(col) {
                        Some('l') => false,
                        Some('c') => true,
                        _ => lines.len() == 1 || lines.iter().all(|l| l.last),
                    };
                    for l in lines {
                        let lx = if centre {
                            x + (w - l.width) / 2.0
                        } else {
                            x + pad
                        };
                        me.text(f, size, lx, Self::baseline(ly, size, pitch), &l.text, 0.0);
                        ly += pitch;
                    }
                    x += w;
                    me.vline(x, top, top + h, RULE_PT);
                }
                me.y += h;
            };

        let mut body: Vec<(Vec<Vec<TextLine>>, f32)> = rows
            .iter()
            .map(|r| layout_row(self, FaceKind::Body, r))
            .collect();
        if body.is_empty()
            && let Some(e) = empty
        {
            // One full-width row saying there is nothing to list.
            let mut cells = vec![String::new(); widths.len()];
            cells[0] = e.to_string();
            let lines = self.lines(FaceKind::Body, size, e, TEXT_W - 2.0 * pad, 0.0);
            let h = lines.len() as f32 * pitch + 2.0 * pad;
            self.ensure(head_h + h);
            draw_row(self, FaceKind::Title, &head_laid, head_h, false);
            let top = self.y;
            self.hline(LEFT, LEFT + TEXT_W, top + h, RULE_PT);
            self.vline(LEFT, top, top + h, RULE_PT);
            self.vline(LEFT + TEXT_W, top, top + h, RULE_PT);
            let mut ly = top + pad;
            for l in lines {
                let lx = LEFT + (TEXT_W - l.width) / 2.0;
                self.text(
                    FaceKind::Body,
                    size,
                    lx,
                    Self::baseline(ly, size, pitch),
                    &l.text,
                    0.0,
                );
                ly += pitch;
            }
            self.y += h;
            body.clear();
        }
        let mut header_drawn = false;
        self.table_rows.push(Vec::new());
        let started = |me: &mut Self| {
            let page = me.pages.len();
            if let Some(rows) = me.table_rows.last_mut() {
                rows.push(page);
            }
        };
        // 2026.8 on: a row that does not fit on what is left of the page, and is taller than
        // a quarter of a page, starts here when three of its lines fit, and goes on under
        // the repeated head on the next page, as often as it takes. Other rows move whole.
        if self.rows_flow {
            let fresh = PAGE_H - BOTTOM - TOP - head_h;
            let three = 3.0 * pitch + 2.0 * pad;
            let room = |me: &Self| PAGE_H - BOTTOM + 0.01 - me.y;
            let height = |cells: &[Vec<TextLine>]| {
                cells.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * pitch + 2.0 * pad
            };
            let n = body.len();
            // The trailer goes with the last row when they fit on a page together.
            // (With the space a table leaves below it.)
            let trailer = if self.tail > 0.0 {
                self.tail + size * 0.8
            } else {
                0.0
            };
            let tail = match body.last() {
                Some((_, last)) if *last <= fresh / 4.0 && last + trailer <= fresh => trailer,
                _ => 0.0,
            };
            for (i, (laid, h)) in body.iter().enumerate() {
                let mut rest = laid.clone();
                let mut rest_h = *h;
                // The last row (a table's 合计) never alone under a repeated head: the row
                // before it goes over with it, when both are short; and the last row goes
                // with the trailer.
                let with_last = match body.get(i + 1) {
                    Some((_, last)) if i + 2 == n && *h <= fresh / 4.0 && *last <= fresh / 4.0 => {
                        *last + tail
                    }
                    None => tail,
                    _ => 0.0,
                };
                let mut first = true;
                let mut split = false;
                // A part after the first shows again the short cells the first part set
                // (whose objection, which day), so a reader knows what row goes on.
                let shown = |cells: &[Vec<TextLine>], split: bool| -> Vec<Vec<TextLine>> {
                    cells
                        .iter()
                        .zip(laid)
                        .map(|(c, orig)| {
                            if split && c.is_empty() && (1..=3).contains(&orig.len()) {
                                orig.clone()
                            } else {
                                c.clone()
                            }
                        })
                        .collect()
                };
                loop {
                    let need = if rest_h > fresh / 4.0 {
                        rest_h.min(three)
                    } else {
                        rest_h + with_last
                    };
                    if !header_drawn {
                        self.ensure(head_h + need);
                        draw_row(self, FaceKind::Title, &head_laid, head_h, false);
                        header_drawn = true;
                    } else if room(self) < need {
                        self.new_page();
                        draw_row(self, FaceKind::Title, &head_laid, head_h, false);
                    }
                    if first {
                        started(self);
                        first = false;
                    }
                    if rest_h <= room(self) {
                        draw_row(self, FaceKind::Body, &shown(&rest, split), rest_h, split);
                        break;
                    }
                    let fit = (((room(self) - 2.0 * pad) / pitch).floor() as usize).max(1);
                    let part: Vec<Vec<TextLine>> = rest
                        .iter_mut()
                        .map(|c| c.drain(..fit.min(c.len())).collect())
                        .collect();
                    let part = shown(&part, split);
                    let part_h = height(&part);
                    draw_row(self, FaceKind::Body, &part, part_h, true);
                    split = true;
                    rest_h = height(&shown(&rest, split)).max(min_h);
                }
            }
            body.clear();
        }
        for (laid, h) in &body {
            if !header_drawn {
                self.ensure(head_h + h);
                draw_row(self, FaceKind::Title, &head_laid, head_h, false);
                header_drawn = true;
            } else if self.y + h > PAGE_H - BOTTOM + 0.01 {
                self.new_page();
                draw_row(self, FaceKind::Title, &head_laid, head_h, false);
            }
            started(self);
            draw_row(self, FaceKind::Body, laid, *h, false);
        }
        if !header_drawn && rows.is_empty() && empty.is_none() {
            self.ensure(head_h);
            draw_row(self, FaceKind::Title, &head_laid, head_h, false);
        }
        self.y += size * 0.8;
    }
}

/// How a template version lays text out, where versions differ.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// Break a long title where two pieces meet ([`Layout::title`]; 2026.5 on).
    pub titles_at_pieces: bool,
    /// Indent every paragraph of a text that has several (a resolution's 第一条, 第二条…),
    /// not only its first (2026.6 on).
    pub indent_every_paragraph: bool,
    /// Numbers kept with their units, no paragraph ending with one character alone
    /// ([`Breaking`]; 2026.7 on); dates kept whole in table cells (2026.10 on).
    pub breaking: Breaking,
    /// A paragraph that leads in to what follows (it ends with ：, as 资金来源如下：) is
    /// not left at the foot of a page without it (2026.7 on).
    pub lead_in_keeps_with_next: bool,
    /// A table row too tall for what is left of a page goes on to the next, and a heading
    /// is kept with the head and first lines of the table that follows it (2026.8 on).
    pub tables_flow: bool,
    /// The issuers and date are kept within the margin, set smaller or on more lines for a
    /// long village name ([`Layout::fit_signature`]; 2026.10 on).
    pub fits_signature: bool,
    /// The ending — the paragraph before the issuers, the issuers and date, and the
    /// verification block when it cannot sit beside them (a long village name) — is kept
    /// on one page, across the space a form leaves before its issuer (2026.13 on; before,
    /// the verification block could stand alone on a last page).
    pub keeps_ending_together: bool,
}

/// Lays out `template` filled with `values`, in `style`.
pub(crate) fn render<'a>(
    fonts: &'a Fonts,
    template: &Template,
    values: &Values,
    qr: &str,
    style: Style,
) -> Layout<'a> {
    let titles_at_pieces = style.titles_at_pieces;
    let scalar = |n: &str| values.scalars.get(n).cloned();
    let mut l = Layout::new(fonts, style.breaking, style.tables_flow);
    l.fits_signature = style.fits_signature;
    l.keeps_ending_together = style.keeps_ending_together;
    // The page head must exist before the first page is opened.
    for b in &template.blocks {
        if let Block::PageHead(o, lines) = b {
            let lines: Vec<String> = lines.iter().map(|t| fill(t, &scalar)).collect();
            l.pagehead = Some(fit_pagehead(&l, o.size.unwrap_or(9.0), lines));
        }
    }
    let size = |o: &TextOpts, d: f32| o.size.unwrap_or(d);
    let mut page_number = None;
    // A lead-in (a paragraph ending with ：, as 资金来源如下：) kept with two lines of what
    // follows: the height to reserve for it, when that fits on a page (2026.7 on).
    let lead_in = |l: &Layout, s: f32, p: &str| -> Option<f32> {
        if !style.lead_in_keeps_with_next || !p.ends_with('：') {
            return None;
        }
        let n = l.lines(FaceKind::Body, s, p, TEXT_W, 2.0 * s).len();
        let h = s * PITCH * (n as f32 + 2.0);
        (h <= PAGE_H - TOP - BOTTOM).then_some(h)
    };
    for (i, b) in template.blocks.iter().enumerate() {
        match b {
            Block::Title(o, lines) => {
                let s = size(o, 22.0);
                for t in lines {
                    l.title(s, s * 1.5, &fill_pieces(t, &scalar), titles_at_pieces);
                }
                l.y += s * 0.6;
            }
            Block::Subtitle(o, lines) => {
                let s = size(o, 14.0);
                for t in lines {
                    l.centred(FaceKind::Body, s, s * 1.5, &fill(t, &scalar));
                }
                l.y += s * 0.5;
            }
            Block::Lines(o, lines) => {
                let s = size(o, BODY_PT);
                for t in lines {
                    l.paragraph(FaceKind::Body, s, &fill(t, &scalar), 0.0);
                }
            }
            Block::Heading(o, lines) => {
                let s = size(o, BODY_PT);
                // A lead-in right after the heading goes with it, and what it leads in to.
                let next = match template.blocks.get(i + 1) {
                    Some(Block::Para(po, plines)) => plines.first().and_then(|t| {
                        let text = fill(t, &scalar);
                        let first = text.split('\n').next().unwrap_or_default().to_string();
                        lead_in(&l, size(po, BODY_PT), &first)
                    }),
                    // A table's head and the first lines of its first row (two lines each,
                    // ruled and padded) go with the heading (2026.8 on).
                    Some(Block::Table(t)) if style.tables_flow => {
                        Some(4.0 * t.size.unwrap_or(12.0) * 1.4 + 4.0 * 3.0)
                    }
                    _ => None,
                };
                for t in lines {
                    // Keep a heading with at least two lines of what follows.
                    let own = s * PITCH;
                    match next {
                        Some(h) if own + h <= PAGE_H - TOP - BOTTOM => l.ensure(own + h),
                        _ => l.ensure(s * PITCH * 3.0),
                    }
                    l.paragraph(FaceKind::Title, s, &fill(t, &scalar), 2.0);
                }
            }
            Block::Para(o, lines) => {
                let s = size(o, BODY_PT);
                // 2026.8: the paragraph before the sign-off (特此公告) goes with it, so the
                // issuers and the date never stand alone on a last page.
                let sign_off = if style.keeps_ending_together {
                    ending(&l, &template.blocks[i + 1..], &scalar)
                } else {
                    match template.blocks.get(i + 1) {
                        Some(Block::Signature(so, sl)) if style.tables_flow => {
                            let s = size(so, BODY_PT);
                            let filled = signature_filled(sl, &scalar);
                            // The blank line before, and the lines as they will be set.
                            if style.fits_signature {
                                let (fs, fl) = l.fit_signature(s, &filled);
                                Some(s * PITCH + fs * PITCH * fl.len() as f32)
                            } else {
                                Some(s * PITCH * (filled.len() as f32 + 1.0))
                            }
                        }
                        _ => None,
                    }
                };
                for (k, t) in lines.iter().enumerate() {
                    let text = fill(t, &scalar);
                    if let Some(h) = sign_off.filter(|_| k + 1 == lines.len()) {
                        let n = l.lines(FaceKind::Body, s, &text, TEXT_W, 2.0 * s).len();
                        let need = s * PITCH * n as f32 + h;
                        if need <= PAGE_H - TOP - BOTTOM {
                            l.ensure(need);
                        }
                    }
                    if style.indent_every_paragraph {
                        for p in text.split('\n') {
                            // A lead-in: its lines and two more (a table's head and first
                            // row, or the next paragraph's first lines) on one page.
                            if let Some(h) = lead_in(&l, s, p) {
                                l.ensure(h);
                            }
                            l.paragraph(FaceKind::Body, s, p, 2.0);
                        }
                    } else {
                        l.paragraph(FaceKind::Body, s, &text, 2.0);
                    }
                }
            }
            Block::Table(t) => {
                let header: Vec<String> = t.header.iter().map(|c| fill(c, &scalar)).collect();
                let mut rows = Vec::new();
                let items = values.lists.get(t.list.as_str());
                for r in &t.rows {
                    if r.repeat && t.list != "static" {
                        for item in items.into_iter().flatten() {
                            let get = |n: &str| item.get(n).cloned().or_else(|| scalar(n));
                            rows.push(r.cells.iter().map(|c| fill(c, &get)).collect());
                        }
                    } else {
                        rows.push(r.cells.iter().map(|c| fill(c, &scalar)).collect());
                    }
                }
                let empty = t.empty.as_deref().map(|e| fill(e, &scalar));
                // Only a trailer after the table (2026.8 on): its height, to keep the last
                // row with it.
                l.tail = 0.0;
                if style.tables_flow {
                    let mut tail = 0.0;
                    let mut only_trailer = true;
                    for next in &template.blocks[i + 1..] {
                        match next {
                            Block::Lines(o, lines) => {
                                tail += size(o, BODY_PT) * PITCH * lines.len() as f32;
                            }
                            Block::Space(mm) => tail += mm * MM,
                            Block::Verification(..) => tail += 28.0 * MM,
                            Block::PageHead(..) | Block::PageNumber(..) => {}
                            _ => {
                                only_trailer = false;
                                break;
                            }
                        }
                    }
                    if only_trailer {
                        l.tail = tail;
                    }
                }
                l.table(t, &header, &rows, empty.as_deref());
                l.tail = 0.0;
            }
            Block::Signature(o, lines) => {
                let filled: Vec<String> = lines
                    .iter()
                    .flat_map(|t| {
                        fill(t, &scalar)
                            .split('\n')
                            .map(str::to_string)
                            .collect::<Vec<_>>()
                    })
                    .collect();
                l.signature(size(o, BODY_PT), &filled);
            }
            Block::Verification(o, lines) => {
                let filled: Vec<String> = lines.iter().map(|t| fill(t, &scalar)).collect();
                l.verification(size(o, 9.0), &filled, qr);
            }
            Block::PageHead(..) => {}
            Block::PageNumber(o, t) => page_number = Some((size(o, 12.0), t.clone())),
            Block::Space(mm) => l.y += mm * MM,
        }
    }
    if l.pages.is_empty() {
        l.new_page();
    }
    if let Some((s, t)) = page_number {
        let pages = l.pages.len();
        for i in 0..pages {
            let get = |n: &str| match n {
                "page" => Some((i + 1).to_string()),
                "pages" => Some(pages.to_string()),
                _ => None,
            };
            let text = fill(&t, &get);
            let w = l.width(FaceKind::Body, s, &text);
            let page = std::mem::take(&mut l.pages[i]);
            // Set the number on page i: temporarily make it the last page.
            l.pages.push(page);
            l.text(
                FaceKind::Body,
                s,
                LEFT + (TEXT_W - w) / 2.0,
                PAGE_H - BOTTOM + 7.0 * MM + s,
                &text,
                0.0,
            );
            let page = l.pages.pop().expect("pushed above");
            l.pages[i] = page;
        }
    }
    l
}

/// The issuers' lines of a signature block as filled, empty lines left out.
fn signature_filled(lines: &[String], scalar: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    lines
        .iter()
        .flat_map(|t| {
            fill(t, scalar)
                .split('\n')
                .filter(|x| !x.trim().is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// The height of the ending that follows a paragraph, when `after` (the blocks after it)
/// is one: any space, the issuers and date (with the blank line before them) and the
/// verification block below them when it cannot sit beside them (2026.13 on).
fn ending(l: &Layout, after: &[Block], scalar: &dyn Fn(&str) -> Option<String>) -> Option<f32> {
    let mut h = 0.0;
    let mut blocks = after.iter();
    let (so, sl) = loop {
        match blocks.next()? {
            Block::Space(mm) => h += mm * MM,
            Block::Signature(so, sl) => break (so, sl),
            _ => return None,
        }
    };
    let s = so.size.unwrap_or(BODY_PT);
    let (fs, fl, left) = l.signature_lines(s, &signature_filled(sl, scalar));
    let issuers = fs * PITCH * fl.len() as f32;
    h += s * PITCH + issuers;
    if let Some(Block::Verification(vo, vl)) = blocks.next() {
        let filled: Vec<String> = vl.iter().map(|t| fill(t, scalar)).collect();
        h += l.verification_below(vo.size.unwrap_or(9.0), &filled, left, issuers);
    }
    Some(h)
}

/// The modules of a QR code for `data` (EC level M, the smallest version that holds it):
/// (width, colours row by row). Built as `qrcode::QrCode` builds it, with one fixed mask
/// (ISO/IEC 18004 §7.8: any of the eight masks decodes; scoring all eight to pick the best
/// was most of the time spent on a code this small, and the verifier re-renders every
/// notice).
fn qr_modules(data: &str) -> Option<(usize, Vec<qrcode::Color>)> {
    use qrcode::canvas::{Canvas, MaskPattern};
    let ec_level = qrcode::EcLevel::M;
    let bits = qrcode::bits::encode_auto(data.as_bytes(), ec_level).ok()?;
    let version = bits.version();
    let (data, ec) = qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec_level).ok()?;
    let mut canvas = Canvas::new(version, ec_level);
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&data, &ec);
    canvas.apply_mask(MaskPattern::Checkerboard);
    Some((version.width() as usize, canvas.into_colors()))
}

/// A form's page head within the margins (a long village name ran it off the page, and with
/// it the snapshot's check value that matches a scanned page back): set smaller, down to
/// 7 pt, and what is still too wide goes on more lines. (Only forms have a page head; no
/// notice's bytes depend on this.)
fn fit_pagehead(l: &Layout, size: f32, lines: Vec<String>) -> (f32, Vec<String>) {
    const SMALLEST: f32 = 7.0;
    let widest = lines
        .iter()
        .map(|t| l.width(FaceKind::Body, size, t))
        .fold(0.0f32, f32::max);
    if widest <= TEXT_W {
        return (size, lines);
    }
    let size = (size * TEXT_W / widest).max(SMALLEST);
    let lines = lines
        .iter()
        .flat_map(|t| l.lines(FaceKind::Body, size, t, TEXT_W, 0.0))
        .map(|line| line.text)
        .collect();
    (size, lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_head_too_wide_is_set_smaller_then_on_more_lines() {
        let fonts = Fonts::bundled();
        let l = Layout::new(&fonts, Breaking::default(), true);
        let fits = |size: f32, lines: &[String]| {
            lines
                .iter()
                .all(|t| l.width(FaceKind::Body, size, t) <= TEXT_W + 0.01)
        };
        let short = vec!["清河村民议签字表　事项2026-001".to_string()];
        assert_eq!(fit_pagehead(&l, 9.0, short.clone()), (9.0, short));
        // A 20-character village name: smaller, on one line, every character kept.
        let long = "孙扎齐牛录镇乌珠牛录锡伯族民族团结示范村民议签字表　事项2026-001　第1轮　花名册快照2026-001-R1（校验值3ab038cce379）　共30户".to_string();
        assert!(l.width(FaceKind::Body, 9.0, &long) > TEXT_W);
        let (size, lines) = fit_pagehead(&l, 9.0, vec![long.clone()]);
        assert!((7.0..9.0).contains(&size), "{size}");
        assert_eq!(lines, vec![long.clone()]);
        assert!(fits(size, &lines));
        // Longer still: 7 pt, and on two lines that together say it all.
        let longer = format!("{long}{long}");
        let (size, lines) = fit_pagehead(&l, 9.0, vec![longer.clone()]);
        assert_eq!(size, 7.0);
        assert!(lines.len() >= 2, "{lines:?}");
        assert!(fits(size, &lines));
        assert_eq!(lines.concat(), longer);
    }
}
