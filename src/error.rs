//! One error type for the whole program. Variants carry the data their message needs;
//! `crate::i18n::cli::error_message` words them; `Error::exit_code` picks the exit code
//! (SPEC §4: 1 internal or I/O, 2 bad usage or input, 3 refused by the rules, 4 integrity).

use std::path::PathBuf;

use crate::check::Problem;
use crate::record::keys::KeyError;
use crate::rules::Refusal;
use crate::rules::people::Person;
use crate::store::StoreError;

/// A command-line value or input file that cannot be used (exit 2; nothing changed).
#[derive(Debug)]
pub enum Usage {
    BadDate(String),
    /// `LIUYI_NOW` that is not an RFC 3339 time.
    BadNow(String),
    BadAmount(String),
    /// An amount of more yuan than any village matter (13 digits).
    AmountTooLarge(String),
    /// A negative amount on the command line (`--spent -5`).
    AmountNegative(String),
    BadCategory(String),
    BadPages(String),
    BadCode(String),
    /// `init --phone` that is not a telephone number.
    BadPhone(String),
    /// A one-line field longer than a notice can print on a line or two.
    TextTooLong {
        what: &'static str,
        len: usize,
        max: usize,
    },
    BadLang(String),
    UnknownName {
        name: String,
    },
    AmbiguousName {
        name: String,
        candidates: Vec<Person>,
    },
    FileTooLarge {
        path: PathBuf,
        size: u64,
        max: u64,
        /// What the file was given as, for what to say about it.
        given_as: FileUse,
    },
    EmptyText {
        what: &'static str,
    },
    /// `resolve --households-present` given for a representatives' meeting, which counts
    /// its members, not households.
    HouseholdsPresentNotForRepresentatives,
    /// `objection ID` without `--from`/`--text`.
    ObjectionNeeds,
    /// A step identical to one already recorded (`motion`, `implement`, `objection`): most
    /// likely the same command run twice. `--again` records it anyway.
    Repeated {
        /// The command (`motion`, `implement`, `objection`).
        command: &'static str,
        /// The matter that holds the identical one (for `motion`: the identical matter).
        id: String,
        /// The identical objection's number.
        objection: Option<u32>,
        date: chrono::NaiveDate,
    },
    /// The same file (the same bytes) given twice to one command's `--attach`: it would be
    /// recorded twice as one step's proof. `second` has the bytes of `first`.
    SameFileTwice {
        first: PathBuf,
        second: PathBuf,
    },
    /// A text file that is neither UTF-8 (BOM allowed), UTF-16 with a BOM, nor GB18030.
    NotText {
        path: PathBuf,
    },
    /// A text file (`--text-file`, `--plan-file`) holding a control or invisible formatting
    /// character, on `line` of the file.
    ForbiddenCharInFile {
        path: PathBuf,
        line: usize,
        ch: char,
    },
    /// A signing key file (the village's, the township's) given as a file to record: a
    /// key is never put in the database nor printed (SPEC §2).
    SecretKeyFile {
        path: PathBuf,
    },
    /// A signing key pasted into a text to record (`field`, as the record names it).
    SecretKeyText {
        field: String,
    },
    /// A next-step hint's placeholder (签字人, 理由 …) given as the value of `field`.
    PlaceholderText {
        field: String,
        value: String,
    },
    /// An empty file given as a file to record: it evidences nothing.
    EmptyFile {
        path: PathBuf,
    },
    /// One entry would be larger than the record allows (a text file near the file limit
    /// whose line breaks are written escaped).
    EntryTooLarge {
        size: usize,
        max: usize,
    },
    /// The key file's key is not the village key recorded in the log.
    WrongKey {
        fingerprint: String,
        expected: String,
    },
    /// The key file holds a key of the village's that a rotation has retired (public key
    /// hex of the key in force in `expected`).
    RetiredKey {
        fingerprint: String,
        expected: String,
    },
    /// The key file is this village's (its origin is the record's) but none of the record's
    /// keys: a key from a rotation this copy of the record does not hold (an older copy).
    LaterKey {
        fingerprint: String,
        expected: String,
    },
    NothingToImport,
    /// `consult ID status` for a matter whose 民议 was never opened.
    NoConsultation {
        id: String,
        stage: crate::rules::Stage,
    },
    /// An input path that is not a regular file (a directory, a pipe, a device): reading
    /// a pipe would wait forever, a device may never end.
    NotAFile {
        path: PathBuf,
    },
    /// A file given as an audit bundle that is plainly another kind of file (it starts
    /// as a PDF or an SQLite database does): the wrong file, not a damaged bundle.
    NotABundle {
        path: PathBuf,
        /// "pdf" or "sqlite".
        kind: &'static str,
    },
    /// `verify --trust` given the key the village changed to (from entry `from`), and the
    /// bundle otherwise sound: a later key cannot vouch for the record before it, so nothing
    /// was verified — the wrong key given, not a damaged bundle. Fingerprints of the key
    /// given and of the key the record began with (the one the township registered).
    TrustLaterKey {
        bundle: PathBuf,
        given: String,
        from: u64,
        first: String,
    },
    /// A control or invisible formatting character in a text that would be recorded (a new
    /// line only where the field is one line: a title, a name).
    ForbiddenChar {
        field: String,
        ch: char,
    },
    /// `generate --households` below what a generated village's committees, party branch
    /// and representatives need.
    TooFewHouseholds {
        asked: usize,
        min: usize,
    },
    /// `generate`: with these households and this seed, a village has too few people who
    /// can hold its offices (`demo::OFFICES`).
    TooFewForOffices {
        households: usize,
        seed: u64,
        found: usize,
        needed: usize,
    },
    InputProblems(Vec<String>),
    /// `consult record --sheet-page`: a page beyond the round's 民议 sheet as printed
    /// (`pages`); `row`: the page the sheet prints `key` on, if it lists it.
    PageBeyondSheet {
        id: String,
        key: String,
        page: u32,
        pages: u32,
        row: Option<u32>,
        adults: bool,
    },
    /// `consult attach --pages A-B`: pages past the round's 民议 sheet as printed (`pages`).
    ScanBeyondSheet {
        id: String,
        first: u32,
        last: u32,
        pages: u32,
    },
    OutputExists(PathBuf),
    /// `demo --out` naming a directory that holds files already.
    DemoDirNotEmpty(PathBuf),
    /// `-o -`: nothing is written to standard output (a PDF or a ZIP on a terminal); a
    /// file named `-` is not what was meant either.
    OutputDash,
    /// `-o DIR/`: a path ending in a separator names a directory, never a file.
    OutputIsDirectory(PathBuf),
    /// `form ID signin` without `--meeting` for a matter no meeting is due for.
    NoMeetingDue {
        id: String,
        stage: crate::rules::Stage,
    },
    /// `export --year/--proposal` selected no entry.
    NothingToExport(crate::bundle::export::Scope),
    /// A key given on the command line (`--trust`, `--township-key`) that cannot be read
    /// as a verifier key, public-key hex or key file.
    BadKeyArg(String),
    /// A village given the township's signing key file where the township's public key is
    /// asked (its fingerprint, and the public key to give instead, hex).
    TownshipPrivateKey {
        fingerprint: String,
        vkey_hex: String,
    },
    /// `--township-key` given a village's key file (named for its origin): the village's
    /// own key, not the township's.
    VillageKeyAsTownships {
        origin: String,
        fingerprint: String,
    },
    /// `form` given a sign-in sheet's flag (`--meeting`, `--date`) for another kind.
    SigninOnly(&'static str),
    /// A public key given on the command line that is a weak (small-order) point.
    WeakKeyArg(String),
    /// 64 hex digits given as a public key that are no usable ed25519 key.
    UnusableKeyArg(String),
    /// `complete --spent-by` without the `SOURCE=YUAN` form.
    BadSpentBy(String),
    /// `roster import` without `--reason` that brings back people the roster had as
    /// deceased or moved out, or leaves people out of the file (`HOUSEHOLD:NAME` each).
    /// `publish` with no objection phone recorded: the notice would print "—" where
    /// villagers are told whom to call (SPEC §5).
    NoObjectionContact,
    RosterCorrectionNeedsReason {
        revived: Vec<String>,
        dropped: Vec<String>,
    },
    /// `policy set FILE`: not a whole policy as `policy show --json` prints it; what is
    /// wrong, as data (the JSON parser's own English words are never shown).
    BadPolicyFile {
        path: String,
        problem: PolicyFileProblem,
    },
    /// `motion --title` beginning with 关于: every notice title reads 「村关于……的公告」,
    /// which would print 关于关于. Holds the title without it.
    TitleStartsWithAbout {
        without: String,
    },
    /// `discuss`: the funding text names an amount for every source, and they do not add
    /// up to the budget (fen): the notice prints each source with its amount.
    FundingMismatch {
        parts: Vec<(String, i64)>,
        sum: i64,
        budget: i64,
    },
    /// `discuss` with a funding text that names amounts but cannot be printed source by
    /// source, and the part that stops it.
    FundingUnsplit(crate::rules::funding::Unsplit),
    /// `complete --spent-by` amounts that do not add up to `--spent` (fen): bad input, as a
    /// funding text that does not add up to the budget is.
    SpentByMismatch {
        parts: Vec<(String, i64)>,
        sum: i64,
        spent: i64,
    },
    /// `discuss` adopting a funding text that names an amount for every source, with no
    /// budget given nor adopted before: the sum the sources make (fen).
    FundingWithoutBudget {
        parts: Vec<(String, i64)>,
        sum: i64,
    },
    /// `complete` of a completed matter (a correction of its completion at `entry`, dated
    /// `date`) without `--correction`.
    CorrectionNeedsReason {
        id: String,
        entry: u64,
        date: chrono::NaiveDate,
    },
    /// `complete` over the budget without `--overspend-reason` (fen).
    OverspendNeedsReason {
        budget: i64,
        spent: i64,
    },
    /// `complete --spent-by`: one funding source spent past what the plan gave it (the
    /// result notice prints it as 超支), without `--overspend-reason`.
    SourceOverspendNeedsReason {
        source: String,
        budget: i64,
        spent: i64,
    },
    /// `complete --overspend-reason` within the budget, or without one (fen).
    OverspendReasonUnneeded {
        budget: Option<i64>,
        spent: i64,
    },
    /// `complete --spent-by` names a source the plan's funding does not.
    UnknownSource {
        source: String,
        known: Vec<String>,
    },
    /// Township commands: not initialised, village not registered, and the like.
    Township(crate::township::TownshipUsage),
}

#[derive(Debug)]
pub enum Error {
    Usage(Usage),
    Refused(Refusal),
    /// Rows of an imported file that the rules refused, each with its line (the whole
    /// file is refused); `more` rows past the listed ones were refused too.
    RefusedRows {
        /// The matter the file was imported into.
        id: String,
        rows: Vec<(u64, Refusal)>,
        more: usize,
    },
    /// Integrity failures found while loading or checking the record.
    Integrity(Vec<Problem>),
    Store(StoreError),
    /// The township register (`township.db`), which fails as a store does but is worded
    /// as the register: its own flag, its own remedy.
    Register(StoreError),
    Io {
        path: PathBuf,
        err: std::io::Error,
    },
    /// A key file that cannot be used (missing, malformed, unreadable, not to be
    /// overwritten); the message words `err` in the user's language.
    Key {
        path: PathBuf,
        err: crate::record::keys::KeyError,
    },
    /// The township's own key file (beside its register), worded as the township's.
    TownshipKey {
        path: PathBuf,
        err: crate::record::keys::KeyError,
    },
    /// A notice or form cannot be made (a glyph the font lacks, a step not yet recorded).
    Notice(crate::notice::NoticeError),
    /// `publish -o`: the step was committed (and its notice kept with the record), but the
    /// PDF could not then take its name (`cause`). Exit 1, never 2: the record changed.
    NoticeNotPlaced {
        id: String,
        kind: crate::rules::event::NoticeKind,
        cause: Box<Error>,
    },
    Internal(String),
}

impl Error {
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            // Input no rule could accept: a matter or an objection that does not exist, a
            // text left empty (a decline's reason too, as a withdrawal's), a negative amount,
            // a policy that is not one (SPEC: 2, invalid input).
            Error::Refused(
                Refusal::UnknownMatter { .. }
                | Refusal::UnknownObjection { .. }
                | Refusal::EmptyField { .. }
                | Refusal::DeclineNeedsReason
                | Refusal::NegativeAmount { .. }
                | Refusal::InvalidPolicy { .. },
            ) => 2,
            Error::Refused(_) | Error::RefusedRows { .. } => 3,
            Error::Integrity(_)
            | Error::Store(StoreError::Corrupt(_) | StoreError::AttachmentAltered { .. })
            | Error::Register(StoreError::Corrupt(_)) => 4,
            Error::Store(
                StoreError::Exists(_)
                | StoreError::Missing(_)
                | StoreError::NotLiuyi(_)
                | StoreError::TooNew { .. },
            )
            | Error::Register(
                StoreError::Exists(_)
                | StoreError::Missing(_)
                | StoreError::NotLiuyi(_)
                | StoreError::TooNew { .. },
            ) => 2,
            // The key could not be made or written: an I/O failure, not bad input.
            Error::Key {
                err: KeyError::Randomness { .. } | KeyError::WriteFailed { .. },
                ..
            } => 1,
            Error::TownshipKey {
                err: KeyError::Randomness { .. } | KeyError::WriteFailed { .. },
                ..
            } => 1,
            Error::Key { .. } | Error::TownshipKey { .. } => 2,
            Error::Notice(crate::notice::NoticeError::Paper(
                crate::paper::PaperError::MissingGlyph { .. }
                | crate::paper::PaperError::MissingGlyphs { .. }
                | crate::paper::PaperError::FontWithoutChinese { .. }
                | crate::paper::PaperError::Font { .. },
            )) => 2,
            Error::Notice(crate::notice::NoticeError::Missing { .. }) => 3,
            Error::Notice(_) | Error::NoticeNotPlaced { .. } => 1,
            // A file the user named that is not there, a directory given for a file, an output
            // that exists: bad input (nothing changed). Other I/O failures stay 1.
            Error::Io { err, .. }
                if matches!(
                    err.kind(),
                    std::io::ErrorKind::NotFound
                        | std::io::ErrorKind::IsADirectory
                        | std::io::ErrorKind::AlreadyExists
                ) =>
            {
                2
            }
            Error::Store(_) | Error::Register(_) | Error::Io { .. } | Error::Internal(_) => 1,
        }
    }

    pub fn io(path: impl Into<PathBuf>, err: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            err,
        }
    }
}

impl From<Usage> for Error {
    fn from(u: Usage) -> Self {
        Error::Usage(u)
    }
}

impl From<Refusal> for Error {
    fn from(r: Refusal) -> Self {
        Error::Refused(r)
    }
}

impl From<crate::township::register::RegisterError> for Error {
    fn from(e: crate::township::register::RegisterError) -> Self {
        Error::Register(e.0)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Self {
        Error::Store(e)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// What is wrong with a policy file (`policy set`); `field` is a path such as
/// `review_pass.num` or `land_categories[1]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyFileProblem {
    /// Not JSON: the parser stopped at this line and column.
    NotJson {
        line: usize,
        column: usize,
    },
    /// The JSON ends before it is whole.
    Truncated,
    Missing(String),
    Unknown(String),
    /// A number that is negative or has a fraction.
    NotWholeNumber {
        field: String,
        value: String,
    },
    /// A whole number larger than the policy can hold (`max`).
    NumberTooLarge {
        field: String,
        value: String,
        max: u64,
    },
    /// A value of another JSON type than the policy has there.
    WrongType {
        field: String,
        expected: JsonKind,
    },
    /// A text that is not one of the accepted values.
    UnknownValue {
        field: String,
        value: String,
        accepted: Vec<String>,
    },
    /// Another value the policy cannot hold.
    BadValue {
        field: String,
    },
    /// A list that names the same value twice (`land_categories`).
    Repeated {
        field: String,
        value: String,
    },
}

/// The JSON type a policy field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    Number,
    Bool,
    Text,
    Object,
    List,
}

/// What a file given on the command line is for: what a refusal of its size advises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileUse {
    /// A roster or a consent file: one table.
    Table,
    /// A text to record (`--text-file`).
    Text,
    /// A file to attach (a scan, a plan, a photo).
    Attachment,
    /// A key, a request, a policy, a checkpoint: a few lines.
    Small,
}
