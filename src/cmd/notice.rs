//! Notices printed as a posting is recorded (`publish -o`), wired to `crate::paper`.

use std::path::Path;

use crate::cmd::{Ctx, Writer};
use crate::error::{Error, Result};
use crate::rules::event::PublishEvent;

/// Whether this build prints notices (the demo writes them when it does).
pub const AVAILABLE: bool = false;

/// Renders the notice for `event` if `out` is given and records its hash in the event.
pub fn with_notice(
    _ctx: &Ctx,
    _w: &Writer,
    event: PublishEvent,
    out: Option<&Path>,
) -> Result<(PublishEvent, Option<Vec<u8>>)> {
    match out {
        None => Ok((event, None)),
        Some(_) => Err(Error::Internal(
            "notice printing arrives with the paper module".into(),
        )),
    }
}

pub fn write_pdf(path: &Path, bytes: &[u8]) -> Result<()> {
    crate::fsutil::write_new(path, bytes)
}
