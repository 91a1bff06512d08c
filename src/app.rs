//! Turns a parsed command line into a context (language, paths, clock) and dispatches
//! to the command. Parse first, then do: nothing is opened before this point.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::cli::{Cli, Command, RosterCmd};
use crate::cmd::{self, Ctx};
use crate::error::{Error, Usage};
use crate::i18n::Lang;

/// The language before arguments are parsed (for help and clap's own errors): a `--lang`
/// on the command line, else `LIUYI_LANG`, else Chinese.
pub fn early_lang() -> Lang {
    let args: Vec<String> = std::env::args().collect();
    let from_args = args
        .iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--lang") {
            Some(v) if v.starts_with('=') => Some(v[1..].to_string()),
            Some("") => args.get(i + 1).cloned(),
            _ => None,
        });
    from_args
        .or_else(|| std::env::var("LIUYI_LANG").ok())
        .and_then(|s| Lang::parse(&s))
        .unwrap_or_default()
}

/// The per-user data directory: `$XDG_DATA_HOME/liuyi` or `~/.local/share/liuyi`.
pub fn default_db() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("liuyi").join("liuyi.db")
}

/// "Now": `LIUYI_NOW` (RFC 3339) when set, else the system clock.
pub fn now() -> Result<DateTime<Utc>, Error> {
    match std::env::var("LIUYI_NOW") {
        Ok(s) if !s.trim().is_empty() => DateTime::parse_from_rfc3339(s.trim())
            .map(|d| d.with_timezone(&Utc))
            .map_err(|_| Usage::BadNow(s).into()),
        _ => Ok(Utc::now()),
    }
}

pub fn run(cli: Cli) -> Result<(), (Error, Option<Lang>)> {
    let lang = match &cli.lang {
        Some(s) => match Lang::parse(s) {
            Some(l) => l,
            // Said in LIUYI_LANG's language when that one is valid (`--lang` overrode it).
            None => {
                let env = std::env::var("LIUYI_LANG")
                    .ok()
                    .and_then(|v| Lang::parse(&v));
                return Err((Usage::BadLang(s.clone()).into(), env));
            }
        },
        None => Lang::default(),
    };
    let e = |err: Error| (err, Some(lang));
    let db = cli.db.clone().unwrap_or_else(default_db);
    let key = cli
        .key
        .clone()
        .unwrap_or_else(|| db.with_file_name("liuyi.key"));
    let now = now().map_err(e)?;
    let ctx = Ctx {
        lang,
        db,
        key,
        now,
        quiet: false,
    };
    if let (Command::Demo(_), Some(db)) = (&cli.command, &cli.db) {
        ctx.tell(&crate::i18n::demo::db_not_used(lang, db));
    }
    dispatch(&ctx, &cli.command).map_err(e)
}

fn dispatch(ctx: &Ctx, c: &Command) -> Result<(), Error> {
    match c {
        Command::Init(a) => cmd::init::run(ctx, a),
        Command::Roster(RosterCmd::Import { file, date, reason }) => {
            cmd::roster::import(ctx, file, date, reason)
        }
        Command::Roster(RosterCmd::List(j)) => cmd::roster::list(ctx, j.json),
        Command::Motion(a) => cmd::stages::motion(ctx, a),
        Command::Propose(a) => cmd::stages::propose(ctx, a),
        Command::Discuss(a) => cmd::stages::discuss(ctx, a),
        Command::Review(a) => cmd::stages::review(ctx, a),
        Command::Consult(a) => cmd::consult::run(ctx, a),
        Command::Resolve(a) => cmd::stages::resolve(ctx, a),
        Command::Publish(a) => cmd::stages::publish(ctx, a),
        Command::Posted(a) => cmd::stages::posted(ctx, a),
        Command::Objection(a) => cmd::stages::objection(ctx, a),
        Command::Implement(a) => cmd::stages::implement(ctx, a),
        Command::Complete(a) => cmd::stages::complete(ctx, a),
        Command::Revise(a) => cmd::stages::revise(ctx, a),
        Command::Withdraw(a) => cmd::stages::withdraw(ctx, a),
        Command::Show(a) => cmd::views::show(ctx, a),
        Command::List(j) => cmd::views::list(ctx, j.json),
        Command::Status(j) => cmd::views::status(ctx, j.json),
        Command::Check(j) => cmd::check::run(ctx, j.json),
        Command::Demo(a) => cmd::demo::run(ctx, a),
        Command::Export(a) => cmd::bundle::export_cmd(ctx, a),
        Command::Verify(a) => cmd::bundle::verify_cmd(ctx, a),
        Command::Checkpoint(crate::cli::CheckpointCmd::Import { file, township_key }) => {
            cmd::township::import_checkpoint(ctx, file, township_key.as_deref())
        }
        Command::Key(c) => cmd::key::run(ctx, c),
        Command::Township(a) => cmd::township::run(ctx, a),
        Command::Notice(a) => cmd::notice::reprint(ctx, a),
        Command::Form(a) => cmd::notice::form(ctx, a),
        Command::Generate(a) => cmd::generate::run(ctx, a),
        Command::Policy(crate::cli::PolicyCmd::Show(j)) => cmd::policy::show(ctx, j.json),
        Command::Supervision(crate::cli::SupervisionCmd::Show(j)) => {
            cmd::supervision::show(ctx, j.json)
        }
        Command::Supervision(crate::cli::SupervisionCmd::Set(a)) => cmd::supervision::set(ctx, a),
        Command::Policy(crate::cli::PolicyCmd::Set { file, reason }) => {
            cmd::policy::set(ctx, file, reason)
        }
    }
}
