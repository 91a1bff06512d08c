//! The one progress-bar helper (indicatif), for long commands: export and verify of bundles,
//! `check` of a large record, large consent imports, `generate`. Drawn on stderr only when stderr is a terminal and
//! `LIUYI_NO_PROGRESS` is not set; otherwise the bar is hidden, so scripts and tests see
//! exactly the same output with or without it.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Below this many items a bar is not worth drawing (`Progress::new`).
const MIN_ITEMS: u64 = 500;

fn interactive() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("LIUYI_NO_PROGRESS").is_none()
}

/// A bar over `len` steps labelled `what`, hidden when not interactive.
pub fn bar(len: u64, what: &str) -> ProgressBar {
    if !interactive() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// A bar over `len` items that is cleared when dropped (the command prints its own summary),
/// and not drawn at all for fewer than 500 items.
pub struct Progress(ProgressBar);

impl Progress {
    pub fn new(len: u64, what: &str) -> Progress {
        if len < MIN_ITEMS {
            return Progress(ProgressBar::hidden());
        }
        Progress(bar(len, what))
    }

    pub fn inc(&self, n: u64) {
        self.0.inc(n);
    }

    pub fn finish(&self) {
        self.0.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
