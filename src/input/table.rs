//! Bytes → a table: a header row and data rows of normalised cells, each with its place
//! (line, or sheet row and cell reference). Knows nothing of rosters or consents: the readers
//! on top say which columns they want ([`ColumnSpec`]) and [`map_header`] tells them where
//! each one is.
//!
//! The format is decided by content, never by file name: a ZIP (`PK\x03\x04`) is XLSX (first
//! sheet), an OLE container is an old `.xls` (refused with a hint), anything else is text
//! (see `decode` for encodings), comma- or tab-separated. Caps ([`Limits`]) are checked before
//! parsing (size) and while parsing (rows, columns, cell length), so a hostile file is
//! refused quickly and with bounded memory. Every cell is normalised once here (NFC,
//! full-width → half-width, trimmed, line breaks as `\n`). Rows whose cells are all empty are
//! skipped wherever they are (Excel leaves such rows, as `,,,,` or formatted cells, at the
//! end of a sheet).

use super::decode::decode;
use super::normalize::{clean, fold_header};
use super::problem::{Encoding, Fatal, Field, InputProblem, ProblemKind};
use super::xlsx;

/// Hard caps for one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of the file as given.
    pub max_bytes: u64,
    /// Data rows (the header not counted).
    pub max_rows: usize,
    /// Columns (fields per line, or the sheet's column index).
    pub max_columns: usize,
    /// Characters in one cell.
    pub max_cell_chars: usize,
    /// Bytes an XLSX may unpack to, summed over its ZIP members.
    pub max_unpacked: u64,
    /// Problems kept before the list is cut.
    pub max_problems: usize,
}

impl Limits {
    /// Far above a village of 2,000 households (about 8,000 people), far below what could
    /// hurt a laptop.
    pub const DEFAULT: Limits = Limits {
        max_bytes: 20 * 1024 * 1024,
        max_rows: 50_000,
        max_columns: 64,
        max_cell_chars: 2_000,
        max_unpacked: 200 * 1024 * 1024,
        max_problems: 1_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// How the file was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Text { encoding: Encoding, delimiter: u8 },
    Xlsx,
}

/// What a cell held. Text files give only `Text`; XLSX cells keep their type, which the
/// readers need (a household id that Excel stored as a number has lost its zeros).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Text,
    Number,
    /// An XLSX date cell; its text is `YYYY-MM-DD` (plus the time if not midnight).
    Date,
    Bool,
    /// The table already reported a problem for this cell (Excel error, too long): readers
    /// skip it rather than report it twice.
    Bad,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Normalised text; empty for an empty cell.
    pub text: String,
    pub kind: CellKind,
    /// The XLSX cell reference (`B7`); `None` for text files.
    pub at: Option<String>,
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line where the record starts (text), or the sheet row number (XLSX); 1-based.
    pub line: u64,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub source: Source,
    pub header: Row,
    /// Data rows, without blank rows and without rows that had the wrong number of fields.
    pub rows: Vec<Row>,
    /// Problems with single rows or cells found while reading (wrong field count, Excel error
    /// values, overlong cells). Not fatal: the reader goes on to list every problem.
    pub problems: Vec<InputProblem>,
    /// An XLSX workbook's sheet names, the one read (the first) first; empty for text.
    pub sheets: Vec<String>,
    /// The first rows (up to 20) dropped for their number of fields (a text file): a header row
    /// below a title line is one, which [`map_header`] recognises.
    pub misfits: Vec<Row>,
}

/// Reads a table. `Err` for problems that stop reading (size, encoding, binary, broken
/// workbook, too many rows, no header).
pub fn read(bytes: &[u8], limits: &Limits) -> Result<Table, Fatal> {
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(Box::new(InputProblem::file(ProblemKind::TooLarge {
            size,
            limit: limits.max_bytes,
        })));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes, limits);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Err(Box::new(InputProblem::file(ProblemKind::OldExcel)));
    }
    let (text, encoding) = decode(bytes)?;
    read_text(&text, encoding, limits)
}

fn read_text(text: &str, encoding: Encoding, limits: &Limits) -> Result<Table, Fatal> {
    // Excel's `sep=;` line (written first to name the separator) names it; it is no header.
    let sep = sep_line(text);
    let delimiter = sep.map_or_else(|| sniff_delimiter(text), |(_, d)| d);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text);
    let mut header: Option<Row> = None;
    let mut rows = Vec::new();
    let mut misfits: Vec<Row> = Vec::new();
    let mut problems = Vec::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| lines.line_at(p.byte()));
                return Err(Box::new(InputProblem {
                    line,
                    ..InputProblem::file(ProblemKind::CsvSyntax {
                        detail: e.to_string(),
                    })
                }));
            }
        }
        let line = lines.line_at(record.position().map_or(0, |p| p.byte()));
        if record.len() > limits.max_columns {
            return Err(Box::new(InputProblem::line(
                line,
                ProblemKind::TooManyColumns {
                    limit: limits.max_columns,
                },
            )));
        }
        let mut cells = Vec::with_capacity(record.len());
        for field in record.iter() {
            let mut cell = Cell {
                text: clean(&field.replace("\r\n", "\n").replace('\r', "\n")),
                kind: CellKind::Text,
                at: None,
            };
            check_length(&mut cell, line, limits, &mut problems);
            cells.push(cell);
        }
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        if header.is_none() && sep.is_some_and(|(at, _)| at == line) {
            continue;
        }
        let Some(head) = &header else {
            header = Some(Row { line, cells });
            continue;
        };
        if rows.len() == limits.max_rows {
            return Err(Box::new(InputProblem::line(
                line,
                ProblemKind::TooManyRows {
                    limit: limits.max_rows,
                },
            )));
        }
        if cells.len() != head.cells.len() {
            problems.push(InputProblem::line(
                line,
                ProblemKind::WrongFieldCount {
                    expected: head.cells.len(),
                    got: cells.len(),
                },
            ));
            if misfits.len() < 20 {
                misfits.push(Row { line, cells });
            }
            continue;
        }
        rows.push(Row { line, cells });
    }
    let header = header.ok_or_else(|| Box::new(InputProblem::file(ProblemKind::EmptyFile)))?;
    Ok(Table {
        source: Source::Text {
            encoding,
            delimiter,
        },
        header,
        rows,
        problems,
        sheets: Vec::new(),
        misfits,
    })
}

/// Line numbers from the byte offsets the CSV parser gives. Its own line count goes wrong
/// around blank lines, and its record offset can point at the line break before the record,
/// so breaks are skipped first. Offsets only grow, so counting is incremental.
struct LineCounter<'t> {
    text: &'t [u8],
    pos: usize,
    line: u64,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t str) -> Self {
        LineCounter {
            text: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    fn line_at(&mut self, offset: u64) -> u64 {
        let mut start = (offset as usize).min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.pos {
            self.line += self.text[self.pos..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.pos = start;
        }
        self.line
    }
}

/// The line number of a first non-blank line `sep=X` (Excel's way of naming the separator
/// X: `,`, `;`, tab or `|`), and X.
fn sep_line(text: &str) -> Option<(u64, u8)> {
    let (i, first) = text
        .lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())?;
    let sep = first.trim_end_matches('\r').strip_prefix("sep=")?;
    match sep.as_bytes() {
        [d @ (b',' | b';' | b'\t' | b'|')] => Some((i as u64 + 1, *d)),
        _ => None,
    }
}

/// Excel's "Unicode text" export is tab-separated, and an Excel set to a European locale
/// writes its CSV with semicolons; everything else we see is comma-separated. Decided by
/// the first non-blank line (the header), which holds several columns and no comma then.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    if first.contains(',') {
        b','
    } else if first.contains('\t') {
        b'\t'
    } else if first.contains(';') {
        b';'
    } else {
        b','
    }
}

fn check_length(cell: &mut Cell, line: u64, limits: &Limits, problems: &mut Vec<InputProblem>) {
    if cell.kind != CellKind::Bad && cell.text.chars().count() > limits.max_cell_chars {
        problems.push(
            InputProblem::line(
                line,
                ProblemKind::CellTooLong {
                    limit: limits.max_cell_chars,
                },
            )
            .with_cell(cell.at.clone())
            .with_value(cell.text.chars().take(20).collect::<String>() + "…"),
        );
        cell.kind = CellKind::Bad;
    }
}

fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Table, Fatal> {
    let (sheet, mut problems, sheets) = xlsx::read(bytes, limits)?;
    let width = sheet
        .values()
        .filter_map(|cells| cells.last().map(|c| c.col as usize + 1))
        .max()
        .unwrap_or(0);
    let mut header: Option<Row> = None;
    let mut rows = Vec::new();
    for (row, sparse) in sheet {
        let line = u64::from(row) + 1;
        let mut cells: Vec<Cell> = (0..width)
            .map(|col| Cell {
                text: String::new(),
                kind: CellKind::Text,
                at: Some(xlsx::cell_ref(row, col as u32)),
            })
            .collect();
        for c in sparse {
            let cell = &mut cells[c.col as usize];
            cell.text = clean(&c.text.replace("\r\n", "\n").replace('\r', "\n"));
            cell.kind = c.kind;
            check_length(cell, line, limits, &mut problems);
        }
        if cells.iter().all(Cell::is_empty) {
            continue;
        }
        if header.is_none() {
            header = Some(Row { line, cells });
        } else {
            rows.push(Row { line, cells });
        }
    }
    let header = header.ok_or_else(|| {
        Box::new(InputProblem::file(match other_sheets(&sheets) {
            Some((first, others)) => ProblemKind::FirstSheetEmpty { first, others },
            None => ProblemKind::EmptyFile,
        }))
    })?;
    Ok(Table {
        source: Source::Xlsx,
        header,
        rows,
        problems,
        sheets,
        misfits: Vec::new(),
    })
}

/// The sheet read and the workbook's other sheets, when it has more than one: a table on
/// another sheet is not read, and the secretary is told where to move it.
fn other_sheets(sheets: &[String]) -> Option<(String, Vec<String>)> {
    match sheets {
        [first, others @ ..] if !others.is_empty() => Some((first.clone(), others.to_vec())),
        _ => None,
    }
}

/// A column a reader wants: its field, the header names it goes by (matched after folding:
/// case, spaces, `_`, `-`, `*` and a bracketed annotation do not matter), and whether the
/// file must have it.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    pub field: Field,
    pub names: &'static [&'static str],
    pub required: bool,
}

/// Headers that may stand in any file and are ignored: a running number.
const IGNORED_HEADERS: &[&str] = &["序号", "no", "no.", "#", "seq"];

/// Where each wanted field is in the rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Columns {
    positions: Vec<(Field, usize)>,
}

impl Columns {
    pub fn position(&self, field: Field) -> Option<usize> {
        self.positions
            .iter()
            .find(|(f, _)| *f == field)
            .map(|&(_, i)| i)
    }

    pub fn has(&self, field: Field) -> bool {
        self.position(field).is_some()
    }

    /// The row's cell for `field`, if the file has that column.
    pub fn get<'r>(&self, row: &'r Row, field: Field) -> Option<&'r Cell> {
        self.position(field).and_then(|i| row.cells.get(i))
    }
}

fn field_of(header: &str, specs: &[ColumnSpec]) -> Option<Field> {
    let folded = fold_header(header);
    let find = |name: &str| {
        specs
            .iter()
            .find(|s| s.names.iter().any(|n| fold_header(n) == name))
            .map(|s| s.field)
    };
    if let Some(f) = find(&folded) {
        return Some(f);
    }
    // `户号/household`: every part names the same column.
    let parts: Vec<Option<Field>> = header.split('/').map(|p| find(&fold_header(p))).collect();
    match parts.split_first() {
        Some((Some(f), rest)) if parts.len() > 1 && rest.iter().all(|p| *p == Some(*f)) => Some(*f),
        _ => None,
    }
}

/// Maps the header row to the wanted columns. Problems: each unknown header once, each
/// missing required column, a column named twice, a column without a header that has data.
pub fn map_header(table: &Table, specs: &[ColumnSpec]) -> (Columns, Vec<InputProblem>) {
    let header = &table.header;
    let mut columns = Columns::default();
    let mut problems = Vec::new();
    for (i, cell) in header.cells.iter().enumerate() {
        let at = || InputProblem::line(header.line, ProblemKind::UnknownColumn);
        if cell.is_empty() {
            if let Some((row, c)) = table
                .rows
                .iter()
                .find_map(|r| r.cells.get(i).filter(|c| !c.is_empty()).map(|c| (r, c)))
            {
                problems.push(
                    InputProblem::line(
                        row.line,
                        ProblemKind::UnnamedColumnWithData { position: i + 1 },
                    )
                    .with_cell(c.at.clone())
                    .with_value(c.text.clone()),
                );
            }
            continue;
        }
        if IGNORED_HEADERS.contains(&fold_header(&cell.text).as_str()) {
            continue;
        }
        match field_of(&cell.text, specs) {
            None => problems.push(
                at().with_cell(cell.at.clone())
                    .with_value(cell.text.clone()),
            ),
            Some(f) => match columns.position(f) {
                Some(first) => problems.push(
                    InputProblem::line(
                        header.line,
                        ProblemKind::DuplicateColumn { first: first + 1 },
                    )
                    .with_cell(cell.at.clone())
                    .with_column(f)
                    .with_value(cell.text.clone()),
                ),
                None => columns.positions.push((f, i)),
            },
        }
    }
    // No header of the first line is a column, and a row a little below names several: a
    // title line (or a few) above the headers. One problem says so, not every column
    // missing.
    if columns.positions.is_empty()
        && let Some(row) = table.rows.iter().take(20).chain(&table.misfits).find(|r| {
            r.cells
                .iter()
                .filter(|c| field_of(&c.text, specs).is_some())
                .count()
                >= 3
        })
    {
        let problem = InputProblem::line(
            header.line,
            ProblemKind::HeaderNotFirst { header: row.line },
        );
        return (columns, vec![problem]);
    }
    let mut missing = false;
    for spec in specs {
        if spec.required && !columns.has(spec.field) {
            missing = true;
            problems.push(
                InputProblem::line(header.line, ProblemKind::MissingColumn).with_column(spec.field),
            );
        }
    }
    if let Some((first, others)) = other_sheets(&table.sheets).filter(|_| missing) {
        problems.push(InputProblem::file(ProblemKind::OtherSheets {
            first,
            others,
        }));
    }
    (columns, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Table {
        read(s.as_bytes(), &Limits::DEFAULT).unwrap()
    }

    fn texts(row: &Row) -> Vec<&str> {
        row.cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn quoted_fields_with_commas_and_newlines() {
        let t = text("a,b\n\"x, y\",\"line1\r\nline2\"\n\n,\n\n");
        assert_eq!(t.rows.len(), 1);
        assert_eq!(texts(&t.rows[0]), ["x, y", "line1\nline2"]);
        assert_eq!(t.rows[0].line, 2);
    }

    #[test]
    fn crlf_blank_lines_and_lines_numbers() {
        let t = text("\r\na,b\r\n1,2\r\n\r\n3,4\r\n,\r\n\r\n");
        assert_eq!(t.header.line, 2);
        assert_eq!(
            t.rows.iter().map(|r| r.line).collect::<Vec<_>>(),
            vec![3, 5]
        );
    }

    #[test]
    fn tab_separated_utf16_as_excel_unicode_text() {
        let mut b = vec![0xFF, 0xFE];
        b.extend(
            "户号\t姓名\r\n0001\t张三\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        let t = read(&b, &Limits::DEFAULT).unwrap();
        assert_eq!(
            t.source,
            Source::Text {
                encoding: Encoding::Utf16Le,
                delimiter: b'\t'
            }
        );
        assert_eq!(texts(&t.rows[0]), ["0001", "张三"]);
    }

    #[test]
    fn semicolon_separated_as_a_european_excel_writes() {
        let t = text("户号;姓名;备注\n0001;张三;\"甲,乙\"\n");
        assert!(matches!(
            t.source,
            Source::Text {
                delimiter: b';',
                ..
            }
        ));
        assert_eq!(texts(&t.rows[0]), ["0001", "张三", "甲,乙"]);
        // A comma in the header decides for commas, whatever the rows hold.
        let t = text("户号,姓名\n0001,张;三\n");
        assert_eq!(texts(&t.rows[0]), ["0001", "张;三"]);
        // Excel's `sep=;` line names the separator and is not the header.
        let t = text("sep=;\r\n户号;姓名\r\n0001;张,三\r\n");
        assert_eq!(t.header.line, 2);
        assert_eq!(texts(&t.header), ["户号", "姓名"]);
        assert_eq!(texts(&t.rows[0]), ["0001", "张,三"]);
        assert_eq!(t.rows[0].line, 3);
    }

    #[test]
    fn wrong_field_count_is_a_problem_of_that_line() {
        let t = text("a,b\n1,2\n1,2,3\n4\n5,6\n");
        assert_eq!(t.rows.len(), 2);
        let kinds: Vec<_> = t
            .problems
            .iter()
            .map(|p| (p.line, p.kind.clone()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                (
                    Some(3),
                    ProblemKind::WrongFieldCount {
                        expected: 2,
                        got: 3
                    }
                ),
                (
                    Some(4),
                    ProblemKind::WrongFieldCount {
                        expected: 2,
                        got: 1
                    }
                ),
            ]
        );
    }

    #[test]
    fn caps_refuse_early() {
        let small = Limits {
            max_bytes: 10,
            ..Limits::DEFAULT
        };
        assert_eq!(
            read(b"a,b\n1,2\n3,4\n", &small).unwrap_err().kind,
            ProblemKind::TooLarge {
                size: 12,
                limit: 10
            }
        );
        let few = Limits {
            max_rows: 2,
            ..Limits::DEFAULT
        };
        let e = read(b"a\n1\n2\n3\n4\n", &few).unwrap_err();
        assert_eq!(
            (e.line, e.kind),
            (Some(4), ProblemKind::TooManyRows { limit: 2 })
        );
        let narrow = Limits {
            max_columns: 3,
            ..Limits::DEFAULT
        };
        assert_eq!(
            read(b"a,b,c,d\n", &narrow).unwrap_err().kind,
            ProblemKind::TooManyColumns { limit: 3 }
        );
        assert_eq!(
            read(b"\n\r\n", &Limits::DEFAULT).unwrap_err().kind,
            ProblemKind::EmptyFile
        );
    }

    #[test]
    fn old_excel_is_refused_with_a_hint() {
        let ole = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
        assert_eq!(
            read(ole, &Limits::DEFAULT).unwrap_err().kind,
            ProblemKind::OldExcel
        );
    }

    #[test]
    fn broken_zip_is_a_bad_workbook() {
        let e = read(b"PK\x03\x04garbage", &Limits::DEFAULT).unwrap_err();
        assert!(matches!(e.kind, ProblemKind::BadWorkbook { .. }), "{e:?}");
    }

    const SPECS: &[ColumnSpec] = &[
        ColumnSpec {
            field: Field::Household,
            names: &["户号", "household"],
            required: true,
        },
        ColumnSpec {
            field: Field::Name,
            names: &["姓名", "name"],
            required: true,
        },
        ColumnSpec {
            field: Field::Reason,
            names: &["理由"],
            required: false,
        },
    ];

    #[test]
    fn header_mapping() {
        let t = text("序号, 户 号 ,ＮＡＭＥ,备注,,\n1,0001,张三,x,,\n");
        let (cols, problems) = map_header(&t, SPECS);
        assert_eq!(cols.position(Field::Household), Some(1));
        assert_eq!(cols.position(Field::Name), Some(2));
        assert!(!cols.has(Field::Reason));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::UnknownColumn);
        assert_eq!(problems[0].value.as_deref(), Some("备注"));

        let t = text("户号/household,姓名,name,\n0001,张三,张三,x\n");
        let (cols, problems) = map_header(&t, SPECS);
        assert_eq!(cols.position(Field::Household), Some(0));
        let kinds: Vec<_> = problems.iter().map(|p| p.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                ProblemKind::DuplicateColumn { first: 2 },
                ProblemKind::UnnamedColumnWithData { position: 4 }
            ]
        );
        assert_eq!(problems[1].line, Some(2));

        let t = text("姓名\n张三\n");
        let (_, problems) = map_header(&t, SPECS);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::MissingColumn);
        assert_eq!(problems[0].column, Some(Field::Household));
    }
}
