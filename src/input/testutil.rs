//! Test helpers for the input readers: the sample roster, re-encodings of it, and small
//! XLSX workbooks built in memory (no binary fixtures in the repository).

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use super::problem::{InputProblem, ProblemKind};

/// `shared/data/roster-sample.csv` as committed beside the tests: 95 people, 40 households.
pub const SAMPLE: &str = include_str!("testdata/roster-sample.csv");

/// One cell of a test workbook.
#[derive(Debug, Clone, Copy)]
pub enum X<'a> {
    S(&'a str),
    N(f64),
    /// A number cell with a number format (`0000` shows 1 as 0001).
    F(f64, &'a str),
    /// A date cell (year, month, day) formatted `yyyy-mm-dd`.
    D(u16, u8, u8),
    Blank,
}

/// An `.xlsx` whose first sheet holds `rows` from A1.
pub fn xlsx(rows: &[Vec<X<'_>>]) -> Vec<u8> {
    xlsx_sheets(&[("Sheet1", rows)])
}

/// An `.xlsx` of named sheets, in this order, each holding its rows from A1; a name
/// written `hidden:NAME` is a hidden sheet named NAME.
pub fn xlsx_sheets(sheets: &[(&str, &[Vec<X<'_>>])]) -> Vec<u8> {
    let mut book = Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        match name.strip_prefix("hidden:") {
            Some(name) => {
                sheet.set_name(name).unwrap();
                sheet.set_hidden(true);
            }
            None => {
                sheet.set_name(*name).unwrap();
            }
        }
        fill(sheet, rows);
    }
    // The active sheet cannot be hidden: the first one shown is.
    if let Some(i) = sheets.iter().position(|(n, _)| !n.starts_with("hidden:")) {
        book.worksheet_from_index(i).unwrap().set_active(true);
    }
    book.save_to_buffer().unwrap()
}

fn fill(sheet: &mut rust_xlsxwriter::Worksheet, rows: &[Vec<X<'_>>]) {
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match *cell {
                X::S(s) => {
                    sheet.write_string(r, c, s).unwrap();
                }
                X::N(n) => {
                    sheet.write_number(r, c, n).unwrap();
                }
                X::F(n, format) => {
                    let format = Format::new().set_num_format(format);
                    sheet.write_number_with_format(r, c, n, &format).unwrap();
                }
                X::D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(y, m, d).unwrap();
                    sheet.write_datetime_with_format(r, c, dt, &date).unwrap();
                }
                X::Blank => {}
            }
        }
    }
}

/// The sample roster as an `.xlsx`: household ids as text, birth dates as date cells.
pub fn sample_xlsx() -> Vec<u8> {
    let lines: Vec<Vec<&str>> = SAMPLE.lines().map(|l| l.split(',').collect()).collect();
    let rows: Vec<Vec<X<'_>>> = lines
        .iter()
        .enumerate()
        .map(|(i, cells)| {
            cells
                .iter()
                .enumerate()
                .map(|(c, s)| match (i, c) {
                    (0, _) => X::S(s),
                    (_, 4) => {
                        let d = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
                        use chrono::Datelike;
                        X::D(d.year() as u16, d.month() as u8, d.day() as u8)
                    }
                    _ if s.is_empty() => X::Blank,
                    _ => X::S(s),
                })
                .collect()
        })
        .collect();
    xlsx(&rows)
}

/// `xlsx` with each ZIP member passed through `edit` (name, bytes → new bytes, or `None`
/// to leave the member out): a workbook broken in one known way.
pub fn rezip(book: &[u8], edit: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>) -> Vec<u8> {
    use std::io::{Cursor, Read, Write};
    let mut archive = zip::ZipArchive::new(Cursor::new(book)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..archive.len() {
        let mut member = archive.by_index(i).unwrap();
        let name = member.name().unwrap().to_string();
        let mut data = Vec::new();
        member.read_to_end(&mut data).unwrap();
        drop(member);
        if let Some(data) = edit(&name, data) {
            out.start_file(name, options).unwrap();
            out.write_all(&data).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

/// A ZIP archive of other files (what a secretary may give instead of the workbook).
pub fn plain_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::{Cursor, Write};
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, data) in files {
        out.start_file(*name, options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// `(line, kind)` of each problem, for compact assertions.
pub fn kinds(problems: &[InputProblem]) -> Vec<(Option<u64>, ProblemKind)> {
    problems.iter().map(|p| (p.line, p.kind.clone())).collect()
}
