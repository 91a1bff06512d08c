//! liuyi (六议): the command-line entry point. `main` → `run` → one place prints the
//! error in the user's language and picks the exit code (0 done, 1 internal or I/O,
//! 2 bad usage or input, 3 refused by the rules, 4 integrity). See README "Architecture".

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

// The allocator: mimalloc (see Cargo.toml for why). Only the program uses it; the library's
// tests keep the system allocator (one of them counts allocations).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let lang = liuyi::app::early_lang();
    let command = liuyi::cli::unset_empty_env(liuyi::i18n::help::localize(
        liuyi::cli::Cli::command(),
        lang,
    ));
    let parsed = command
        .try_get_matches()
        .and_then(|m| liuyi::cli::Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let styled = if e.use_stderr() {
                std::io::IsTerminal::is_terminal(&std::io::stderr())
            } else {
                std::io::IsTerminal::is_terminal(&std::io::stdout())
            };
            if let Some(text) = liuyi::i18n::help::help_text(&e, lang, styled) {
                use std::io::Write;
                if e.use_stderr() {
                    let _ = write!(std::io::stderr().lock(), "{text}");
                } else {
                    let _ = write!(std::io::stdout().lock(), "{text}");
                }
            } else {
                match liuyi::i18n::help::parse_error(&e, lang) {
                    Some(text) => liuyi::cmd::to_stderr(&text),
                    None => {
                        let _ = e.print();
                    }
                }
            }
            return ExitCode::from(code);
        }
    };
    // Ctrl-C or SIGTERM part-way through writing a file: remove its temporary file (an
    // export's can be hundreds of MB) and exit with 130, as the default action would.
    let _ = ctrlc::set_handler(|| liuyi::fsutil::on_interrupt());
    let records = cli.command.records();
    match liuyi::app::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err((e, lang_used)) => {
            let text = liuyi::i18n::cli::error_message(&e, lang_used.unwrap_or(lang), records);
            if !text.is_empty() {
                liuyi::cmd::to_stderr(&text);
            }
            ExitCode::from(e.exit_code())
        }
    }
}
