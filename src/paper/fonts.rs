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

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use allsorts::tables::{FontTableProvider, NameTable};
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
    parsed: ParsedFont,
    upem: f32,
    sha256: [u8; 32],
}

impl Face {
    fn parse(bytes: &[u8], source: &str) -> Result<Face, PaperError> {
        let bad = |why: String| PaperError::Font {
            source: source.to_string(),
            reason: why,
        };
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| bad("not a TrueType/OpenType font".into()))?;
        if parsed.codepoint_to_glyph.is_empty() {
            return Err(bad("no Unicode character map".into()));
        }
        let name = postscript_name(bytes).unwrap_or_else(|| "liuyi-font".to_string());
        // Keep the name PDF-safe: it becomes /BaseFont.
        let name: String = name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        Ok(Face {
            name,
            upem: f32::from(parsed.units_per_em.max(1)),
            parsed,
            sha256: Sha256::digest(bytes).into(),
        })
    }

    /// The glyph for `c`, if the face really has one (glyph 0 is .notdef: a box).
    pub(crate) fn glyph(&self, c: char) -> Option<u16> {
        self.parsed.lookup_glyph_index(c as u32).filter(|&g| g != 0)
    }

    pub(crate) fn has(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// Advance of `c` at `size` (same unit as `size`). Unknown characters measure as one em;
    /// they never reach layout because every field is checked first.
    pub(crate) fn advance(&self, c: char, size: f32) -> f32 {
        match self.glyph(c).and_then(|g| self.parsed.get_glyph_width(g)) {
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
        let font = ReadScope::new(&self.parsed.original_bytes)
            .read::<FontData<'_>>()
            .map_err(|e| bad(e.to_string()))?;
        let provider = font.table_provider(0).map_err(|e| bad(e.to_string()))?;
        let bytes = subset(&provider, &gids, &SubsetProfile::Pdf, CmapTarget::Unicode)
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
                    Face::parse(BUNDLED_REGULAR, "bundled regular").expect("bundled font parses"),
                ),
                title: Arc::new(
                    Face::parse(BUNDLED_BOLD, "bundled bold").expect("bundled font parses"),
                ),
            })
            .clone()
    }

    /// A village's own TrueType/OpenType face (the first face of a collection), used for body
    /// and titles alike.
    pub fn from_file(path: &Path) -> Result<Fonts, PaperError> {
        let source = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| PaperError::Font {
            source: source.clone(),
            reason: e.to_string(),
        })?;
        Fonts::from_bytes(&bytes, &source)
    }

    /// Like [`Fonts::from_file`], from bytes already read; `source` names them in errors.
    pub fn from_bytes(bytes: &[u8], source: &str) -> Result<Fonts, PaperError> {
        let face = Arc::new(Face::parse(bytes, source)?);
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
