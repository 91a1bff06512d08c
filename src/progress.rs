//! The one progress bar (indicatif), for long commands: large imports, `generate`, and
//! export/verify of bundles. Drawn on stderr only when stderr is a terminal and
//! `NO_COLOR`/`LIUYI_NO_PROGRESS` are not set; otherwise every call is a no-op, so scripts
//! and tests see exactly the same output as before.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar that is silent when not interactive.
pub struct Progress(Option<ProgressBar>);

/// Below this many steps a bar is not worth drawing.
const MIN_STEPS: u64 = 500;

impl Progress {
    /// A bar over `len` steps (items or bytes), labelled `what`.
    pub fn new(len: u64, what: &str) -> Progress {
        Progress::with_unit(len, what, false)
    }

    /// A bar over `len` bytes.
    pub fn bytes(len: u64, what: &str) -> Progress {
        Progress::with_unit(len, what, true)
    }

    fn with_unit(len: u64, what: &str, bytes: bool) -> Progress {
        if !interactive() || (!bytes && len < MIN_STEPS) {
            return Progress(None);
        }
        let template = if bytes {
            "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}"
        } else {
            "{msg} [{bar:30}] {pos}/{len} {per_sec} {eta}"
        };
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_string());
        Progress(Some(bar))
    }

    pub fn inc(&self, n: u64) {
        if let Some(b) = &self.0 {
            b.inc(n);
        }
    }

    /// Removes the bar (the command prints its own summary).
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

fn interactive() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none()
        && std::env::var_os("LIUYI_NO_PROGRESS").is_none()
}
