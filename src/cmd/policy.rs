//! `liuyi policy show | set`: the thresholds of SPEC §3 as data. A change is a new policy
//! entry in the log, so a replay applies the rule in force at each step.

use std::path::Path;

use crate::cmd::{Ctx, Writer, read_capped, text};
use crate::error::{Error, Result, Usage};
use crate::i18n::cli as msg;
use crate::rules::event::PolicyEvent;
use crate::rules::{Event, Policy};

pub fn show(ctx: &Ctx, json: bool) -> Result<()> {
    let (_, replay) = crate::cmd::read_state(ctx, &[])?;
    let p = &replay.state.policy;
    if json {
        ctx.print_json(&serde_json::to_value(p).map_err(|e| Error::Internal(e.to_string()))?);
    } else {
        ctx.say(&msg::policy_text(ctx.lang, p));
    }
    Ok(())
}

pub fn set(ctx: &Ctx, file: &Path, reason: &str) -> Result<()> {
    let data = read_capped(file, 64 * 1024)?;
    let policy: Policy = serde_json::from_slice(&data).map_err(|e| {
        // serde's words name the field between backquotes.
        let text = e.to_string();
        let field = |prefix: &str| {
            text.strip_prefix(prefix)
                .and_then(|r| r.strip_prefix('`'))
                .and_then(|r| r.split_once('`'))
                .map(|(f, _)| f.to_string())
        };
        Usage::BadPolicyFile {
            path: file.display().to_string(),
            line: e.line(),
            missing: field("missing field "),
            unknown: field("unknown field "),
            detail: text.clone(),
        }
    })?;
    let mut w = Writer::open(ctx)?;
    if w.state().policy == policy {
        ctx.say(&msg::policy_unchanged(ctx.lang));
        return Ok(());
    }
    w.append(Event::Policy(PolicyEvent {
        policy: policy.clone(),
        reason: Some(text(reason)),
    }))?;
    w.commit()?;
    ctx.say(&msg::policy_text(ctx.lang, &policy));
    Ok(())
}
