//! The only module that touches calamine (and the ZIP reader under it): the first visible
//! sheet of an XLSX workbook → sparse rows of cells, with caps applied before and while reading.
//!
//! Before calamine inflates anything, the ZIP central directory is read to bound the unpacked
//! size (the ZIP reader then refuses any member that inflates past its declared size, so the
//! declared sizes are a real bound). Cells are streamed one at a time, not through
//! `worksheet_range`, whose dense grid a single far-away cell (`XFD1048576`) would blow up.
//! A panic inside the third-party reader is caught and reported as a broken workbook.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx, XlsxError};

use super::problem::{Fatal, InputProblem, ProblemKind, WorkbookFault};
use super::table::{CellKind, Limits};

/// One non-empty cell: 0-based column, its text, what kind of value it held.
#[derive(Debug)]
pub(crate) struct SheetCell {
    pub col: u32,
    pub text: String,
    pub kind: CellKind,
}

/// Rows keyed by 0-based row index, cells sorted by column; cells that hold an Excel error
/// come back as `CellKind::Bad` with their problem in the second list.
pub(crate) type SheetRows = BTreeMap<u32, Vec<SheetCell>>;

/// The first sheet's rows, the problems of its cells, and the workbook's sheet names (the
/// one read first).
pub(crate) fn read(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(SheetRows, Vec<InputProblem>, Vec<String>), Fatal> {
    check_unpacked_size(bytes, limits)?;
    match catch_unwind(AssertUnwindSafe(|| read_first_sheet(bytes, limits))) {
        Ok(r) => r,
        Err(_) => Err(bad("the XLSX reader failed on this file")),
    }
}

fn bad(detail: impl Into<String>) -> Fatal {
    bad_as(WorkbookFault::Damaged, detail)
}

fn bad_as(fault: WorkbookFault, detail: impl Into<String>) -> Fatal {
    Box::new(InputProblem::file(ProblemKind::BadWorkbook {
        fault,
        detail: detail.into(),
    }))
}

/// calamine's error, sorted by what the secretary can do about it (its own English words
/// are kept only as the detail).
fn workbook_error(e: XlsxError) -> Fatal {
    let fault = match &e {
        // A ZIP without the parts every workbook has: some other archive.
        XlsxError::FileNotFound(_) | XlsxError::RelationshipNotFound => WorkbookFault::NotXlsx,
        XlsxError::WorksheetNotFound(name) => WorkbookFault::SheetMissing { name: name.clone() },
        _ => WorkbookFault::Damaged,
    };
    bad_as(fault, e.to_string())
}

fn check_unpacked_size(bytes: &[u8], limits: &Limits) -> Result<(), Fatal> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_data(i).map_err(|e| bad(e.to_string()))?;
        unpacked = unpacked.saturating_add(entry.size());
    }
    if unpacked > limits.max_unpacked {
        return Err(Box::new(InputProblem::file(
            ProblemKind::WorkbookTooLarge {
                unpacked,
                limit: limits.max_unpacked,
            },
        )));
    }
    Ok(())
}

fn read_first_sheet(
    bytes: &[u8],
    limits: &Limits,
) -> Result<(SheetRows, Vec<InputProblem>, Vec<String>), Fatal> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(workbook_error)?;
    // The first sheet the secretary sees: a hidden one (a template's notes) is passed over,
    // as are chart sheets (no table); hidden worksheets come after the visible ones, to be
    // named in a hint, and are read only when no worksheet is visible.
    let worksheets = |visible: bool| -> Vec<String> {
        book.sheets_metadata()
            .iter()
            .filter(|s| s.typ == SheetType::WorkSheet)
            .filter(|s| (s.visible == SheetVisible::Visible) == visible)
            .map(|s| s.name.clone())
            .collect()
    };
    let mut names = worksheets(true);
    names.extend(worksheets(false));
    let Some(first) = names.first().cloned() else {
        return Err(Box::new(InputProblem::file(ProblemKind::NoSheet)));
    };
    let mut cells = book
        .worksheet_cells_reader(&first)
        .map_err(workbook_error)?;
    // Zero-padding width of each style's number format (`0000` shows 1 as 0001).
    let pads: Vec<Option<usize>> = cells
        .styles()
        .iter()
        .map(|s| {
            s.number_format
                .as_ref()
                .and_then(|f| zero_pad_width(&f.format_code))
        })
        .collect();
    let mut rows = SheetRows::new();
    let mut problems = Vec::new();
    while let Some((cell, style)) = cells.next_cell_with_style_id().map_err(workbook_error)? {
        let (row, col) = cell.get_position();
        let pad = pads.get(style).copied().flatten();
        let Some((text, kind)) = convert(cell.get_value(), pad) else {
            continue;
        };
        let at = cell_ref(row, col);
        if col as usize >= limits.max_columns {
            return Err(Box::new(
                InputProblem::line(
                    u64::from(row) + 1,
                    ProblemKind::TooManyColumns {
                        limit: limits.max_columns,
                    },
                )
                .with_cell(Some(at)),
            ));
        }
        if kind == CellKind::Bad {
            problems.push(
                InputProblem::line(u64::from(row) + 1, ProblemKind::ExcelError)
                    .with_cell(Some(at))
                    .with_value(text.clone()),
            );
        }
        rows.entry(row)
            .or_default()
            .push(SheetCell { col, text, kind });
        // Header plus data rows.
        if rows.len() > limits.max_rows + 1 {
            return Err(Box::new(InputProblem::line(
                u64::from(row) + 1,
                ProblemKind::TooManyRows {
                    limit: limits.max_rows,
                },
            )));
        }
    }
    drop(cells);
    formulas_without_values(&mut book, &first, &mut rows, &mut problems, limits)?;
    for cells in rows.values_mut() {
        cells.sort_by_key(|c| c.col);
        cells.dedup_by_key(|c| c.col);
    }
    Ok((rows, problems, names))
}

/// A formula cell saved without its computed value (written by a program, not by Excel,
/// or saved with calculation off) reads as empty: a second pass over the sheet (the cell
/// reader gives styles or formulas, not both) finds such cells and reports them as what
/// they are, with the formula, instead of as an empty required field. The cell is kept as
/// `Bad` so the readers do not report it again.
fn formulas_without_values<RS: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    sheet: &str,
    rows: &mut SheetRows,
    problems: &mut Vec<InputProblem>,
    limits: &Limits,
) -> Result<(), Fatal> {
    let mut cells = book.worksheet_cells_reader(sheet).map_err(workbook_error)?;
    while let Some(cell) = cells.next_cell_with_formula().map_err(workbook_error)? {
        let (row, col) = cell.pos;
        let Some(formula) = cell.formula.filter(|_| cell.value == DataRef::Empty) else {
            continue;
        };
        let text = format!("={}", formula.trim_start_matches('='));
        problems.push(
            InputProblem::line(u64::from(row) + 1, ProblemKind::FormulaWithoutValue)
                .with_cell(Some(cell_ref(row, col)))
                .with_value(text.clone()),
        );
        rows.entry(row).or_default().push(SheetCell {
            col,
            text,
            kind: CellKind::Bad,
        });
        if rows.len() > limits.max_rows + 1 {
            return Err(Box::new(InputProblem::line(
                u64::from(row) + 1,
                ProblemKind::TooManyRows {
                    limit: limits.max_rows,
                },
            )));
        }
    }
    Ok(())
}

/// The width a number format pads whole numbers to with zeros: `0000` → 4 (Excel shows 1
/// as `0001`, the way a household column often keeps its ids). Only formats made of zeros
/// alone (first section; a format for negatives after `;` does not matter here).
fn zero_pad_width(code: &str) -> Option<usize> {
    let first = code.split(';').next().unwrap_or_default().trim();
    (first.len() >= 2 && first.bytes().all(|b| b == b'0')).then_some(first.len())
}

/// A cell's text and kind; `None` for an empty cell. `pad`: the zero-padding width of the
/// cell's number format, applied to a non-negative whole number as Excel shows it.
fn convert(v: &DataRef<'_>, pad: Option<usize>) -> Option<(String, CellKind)> {
    let padded = |text: String| match pad {
        Some(width) if text.bytes().all(|b| b.is_ascii_digit()) => {
            (format!("{text:0>width$}"), CellKind::Number)
        }
        _ => (text, CellKind::Number),
    };
    Some(match v {
        DataRef::Empty => return None,
        DataRef::String(s) => (s.clone(), CellKind::Text),
        DataRef::SharedString(s) => (s.to_string(), CellKind::Text),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => (s.clone(), CellKind::Text),
        DataRef::Int(i) => padded(i.to_string()),
        DataRef::Float(f) => padded(number(*f)),
        DataRef::Bool(b) => (if *b { "TRUE" } else { "FALSE" }.into(), CellKind::Bool),
        DataRef::DateTime(dt) => match dt.as_datetime() {
            Some(t) if dt.is_datetime() => {
                let text = if t.time() == chrono::NaiveTime::MIN {
                    t.format("%Y-%m-%d").to_string()
                } else {
                    t.format("%Y-%m-%d %H:%M:%S").to_string()
                };
                (text, CellKind::Date)
            }
            _ => (number(dt.as_f64()), CellKind::Number),
        },
        DataRef::Error(e) => (e.to_string(), CellKind::Bad),
    })
}

/// Whole numbers without `.0` (Excel shows `1`, not `1.0`).
fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// `(6, 1)` → `B7`.
pub(crate) fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!(
        "{}{}",
        String::from_utf8_lossy(&letters),
        u64::from(row) + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 1), "B7");
        assert_eq!(cell_ref(9, 25), "Z10");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(0, 16383), "XFD1");
    }

    #[test]
    fn zero_padding_formats() {
        assert_eq!(zero_pad_width("0000"), Some(4));
        assert_eq!(zero_pad_width("000000;-000000"), Some(6));
        assert_eq!(zero_pad_width("0"), None);
        assert_eq!(zero_pad_width("General"), None);
        assert_eq!(zero_pad_width("0.00"), None);
        assert_eq!(zero_pad_width("yyyy-mm-dd"), None);
        let n = DataRef::Float(7.0);
        assert_eq!(convert(&n, Some(4)).unwrap().0, "0007");
        assert_eq!(convert(&DataRef::Int(12345), Some(4)).unwrap().0, "12345");
        assert_eq!(convert(&DataRef::Float(1.5), Some(4)).unwrap().0, "1.5");
        assert_eq!(convert(&DataRef::Float(-1.0), Some(4)).unwrap().0, "-1");
        assert_eq!(convert(&n, None).unwrap().0, "7");
    }

    #[test]
    fn numbers_print_as_excel_shows_them() {
        assert_eq!(number(1.0), "1");
        assert_eq!(number(19650302.0), "19650302");
        assert_eq!(number(1.5), "1.5");
    }
}
