//! The typefaces notices are set in, and the per-document glyph subset that goes into each PDF.
//!
//! The bundled faces are subsets of Noto Serif CJK SC (SIL OFL 1.1; see
//! `templates/fonts/README.md`): Regular for the body, Bold for titles and table heads. They are
//! compiled into the binary so it prints anywhere. A village may bring its own face
//! (`Fonts::from_file`, e.g. a system 仿宋), used for both roles.
//!
//! Every character is checked before anything is laid out: a character the face lacks is an
//! error naming it and the field it came from — never a blank box. The PDF then embeds only the
//! glyphs the document uses, cut out here with allsorts (the subsetter printpdf itself links),
//! so a notice weighs tens of kilobytes, not megabytes.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use allsorts::binary::read::ReadScope;
use allsorts::error::ParseError;
use allsorts::font::{Encoding, read_cmap_subtable};
use allsorts::font_data::FontData;
use allsorts::post::PostTable;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use allsorts::tables::cmap::Cmap;
use allsorts::tables::loca::LocaTable;
use allsorts::tables::{
    FontTableProvider, HeadTable, HheaTable, HmtxTable, IndexToLocFormat, LongHorMetric, MaxpTable,
    NameTable,
};
use allsorts::tag;
use printpdf::ParsedFont;
use sha2::{Digest, Sha256};

use super::PaperError;

static BUNDLED_REGULAR: &[u8] =
    include_bytes!("../../templates/fonts/NotoSerifSC-liuyi-Regular.ttf");
static BUNDLED_BOLD: &[u8] = include_bytes!("../../templates/fonts/NotoSerifSC-liuyi-Bold.ttf");

/// One parsed face: its character map and advances (for measuring) and its bytes (for
/// subsetting).
pub(crate) struct Face {
    /// PostScript name, e.g. `NotoSerifCJKsc-Regular`.
    pub(crate) name: String,
    /// The character map and advances; its own copy of the bytes is dropped (`bytes` has
    /// them: the bundled faces' 7 MB stay in the binary instead of being copied to the heap).
    parsed: ParsedFont,
    bytes: Cow<'static, [u8]>,
    upem: f32,
    sha256: [u8; 32],
    /// The whole-face tables a subset narrows, read on first use (`None`: the face is one the
    /// narrowing does not cover, and allsorts reads it whole each time).
    narrow: OnceLock<Option<Narrow>>,
    /// Glyph (0: none) and advance of each character of the Basic Multilingual Plane, by code
    /// point, from the character map. Rendering asks for every character of a notice several
    /// times (checking the fields, breaking lines, subsetting), and the map's tree lookups were
    /// 4 % of `verify`'s CPU; other planes are looked up in the map.
    bmp: Box<[(u16, Option<u16>)]>,
}

impl Face {
    fn parse(bytes: Cow<'static, [u8]>, source: &str) -> Result<Face, PaperError> {
        let bad = |why: String| PaperError::Font {
            source: source.to_string(),
            reason: why,
        };
        let mut warnings = Vec::new();
        let mut parsed = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| bad("not a TrueType/OpenType font".into()))?;
        parsed.original_bytes = Vec::new();
        if parsed.codepoint_to_glyph.is_empty() {
            return Err(bad("no Unicode character map".into()));
        }
        let name = postscript_name(&bytes).unwrap_or_else(|| "liuyi-font".to_string());
        // Keep the name PDF-safe: it becomes /BaseFont.
        let name: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        let mut bmp = vec![(0u16, None); 0x1_0000].into_boxed_slice();
        for (&c, &g) in parsed.codepoint_to_glyph.range(..0x1_0000) {
            bmp[c as usize] = (g, parsed.get_glyph_width(g));
        }
        Ok(Face {
            name,
            upem: f32::from(parsed.units_per_em.max(1)),
            bmp,
            parsed,
            sha256: Sha256::digest(&bytes).into(),
            bytes,
            narrow: OnceLock::new(),
        })
    }

    /// The glyph for `c`, if the face really has one (glyph 0 is .notdef: a box).
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        self.glyph_and_width(c).0
    }

    /// The glyph for `c` (as [`Face::glyph`]) and its advance in font units, if the face has
    /// one.
    fn glyph_and_width(&self, c: char) -> (Option<u16>, Option<u16>) {
        let (g, w) = match self.bmp.get(c as usize) {
            Some(&(g, w)) => (g, w),
            None => match self.parsed.lookup_glyph_index(c as u32) {
                Some(g) => (g, self.parsed.get_glyph_width(g)),
                None => (0, None),
            },
        };
        if g == 0 { (None, None) } else { (Some(g), w) }
    }

    pub(crate) fn has(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// Advance of `c` at `size` (same unit as `size`). Unknown characters measure as one em;
    /// they never reach layout because every field is checked first.
    pub(crate) fn advance(&self, c: char, size: f32) -> f32 {
        match self.glyph_and_width(c).1 {
            Some(w) => f32::from(w) * size / self.upem,
            None => size,
        }
    }

    /// A font holding only the glyphs of `chars`, named with the PDF subset tag
    /// (six capitals derived from the glyph set, so the same text gives the same name).
    pub(crate) fn subset(&self, chars: &BTreeSet<char>) -> Result<ParsedFont, PaperError> {
        let mut gids: Vec<u16> = chars.iter().filter_map(|&c| self.glyph(c)).collect();
        gids.sort_unstable();
        gids.dedup();
        gids.insert(0, 0);
        let bad = |why: String| PaperError::Font {
            source: self.name.clone(),
            reason: why,
        };
        let font = ReadScope::new(&self.bytes)
            .read::<FontData<'_>>()
            .map_err(|e| bad(e.to_string()))?;
        let provider = font.table_provider(0).map_err(|e| bad(e.to_string()))?;
        let narrow = self
            .narrow
            .get_or_init(|| Narrow::read(&provider).ok().flatten());
        let narrowed = match narrow {
            Some(narrow) => narrow
                .narrowed(&provider, &gids)
                .map_err(|e| bad(e.to_string()))?,
            None => None,
        };
        let bytes = match &narrowed {
            // The narrowed face numbers the kept glyphs 0..gids.len(): it keeps them all.
            Some(narrowed) => subset(
                narrowed,
                &narrowed.all_glyphs(),
                &SubsetProfile::Pdf,
                CmapTarget::Unicode,
            ),
            None => subset(&provider, &gids, &SubsetProfile::Pdf, CmapTarget::Unicode),
        }
        .map_err(|e| bad(format!("subsetting failed: {e}")))?;
        let mut warnings = Vec::new();
        let mut parsed = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
            .ok_or_else(|| bad("subset font does not parse".into()))?;
        let digest = Sha256::digest(
            gids.iter()
                .flat_map(|g| g.to_be_bytes())
                .collect::<Vec<_>>(),
        );
        let tag: String = digest
            .iter()
            .take(6)
            .map(|b| char::from(b'A' + b % 26))
            .collect();
        parsed.font_name = Some(format!("{tag}+{}", self.name));
        Ok(parsed)
    }
}

/// What a subset needs of the whole face, read once per face.
///
/// allsorts' subsetter reads the whole `glyf` table (one record per glyph: 9,135 in the bundled
/// face, collected into a growing vector) and walks the whole character map for every document,
/// which was most of the time of rendering a notice. It is given instead a face narrowed to the
/// document and renumbered: glyph `j` of the narrowed face is glyph `gids[j]` of the whole face
/// (`gids` sorted, distinct, starting with .notdef), so the narrowed face has `gids.len()`
/// glyphs and the subsetter keeps all of them, in order. Its tables, all derived from the whole
/// face's:
///
/// - `glyf`/`loca`: the kept outlines, byte for byte, in the new order;
/// - `cmap`: only the mappings of the kept glyphs, to their new ids;
/// - `hmtx`: one full metric per kept glyph (the advance and side bearing the whole face gives
///   it, the last long metric's advance for glyphs past `numberOfHMetrics`), `hhea` saying so;
/// - `maxp`: the new number of glyphs;
/// - every other table (`head`, `post`, `name`, ...) the whole face's own.
///
/// The subset is the same bytes either way (tested against subsetting the whole face, for both
/// bundled faces): the subsetter copies kept outlines byte for byte; rebuilds `cmap`, `loca` and
/// `hmtx` from the kept glyphs in order (glyph `gids[j]` becomes glyph `j` of the subset in both
/// cases); writes `maxp` and `hhea` with the number of glyphs of the subset, every other field
/// copied (and the narrowed face's are the whole face's but for those counts); and writes
/// `post` as version 3, without glyph names. (That is the PDF profile `Face::subset` asks for:
/// its subset has no `OS/2`, `GSUB`/`GPOS`, `kern` or vertical metrics, which the subsetter then
/// does not read.) Faces where that could differ are read whole as before: CFF outlines,
/// composite glyphs (their parts would be needed too, under other ids), a character map that is
/// not Unicode or maps one character twice, an outline out of bounds, no long horizontal metric;
/// so are glyph lists breaking the invariant above.
struct Narrow {
    /// Every (glyph, character) mapping of the character map the subsetter would choose,
    /// sorted by glyph.
    by_glyph: Vec<(u16, u32)>,
    /// Where each glyph's outline lies in `glyf`: glyph `g` is `loca[g]..loca[g + 1]`.
    loca: Vec<u32>,
    long_loca: bool,
    /// Each glyph's horizontal metric as `hmtx` spells a long one: advance, left side bearing.
    metrics: Vec<[u8; 4]>,
}

impl Narrow {
    /// `Ok(None)` for a face the narrowing does not cover.
    fn read(provider: &impl FontTableProvider) -> Result<Option<Narrow>, ParseError> {
        if provider.has_table(tag::CFF) || provider.has_table(tag::CFF2) {
            return Ok(None);
        }
        let cmap_data = provider.read_table_data(tag::CMAP)?;
        let cmap = ReadScope::new(&cmap_data).read::<Cmap<'_>>()?;
        let Some((Encoding::Unicode, subtable)) = read_cmap_subtable(&cmap)? else {
            return Ok(None);
        };
        let mut pairs = Vec::new();
        subtable.mappings_fn(|ch, gid| pairs.push((gid, ch)))?;
        let mut chars: Vec<u32> = pairs.iter().map(|&(_, ch)| ch).collect();
        chars.sort_unstable();
        if chars.windows(2).any(|w| w[0] == w[1]) {
            return Ok(None);
        }
        pairs.sort_unstable();

        let head = ReadScope::new(&provider.read_table_data(tag::HEAD)?).read::<HeadTable>()?;
        let maxp = ReadScope::new(&provider.read_table_data(tag::MAXP)?).read::<MaxpTable>()?;
        let loca_data = provider.read_table_data(tag::LOCA)?;
        let loca = ReadScope::new(&loca_data)
            .read_dep::<LocaTable<'_>>((maxp.num_glyphs, head.index_to_loc_format))?;
        let loca: Vec<u32> = loca.offsets.iter().collect();
        let glyf = provider.read_table_data(tag::GLYF)?;
        if loca.len() < 2 {
            return Ok(None);
        }
        for w in loca.windows(2) {
            let (start, end) = (w[0] as usize, w[1] as usize);
            if end < start || end > glyf.len() || (end > start && end - start < 2) {
                return Ok(None);
            }
            // numberOfContours < 0: a composite glyph.
            if end > start && glyf[start] & 0x80 != 0 {
                return Ok(None);
            }
        }

        // The metric the subsetter gives each glyph, read as it reads them.
        let hhea = ReadScope::new(&provider.read_table_data(tag::HHEA)?).read::<HheaTable>()?;
        let long_metrics = usize::from(hhea.num_h_metrics);
        if long_metrics == 0 {
            return Ok(None);
        }
        let hmtx_data = provider.read_table_data(tag::HMTX)?;
        let hmtx = ReadScope::new(&hmtx_data)
            .read_dep::<HmtxTable<'_>>((usize::from(maxp.num_glyphs), long_metrics))?;
        let last = hmtx.h_metrics.read_item(long_metrics - 1)?;
        let metrics = (0..usize::from(maxp.num_glyphs))
            .map(|g| {
                let metric = if g < long_metrics {
                    hmtx.h_metrics.read_item(g)?
                } else {
                    LongHorMetric {
                        lsb: hmtx.left_side_bearings.read_item(g - long_metrics)?,
                        ..last
                    }
                };
                let [a, b] = metric.advance_width.to_be_bytes();
                let [c, d] = metric.lsb.to_be_bytes();
                Ok([a, b, c, d])
            })
            .collect::<Result<Vec<_>, ParseError>>()?;
        // The subsetter also reads `post` whole (and fails where it cannot).
        ReadScope::new(&provider.read_table_data(tag::POST)?).read::<PostTable<'_>>()?;
        Ok(Some(Narrow {
            by_glyph: pairs,
            loca,
            long_loca: matches!(head.index_to_loc_format, IndexToLocFormat::Long),
            metrics,
        }))
    }

    /// The face as seen by a subset keeping `gids`, renumbered to them; `None` unless `gids` is
    /// sorted, distinct, starts with .notdef and names only glyphs of the face.
    fn narrowed<'a, P: FontTableProvider>(
        &self,
        whole: &'a P,
        gids: &[u16],
    ) -> Result<Option<Narrowed<'a, P>>, ParseError> {
        let Ok(num_glyphs) = u16::try_from(gids.len()) else {
            return Ok(None);
        };
        if gids.first() != Some(&0)
            || gids.windows(2).any(|w| w[0] >= w[1])
            || gids
                .last()
                .is_some_and(|&g| usize::from(g) >= self.metrics.len())
        {
            return Ok(None);
        }
        let glyf_whole = whole.read_table_data(tag::GLYF)?;
        if glyf_whole.len() < self.loca.last().map_or(0, |&end| end as usize) {
            return Err(ParseError::BadEof);
        }
        let outline = |g: u16| {
            let g = usize::from(g);
            &glyf_whole[self.loca[g] as usize..self.loca[g + 1] as usize]
        };
        let mut glyf = Vec::with_capacity(gids.iter().map(|&g| outline(g).len()).sum());
        let mut loca = Vec::with_capacity((gids.len() + 1) * if self.long_loca { 4 } else { 2 });
        let mut hmtx = Vec::with_capacity(gids.len() * 4);
        let mut mappings: Vec<(u32, u16)> = Vec::new();
        for (new, &g) in (0..num_glyphs).zip(gids) {
            put_offset(&mut loca, glyf.len(), self.long_loca);
            glyf.extend_from_slice(outline(g));
            hmtx.extend_from_slice(&self.metrics[usize::from(g)]);
            if g != 0 {
                let from = self.by_glyph.partition_point(|&(pg, _)| pg < g);
                mappings.extend(
                    self.by_glyph[from..]
                        .iter()
                        .take_while(|&&(pg, _)| pg == g)
                        .map(|&(_, ch)| (ch, new)),
                );
            }
        }
        put_offset(&mut loca, glyf.len(), self.long_loca);
        mappings.sort_unstable();

        // `Narrow::read` parsed both, so numGlyphs and numberOfHMetrics are where the spec puts
        // them.
        let mut maxp = whole.read_table_data(tag::MAXP)?.into_owned();
        let mut hhea = whole.read_table_data(tag::HHEA)?.into_owned();
        if maxp.len() < 6 || hhea.len() < 36 {
            return Err(ParseError::BadEof);
        }
        maxp[4..6].copy_from_slice(&num_glyphs.to_be_bytes());
        hhea[34..36].copy_from_slice(&num_glyphs.to_be_bytes());
        Ok(Some(Narrowed {
            whole,
            cmap: cmap_format12(&mappings),
            glyf,
            loca,
            hmtx,
            hhea,
            maxp,
        }))
    }
}

fn put_offset(loca: &mut Vec<u8>, offset: usize, long: bool) {
    // Kept outlines are copied whole from a valid table, in the order they lie there, so offsets
    // stay in range (and even, for the short format, whose offsets are all even).
    if long {
        loca.extend_from_slice(&(offset as u32).to_be_bytes());
    } else {
        loca.extend_from_slice(&((offset / 2) as u16).to_be_bytes());
    }
}

/// A `cmap` with one Windows Unicode (UCS-4) subtable in format 12, one group per mapping.
fn cmap_format12(mappings: &[(u32, u16)]) -> Vec<u8> {
    let len = 16 + 12 * mappings.len();
    let mut out = Vec::with_capacity(12 + len);
    out.extend_from_slice(&0u16.to_be_bytes()); // version
    out.extend_from_slice(&1u16.to_be_bytes()); // numTables
    out.extend_from_slice(&3u16.to_be_bytes()); // platform: Windows
    out.extend_from_slice(&10u16.to_be_bytes()); // encoding: Unicode full repertoire
    out.extend_from_slice(&12u32.to_be_bytes()); // offset of the subtable
    out.extend_from_slice(&12u16.to_be_bytes()); // format
    out.extend_from_slice(&0u16.to_be_bytes()); // reserved
    out.extend_from_slice(&(len as u32).to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes()); // language
    out.extend_from_slice(&(mappings.len() as u32).to_be_bytes());
    for &(ch, gid) in mappings {
        out.extend_from_slice(&ch.to_be_bytes());
        out.extend_from_slice(&ch.to_be_bytes());
        out.extend_from_slice(&u32::from(gid).to_be_bytes());
    }
    out
}

/// A face narrowed to one document's glyphs and renumbered to them (see [`Narrow`]): its own
/// `cmap`, `glyf`, `loca`, `hmtx`, `hhea` and `maxp`, every other table the whole face's.
struct Narrowed<'a, P> {
    whole: &'a P,
    cmap: Vec<u8>,
    glyf: Vec<u8>,
    loca: Vec<u8>,
    hmtx: Vec<u8>,
    hhea: Vec<u8>,
    maxp: Vec<u8>,
}

impl<P> Narrowed<'_, P> {
    /// Every glyph of the narrowed face, `0..gids.len()`: what a subset of it keeps.
    fn all_glyphs(&self) -> Vec<u16> {
        (0..(self.hmtx.len() / 4) as u16).collect()
    }
}

impl<P: FontTableProvider> FontTableProvider for Narrowed<'_, P> {
    fn table_data(&self, tag: u32) -> Result<Option<Cow<'_, [u8]>>, ParseError> {
        Ok(Some(Cow::Borrowed(match tag {
            tag::CMAP => &self.cmap,
            tag::GLYF => &self.glyf,
            tag::LOCA => &self.loca,
            tag::HMTX => &self.hmtx,
            tag::HHEA => &self.hhea,
            tag::MAXP => &self.maxp,
            _ => return self.whole.table_data(tag),
        })))
    }

    fn has_table(&self, tag: u32) -> bool {
        self.whole.has_table(tag)
    }

    fn table_tags(&self) -> Option<Vec<u32>> {
        self.whole.table_tags()
    }
}

fn postscript_name(bytes: &[u8]) -> Option<String> {
    let font = ReadScope::new(bytes).read::<FontData<'_>>().ok()?;
    let provider = font.table_provider(0).ok()?;
    let data = provider.read_table_data(tag::NAME).ok()?;
    let name = ReadScope::new(&data).read::<NameTable<'_>>().ok()?;
    name.string_for_id(NameTable::POSTSCRIPT_NAME)
}

/// The faces a document is set in: `body` for text, `title` for titles and table heads.
#[derive(Clone)]
pub struct Fonts {
    pub(crate) body: Arc<Face>,
    pub(crate) title: Arc<Face>,
}

impl fmt::Debug for Fonts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fonts")
            .field("version", &self.version())
            .finish()
    }
}

impl Fonts {
    /// The bundled Noto Serif CJK SC subset (parsed once per process).
    pub fn bundled() -> Fonts {
        static BUNDLED: OnceLock<Fonts> = OnceLock::new();
        BUNDLED
            .get_or_init(|| Fonts {
                body: Arc::new(
                    Face::parse(Cow::Borrowed(BUNDLED_REGULAR), "bundled regular")
                        .expect("bundled font parses"),
                ),
                title: Arc::new(
                    Face::parse(Cow::Borrowed(BUNDLED_BOLD), "bundled bold")
                        .expect("bundled font parses"),
                ),
            })
            .clone()
    }

    /// A village's own TrueType/OpenType face (the first face of a collection), used for body
    /// and titles alike.
    pub fn from_file(path: &Path) -> Result<Fonts, PaperError> {
        let source = path.display().to_string();
        // A CJK font is tens of megabytes; a file far larger is no font (and is not read
        // whole to find that out).
        const MAX_FONT: u64 = 128 * 1024 * 1024;
        let bad = |reason: String| PaperError::Font {
            source: source.clone(),
            reason,
        };
        let len = std::fs::metadata(path)
            .map_err(|e| bad(e.to_string()))?
            .len();
        if len > MAX_FONT {
            return Err(bad(format!("too large for a font ({len} bytes)")));
        }
        let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        Fonts::from_owned(bytes, &source)
    }

    /// Like [`Fonts::from_file`], from bytes already read; `source` names them in errors.
    pub fn from_bytes(bytes: &[u8], source: &str) -> Result<Fonts, PaperError> {
        Fonts::from_owned(bytes.to_vec(), source)
    }

    fn from_owned(bytes: Vec<u8>, source: &str) -> Result<Fonts, PaperError> {
        let face = Arc::new(Face::parse(Cow::Owned(bytes), source)?);
        // Characters every notice and form prints (村民委员会, 公告, 日期...).
        if let Some(ch) = "村民委员会公告年月日".chars().find(|&c| !face.has(c)) {
            return Err(PaperError::FontWithoutChinese {
                source: source.to_string(),
                ch,
            });
        }
        Ok(Fonts {
            body: face.clone(),
            title: face,
        })
    }

    /// Names and hashes the faces, e.g.
    /// `NotoSerifCJKsc-Regular+NotoSerifCJKsc-Bold sha256:1a2b3c4d5e6f7a8b`. The record stores it
    /// with each printed notice, so a verifier with other fonts can say why it cannot reproduce
    /// the bytes.
    pub fn version(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.body.sha256);
        h.update(self.title.sha256);
        let digest = hex::encode(h.finalize());
        if Arc::ptr_eq(&self.body, &self.title) {
            format!("{} sha256:{}", self.body.name, &digest[..16])
        } else {
            format!(
                "{}+{} sha256:{}",
                self.body.name,
                self.title.name,
                &digest[..16]
            )
        }
    }

    /// The characters of `text` that a face cannot set (line breaks aside), each once, in
    /// order of appearance.
    pub fn lacking(&self, text: &str) -> Vec<char> {
        let mut out = Vec::new();
        for c in text.chars() {
            if c != '\n' && !(self.body.has(c) && self.title.has(c)) && !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// Refuses `text` unless both faces can set every character (line breaks aside).
    pub(crate) fn check(&self, field: &str, text: &str) -> Result<(), PaperError> {
        match text
            .chars()
            .find(|&c| c != '\n' && !(self.body.has(c) && self.title.has(c)))
        {
            Some(ch) => Err(PaperError::MissingGlyph {
                ch,
                field: field.to_string(),
            }),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plane_table_answers_as_the_character_map() {
        let f = Fonts::bundled();
        for face in [&f.body, &f.title] {
            let mut found = 0;
            for c in (0..0x3_0000).filter_map(char::from_u32) {
                let g = face.parsed.lookup_glyph_index(c as u32).filter(|&g| g != 0);
                assert_eq!(face.glyph(c), g, "{c:?}");
                let w = g.and_then(|g| face.parsed.get_glyph_width(g));
                let expected = w.map_or(12.0, |w| f32::from(w) * 12.0 / face.upem);
                assert_eq!(face.advance(c, 12.0), expected, "{c:?}");
                found += usize::from(g.is_some());
            }
            assert!(found >= 9000, "{found}");
        }
    }

    #[test]
    fn bundled_covers_the_standard_and_refuses_what_it_lacks() {
        let f = Fonts::bundled();
        let charset = include_str!("../../templates/fonts/charset.txt");
        let covered = charset.lines().filter(|l| !l.starts_with('#')).count();
        assert!(covered >= 9000, "{covered}");
        for c in "清河村叁拾贰万陆仟元整¥，。“”（）《》：；、0123456789ABCxyz□".chars()
        {
            assert!(f.body.has(c) && f.title.has(c), "{c}");
        }
        let err = f.check("title", "清河村𠀀").unwrap_err();
        assert_eq!(
            err,
            PaperError::MissingGlyph {
                ch: '𠀀',
                field: "title".into()
            }
        );
        assert!(
            f.version()
                .starts_with("NotoSerifCJKsc-Regular+NotoSerifCJKsc-Bold sha256:")
        );
    }

    /// A face with no Chinese (here the bundled one cut down to a few Latin letters) given
    /// as `--font` is refused as such, naming a character it lacks (it was refused by the
    /// first template line it could not set: "表格第 4 行").
    #[test]
    fn a_font_without_chinese_is_refused_as_such() {
        let f = Fonts::bundled();
        let mut gids = vec![0u16];
        gids.extend("ABCxyz".chars().filter_map(|c| f.body.glyph(c)));
        let latin = subset_whole(&f.body, &gids);
        match Fonts::from_bytes(&latin, "latin.ttf") {
            Err(PaperError::FontWithoutChinese { source, ch }) => {
                assert_eq!((source.as_str(), ch), ("latin.ttf", '村'));
            }
            other => panic!("{:?}", other.map(|f| f.version())),
        }
        // A face with Chinese is taken.
        let chinese: Vec<u16> = std::iter::once(0)
            .chain(
                "村民委员会公告年月日"
                    .chars()
                    .filter_map(|c| f.body.glyph(c)),
            )
            .collect();
        assert!(Fonts::from_bytes(&subset_whole(&f.body, &chinese), "zh.ttf").is_ok());
    }

    /// The subset of the whole face, as allsorts cuts it without narrowing.
    fn subset_whole(face: &Face, gids: &[u16]) -> Vec<u8> {
        let font = ReadScope::new(&face.bytes).read::<FontData<'_>>().unwrap();
        let provider = font.table_provider(0).unwrap();
        subset(&provider, gids, &SubsetProfile::Pdf, CmapTarget::Unicode).unwrap()
    }

    /// The glyphs `Face::subset` keeps for `set`.
    fn kept(face: &Face, set: &BTreeSet<char>) -> Vec<u16> {
        let mut gids: Vec<u16> = set.iter().filter_map(|&c| face.glyph(c)).collect();
        gids.sort_unstable();
        gids.dedup();
        gids.insert(0, 0);
        gids
    }

    #[test]
    fn a_narrowed_face_subsets_to_the_same_bytes_as_the_whole_face() {
        let f = Fonts::bundled();
        let charset: Vec<char> = include_str!("../../templates/fonts/charset.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.chars().next())
            .collect();
        // Deterministic pseudo-random draws of the charset, small to large, plus its two ends,
        // a notice's worth of ASCII and punctuation, .notdef alone (no character) and the whole
        // charset.
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut sets: Vec<BTreeSet<char>> = vec![
            "清河村公告 0123456789ABC，。“”（）¥".chars().collect(),
            charset.iter().take(40).copied().collect(),
            charset.iter().rev().take(40).copied().collect(),
            BTreeSet::new(),
            charset.iter().copied().collect(),
        ];
        for size in [1, 7, 60, 300, 900, 3000] {
            let mut set = BTreeSet::new();
            for _ in 0..size {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                set.insert(charset[(seed % charset.len() as u64) as usize]);
            }
            sets.push(set);
        }
        for face in [&f.body, &f.title] {
            let font = ReadScope::new(&face.bytes).read::<FontData<'_>>().unwrap();
            let provider = font.table_provider(0).unwrap();
            let narrow = Narrow::read(&provider)
                .unwrap()
                .expect("bundled face narrows");
            let mut sets = sets.clone();
            // The last glyph a character reaches (past numberOfHMetrics: its advance is the last
            // long metric's) and, for each glyph several characters map to, one of them (the
            // subset maps them all).
            let last = narrow.by_glyph.last().unwrap().0;
            let hhea = ReadScope::new(&provider.read_table_data(tag::HHEA).unwrap())
                .read::<HheaTable>()
                .unwrap();
            assert!(last >= hhea.num_h_metrics, "{}", face.name);
            sets.push(
                narrow
                    .by_glyph
                    .iter()
                    .filter(|&&(g, _)| g == last)
                    .filter_map(|&(_, ch)| char::from_u32(ch))
                    .take(1)
                    .collect(),
            );
            let shared: BTreeSet<char> = narrow
                .by_glyph
                .windows(2)
                .filter(|w| w[0].0 == w[1].0)
                .filter_map(|w| char::from_u32(w[0].1))
                .collect();
            assert!(!shared.is_empty(), "{}", face.name);
            sets.push(shared);
            for set in &sets {
                let gids = kept(face, set);
                let narrowed = narrow
                    .narrowed(&provider, &gids)
                    .unwrap()
                    .expect("a glyph list as Face::subset makes it");
                // Renumbered: the subsetter reads only the kept glyphs.
                let maxp = ReadScope::new(&narrowed.read_table_data(tag::MAXP).unwrap())
                    .read::<MaxpTable>();
                assert_eq!(usize::from(maxp.unwrap().num_glyphs), gids.len());
                let bytes = subset(
                    &narrowed,
                    &narrowed.all_glyphs(),
                    &SubsetProfile::Pdf,
                    CmapTarget::Unicode,
                )
                .unwrap();
                assert!(
                    bytes == subset_whole(face, &gids),
                    "{} glyphs of {}",
                    gids.len(),
                    face.name
                );
            }
            // And what `Face::subset` embeds is that subset.
            for set in &sets[..5] {
                assert!(
                    face.subset(set).unwrap().original_bytes
                        == subset_whole(face, &kept(face, set))
                );
            }
            // A glyph list the renumbering does not cover is left to the whole face.
            let num_glyphs = narrow.metrics.len() as u16;
            for gids in [&[][..], &[1, 2], &[0, 2, 1], &[0, 1, 1], &[0, num_glyphs]] {
                assert!(
                    narrow.narrowed(&provider, gids).unwrap().is_none(),
                    "{gids:?}"
                );
            }
        }
    }

    #[test]
    fn the_bundled_faces_are_read_where_they_are_not_copied() {
        // 7 MB of the verifier's peak memory was these two copies.
        let f = Fonts::bundled();
        for face in [&f.body, &f.title] {
            assert!(matches!(face.bytes, Cow::Borrowed(_)));
            assert!(face.parsed.original_bytes.is_empty());
            assert!(face.has('村'));
        }
        assert!(std::ptr::eq(
            f.body.bytes.as_ptr(),
            BUNDLED_REGULAR.as_ptr()
        ));
    }

    #[test]
    fn subset_keeps_only_what_is_used_and_is_deterministic() {
        let f = Fonts::bundled();
        let chars: BTreeSet<char> = "清河村公告".chars().collect();
        let a = f.body.subset(&chars).unwrap();
        let b = f.body.subset(&chars).unwrap();
        assert_eq!(a.original_bytes, b.original_bytes);
        assert!(
            a.original_bytes.len() < 20_000,
            "{}",
            a.original_bytes.len()
        );
        assert!(a.lookup_glyph_index('清' as u32).is_some());
        assert_eq!(a.font_name, b.font_name);
    }
}
