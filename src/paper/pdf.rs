//! Turns laid-out pages into PDF bytes, deterministically.
//!
//! printpdf writes the document; two things are pinned here that it would otherwise vary:
//! the font resource names (we insert the fonts under fixed ids instead of `add_font`'s random
//! ones) and the trailer `/ID` (printpdf draws it from a process-wide counter, so two renderings
//! in one process would differ). The ID is derived from the input instead, and every date in the
//! metadata is the notice's own date.

use chrono::NaiveDate;
use lopdf::Object;
use printpdf::{
    FontId, Mm, OffsetDateTime, PdfDocument, PdfFont, PdfPage, PdfSaveOptions, PdfWarnMsg,
};
use sha2::{Digest, Sha256};

use super::PaperError;
use super::layout::{BODY_ID, Layout, TITLE_ID};

/// Document-level facts written into the PDF's info dictionary.
pub(crate) struct Meta<'a> {
    pub(crate) title: String,
    pub(crate) subject: &'a str,
    pub(crate) date: NaiveDate,
    /// Identifies the input; hashed into the trailer /ID.
    pub(crate) seed: String,
    /// The templates' version, named as the producer.
    pub(crate) version: super::TemplateVersion,
}

pub(crate) fn save(
    layout: Layout<'_>,
    fonts: &super::Fonts,
    meta: &Meta<'_>,
) -> Result<Vec<u8>, PaperError> {
    let mut doc = PdfDocument::new(&meta.title);
    let when = meta
        .date
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
        .timestamp();
    let when = OffsetDateTime::from_unix_timestamp(when).map_err(|e| PaperError::Pdf {
        reason: e.to_string(),
    })?;
    let info = &mut doc.metadata.info;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;
    info.creator = "liuyi".into();
    info.producer = format!("liuyi paper {}", meta.version);
    info.subject = meta.subject.to_string();
    info.identifier = String::new();

    if !layout.used_body.is_empty() {
        let f = fonts.body.subset(&layout.used_body)?;
        doc.resources
            .fonts
            .map
            .insert(FontId(BODY_ID.into()), PdfFont::new(f));
    }
    if !layout.used_title.is_empty() {
        let f = fonts.title.subset(&layout.used_title)?;
        doc.resources
            .fonts
            .map
            .insert(FontId(TITLE_ID.into()), PdfFont::new(f));
    }
    doc.pages = layout
        .pages
        .into_iter()
        .map(|ops| PdfPage::new(Mm(210.0), Mm(297.0), ops))
        .collect();

    let opts = PdfSaveOptions {
        optimize: true,
        // The fonts handed over are already this document's subsets.
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings: Vec<PdfWarnMsg> = Vec::new();
    let mut lo = printpdf::serialize::to_lopdf_doc(&doc, &opts, &mut warnings);
    if let Some(w) = warnings
        .iter()
        .find(|w| w.severity == printpdf::PdfParseErrorSeverity::Error)
    {
        return Err(PaperError::Pdf {
            reason: w.msg.clone(),
        });
    }
    let id: Vec<u8> = Sha256::digest(meta.seed.as_bytes())[..16].to_vec();
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(id.clone(), lopdf::StringFormat::Hexadecimal),
            Object::String(id, lopdf::StringFormat::Hexadecimal),
        ]),
    );
    compress(&mut lo)?;
    let mut out = Vec::new();
    lo.save_to(&mut out).map_err(|e| PaperError::Pdf {
        reason: e.to_string(),
    })?;
    Ok(out)
}

/// Deflates every stream not yet filtered, as `lopdf::Document::compress` does, but at
/// zlib's fast level instead of its best. The verifier re-renders every notice of a bundle,
/// and the best level was a third of a notice's render time; measured on a 60 KB
/// resolution notice the fast level makes it 7 % larger (59.7 KB of streams vs 55.8 KB).
fn compress(lo: &mut lopdf::Document) -> Result<(), PaperError> {
    use flate2::write::ZlibEncoder;
    use std::io::Write;
    let level = 1;
    for object in lo.objects.values_mut() {
        if let Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            let mut enc = ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
            let done = enc.write_all(&stream.content).and_then(|_| enc.finish());
            let compressed = done.map_err(|e| PaperError::Pdf {
                reason: e.to_string(),
            })?;
            if compressed.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(compressed);
            }
        }
    }
    Ok(())
}
