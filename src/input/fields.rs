//! Reading one field of one row, shared by the roster and consent readers: required or
//! optional text, household ids, enumerations, dates, positive integers. Each reader records
//! its own problem (with line, cell, column and value) and returns `Err(())` so the row is
//! not built; a column the file lacks was reported once by the header mapping and is
//! silently `Err(())` here.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::dates::parse_date;
use super::normalize::{first_forbidden, fold_value};
use super::problem::{Field, InputProblem, ProblemKind, Problems};
use super::table::{Cell, CellKind, Columns, Row};

/// The outcome of reading a field: `Err(())` once its problem is recorded.
pub(crate) type Got<T> = Result<T, ()>;

pub(crate) struct RowReader<'a> {
    pub row: &'a Row,
    cols: &'a Columns,
    problems: &'a mut Problems,
}

impl<'a> RowReader<'a> {
    pub fn new(row: &'a Row, cols: &'a Columns, problems: &'a mut Problems) -> Self {
        RowReader {
            row,
            cols,
            problems,
        }
    }

    pub fn cell(&self, field: Field) -> Option<&'a Cell> {
        self.cols.get(self.row, field)
    }

    pub fn report(&mut self, field: Field, cell: &Cell, kind: ProblemKind) {
        self.problems.push(
            InputProblem::line(self.row.line, kind)
                .with_cell(cell.at.clone())
                .with_column(field)
                .with_value(cell.text.clone()),
        );
    }

    /// The cell to read, `Ok(None)` when it is empty and optional; problems for a missing
    /// column (silent), an already-reported cell (silent), an empty required value.
    fn usable(&mut self, field: Field, required: bool) -> Got<Option<&'a Cell>> {
        let Some(cell) = self.cell(field) else {
            return if required { Err(()) } else { Ok(None) };
        };
        if cell.kind == CellKind::Bad {
            return Err(());
        }
        if cell.is_empty() {
            if required {
                self.report(field, cell, ProblemKind::Empty);
                return Err(());
            }
            return Ok(None);
        }
        Ok(Some(cell))
    }

    /// Free text without control or invisible characters (`\n` allowed where asked).
    pub fn text(
        &mut self,
        field: Field,
        required: bool,
        allow_newline: bool,
    ) -> Got<Option<String>> {
        let Some(cell) = self.usable(field, required)? else {
            return Ok(None);
        };
        if let Some(c) = first_forbidden(&cell.text, allow_newline) {
            self.report(
                field,
                cell,
                ProblemKind::ControlCharacter {
                    codepoint: c as u32,
                },
            );
            return Err(());
        }
        Ok(Some(cell.text.clone()))
    }

    pub fn required_text(&mut self, field: Field) -> Got<String> {
        self.text(field, true, false)?.ok_or(())
    }

    /// A household id: non-empty text without whitespace, `:` (the `HOUSEHOLD:NAME`
    /// separator) or control characters. Leading zeros are kept as written. A number with
    /// `.0` (`1.0`, as pandas or WPS write a number column) is refused: the id was a number
    /// on the way, so its zeros may be lost too, and `1.0` would not match `1` or `0001`.
    pub fn household(&mut self) -> Got<String> {
        let id = self.required_text(Field::Household)?;
        if let Some((whole, zeros)) = id.split_once('.')
            && !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && !zeros.is_empty()
            && zeros.bytes().all(|b| b == b'0')
        {
            let cell = self.cell(Field::Household).ok_or(())?;
            self.report(
                Field::Household,
                cell,
                ProblemKind::HouseholdIdDecimal {
                    whole: whole.to_string(),
                },
            );
            return Err(());
        }
        if let Some(c) = id.chars().find(|&c| c.is_whitespace() || c == ':') {
            let cell = self.cell(Field::Household).ok_or(())?;
            self.report(
                Field::Household,
                cell,
                ProblemKind::BadHouseholdId { character: c },
            );
            return Err(());
        }
        Ok(id)
    }

    /// One of `choices` (spellings compared after folding English case, `-` and spaces);
    /// `accepted` is what the problem lists.
    pub fn choice<T: Copy>(
        &mut self,
        field: Field,
        required: bool,
        choices: &[(&str, T)],
        accepted: &'static [&'static str],
    ) -> Got<Option<T>> {
        let Some(cell) = self.usable(field, required)? else {
            return Ok(None);
        };
        let folded = fold_value(&cell.text);
        match choices.iter().find(|(s, _)| fold_value(s) == folded) {
            Some(&(_, v)) => Ok(Some(v)),
            None => {
                self.report(field, cell, ProblemKind::UnknownValue { accepted });
                Err(())
            }
        }
    }

    pub fn date(&mut self, field: Field, required: bool) -> Got<Option<NaiveDate>> {
        let Some(cell) = self.usable(field, required)? else {
            return Ok(None);
        };
        match parse_date(&cell.text) {
            Ok(d) => Ok(Some(d)),
            Err(why) => {
                self.report(field, cell, ProblemKind::BadDate(why));
                Err(())
            }
        }
    }
}

/// Where a household id was first seen, and whether its XLSX cell was a number.
#[derive(Debug)]
pub(crate) struct IdSeen {
    pub line: u64,
    pub at: Option<String>,
    pub from_number: bool,
}

/// Records each household id's first occurrence, for [`check_zero_padding`].
pub(crate) fn note_id(
    seen: &mut Vec<(String, IdSeen)>,
    index: &mut HashMap<String, usize>,
    id: &str,
    reader: &RowReader<'_>,
) {
    if index.contains_key(id) {
        return;
    }
    let cell = reader.cell(Field::Household);
    index.insert(id.to_string(), seen.len());
    seen.push((
        id.to_string(),
        IdSeen {
            line: reader.row.line,
            at: cell.and_then(|c| c.at.clone()),
            from_number: cell.is_some_and(|c| c.kind == CellKind::Number),
        },
    ));
}

/// Excel turns `0001` into `1` when the column is not text. If some ids of the file are
/// zero-padded numbers, an all-digit id shorter than them without a leading zero has lost
/// its zeros: refused, since `1` and `0001` would be two households. A file whose ids are
/// all unpadded numbers is taken as written (nothing in the file says zeros were lost).
pub(crate) fn check_zero_padding(seen: &[(String, IdSeen)], problems: &mut Problems) {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    // The first of the longest zero-padded ids, as the example to show.
    let mut example: Option<&String> = None;
    for (id, _) in seen {
        if digits(id)
            && id.len() > 1
            && id.starts_with('0')
            && example.is_none_or(|e| id.len() > e.len())
        {
            example = Some(id);
        }
    }
    let Some(example) = example else {
        return;
    };
    let width = example.len();
    for (id, at) in seen {
        if digits(id) && !id.starts_with('0') && id.len() < width {
            problems.push(
                InputProblem::line(
                    at.line,
                    ProblemKind::HouseholdIdLostZeros {
                        width,
                        example: example.clone(),
                        from_number: at.from_number,
                    },
                )
                .with_cell(at.at.clone())
                .with_column(Field::Household)
                .with_value(id.clone()),
            );
        }
    }
}
