//! Messages of the paper module (notices and forms).

use super::Lang;
use crate::paper::PaperError;

/// The user-facing message for a rendering failure.
pub fn error(e: &PaperError, lang: Lang) -> String {
    match e {
        PaperError::MissingGlyph { ch, field } => {
            let cp = format!("U+{:04X}", *ch as u32);
            lang.pick(
                format!(
                    "字体中没有“{ch}”（{cp}），它出现在 {field} 中：不能打印成空白方框。\
                     请核对该字，或用 --font 指定含有此字的字体。"
                ),
                format!(
                    "the font has no glyph for '{ch}' ({cp}), used in {field}: it would print as \
                     a blank box. Check the character or pass --font with a font that has it."
                ),
            )
        }
        PaperError::TemplateMissingField { template, field } => lang.pick(
            format!("模板 {template} 缺少必需的字段 {field}：公告不能漏掉这项内容。"),
            format!(
                "template {template} lacks the required field {field}: the notice must not omit it."
            ),
        ),
        PaperError::TemplateUnknownField {
            template,
            line,
            field,
        } => lang.pick(
            format!("模板 {template} 第 {line} 行使用了未知字段 {{{field}}}。"),
            format!("template {template} line {line} uses an unknown field {{{field}}}."),
        ),
        PaperError::TemplateSyntax {
            template,
            line,
            reason,
        } => lang.pick(
            format!("模板 {template} 第 {line} 行格式错误：{reason}"),
            format!("template {template} line {line} is malformed: {reason}"),
        ),
        PaperError::Font { source, reason } => lang.pick(
            format!("无法使用字体 {source}：{reason}"),
            format!("cannot use the font {source}: {reason}"),
        ),
        PaperError::Pdf { reason } => lang.pick(
            format!("无法生成 PDF：{reason}"),
            format!("cannot write the PDF: {reason}"),
        ),
    }
}
