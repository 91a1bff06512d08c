//! `liuyi check`: re-verifies the whole local record; exit 4 with the place of the first
//! problem.

use crate::cmd::Ctx;
use crate::error::{Error, Result};
use crate::i18n::cli as msg;
use crate::store::Store;

pub fn run(ctx: &Ctx, json: bool) -> Result<()> {
    let store = Store::open(&ctx.db)?;
    let report = crate::check::check(&store)?;
    if json {
        let problems: Vec<serde_json::Value> = report
            .problems
            .iter()
            .map(|p| serde_json::json!({"code": p.code, "location": p.location, "message": msg::problem(ctx.lang, p)}))
            .collect();
        ctx.print_json(
            &serde_json::json!({"ok": report.ok, "entries": report.entries, "problems": problems}),
        );
    } else if report.ok {
        ctx.say(&msg::check_ok(ctx.lang, report.entries));
    }
    if report.ok {
        Ok(())
    } else if json {
        Err(Error::Integrity(Vec::new()))
    } else {
        Err(Error::Integrity(report.problems))
    }
}
