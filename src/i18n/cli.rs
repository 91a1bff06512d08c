//! Sentences of the command line: what each command prints, and every error message
//! (with what to do next).

use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;

use super::Lang;
use crate::check::{Problem, ProblemKind};
use crate::error::{Error, FileUse, Usage};
use crate::record::keys::KeyError;
use crate::rules::engine::{Round, RoundTally};
use crate::rules::funding::Unsplit;
use crate::rules::people::Person;
use crate::rules::{Action, Stage};
use crate::store::{MatterRow, StoreError};

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

pub fn initialised(
    lang: Lang,
    village: &str,
    origin: &str,
    db: &Path,
    key: &Path,
    fingerprint: &str,
) -> String {
    match lang {
        Lang::Zh => format!(
            "已建立{village}的决策记录。\n  记录标识：{origin}\n  数据库：{}\n  签名密钥：{}（请妥善保管并备份，切勿外传）\n  密钥指纹：{fingerprint}\n下一步：liuyi roster import 花名册.csv --date 生效日期（要补录的事项中最早的动议或会议不能早于它）",
            db.display(),
            key.display()
        ),
        Lang::En => format!(
            "Created the decision record of {village}.\n  origin: {origin}\n  database: {}\n  signing key: {} (keep it safe and backed up; never share it)\n  key fingerprint: {fingerprint}\nNext: liuyi roster import roster.csv --date DATE (the day it took effect: no motion or meeting to be recorded may be earlier)",
            db.display(),
            key.display()
        ),
    }
}

/// A roster import brought `household` back into matter `id`'s open 民议 scope (it had
/// left by an earlier roster change and is active again).
pub fn back_in_scope(lang: Lang, id: &str, household: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "注意：{household} 此前因花名册变动离开了事项 {id} 本轮民议的范围，现在花名册上在册，回到范围，须征求其意见（此前的意见如有，仍然有效）。请用 liuyi consult {id} status 查看。"
        ),
        Lang::En => format!(
            "note: {household} had left the scope of matter {id}'s consultation round by a roster change and is active on the roster now, so it is back in scope: its opinion is needed (one recorded before, if any, stands). See liuyi consult {id} status."
        ),
    }
}

/// `init` without `--supervisor` or `--phone`: the notices' objection contact.
pub fn no_objection_contact(lang: Lang) -> String {
    lang.pick(
        "提醒：未填写 --supervisor（村务监督委员会负责人）或 --phone（联系电话）。它们印在每份公告上，供村民反映异议：没有负责人姓名时，公告上只写“村务监督委员会”；没有联系电话时，公告不能公开（liuyi publish 会拒绝）。请在张贴第一份公告前补记：liuyi supervision set --supervisor 姓名 --phone 电话。".to_string(),
        "note: --supervisor (chair of the village affairs supervision committee) or --phone was not given. Both are printed on every notice as where villagers take objections: without the name a notice says only \"村务监督委员会\"; without the phone no notice can be published (liuyi publish refuses). Record them before the first notice is posted: liuyi supervision set --supervisor NAME --phone PHONE.".to_string(),
    )
}

/// The objection contact in force (`supervision show`, and after `supervision set`).
pub fn supervision_text(
    lang: Lang,
    supervisor: Option<&str>,
    phone: Option<&str>,
    since: Option<NaiveDate>,
) -> String {
    let since = match (since, lang) {
        (Some(d), Lang::Zh) => format!("（自 {d} 起）"),
        (Some(d), Lang::En) => format!(" (since {d})"),
        (None, Lang::Zh) => "（建库时记录）".to_string(),
        (None, Lang::En) => " (as recorded at init)".to_string(),
    };
    match lang {
        Lang::Zh => format!(
            "公告上的异议联系人{since}：{}，电话：{}。",
            supervisor.unwrap_or("村务监督委员会（未填写联系人）"),
            phone.unwrap_or("—（未填写）")
        ),
        Lang::En => format!(
            "objection contact printed on notices{since}: {}, phone {}.",
            supervisor.unwrap_or("村务监督委员会 (no contact recorded)"),
            phone.unwrap_or("— (none recorded)")
        ),
    }
}

/// `supervision set` with the contact already in force.
pub fn supervision_unchanged(lang: Lang) -> String {
    lang.pick(
        "联系人和电话与现行的相同，未作记录。",
        "the contact and phone are the ones in force; nothing recorded.",
    )
    .to_string()
}

pub fn born_after(lang: Lang, line: u64, key: &str, birth: NaiveDate, date: NaiveDate) -> String {
    match lang {
        Lang::Zh => format!(
            "第 {line} 行：{key} 的出生日期 {birth} 晚于花名册日期 {date}：请核对出生日期，或用 --date 写明花名册的日期"
        ),
        Lang::En => format!(
            "line {line}: {key}'s birth date {birth} is after the roster date {date}: check the birth date, or give the roster's date with --date"
        ),
    }
}

/// A roster lists one person (name and birth date) as active in several households.
pub fn person_in_two_households(
    lang: Lang,
    name: &str,
    birth: chrono::NaiveDate,
    households: &[String],
) -> String {
    match lang {
        Lang::Zh => format!(
            "注意：{name}（{birth} 出生）同时列在户 {} 中，本程序把同名同生日的人当作同一人：成年人数、迁移的判断会把他们算作一人。如确是同一人（如已出嫁仍列在娘家），请只保留在实际所在的一户；如是同名同生日的两个人，可不理会。",
            households.join("、")
        ),
        Lang::En => format!(
            "note: {name} (born {birth}) is listed in households {}; liuyi takes people of one name and birth date as one person, so counts of adults and moves treat them as one. If it is one person (a married daughter still listed at her parents', say), keep them only in the household they live in; if they are two namesakes born on one day, ignore this.",
            households.join(", ")
        ),
    }
}

pub fn roster_unchanged(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("花名册与现有名册相同（{n} 人），未作记录。"),
        Lang::En => {
            format!("the roster is the same as the current one ({n} people); nothing recorded.")
        }
    }
}

/// What a roster import changed, by person.
pub struct RosterCounts {
    pub added: usize,
    pub updated: usize,
    /// Taken out of one household and added to another.
    pub moved: usize,
    pub removed: usize,
}

pub fn roster_imported(
    lang: Lang,
    people: usize,
    households: usize,
    counts: RosterCounts,
    date: NaiveDate,
) -> String {
    let RosterCounts {
        added,
        updated,
        moved,
        removed,
    } = counts;
    let moved = match (moved, lang) {
        (0, _) => String::new(),
        (n, Lang::Zh) => format!("转入别户 {n} 人，"),
        (n, Lang::En) => format!("{n} moved to another household, "),
    };
    match lang {
        Lang::Zh => format!(
            "已导入花名册（{date} 起生效）：{people} 人，在册 {households} 户；新增 {added} 人，变更 {updated} 人，{moved}删除 {removed} 人。"
        ),
        Lang::En => format!(
            "roster imported (in force from {date}): {people} people, {households} active households; {added} added, {updated} changed, {moved}{removed} removed."
        ),
    }
}

fn yes_no(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

fn word<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A roster value: the roster's own word (as its file has it) in Chinese; in English,
/// English (a relation other than 户主 is the file's own text, kept as written).
fn roster_word(lang: Lang, v: String) -> String {
    match lang {
        Lang::Zh => v,
        Lang::En => match v.as_str() {
            "男" => "male",
            "女" => "female",
            "是" => "member",
            "预备" => "probationary",
            "否" => "no",
            "支委" => "branch committee",
            "村委" => "village committee",
            "两委" => "both committees",
            "在村" => "resident",
            "外出" => "away",
            "迁出" => "moved out",
            "死亡" => "deceased",
            "户主" => "head of household",
            other => other,
        }
        .to_string(),
    }
}

pub fn roster_table(lang: Lang, people: &[Person]) -> String {
    let mut s = match lang {
        Lang::Zh => {
            "户号\t姓名\t与户主关系\t性别\t出生日期\t党员\t村民代表\t两委\t状态\n".to_string()
        }
        Lang::En => {
            "household\tname\trelation\tsex\tbirth_date\tparty\trepresentative\tcommittee\tstatus\n"
                .to_string()
        }
    };
    let w = |v: String| roster_word(lang, v);
    for p in people {
        s += &format!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
            p.household,
            p.name,
            p.relation,
            w(word(&p.sex)),
            p.birth_date,
            w(word(&p.party)),
            yes_no(p.representative, lang),
            w(word(&p.committee)),
            w(word(&p.status))
        );
    }
    let households: std::collections::BTreeSet<&str> = people
        .iter()
        .filter(|p| p.status.active())
        .map(|p| p.household.as_str())
        .collect();
    s += &match lang {
        Lang::Zh => format!("共 {} 人，在册 {} 户。", people.len(), households.len()),
        Lang::En => format!(
            "{} people, {} active households.",
            people.len(),
            households.len()
        ),
    };
    s
}

/// `complete` without `--supervision`: recorded (the flag is not in SPEC §4's line), but
/// the result notice will say that no opinion was recorded.
pub fn no_supervision_opinion(lang: Lang, id: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "提醒：本次未写村务监督委员会意见（--supervision）。实施结果公告由村委会和村务监督委员会共同发布，公告上“村务监督委员会意见”一项将印“竣工验收登记时未记录村务监督委员会意见。”取得其意见后，请在公布实施结果公告前重新运行 liuyi complete {id}，其余各项照原样写上，加 --supervision \"意见\" --correction \"补记村务监督委员会意见\"（日期沿用本次的）：公告按最后一次登记印出。"
        ),
        Lang::En => format!(
            "note: no opinion of the village affairs supervision committee was given (--supervision). The result notice is issued with the committee, and will say that no opinion was recorded at completion (竣工验收登记时未记录村务监督委员会意见。). Once the committee gives it, run liuyi complete {id} again before the result notice is published, with the same flags, --supervision \"OPINION\" and --correction \"the supervision committee's opinion, given later\" (the date stays this one's): the notice prints the last completion recorded."
        ),
    }
}

/// `complete` without the contractor or how it was chosen, or without the final cost by
/// source when the plan names several: what the result notice will print instead.
pub fn result_notice_gaps(lang: Lang, id: &str, contractor: bool, by_source: bool) -> String {
    let mut parts = Vec::new();
    if contractor {
        parts.push(lang.pick(
            "施工单位（--contractor）或其确定方式（--procurement，如“村民代表会议比选”）没有写，公告上该项印“—”",
            "the contractor (--contractor) or how it was chosen (--procurement) was not given: the notice prints \"—\" there",
        ));
    }
    if by_source {
        parts.push(lang.pick(
            "决算没有按资金来源分列（--spent-by 来源=金额），公告的资金表只印合计",
            "the final cost was not given by funding source (--spent-by SOURCE=YUAN): the notice's table prints the total only",
        ));
    }
    match lang {
        Lang::Zh => format!(
            "提醒：事项 {id} 的实施结果公告中，{}。可在公布实施结果公告前重新运行 liuyi complete {id}，其余各项照原样写上，补写这些项并加 --correction 说明（公告按最后一次登记印出）。",
            parts.join("；")
        ),
        Lang::En => format!(
            "note: on the result notice of matter {id}, {}. Before the result notice is published, run liuyi complete {id} again with the same flags, these added and --correction saying so (the notice prints the last completion).",
            parts.join("; ")
        ),
    }
}

/// `complete` recorded again on a completed matter: the result notice prints this one.
pub fn completion_corrected(lang: Lang, id: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "说明：事项 {id} 的竣工验收已重新登记（更正），前一次的登记仍留在记录中；实施结果公告按这一次印出。"
        ),
        Lang::En => format!(
            "note: matter {id}'s completion is recorded again (a correction); the earlier one stays in the record, and the result notice prints this one."
        ),
    }
}

/// The final cost is below what implementation entries already recorded as spent.
pub fn final_below_recorded(lang: Lang, id: &str, spent: i64, recorded: i64) -> String {
    use crate::paper::money::format_yuan;
    match lang {
        Lang::Zh => format!(
            "提醒：决算 {} 少于事项 {id} 实施中已登记的支出合计 {}。决算应包括全部支出；如某笔实施支出登记有误，请在实施结果公告前向村务监督委员会说明并留存书面材料。",
            format_yuan(spent),
            format_yuan(recorded)
        ),
        Lang::En => format!(
            "note: the final cost {} is below the {} already recorded as spent in matter {id}'s implementation. The final cost includes all spending; if an implementation entry's amount was wrong, explain it to the supervision committee in writing before the result notice.",
            format_yuan(spent),
            format_yuan(recorded)
        ),
    }
}

/// `resolve --body representatives`: the assembly's makeup falls short of 组织法 Art. 29
/// (representatives four fifths or more of its `members`, women representatives a third
/// or more).
pub fn representatives_makeup(lang: Lang, members: usize, reps: usize, women: usize) -> String {
    match lang {
        Lang::Zh => format!(
            "提醒：花名册上村民代表会议组成人员 {members} 人，其中村民代表 {reps} 人、妇女村民代表 {women} 人；村民委员会组织法第二十九条要求村民代表占组成人员的五分之四以上（至少 {} 人）、妇女村民代表占三分之一以上（至少 {} 人）。决议已按到会和表决情况记录；请在推选村民代表时补足，并核对花名册的“村民代表”“性别”两列。",
            (members * 4).div_ceil(5),
            members.div_ceil(3)
        ),
        Lang::En => format!(
            "note: the roster gives the representatives' meeting {members} members, of whom {reps} {} and {women} {}; Art. 29 of the Organic Law asks for representatives to be four fifths or more of its members (at least {}) and women representatives a third or more (at least {}). The resolution is recorded on its attendance and vote; make up the numbers when representatives are next chosen, and check the roster's representative and sex columns.",
            if reps == 1 {
                "representative"
            } else {
                "representatives"
            },
            if women == 1 {
                "woman representative"
            } else {
                "women representatives"
            },
            (members * 4).div_ceil(5),
            members.div_ceil(3)
        ),
    }
}

/// `implement`: the spending recorded so far is past the budget.
pub fn spending_past_budget(lang: Lang, id: &str, budget: i64, recorded: i64) -> String {
    use crate::paper::money::format_yuan;
    match lang {
        Lang::Zh => format!(
            "注意：事项 {id} 已登记的实施支出合计 {}，超出预算 {}。超支须在竣工决算时写明原因（liuyi complete --overspend-reason），必要时请先提请村民代表会议决定。",
            format_yuan(recorded),
            format_yuan(budget)
        ),
        Lang::En => format!(
            "attention: the spending recorded for matter {id} adds up to {}, past the budget of {}. An overspend needs its reason at completion (liuyi complete --overspend-reason); put it to the representatives' meeting first if need be.",
            format_yuan(recorded),
            format_yuan(budget)
        ),
    }
}

/// `complete`: the final cost `spent` is over the plan's `budget` (both in fen).
pub fn overspent(lang: Lang, budget: i64, spent: i64) -> String {
    use crate::paper::money::format_yuan;
    let over = spent - budget;
    // Tenths of a percent, rounded down: 0.1 % over is not "0 %". Over a budget of 0 there
    // is no share to give.
    let share = (budget != 0).then(|| {
        let permille = (over as i128 * 1000 / budget as i128) as i64;
        format!("{}.{}%", permille / 10, permille % 10)
    });
    let pct = share
        .as_ref()
        .map(|s| format!("（{s}）"))
        .unwrap_or_default();
    let pct_en = share.map(|s| format!(" ({s})")).unwrap_or_default();
    match lang {
        Lang::Zh => format!(
            "注意：实际支出 {} 超出预算 {}，超支 {}{pct}。实施结果公告将列明超支及其原因；必要时请在公告前提请村民代表会议决定。",
            format_yuan(spent),
            format_yuan(budget),
            format_yuan(over)
        ),
        Lang::En => format!(
            "note: the final cost {} is over the budget {} by {}{pct_en}. The result notice will show the overspend and its reason; put it to the representatives' meeting before posting where required.",
            format_yuan(spent),
            format_yuan(budget),
            format_yuan(over)
        ),
    }
}

pub fn recorded(lang: Lang, id: &str, stage: Stage, size: u64) -> String {
    recorded_owing(lang, id, stage, size, None)
}

/// [`recorded`], for a matter that owes the answer to objection `reply` (completed, or
/// closed): that answer is its next step (the result notice waits for it).
pub fn recorded_owing(lang: Lang, id: &str, stage: Stage, size: u64, reply: Option<u32>) -> String {
    let name = super::rules::stage_name(stage, lang);
    let next = crate::rules::stage::next_action(stage);
    let mut s = match lang {
        Lang::Zh => format!("已记录：事项 {id} 现处于「{name}」阶段（记录共 {size} 条，已签名）。"),
        Lang::En => {
            format!("recorded: matter {id} is now at the {name} stage ({size} entries, signed).")
        }
    };
    if let Some(n) = reply.filter(|_| stage == Stage::Completed || stage.is_closed()) {
        s += &format!(
            "{}{}",
            lang.pick("\n下一步：", "\nnext: "),
            super::rules::reply_command(id, n, lang)
        );
        return s;
    }
    if let Some(a) = next {
        s += &match lang {
            Lang::Zh => format!(
                "\n下一步：{}",
                super::rules::action_command_in(a, id, Lang::Zh)
            ),
            Lang::En => format!("\nnext: {}", super::rules::action_command(a, id)),
        };
    }
    s
}

/// Consents recorded with a 页码 that is not where this liuyi prints the row on the 民议
/// sheet (the first few named).
pub fn pages_off_the_sheet(lang: Lang, id: &str, off: &crate::cmd::consult::PagesOff) -> String {
    const SHOWN: usize = 5;
    let pages = off.pages;
    let items: Vec<String> = off
        .off
        .iter()
        .take(SHOWN)
        .map(|(key, given, printed)| match (lang, printed) {
            (Lang::Zh, Some(p)) => format!("{key} 登记为第 {given} 页，签字表上在第 {p} 页"),
            (Lang::Zh, None) => format!(
                "{key} 登记为第 {given} 页，签字表上没有这一{}",
                if off.adults { "人" } else { "户" }
            ),
            (Lang::En, Some(p)) => format!("{key}: page {given} given, printed on page {p}"),
            (Lang::En, None) => format!("{key}: page {given} given, not on the sheet"),
        })
        .collect();
    let more = off.off.len().saturating_sub(SHOWN);
    match lang {
        Lang::Zh => format!(
            "提醒：事项 {id} 本轮民议签字表（按开始民议时的范围，本机打印共 {pages} 页）与登记的页码不符：{}{}。页码是扫描件作为签字凭证的依据；如签字表是早先的版本或后来重新打印的，请以纸面为准，否则请核对后重新登记（liuyi consult {id} record … --sheet-page 正确页码）。",
            items.join("；"),
            if more > 0 {
                format!("；另有 {more} {}", if off.adults { "人" } else { "户" })
            } else {
                String::new()
            }
        ),
        Lang::En => format!(
            "note: the pages given do not match matter {id}'s 民议 sheet as printed here for the round's scope when it opened ({pages} pages): {}{}. The page ties a consent to its scanned sheet; if the sheet was printed by an earlier version or printed again later, the paper stands, else check and record those again with the right --sheet-page.",
            items.join("; "),
            if more > 0 {
                format!("; and {more} more")
            } else {
                String::new()
            }
        ),
    }
}

/// A step of the work recorded while objections to the matter are unanswered.
pub fn objections_unanswered(lang: Lang, id: &str, numbers: &[u32]) -> String {
    let ns: Vec<String> = numbers.iter().map(u32::to_string).collect();
    match lang {
        Lang::Zh => format!(
            "提醒：事项 {id} 还有 {} 条异议未答复（第 {} 条）。村民在公示期内提出的异议应及时核实答复，实施结果公告要等每条都答复后才能公开：liuyi objection {id} reply N --text 答复内容。",
            numbers.len(),
            ns.join("、")
        ),
        Lang::En => format!(
            "note: matter {id} has {} (number {}). Objections should be looked into and answered; the result notice waits for every answer: liuyi objection {id} reply N --text T.",
            match numbers.len() {
                1 => "1 unanswered objection".to_string(),
                n => format!("{n} unanswered objections"),
            },
            ns.join(", ")
        ),
    }
}

/// After a notice is published, what may come before the next stage: the work's progress
/// while it is done, and the photo of the notice on the board once it is up.
pub fn after_publish(lang: Lang, id: &str, stage: Stage) -> String {
    let mut s = String::new();
    // What may come before it: the work's progress while it is done, and the photo of a
    // notice on the board once it is up.
    let posted = |kind: &str| match lang {
        Lang::Zh => format!("公告张贴后，可用 liuyi posted {id} {kind} --attach 照片 留存张贴凭证"),
        Lang::En => format!(
            "once the notice is up, keep proof of it: liuyi posted {id} {kind} --attach PHOTO"
        ),
    };
    let also = match stage {
        Stage::ResolutionPublished => vec![
            match lang {
                Lang::Zh => format!(
                    "施工期间的进展和支出用 liuyi implement {id} --note 进展情况 [--spent 金额] 登记"
                ),
                Lang::En => format!(
                    "record the work's progress and spending with liuyi implement {id} --note T [--spent YUAN]"
                ),
            },
            posted("resolution"),
        ],
        Stage::ResultPublished => vec![posted("result")],
        _ => vec![],
    };
    for line in also {
        if !s.is_empty() {
            s.push('\n');
        }
        s += &match lang {
            Lang::Zh => format!("  另：{line}。"),
            Lang::En => format!("  also: {line}."),
        };
    }
    s
}

/// A revision recorded: where the matter went back to, and what it passes again.
pub fn revised(lang: Lang, id: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "已退回：事项 {id} 回到「提议」阶段（已提议、待重新商议）：方案要重新商议，再经审议，并重新征求各户意见（新一轮民议）。"
        ),
        Lang::En => format!(
            "sent back to discussion: matter {id}'s plan is discussed again, then reviewed, and the households are consulted again (a new round)."
        ),
    }
}

/// A consent recorded for a household (or person) that had one in this round: the new one
/// stands in its place.
pub fn consent_replaced(
    lang: Lang,
    key: &str,
    date: chrono::NaiveDate,
    opinion: crate::rules::event::Opinion,
    signer: &str,
) -> String {
    use crate::rules::event::Opinion;
    match lang {
        Lang::Zh => {
            let o = match opinion {
                Opinion::Consent => "同意",
                Opinion::Object => "反对",
            };
            format!("{key} 在本轮已有记录（{date}，{o}，签字人 {signer}），现以本次登记为准。")
        }
        Lang::En => {
            let o = match opinion {
                Opinion::Consent => "consent",
                Opinion::Object => "objection",
            };
            format!(
                "{key} already had a record in this round ({date}, {o}, signed by {signer}); this one now stands in its place."
            )
        }
    }
}

/// `publish` without `-o`: the notice is in the record; how to print it.
pub fn notice_not_written(lang: Lang, id: &str, kind: crate::cli::NoticeArg) -> String {
    let k = match kind {
        crate::cli::NoticeArg::Resolution => "resolution",
        crate::cli::NoticeArg::Result => "result",
    };
    match lang {
        Lang::Zh => format!(
            "未指定 -o，公告 PDF 未写出；它已随记录保存，打印：liuyi notice {id} {k} -o 公告.pdf"
        ),
        Lang::En => format!(
            "no -o given, so no PDF was written; the notice is kept with the record. To print it: liuyi notice {id} {k} -o notice.pdf"
        ),
    }
}

/// An objection recorded: its number, which its reply names.
pub fn objection_recorded(lang: Lang, id: &str, n: u32) -> String {
    match lang {
        Lang::Zh => format!(
            "已登记事项 {id} 的第 {n} 条异议。答复后请记录：liuyi objection {id} reply {n} --text 答复内容"
        ),
        Lang::En => format!(
            "objection {n} to matter {id} recorded. Once answered, record the reply: liuyi objection {id} reply {n} --text REPLY"
        ),
    }
}

/// `consult attach` without `--pages`.
pub fn scan_taken_as_page_one(lang: Lang) -> String {
    lang.pick(
        "提示：没有用 --pages 注明页码，这份扫描件按签字表第 1 页登记。扫描件有多页时，请用 --pages 起页-止页 再登记一次（例如 --pages 1-19），否则其余各页的签字不算留痕。",
        "note: no --pages given, so this scan is recorded as page 1 of the signature sheet. If it holds several pages, attach it again with --pages FIRST-LAST (e.g. --pages 1-19); otherwise the signatures on the other pages have no evidence.",
    )
    .to_string()
}

pub fn motion_recorded(lang: Lang, id: &str, size: u64) -> String {
    match lang {
        Lang::Zh => format!(
            "已登记动议 {id}（记录共 {size} 条，已签名）。下一步：{}",
            super::rules::action_command_in(crate::rules::Action::Propose, id, lang)
        ),
        Lang::En => format!(
            "motion {id} recorded ({size} entries, signed). Next: {}",
            super::rules::action_command(crate::rules::Action::Propose, id)
        ),
    }
}

pub fn notice_written(lang: Lang, path: &Path, len: usize) -> String {
    match lang {
        Lang::Zh => format!(
            "公告已生成：{}（{} KB）",
            path.display(),
            len.div_ceil(1024)
        ),
        Lang::En => format!(
            "notice written: {} ({} KB)",
            path.display(),
            len.div_ceil(1024)
        ),
    }
}

/// A re-print given `--font` of a notice that the bundled font made.
pub fn reprinted_in_bundled_font(lang: Lang) -> String {
    lang.pick(
        "提示：这份公告当初用程序自带字体生成，输出的是与存档逐字节相同的原样；--font 未使用。",
        "note: this notice was made with the bundled font; what was written is byte-identical to the recorded copy, and --font was not used.",
    )
    .to_string()
}

pub fn notice_stored_copy(lang: Lang, path: &Path, made_by: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "公告已按存档原样输出：{}（该公告由另一版本生成：{made_by}）",
            path.display()
        ),
        Lang::En => format!(
            "notice written from the recorded copy: {} (it was made by another version: {made_by})",
            path.display()
        ),
    }
}

pub fn form_written(lang: Lang, path: &Path, len: usize) -> String {
    match lang {
        Lang::Zh => format!(
            "表格已生成：{}（{} KB）",
            path.display(),
            len.div_ceil(1024)
        ),
        Lang::En => format!(
            "form written: {} ({} KB)",
            path.display(),
            len.div_ceil(1024)
        ),
    }
}

pub fn consult_tally(lang: Lang, id: &str, t: &RoundTally) -> String {
    let (u, units) = super::rules::consultation_unit(t.adults, lang);
    match lang {
        Lang::Zh => format!(
            "事项 {id} 民议：范围内 {} {u}，已签字同意 {} {u}，反对 {} {u}，未签 {} {u}，缺留痕 {} {u}。",
            t.in_scope,
            t.consented,
            t.objected.len(),
            t.missing.len(),
            t.no_evidence.len()
        ),
        Lang::En => format!(
            "matter {id} consultation: {} {units} in scope, {} signed consent, {} objecting, {} not yet signed, {} without evidence.",
            t.in_scope,
            t.consented,
            t.objected.len(),
            t.missing.len(),
            t.no_evidence.len()
        ),
    }
}

/// `n` households in scope, or `n` adults when 民议 counts adults; `consent` is the share
/// the policy in force requires.
pub fn consult_opened(
    lang: Lang,
    id: &str,
    round: u32,
    n: usize,
    adults: bool,
    consent: crate::rules::Threshold,
    date: NaiveDate,
) -> String {
    let share = super::rules::threshold_words(consent, lang);
    let must = match (lang, consent == crate::rules::Threshold::ALL) {
        (Lang::Zh, _) => format!("须{share}签字同意"),
        (Lang::En, true) => "every one must sign consent".to_string(),
        (Lang::En, false) => format!("{share} of them must sign consent"),
    };
    match (lang, adults) {
        (Lang::Zh, false) => format!(
            "事项 {id} 第 {round} 轮民议已于 {date} 开始：按当日花名册，范围内共 {n} 户，{must}。\n打印签字表：liuyi form {id} consultation -o 签字表.pdf"
        ),
        (Lang::Zh, true) => format!(
            "事项 {id} 第 {round} 轮民议已于 {date} 开始，按本村规则逐人征求意见：按当日花名册，范围内共 {n} 名成年村民，{must}。登记时写 户号:姓名。\n打印签字表：liuyi form {id} consultation -o 签字表.pdf"
        ),
        (Lang::En, false) => format!(
            "consultation round {round} of {id} opened on {date}: {n} households in scope from that day's roster; {must}.\nPrint the signature sheet: liuyi form {id} consultation -o sheet.pdf"
        ),
        (Lang::En, true) => format!(
            "consultation round {round} of {id} opened on {date}, asking each adult as the village's rules say: {n} adults in scope from that day's roster; {must}. Record each as HOUSEHOLD:NAME.\nPrint the signature sheet: liuyi form {id} consultation -o sheet.pdf"
        ),
    }
}

/// `n` opinions imported in one command: of households, or of adults (`adults`: 民议 counts
/// adults).
pub fn consents_imported(lang: Lang, n: usize, adults: bool) -> String {
    match (lang, adults) {
        (Lang::Zh, false) => format!("已导入 {n} 户意见（一次签名）。"),
        (Lang::Zh, true) => format!("已导入 {n} 人的意见（一次签名）。"),
        (Lang::En, false) => format!("{n} household opinions imported (one signature)."),
        (Lang::En, true) => format!("{n} adults' opinions imported (one signature)."),
    }
}

/// `consult ID import`: rows that changed what a household (or adult) had said earlier in
/// the round: (key, before, now). The import's record now stands.
pub fn consents_changed(
    lang: Lang,
    changed: &[(
        String,
        crate::rules::event::Opinion,
        crate::rules::event::Opinion,
    )],
    adults: bool,
) -> String {
    use crate::rules::event::Opinion;
    let (u, _) = super::rules::consultation_unit(adults, lang);
    let word = |o: &Opinion| match (o, lang) {
        (Opinion::Consent, Lang::Zh) => "同意",
        (Opinion::Object, Lang::Zh) => "反对",
        (Opinion::Consent, Lang::En) => "consent",
        (Opinion::Object, Lang::En) => "objection",
    };
    let items: Vec<String> = changed
        .iter()
        .map(|(k, a, b)| match lang {
            Lang::Zh => format!("{k}（{}→{}）", word(a), word(b)),
            Lang::En => format!("{k} ({} → {})", word(a), word(b)),
        })
        .collect();
    match lang {
        Lang::Zh => format!(
            "其中 {} {u}改变了本轮原登记的意见，以本次导入为准：{}。",
            changed.len(),
            super::rules::households_upto(&items, 10, lang)
        ),
        Lang::En => format!(
            "{} of them changed the opinion recorded earlier in this round; the import now stands: {}.",
            changed.len(),
            super::rules::households_upto(&items, 10, lang)
        ),
    }
}

/// `consult ID import`: `n` rows left out as already recorded exactly so; `alone` when no
/// other row was imported (nothing was recorded).
/// `consult ID record` of what the round already holds for `key`, exactly.
/// `check --json`'s problem for a file of a schema version above this liuyi's.
pub fn too_new_problem(lang: Lang, version: i32) -> String {
    lang.pick(
        format!("记录库由更新版本的六议建立（格式版本 {version}，本程序最高 {}）：请升级本程序后再核查。如果本村从未用过更新的版本，说明文件头被其他工具改过：请勿继续录入，并联系乡镇。", crate::store::SCHEMA_VERSION),
        format!("the database was made by a newer liuyi (format version {version}; this one reads up to {}): upgrade this program and check again. If no newer liuyi was ever used on it, its header was changed with another tool: stop recording and contact the township.", crate::store::SCHEMA_VERSION),
    )
}

pub fn consent_already_recorded(lang: Lang, key: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "{} 的意见已照样录入过，未重复记录；记录库没有改动。",
            super::rules::who(key, lang)
        ),
        Lang::En => format!(
            "{} is recorded exactly so already: nothing was recorded again, and the record is unchanged.",
            super::rules::who(key, lang)
        ),
    }
}

pub fn consents_already_recorded(lang: Lang, n: usize, alone: bool, adults: bool) -> String {
    let (u, _) = super::rules::consultation_unit(adults, lang);
    let of = if adults { "adults'" } else { "household" };
    match (lang, alone) {
        (Lang::Zh, false) => format!("另有 {n} {u}的意见与已录入的完全相同，未重复记录。"),
        (Lang::Zh, true) => {
            format!("文件中 {n} {u}的意见都已照样录入过，未重复记录；记录库没有改动。")
        }
        (Lang::En, false) => format!(
            "{n} more {of} opinions were already recorded exactly so, and were not recorded again."
        ),
        (Lang::En, true) => format!(
            "All {n} {of} opinions in the file were already recorded exactly so: nothing was recorded again, and the record is unchanged."
        ),
    }
}

/// Sorted page numbers as runs of consecutive pages: 3 4 5 9 → (3, 5), (9, 9).
fn page_ranges(pages: &[u32]) -> Vec<(u32, u32)> {
    let mut sorted = pages.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for p in sorted {
        match runs.last_mut() {
            Some((_, b)) if p == *b + 1 => *b = p,
            _ => runs.push((p, p)),
        }
    }
    runs
}

/// `consult ID status`: round `r` of a matter now at `stage`: the round's numbers and
/// lists, and, at 民议, whether the matter may now be resolved under the village's `policy`.
pub fn consult_status(
    lang: Lang,
    id: &str,
    r: &Round,
    stage: Stage,
    policy: &crate::rules::Policy,
) -> String {
    let t = r.tally();
    // A round the matter has moved on from (a revision sent it back to 商议, or it was
    // resolved or closed) is shown as it ended, said to be over.
    let mut s = match (lang, stage == Stage::Consultation) {
        (Lang::Zh, true) => format!("第 {} 轮（{} 开始）\n", r.round, r.opened),
        (Lang::En, true) => format!("round {} (opened {})\n", r.round, r.opened),
        (Lang::Zh, false) => format!(
            "第 {} 轮（{} 开始，已结束；事项现处于「{}」阶段），结束时：\n",
            r.round,
            r.opened,
            super::rules::stage_name(stage, lang)
        ),
        (Lang::En, false) => format!(
            "round {} (opened {}, over: the matter is now at the {} stage), as it ended:\n",
            r.round,
            r.opened,
            super::rules::stage_name(stage, lang)
        ),
    };
    s += &consult_tally(lang, id, &t);
    // Early in a large village's consultation every household is still listed: the first
    // hundred are named, and where the rest are (`--json`, the signature sheet).
    const SHOWN: usize = 100;
    let join = |v: &[String]| {
        let mut s = super::rules::households_upto(v, SHOWN, lang);
        if v.len() > SHOWN {
            s += &match lang {
                Lang::Zh => format!("（完整名单：liuyi consult {id} status --json）"),
                Lang::En => format!(" (the whole list: liuyi consult {id} status --json)"),
            };
        }
        s
    };
    if !t.missing.is_empty() {
        s += &format!(
            "\n{}{}",
            lang.pick("未签：", "not yet signed: "),
            join(&t.missing)
        );
    }
    if !t.objected.is_empty() {
        s += &format!(
            "\n{}{}",
            lang.pick("反对：", "objecting: "),
            join(&t.objected)
        );
    }
    if !t.no_evidence.is_empty() {
        s += &format!(
            "\n{}{}",
            lang.pick("缺留痕：", "without evidence: "),
            join(&t.no_evidence)
        );
    }
    // Consents recorded against sheet pages no scan covers yet: which pages, and the
    // command that attaches them (`--json` has them as `uncovered_pages`).
    if let Some(first) = page_ranges(&t.uncovered_pages).first() {
        let run = |(a, b): &(u32, u32)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        };
        let pages: Vec<String> = page_ranges(&t.uncovered_pages).iter().map(run).collect();
        let first = run(first);
        // The command only while a scan can still be attached (at 民议).
        s += &match (lang, stage == Stage::Consultation) {
            (Lang::Zh, true) => format!(
                "\n签字表第 {} 页尚无扫描件：liuyi consult {id} attach 扫描件 --pages {first}",
                pages.join("、")
            ),
            (Lang::Zh, false) => format!("\n签字表第 {} 页没有扫描件。", pages.join("、")),
            (Lang::En, true) => format!(
                "\nsignature sheet pages without a scan: {}: liuyi consult {id} attach FILE --pages {first}",
                pages.join(", ")
            ),
            (Lang::En, false) => format!(
                "\nsignature sheet pages without a scan: {}.",
                pages.join(", ")
            ),
        };
    }
    for (h, reason) in &r.left {
        s += &match lang {
            Lang::Zh => format!("\n已退出范围：{h}（{reason}）"),
            Lang::En => format!("\nleft scope: {h} ({reason})"),
        };
    }
    let (_, units) = super::rules::consultation_unit(t.adults, lang);
    if stage == Stage::Consultation && t.consented < t.in_scope && policy.consultation_passes(&t) {
        // The village's policy asks for less than every one (SPEC §3).
        let share = super::rules::threshold_words(policy.consultation_consent, lang);
        s += &match lang {
            Lang::Zh => format!(
                "\n已有 {} / {} {units}签字同意，达到本村规则要求的{share}，可以决议；未签的仍可继续签字。",
                t.consented, t.in_scope
            ),
            Lang::En => format!(
                "\n{} of {} {units} in scope have signed consent, {share} as the village's rules ask: the matter can be resolved (the others may still sign).",
                t.consented, t.in_scope
            ),
        };
    } else if t.in_scope > 0 && t.consented == t.in_scope {
        s += &match (stage, lang) {
            (Stage::Consultation, Lang::Zh) => "\n已全部签字同意，可以决议。".to_string(),
            (Stage::Consultation, Lang::En) => {
                format!("\nall {units} in scope have signed consent: the matter can be resolved.")
            }
            // The round is over: the matter has moved on (or closed) since.
            (_, Lang::Zh) => format!(
                "\n已全部签字同意。事项现处于「{}」阶段。",
                super::rules::stage_name(stage, lang)
            ),
            (_, Lang::En) => format!(
                "\nall {units} in scope signed consent. The matter is now at the {} stage.",
                super::rules::stage_name(stage, lang)
            ),
        };
    }
    s
}

fn str_of<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(|x| x.as_str()).unwrap_or("")
}

fn stage_of(v: &Value) -> Option<Stage> {
    Stage::parse(str_of(v, "stage"))
}

pub fn show_matter(lang: Lang, v: &Value) -> String {
    let stage = stage_of(v)
        .map(|s| super::rules::stage_name(s, lang))
        .unwrap_or("");
    let mut s = match lang {
        Lang::Zh => format!(
            "事项 {}：{}\n类别：{}　阶段：{}\n",
            str_of(v, "id"),
            str_of(v, "title"),
            str_of(v, "category_label"),
            stage
        ),
        Lang::En => format!(
            "matter {}: {}\ncategory: {}  stage: {}\n",
            str_of(v, "id"),
            str_of(v, "title"),
            str_of(v, "category"),
            stage
        ),
    };
    // The budget 商议 adopted; before one did (or when none did), the matter's figure is
    // the villagers' estimate in their motion, and is called so.
    let adopted = v
        .get("stages")
        .and_then(|x| x.as_array())
        .into_iter()
        .flatten()
        .any(|st| st["stage"] == "discussion" && st.get("budget").is_some());
    if let Some(b) = v.get("budget_fen").and_then(|b| b.as_i64()) {
        let label = match adopted {
            true => lang.pick("预算：¥", "budget: ¥"),
            false => lang.pick(
                "估算金额（动议，商议未定预算）：¥",
                "estimate (the motion's; no budget adopted at 商议): ¥",
            ),
        };
        s += &format!("{label}{}\n", yuan(b));
    }
    for st in v
        .get("stages")
        .and_then(|x| x.as_array())
        .into_iter()
        .flatten()
    {
        let name = stage_of(st)
            .map(|x| super::rules::stage_name(x, lang))
            .unwrap_or("");
        let ty = str_of(st, "type");
        let mut line = format!(
            "  {} {}",
            str_of(st, "date"),
            match ty {
                "revise" => lang.pick("退回商议", "sent back to discussion"),
                "complete" if st.get("corrects").is_some() => {
                    lang.pick("竣工验收（更正）", "completion (corrected)")
                }
                // A proof of posting is no stage of its own: named as what it proves.
                "publish.posted" => match str_of(st, "kind") {
                    "result" => lang.pick("实施结果公告张贴凭证", "result notice posted (proof)"),
                    _ => lang.pick("决议公告张贴凭证", "resolution notice posted (proof)"),
                },
                _ => name,
            }
        );
        if let (Some(e), Some(p)) = (
            st.get("expected").and_then(|x| x.as_u64()),
            st.get("present").and_then(|x| x.as_u64()),
        ) {
            line += &match lang {
                Lang::Zh => format!("　应到 {e} 实到 {p}"),
                Lang::En => format!("  expected {e}, present {p}"),
            };
        }
        if let Some(f) = st.get("for").and_then(|x| x.as_u64()) {
            let a = st.get("against").and_then(|x| x.as_u64()).unwrap_or(0);
            let b = st.get("abstain").and_then(|x| x.as_u64()).unwrap_or(0);
            line += &match lang {
                Lang::Zh => format!("　同意 {f} 反对 {a} 弃权 {b}"),
                Lang::En => format!("  for {f}, against {a}, abstain {b}"),
            };
        }
        if str_of(st, "decision") == "decline" {
            line += lang.pick("　（否决）", " (declined)");
        }
        for k in ["reason", "correction", "note", "place"] {
            if !str_of(st, k).is_empty() {
                line += &format!("{}{}", lang.pick("　", "  "), str_of(st, k));
            }
        }
        s += &line;
        s.push('\n');
    }
    if let Some(c) = v.get("consultation").filter(|c| c.get("round").is_some()) {
        let (u, _) = super::rules::consultation_unit(counts_adults(c), lang);
        s += &match lang {
            Lang::Zh => format!(
                "民议（第 {} 轮）：范围内 {} {u}，已签字同意 {} {u}，反对 {} {u}\n",
                c["round"], c["in_scope"], c["consented"], c["objected"]
            ),
            Lang::En => format!(
                "consultation (round {}): {} in scope, {} consented, {} objecting\n",
                c["round"], c["in_scope"], c["consented"], c["objected"]
            ),
        };
    }
    for o in v
        .get("objections")
        .and_then(|x| x.as_array())
        .into_iter()
        .flatten()
    {
        s += &match lang {
            Lang::Zh => format!(
                "异议 {}（{}，{}）：{}\n",
                o["n"],
                str_of(o, "date"),
                str_of(o, "from"),
                str_of(o, "text")
            ),
            Lang::En => format!(
                "objection {} ({}, {}): {}\n",
                o["n"],
                str_of(o, "date"),
                str_of(o, "from"),
                str_of(o, "text")
            ),
        };
        if let Some(r) = o.get("reply").filter(|r| !r.is_null()) {
            s += &format!(
                "  {}{}\n",
                lang.pick("答复：", "reply: "),
                str_of(r, "text")
            );
        }
    }
    // The view's next step (at 民议, as decided when it is printed), else the stage's.
    let next = v
        .get("next")
        .and_then(Value::as_str)
        .and_then(|code| {
            crate::rules::Action::ALL
                .into_iter()
                .find(|a| crate::views::action_code(*a) == code)
        })
        .or_else(|| stage_of(v).and_then(crate::rules::stage::next_action));
    // An objection owed its answer (`show` sets the next step so): the reply to the first.
    let owed = v
        .get("objections")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|o| o["reply"].is_null()))
        .and_then(|o| o["n"].as_u64());
    match (next, owed) {
        (Some(Action::Reply), Some(n)) => {
            s += &format!(
                "{}{}",
                lang.pick("下一步：", "next: "),
                super::rules::reply_command(str_of(v, "id"), n, lang)
            );
        }
        (Some(next), _) => {
            s += &format!(
                "{}{}",
                lang.pick("下一步：", "next: "),
                super::rules::action_command_in(next, str_of(v, "id"), lang)
            );
        }
        (None, _) => {}
    }
    s.trim_end().to_string()
}

pub fn list_matters(lang: Lang, rows: &[MatterRow]) -> String {
    if rows.is_empty() {
        return lang
            .pick(
                "还没有任何事项。登记动议：liuyi motion --title 标题 --text 内容 --by 姓名",
                "no matters yet. Record a motion: liuyi motion --title T --text T --by NAME",
            )
            .to_string();
    }
    let mut s = String::new();
    for r in rows {
        let stage = Stage::parse(&r.stage)
            .map(|x| super::rules::stage_name(x, lang))
            .unwrap_or("");
        s += &format!("{}\t{}\t{}\n", r.id, stage, r.title);
    }
    s.trim_end().to_string()
}

/// Whether a round's JSON (`crate::views::round_json`) counts adults.
fn counts_adults(round: &Value) -> bool {
    round.get("unit").and_then(Value::as_str) == Some("adults")
}

/// A status item's next command with the placeholders in `lang` (its `next_command` has
/// the English ones of JSON).
fn next_command_in(i: &Value, lang: Lang) -> String {
    let id = str_of(i, "id");
    let code = i["next"].as_str().unwrap_or_default();
    if code == crate::views::action_code(Action::Reply)
        && let Some(n) = i["unanswered_objections"]
            .as_array()
            .and_then(|a| a.first())
            .and_then(Value::as_u64)
    {
        return super::rules::reply_command(id, n, lang);
    }
    match Action::ALL
        .into_iter()
        .find(|a| crate::views::action_code(*a) == code)
    {
        Some(a) => super::rules::action_command_in(a, id, lang),
        None => str_of(i, "next_command").to_string(),
    }
}

pub fn status_text(lang: Lang, items: &[Value]) -> String {
    // Open matters, and closed ones that still owe an objection its answer.
    let open: Vec<&Value> = items
        .iter()
        .filter(|i| i["closed"] != Value::Bool(true) || !i["next"].is_null())
        .collect();
    if open.is_empty() {
        return lang.pick("没有待办事项。", "nothing pending.").to_string();
    }
    let mut s = String::new();
    for i in open {
        let stage = stage_of(i)
            .map(|x| super::rules::stage_name(x, lang))
            .unwrap_or("");
        // While 民议 still lacks consents or their evidence, the next thing to do is to go
        // on collecting them; `resolve` comes after.
        // The village's policy decides (`passes`; a share below 100 % may be met with an
        // objection standing); without it, every one in scope must have consented.
        let passes = i.get("consultation").is_some_and(|c| {
            c["passes"]
                .as_bool()
                .unwrap_or(c["complete"] == Value::Bool(true))
        });
        let collecting = i.get("consultation").is_some() && !passes;
        let objecting = i
            .get("consultation")
            .filter(|_| !passes)
            .and_then(|c| c["objected"].as_u64())
            .filter(|n| *n > 0);
        let unit = i
            .get("consultation")
            .map(|c| super::rules::consultation_unit(counts_adults(c), lang));
        let next = match (objecting, collecting, lang) {
            // An objection holds the resolution back whatever else comes in.
            (Some(n), _, Lang::Zh) => format!(
                "有 {n} {}反对：可用 liuyi revise {} --reason 理由 退回商议修改方案；如其改变意见，重新登记其意见（liuyi consult {} status 查看是谁）",
                unit.map(|u| u.0).unwrap_or("户"),
                str_of(i, "id"),
                str_of(i, "id"),
            ),
            (Some(n), _, Lang::En) => format!(
                "{n} {} {}: send the plan back to discussion with liuyi revise {} --reason REASON, or record a changed opinion (liuyi consult {} status shows who)",
                unit.map(|u| if n == 1 { u.0 } else { u.1 })
                    .unwrap_or("households"),
                if n == 1 { "objects" } else { "object" },
                str_of(i, "id"),
                str_of(i, "id"),
            ),
            (None, true, Lang::Zh) => format!(
                "继续征求民议意见（liuyi consult {} status 查看尚缺的{}和签字表页），达到要求后：{}",
                str_of(i, "id"),
                i.get("consultation")
                    .map(|c| super::rules::consultation_unit(counts_adults(c), lang).0)
                    .unwrap_or("户"),
                super::rules::action_command_in(Action::Resolve, str_of(i, "id"), lang)
            ),
            (None, true, Lang::En) => format!(
                "go on collecting consents (liuyi consult {} status lists who and which sheet pages are missing); once enough have: {}",
                str_of(i, "id"),
                super::rules::action_command_in(Action::Resolve, str_of(i, "id"), lang)
            ),
            (None, false, _) => next_command_in(i, lang),
        };
        s += &match lang {
            Lang::Zh => format!(
                "{} {}（{}，自 {}）\n  下一步：{next}\n",
                str_of(i, "id"),
                str_of(i, "title"),
                stage,
                str_of(i, "since"),
            ),
            Lang::En => format!(
                "{} {} ({}, since {})\n  next: {next}\n",
                str_of(i, "id"),
                str_of(i, "title"),
                stage,
                str_of(i, "since"),
            ),
        };
        if let Some(c) = i.get("consultation") {
            let (u, units) = super::rules::consultation_unit(counts_adults(c), lang);
            s += &match lang {
                Lang::Zh => format!(
                    "  民议：{}/{} {u}已签字同意\n",
                    c["consented"], c["in_scope"]
                ),
                Lang::En => format!(
                    "  consultation: {}/{} {units} signed consent\n",
                    c["consented"], c["in_scope"]
                ),
            };
        }
        if let Some(a) = i
            .get("unanswered_objections")
            .and_then(|a| a.as_array())
            .filter(|a| !a.is_empty())
        {
            let ns: Vec<String> = a.iter().map(|n| n.to_string()).collect();
            s += &match lang {
                Lang::Zh => format!("  未答复异议：第 {} 条\n", ns.join("、")),
                Lang::En => format!("  unanswered objections: {}\n", ns.join(", ")),
            };
        }
    }
    s.trim_end().to_string()
}

pub fn policy_unchanged(lang: Lang) -> String {
    lang.pick(
        "新规则与现行规则相同，未作记录。",
        "the new policy is the same as the one in force; nothing recorded.",
    )
    .to_string()
}

/// The policy in force, one rule a line.
pub fn policy_text(lang: Lang, p: &crate::rules::Policy) -> String {
    use super::rules::threshold_words as t;
    let land: Vec<&str> = p
        .land_categories
        .iter()
        .map(|c| {
            if lang == Lang::Zh {
                c.label_zh()
            } else {
                c.as_str()
            }
        })
        .collect();
    let adults = p.consultation_unit == crate::rules::policy::ConsultationUnit::Adults;
    let (unit, units) = super::rules::consultation_unit(adults, lang);
    let unit = if adults { "成年村民" } else { unit };
    match lang {
        Lang::Zh => format!(
            "提议（支委会）：{}到会
商议（两委联席会）：{}到会
审议（党员大会）：{}有表决权党员到会，同意票须达应到人数的{}
决议（村民代表会议）：组成人员{}到会
决议（村民会议）：成年村民{}到会，或{}户的代表到会
决议通过：实到的{}同意
土地及集体资产事项（{}）：全体组成人员{}同意
民议：范围内{}{unit}签字同意
公示期：至少 {} 天{}",
            t(p.proposal_quorum, lang),
            t(p.discussion_quorum, lang),
            t(p.review_quorum, lang),
            t(p.review_pass, lang),
            t(p.representatives_quorum, lang),
            t(p.villagers_quorum_adults, lang),
            t(p.villagers_quorum_households, lang),
            t(p.resolution_pass, lang),
            land.join("、"),
            t(p.land_pass, lang),
            t(p.consultation_consent, lang),
            p.min_posting_days,
            // A policy an earlier liuyi let be laxer than the law: publish takes the law's.
            if p.min_posting_days < crate::rules::policy::LAW_MIN_POSTING_DAYS {
                "（低于法定的 15 天：公开时按 15 天）"
            } else {
                ""
            }
        ),
        Lang::En => format!(
            "proposal (branch committee): {} present
discussion (two committees): {} present
review (party members): {} of voting members present; votes for must be {} of those expected
resolution (representatives): {} of members present
resolution (villagers): {} of adults, or {} of households, present
resolution passes: {} of those present for
land and collective assets ({}): {} of all members for
consultation: {} {units} in scope sign consent
posting: at least {} days{}",
            t(p.proposal_quorum, lang),
            t(p.discussion_quorum, lang),
            t(p.review_quorum, lang),
            t(p.review_pass, lang),
            t(p.representatives_quorum, lang),
            t(p.villagers_quorum_adults, lang),
            t(p.villagers_quorum_households, lang),
            t(p.resolution_pass, lang),
            land.join(", "),
            t(p.land_pass, lang),
            t(p.consultation_consent, lang),
            p.min_posting_days,
            if p.min_posting_days < crate::rules::policy::LAW_MIN_POSTING_DAYS {
                " (below the law's 15 days: publish takes 15)"
            } else {
                ""
            }
        ),
    }
}

pub fn check_ok(lang: Lang, entries: u64) -> String {
    match lang {
        Lang::Zh => {
            format!("校验通过：共 {entries} 条记录，哈希链、签名、附件与数据库完整性均无问题。")
        }
        Lang::En => format!(
            "check passed: {entries} entries; chain, signatures, attachments and database integrity are all in order."
        ),
    }
}

/// A lost-key rotation countersigned by a key that is not the township's the record knows
/// (`check`, E-KEY-AUTHORITY): which key did, which the record expects, what to do.
pub fn rotation_authority(
    lang: Lang,
    found: &str,
    expected: &crate::check::TownshipExpected,
) -> String {
    let known = township_expected(lang, expected);
    match lang {
        Lang::Zh => format!(
            "遗失密钥的更换由密钥（指纹 {found}）副署，但{known}：副署者不是本村的乡镇，这是用自己的密钥冒充乡镇接管本村记录。请勿继续录入，并联系本村所属乡镇核查"
        ),
        Lang::En => format!(
            "the lost-key rotation is countersigned by the key with fingerprint {found}, but {known}: the countersigner is not this village's township, and the rotation is a takeover with a key of someone's own. Stop recording and contact the village's own township"
        ),
    }
}

/// What the record knows of its township key, as a clause: "the record's lost-key rotation
/// at entry N was countersigned by …" / "the checkpoint cosigned at size N carries no …".
pub fn township_expected(lang: Lang, expected: &crate::check::TownshipExpected) -> String {
    use crate::check::TownshipExpected as T;
    match (expected, lang) {
        (T::Pinned { fingerprint, size }, Lang::Zh) => {
            format!("本记录在导入第 {size} 条的乡镇副署检查点时认定的乡镇密钥是指纹 {fingerprint}")
        }
        (T::Pinned { fingerprint, size }, Lang::En) => format!(
            "the township key this record pinned when it imported the checkpoint cosigned at size {size} has fingerprint {fingerprint}"
        ),
        (T::Rotation { fingerprint, idx }, Lang::Zh) => {
            format!("本记录第 {idx} 条的遗失密钥更换由乡镇密钥（指纹 {fingerprint}）副署")
        }
        (T::Rotation { fingerprint, idx }, Lang::En) => format!(
            "the record's lost-key rotation at entry {idx} was countersigned by the township key (fingerprint {fingerprint})"
        ),
        (T::Cosigned { size, names }, Lang::Zh) => format!(
            "本记录保存的乡镇副署检查点（第 {size} 条，副署者 {}）没有这个密钥的有效副署",
            names.join("、")
        ),
        (T::Cosigned { size, names }, Lang::En) => format!(
            "the township-cosigned checkpoint the record holds (size {size}, cosigned by {}) carries no valid cosignature by that key",
            names.join(", ")
        ),
    }
}

/// One integrity problem in words.
pub fn problem(lang: Lang, p: &Problem) -> String {
    format!(
        "{}{}",
        super::placed(lang, &p.location, p.code),
        problem_text(lang, &p.kind)
    )
}

/// What a problem of `check` (or of the log in a bundle) is, without its place.
pub fn problem_text(lang: Lang, kind: &ProblemKind) -> String {
    match (kind, lang) {
        (ProblemKind::KeyFileLost { file, current }, Lang::Zh) => format!("密钥文件（指纹 {file}）是这份记录声称已丢失、经乡镇加签换掉的密钥（记录现用密钥指纹 {current}）：持有它的人并没有交出它，换钥可能是别人冒用乡镇加签做的。请立即联系乡镇，核对换钥的加签是否出自本乡镇"),
        (ProblemKind::KeyFileLost { file, current }, Lang::En) => format!("the key file (fingerprint {file}) is a key this record says was lost and replaced with a township countersignature (the key in force: {current}): whoever holds it never handed it over, and the replacement may have been made with a countersignature not the township's. Contact the township at once to check that it countersigned the replacement"),
        (ProblemKind::EntryInFuture { now, all: true, .. }, Lang::Zh) => format!("这份记录的每一条都晚于本机当前时间 {}：多半是本机时钟慢了（例如主板电池没电，日期回到了出厂时）。请先把本机日期和时间校正，再运行 liuyi check", super::bundle::china_time(now)),
        (ProblemKind::EntryInFuture { now, all: true, .. }, Lang::En) => format!("every entry of this record is later than this computer's clock ({}): most likely the clock here is behind (a flat motherboard battery resets the date). Set this computer's date and time, then run liuyi check again", super::bundle::china_time(now)),
        (ProblemKind::EntryInFuture { time, now, .. }, lang) => super::bundle::entry_in_future(time, now, true, lang),
        (ProblemKind::KeyFileLater { file, current }, Lang::Zh) => format!("密钥文件（指纹 {file}）是本村的密钥（记录标识相同），但这份记录从未用它签过名（记录现用密钥指纹 {current}）：多半是换钥之后拿了换钥之前的旧记录库（备份或旧副本）。请改用换钥后一直在用的那份记录库；如这就是最新的，这份记录库不可信（被回退，或被人用别的密钥重新签名过），请停止录入并联系乡镇"),
        (ProblemKind::KeyFileLater { file, current }, Lang::En) => format!("the key file (fingerprint {file}) is this village's (the same origin), but this record was never signed with it (the key in force here: {current}): most likely this is a copy of the record from before a change of key (a backup or an older copy). Use the record kept since the change; if this is it, the record cannot be trusted (rolled back, or re-signed with another key): stop recording and contact the township"),
        (ProblemKind::KeyFileOtherRecord { file, current, named }, Lang::Zh) => format!("密钥文件（指纹 {file}）是另一份记录（记录标识 {named}）的密钥，不是这份记录的（记录现用密钥指纹 {current}）：多半是拿错了别村的密钥文件。请用本村的密钥文件（--key）再检查"),
        (ProblemKind::KeyFileOtherRecord { file, current, named }, Lang::En) => format!("the key file (fingerprint {file}) is the key of another record ({named}), not of this one (the key in force: {current}): most likely another village's key file given by mistake. Check again with this village's key file (--key)"),
        (ProblemKind::KeyFileForeign { file, current }, Lang::Zh) => format!("密钥文件（指纹 {file}）不是这份记录曾用过的任何签名密钥（记录现用密钥指纹 {current}）：要么记录被人用别的密钥重新签名过，要么这是别村的密钥文件。请用本村的密钥文件（--key）再检查；如确为本村密钥，这份数据库不可信，请从备份或乡镇会签过的审计包核对"),
        (ProblemKind::KeyFileForeign { file, current }, Lang::En) => format!("the key file (fingerprint {file}) is none of the keys this record was ever signed with (the key in force: {current}): either the record was re-signed with another key, or the file is another village's. Check again with the village's key file (--key); if it is the village's, the database cannot be trusted: compare it with a backup or a bundle the township cosigned"),
        (ProblemKind::Sqlite(m), Lang::Zh) => format!("数据库文件损坏：{m}"),
        (ProblemKind::Sqlite(m), Lang::En) => format!("the database file is damaged: {m}"),
        (ProblemKind::TriggersMissing { found, expected, extra }, Lang::Zh) if extra.is_empty() => format!("数据库的防改写触发器被删除（现有 {found} 个，应有 {expected} 个）：有人用其他工具修改过数据库"),
        (ProblemKind::TriggersMissing { found, expected, extra }, Lang::Zh) => format!("数据库的触发器被改动（应有的 {expected} 个中现有 {found} 个，另有不属于本程序的 {}）：有人用其他工具修改过数据库", extra.join("、")),
        (ProblemKind::TriggersMissing { found, expected, extra }, Lang::En) if extra.is_empty() => format!("the database's append-only triggers were dropped ({found} of {expected} present): someone modified it with another tool"),
        (ProblemKind::TriggersMissing { found, expected, extra }, Lang::En) => format!("the database's triggers were changed ({found} of {expected} present, and {} that liuyi never makes): someone modified it with another tool", extra.join(", ")),
        (ProblemKind::TriggersAltered { names }, Lang::Zh) => format!("数据库的防改写触发器被改写，已不再阻止修改（{}）：有人用其他工具修改过数据库", names.join("、")),
        (ProblemKind::TriggersAltered { names }, Lang::En) => format!("the database's append-only triggers were rewritten and no longer refuse changes ({}): someone modified it with another tool", names.join(", ")),
        (ProblemKind::SchemaExtra { objects }, _) => {
            let list = objects
                .iter()
                .map(|(kind, name)| {
                    let kind = match (kind.as_str(), lang) {
                        ("table", Lang::Zh) => "表",
                        ("view", Lang::Zh) => "视图",
                        ("index", Lang::Zh) => "索引",
                        (other, _) => other,
                    };
                    format!("{kind} {name}")
                })
                .collect::<Vec<_>>();
            match lang {
                Lang::Zh => format!("数据库中有本程序从不建立的对象（{}）：有人用其他工具修改过数据库", list.join("、")),
                Lang::En => format!("the database holds objects liuyi never makes ({}): someone modified it with another tool", list.join(", ")),
            }
        }
        (ProblemKind::HeaderAltered { application_id, user_version }, Lang::Zh) => format!("文件里是六议的记录，但文件头被其他工具改过（application_id {application_id}，user_version {user_version}，应为 {} 和不大于 {} 的版本号），本程序因此不再打开它。请勿继续录入；用备份或交给乡镇的审计包恢复，并联系乡镇", crate::store::APPLICATION_ID, crate::store::SCHEMA_VERSION),
        (ProblemKind::HeaderAltered { application_id, user_version }, Lang::En) => format!("the file holds a liuyi record, but its header was changed with another tool (application_id {application_id}, user_version {user_version}; liuyi's are {} and a version up to {}), so no command opens it. Stop recording; restore it from a backup or the audit bundle given to the township, and contact the township", crate::store::APPLICATION_ID, crate::store::SCHEMA_VERSION),
        (ProblemKind::TablesAltered { names, stopped: None }, Lang::Zh) => format!("数据库的表定义被改写或删除（{}），表中的值已不受类型和取值约束：有人用其他工具修改过数据库", names.join("、")),
        (ProblemKind::TablesAltered { names, stopped: Some(m) }, Lang::Zh) => format!("数据库的表定义被改写或删除（{}），表中的值已不受类型和取值约束：有人用其他工具修改过数据库。核查在此中止（SQLite 的原话：{m}）", names.join("、")),
        (ProblemKind::TablesAltered { names, stopped: None }, Lang::En) => format!("the definitions of the database's tables were rewritten or dropped ({}), so their values are no longer held to their types: someone modified it with another tool", names.join(", ")),
        (ProblemKind::TablesAltered { names, stopped: Some(m) }, Lang::En) => format!("the definitions of the database's tables were rewritten or dropped ({}), so their values are no longer held to their types: someone modified it with another tool. The check stopped there: {m}", names.join(", ")),
        (ProblemKind::IndexGap { expected, found }, Lang::Zh) => format!("记录序号不连续：应为 {expected}，实为 {found}"),
        (ProblemKind::IndexGap { expected, found }, Lang::En) => format!("entry numbers are not consecutive: expected {expected}, found {found}"),
        (ProblemKind::LeafMismatch, Lang::Zh) => "记录内容与其哈希不符：该条记录被改动过".into(),
        (ProblemKind::LeafMismatch, Lang::En) => "the entry's bytes do not match its hash: the entry was altered".into(),
        (ProblemKind::ChainBroken, Lang::Zh) => "哈希链断裂：该条记录与前一条不衔接（有记录被改动、删除或插入）".into(),
        (ProblemKind::ChainBroken, Lang::En) => "the hash chain is broken: this entry does not follow the previous one (an entry was altered, removed or inserted)".into(),
        (ProblemKind::LinkMismatch { prev, this_altered: false }, Lang::Zh) => format!("哈希链断裂：{}的内容与本条所链接的哈希不符：它在签名后被改动过（或是本条的链接被改动）", super::amid(&super::place(lang, prev)).trim_start()),
        (ProblemKind::LinkMismatch { prev, this_altered: false }, Lang::En) => format!("the hash chain is broken: {} does not hash to what this entry links to: it was altered after it was signed (or this entry's link was)", super::place(lang, prev)),
        (ProblemKind::LinkMismatch { prev, this_altered: true }, Lang::Zh) => format!("哈希链断裂：本条不链接{}，后一条也不链接本条：本条在签名后被改动过", super::amid(&super::place(lang, prev)).trim_end()),
        (ProblemKind::LinkMismatch { prev, this_altered: true }, Lang::En) => format!("the hash chain is broken: this entry does not link to {}, and the next one does not link to it: this entry was altered after it was signed", super::place(lang, prev)),
        (ProblemKind::Altered { by, code, inner }, _) => match inner.as_ref() {
            ProblemKind::Rule(r) => altered(lang, by, code, true, &super::rules::refusal(r, lang)),
            other => altered(lang, by, code, false, &problem_text(lang, other)),
        },
        (ProblemKind::Entry(e), _) => entry_problem(lang, e),
        (ProblemKind::WrongOrigin { expected, found }, Lang::Zh) => format!("记录属于另一个村（{found}），本记录库为 {expected}"),
        (ProblemKind::WrongOrigin { expected, found }, Lang::En) => format!("the entry belongs to another village ({found}); this record is {expected}"),
        (ProblemKind::EntryIndex { expected, found }, Lang::Zh) => format!("记录自身序号为 {found}，位置为 {expected}"),
        (ProblemKind::EntryIndex { expected, found }, Lang::En) => format!("the entry says it is number {found} but sits at {expected}"),
        (ProblemKind::Rule(r), _) => format!("{}{}", lang.pick("该步骤不符合程序规则：", "this step breaks the procedure rules: "), super::rules::refusal(r, lang)),
        (ProblemKind::NoCheckpoint, Lang::Zh) => "没有任何签名检查点".into(),
        (ProblemKind::NoCheckpoint, Lang::En) => "there is no signed checkpoint".into(),
        (ProblemKind::CheckpointImpossible { size }, Lang::Zh) => format!("保存的检查点记在第 {size} 条处，任何记录都没有这个位置：检查点表被用其他工具改动过"),
        (ProblemKind::CheckpointImpossible { size }, Lang::En) => format!("a stored checkpoint is at size {size}, which no log has: the checkpoints table was changed with another tool"),
        (ProblemKind::Unsigned { signed, entries }, Lang::Zh) => format!("最后的签名检查点只覆盖 {signed} 条，记录共 {entries} 条：其后的记录未经签名"),
        (ProblemKind::Unsigned { signed, entries }, Lang::En) => format!("the last signed checkpoint covers {signed} entries but the log has {entries}: later entries are unsigned"),
        (ProblemKind::CheckpointMalformed(e), Lang::Zh) => format!("检查点格式无效：{}", crate::i18n::record::describe_note(e, lang)),
        (ProblemKind::CheckpointMalformed(e), Lang::En) => format!("malformed checkpoint: {}", crate::i18n::record::describe_note(e, lang)),
        (ProblemKind::CosignedBeyond { size, entries }, Lang::Zh) => format!("乡镇已副署到第 {size} 条记录，本记录只有 {entries} 条：记录被截短过（回滚）。请向乡镇说明，并用乡镇保存的审计包核对"),
        (ProblemKind::CosignedBeyond { size, entries }, Lang::En) => format!("the township cosigned a log of {size} entries; this log has {entries}: it was cut back (rollback). Tell the township and compare with the bundle it holds"),
        (ProblemKind::SnapshotAhead { size, entries }, Lang::Zh) if size > entries => format!("本村密钥签过的状态快照记到第 {size} 条，记录库现在只有 {entries} 条：记录被截短过（回滚）。请勿继续录入，并联系乡镇"),
        (ProblemKind::SnapshotAhead { size, .. }, Lang::Zh) => format!("本村密钥签过的状态快照与记录库第 {size} 条（最后一条）不符：记录被改写过。请勿继续录入，并联系乡镇"),
        (ProblemKind::SnapshotAhead { size, entries }, Lang::En) if size > entries => format!("the state snapshot the village key signed is of a log of {size} entries; this log has {entries}: it was cut back (rollback). Stop recording and contact the township"),
        (ProblemKind::SnapshotAhead { size, .. }, Lang::En) => format!("the state snapshot the village key signed does not end with this log's last entry (of {size}): the log was rewritten. Stop recording and contact the township"),
        (ProblemKind::CosignedNotOurs { size }, Lang::Zh) => format!("保存的乡镇副署检查点（第 {size} 条）没有本村密钥的有效签名：它不是本记录产生的，是用其他工具加入或改动的，不能作为凭据。请向乡镇说明，并用乡镇保存的审计包核对"),
        (ProblemKind::CosignedNotOurs { size }, Lang::En) => format!("the stored township-cosigned checkpoint at size {size} has no valid signature by this village's key: it was not made from this record but added or altered with another tool, and proves nothing. Tell the township and compare with the bundle it holds"),
        (ProblemKind::TownshipKeyAsVillage { fingerprint }, Lang::Zh) => format!("本村用乡镇的密钥（指纹 {fingerprint}，本记录中乡镇副署所用的密钥）签名：持有乡镇密钥的村可以为自己副署。请勿继续录入，联系乡镇：乡镇需换一把密钥，本村换用新生成的村密钥（liuyi key rotate --new-key 新文件名）"),
        (ProblemKind::TownshipKeyAsVillage { fingerprint }, Lang::En) => format!("the village signs with the township's key (fingerprint {fingerprint}, the key of the township's cosignatures in this record): a village holding it can cosign for itself. Stop recording and contact the township: it needs a new key, and the village changes to a newly made village key (liuyi key rotate --new-key NEW_FILE)"),
        (ProblemKind::RotationAuthority { found, expected }, _) => rotation_authority(lang, found, expected),
        (ProblemKind::CosignatureNotByTownship { size, fingerprint }, Lang::Zh) => format!("保存的乡镇副署检查点（第 {size} 条）没有本记录所认定的乡镇密钥（指纹 {fingerprint}）的有效副署：副署被改动过，或是别的密钥加上的，不能作为乡镇的凭据。请向乡镇说明，重新取回它副署的检查点（liuyi checkpoint import），并用乡镇保存的审计包核对"),
        (ProblemKind::CosignatureNotByTownship { size, fingerprint }, Lang::En) => format!("the stored township-cosigned checkpoint at size {size} carries no valid cosignature by the township key this record pinned (fingerprint {fingerprint}): the cosignature was altered, or added by another key, and is not the township's word. Tell the township, fetch the checkpoint it cosigned again (liuyi checkpoint import), and compare with the bundle it holds"),
        (ProblemKind::CosignedMissing { size }, Lang::Zh) => format!("本记录在导入第 {size} 条的乡镇副署检查点时认定了乡镇密钥，但这份副署检查点已不在记录库中：被用其他工具删除了。请向乡镇说明，重新取回它副署的检查点（liuyi checkpoint import），并用乡镇保存的审计包核对"),
        (ProblemKind::CosignedMissing { size }, Lang::En) => format!("the record pinned its township key when it imported the checkpoint cosigned at size {size}, but that cosigned checkpoint is no longer stored: it was removed with another tool. Tell the township, fetch the checkpoints it cosigned again (liuyi checkpoint import), and compare with the bundle it holds"),
        (ProblemKind::CosignedDiffers { size }, Lang::Zh) => format!("乡镇副署的第 {size} 条处的检查点与本记录不符：记录在副署后被改写过（分叉）。请向乡镇说明，并用乡镇保存的审计包核对"),
        (ProblemKind::CosignedDiffers { size }, Lang::En) => format!("the checkpoint the township cosigned at size {size} is not this log's: the log was rewritten after it was cosigned (fork). Tell the township and compare with the bundle it holds"),
        (ProblemKind::CheckpointRoot, Lang::Zh) => "检查点的树根与记录不符：记录在签名后被改动过".into(),
        (ProblemKind::CheckpointRoot, Lang::En) => "the checkpoint's root does not match the log: the log was changed after signing".into(),
        (ProblemKind::RootMismatch { size, after, changed, signed, later, last }, _) => root_mismatch(lang, *size, *after, changed, *signed, *later, *last),
        (ProblemKind::RootMismatchAlso { size, first }, Lang::Zh) => format!("这个检查点（覆盖 {size} 条记录）同样与现有记录不符：与 {} 是同一处改动", super::place(lang, first)),
        (ProblemKind::RootMismatchAlso { size, first }, Lang::En) => format!("this checkpoint ({size} entries) does not match the log either: the same change as {}", super::place(lang, first)),
        (ProblemKind::CheckpointSignature(e), Lang::Zh) => format!("检查点签名无效：{}", crate::i18n::record::describe_note(e, lang)),
        (ProblemKind::CheckpointSignature(e), Lang::En) => format!("bad checkpoint signature: {}", crate::i18n::record::describe_note(e, lang)),
        (ProblemKind::CheckpointNoKey, Lang::Zh) => "检查点签名无法核验：记录中没有此时有效的村密钥".into(),
        (ProblemKind::CheckpointNoKey, Lang::En) => "the checkpoint's signature cannot be checked: the log names no village key in force at its size".into(),
        (ProblemKind::CheckpointFrontier, Lang::Zh) => "检查点保存的默克尔前沿与记录不符".into(),
        (ProblemKind::CheckpointFrontier, Lang::En) => "the checkpoint's stored Merkle frontier does not match the log".into(),
        (ProblemKind::NoticeMismatch { expected, found }, Lang::Zh) => format!("按记录重新生成的公告与存档不一致：存档 {expected}，重新生成 {found}"),
        (ProblemKind::NoticeMismatch { expected, found }, Lang::En) => format!("the notice re-rendered from the record differs from the one recorded: recorded {expected}, re-rendered {found}"),
        (ProblemKind::NoticeUnproved { made_by }, Lang::Zh) => format!("该公告由本程序无法重新生成的版本或字体制作（{made_by}）；存档原样只能在村密钥证明记录后输出：请用 --key 指定本村密钥文件再试（公告若用本村自备字体制作，也可用 --font 指定制作时的字体文件）"),
        (ProblemKind::NoticeNotSigned { fingerprint }, Lang::Zh) => format!("公告与记录一致，但密钥文件的密钥（指纹 {fingerprint}）没有签署含有这份公告的记录：记录库在签名后被改动过，或这不是本村的密钥。请运行 liuyi check 核查；密钥不对时用 --key 指定本村密钥文件"),
        (ProblemKind::NoticeNotSigned { fingerprint }, Lang::En) => format!("the notice matches the record, but the key file's key (fingerprint {fingerprint}) signed no record containing it: the database was changed after it was signed, or this is not the village's key. Run liuyi check; if the key is wrong, name the village key file with --key"),
        (ProblemKind::NoticeUnproved { made_by }, Lang::En) => format!("the notice was made by templates or a font this build cannot reproduce ({made_by}); its recorded copy is printed only once the village key proves the record: try again with --key naming the village key file (or, for a notice made with the village's own font, --font naming that font file)"),
        (ProblemKind::AttachmentMissing { sha256 }, Lang::Zh) => format!("附件缺失：{sha256}"),
        (ProblemKind::AttachmentMissing { sha256 }, Lang::En) => format!("attachment missing: {sha256}"),
        (ProblemKind::AttachmentHash { sha256, found }, Lang::Zh) => format!("附件内容被改动：应为 {sha256}，实为 {found}"),
        (ProblemKind::AttachmentHash { sha256, found }, Lang::En) => format!("attachment altered: expected {sha256}, found {found}"),
        (ProblemKind::AttachmentSize { sha256, expected, found }, Lang::Zh) => format!("附件 {sha256} 大小应为 {expected}，实为 {found}"),
        (ProblemKind::AttachmentSize { sha256, expected, found }, Lang::En) => format!("attachment {sha256}: size {found}, expected {expected}"),
        (ProblemKind::AttachmentHoldsKey { sha256 }, Lang::Zh) => format!("附件 {sha256} 含有签名私钥（PRIVATE+KEY+…）：拿到记录或审计包的人都拿到了这把密钥。请立即换用新密钥（liuyi key rotate），并报告乡镇；换钥之后，这个附件里的旧密钥不再报为问题"),
        (ProblemKind::AttachmentHoldsKey { sha256 }, Lang::En) => format!("the file {sha256} holds a signing key (PRIVATE+KEY+…): whoever has the record or its bundle has the key. Replace the key at once (liuyi key rotate) and tell the township; once it is replaced, the old key in this file is no longer reported as a problem"),
        (ProblemKind::AttachmentSizeColumn { sha256, column, found }, Lang::Zh) => format!("附件表中 {sha256} 记的大小为 {column} 字节，实际内容为 {found} 字节（被直接改动过）"),
        (ProblemKind::AttachmentSizeColumn { sha256, column, found }, Lang::En) => format!("the attachments table gives {sha256} a size of {column} bytes, but it holds {found} (edited directly)"),
        (ProblemKind::Projection { table, key }, Lang::Zh) => format!("查询表 {table} 中 {key} 与记录不符（被直接改动过）"),
        (ProblemKind::Projection { table, key }, Lang::En) => format!("table {table}, row {key}, does not match the log (edited directly)"),
    }
}

/// A finding on what the chain or a checkpoint shows altered (`by`, the place of the
/// problem that shows it, with its `code`): said first, so that a rule the altered text
/// breaks does not read as a step the village took. `rule`: `inner` is a refusal's text.
pub fn altered(
    lang: Lang,
    by: &crate::location::Location,
    code: &str,
    rule: bool,
    inner: &str,
) -> String {
    let by = super::place(lang, by);
    let amid = super::amid(&by);
    match (rule, lang) {
        (true, Lang::Zh) => format!(
            "此处在签名后被改动过（见{amid}的 {code}）；下面这条程序规则是被改动后的内容违反的，不是村里当时的做法：{inner}"
        ),
        (true, Lang::En) => format!(
            "this was altered after it was signed (see {code} at {by}); the rule below is broken by the altered text, not by a step the village took: {inner}"
        ),
        (false, Lang::Zh) => format!("此处在签名后被改动过（见{amid}的 {code}），由此：{inner}"),
        (false, Lang::En) => {
            format!("this was altered after it was signed (see {code} at {by}); hence: {inner}")
        }
    }
}

/// A checkpoint whose root is not the log's (`ProblemKind::RootMismatch`): which entries it
/// covers, where the change must be (after the last checkpoint that matched), and how many
/// later checkpoints fail with it.
fn root_mismatch(
    lang: Lang,
    size: u64,
    after: u64,
    changed: &(crate::location::Location, crate::location::Location),
    signed: bool,
    later: u64,
    last: u64,
) -> String {
    let end = size.saturating_sub(1);
    let span = super::span(lang, &changed.0, &changed.1);
    let one = changed.0 == changed.1;
    let head = match (signed, lang) {
        (true, Lang::Zh) => format!(
            "这个检查点（覆盖第 0–{end} 条记录）的树根与现有记录不符，而它自身的签名成立：记录在签名后被改动过。"
        ),
        (true, Lang::En) => format!(
            "this checkpoint (covering entries 0-{end}) does not match the log, and its own signature holds: the log was changed after it was signed."
        ),
        (false, Lang::Zh) => format!(
            "这个检查点（覆盖第 0–{end} 条记录）的树根与现有记录不符，它自身的签名也不成立：检查点文件被改动过（记录也可能被改动）"
        ),
        (false, Lang::En) => format!(
            "this checkpoint (covering entries 0-{end}) does not match the log, and its own signature does not hold: the checkpoint file was altered (and the log may have been too)"
        ),
    };
    let place = match (signed, after > 0, one, lang) {
        (false, ..) => String::new(),
        (true, true, true, Lang::Zh) => {
            format!("第 {after} 条处的检查点仍与记录相符，被改动的是其后这一条：{span}")
        }
        (true, true, false, Lang::Zh) => {
            format!(
                "第 {after} 条处的检查点仍与记录相符，被改动的在其后{}之中",
                super::amid(&span)
            )
        }
        (true, false, true, Lang::Zh) => format!("被改动的是{}", super::amid(&span).trim_end()),
        (true, false, false, Lang::Zh) => {
            format!(
                "没有更早的检查点与记录相符，被改动的在{}之中",
                super::amid(&span)
            )
        }
        (true, true, true, Lang::En) => format!(
            " The checkpoint at size {after} still matches, so the entry changed is the one after it: {span}"
        ),
        (true, true, false, Lang::En) => {
            format!(" The checkpoint at size {after} still matches, so the change is among {span}")
        }
        (true, false, true, Lang::En) => format!(" The entry changed is {span}"),
        (true, false, false, Lang::En) => {
            format!(" No earlier checkpoint matches, so the change is among {span}")
        }
    };
    let more = match (later, lang) {
        (0, _) => String::new(),
        (n, Lang::Zh) => {
            format!(
                "。其后 {n} 个检查点（至第 {last} 条）覆盖同一处改动，也都不符（--json 逐个列出）"
            )
        }
        (n, Lang::En) => format!(
            ". The {n} later checkpoint{} (up to size {last}) cover{} the same change and fail too (each listed in --json)",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" }
        ),
    };
    format!("{head}{place}{more}")
}

/// Why an entry's bytes are not a valid entry.
fn entry_problem(lang: Lang, e: &crate::log::EntryProblem) -> String {
    use crate::log::EntryProblem as P;
    match (e, lang) {
        // Said in the user's words (it printed the Rust name, `TooLarge { len: … }`).
        (P::NotCanonical(d), _) => format!(
            "{}{}",
            crate::i18n::record::describe_canon(d, lang),
            lang.pick("是否被手工编辑过？", " Was it edited by hand?")
        ),
        (P::Envelope(f), Lang::Zh) => format!("记录的头部字段 {f} 缺失或无效（被手工编辑过？）"),
        (P::Envelope(f), Lang::En) => {
            format!("the entry's envelope field {f} is missing or invalid (edited by hand?)")
        }
        (P::Body(_), Lang::Zh) => "记录内容与其类型不符（被手工编辑过？）".into(),
        (P::Body(d), Lang::En) => {
            format!("the entry's body does not match its type (edited by hand?): {d}")
        }
        (P::Version(v), Lang::Zh) => format!("记录格式版本 {v} 本程序不认识：请用新版 liuyi 核查"),
        (P::Version(v), Lang::En) => {
            format!("entry format version {v} is unknown to this program: check with a newer liuyi")
        }
    }
}

/// A refusal of one row of a consent file: what to fix is a column of the file, not a flag.
/// A row of an import file the rules refused, with its line.
pub fn row_refused(line: u64, id: &str, refusal: &crate::rules::Refusal, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("第 {line} 行：{}", row_refusal(id, refusal, lang)),
        Lang::En => format!("line {line}: {}", row_refusal(id, refusal, lang)),
    }
}

/// How many more rows of an import file the rules refused than are listed.
pub fn more_rows_refused(more: usize, lang: Lang) -> String {
    lang.pick(
        format!("另有 {more} 行同样不予记录。"),
        format!("{more} more rows were refused too."),
    )
}

fn row_refusal(id: &str, r: &crate::rules::Refusal, lang: Lang) -> String {
    use crate::rules::Refusal;
    match (r, lang) {
        (Refusal::ConsentNeedsEvidence { household }, Lang::Zh) => format!(
            "{} 的同意须签字留痕：请在“页码”列填写签字表的页码。",
            super::rules::who(household, lang)
        ),
        (Refusal::ConsentNeedsEvidence { household }, Lang::En) => format!(
            "{}: consent must be signed and evidenced: fill in the signature-sheet page in the page column.",
            super::rules::who(household, lang)
        ),
        (Refusal::ProxyNeedsRelation { household }, Lang::Zh) => format!(
            "{} 委托他人代签，须写明受托人与户主的关系：请在“关系”列填写（如“委托：侄子”）。",
            super::rules::who(household, lang)
        ),
        (Refusal::ProxyNeedsRelation { household }, Lang::En) => format!(
            "{}: a proxy signature must say who the proxy is to the household: fill in the relation column.",
            super::rules::who(household, lang)
        ),
        (Refusal::ProxyNeedsMandate { household }, Lang::Zh) => format!(
            "{} 委托他人代签同意，须附户主签字的委托书，导入文件附不了：请删去这一行，改用 liuyi consult {id} record {household} --consent --signer 签字人 --method proxy --relation 关系 --evidence 委托书扫描件 单独登记。",
            super::rules::who(household, lang)
        ),
        (Refusal::ProxyNeedsMandate { household }, Lang::En) => format!(
            "{}: consent signed by a proxy needs the household's written authorisation, which a file row cannot carry: remove the row and record it with liuyi consult {id} record {household} --consent --signer NAME --method proxy --relation RELATION --evidence FILE.",
            super::rules::who(household, lang)
        ),
        (Refusal::SignerNotInHousehold { household, signer }, Lang::Zh) => format!(
            "签字人 {signer} 不是户号 {household} 的家庭成员。户外人员受托代签的，“方式”列填 委托、“关系”列写明关系；代签同意还须附委托书，须用 liuyi consult {id} record 单独登记。"
        ),
        (Refusal::SignerNotInHousehold { household, signer }, Lang::En) => format!(
            "signer {signer} is not a member of household {household}. Someone from outside the household signs only as a proxy: put proxy in the method column and the relation in its column; a consent by proxy also needs the written authorisation, recorded with liuyi consult {id} record."
        ),
        (Refusal::ObjectionNeedsReason { household }, Lang::Zh) => format!(
            "{} 反对须写明理由：请在“理由”列填写。",
            super::rules::who(household, lang)
        ),
        (Refusal::ObjectionNeedsReason { household }, Lang::En) => format!(
            "{}: an objection needs its reason: fill in the reason column.",
            super::rules::who(household, lang)
        ),
        (
            Refusal::ConsultationUnitMismatch {
                id,
                adults: true,
                household,
            },
            Lang::Zh,
        ) => format!(
            "事项 {id} 本轮民议按成年村民逐人征求意见：户号 {household} 这一行须在“姓名”列写明是哪一位（本人到场或远程确认签字的，可不填，即签字人本人）。"
        ),
        (
            Refusal::ConsultationUnitMismatch {
                id,
                adults: true,
                household,
            },
            Lang::En,
        ) => format!(
            "this consultation round of {id} counts adults one by one: the row of household {household} must say which adult in the name column (left empty, it is the signer's own opinion, given in person or remotely)."
        ),
        (
            Refusal::ConsultationUnitMismatch {
                id,
                adults: false,
                household,
            },
            Lang::Zh,
        ) => format!("事项 {id} 本轮民议按户征求意见：户号 {household} 这一行的“姓名”列请留空。"),
        (
            Refusal::ConsultationUnitMismatch {
                id,
                adults: false,
                household,
            },
            Lang::En,
        ) => format!(
            "this consultation round of {id} counts households: leave the name column of household {household}'s row empty."
        ),
        (
            Refusal::SignerNotThePerson {
                household,
                person,
                signer,
            },
            Lang::Zh,
        ) => format!(
            "本人到场或远程确认时，须由 {household}:{person} 本人签字，签字人却是 {signer}。由同户家人代签的，“方式”列填 同户代签；户外人员代签的填 委托。"
        ),
        (
            Refusal::SignerNotThePerson {
                household,
                person,
                signer,
            },
            Lang::En,
        ) => format!(
            "in person or remotely, {household}:{person} signs for themself, but the signer is {signer}. Where a member of the household signed for them, put same-household in the method column; someone else, proxy."
        ),
        _ => super::rules::refusal(r, lang),
    }
}

/// "1 person", "N people".
fn people_en(n: usize) -> String {
    if n == 1 {
        "1 person".to_string()
    } else {
        format!("{n} people")
    }
}

fn candidates(lang: Lang, c: &[Person]) -> String {
    c.iter()
        .map(|p| match lang {
            Lang::Zh => format!(
                "  {}（{}，{} 年生，{}）",
                p.key(),
                p.relation,
                p.birth_date.format("%Y"),
                word(&p.status)
            ),
            Lang::En => format!(
                "  {} ({}, born {}, {})",
                p.key(),
                roster_word(lang, p.relation.clone()),
                p.birth_date.format("%Y"),
                roster_word(lang, word(&p.status))
            ),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn usage(u: &Usage, lang: Lang) -> String {
    match (u, lang) {
        // Written as YYYY-MM-DD, but no such day (2026-02-29, 2026-04-31): the form is right.
        (Usage::BadDate(s), Lang::Zh) if shaped_as_date(s) => format!("日期“{s}”没有这一天：请核对月份（1 到 12）和日（例如 2026 年 2 月只有 28 天，4 月只有 30 天）。"),
        (Usage::BadDate(s), Lang::En) if shaped_as_date(s) => format!("there is no such day as {s}: check the month (1 to 12) and the day (February 2026 has 28 days, April 30)."),
        // A date in another form (2026/10/1, 2026年10月1日, full-width digits): what to type.
        (Usage::BadDate(s), Lang::Zh) if crate::input::dates::parse_date(s).is_ok() => format!("日期“{s}”请按 YYYY-MM-DD 写成 {}（半角数字，月、日各两位）。", crate::input::dates::parse_date(s).unwrap_or_default()),
        (Usage::BadDate(s), Lang::En) if crate::input::dates::parse_date(s).is_ok() => format!("date \"{s}\": write it as {} (YYYY-MM-DD).", crate::input::dates::parse_date(s).unwrap_or_default()),
        (Usage::BadDate(s), Lang::Zh) => format!("日期“{s}”无效：请用 YYYY-MM-DD，例如 2026-03-02。"),
        (Usage::BadDate(s), Lang::En) => format!("invalid date \"{s}\": use YYYY-MM-DD, e.g. 2026-03-02."),
        (Usage::BadNow(s), Lang::Zh) => format!("环境变量 LIUYI_NOW=“{s}”无效：请用 RFC 3339 时间，例如 2026-04-01T09:00:00+08:00；或取消该变量以使用系统时间。"),
        (Usage::BadNow(s), Lang::En) => format!("invalid LIUYI_NOW=\"{s}\": use an RFC 3339 time, e.g. 2026-04-01T09:00:00+08:00, or unset it to use the system clock."),
        (Usage::AmountNegative(s), Lang::Zh) => format!("金额“{s}”不能为负数：请用元为单位填写实际金额，例如 50000。"),
        (Usage::AmountNegative(s), Lang::En) => format!("amount \"{s}\" cannot be negative: give the amount in yuan, e.g. 50000."),
        (Usage::AmountTooLarge(s), Lang::Zh) => format!("金额“{s}”太大：最多 13 位整数（以元为单位）。请核对是否多打了数字。"),
        (Usage::AmountTooLarge(s), Lang::En) => format!("amount \"{s}\" is too large: at most 13 digits of yuan. Check for extra digits."),
        (Usage::BadAmount(s), Lang::Zh) => format!("金额“{s}”无效：请用元为单位，最多两位小数，例如 326000 或 326000.50（也可写 32.6万）。"),
        (Usage::BadAmount(s), Lang::En) => format!("invalid amount \"{s}\": give yuan with at most two decimals, e.g. 326000 or 326000.50 (or 32.6万)."),
        (Usage::BadCategory(s), _) => {
            let all: Vec<String> = crate::rules::Category::ALL.iter().map(|c| format!("{}（{}）", c.as_str(), c.label_zh())).collect();
            match lang {
                Lang::Zh => format!("事项类别“{s}”无效。可用：{}", all.join("、")),
                Lang::En => format!("unknown category \"{s}\". Use one of: {}", all.join(", ")),
            }
        }
        (Usage::BadPages(s), Lang::Zh) => format!("页码“{s}”无效：请用 A-B，例如 1-12。"),
        (Usage::BadPages(s), Lang::En) => format!("invalid pages \"{s}\": use A-B, e.g. 1-12."),
        (Usage::BadCode(s), Lang::Zh) => format!("区划代码“{s}”无效：应为 12 位数字（本村的统计用区划代码，例如 130102001001）。它是记录的永久标识，建库后不能更改。"),
        (Usage::BadCode(s), Lang::En) => format!("invalid division code \"{s}\": it must be 12 digits (the village's statistical division code, e.g. 130102001001). It is the record's identity for good."),
        (Usage::TextTooLong { what, len, max }, Lang::Zh) => {
            let w = match *what {
                "supervisor" => "村务监督委员会负责人（--supervisor）",
                "phone" => "联系电话（--phone）",
                other => other,
            };
            format!("{w}有 {len} 个字，超过公告上能印的 {max} 个字。请写得简短些（例如只写姓名，或一个号码）。")
        }
        (Usage::TextTooLong { what, len, max }, Lang::En) => format!("--{what} has {len} characters, more than the {max} a notice prints. Make it shorter (a name, or one number)."),
        (Usage::BadPhone(s), Lang::Zh) => format!("电话“{s}”无效：应为电话号码（至少 7 位数字，可带 - 空格 括号 或“转”分机，例如 0311-12345678）。它印在每份公告上，供村民反映异议。"),
        (Usage::BadPhone(s), Lang::En) => format!("invalid phone \"{s}\": a telephone number (at least 7 digits, with - spaces brackets or 转 for an extension, e.g. 0311-12345678). It is printed on every notice for villagers' objections."),
        (Usage::NoObjectionContact, Lang::Zh) => "公告须写明村民提出异议时找谁、打哪个电话，本村还没有登记村务监督委员会的联系电话（公告上会印成“—”）。请先运行 liuyi supervision set --supervisor 姓名 --phone 电话，再公开。本次未记录。".to_string(),
        (Usage::NoObjectionContact, Lang::En) => "a notice must say whom villagers call with an objection, and no phone of the supervision committee is recorded (the notice would print \"—\"). Run liuyi supervision set --supervisor NAME --phone PHONE first, then publish. Nothing recorded.".to_string(),
        (Usage::BadLang(s), Lang::Zh) => format!("不支持界面语言“{s}”：--lang 只能是 zh（中文）或 en（English）。"),
        (Usage::BadLang(s), Lang::En) => format!("the interface language \"{s}\" is not supported: --lang takes zh (中文) or en (English)."),
        // Given as HOUSEHOLD:NAME already, the example is of the name alone.
        (Usage::UnknownName { name }, Lang::Zh) => format!("花名册上没有“{name}”。请核对姓名，或用 户号:姓名 指明，例如 0012:{}。查看名册：liuyi roster list", bare_name(name)),
        (Usage::UnknownName { name }, Lang::En) => format!("\"{name}\" is not on the roster. Check the name, or give HOUSEHOLD:NAME, e.g. 0012:{}. See liuyi roster list.", bare_name(name)),
        (Usage::AmbiguousName { name, candidates: c }, Lang::Zh) => format!("花名册上有 {} 人叫“{name}”，请用 户号:姓名 指明是哪一位：\n{}", c.len(), candidates(lang, c)),
        (Usage::AmbiguousName { name, candidates: c }, Lang::En) => format!("{} people on the roster are called \"{name}\"; say which with HOUSEHOLD:NAME:\n{}", c.len(), candidates(lang, c)),
        (Usage::FileTooLarge { path, size, max, given_as: FileUse::Attachment }, Lang::Zh) => format!("附件 {} 太大（{} 字节，上限 {} 字节），未记录。请确认选对了文件；扫描件请用较低分辨率（如 200 dpi、黑白或灰度）重新扫描，或分成几个文件分别附上。", path.display(), size, max),
        (Usage::FileTooLarge { path, size, max, given_as: FileUse::Attachment }, Lang::En) => format!("the file to attach, {}, is too large ({size} bytes; the limit is {max}); nothing recorded. Check that it is the right file; scan again at a lower resolution (say 200 dpi, black and white or greyscale), or attach it in several files.", path.display()),
        (Usage::FileTooLarge { path, size, max, given_as: FileUse::Text }, Lang::Zh) => format!("文本文件 {} 太大（{} 字节，上限 {} 字节），未读取。请确认选对了文件（应是纯文本，如 .txt）；长篇材料请作为附件（--attach）记录，正文写要点。", path.display(), size, max),
        (Usage::FileTooLarge { path, size, max, given_as: FileUse::Text }, Lang::En) => format!("the text file {} is too large ({size} bytes; the limit is {max}); it was not read. Check that it is the right file (plain text, such as .txt); record a long document as an attachment (--attach) and write its points as the text.", path.display()),
        (Usage::FileTooLarge { path, size, max, given_as: FileUse::Small }, Lang::Zh) => format!("文件 {} 太大（{} 字节，上限 {} 字节），未读取：这里要的是只有几行的文件（密钥、申请、规则或检查点）。请确认选对了文件。", path.display(), size, max),
        (Usage::FileTooLarge { path, size, max, given_as: FileUse::Small }, Lang::En) => format!("file {} is too large ({size} bytes; the limit is {max}); it was not read: a file of a few lines (a key, a request, a policy or a checkpoint) is asked for here. Check that it is the right file.", path.display()),
        (Usage::FileTooLarge { path, size, max, given_as: FileUse::Table }, Lang::Zh) => format!("文件 {} 太大（{} 字节，上限 {} 字节），未读取。请确认选对了文件（花名册或意见表只有一张表，通常不到 1 MB）；表格里如有图片或多余的工作表，请另存为只含这张表的 CSV 或 XLSX 后再导入。", path.display(), size, max),
        (Usage::FileTooLarge { path, size, max, given_as: FileUse::Table }, Lang::En) => format!("file {} is too large ({size} bytes; the limit is {max}); it was not read. Check that it is the right file (a roster or consent sheet is one table, usually under 1 MB); if the workbook holds pictures or other sheets, save just this table as CSV or XLSX and import that.", path.display()),
        (Usage::TrustLaterKey { bundle, given, from, first }, Lang::Zh) => format!(
            "--trust 给的是本村自第 {from} 条记录起换用的新密钥（指纹 {given}）。换用后的密钥只能为换用之后的记录作证，不能证明此前的记录出自本村，所以这次没有核验。请改用本村最初的密钥，即乡镇登记本村时记下的那把（liuyi township status 列为“登记时密钥”；此审计包的创始记录所载密钥指纹为 {first}，请与之核对）：liuyi verify {} --trust 最初的密钥文件。除密钥之外，其余检查未发现问题。",
            super::bundle::as_typed(bundle)
        ),
        (Usage::TrustLaterKey { bundle, given, from, first }, Lang::En) => format!(
            "--trust names the key this village changed to from entry {from} (fingerprint {given}). A later key vouches only for the record after the change, not for the history before it, so the bundle was not verified. Give the village's first key, the one the township registered (liuyi township status lists it as the key registered; this bundle's genesis entry names fingerprint {first}: compare the two): liuyi verify {} --trust FIRST_KEY_FILE. Apart from the key, no problem was found.",
            super::bundle::as_typed(bundle)
        ),
        (Usage::NotABundle { path, kind }, Lang::Zh) => format!("{} 不是审计包：它是{}。审计包是村里用 liuyi export --all -o 文件.zip 导出的 ZIP 文件。", path.display(), match *kind { "pdf" => " PDF 文件（公告或扫描件？）", "text" => "文本文件（签名检查点、花名册或申请文件？）", "office" => " Excel 或 Word 文件（花名册或意见表？）", _ => "数据库文件（村里的记录库？）" }),
        (Usage::NotABundle { path, kind }, Lang::En) => format!("{} is not an audit bundle: it is {}. A bundle is the ZIP file the village makes with liuyi export --all -o FILE.zip.", path.display(), match *kind { "pdf" => "a PDF (a notice or a scan?)", "text" => "a text file (a signed checkpoint, a roster or a request?)", "office" => "an Excel or Word file (a roster or a consent sheet?)", _ => "a database (the village's record?)" }),
        (Usage::NotAFile { path }, Lang::Zh) => format!("{} 不是普通文件（是目录、管道或设备）：请给出要读取的文件。", path.display()),
        (Usage::NotAFile { path }, Lang::En) => format!("{} is not a regular file (a directory, pipe or device): give the file to read.", path.display()),
        (Usage::SecretKeyText { field }, Lang::Zh) => format!("{} 中含有签名密钥（PRIVATE+KEY+…）：密钥不能记入记录，也不能打印。请删去后重试；密钥已被别人看到时，请按 liuyi key rotate 更换。", field_label(field, Lang::Zh)),
        (Usage::SecretKeyText { field }, Lang::En) => format!("{} holds a signing key (PRIVATE+KEY+…): a key is never recorded nor printed. Take it out and try again; if anyone else has seen it, replace it with liuyi key rotate.", field_label(field, Lang::En)),
        (Usage::PlaceholderText { field, value }, Lang::Zh) => format!("{} 填的是提示里的占位词“{value}”：请换成实际的内容后重试。", field_label(field, Lang::Zh)),
        (Usage::PlaceholderText { field, value }, Lang::En) => format!("{} is the hint's placeholder \"{value}\": give the real value and try again.", field_label(field, Lang::En)),
        (Usage::ForbiddenChar { field, ch }, Lang::Zh) => format!("{} 中有不能记录的字符 U+{:04X}（{}）：它打印不出来，或让两段文字看似相同。请删去后重试。", field_label(field, Lang::Zh), *ch as u32, if *ch == '\n' { "换行，此项只能写一行" } else { "控制字符或不可见的格式字符" }),
        (Usage::ForbiddenChar { field, ch }, Lang::En) => format!("{} holds a character that cannot be recorded, U+{:04X} ({}): it does not print, or makes two texts look alike. Remove it and try again.", field_label(field, Lang::En), *ch as u32, if *ch == '\n' { "a line break, in a one-line field" } else { "a control or invisible formatting character" }),
        (Usage::HouseholdsPresentNotForRepresentatives, Lang::Zh) => "--households-present（到会户数）只用于村民会议（--body villagers）：村民代表会议按到会成员计数，未记录。请去掉 --households-present，或改为 --body villagers".to_string(),
        (Usage::HouseholdsPresentNotForRepresentatives, Lang::En) => "--households-present counts households at a villagers' meeting (--body villagers); a representatives' meeting counts its members. Nothing was recorded: leave --households-present out, or use --body villagers".to_string(),
        (Usage::EmptyText { what }, Lang::Zh) => {
            let w = match *what {
                "file" => "文件内容",
                "village" => "村名",
                "township" => "乡镇名",
                "county" => "县名",
                "supervisor" => "村务监督委员会联系人（--supervisor）",
                "phone" => "联系电话（--phone）",
                other => other,
            };
            format!("{w}不能为空。")
        }
        (Usage::EmptyText { what }, Lang::En) => match *what {
            "supervisor" | "phone" => format!("--{what} must not be empty."),
            _ => format!("{what} must not be empty."),
        },
        (Usage::Repeated { command, id, objection, date }, Lang::Zh) => {
            let which = match (*command, objection) {
                ("motion", _) => format!("已有一条完全相同的动议：事项 {id}（{date}；日期、标题、内容、提出人、类别、金额、附件都一样）"),
                ("objection", Some(n)) => format!("事项 {id} 的第 {n} 条异议与本条完全相同（{date}；异议人、内容、日期都一样）"),
                ("consult attach", _) => format!("事项 {id} 本轮民议已记录过同一份扫描件（{date}；文件内容与页码范围都一样）"),
                ("posted", _) => format!("事项 {id} 已用同样的文件登记过这份公告的张贴凭证（{date}）"),
                ("complete", _) => return format!("事项 {id} 的竣工验收已按完全相同的内容登记过（{date}），本次未记录。要更正或补充，请带上改过的项（如 --supervision）重新运行。"),
                _ => format!("事项 {id} 中已有一条完全相同的实施记录（{date}；日期、说明、金额、施工单位、附件都一样）"),
            };
            format!("{which}，像是同一条命令运行了两次，本次未记录。若确是另一条，请加 --again 再运行。")
        }
        (Usage::Repeated { command, id, objection, date }, Lang::En) => {
            let which = match (*command, objection) {
                ("motion", _) => format!("an identical motion is recorded: matter {id} ({date}; the same date, title, text, proposers, category, amount and attachments)"),
                ("objection", Some(n)) => format!("objection {n} of matter {id} is identical to this one ({date}; the same person, text and date)"),
                ("consult attach", _) => format!("this scan is already recorded in matter {id}'s consultation round ({date}; the same bytes for the same pages)"),
                ("posted", _) => format!("the same files are already recorded as proof that this notice of matter {id} was posted ({date})"),
                ("complete", _) => return format!("matter {id}'s completion is already recorded exactly so ({date}). Nothing recorded. To correct or complete it, run it again with what changes (e.g. --supervision)."),
                _ => format!("matter {id} already has an identical implementation step ({date}; the same date, note, amount, contractor and attachments)"),
            };
            format!("{which}: most likely the same command run twice. Nothing recorded. If it is another one, run it again with --again.")
        }
        (Usage::ObjectionNeeds, Lang::Zh) => "登记异议须有 --from 异议人 和 --text 内容；答复异议用 liuyi objection ID reply N --text 答复。".into(),
        (Usage::ObjectionNeeds, Lang::En) => "an objection needs --from NAME and --text T; to answer one use liuyi objection ID reply N --text T.".into(),
        (Usage::SecretKeyFile { path }, Lang::Zh) => format!("{} 是签名密钥文件，不能作为附件或文本记入记录（密钥只存放在密钥文件里，不进记录库、不打印）。请换成要记录的文件。", path.display()),
        (Usage::SecretKeyFile { path }, Lang::En) => format!("{} is a signing key file and cannot be recorded as an attachment or text (a key stays in its key file, never in the record or on paper). Give the file you meant to record.", path.display()),
        (Usage::EmptyFile { path }, Lang::Zh) => format!("{} 是空文件（0 字节），不能作为附件或留痕凭证。请检查扫描或复制是否完成，再给出实际的文件。", path.display()),
        (Usage::EmptyFile { path }, Lang::En) => format!("{} is empty (0 bytes) and cannot be an attachment or evidence. Check that the scan or copy finished, then give the real file.", path.display()),
        (Usage::EntryTooLarge { size, max }, Lang::Zh) => format!("这条记录有 {size} 字节，超过每条记录 {max} 字节的上限（文本中的换行等按转义计）。请精简文字，或把长文作为附件（--attach）记录。"),
        (Usage::EntryTooLarge { size, max }, Lang::En) => format!("this entry would be {size} bytes, over the limit of {max} bytes per entry (line breaks in a text count as escapes). Shorten the text, or record the long document as an attachment (--attach)."),
        (Usage::SameFileTwice { first, second }, Lang::Zh) if first == second => format!("同一个文件 {} 附了两次：每个文件只需附一次，请去掉重复的 --attach 后重试。本次未记录。", first.display()),
        (Usage::SameFileTwice { first, second }, Lang::Zh) => format!("{} 与 {} 内容完全相同（同一张照片或扫描件存了两份）：每个文件只需附一次，请去掉其中一个 --attach 后重试。本次未记录。", first.display(), second.display()),
        (Usage::SameFileTwice { first, second }, Lang::En) if first == second => format!("the file {} is attached twice: attach each file once; drop the repeated --attach and try again. Nothing recorded.", first.display()),
        (Usage::SameFileTwice { first, second }, Lang::En) => format!("{} and {} hold the same bytes (one photo or scan saved twice): attach each file once; drop one of the --attach and try again. Nothing recorded.", first.display(), second.display()),
        (Usage::NotText { path }, Lang::Zh) => format!("{} 不是文本文件（应为 UTF-8、GBK 或带 BOM 的 UTF-16 编码）：请在记事本或 WPS 中另存为 UTF-8 文本后重试。", path.display()),
        (Usage::NotText { path }, Lang::En) => format!("{} is not a text file (UTF-8, GBK or UTF-16 with a BOM expected): save it as UTF-8 text and try again.", path.display()),
        (Usage::ForbiddenCharInFile { path, line, ch }, Lang::Zh) => format!("文件 {} 第 {line} 行有不能记录的字符 U+{:04X}（控制字符或不可见的格式字符）：它打印不出来，或让两段文字看似相同。请在文件中删去后重试。本次未记录。", path.display(), *ch as u32),
        (Usage::ForbiddenCharInFile { path, line, ch }, Lang::En) => format!("the file {}, line {line}, holds a character that cannot be recorded, U+{:04X} (a control or invisible formatting character): it does not print, or makes two texts look alike. Remove it from the file and try again. Nothing recorded.", path.display(), *ch as u32),
        (Usage::LaterKey { fingerprint, expected }, Lang::Zh) => format!("密钥文件（指纹 {fingerprint}）是本村的密钥（记录标识相同），但这份记录库从未用它签过名（记录库现用密钥的指纹 {}）：多半是换钥之后拿了换钥之前的旧记录库（备份或旧副本）。请改用换钥后一直在用的那份记录库（--db）；如这就是最新的，这份记录库不可信（被回退，或被人用别的密钥重新签名过），请停止录入并联系乡镇。", crate::check::fingerprint_of(expected)),
        (Usage::LaterKey { fingerprint, expected }, Lang::En) => format!("the key file (fingerprint {fingerprint}) is this village's (the same origin), but this record was never signed with it (its key in force: {}): most likely this is a copy of the record from before a change of key (a backup or an older copy). Use the record kept since the change (--db); if this is it, the record cannot be trusted (rolled back, or re-signed with another key): stop recording and contact the township.", crate::check::fingerprint_of(expected)),
        (Usage::RetiredKey { fingerprint, expected }, Lang::Zh) => format!("密钥文件是本村换钥前的旧密钥（指纹 {fingerprint}），已在换钥时停用，不能再签署记录；现用密钥的指纹是 {}（liuyi key show 所示）。请用 --key 指定换钥时生成的新密钥文件。", crate::check::fingerprint_of(expected)),
        (Usage::RetiredKey { fingerprint, expected }, Lang::En) => format!("the key file holds the village's key from before a rotation (fingerprint {fingerprint}), retired then: it signs nothing more. The key in force has fingerprint {}, as liuyi key show prints it. Give the new key file the rotation made with --key.", crate::check::fingerprint_of(expected)),
        (Usage::WrongKey { fingerprint, expected }, Lang::Zh) => format!("密钥文件不是本村记录的签名密钥（该文件的指纹 {fingerprint}；记录中密钥的指纹 {}，与 liuyi key show 所示相同）。请用 --key 指定正确的密钥文件。", crate::check::fingerprint_of(expected)),
        (Usage::WrongKey { fingerprint, expected }, Lang::En) => format!("the key file is not this record's signing key (its fingerprint is {fingerprint}; the record's key has fingerprint {}, as liuyi key show prints it). Give the right one with --key.", crate::check::fingerprint_of(expected)),
        (Usage::NoConsultation { id, stage }, Lang::Zh) => format!("事项 {id} 处于「{}」阶段，还没有开始民议，没有可查看的征求情况。审议通过后请先运行 liuyi consult {id} open。", super::rules::stage_name(*stage, Lang::Zh)),
        (Usage::NoConsultation { id, stage }, Lang::En) => format!("matter {id} is at {}: its consultation was never opened, so there is nothing to show. Once reviewed, open it with liuyi consult {id} open.", super::rules::stage_name(*stage, Lang::En)),
        (Usage::NothingToImport, Lang::Zh) => "文件中没有任何数据行。".into(),
        (Usage::NothingToImport, Lang::En) => "the file has no data rows.".into(),
        (Usage::TooFewHouseholds { asked, min }, Lang::Zh) => format!("--households {asked} 太少：生成的村要配齐两委、党支部和村民代表，至少需要 {min} 户。请把 --households 设为 {min} 或更多。"),
        (Usage::TooFewForOffices { households, seed, found, needed }, Lang::Zh) => format!("--households {households} 配种子 {seed} 生成的村只有 {found} 位可任职的村民（1950—1990 年出生、未迁出），配齐两委、党支部和村民代表需要 {needed} 位。请增加 --households，或换一个 --seed。"),
        (Usage::TooFewForOffices { households, seed, found, needed }, Lang::En) => format!("with --households {households} and seed {seed}, the generated village has only {found} people who can hold office (active, born 1950-1990); its committees, party branch and representatives need {needed}. Use more --households or another --seed."),
        (Usage::TooFewHouseholds { asked, min }, Lang::En) => format!("--households {asked} is too few: a generated village needs at least {min} households to staff its committees, party branch and representatives. Use --households {min} or more."),
        (
            Usage::PageBeyondSheet {
                id,
                key,
                page,
                pages,
                row,
                adults,
            },
            lang,
        ) => crate::i18n::paper::page_beyond_the_sheet(lang, id, None, key, *page, *pages, *row, *adults),
        (Usage::ScanBeyondSheet { id, first, last, pages }, Lang::Zh) => format!("事项 {id} 本轮民议签字表（按开始民议时的范围打印）共 {pages} 页，扫描件却标为第 {first}-{last} 页，未记录。请核对页码（--pages 起-止，不超过第 {pages} 页）；签字表可用 liuyi form {id} consultation 重新打印核对。"),
        (Usage::ScanBeyondSheet { id, first, last, pages }, Lang::En) => format!("matter {id}'s 民议 sheet for this round (as printed when it opened) has {pages} pages, but the scan is given as pages {first}-{last}; nothing was recorded. Check the pages (--pages A-B, at most {pages}); liuyi form {id} consultation prints the sheet again to compare."),
        (Usage::InputProblems(list), Lang::Zh) => format!("文件有 {} 处问题，未导入任何数据：\n{}\n请修改后重新导入。", list.len(), list.join("\n")),
        (Usage::InputProblems(list), Lang::En) => format!("the file has {}; nothing was imported:\n{}\nFix the file and import it again.", if list.len() == 1 { "1 problem".to_string() } else { format!("{} problems", list.len()) }, list.join("\n")),
        (Usage::DemoDirNotEmpty(p), Lang::Zh) => format!("{} 不是空目录：演示会在其中写入十几个文件（花名册、方案、公告等），为免替换您自己的文件，只写入新的或空的目录。请换一个目录，例如 liuyi demo --out 演示。未写入任何文件。", p.display()),
        (Usage::DemoDirNotEmpty(p), Lang::En) => format!("{} is not empty: the demo writes a dozen files into it (roster, plans, notices...) and, so as not to replace any of yours, writes only into a new or empty directory. Choose another, e.g. liuyi demo --out demo. Nothing written.", p.display()),
        (Usage::OutputExists(p), Lang::Zh) => format!("{} 已存在，不会覆盖。请换一个文件名。", p.display()),
        (Usage::OutputExists(p), Lang::En) => format!("{} already exists and will not be overwritten. Choose another name.", p.display()),
        (Usage::OutputDash, Lang::Zh) => "-o - 不会写到标准输出，也不会写出名为“-”的文件。请在 -o 后给出文件名，例如 -o 公告.pdf。".to_string(),
        (Usage::OutputDash, Lang::En) => "-o - writes neither to standard output nor to a file named \"-\". Give a file name after -o, such as -o notice.pdf.".to_string(),
        (Usage::OutputIsDirectory(p), Lang::Zh) => format!("{} 以“/”结尾，是目录而不是文件。请给出文件路径：在目录后写上文件名。", p.display()),
        (Usage::OutputIsDirectory(p), Lang::En) => format!("{} ends with \"/\", so it names a directory, not a file. Give a file path: a file name after the directory.", p.display()),
        (Usage::NoMeetingDue { id, stage }, Lang::Zh) => format!("事项 {id} 目前处于「{}」阶段，没有待开的会议。要打印某次会议的签到表，请用 --meeting proposal|discussion|review|representatives|villagers 指明。", super::rules::stage_name(*stage, lang)),
        (Usage::NoMeetingDue { id, stage }, Lang::En) => format!("matter {id} is at the {} stage: no meeting is due. To print a meeting's sign-in sheet, name it with --meeting proposal|discussion|review|representatives|villagers.", super::rules::stage_name(*stage, lang)),
        (Usage::NothingToExport(scope), Lang::Zh) => format!("没有{}的记录，未导出。", export_scope(scope, lang)),
        (Usage::NothingToExport(scope), Lang::En) => format!("no entry recorded for {}; nothing exported.", export_scope(scope, lang)),
        (Usage::SigninOnly(flag), Lang::Zh) => format!("{flag} 只用于签到表（liuyi form ID signin）。其他表格按记录打印：答复书的日期是记录中作出决定的那一天，民议签字表和动议回执也不取日期。请去掉 {flag} 后重试。"),
        (Usage::SigninOnly(flag), Lang::En) => format!("{flag} is for sign-in sheets only (liuyi form ID signin). The other forms print what the record holds: a reply is dated the day of the decline, and the 民议 sheet and the motion receipt take no date. Leave out {flag} and try again."),
        (Usage::UnusableKeyArg(s), Lang::Zh) => format!("“{s}”是 64 位十六进制，但不是可用的公钥（不在 ed25519 曲线上，或写法不规范），不予使用。请核对是否抄错；若抄的是指纹（liuyi key show、liuyi township status 显示的分组数字），它不是公钥：请用 liuyi township status --json 中的 key、验证密钥一行，或密钥文件。"),
        (Usage::UnusableKeyArg(s), Lang::En) => format!("\"{s}\" is 64 hex digits but no usable public key (not a point of ed25519, or one written in a non-canonical way), so it is not used. Check it was copied right; a fingerprint (the grouped digits liuyi key show and liuyi township status print) is not a public key: give the key from liuyi township status --json, the verifier key line, or the key file."),
        (Usage::WeakKeyArg(s), Lang::Zh) => format!("公钥“{s}”是弱密钥（小阶点：正常生成的密钥不会是它，用它核验的签名不能证明任何事），不予使用。若抄的是指纹（liuyi key show、liuyi township status 显示的分组数字），它不是公钥：请用 liuyi township status --json 中的 key、验证密钥一行，或密钥文件。"),
        (Usage::WeakKeyArg(s), Lang::En) => format!("the public key \"{s}\" is a weak key (a small-order point: no honest key generation makes it, and a signature checked against it proves nothing), so it is not used. A fingerprint (the grouped digits liuyi key show and liuyi township status print) is not a public key: give the key from liuyi township status --json, the verifier key line, or the key file."),
        (Usage::VillageKeyAsTownships { origin, fingerprint }, Lang::Zh) => format!("--township-key 给的是村里的密钥（{origin}，指纹 {fingerprint}），不是乡镇的：这里要乡镇的公钥（乡镇在 township init 时给出的 64 位十六进制或 .pub 文件）。村里的密钥文件请留在原处，不要删除。本次未做任何改动。"),
        (Usage::VillageKeyAsTownships { origin, fingerprint }, Lang::En) => format!("--township-key names a village's key ({origin}, fingerprint {fingerprint}), not the township's: give the township's public key here (the 64 hex digits or .pub file the township gave at township init). Keep the village's key file where it is; do not delete it. Nothing changed."),
        (Usage::TownshipPrivateKey { fingerprint, vkey_hex }, Lang::Zh) => format!("--township-key 给的是乡镇的签名私钥（指纹 {fingerprint}）：村里不应持有它，持有它就能伪造乡镇副署。请改给乡镇的公钥：--township-key {vkey_hex}，并把私钥文件交回乡镇、从本机删除。本次未记录。"),
        (Usage::TownshipPrivateKey { fingerprint, vkey_hex }, Lang::En) => format!("--township-key names the township's signing key itself (fingerprint {fingerprint}): a village must not hold it, since whoever holds it can forge the township's cosignatures. Give the township's public key instead: --township-key {vkey_hex}; return the key file to the township and delete it here. Nothing recorded."),
        (Usage::BadKeyArg(s), Lang::Zh) => format!("无法识别公钥“{s}”：请给出验证密钥文本（name+id+key）、64 位十六进制公钥，或密钥文件路径（指纹不是公钥；liuyi township status --json 中的 key 是）。"),
        (Usage::BadKeyArg(s), Lang::En) => format!("cannot read the key \"{s}\": give a verifier key (name+id+key), a 64-digit hex public key, or a key file path (a fingerprint is not a key; the key in liuyi township status --json is)."),
        (Usage::BadSpentBy(s), Lang::Zh) => format!("--spent-by “{s}”无效：请用 来源=金额，例如 --spent-by 上级补助=200000；每个来源写一次 --spent-by。"),
        (Usage::BadSpentBy(s), Lang::En) => format!("invalid --spent-by \"{s}\": use SOURCE=YUAN, e.g. --spent-by 上级补助=200000, once per source."),
        (Usage::RosterCorrectionNeedsReason { revived, dropped }, Lang::Zh) => {
            let mut parts = Vec::new();
            if !revived.is_empty() {
                parts.push(format!("上一版花名册上已去世或迁出、本次又成为在村或外出的 {} 人：{}", revived.len(), super::rules::households_upto(revived, 10, lang)));
            }
            if !dropped.is_empty() {
                parts.push(format!("本次文件中没有、将从花名册删除的 {} 人：{}", dropped.len(), super::rules::households_upto(dropped, 10, lang)));
            }
            format!("{}。这是更正，不是正常变动，须用 --reason 写明原因（如“0008户赵静系误登为死亡”“年度更新，删除重复登记”）；如果导入的是旧文件，请改用最新的花名册。去世、迁出的人请在文件中把“状态”改为 死亡 或 迁出，不要删行。本次未导入。", parts.join("；"))
        }
        (Usage::RosterCorrectionNeedsReason { revived, dropped }, Lang::En) => {
            let mut parts = Vec::new();
            if !revived.is_empty() {
                parts.push(format!("{} the last roster had as deceased or moved out {} back as living in the village: {}", people_en(revived.len()), if revived.len() == 1 { "is" } else { "are" }, super::rules::households_upto(revived, 10, lang)));
            }
            if !dropped.is_empty() {
                parts.push(format!("{} {} not in this file and would be deleted from the roster: {}", people_en(dropped.len()), if dropped.len() == 1 { "is" } else { "are" }, super::rules::households_upto(dropped, 10, lang)));
            }
            format!("{}. That is a correction, not an ordinary change: give its reason with --reason; if this is an old file, import the latest roster instead. Mark people who died or moved away with the status 死亡 or 迁出 rather than deleting their rows. Nothing imported.", parts.join("; "))
        }
        (Usage::BadPolicyFile { path, problem }, Lang::Zh) => {
            let what = policy_file_problem(problem, Lang::Zh);
            format!("规则文件 {path} 不是完整的规则：{what}。请先用 liuyi policy show --json > 规则.json 导出现行规则，在其上修改后再 liuyi policy set 规则.json。本次未记录。")
        }
        (Usage::BadPolicyFile { path, problem }, Lang::En) => {
            let what = policy_file_problem(problem, Lang::En);
            format!("the policy file {path} is not a whole policy: {what}. Export the policy in force with liuyi policy show --json > policy.json, change it there, and run liuyi policy set policy.json. Nothing recorded.")
        }
        (Usage::TitleStartsWithAbout { without }, Lang::Zh) => format!("标题不必以“关于”开头：公告标题会写成“某村关于{without}的决议公告”，再加“关于”就成了“关于关于”。请改用 --title \"{without}\"。本次未记录。"),
        (Usage::TitleStartsWithAbout { without }, Lang::En) => format!("the title need not begin with 关于: a notice's title reads 「…村关于{without}的决议公告」, so it would print 关于 twice. Use --title \"{without}\". Nothing recorded."),
        (Usage::FundingMismatch { parts, sum, budget }, Lang::Zh) => {
            let f = crate::paper::money::format_yuan;
            let listed: Vec<String> = parts.iter().map(|(n, a)| format!("{n} {}", f(*a))).collect();
            format!("资金来源中列出的金额合计 {}（{}），与预算 {} 不符，相差 {}：公告要逐项印出资金来源和金额，对不上会误导村民。请改正 --funding 中的金额或 --budget；投工投劳等不在现金预算内的，请写进方案（--plan-file），不要列为资金来源。本次未记录。", f(*sum), listed.join("、"), f(*budget), f((sum - budget).abs()))
        }
        (Usage::FundingMismatch { parts, sum, budget }, Lang::En) => {
            let f = crate::paper::money::format_yuan;
            let listed: Vec<String> = parts.iter().map(|(n, a)| format!("{n} {}", f(*a))).collect();
            format!("the amounts in the funding text add up to {} ({}), not the budget of {}: {} apart. The notice prints each source with its amount, and figures that do not add up mislead the villagers. Correct the amounts in --funding or the --budget; work in kind outside the cash budget belongs in the plan (--plan-file), not among the funding sources. Nothing recorded.", f(*sum), listed.join(", "), f(*budget), f((sum - budget).abs()))
        }
        (Usage::FundingUnsplit(Unsplit::NoAmount(part)), Lang::Zh) => format!("资金来源中的“{part}”没有写金额：公告要逐项印出资金来源和金额，列了金额的就每一项都要列。请把每个来源写成“名称 金额元”，用分号隔开（例如 --funding \"一事一议财政奖补200000元；村集体经济收入126000元\"）；来源名称里不要用顿号、逗号或分号（它们用来分隔来源）；投工投劳等不在现金预算内的，请写进方案（--plan-file），不要列为资金来源。本次未记录。"),
        (Usage::FundingUnsplit(Unsplit::NoAmount(part)), Lang::En) => format!("the funding source \"{part}\" has no amount: the notice prints each source with its amount, so once amounts are given, every source needs one. Write each source as \"name amount元\", separated by semicolons (e.g. --funding \"一事一议财政奖补200000元；村集体经济收入126000元\"); keep 、 , and ; out of a source's name (they separate sources); work in kind outside the cash budget belongs in the plan (--plan-file), not among the funding sources. Nothing recorded."),
        (Usage::FundingUnsplit(Unsplit::NotFigures(part)), Lang::Zh) => format!("资金来源中的“{part}”，金额的写法公告读不出：请写成“名称 金额元”或“名称 金额万元”，金额用半角阿拉伯数字、最多两位小数，“元”后不再加字（如“整”），不用大写或全角数字、“块”或 yuan（例如“村集体经济收入126000元”或“12.6万元”）：公告按数字逐项印出资金来源和金额，并与预算核对。本次未记录。"),
        (Usage::FundingUnsplit(Unsplit::ThousandsComma(part)), Lang::Zh) => format!("资金来源中的“{part}”，金额里的千位逗号会被当作两个来源之间的分隔：请去掉逗号（写 200000元 而不是 200,000元）。本次未记录。"),
        (Usage::FundingUnsplit(Unsplit::ThousandsComma(part)), Lang::En) => format!("in the funding source \"{part}\", the thousands comma would be read as the separator between two sources: leave it out (200000元, not 200,000元). Nothing recorded."),
        (Usage::FundingUnsplit(Unsplit::NotFigures(part)), Lang::En) => format!("in the funding source \"{part}\", the notice cannot read the amount: write \"name amount元\" or \"name amount万元\", the amount in ASCII figures with at most two decimals and nothing after 元 (no 整), not in words, full-width figures, 块 or yuan (e.g. \"村集体经济收入126000元\" or \"12.6万元\"): the notice prints each source's amount in figures and checks them against the budget. Nothing recorded."),
        (Usage::SpentByMismatch { parts, sum, spent }, Lang::Zh) => {
            let f = crate::paper::money::format_yuan;
            let listed: Vec<String> = parts.iter().map(|(n, a)| format!("{n} {}", f(*a))).collect();
            format!("按资金来源列出的决算合计 {}（{}），与决算总额 {} 不符，相差 {}：结果公告要逐项印出各来源的决算。请改正 --spent-by 中的金额或 --spent。本次未记录。", f(*sum), listed.join("、"), f(*spent), f((sum - spent).abs()))
        }
        (Usage::SpentByMismatch { parts, sum, spent }, Lang::En) => {
            let f = crate::paper::money::format_yuan;
            let listed: Vec<String> = parts.iter().map(|(n, a)| format!("{n} {}", f(*a))).collect();
            format!("the final cost by funding source adds up to {} ({}), not the final cost of {}: {} apart. The result notice prints each source's cost. Correct the amounts in --spent-by or --spent. Nothing recorded.", f(*sum), listed.join(", "), f(*spent), f((sum - spent).abs()))
        }
        (Usage::FundingWithoutBudget { parts, sum }, Lang::Zh) => {
            let f = crate::paper::money::format_yuan;
            let listed: Vec<String> = parts.iter().map(|(n, a)| format!("{n} {}", f(*a))).collect();
            format!("资金来源列出了金额，合计 {}（{}），但本次商议没有定预算：公告按商议通过的预算印出资金来源和金额。请加 --budget 写明预算（例如 --budget {}）。本次未记录。", f(*sum), listed.join("、"), yuan(*sum))
        }
        (Usage::FundingWithoutBudget { parts, sum }, Lang::En) => {
            let f = crate::paper::money::format_yuan;
            let listed: Vec<String> = parts.iter().map(|(n, a)| format!("{n} {}", f(*a))).collect();
            format!("the funding text gives amounts, {} in all ({}), but this discussion set no budget: the notices print the sources and amounts against the budget 商议 adopts. Give it with --budget (e.g. --budget {}). Nothing recorded.", f(*sum), listed.join(", "), yuan(*sum))
        }
        (Usage::CorrectionNeedsReason { id, entry, date }, Lang::Zh) => format!("事项 {id} 已于 {date} 登记竣工验收（第 {entry} 条记录）。再次登记是对它的更正：请加 --correction 写明更正什么、为什么（例如 --correction \"补记村务监督委员会意见\"），其余各项照原样写上；不写 --date 时沿用原日期 {date}。本次未记录。"),
        (Usage::CorrectionNeedsReason { id, entry, date }, Lang::En) => format!("matter {id}'s completion is recorded, dated {date} (entry {entry}). Recording it again corrects it: say what is corrected and why with --correction (e.g. --correction \"the supervision committee's opinion, given later\"), with the other flags as before; without --date it keeps {date}. Nothing recorded."),
        (Usage::OverspendNeedsReason { budget, spent }, Lang::Zh) => {
            let f = crate::paper::money::format_yuan;
            format!("实际支出 {} 超出预算 {}，超支 {}。实施结果公告将列明超支，请用 --overspend-reason 写明原因（印在公告上，例如“钢材涨价，经村民代表会议同意追加”），本次未记录。", f(*spent), f(*budget), f(spent - budget))
        }
        (Usage::OverspendNeedsReason { budget, spent }, Lang::En) => {
            let f = crate::paper::money::format_yuan;
            format!("the final cost {} is over the budget {} by {}. The result notice shows the overspend: give its reason with --overspend-reason (printed on the notice). Nothing recorded.", f(*spent), f(*budget), f(spent - budget))
        }
        (Usage::SourceOverspendNeedsReason { source, budget, spent }, Lang::Zh) => {
            let f = crate::paper::money::format_yuan;
            format!("资金来源“{source}”实际支出 {} 超出方案所列 {}，超支 {}。实施结果公告将按来源列明超支，请用 --overspend-reason 写明原因（印在公告上），本次未记录。", f(*spent), f(*budget), f(spent - budget))
        }
        (Usage::SourceOverspendNeedsReason { source, budget, spent }, Lang::En) => {
            let f = crate::paper::money::format_yuan;
            format!("the funding source \"{source}\" spent {}, over the {} the plan gave it by {}. The result notice shows the overspend by source: give its reason with --overspend-reason (printed on the notice). Nothing recorded.", f(*spent), f(*budget), f(spent - budget))
        }
        (Usage::OverspendReasonUnneeded { budget, spent }, Lang::Zh) => {
            let f = crate::paper::money::format_yuan;
            match budget {
                Some(b) => format!("实际支出 {} 未超出预算 {}，不需要 --overspend-reason（超支原因）；请去掉它再运行。", f(*spent), f(*b)),
                None => format!("本事项未列预算，实际支出 {} 无从超支，不需要 --overspend-reason（超支原因）；请去掉它再运行。", f(*spent)),
            }
        }
        (Usage::OverspendReasonUnneeded { budget, spent }, Lang::En) => {
            let f = crate::paper::money::format_yuan;
            match budget {
                Some(b) => format!("the final cost {} is within the budget {}: --overspend-reason is not needed; run it again without.", f(*spent), f(*b)),
                None => format!("the plan recorded no budget, so the final cost {} cannot be over it: --overspend-reason is not needed; run it again without.", f(*spent)),
            }
        }
        (Usage::UnknownSource { source, known }, Lang::Zh) => format!("--spent-by 的资金来源“{source}”不在方案列明的资金来源中（{}）。请用其中的名称，例如 --spent-by {}=金额。", known.join("、"), known.first().map(String::as_str).unwrap_or("")),
        (Usage::UnknownSource { source, known }, Lang::En) => format!("--spent-by names the funding source \"{source}\", which is not among the plan's funding sources ({}). Use one of those names, e.g. --spent-by {}=YUAN.", known.join(", "), known.first().map(String::as_str).unwrap_or("")),
        (Usage::Township(t), _) => crate::i18n::township::usage(t, lang),
    }
}

/// What `export` was asked for, in words (`--year`, `--proposal`, `--all`).
fn export_scope(scope: &crate::bundle::export::Scope, lang: Lang) -> String {
    use crate::bundle::export::Scope;
    match (scope, lang) {
        (Scope::All, Lang::Zh) => "任何事项".into(),
        (Scope::All, Lang::En) => "any matter".into(),
        (Scope::Year(y), Lang::Zh) => format!(" {y} 年"),
        (Scope::Year(y), Lang::En) => format!("the year {y}"),
        (Scope::Proposal(id), Lang::Zh) => format!("事项 {id} "),
        (Scope::Proposal(id), Lang::En) => format!("matter {id}"),
    }
}

/// The whole error message for `main` to print on stderr. `records`: whether the command
/// was there to record something ([`crate::cli::Command::records`]); a refusal then says
/// that nothing was recorded, and for a command that only reads it is an error like another.
pub fn error_message(e: &Error, lang: Lang, records: bool) -> String {
    let prefix = lang.pick("错误：", "error: ");
    match e {
        Error::Usage(u) => format!("{prefix}{}", usage(u, lang)),
        // In English "refused" is the procedure rules' word (exit 3); a matter that does not
        // exist or an empty field is bad input (exit 2): "not recorded". (不予记录 says both.)
        Error::Refused(r) => format!(
            "{}{}",
            match (records, e.exit_code()) {
                (false, _) => prefix,
                (true, 3) => lang.pick("不予记录：", "refused: "),
                (true, _) => lang.pick("不予记录：", "not recorded: "),
            },
            super::rules::refusal(r, lang)
        ),
        Error::RefusedRows { id, rows, more } => {
            let mut s = lang.pick("不予记录：".to_string(), "refused:".to_string());
            for (line, refusal) in rows {
                s += "\n";
                s += &row_refused(*line, id, refusal, lang);
            }
            if *more > 0 {
                s += "\n";
                s += &more_rows_refused(*more, lang);
            }
            s + &lang.pick(
                "\n整个文件未导入：请改正以上各行后重新导入。".to_string(),
                "\nNothing from the file was imported: correct these rows and import it again."
                    .to_string(),
            )
        }
        Error::Integrity(problems) if problems.is_empty() => String::new(),
        // A clock problem only: its message says what to do; nothing says the record was
        // tampered with.
        Error::Integrity(problems) if problems.iter().all(|p| p.code == "E-LOG-FUTURE") => {
            let list: Vec<String> = problems.iter().map(|p| problem(lang, p)).collect();
            lang.pick(
                format!("校验未通过：\n{}", list.join("\n")),
                format!("check failed:\n{}", list.join("\n")),
            )
        }
        // The key file given does not go with this copy of the record, and nothing else was
        // found: the message says what to do (a backup from before a change of key, another
        // village's file), without the alarm of an altered record.
        Error::Integrity(problems)
            if problems.iter().all(|p| {
                matches!(
                    p.kind,
                    crate::check::ProblemKind::KeyFileLater { .. }
                        | crate::check::ProblemKind::KeyFileOtherRecord { .. }
                )
            }) =>
        {
            let list: Vec<String> = problems.iter().map(|p| problem(lang, p)).collect();
            lang.pick(
                format!("校验未通过：\n{}", list.join("\n")),
                format!("check failed:\n{}", list.join("\n")),
            )
        }
        Error::Integrity(problems) => {
            let list: Vec<String> = problems.iter().map(|p| problem(lang, p)).collect();
            match lang {
                Lang::Zh => format!(
                    "完整性校验失败：\n{}\n记录可能被改动或损坏。请勿继续录入，并联系乡镇核查。",
                    list.join("\n")
                ),
                Lang::En => format!(
                    "integrity check failed:\n{}\nThe record may have been altered or damaged. Stop recording and contact the township.",
                    list.join("\n")
                ),
            }
        }
        Error::Store(s) => store_message(s, lang, prefix),
        Error::Register(s) => {
            register_message(s, lang, prefix).unwrap_or_else(|| store_message(s, lang, prefix))
        }
        Error::Io { path, err } => format!("{prefix}{}", io_message(path, err, lang)),
        Error::Key { path: _, err } => {
            // The description is a sentence; after "error: " it goes on in lower case.
            let what = match (lang, prefix.is_empty()) {
                (Lang::En, false) => lower_first(&super::record::describe_key(err, lang)),
                _ => super::record::describe_key(err, lang),
            };
            match (err, lang) {
                (KeyError::AlreadyExists { .. }, _) => format!("{prefix}{what}"),
                (KeyError::Randomness { .. } | KeyError::WriteFailed { .. }, _) => {
                    format!("{prefix}{what}")
                }
                // The right file, readable by others: what to do is said (chmod 600), not
                // to give another file.
                (KeyError::LoosePermissions { .. }, _) => format!("{prefix}{what}"),
                // Every file variant names the path itself.
                (_, Lang::Zh) => format!(
                    "{prefix}{what}请用 --key 指定本村的签名密钥文件（默认是记录库旁的 liuyi.key）。"
                ),
                (_, Lang::En) => format!(
                    "{prefix}{what} Give the village's signing key file with --key (by default liuyi.key beside the database)."
                ),
            }
        }
        Error::TownshipKey { path, err } => {
            let what = match (lang, prefix.is_empty()) {
                (Lang::En, false) => lower_first(&super::record::describe_key(err, lang)),
                _ => super::record::describe_key(err, lang),
            };
            match (err, lang) {
                (
                    KeyError::AlreadyExists { .. }
                    | KeyError::Randomness { .. }
                    | KeyError::WriteFailed { .. },
                    _,
                ) => format!("{prefix}{what}"),
                (_, Lang::Zh) => format!(
                    "{prefix}{what}乡镇密钥文件应在乡镇登记簿旁（{}），由 liuyi township init 建立；请用 --township-db 指向它旁边的登记簿。",
                    path.display()
                ),
                (_, Lang::En) => format!(
                    "{prefix}{what} The township's key file belongs beside the township register ({}), made by liuyi township init; point --township-db at the register beside it.",
                    path.display()
                ),
            }
        }
        Error::Notice(n) => match n {
            crate::notice::NoticeError::Paper(p) => format!("{prefix}{}", p.message(lang)),
            crate::notice::NoticeError::Missing { id, what: "withdrawn" } => lang.pick(
                format!("不予打印：事项 {id} 已撤回，不是被否决的，没有答复书要打印。撤回的理由见 liuyi show {id}。"),
                format!("cannot print: matter {id} was withdrawn, not declined, so there is no reply to print. The reason for withdrawing is in liuyi show {id}."),
            ),
            crate::notice::NoticeError::Missing { id, what } => {
                let hint = match (*what, lang) {
                    ("consultation", Lang::Zh) => format!(
                        "签字表列出开始民议时确定的户，请在审议通过后先运行 liuyi consult {id} open。"
                    ),
                    ("consultation", Lang::En) => format!(
                        " The sheet lists the households the opening fixes: once reviewed, run liuyi consult {id} open first."
                    ),
                    ("decline", Lang::Zh) => format!(
                        "答复书写给未获通过的动议的动议人；受理回执用 liuyi form {id} motion 打印。"
                    ),
                    ("decline", Lang::En) => format!(
                        " The reply is written to the proposers of a declined motion; the receipt is printed with liuyi form {id} motion."
                    ),
                    _ => String::new(),
                };
                match lang {
                    Lang::Zh => format!(
                        "不予打印：事项 {id} 还没有记录{}。{hint}",
                        missing_word(what, lang)
                    ),
                    Lang::En => format!(
                        "cannot print: matter {id} has no {} recorded yet.{hint}",
                        missing_word(what, lang)
                    ),
                }
            }
        },
        Error::NoticeNotPlaced { id, kind, cause } => {
            let k = match kind {
                crate::rules::event::NoticeKind::Resolution => "resolution",
                crate::rules::event::NoticeKind::Result => "result",
            };
            let name = super::rules::notice_name(*kind, lang);
            let why = error_message(cause, lang, false);
            let why = why.strip_prefix(prefix).unwrap_or(&why);
            match lang {
                Lang::Zh => format!(
                    "{prefix}事项 {id} 的{name}已经记录为公开（这一步已完成，不要再运行 publish），但公告 PDF 没能写出：{why}\n公告已随记录保存，重新打印：liuyi notice {id} {k} -o 公告.pdf"
                ),
                Lang::En => format!(
                    "{prefix}the {name} of {id} WAS recorded as published (the step is done: do not run publish again), but its PDF could not be written: {why}\nThe notice is kept with the record; print it again: liuyi notice {id} {k} -o notice.pdf"
                ),
            }
        }
        Error::Internal(m) => format!("{prefix}{m}"),
    }
}

/// A store failure, worded for the village's record.
fn store_message(s: &StoreError, lang: Lang, prefix: &str) -> String {
    match (s, lang) {
        (StoreError::Exists(p), Lang::Zh) => {
            format!("{prefix}{} 已存在，不会覆盖。", p.display())
        }
        (StoreError::Exists(p), Lang::En) => format!(
            "{prefix}{} already exists and will not be overwritten.",
            p.display()
        ),
        (StoreError::Missing(p), Lang::Zh) => format!(
            "{prefix}找不到记录库 {}。新建请运行 liuyi init，或用 --db 指定位置。",
            p.display()
        ),
        (StoreError::Missing(p), Lang::En) => format!(
            "{prefix}no record at {}. Create one with liuyi init, or give its place with --db.",
            p.display()
        ),
        (StoreError::NotLiuyi(p), Lang::Zh) => format!(
            "{prefix}{} 不是六议记录库文件。请检查 --db 路径。",
            p.display()
        ),
        (StoreError::NotLiuyi(p), Lang::En) => format!(
            "{prefix}{} is not a liuyi database. Check the --db path.",
            p.display()
        ),
        (StoreError::TooNew { path, version }, Lang::Zh) => format!(
            "{prefix}{} 由更新版本的六议建立（格式版本 {version}）。请升级本程序后再打开。如果本村从未用过更新的版本，说明文件头被其他工具改过：请勿继续录入，并联系乡镇。",
            path.display()
        ),
        (StoreError::TooNew { path, version }, Lang::En) => format!(
            "{prefix}{} was made by a newer liuyi (format version {version}). Upgrade this program to open it. If no newer liuyi was ever used on it, its header was changed with another tool: stop recording and contact the township.",
            path.display()
        ),
        (StoreError::Busy, Lang::Zh) => {
            format!("{prefix}另一个六议命令正在使用记录库，请等它结束后再试。")
        }
        (StoreError::Busy, Lang::En) => format!(
            "{prefix}another liuyi command is using the record; try again when it has finished."
        ),
        (StoreError::Full, Lang::Zh) => {
            format!("{prefix}磁盘已满，本次操作未写入任何内容。请清理磁盘空间后重试。")
        }
        (StoreError::Full, Lang::En) => {
            format!("{prefix}the disk is full; nothing was written. Free some space and try again.")
        }
        (StoreError::FileChanged { path, detail }, Lang::Zh) => format!(
            "{prefix}{} 在记录过程中被改动或无法再读取（{detail}），本次未记录任何内容。请确认没有程序正在写这个文件，然后重新运行本命令。",
            path.display()
        ),
        (StoreError::FileChanged { path, detail }, Lang::En) => format!(
            "{prefix}{} changed or could no longer be read while it was being recorded ({detail}); nothing was recorded. Make sure nothing is writing the file, then run the command again.",
            path.display()
        ),
        (StoreError::Corrupt(m), Lang::Zh) => format!(
            "{prefix}记录库文件已损坏（{m}），可能是在写入时被复制、截断或改动。请勿继续录入；用备份或交给乡镇的审计包恢复，并联系乡镇。"
        ),
        (StoreError::Corrupt(m), Lang::En) => format!(
            "{prefix}the database file is damaged ({m}): it may have been copied mid-write, cut short or altered. Stop recording; restore it from a backup or the audit bundle given to the township, and contact the township."
        ),
        (StoreError::AttachmentAltered { sha256 }, Lang::Zh) => format!(
            "{prefix}记录库中已有一行附件登记为这个文件（SHA-256 {sha256}），但那一行的内容并不是这个文件：记录库被其他工具（如 sqlite3）直接改动过。本次未记录任何内容。请勿继续录入；运行 liuyi check 查看问题，并联系乡镇。"
        ),
        (StoreError::AttachmentAltered { sha256 }, Lang::En) => format!(
            "{prefix}the database already has an attachment row under this file's hash (SHA-256 {sha256}), but that row does not hold this file: the database was altered with another tool (such as sqlite3). Nothing was recorded. Stop recording; run liuyi check to see the problems, and contact the township."
        ),
        (StoreError::ReadOnly(m), Lang::Zh) => format!(
            "{prefix}文件不能写入（{m}）：它或它所在的文件夹是只读的（权限不够，或在只读的 U 盘、光盘上）。本次未记录任何内容。请检查文件和文件夹的权限，或把它复制到可写的位置，然后重新运行本命令。"
        ),
        (StoreError::ReadOnly(m), Lang::En) => format!(
            "{prefix}the file cannot be written ({m}): it or its folder is read-only (permissions, or a read-only USB stick or disc). Nothing was recorded. Check the file's and folder's permissions, or copy it somewhere writable, and run the command again."
        ),
        (StoreError::CannotOpen(m), Lang::Zh) => format!(
            "{prefix}文件打不开（{m}）：当前用户没有读取它的权限，或不能进入它所在的文件夹。本次未做任何改动。请用建立记录库的那个用户运行，或检查文件和文件夹的权限后重试。"
        ),
        (StoreError::CannotOpen(m), Lang::En) => format!(
            "{prefix}the file cannot be opened ({m}): this user may not read it, or may not enter its folder. Nothing was changed. Run as the user who made the record, or check the file's and folder's permissions, and try again."
        ),
        (StoreError::Sqlite(m), _) => format!("{prefix}{m}"),
    }
}

/// A failure of the township register, worded for it where the record's wording would
/// mislead (the flag to check, the remedy); `None` where the record's wording holds.
fn register_message(s: &StoreError, lang: Lang, prefix: &str) -> Option<String> {
    let path = |p: &Path| {
        if p.as_os_str().is_empty() {
            String::new()
        } else {
            format!("{} ", p.display())
        }
    };
    Some(match (s, lang) {
        (StoreError::Missing(p), Lang::Zh) => format!(
            "{prefix}找不到乡镇登记簿 {}。新建请运行 liuyi township init，或用 --township-db 指定位置。",
            p.display()
        ),
        (StoreError::Missing(p), Lang::En) => format!(
            "{prefix}no township register at {}. Create one with liuyi township init, or give its place with --township-db.",
            p.display()
        ),
        (StoreError::NotLiuyi(p), Lang::Zh) => format!(
            "{prefix}{}不是乡镇登记簿。请检查 --township-db 路径（默认是用户数据目录中的 township.db）。",
            path(p)
        ),
        (StoreError::NotLiuyi(p), Lang::En) => format!(
            "{prefix}{}is not a township register. Check the --township-db path (by default township.db in the user data directory).",
            path(p)
        ),
        (StoreError::TooNew { path, version }, Lang::Zh) => format!(
            "{prefix}乡镇登记簿 {} 由更新版本的六议建立（格式版本 {version}）。请升级本程序后再打开。",
            path.display()
        ),
        (StoreError::TooNew { path, version }, Lang::En) => format!(
            "{prefix}the township register {} was made by a newer liuyi (format version {version}). Upgrade this program to open it.",
            path.display()
        ),
        (StoreError::Busy, Lang::Zh) => {
            format!("{prefix}另一个六议命令正在使用乡镇登记簿，请等它结束后再试。")
        }
        (StoreError::Busy, Lang::En) => format!(
            "{prefix}another liuyi command is using the township register; try again when it has finished."
        ),
        (StoreError::Corrupt(m), Lang::Zh) => format!(
            "{prefix}乡镇登记簿文件已损坏（{m}），可能是在写入时被复制、截断或改动。请暂停登记和会签，用登记簿的备份恢复。"
        ),
        (StoreError::Corrupt(m), Lang::En) => format!(
            "{prefix}the township register is damaged ({m}): it may have been copied mid-write, cut short or altered. Stop registering and cosigning, and restore the register from its backup."
        ),
        _ => return None,
    })
}

/// An I/O error on `path`, the common kinds worded in the user's language (never the
/// operating system's English in a Chinese sentence), with what to do next.
fn io_message(path: &Path, err: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind as K;
    let p = path.display();
    let missing_dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.is_dir());
    match (err.kind(), missing_dir, lang) {
        (K::NotFound, Some(d), Lang::Zh) => format!(
            "目录 {} 不存在（{p}）。请检查路径，或先建立该目录。",
            d.display()
        ),
        (K::NotFound, Some(d), Lang::En) => format!(
            "the directory {} does not exist ({p}). Check the path, or create the directory first.",
            d.display()
        ),
        (K::NotFound, None, Lang::Zh) => format!("找不到文件 {p}。请检查文件名和路径。"),
        (K::NotFound, None, Lang::En) => {
            format!("file {p} not found. Check the file name and path.")
        }
        (K::PermissionDenied, _, Lang::Zh) => {
            format!("没有权限读写 {p}。请检查文件和目录的权限。")
        }
        (K::PermissionDenied, _, Lang::En) => format!(
            "permission denied for {p}. Check the permissions of the file and its directory."
        ),
        (K::AlreadyExists, _, Lang::Zh) => format!("{p} 已存在，不会覆盖。请换一个文件名。"),
        (K::AlreadyExists, _, Lang::En) => {
            format!("{p} already exists and will not be overwritten. Choose another name.")
        }
        (K::IsADirectory, _, Lang::Zh) => format!("{p} 是一个目录，不是文件。请给出文件路径。"),
        (K::IsADirectory, _, Lang::En) => {
            format!("{p} is a directory, not a file. Give a file path.")
        }
        (K::StorageFull, _, Lang::Zh) => {
            format!("磁盘已满，无法写入 {p}。请清理磁盘空间后重试。")
        }
        (K::StorageFull, _, Lang::En) => {
            format!("the disk is full: cannot write {p}. Free some space and try again.")
        }
        // Rare kinds: the system's own words, marked as such.
        (_, _, Lang::Zh) => format!("无法读写 {p}（系统提示：{err}）。"),
        (_, _, Lang::En) => format!("cannot read or write {p}: {err}"),
    }
}

fn missing_word(what: &str, lang: Lang) -> &str {
    let zh = match what {
        "motion" => "动议",
        "proposal" => "提议",
        "discussion" => "商议",
        "review" => "审议",
        "consultation" => "民议",
        "resolution" => "决议",
        "completion" => "竣工验收",
        "roster" => "花名册",
        "decline" => "不予通过的决定",
        _ => what,
    };
    lang.pick(zh, what)
}

/// `s` with its first letter in lower case ("The key file …" after "error: ").
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A recorded field as the secretary knows it: its option, and in Chinese its name as the
/// rules' messages give it.
fn field_label(field: &str, lang: Lang) -> String {
    let flag = format!("--{}", field.replace('_', "-"));
    match lang {
        Lang::Zh => format!("{}（{flag}）", super::rules::field_name(field, lang)),
        Lang::En => flag,
    }
}

/// The name of a `HOUSEHOLD:NAME` (or the text as given).
fn bare_name(s: &str) -> &str {
    s.rsplit_once([':', '：']).map_or(s, |(_, n)| n)
}

/// What is wrong with a policy file, in words (`policy set`).
pub fn policy_file_problem(p: &crate::error::PolicyFileProblem, lang: Lang) -> String {
    use crate::error::{JsonKind, PolicyFileProblem as P};
    let kind = |k: &JsonKind| match k {
        JsonKind::Number => lang.pick("非负整数", "a whole number"),
        JsonKind::Bool => lang.pick("true 或 false", "true or false"),
        JsonKind::Text => lang.pick("带引号的文字", "a quoted text"),
        JsonKind::Object => lang.pick("{…} 对象", "an object {…}"),
        JsonKind::List => lang.pick("[…] 列表", "a list […]"),
    };
    let shown = |s: &str| super::input::shown(s);
    match p {
        P::NotJson { line, column } => lang.pick(
            format!("第 {line} 行第 {column} 列不是有效的 JSON（字段名和文字要用英文双引号，逗号、括号要成对）"),
            format!("line {line}, column {column} is not valid JSON (names and texts in double quotes, commas and brackets in pairs)"),
        ),
        P::Truncated => lang
            .pick("文件在结尾前中断了（缺少右括号或引号）", "the file ends too early (a closing bracket or quote is missing)")
            .into(),
        P::Missing(f) => lang.pick(format!("缺少字段 {}", shown(f)), format!("the field {} is missing", shown(f))),
        P::Unknown(f) => lang.pick(format!("有不认识的字段 {}", shown(f)), format!("the field {} is not known", shown(f))),
        P::NotWholeNumber { field, value } => lang.pick(
            format!("字段 {} 的值 {} 不是非负整数（不能带负号或小数点）", shown(field), shown(value)),
            format!("the field {} holds {}, not a whole number of zero or more (no sign, no decimal point)", shown(field), shown(value)),
        ),
        P::NumberTooLarge { field, value, max } => lang.pick(
            format!("字段 {} 的值 {} 太大：最大为 {max}", shown(field), shown(value)),
            format!("the field {} holds {}, which is too large: at most {max}", shown(field), shown(value)),
        ),
        P::WrongType { field, expected } if field.is_empty() => lang.pick(
            format!("整个文件应是一个 {}", kind(expected)),
            format!("the whole file should be {}", kind(expected)),
        ),
        P::WrongType { field, expected } => lang.pick(
            format!("字段 {} 的值应是{}", shown(field), kind(expected)),
            format!("the field {} should hold {}", shown(field), kind(expected)),
        ),
        P::UnknownValue { field, value, accepted } => {
            let list: Vec<String> = accepted.iter().map(|a| shown(a)).collect();
            lang.pick(
                format!("字段 {} 的值“{}”不是可填的值；可填：{}", shown(field), shown(value), list.join("、")),
                format!("the field {} holds \"{}\", not an accepted value; use one of: {}", shown(field), shown(value), list.join(", ")),
            )
        }
        P::Repeated { field, value } => lang.pick(
            format!("字段 {} 把“{}”列了两次：每项只列一次", shown(field), shown(value)),
            format!("the field {} lists \"{}\" twice: list each once", shown(field), shown(value)),
        ),
        P::BadValue { field } => lang.pick(
            format!("字段 {} 的值不对", shown(field)),
            format!("the field {} holds a value the policy cannot have", shown(field)),
        ),
    }
}

/// `YYYY-MM-DD` in form (digits where the digits go), whether or not the day exists.
fn shaped_as_date(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Policy;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn english_counts_agree_with_their_nouns() {
        let one = objections_unanswered(Lang::En, "2026-001", &[1]);
        assert!(
            one.contains("has 1 unanswered objection (number 1)"),
            "{one}"
        );
        let two = objections_unanswered(Lang::En, "2026-001", &[1, 2]);
        assert!(
            two.contains("has 2 unanswered objections (number 1, 2)"),
            "{two}"
        );
        let m = representatives_makeup(Lang::En, 9, 1, 1);
        assert!(
            m.contains("of whom 1 representative and 1 woman representative;"),
            "{m}"
        );
        let m = representatives_makeup(Lang::En, 9, 4, 2);
        assert!(
            m.contains("of whom 4 representatives and 2 women representatives;"),
            "{m}"
        );
    }

    #[test]
    fn an_opening_says_the_share_the_policy_requires() {
        use crate::rules::Threshold;
        let day = NaiveDate::from_ymd_opt(2026, 3, 18).unwrap();
        let zh = |adults, t| consult_opened(Lang::Zh, "2026-001", 1, 80, adults, t, day);
        assert!(zh(false, Threshold::ALL).contains("范围内共 80 户，须全部签字同意。"));
        assert!(zh(true, Threshold::TWO_THIRDS).contains("80 名成年村民，须三分之二以上签字同意"));
        let en = consult_opened(
            Lang::En,
            "2026-001",
            1,
            80,
            false,
            Threshold::TWO_THIRDS,
            day,
        );
        assert!(
            en.contains("two thirds or more of them must sign consent"),
            "{en}"
        );
    }

    #[test]
    fn a_long_status_list_names_the_first_hundred_and_where_the_rest_are() {
        let ids = |n: usize| (1..=n).map(|i| format!("{i:04}")).collect::<BTreeSet<_>>();
        let round = |n: usize| Round {
            round: 1,
            adults: false,
            opened: NaiveDate::from_ymd_opt(2026, 2, 21).unwrap(),
            scope: ids(n),
            left: BTreeMap::new(),
            records: BTreeMap::new(),
            sheets: vec![],
            objected: BTreeMap::new(),
            compacted: None,
        };
        let s = consult_status(
            Lang::Zh,
            "2026-001",
            &round(2000),
            Stage::Consultation,
            &Policy::default(),
        );
        assert!(s.contains("未签：0001、0002"), "{s}");
        assert!(
            s.contains("0100 等共 2000 户（完整名单：liuyi consult 2026-001 status --json）"),
            "{s}"
        );
        assert!(!s.contains("0101"), "{s}");
        let s = consult_status(
            Lang::En,
            "2026-001",
            &round(2000),
            Stage::Consultation,
            &Policy::default(),
        );
        assert!(s.contains("0100 and 1900 more (the whole list"), "{s}");
        let s = consult_status(
            Lang::Zh,
            "2026-001",
            &round(100),
            Stage::Consultation,
            &Policy::default(),
        );
        assert!(s.contains("0099、0100") && !s.contains("等共"), "{s}");
    }

    /// A consent on a sheet page with no scan: at 民议 the status gives the command that
    /// attaches it; once resolved (under a policy below 100 %) it only names the page, as
    /// `attach` is refused then.
    #[test]
    fn pages_without_a_scan_get_the_attach_command_only_at_consultation() {
        let consent: crate::rules::event::ConsentEvent = serde_json::from_value(
            serde_json::json!({"id": "2026-001", "round": 1, "household": "0001",
                "date": "2026-03-01", "opinion": "consent", "signer": "张三",
                "method": "in-person", "sheet_page": 3}),
        )
        .unwrap();
        let round = Round {
            round: 1,
            adults: false,
            opened: NaiveDate::from_ymd_opt(2026, 2, 21).unwrap(),
            scope: ["0001".to_string()].into(),
            left: BTreeMap::new(),
            records: [("0001".to_string(), consent)].into(),
            sheets: vec![],
            objected: BTreeMap::new(),
            compacted: None,
        };
        let status =
            |stage, lang| consult_status(lang, "2026-001", &round, stage, &Policy::default());
        let s = status(Stage::Consultation, Lang::Zh);
        assert!(
            s.contains("签字表第 3 页尚无扫描件：liuyi consult 2026-001 attach"),
            "{s}"
        );
        let s = status(Stage::ResolutionPublished, Lang::Zh);
        assert!(
            s.contains("签字表第 3 页没有扫描件。") && !s.contains("attach"),
            "{s}"
        );
        let s = status(Stage::ResolutionPublished, Lang::En);
        assert!(
            s.contains("pages without a scan: 3.") && !s.contains("attach"),
            "{s}"
        );
    }

    #[test]
    fn an_overspend_of_a_zero_budget_gives_no_share() {
        let s = overspent(Lang::Zh, 0, 10_000);
        assert!(s.contains("超支 ¥100.00。") && !s.contains('%'), "{s}");
        let s = overspent(Lang::En, 0, 10_000);
        assert!(s.contains("by ¥100.00. ") && !s.contains('%'), "{s}");
        assert!(overspent(Lang::Zh, 10_000, 10_100).contains("（1.0%）"));
    }

    #[test]
    fn pages_without_a_scan_are_told_as_runs() {
        assert_eq!(
            super::page_ranges(&[9, 3, 4, 5, 4, 12]),
            vec![(3, 5), (9, 9), (12, 12)]
        );
        assert!(super::page_ranges(&[]).is_empty());
    }
}
