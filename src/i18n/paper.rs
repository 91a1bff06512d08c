//! Messages of the paper module (notices and forms).

use super::Lang;
use crate::paper::PaperError;

/// Where on the paper a text field is, in Chinese: `title` → “标题”, `funding[1].name` →
/// “资金来源（第 2 项）”, a template line `sheet:3` → “表格第 3 行”. Unknown fields as they are.
fn field_zh(field: &str) -> String {
    let (base, rest) = match field.split_once('[') {
        Some((b, r)) => (b, Some(r)),
        None => (field, None),
    };
    let label = match base {
        "title" => "标题",
        "text" => "正文",
        "resolution_text" => "决议内容",
        "proposers" => "动议人",
        "posting_place" => "张贴地点",
        "contractor" => "施工单位",
        "contractor_selection" => "施工单位选定方式",
        "delivered" => "完成内容",
        "acceptance_by" => "验收人",
        "acceptance_conclusion" => "验收结论",
        "supervision_opinion" => "监督意见",
        "supervisor" => "村务监督委员会",
        "village" => "村名",
        "township" => "乡镇名",
        "county" => "县名",
        "attachments" => "附件",
        "funding" => "资金来源",
        "costs" => "费用明细",
        "households" => "户名单",
        "members" => "名单",
        "objections" => "异议",
        "issuers" => "落款",
        "category" => "事项类别",
        "meeting" => "会议",
        _ => {
            return match base.split_once(':') {
                Some((_, line)) if line.bytes().all(|b| b.is_ascii_digit()) => {
                    format!("“表格第 {line} 行”")
                }
                _ => format!(" {field} "),
            };
        }
    };
    let item = rest
        .and_then(|r| r.split(']').next())
        .and_then(|i| i.parse::<usize>().ok());
    match item {
        Some(i) => format!("“{label}（第 {} 项）”", i + 1),
        None => format!("“{label}”"),
    }
}

/// Why a font file could not be used, in Chinese where the reason is a known one.
fn font_reason_zh(reason: &str) -> String {
    if reason.contains("os error 2") || reason.contains("No such file") {
        "找不到这个文件".into()
    } else if reason.contains("os error 21") || reason.contains("Is a directory") {
        "这是一个文件夹，不是字体文件".into()
    } else if reason.contains("os error 13") || reason.contains("Permission denied") {
        "没有读取权限".into()
    } else if reason.contains("not a TrueType/OpenType font") {
        "不是 TrueType/OpenType 字体文件".into()
    } else if reason.contains("no Unicode character map") {
        "字体中没有 Unicode 字符表".into()
    } else if reason.contains("too large") {
        "文件太大，不像字体文件".into()
    } else {
        reason.to_string()
    }
}

/// The user-facing message for a rendering failure.
pub fn error(e: &PaperError, lang: Lang) -> String {
    match e {
        PaperError::MissingGlyph { ch, field } => {
            let cp = format!("U+{:04X}", *ch as u32);
            let where_zh = field_zh(field);
            lang.pick(
                format!(
                    "字体中没有“{ch}”（{cp}），它出现在{where_zh}中：不能打印成空白方框。\
                     请核对该字，或用 --font 指定含有此字的字体。"
                ),
                format!(
                    "the font has no glyph for '{ch}' ({cp}), used in {field}: it would print as \
                     a blank box. Check the character or pass --font with a font that has it."
                ),
            )
        }
        PaperError::MissingGlyphs { missing } => {
            let zh: Vec<String> = missing
                .iter()
                .map(|(ch, field)| {
                    format!("“{ch}”（U+{:04X}，在{}中）", *ch as u32, field_zh(field))
                })
                .collect();
            let en: Vec<String> = missing
                .iter()
                .map(|(ch, field)| format!("'{ch}' (U+{:04X}, in {field})", *ch as u32))
                .collect();
            lang.pick(
                format!(
                    "字体中没有这 {} 个字：{}。不能打印成空白方框。请核对这些字，或用 --font 指定含有它们的字体。",
                    missing.len(),
                    zh.join("、")
                ),
                format!(
                    "the font has no glyph for {} characters: {}. They would print as blank boxes. Check them, or pass --font with a font that has them.",
                    missing.len(),
                    en.join(", ")
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
            format!(
                "无法使用字体 {source}：{}。请用 --font 指定一个中文字体文件（.ttf 或 .otf），或不加 --font 使用程序自带的字体。",
                font_reason_zh(reason)
            ),
            format!(
                "cannot use the font {source}: {reason}. Pass --font with a Chinese font file (.ttf or .otf), or leave --font out to use the bundled font."
            ),
        ),
        PaperError::FontWithoutChinese { source, ch } => lang.pick(
            format!(
                "字体 {source} 不含汉字（例如没有“{ch}”），不能用来打印公告和表格。请用 --font 指定一个中文字体（如宋体、仿宋的 .ttf 或 .otf 文件），或不加 --font 使用程序自带的字体。"
            ),
            format!(
                "the font {source} has no Chinese characters (it lacks '{ch}'), so it cannot print notices or forms. Pass --font with a Chinese font (a Song or FangSong .ttf or .otf file), or leave --font out to use the bundled font."
            ),
        ),
        PaperError::Pdf { reason } => lang.pick(
            format!("无法生成 PDF：{reason}"),
            format!("cannot write the PDF: {reason}"),
        ),
    }
}

/// After recording: characters the bundled font lacks (a notice or form that prints them
/// will be refused until another font is given).
pub fn lacking_glyphs(lang: Lang, chars: &[char]) -> String {
    const SHOWN: usize = 10;
    let list: String = chars
        .iter()
        .take(SHOWN)
        .map(|c| match lang {
            Lang::Zh => format!("“{c}”（U+{:04X}）", *c as u32),
            Lang::En => format!("'{c}' (U+{:04X}) ", *c as u32),
        })
        .collect();
    let more = chars.len().saturating_sub(SHOWN);
    match lang {
        Lang::Zh => format!(
            "注意：已记录，但内置字体没有 {list}{}。含这些字的公告或表格打印时会被拒绝；打印时可用 --font 指定含这些字的字体文件。",
            if more > 0 {
                format!("等 {} 个字", chars.len())
            } else {
                String::new()
            }
        ),
        Lang::En => format!(
            "note: recorded, but the bundled font lacks {}{}. A notice or form that prints them will be refused; give a font file that has them with --font when printing.",
            list.trim_end(),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ),
    }
}

/// A 页码 given for a consent beyond the round's 民议 sheet (`pages` pages as printed here):
/// `key` (户号, or 户号:姓名) and its `row` on the sheet, if it is one; `line` of an import
/// file, if from one. Refused: the scan of a page that does not exist would be asked for.
#[allow(clippy::too_many_arguments)]
pub fn page_beyond_the_sheet(
    lang: Lang,
    id: &str,
    line: Option<u64>,
    key: &str,
    page: u32,
    pages: u32,
    row: Option<u32>,
    adults: bool,
) -> String {
    let unit = if adults { "人" } else { "户" };
    match (lang, line) {
        (Lang::Zh, Some(line)) => format!(
            "第 {line} 行：{key} 的页码 {page} 超出本轮民议签字表（共 {pages} 页）。{}",
            match row {
                Some(p) => format!("签字表上这一{unit}在第 {p} 页，请改为签字纸面上的页码。"),
                None => "请改为签字纸面上的页码。".to_string(),
            }
        ),
        (Lang::Zh, None) => format!(
            "页码 {page} 超出事项 {id} 本轮民议签字表（共 {pages} 页），未记录 {key} 的意见。请按签字纸面上的页码登记{}：liuyi consult {id} record {key} … --sheet-page 页码（1 至 {pages}）。",
            match row {
                Some(p) => format!("（签字表上这一{unit}在第 {p} 页）"),
                None => String::new(),
            }
        ),
        (Lang::En, Some(line)) => format!(
            "line {line}: page {page} for {key} is beyond the round's 民议 sheet ({pages} pages). {}",
            match row {
                Some(p) =>
                    format!("The sheet prints it on page {p}: give the page it was signed on."),
                None => "Give the page it was signed on.".to_string(),
            }
        ),
        (Lang::En, None) => format!(
            "page {page} is beyond matter {id}'s 民议 sheet for this round ({pages} pages); {key}'s opinion was not recorded. Record it with the page it was signed on{}: liuyi consult {id} record {key} … --sheet-page N (1 to {pages}).",
            match row {
                Some(p) => format!(" (the sheet prints it on page {p})"),
                None => String::new(),
            }
        ),
    }
}

#[cfg(test)]
mod field_tests {
    use super::*;

    #[test]
    fn a_missing_glyph_says_where_in_chinese() {
        let msg = |field: &str| {
            error(
                &PaperError::MissingGlyph {
                    ch: '𠮷',
                    field: field.into(),
                },
                Lang::Zh,
            )
        };
        assert!(
            msg("title").contains("它出现在“标题”中"),
            "{}",
            msg("title")
        );
        assert!(msg("funding[1].name").contains("“资金来源（第 2 项）”"));
        assert!(msg("sheet:3").contains("“表格第 3 行”"));
        assert!(msg("xyz").contains("出现在 xyz 中"));
        let en = error(
            &PaperError::MissingGlyph {
                ch: '𠮷',
                field: "title".into(),
            },
            Lang::En,
        );
        assert!(en.contains("used in title"), "{en}");
    }
}
