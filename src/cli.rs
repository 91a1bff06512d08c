//! The command line as plain data (clap derive). No I/O here: `main` parses, then
//! `cmd` does. Flag names and subcommands follow SPEC §4 exactly; scripts depend on them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(name = "liuyi", version, about = "六议两公开：村级重大事项决策记录、公告与审计", long_about = None)]
pub struct Cli {
    /// Database file (default: the per-user data directory)
    #[arg(long, global = true, env = "LIUYI_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Village signing key file (default: liuyi.key beside the database)
    #[arg(long, global = true, env = "LIUYI_KEY", value_name = "PATH")]
    pub key: Option<PathBuf>,
    /// Language of messages and notices: zh or en
    #[arg(long, global = true, env = "LIUYI_LANG", value_name = "zh|en")]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the village record and its signing key
    Init(InitArgs),
    /// Import or list the village roster (花名册)
    #[command(subcommand)]
    Roster(RosterCmd),
    /// 动议: record villagers' written motion
    #[command(alias = "动议")]
    Motion(MotionArgs),
    /// 提议: the party branch committee proposes (or declines)
    #[command(alias = "提议")]
    Propose(ProposeArgs),
    /// 商议: the two committees discuss the plan
    #[command(alias = "商议")]
    Discuss(DiscussArgs),
    /// 审议: the party members' meeting reviews
    #[command(alias = "审议")]
    Review(ReviewArgs),
    /// 民议: household-by-household consultation
    #[command(alias = "民议")]
    Consult(ConsultArgs),
    /// 决议: the representatives' or villagers' meeting resolves
    #[command(alias = "决议")]
    Resolve(ResolveArgs),
    /// 公开: post the resolution or result notice
    #[command(alias = "公开")]
    Publish(PublishArgs),
    /// Record proof that a published notice was posted (a photo of the board)
    #[command(alias = "张贴")]
    Posted(PostedArgs),
    /// Record an objection to a posted notice, or reply to one
    #[command(alias = "异议")]
    Objection(ObjectionArgs),
    /// Record implementation progress
    #[command(alias = "实施")]
    Implement(ImplementArgs),
    /// Record completion and acceptance (验收)
    #[command(alias = "验收")]
    Complete(CompleteArgs),
    /// Send the plan back to 商议 (after objections at 民议)
    Revise(ReasonArgs),
    /// Withdraw a matter
    Withdraw(ReasonArgs),
    /// Show one matter
    Show(ShowArgs),
    /// List all matters
    List(JsonArg),
    /// What is pending and the next step for each matter
    Status(JsonArg),
    /// Re-verify the whole local record
    Check(JsonArg),
    /// Build a realistic village and walk a matter through every stage
    Demo(DemoArgs),
    /// Write the audit bundle (ZIP) for the township
    Export(ExportArgs),
    /// Check an audit bundle offline (exit 4 on any problem)
    Verify(VerifyArgs),
    /// Store a township-cosigned checkpoint
    #[command(subcommand)]
    Checkpoint(CheckpointCmd),
    /// Show or rotate the village key
    #[command(subcommand)]
    Key(KeyCmd),
    /// The township's register and witness
    Township(TownshipArgs),
    /// Re-print a posted notice, byte-identical
    Notice(NoticeArgs),
    /// Show or change the village's procedural policy (quorum and pass rules)
    #[command(subcommand)]
    Policy(PolicyCmd),
    /// Show or change where villagers take objections (the supervision committee's contact)
    #[command(subcommand)]
    Supervision(SupervisionCmd),
    /// Print a form: 民议 signature sheet, motion receipt, meeting sign-in sheet
    Form(FormArgs),
    /// Build large deterministic records for benchmarks (hidden: not for secretaries)
    #[command(hide = true)]
    Generate(GenerateArgs),
}

impl Command {
    /// Whether the command is there to record something. A refusal by the rules then says
    /// that nothing was recorded; a command that only reads (`show`, `notice`, `verify` …)
    /// was refused nothing to record, and says so plainly.
    pub fn records(&self) -> bool {
        !matches!(
            self,
            Command::Show(_)
                | Command::List(_)
                | Command::Status(_)
                | Command::Check(_)
                | Command::Export(_)
                | Command::Verify(_)
                | Command::Notice(_)
                | Command::Form(_)
                | Command::Roster(RosterCmd::List(_))
                | Command::Key(KeyCmd::Show(_))
                | Command::Policy(PolicyCmd::Show(_))
                | Command::Supervision(SupervisionCmd::Show(_))
                | Command::Consult(ConsultArgs {
                    action: ConsultCmd::Status(_),
                    ..
                })
                | Command::Township(TownshipArgs {
                    cmd: TownshipCmd::Status(_),
                    ..
                })
        )
    }
}

#[derive(Debug, Subcommand)]
pub enum CheckpointCmd {
    /// Import a checkpoint the township cosigned (the first time with --township-key,
    /// which the record then pins)
    Import {
        file: PathBuf,
        /// The township's public key: the cosignature must verify with it (vkey text, hex,
        /// or key file); needed at the first import, which pins it, and then optional
        #[arg(long, value_name = "KEY")]
        township_key: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeyCmd {
    /// Show the village key's fingerprint and verifier key, and whether --key is it
    Show(KeyShowArgs),
    /// Change the village key (change of secretary, or a lost key)
    Rotate(RotateArgs),
}

#[derive(Debug, Args)]
pub struct KeyShowArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The new key file (made if it does not exist; never overwritten)
    #[arg(long, value_name = "PATH")]
    pub new_key: PathBuf,
    #[arg(long)]
    pub reason: Option<String>,
    /// The old key is lost: ask the township to countersign
    #[arg(long)]
    pub lost: bool,
    /// The township's public key (with --lost)
    #[arg(long, value_name = "KEY", requires = "lost")]
    pub township_key: Option<String>,
    /// Where to write the request for the township (with --lost)
    #[arg(short = 'o', long = "out", value_name = "FILE", requires = "lost")]
    pub out: Option<PathBuf>,
    /// The request as countersigned by the township (with --lost)
    #[arg(long, value_name = "FILE", requires = "lost", conflicts_with_all = ["out", "township_key"])]
    pub countersigned: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TownshipArgs {
    /// The township register (default: township.db in the per-user data directory)
    #[arg(long, env = "LIUYI_TOWNSHIP_DB", value_name = "PATH", global = true)]
    pub township_db: Option<PathBuf>,
    #[command(subcommand)]
    pub cmd: TownshipCmd,
}

#[derive(Debug, Subcommand)]
pub enum TownshipCmd {
    /// Create the township register and key
    Init {
        #[arg(long)]
        name: String,
    },
    /// Verify a village's bundle and pin its origin, genesis and key
    Register { bundle: PathBuf },
    /// Verify a bundle, check it extends the last one, and cosign its checkpoint
    Cosign {
        bundle: PathBuf,
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: PathBuf,
    },
    /// Countersign a village's lost-key rotation request
    Countersign {
        request: PathBuf,
        #[arg(short = 'o', long = "out", value_name = "FILE")]
        out: PathBuf,
    },
    /// List the registered villages and what was last cosigned
    Status(JsonArg),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("scope").required(true).args(["all", "year", "proposal"])))]
pub struct ExportArgs {
    /// The whole record
    #[arg(long)]
    pub all: bool,
    /// The matters of one year (and the log up to them)
    #[arg(long, value_name = "Y", value_parser = clap::value_parser!(i32).range(1000..=9999))]
    pub year: Option<i32>,
    /// One matter (and the log up to it)
    #[arg(long, value_name = "ID")]
    pub proposal: Option<String>,
    /// The bundle to write (never overwritten)
    #[arg(short = 'o', long = "out", value_name = "FILE.zip")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    pub file: PathBuf,
    /// The village key the record must start with (vkey text, hex, or key file)
    #[arg(long, value_name = "KEYFILE")]
    pub trust: Option<String>,
    /// The township key that cosignatures must come from (vkey text, hex, or key file)
    #[arg(long, value_name = "KEY")]
    pub township_key: Option<String>,
    /// Print one JSON document on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct JsonArg {
    /// Print one JSON document on stdout
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    #[arg(long)]
    pub village: String,
    #[arg(long)]
    pub township: String,
    #[arg(long)]
    pub county: String,
    /// Administrative division code (统计用区划代码, 12 digits)
    #[arg(long)]
    pub code: Option<String>,
    /// Chair of the village affairs supervision committee (村务监督委员会)
    #[arg(long)]
    pub supervisor: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum RosterCmd {
    /// Import a roster file (CSV in UTF-8 or GBK, or XLSX)
    Import {
        file: PathBuf,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        reason: Option<String>,
    },
    /// List the current roster
    List(JsonArg),
}

#[derive(Debug, Args)]
#[command(group(
    // The motion's text, given one way or the other: a refusal names both (it named
    // --text alone).
    clap::ArgGroup::new("motion_text").args(["text", "text_file"]).required(true)
))]
pub struct MotionArgs {
    #[arg(long)]
    pub title: String,
    #[arg(long, conflicts_with = "text_file")]
    pub text: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub text_file: Option<PathBuf>,
    /// Proposers: NAME or HOUSEHOLD:NAME, separated by , ， or 、
    #[arg(long, value_delimiter = ',', required = true)]
    pub by: Vec<String>,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long, default_value = "other")]
    pub category: String,
    /// Estimated amount in yuan
    #[arg(long, value_name = "YUAN", allow_negative_numbers = true)]
    pub amount: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Record it although the same motion is recorded (same date, title, text, proposers, category, amount, files)
    #[arg(long)]
    pub again: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DecisionArg {
    #[value(aliases = ["通过", "同意"])]
    Adopt,
    #[value(aliases = ["否决", "不通过", "不同意"])]
    Decline,
}

#[derive(Debug, Args)]
pub struct ProposeArgs {
    pub id: String,
    #[arg(long, allow_negative_numbers = true, value_parser = count::<u64>)]
    pub present: u64,
    #[arg(long, value_enum)]
    pub decision: DecisionArg,
    /// The initial plan (SPEC: 提议 records it); 商议 settles the plan itself.
    #[arg(long, value_name = "FILE")]
    pub plan_file: Option<PathBuf>,
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiscussArgs {
    pub id: String,
    #[arg(long, allow_negative_numbers = true, value_parser = count::<u64>)]
    pub present: u64,
    #[arg(long, value_enum)]
    pub decision: DecisionArg,
    #[arg(long, value_name = "FILE")]
    pub plan_file: Option<PathBuf>,
    #[arg(long, value_name = "YUAN", allow_negative_numbers = true)]
    pub budget: Option<String>,
    #[arg(long)]
    pub funding: Option<String>,
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    pub id: String,
    #[arg(long, allow_negative_numbers = true, value_parser = count::<u64>)]
    pub present: u64,
    #[arg(long = "for", allow_negative_numbers = true, value_parser = count::<u64>)]
    pub for_: u64,
    #[arg(long, allow_negative_numbers = true, value_parser = count::<u64>)]
    pub against: u64,
    #[arg(long, allow_negative_numbers = true, value_parser = count::<u64>)]
    pub abstain: u64,
    /// Record a rejection by the meeting (the vote must not have passed)
    #[arg(long, value_enum, default_value = "adopt")]
    pub decision: DecisionArg,
    /// Why the meeting declined (required with --decision decline)
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ConsultArgs {
    pub id: String,
    #[command(subcommand)]
    pub action: ConsultCmd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MethodArg {
    #[value(alias = "在场")]
    InPerson,
    #[value(alias = "同户代签", alias = "代签")]
    SameHousehold,
    #[value(alias = "远程确认", alias = "远程")]
    Remote,
    #[value(alias = "委托")]
    Proxy,
}

#[derive(Debug, Subcommand)]
pub enum ConsultCmd {
    /// Open the consultation: fixes the households in scope from the roster
    Open {
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_name = "FILE")]
        attach: Vec<PathBuf>,
    },
    /// Record one household's signed opinion
    Record {
        household: String,
        #[arg(long, conflicts_with = "object", required_unless_present = "object")]
        consent: bool,
        #[arg(long, value_name = "REASON")]
        object: Option<String>,
        #[arg(long)]
        signer: String,
        #[arg(long, value_enum, default_value = "in-person")]
        method: MethodArg,
        /// The signer's relation to the household (a member's is taken from the roster)
        #[arg(long)]
        relation: Option<String>,
        #[arg(long)]
        collector: Option<String>,
        #[arg(long, value_name = "FILE", conflicts_with = "sheet_page")]
        evidence: Option<PathBuf>,
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = page)]
        sheet_page: Option<u32>,
        #[arg(long)]
        date: Option<String>,
    },
    /// Import a file of household opinions (one row per household)
    Import { file: PathBuf },
    /// Attach scanned signature sheets
    Attach {
        file: PathBuf,
        #[arg(long, value_name = "A-B")]
        pages: Option<String>,
        #[arg(long)]
        date: Option<String>,
        /// Record it although the same scan of the same pages is recorded in this round
        #[arg(long)]
        again: bool,
    },
    /// Where the consultation stands
    Status(JsonArg),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BodyArg {
    #[value(alias = "村民代表会议")]
    Representatives,
    #[value(alias = "村民会议")]
    Villagers,
}

#[derive(Debug, Args)]
pub struct ResolveArgs {
    pub id: String,
    #[arg(long, value_enum)]
    pub body: BodyArg,
    #[arg(long, allow_negative_numbers = true, value_parser = count::<u64>)]
    pub present: u64,
    #[arg(long = "for", allow_negative_numbers = true, value_parser = count::<u64>)]
    pub for_: u64,
    #[arg(long, allow_negative_numbers = true, value_parser = count::<u64>)]
    pub against: u64,
    #[arg(long, allow_negative_numbers = true, value_parser = count::<u64>)]
    pub abstain: u64,
    #[arg(long, allow_negative_numbers = true, value_parser = count::<u64>)]
    pub households_present: Option<u64>,
    #[arg(long, value_name = "FILE", conflicts_with = "text")]
    pub text_file: Option<PathBuf>,
    /// The resolution text (or --text-file)
    #[arg(long)]
    pub text: Option<String>,
    #[arg(long, value_enum, default_value = "adopt")]
    pub decision: DecisionArg,
    /// Why the meeting declined (required with --decision decline)
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NoticeArg {
    #[value(aliases = ["决议", "决议公开", "决议公告"])]
    Resolution,
    #[value(aliases = ["结果", "实施结果", "实施结果公开", "结果公告"])]
    Result,
}

#[derive(Debug, Args)]
pub struct PostedArgs {
    pub id: String,
    #[arg(value_enum)]
    pub kind: NoticeArg,
    /// The proof: a photo of the notice on the board, a signed record of posting
    #[arg(long, value_name = "FILE", required = true)]
    pub attach: Vec<PathBuf>,
    #[arg(long)]
    pub note: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    /// Record it although the same files are recorded as proof of this notice's posting
    #[arg(long)]
    pub again: bool,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    pub id: String,
    #[arg(value_enum)]
    pub kind: NoticeArg,
    /// Posting period in days (at least 15)
    #[arg(long, allow_negative_numbers = true, value_parser = count::<u32>)]
    pub days: Option<u32>,
    #[arg(long)]
    pub place: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    /// Write the notice PDF here
    #[arg(short = 'o', long = "out", value_name = "FILE.pdf")]
    pub out: Option<PathBuf>,
    /// Print with this font instead of the bundled one
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NoticeArgs {
    pub id: String,
    #[arg(value_enum)]
    pub kind: NoticeArg,
    #[arg(short = 'o', long = "out", value_name = "FILE.pdf")]
    pub out: PathBuf,
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormKind {
    // What each is: `form`'s KIND help (i18n/help.rs), in the user's language.
    #[value(aliases = ["民议", "签字表"])]
    Consultation,
    #[value(aliases = ["动议", "回执"])]
    Motion,
    #[value(alias = "签到表")]
    Signin,
    // The written reply to the proposers of a declined motion.
    #[value(aliases = ["答复", "答复书"])]
    Reply,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MeetingArg {
    Proposal,
    Discussion,
    Review,
    Representatives,
    Villagers,
}

#[derive(Debug, Args)]
pub struct FormArgs {
    pub id: String,
    #[arg(value_enum)]
    pub kind: FormKind,
    #[arg(short = 'o', long = "out", value_name = "FILE.pdf")]
    pub out: PathBuf,
    /// Sign-in sheets: which meeting (default: the next one the matter needs)
    #[arg(long, value_enum)]
    pub meeting: Option<MeetingArg>,
    /// Sign-in sheets: meeting date (default: today)
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub font: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = false)]
pub struct ObjectionArgs {
    pub id: String,
    #[command(subcommand)]
    pub reply: Option<ObjectionCmd>,
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub text: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Record it although the same objection is recorded (same person, text, date)
    #[arg(long)]
    pub again: bool,
}

#[derive(Debug, Subcommand)]
pub enum ObjectionCmd {
    /// Reply to objection N
    Reply {
        #[arg(allow_negative_numbers = true, value_parser = count::<u32>)]
        n: u32,
        #[arg(long)]
        text: String,
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_name = "FILE")]
        attach: Vec<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ImplementArgs {
    pub id: String,
    #[arg(long)]
    pub note: String,
    #[arg(long, value_name = "YUAN", allow_negative_numbers = true)]
    pub spent: Option<String>,
    #[arg(long)]
    pub contractor: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Record it although the same step is recorded (same date, note, amount, contractor, files)
    #[arg(long)]
    pub again: bool,
}

#[derive(Debug, Args)]
pub struct CompleteArgs {
    pub id: String,
    /// Final cost in yuan
    #[arg(long, value_name = "YUAN", allow_negative_numbers = true)]
    pub spent: String,
    /// Who accepted the work (验收), separated by , ， or 、
    #[arg(long, value_delimiter = ',', required = true)]
    pub accepted_by: Vec<String>,
    /// What was delivered
    #[arg(long)]
    pub delivered: Option<String>,
    #[arg(long)]
    pub contractor: Option<String>,
    /// How the contractor was chosen
    #[arg(long)]
    pub procurement: Option<String>,
    /// Opinion of the village affairs supervision committee
    #[arg(long)]
    pub supervision: Option<String>,
    /// The acceptance's conclusion (验收结论)
    #[arg(long, default_value = "验收合格")]
    pub acceptance: String,
    /// Final cost by funding source: SOURCE=YUAN, repeatable; must add up to --spent
    #[arg(long, value_name = "SOURCE=YUAN")]
    pub spent_by: Vec<String>,
    /// Why the final cost is over the budget (required then; printed on the result notice)
    #[arg(long)]
    pub overspend_reason: Option<String>,
    /// Recording a completed matter's completion again corrects it: what is corrected and why
    #[arg(long)]
    pub correction: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReasonArgs {
    pub id: String,
    #[arg(long)]
    pub reason: String,
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Directory for the demo database, key and documents (default: a new temporary one)
    #[arg(long = "out", id = "demo_dir", value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// `liuyi generate`: a decade of a large village, or a township of villages, recorded
/// through the real commands (benchmarks; hidden from help).
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Active households per village
    #[arg(long, default_value_t = 2000)]
    pub households: usize,
    /// Years of record, one roster update each January
    #[arg(long, default_value_t = 10)]
    pub years: u32,
    /// Matters per village, spread evenly over the years; each has one full consultation
    #[arg(long, default_value_t = 1000)]
    pub matters: usize,
    /// Total megabytes of scanned signature sheets per village (incompressible bytes)
    #[arg(long, default_value_t = 0)]
    pub scans_mb: u64,
    /// Number of villages (databases), generated in parallel on all cores
    #[arg(long, default_value_t = 1)]
    pub villages: usize,
    /// First year of the record
    #[arg(long, default_value_t = 2016)]
    pub start_year: i32,
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// Leave one more matter open at 民议, with its consent file (consents.csv) and the
    /// clock to import it at (open-consultation.txt: "ID NOW"), for the import benchmark
    #[arg(long)]
    pub open_consultation: bool,
    /// Output directory (liuyi.db and liuyi.key, or village-NN/ for several villages)
    #[arg(long = "out", id = "out_dir", value_name = "DIR")]
    pub out: PathBuf,
}

/// A number the secretary types (people present, votes, days, a page, an objection's
/// number): a whole number, not negative. Negative numbers reach this parser
/// (`allow_negative_numbers`), so `--present -5` is told that it is negative rather than
/// that `-5` is an unknown flag. (Chinese words come from `i18n::help`, by the value.)
fn count<T: TryFrom<u64>>(s: &str) -> Result<T, String> {
    let t = s.trim();
    let digits = t.strip_prefix('+').unwrap_or(t);
    if let Some(neg) = t.strip_prefix('-')
        && !neg.is_empty()
        && neg.bytes().all(|b| b.is_ascii_digit())
    {
        return Err("a count cannot be negative".into());
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("expected a whole number, such as 25".into());
    }
    // The record holds integers up to 2^53 − 1 (SPEC §2); no count comes near it.
    digits
        .parse::<u64>()
        .ok()
        .filter(|&n| n <= crate::record::canonical::MAX_SAFE_INTEGER as u64)
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| "the number is too large".into())
}

/// A page of a signature sheet: a count from 1 (a page 0 is bad input, not a rule).
fn page(s: &str) -> Result<u32, String> {
    match count::<u32>(s)? {
        0 => Err(PAGE_FROM_ONE.into()),
        n => Ok(n),
    }
}

/// What [`page`] says of a page 0 (`i18n::help::parse_error` words it in Chinese).
pub const PAGE_FROM_ONE: &str = "pages are numbered from 1";

#[derive(Debug, Subcommand)]
pub enum SupervisionCmd {
    /// Show the objection contact every notice prints
    Show(JsonArg),
    /// Record a new contact or phone (an election, a new number); notices printed from then
    /// on name it
    Set(SupervisionSetArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("contact").required(true).multiple(true).args(["supervisor", "phone"])))]
pub struct SupervisionSetArgs {
    /// Chair of the village affairs supervision committee (村务监督委员会)
    #[arg(long)]
    pub supervisor: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub reason: Option<String>,
    #[arg(long)]
    pub date: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCmd {
    /// Show the policy in force
    Show(JsonArg),
    /// Record a new policy (a JSON file in the shape `policy show --json` prints)
    Set {
        file: PathBuf,
        #[arg(long)]
        reason: String,
    },
}

/// `command` with the environment variables that are set but empty read as unset (SPEC §4
/// gives each a default; `LIUYI_DB=` was refused as "--db has no value", which was never
/// typed). `LIUYI_NOW` and `LIUYI_LANG` are read elsewhere, where empty is unset too.
pub fn unset_empty_env(command: clap::Command) -> clap::Command {
    let empty = |var: &str| std::env::var_os(var).is_some_and(|v| v.is_empty());
    let mut command = command;
    for (id, var) in [
        ("db", "LIUYI_DB"),
        ("key", "LIUYI_KEY"),
        ("lang", "LIUYI_LANG"),
    ] {
        if empty(var) {
            command = command.mut_arg(id, |a| a.env(None::<&str>));
        }
    }
    if empty("LIUYI_TOWNSHIP_DB") {
        command = command.mut_subcommand("township", |s| {
            s.mut_arg("township_db", |a| a.env(None::<&str>))
        });
    }
    command
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_count_beyond_what_the_record_holds_is_a_usage_error() {
        assert_eq!(count::<u64>("9007199254740991"), Ok(9_007_199_254_740_991));
        assert!(count::<u64>("9007199254740992").is_err());
        assert!(count::<u64>("18446744073709551615").is_err());
    }

    #[test]
    fn subcommands_after_positional_ids_parse() {
        let c = Cli::try_parse_from([
            "liuyi",
            "consult",
            "2026-001",
            "record",
            "0001",
            "--consent",
            "--signer",
            "张三",
            "--sheet-page",
            "3",
        ])
        .unwrap();
        assert!(matches!(
            c.command,
            Command::Consult(ConsultArgs {
                action: ConsultCmd::Record { .. },
                ..
            })
        ));
        let c = Cli::try_parse_from([
            "liuyi",
            "objection",
            "2026-001",
            "reply",
            "1",
            "--text",
            "已答复",
        ])
        .unwrap();
        assert!(matches!(
            c.command,
            Command::Objection(ObjectionArgs {
                reply: Some(ObjectionCmd::Reply { n: 1, .. }),
                ..
            })
        ));
        let c = Cli::try_parse_from([
            "liuyi",
            "objection",
            "2026-001",
            "--from",
            "李四",
            "--text",
            "太贵",
        ])
        .unwrap();
        assert!(matches!(
            c.command,
            Command::Objection(ObjectionArgs { reply: None, .. })
        ));
        let c = Cli::try_parse_from([
            "liuyi",
            "决议",
            "2026-001",
            "--body",
            "representatives",
            "--present",
            "30",
            "--for",
            "20",
            "--against",
            "5",
            "--abstain",
            "5",
        ])
        .unwrap();
        assert!(matches!(c.command, Command::Resolve(_)));
    }
}
