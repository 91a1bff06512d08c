//! The words for input-file problems (`crate::input::InputProblem`), in Chinese and
//! English: one problem per line with its place, and the whole list with a closing line
//! telling the secretary what to do next.
//!
//! Values from the file are quoted, cut to a readable length, and have control and invisible
//! characters shown as `U+XXXX`, so a hostile cell cannot rewrite the terminal.

use super::Lang;
use crate::input::consents::Method;
use crate::input::dates::{DateProblem, MAX_YEAR, MIN_YEAR};
use crate::input::problem::{Encoding, Field, InputProblem, ProblemKind, WorkbookFault};

/// The column's name as the village's own header writes it, or in English.
pub fn field_label(f: Field, lang: Lang) -> &'static str {
    let (zh, en) = match f {
        Field::Household => ("户号", "household"),
        Field::Name => ("姓名", "name"),
        Field::Relation => ("与户主关系", "relation"),
        Field::Sex => ("性别", "sex"),
        Field::BirthDate => ("出生日期", "birth date"),
        Field::Party => ("党员", "party"),
        Field::Representative => ("村民代表", "representative"),
        Field::Committee => ("两委", "committee"),
        Field::Status => ("状态", "status"),
        Field::Signer => ("签字人", "signer"),
        Field::Opinion => ("意见", "opinion"),
        Field::Reason => ("理由", "reason"),
        Field::Method => ("方式", "method"),
        Field::Collector => ("征求人", "collector"),
        Field::Date => ("日期", "date"),
        Field::Page => ("页码", "page"),
    };
    lang.pick(zh, en)
}

/// How a consent was collected, in words.
pub fn method_label(m: Method, lang: Lang) -> &'static str {
    lang.pick(
        m.label_zh(),
        match m {
            Method::InPerson => "in person",
            Method::SameHousehold => "signed by a household member",
            Method::Remote => "confirmed remotely",
            Method::Proxy => "by proxy",
        },
    )
}

pub fn encoding_label(e: Encoding) -> &'static str {
    match e {
        Encoding::Utf8 => "UTF-8",
        Encoding::Utf8Bom => "UTF-8 (BOM)",
        Encoding::Utf16Le => "UTF-16 LE",
        Encoding::Utf16Be => "UTF-16 BE",
        Encoding::Gb18030 => "GBK/GB18030",
    }
}

/// Where the problem is: `单元格 B7` / `第 7 行` / `文件`.
fn place(p: &InputProblem, lang: Lang) -> String {
    match (&p.cell, p.line) {
        (Some(cell), _) => lang.pick(format!("单元格 {cell}"), format!("cell {cell}")),
        (None, Some(line)) => lang.pick(format!("第 {line} 行"), format!("line {line}")),
        (None, None) => lang.pick("文件", "file").to_string(),
    }
}

/// A value from the file, safe to print: invisible characters spelled out, long text cut.
pub fn shown(value: &str) -> String {
    const MAX: usize = 40;
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == MAX {
            out.push('…');
            break;
        }
        if crate::input::normalize::is_forbidden(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn quoted(value: &str, lang: Lang) -> String {
    lang.pick(
        format!("“{}”", shown(value)),
        format!("\"{}\"", shown(value)),
    )
}

/// A workbook's sheet names as found (hostile text: shown safely), at most five, then how
/// many more.
fn sheet_list(names: &[String], lang: Lang) -> String {
    const MAX: usize = 5;
    let mut parts: Vec<String> = names
        .iter()
        .take(MAX)
        .map(|n| lang.pick(format!("「{}」", shown(n)), format!("\"{}\"", shown(n))))
        .collect();
    if names.len() > MAX {
        let more = names.len() - MAX;
        parts.push(lang.pick(format!("等另 {more} 个"), format!("{more} more")));
    }
    parts.join(lang.pick("", ", "))
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

fn lines(ls: &[u64], lang: Lang) -> String {
    let parts: Vec<String> = ls.iter().map(u64::to_string).collect();
    parts.join(lang.pick("、", ", "))
}

fn date_reason(d: DateProblem, lang: Lang) -> String {
    match d {
        DateProblem::Empty => lang.pick("为空", "it is empty").into(),
        DateProblem::Unrecognised => lang
            .pick("请写成 年-月-日，例如 2026-03-02", "write year-month-day, e.g. 2026-03-02")
            .into(),
        DateProblem::MissingDay => lang
            .pick(
                "缺少日，需要完整的年月日",
                "the day is missing; a full date is needed",
            )
            .into(),
        DateProblem::TwoDigitYear => lang
            .pick(
                "年份只有两位，请写四位年份",
                "the year has two digits; write all four",
            )
            .into(),
        DateProblem::YearNotFirst => lang
            .pick(
                "年份不在最前（如 20/09/2026），本程序不猜日和月的先后；请写成 年-月-日，例如 2026-09-20",
                "the year is not first (as in 20/09/2026), and liuyi does not guess which of day and month comes first; write year-month-day, e.g. 2026-09-20",
            )
            .into(),
        DateProblem::ExcelSerial => lang
            .pick(
                "像是 Excel 的日期序号；请把该列设为日期格式，或写成 1965-03-02",
                "this looks like an Excel serial number; format the column as a date or write 1965-03-02",
            )
            .into(),
        DateProblem::HasTime => lang
            .pick("带有时刻，只需要日期", "it has a time of day; only the date is wanted")
            .into(),
        DateProblem::NoSuchDay => lang.pick("没有这一天", "there is no such day").into(),
        DateProblem::YearOutOfRange { year } => lang.pick(
            format!("年份 {year} 不在 {MIN_YEAR}–{MAX_YEAR} 之间"),
            format!("the year {year} is outside {MIN_YEAR}–{MAX_YEAR}"),
        ),
    }
}

/// One problem as one line: `第 7 行：出生日期“1965-02-30”不是有效日期：没有这一天`.
pub fn describe(p: &InputProblem, lang: Lang) -> String {
    let sep = lang.pick("：", ": ");
    format!("{}{sep}{}", place(p, lang), message(p, lang))
}

fn message(p: &InputProblem, lang: Lang) -> String {
    let field = p.column.map(|f| field_label(f, lang)).unwrap_or_default();
    let value = p.value.as_deref().unwrap_or_default();
    let v = quoted(value, lang);
    match &p.kind {
        ProblemKind::TooLarge { size, limit } => lang.pick(
            format!("文件有 {}，超过上限 {}；请只导出需要的那张表", mb(*size), mb(*limit)),
            format!("the file is {}, over the limit of {}; export only the table needed", mb(*size), mb(*limit)),
        ),
        ProblemKind::EmptyFile => lang
            .pick("文件是空的，没有表头行", "the file is empty: there is no header row")
            .into(),
        ProblemKind::NoRows => lang
            .pick("只有表头，没有数据行", "there is a header but no data rows")
            .into(),
        ProblemKind::Binary { offset } => lang.pick(
            format!("这不是文本表格（第 {offset} 字节是 NUL）；请在 Excel 中另存为 CSV 或 XLSX"),
            format!("this is not a text table (NUL byte at offset {offset}); save it from Excel as CSV or XLSX"),
        ),
        ProblemKind::OldExcel => lang
            .pick(
                "这是旧版 Excel（.xls）或设了密码的工作簿，无法读取；请在 Excel 中另存为 .xlsx 或 CSV，不设密码",
                "this is an old Excel (.xls) or password-protected workbook; save it from Excel as .xlsx or CSV, without a password",
            )
            .into(),
        ProblemKind::NotDecodable { encoding, offset } => lang.pick(
            format!(
                "第 {offset} 字节起的内容（{}）不是有效的 {} 文字；请在 Excel 中另存为“CSV UTF-8”",
                shown(value),
                encoding_label(*encoding)
            ),
            format!(
                "the bytes at offset {offset} ({}) are not valid {} text; save the file from Excel as \"CSV UTF-8\"",
                shown(value),
                encoding_label(*encoding)
            ),
        ),
        ProblemKind::BadWorkbook { fault, detail } => match fault {
            WorkbookFault::NotXlsx => lang.pick(
                "这是 ZIP 压缩包，不是 Excel 工作簿（.xlsx）：请先解压，给出花名册本身的 .xlsx 或 CSV 文件".to_string(),
                format!("this is a ZIP archive, not an Excel workbook (.xlsx): unpack it and give the .xlsx or CSV file itself ({})", shown(detail)),
            ),
            WorkbookFault::SheetMissing { name } => lang.pick(
                format!("XLSX 文件不完整：工作簿列出了工作表{}，文件里却没有它；请在 Excel 或 WPS 中打开，另存为 .xlsx 或 CSV 后再导入", quoted(name, lang)),
                format!("the XLSX file is incomplete: the workbook lists the sheet {} but the file does not hold it; open it in Excel or WPS and save it again as .xlsx or CSV ({})", quoted(name, lang), shown(detail)),
            ),
            WorkbookFault::Damaged => lang.pick(
                "XLSX 文件损坏，无法读取（其中的表格数据不完整或格式错误）；请在 Excel 或 WPS 中打开，另存为 .xlsx 或 CSV 后再导入".to_string(),
                format!("the XLSX file is damaged or unreadable: the table data in it is incomplete or malformed. Open it in Excel or WPS and save it again as .xlsx or CSV (the reader said: {})", shown(detail)),
            ),
        },
        ProblemKind::WorkbookTooLarge { unpacked, limit } => lang.pick(
            format!("XLSX 解压后有 {}，超过上限 {}", mb(*unpacked), mb(*limit)),
            format!("the XLSX unpacks to {}, over the limit of {}", mb(*unpacked), mb(*limit)),
        ),
        ProblemKind::FirstSheetEmpty { first, others } => lang.pick(
            format!(
                "工作簿的第一个工作表「{}」是空的（只读取第一个工作表）；工作簿里还有{}。请把名单所在的工作表拖到最前面（成为第一个工作表；隐藏的须先取消隐藏）并保存，再导入",
                shown(first),
                sheet_list(others, lang)
            ),
            format!(
                "the workbook's first sheet, \"{}\", is empty (only the first sheet is read); the workbook also has {}. Drag the sheet that holds the list to the front (the first tab; unhide it first if hidden), save, and import again",
                shown(first),
                sheet_list(others, lang)
            ),
        ),
        ProblemKind::OtherSheets { first, others } => lang.pick(
            format!(
                "只读取了工作簿的第一个工作表「{}」，它缺少规定的列；工作簿里还有{}。如果名单在别的工作表上，请把它拖到最前面（成为第一个工作表；隐藏的须先取消隐藏）并保存，再导入",
                shown(first),
                sheet_list(others, lang)
            ),
            format!(
                "only the workbook's first sheet, \"{}\", was read, and it lacks the required columns; the workbook also has {}. If the list is on another sheet, drag that sheet to the front (the first tab; unhide it first if hidden), save, and import again",
                shown(first),
                sheet_list(others, lang)
            ),
        ),
        ProblemKind::NoSheet => lang
            .pick("工作簿里没有工作表", "the workbook has no worksheet")
            .into(),
        ProblemKind::TooManyRows { limit } => lang.pick(
            format!("数据超过 {limit} 行的上限，没有再往下读"),
            format!("more than {limit} data rows; reading stopped here"),
        ),
        ProblemKind::TooManyColumns { limit } => lang.pick(
            format!("超过 {limit} 列的上限"),
            format!("more than {limit} columns"),
        ),
        ProblemKind::CsvSyntax { detail } => lang.pick(
            format!("CSV 格式错误（{}）", shown(detail)),
            format!("the CSV is malformed ({})", shown(detail)),
        ),
        ProblemKind::TooManyProblems { omitted } => lang.pick(
            format!("另有 {omitted} 处问题未列出"),
            format!("{omitted} more problems are not listed"),
        ),
        ProblemKind::UnknownColumn => lang.pick(
            format!("不认识的列名{v}；请删除这一列，或改成规定的列名"),
            format!("unknown column {v}; remove it or use one of the expected headers"),
        ),
        ProblemKind::HeaderNotFirst { header } => lang.pick(
            format!("这一行不是列名行，列名在第 {header} 行：请删去第 {header} 行以上的行（表格标题等），让列名行成为第一行后再导入"),
            format!("this line is not the header row; the headers are on line {header}: delete the lines above it (a title and the like) so that the headers come first, and import again"),
        ),
        ProblemKind::MissingColumn => lang.pick(
            format!("缺少“{field}”列"),
            format!("the \"{field}\" column is missing"),
        ),
        ProblemKind::DuplicateColumn { first } => lang.pick(
            format!("列名{v}与第 {first} 列重复，都是“{field}”"),
            format!("column {v} repeats column {first}: both are \"{field}\""),
        ),
        ProblemKind::UnnamedColumnWithData { position } => lang.pick(
            format!("第 {position} 列没有列名，却有内容{v}"),
            format!("column {position} has no header but holds {v}"),
        ),
        ProblemKind::WrongFieldCount { expected, got } => lang.pick(
            format!("这一行有 {got} 个字段，表头有 {expected} 个（多了或少了逗号？）"),
            format!("this line has {got} fields, the header has {expected} (a stray or missing comma?)"),
        ),
        ProblemKind::CellTooLong { limit } => lang.pick(
            format!("内容{v}超过 {limit} 个字"),
            format!("{v} is longer than {limit} characters"),
        ),
        ProblemKind::ExcelError => lang.pick(
            format!("单元格是 Excel 错误值{v}"),
            format!("the cell holds the Excel error {v}"),
        ),
        ProblemKind::FormulaWithoutValue => lang.pick(
            format!("单元格是公式{v}，但文件里没有保存它的计算结果；请在 Excel 或 WPS 中打开、确认显示出结果后重新保存（或把这一列复制后“选择性粘贴为数值”）再导入"),
            format!("the cell holds the formula {v} but the file has no computed value for it; open it in Excel or WPS, let it show the result and save again (or paste the column as values) before importing"),
        ),
        ProblemKind::Empty => lang.pick(format!("{field}不能为空"), format!("{field} is empty")),
        ProblemKind::ControlCharacter { codepoint } => lang.pick(
            format!("{field}{v}含有控制字符或不可见字符 U+{codepoint:04X}"),
            format!("{field} {v} contains the control or invisible character U+{codepoint:04X}"),
        ),
        ProblemKind::BadDate(why) => lang.pick(
            format!("{field}{v}不是有效日期：{}", date_reason(*why, lang)),
            format!("{field} {v} is not a valid date: {}", date_reason(*why, lang)),
        ),
        ProblemKind::UnknownValue { accepted } => {
            let list = accepted.join(lang.pick("、", ", "));
            let empty = if p.column == Some(Field::Committee) {
                lang.pick("，或留空", ", or leave it empty")
            } else {
                ""
            };
            lang.pick(
                format!("{field}{v}不是可填的值；可填：{list}{empty}"),
                format!("{field} {v} is not an accepted value; use one of: {list}{empty}"),
            )
        }
        ProblemKind::BadHouseholdId { character } => lang.pick(
            format!("户号{v}含有不允许的字符{}（户号里不能有空格或冒号）", quoted(&character.to_string(), lang)),
            format!("household {v} contains {} (no spaces or colons in a household number)", quoted(&character.to_string(), lang)),
        ),
        ProblemKind::HouseholdIdDecimal { whole } => lang.pick(
            format!("户号{v}带有小数点：表格软件把户号当成了数字导出（“{whole}”后加了“.0”，前面的 0 也可能丢了）；请把户号列设为“文本”格式，按原来的户号（如“0001”）重新导出"),
            format!("household {v} has a decimal point: a spreadsheet program exported the household column as numbers (\"{whole}\" with \".0\" added, and any leading zeros lost); format the column as Text with the original ids (such as \"0001\") and export again"),
        ),
        ProblemKind::HouseholdIdLostZeros {
            width,
            example,
            from_number,
        } => {
            let fix = if *from_number {
                lang.pick(
                    format!("Excel 把户号当成了数字，去掉了前面的 0：请把户号列设为“文本”格式，补足 {width} 位后重新导出"),
                    format!("Excel stored it as a number and dropped its leading zeros: format the household column as Text, pad it to {width} digits and export again"),
                )
            } else {
                lang.pick(
                    format!("请补足 {width} 位（例如把“1”写成“{}1”）", "0".repeat(width - 1)),
                    format!("pad it to {width} digits (e.g. \"1\" as \"{}1\")", "0".repeat(width - 1)),
                )
            };
            lang.pick(
                format!("户号{v}比其他户号（如“{example}”）短，前面的 0 可能丢了，会被当成另一户；{fix}"),
                format!("household {v} is shorter than the others (e.g. \"{example}\"): its leading zeros seem lost, so it would count as another household; {fix}"),
            )
        }
        ProblemKind::HouseholdIdLostZerosRecorded { recorded } => lang.pick(
            format!("户号{v}在已记录的花名册中是“{recorded}”，文件里却没有“{recorded}”：前面的 0 可能丢了（Excel 把户号当成了数字），导入后会被当成另一户；请把户号列设为“文本”格式，按“{recorded}”的位数补足后重新导出"),
            format!("household {v} is \"{recorded}\" in the recorded roster, and the file has no \"{recorded}\": its leading zeros seem lost (Excel stored it as a number), so it would count as another household; format the household column as Text, pad it as \"{recorded}\" is and export again"),
        ),
        ProblemKind::NoHeadOfHousehold { household, lines: ls } => lang.pick(
            format!("户号 {household} 没有户主（该户成员在第 {} 行）；每户必须有一人的与户主关系是“户主”", lines(ls, lang)),
            format!("household {household} has no head of household (户主); its {} on {} {}", if ls.len() == 1 { "member is" } else { "members are" }, if ls.len() == 1 { "line" } else { "lines" }, lines(ls, lang)),
        ),
        ProblemKind::SeveralHeads { household, lines: ls } => lang.pick(
            format!("户号 {household} 有 {} 个户主（第 {} 行），每户只能有一个", ls.len(), lines(ls, lang)),
            format!("household {household} has {} heads of household (lines {}); exactly one is allowed", ls.len(), lines(ls, lang)),
        ),
        ProblemKind::DuplicateMember {
            household,
            name,
            first_line,
        } => lang.pick(
            format!("户号 {household} 的{}重复出现（第 {first_line} 行已有）", quoted(name, lang)),
            format!("household {household} lists {} twice (first on line {first_line})", quoted(name, lang)),
        ),
        ProblemKind::ObjectionWithoutReason => lang
            .pick("意见为反对，但没有填写理由", "an objection needs a reason")
            .into(),
        ProblemKind::DuplicateHousehold {
            household,
            first_line,
        } if household.contains(':') => lang.pick(
            format!("村民 {household} 重复出现（第 {first_line} 行已有）；每人只能有一行"),
            format!("villager {household} is listed twice (first on line {first_line}); one row per person"),
        ),
        ProblemKind::DuplicateHousehold {
            household,
            first_line,
        } => lang.pick(
            format!("户号 {household} 重复出现（第 {first_line} 行已有）；每户只能有一行"),
            format!("household {household} is listed twice (first on line {first_line}); one row per household"),
        ),
        ProblemKind::BadPage => lang.pick(
            format!("页码{v}不是正整数"),
            format!("page {v} is not a positive whole number"),
        ),
        ProblemKind::MinorInOffice { age, on } => lang.pick(
            format!("{field}填了{v}，但此人在 {on}（名册日期）只有 {age} 岁：未满 18 周岁不能是党员、村民代表或两委成员，否则会计入会议的应到人数；请核对出生日期和{field}一栏"),
            format!("{field} is {v}, but this person is {age} on {on} (the roster's date): someone under 18 cannot be a party member, villager representative or committee member, and would count in a meeting's attendance due; check the birth date and the {field} column"),
        ),
        ProblemKind::BranchSeatNeedsFullMember { probationary } => {
            let (zh, en) = if *probationary {
                ("（此人是预备党员，预备党员没有被选举权）", " (this person is a probationary member, who cannot be elected)")
            } else {
                ("", "")
            };
            lang.pick(
                format!("{field}填了{v}，但党员一栏不是“是”{zh}：支部委员（“支委”，或兼任两委的“两委”）必须是正式党员，否则会计入支委会的应到人数；请核对党员和两委两栏，只在村委任职的填“村委”"),
                format!("{field} is {v}, but the party column is not \"是\" (yes){en}: a seat on the party branch committee (支委, or 两委 for both committees) needs a full party member, who would count in the branch committee's attendance due; check the party and committee columns, and write 村委 for a village-committee seat only"),
            )
        }
        ProblemKind::DateInFuture { today } => lang.pick(
            format!("{field}{v}晚于今天（{today}）"),
            format!("{field} {v} is after today ({today})"),
        ),
    }
}

/// The whole list, one problem a line, with a count before and what to do after.
pub fn render(problems: &[InputProblem], lang: Lang) -> String {
    let omitted: usize = problems
        .iter()
        .map(|p| match p.kind {
            ProblemKind::TooManyProblems { omitted } => omitted,
            _ => 0,
        })
        .sum();
    let listed = problems
        .iter()
        .filter(|p| !matches!(p.kind, ProblemKind::TooManyProblems { .. }))
        .count();
    let total = listed + omitted;
    let mut out = lang.pick(
        format!("文件有 {total} 处问题：\n"),
        format!(
            "The file has {total} problem{}:\n",
            if total == 1 { "" } else { "s" }
        ),
    );
    for p in problems {
        out.push_str("  ");
        out.push_str(&describe(p, lang));
        out.push('\n');
    }
    out.push_str(lang.pick(
        "请修改后重新导入；本次未导入任何数据。\n",
        "Fix the file and import again; nothing was imported.\n",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A date with the year last is refused as a rule of the file, not as ambiguous (20/09
    /// can only be the 20th of September), and the example is a date of either kind.
    #[test]
    fn a_date_with_the_year_last_is_not_called_ambiguous() {
        let zh = date_reason(DateProblem::YearNotFirst, Lang::Zh);
        let en = date_reason(DateProblem::YearNotFirst, Lang::En);
        assert!(
            zh.contains("不猜日和月的先后") && !zh.contains("分不清"),
            "{zh}"
        );
        assert!(
            en.contains("does not guess") && !en.contains("cannot be told apart"),
            "{en}"
        );
        assert!(!date_reason(DateProblem::Unrecognised, Lang::En).contains("1965"));
    }
}
