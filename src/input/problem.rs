//! What can be wrong with an input file, as data: [`InputProblem`] (where, which column,
//! which value) and [`ProblemKind`] (what). The words live in `crate::i18n::input`.
//!
//! Also the [`Problems`] collector every reader uses: it caps how many problems one file can
//! produce (a hostile file must not allocate without bound) and sorts them by line.

use chrono::NaiveDate;

use super::dates::DateProblem;

/// A logical column of a roster or consent file, whatever its header said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    // Roster.
    Household,
    Name,
    Relation,
    Sex,
    BirthDate,
    Party,
    Representative,
    Committee,
    Status,
    // Consent file (`consult import`); `Household` is shared.
    Signer,
    Opinion,
    Reason,
    Method,
    Collector,
    Date,
    Page,
}

impl Field {
    /// Stable English key, for JSON and logs.
    pub fn key(self) -> &'static str {
        match self {
            Field::Household => "household",
            Field::Name => "name",
            Field::Relation => "relation",
            Field::Sex => "sex",
            Field::BirthDate => "birth_date",
            Field::Party => "party",
            Field::Representative => "representative",
            Field::Committee => "committee",
            Field::Status => "status",
            Field::Signer => "signer",
            Field::Opinion => "opinion",
            Field::Reason => "reason",
            Field::Method => "method",
            Field::Collector => "collector",
            Field::Date => "date",
            Field::Page => "page",
        }
    }
}

/// The text encoding a text file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// GB18030, which includes GBK and GB2312 (what Chinese Excel writes as "CSV").
    Gb18030,
}

/// One thing wrong with an input file, with its place.
///
/// `line` is the file's line (CSV: where the record starts) or the sheet's row number
/// (XLSX); `cell` is the XLSX cell reference (`B7`) when there is one; `value` is the
/// offending text after normalisation (NFC, half-width, trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    pub line: Option<u64>,
    pub cell: Option<String>,
    pub column: Option<Field>,
    pub value: Option<String>,
    pub kind: ProblemKind,
}

impl InputProblem {
    /// A problem with the file as a whole.
    pub fn file(kind: ProblemKind) -> Self {
        InputProblem {
            line: None,
            cell: None,
            column: None,
            value: None,
            kind,
        }
    }

    /// A problem with a line (or sheet row) as a whole.
    pub fn line(line: u64, kind: ProblemKind) -> Self {
        InputProblem {
            line: Some(line),
            ..InputProblem::file(kind)
        }
    }

    pub fn with_column(mut self, column: Field) -> Self {
        self.column = Some(column);
        self
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }

    pub fn with_cell(mut self, cell: Option<String>) -> Self {
        self.cell = cell;
        self
    }
}

/// A problem that stops reading the file (boxed: it travels up through several calls).
pub type Fatal = Box<InputProblem>;

/// What is wrong. Variants carry what the message needs; `crate::i18n::input::describe`
/// words them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    // --- The file as a whole: reading stops at the first of these. ---
    /// Larger than the size cap; refused before anything is parsed.
    TooLarge { size: u64, limit: u64 },
    /// No data at all (or only blank lines): not even a header row.
    EmptyFile,
    /// A header row but no data rows.
    NoRows,
    /// A NUL byte in a text file: a binary file (a picture, a PDF, UTF-16 without a BOM).
    Binary { offset: u64 },
    /// An old `.xls` workbook or a password-protected `.xlsx` (both are OLE containers).
    OldExcel,
    /// The bytes at `offset` cannot be read in `encoding`; `value` shows them in hex.
    NotDecodable { encoding: Encoding, offset: u64 },
    /// The XLSX container or its XML is broken; `fault` says how, `detail` is the reader's
    /// own (English) words, shown only in English.
    BadWorkbook {
        fault: WorkbookFault,
        detail: String,
    },
    /// The XLSX would unpack to more than the cap (a ZIP bomb or a huge sheet).
    WorkbookTooLarge { unpacked: u64, limit: u64 },
    /// The workbook has no worksheet.
    NoSheet,
    /// The workbook's first sheet (the one read) is empty; it has `others`.
    FirstSheetEmpty { first: String, others: Vec<String> },
    /// Columns are missing from the workbook's first sheet (the one read), and it has
    /// `others`: the table may be on one of them.
    OtherSheets { first: String, others: Vec<String> },
    /// More data rows than the cap; refused without reading further.
    TooManyRows { limit: usize },
    /// A cell beyond the column cap (XLSX), or a line with more fields than it (CSV).
    TooManyColumns { limit: usize },
    /// The CSV parser gave up; `detail` is its own words.
    CsvSyntax { detail: String },
    /// The list was cut here: this many more problems were found but not kept.
    TooManyProblems { omitted: usize },

    // --- The header row. ---
    /// A header that is not one of the file's columns (listed once, on the header line).
    UnknownColumn,
    /// A required column is not in the header.
    MissingColumn,
    /// The first line names no column, and line `header` below it holds the headers (a
    /// title line above them, as spreadsheets are often laid out).
    HeaderNotFirst { header: u64 },
    /// Two headers name the same column; `first` is the 1-based position of the first one.
    DuplicateColumn { first: usize },
    /// A column without a header has data (`cell`/`line` show where, once per column).
    UnnamedColumnWithData { position: usize },

    // --- One line or cell. ---
    /// This line has a different number of fields than the header.
    WrongFieldCount { expected: usize, got: usize },
    /// Longer than the cap on one cell's text.
    CellTooLong { limit: usize },
    /// An Excel error value (`#N/A`, `#REF!`, …) where data should be.
    ExcelError,
    /// A formula cell saved without its computed value; `value` is the formula.
    FormulaWithoutValue,
    /// A required value is empty.
    Empty,
    /// A control or invisible formatting character (given as a code point) in the text.
    ControlCharacter { codepoint: u32 },
    /// Not a date this reader accepts, and why.
    BadDate(DateProblem),
    /// Not one of the accepted values (listed: Chinese first, then English).
    UnknownValue { accepted: &'static [&'static str] },
    /// A household id with a character it may not contain (space, `:`).
    BadHouseholdId { character: char },
    /// A household id written as a decimal number, `1.0`: a spreadsheet program exported
    /// the column as numbers. `whole` is the part before the point.
    HouseholdIdDecimal { whole: String },
    /// A numeric household id shorter than the zero-padded ids of the same file, e.g. `1`
    /// beside `0002`: Excel dropped its leading zeros. `from_number` when the XLSX cell is a
    /// number (the fix is to format the column as text).
    HouseholdIdLostZeros {
        width: usize,
        example: String,
        from_number: bool,
    },
    /// A household id the recorded roster has only with leading zeros (`1` where the record
    /// has `0001`, and the file no `0001`): the file lost them, and every such household
    /// would be removed and added again as another.
    HouseholdIdLostZerosRecorded { recorded: String },
    /// A household without a `户主` row; `lines` are its members' lines.
    NoHeadOfHousehold { household: String, lines: Vec<u64> },
    /// A household with more than one `户主`; `lines` are theirs.
    SeveralHeads { household: String, lines: Vec<u64> },
    /// The same name twice in one household; this line repeats `first_line`.
    DuplicateMember {
        household: String,
        name: String,
        first_line: u64,
    },

    // --- Consent files. ---
    /// An objection (`反对`) without a reason.
    ObjectionWithoutReason,
    /// The household already has a row at `first_line` (one row per household).
    DuplicateHousehold { household: String, first_line: u64 },
    /// A page number that is not a positive integer.
    BadPage,

    // --- Checks the caller runs with its clock (see `roster::check_not_future`) or the
    // roster's date (`roster::check_roles`). ---
    /// A party membership, representative or committee seat (the column and value say
    /// which) held by someone `age` years old on the roster's date `on`: under 18.
    MinorInOffice { age: i32, on: NaiveDate },
    /// A seat on the branch committee (支委, or 两委) held by someone who is not a full
    /// party member (`probationary`: a probationary one).
    BranchSeatNeedsFullMember { probationary: bool },
    /// A date after `today`.
    DateInFuture { today: NaiveDate },
}

/// How an XLSX file is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkbookFault {
    /// A ZIP archive without a workbook's parts (another archive, not an `.xlsx`).
    NotXlsx,
    /// The workbook lists a sheet whose part is not in the file.
    SheetMissing { name: String },
    /// Anything else: a broken ZIP, bad XML, the reader gave up.
    Damaged,
}

/// Collects the problems of one file, up to a cap, and hands them back sorted by line.
#[derive(Debug)]
pub(crate) struct Problems {
    list: Vec<InputProblem>,
    omitted: usize,
    cap: usize,
}

impl Problems {
    pub(crate) fn new(cap: usize) -> Self {
        Problems {
            list: Vec::new(),
            omitted: 0,
            cap,
        }
    }

    pub(crate) fn push(&mut self, p: InputProblem) {
        if self.list.len() < self.cap {
            self.list.push(p);
        } else {
            self.omitted += 1;
        }
    }

    pub(crate) fn extend(&mut self, ps: impl IntoIterator<Item = InputProblem>) {
        for p in ps {
            self.push(p);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty() && self.omitted == 0
    }

    /// Sorted by line (file-wide problems first); within a line, in the order found, which
    /// is column order. A cut list ends with [`ProblemKind::TooManyProblems`].
    pub(crate) fn into_sorted(mut self) -> Vec<InputProblem> {
        self.list.sort_by_key(|p| p.line.unwrap_or(0));
        if self.omitted > 0 {
            self.list
                .push(InputProblem::file(ProblemKind::TooManyProblems {
                    omitted: self.omitted,
                }));
        }
        self.list
    }
}
