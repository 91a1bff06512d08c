//! Sentences for the rules engine: refusals (rule, numbers, what to do next), stage and
//! meeting names, and the next step for `status`.

use super::Lang;
use crate::rules::event::NoticeKind;
use crate::rules::people::Status;
use crate::rules::refusal::{DatedBy, KeyRotationProblem, ObjectionWithdrawal, Refusal, VoteBase};
use crate::rules::{Action, Meeting, Stage, Threshold};

pub fn stage_name(s: Stage, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => match s {
            Stage::Motion => "动议",
            Stage::Proposal => "提议",
            Stage::Discussion => "商议",
            Stage::Review => "审议",
            Stage::Consultation => "民议",
            Stage::Resolution => "决议",
            Stage::ResolutionPublished => "决议公开",
            Stage::Implementation => "实施",
            Stage::Completed => "已完成",
            Stage::ResultPublished => "实施结果公开",
            Stage::Declined => "已否决",
            Stage::Withdrawn => "已撤回",
        },
        Lang::En => match s {
            Stage::Motion => "motion",
            Stage::Proposal => "proposal",
            Stage::Discussion => "discussion",
            Stage::Review => "review",
            Stage::Consultation => "consultation",
            Stage::Resolution => "resolution",
            Stage::ResolutionPublished => "resolution published",
            Stage::Implementation => "implementation",
            Stage::Completed => "completed",
            Stage::ResultPublished => "result published",
            Stage::Declined => "declined",
            Stage::Withdrawn => "withdrawn",
        },
    }
}

pub fn meeting_name(m: Meeting, lang: Lang) -> &'static str {
    match (m, lang) {
        (Meeting::BranchCommittee, Lang::Zh) => "支委会",
        (Meeting::TwoCommittees, Lang::Zh) => "两委联席会",
        (Meeting::PartyMembers, Lang::Zh) => "党员大会",
        (Meeting::Representatives, Lang::Zh) => "村民代表会议",
        (Meeting::Villagers, Lang::Zh) => "村民会议",
        (Meeting::BranchCommittee, Lang::En) => "the party branch committee",
        (Meeting::TwoCommittees, Lang::En) => "the joint meeting of the two committees",
        (Meeting::PartyMembers, Lang::En) => "the party members' meeting",
        (Meeting::Representatives, Lang::En) => "the villager representatives' meeting",
        (Meeting::Villagers, Lang::En) => "the villagers' meeting",
    }
}

fn expected_word(m: Meeting, lang: Lang) -> &'static str {
    match (m, lang) {
        (Meeting::BranchCommittee, Lang::Zh) => "支委委员",
        (Meeting::TwoCommittees, Lang::Zh) => "两委成员（每人计一次）",
        (Meeting::PartyMembers, Lang::Zh) => "有表决权的正式党员（预备党员不计）",
        (Meeting::Representatives, Lang::Zh) => "组成人员（村委委员与村民代表，每人计一次）",
        (Meeting::Villagers, Lang::Zh) => "年满十八周岁的村民",
        (Meeting::BranchCommittee, Lang::En) => "branch committee members",
        (Meeting::TwoCommittees, Lang::En) => "two-committee members (each person once)",
        (Meeting::PartyMembers, Lang::En) => "voting party members (probationary members excluded)",
        (Meeting::Representatives, Lang::En) => {
            "members (village committee plus representatives, each person once)"
        }
        (Meeting::Villagers, Lang::En) => "villagers aged 18 or over",
    }
}

/// A key of a 民议 scope as a sentence names it: a household (`0005 户`), or, when 民议
/// counts adults, a person (`村民 0005:戊一`).
fn scope_member(key: &str, lang: Lang) -> String {
    match (key.contains(':'), lang) {
        (true, Lang::Zh) => format!("村民 {key}"),
        (false, Lang::Zh) => format!("{key} 户"),
        (true, Lang::En) => format!("villager {key}"),
        (false, Lang::En) => format!("household {key}"),
    }
}

/// The name in `HOUSEHOLD:NAME`.
fn person_name(person: &str) -> &str {
    person.split_once(':').map_or(person, |(_, n)| n)
}

/// 1–10 as written in a fraction in Chinese text (五分之四), larger numbers in figures.
fn cn_small(n: u32) -> String {
    const DIGITS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    match n {
        1..=10 => DIGITS[n as usize - 1].to_string(),
        _ => n.to_string(),
    }
}

/// "more than half" / "two thirds or more" / a general fraction.
pub fn threshold_words(t: Threshold, lang: Lang) -> String {
    match (t.num, t.den, t.strict, lang) {
        (1, 2, true, Lang::Zh) => "过半数".into(),
        (1, 2, true, Lang::En) => "more than half".into(),
        (2, 3, false, Lang::Zh) => "三分之二以上".into(),
        (2, 3, false, Lang::En) => "two thirds or more".into(),
        (1, 1, false, Lang::Zh) => "全部".into(),
        (1, 1, false, Lang::En) => "all".into(),
        (n, d, true, Lang::Zh) => format!("超过{}分之{}", cn_small(d), cn_small(n)),
        (n, d, false, Lang::Zh) => format!("{}分之{}以上", cn_small(d), cn_small(n)),
        (n, d, true, Lang::En) => format!("more than {n}/{d}"),
        (n, d, false, Lang::En) => format!("at least {n}/{d}"),
    }
}

pub fn action_name(a: Action, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => match a {
            Action::Propose => "提议",
            Action::Discuss => "商议",
            Action::Review => "审议",
            Action::ConsultOpen => "开始民议",
            Action::ConsultRecord => "登记民议意见",
            Action::ConsultAttach => "附签字表扫描件",
            Action::Resolve => "决议",
            Action::PublishResolution => "决议公开",
            Action::PublishResult => "实施结果公开",
            Action::Objection => "登记异议",
            Action::Reply => "答复异议",
            Action::Implement => "登记实施进展",
            Action::Complete => "竣工验收",
            Action::Revise => "退回修改方案",
            Action::Withdraw => "撤回",
        },
        Lang::En => match a {
            Action::Propose => "propose",
            Action::Discuss => "discuss",
            Action::Review => "review",
            Action::ConsultOpen => "open the consultation",
            Action::ConsultRecord => "record a household's opinion",
            Action::ConsultAttach => "attach signature-sheet scans",
            Action::Resolve => "resolve",
            Action::PublishResolution => "publish the resolution",
            Action::PublishResult => "publish the result",
            Action::Objection => "record an objection",
            Action::Reply => "reply to an objection",
            Action::Implement => "record implementation progress",
            Action::Complete => "record completion and acceptance",
            Action::Revise => "revise the plan",
            Action::Withdraw => "withdraw",
        },
    }
}

/// The command that performs `a` on matter `id`, as the secretary would type it, its
/// placeholders in `lang` (到会人数, 文件 …); [`action_command`] is the same with English ones
/// (the `next_command` of JSON).
pub fn action_command_in(a: Action, id: &str, lang: Lang) -> String {
    let w = |en: &'static str, zh: &'static str| lang.pick(zh, en);
    let present = w("N", "到会人数");
    let votes = format!(
        "--for {} --against {} --abstain {}",
        w("N", "同意票数"),
        w("N", "反对票数"),
        w("N", "弃权票数")
    );
    // Chinese leaves --place out: 村务公开栏 unless given.
    let publish = |kind: &str, file: &'static str| {
        format!(
            "liuyi publish {id} {kind}{} -o {}",
            w(" --place TEXT", ""),
            w("FILE.pdf", file)
        )
    };
    match a {
        Action::Propose => format!("liuyi propose {id} --present {present} --decision adopt"),
        Action::Discuss => format!(
            "liuyi discuss {id} --present {present} --decision adopt --plan-file {} --budget {}",
            w("F", "方案文件"),
            w("YUAN", "预算金额")
        ),
        Action::Review => format!("liuyi review {id} --present {present} {votes}"),
        Action::ConsultOpen => format!("liuyi consult {id} open"),
        Action::ConsultRecord => format!(
            "liuyi consult {id} record {} --consent --signer {}",
            w("HOUSEHOLD", "户号"),
            w("NAME", "签字人")
        ),
        Action::ConsultAttach => format!(
            "liuyi consult {id} attach {} --pages {}",
            w("FILE", "扫描件"),
            w("A-B", "起页-止页")
        ),
        Action::Resolve => {
            format!("liuyi resolve {id} --body representatives --present {present} {votes}")
        }
        Action::PublishResolution => publish("resolution", "决议公告.pdf"),
        Action::PublishResult => publish("result", "结果公告.pdf"),
        Action::Objection => format!(
            "liuyi objection {id} --from {} --text {}",
            w("NAME", "异议人"),
            w("T", "异议内容")
        ),
        Action::Reply => reply_command(id, w("N", "异议序号"), lang),
        Action::Implement => format!("liuyi implement {id} --note {}", w("T", "进展情况")),
        Action::Complete => format!(
            "liuyi complete {id} --spent {} --accepted-by {}",
            w("YUAN", "实际金额"),
            w("NAMES", "验收人")
        ),
        Action::Revise => format!("liuyi revise {id} --reason {}", w("T", "理由")),
        Action::Withdraw => format!("liuyi withdraw {id} --reason {}", w("T", "理由")),
    }
}

/// What a matter at 民议 waits for, said whatever was refused: the resolution only once
/// the households' opinions meet the policy, else their missing consents, or a revision
/// when a household objects; a household's objection is recorded as its opinion.
fn consultation_next(id: &str, action: Action, lang: Lang) -> String {
    let record = action_command_in(Action::ConsultRecord, id, lang);
    let object = format!(
        "liuyi consult {id} record {} --object {} --signer {}",
        lang.pick("户号", "HOUSEHOLD"),
        lang.pick("理由", "REASON"),
        lang.pick("签字人", "NAME")
    );
    let resolve = action_command_in(Action::Resolve, id, lang);
    let revise = action_command_in(Action::Revise, id, lang);
    let mut s = match lang {
        Lang::Zh => format!(
            "民议尚未结束：liuyi consult {id} status 列出还缺哪些户的意见，逐户记录（{record}）；意见收齐、达到要求后，下一步为：{resolve}；有户反对时，可 {revise} 修改方案后重新征求。"
        ),
        Lang::En => format!(
            " The consultation is still open: liuyi consult {id} status lists the households whose opinions are missing; record each ({record}). Once they meet the policy, the next step is: {resolve}; with a household objecting, {revise} sends the plan back to be revised and consulted again."
        ),
    };
    if action == Action::Objection {
        s = match lang {
            Lang::Zh => format!("民议期间某户的反对意见，记为该户的意见：{object}。") + &s,
            Lang::En => {
                format!(
                    " A household's objection during the consultation is its opinion: {object}."
                ) + &s
            }
        };
    }
    s
}

/// A discussion's funding the notices could not print as adopted (a replay's refusal: the
/// command said it with its flags).
fn funding_problem(p: &crate::rules::funding::Problem, lang: Lang) -> String {
    use crate::paper::money::format_yuan as f;
    use crate::rules::funding::{Problem, Unsplit};
    use Lang::{En, Zh};
    let listed = |parts: &[(String, i64)]| {
        parts
            .iter()
            .map(|(n, a)| format!("{n} {}", f(*a)))
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", "))
    };
    match (p, lang) {
        (Problem::Mismatch { parts, sum, budget }, Zh) => format!(
            "商议通过的资金来源金额合计 {}（{}），与预算 {} 不符：公告会逐项印出。",
            f(*sum),
            listed(parts),
            f(*budget)
        ),
        (Problem::Mismatch { parts, sum, budget }, En) => format!(
            "the funding sources the discussion adopted add up to {} ({}), not the budget of {}: the notice prints each.",
            f(*sum),
            listed(parts),
            f(*budget)
        ),
        (Problem::WithoutBudget { parts, sum }, Zh) => format!(
            "商议通过的资金来源列出了金额，合计 {}（{}），却没有预算。",
            f(*sum),
            listed(parts)
        ),
        (Problem::WithoutBudget { parts, sum }, En) => format!(
            "the funding sources the discussion adopted give amounts, {} in all ({}), with no budget.",
            f(*sum),
            listed(parts)
        ),
        (Problem::Unsplit(Unsplit::NoAmount(part)), Zh) => {
            format!("商议通过的资金来源中，“{part}”没有写金额，公告无法逐项印出。")
        }
        (Problem::Unsplit(Unsplit::NoAmount(part)), En) => format!(
            "among the funding sources the discussion adopted, \"{part}\" has no amount: the notice cannot print them one by one."
        ),
        (Problem::Unsplit(Unsplit::NotFigures(part) | Unsplit::ThousandsComma(part)), Zh) => {
            format!(
                "商议通过的资金来源中，“{part}”的金额不是半角数字加“元”的写法，公告无法逐项印出。"
            )
        }
        (Problem::Unsplit(Unsplit::NotFigures(part) | Unsplit::ThousandsComma(part)), En) => {
            format!(
                "among the funding sources the discussion adopted, \"{part}\" gives its amount other than in figures and 元: the notice cannot print them one by one."
            )
        }
    }
}

/// The command that records the reply to objection `n` (a number, or its placeholder) of
/// matter `id`.
pub fn reply_command(id: &str, n: impl std::fmt::Display, lang: Lang) -> String {
    format!(
        "liuyi objection {id} reply {n} --text {}",
        lang.pick("答复内容", "T")
    )
}

/// The command that performs `a` on matter `id`, as the secretary would type it (English
/// placeholders: the `next_command` of JSON).
pub fn action_command(a: Action, id: &str) -> String {
    action_command_in(a, id, Lang::En)
}

fn yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

fn list(items: &[String], lang: Lang) -> String {
    households_upto(items, 40, lang)
}

/// The first `max` households of `items`, and how many there are in all when that is more.
/// Whose opinion a 民议 key names: a household (户号 0012), or, in a round that asks each
/// adult, a villager (村民 0012:张三).
pub(crate) fn who(key: &str, lang: Lang) -> String {
    match (key.contains(':'), lang) {
        (false, Lang::Zh) => format!("户号 {key}"),
        (true, Lang::Zh) => format!("村民 {key}"),
        (false, Lang::En) => format!("household {key}"),
        (true, Lang::En) => format!("villager {key}"),
    }
}

/// What a 民议 round counts, as a measure word and a plural: 户 / households, or 人 / adults
/// when the village's policy asks each adult.
pub(crate) fn consultation_unit(adults: bool, lang: Lang) -> (&'static str, &'static str) {
    match (adults, lang) {
        (false, Lang::Zh) => ("户", "户"),
        (true, Lang::Zh) => ("人", "人"),
        (false, Lang::En) => ("household", "households"),
        (true, Lang::En) => ("adult", "adults"),
    }
}

pub(crate) fn households_upto(items: &[String], max: usize, lang: Lang) -> String {
    let shown: Vec<&str> = items.iter().take(max).map(String::as_str).collect();
    let mut s = shown.join(lang.pick("、", ", "));
    if items.len() > max {
        // People (HOUSEHOLD:NAME, a round that asks each adult) or households.
        let (unit, _) = consultation_unit(items.iter().any(|i| i.contains(':')), lang);
        s.push_str(&match lang {
            Lang::Zh => format!(" 等共 {} {unit}", items.len()),
            Lang::En => format!(" and {} more", items.len() - max),
        });
    }
    s
}

/// Page numbers as runs, the way `--pages A-B` takes them: "1-100、103" (a 2,000-household
/// sheet has 100 pages; listing each made a refusal hundreds of numbers long).
fn page_ranges(pages: &[u32], lang: Lang) -> String {
    let mut sorted = pages.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        runs.push(if end == start {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
        i += 1;
    }
    runs.join(lang.pick("、", ", "))
}

pub(crate) fn notice_name(k: NoticeKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (NoticeKind::Resolution, Lang::Zh) => "决议公告",
        (NoticeKind::Result, Lang::Zh) => "实施结果公告",
        (NoticeKind::Resolution, Lang::En) => "resolution notice",
        (NoticeKind::Result, Lang::En) => "result notice",
    }
}

pub(crate) fn field_name(f: &str, lang: Lang) -> String {
    let zh = match f {
        "title" => "标题",
        "text" => "内容",
        "by" => "提出人",
        "reason" => "理由",
        "note" => "说明",
        "place" => "张贴地点",
        "signer" => "签字人",
        "from" => "异议人",
        "accepted_by" => "验收人",
        "amount" => "金额",
        "budget" => "预算",
        "spent" => "支出",
        "plan" => "方案",
        "funding" => "资金来源",
        "relation" => "关系",
        "collector" => "征求人",
        "contractor" => "施工单位",
        "procurement" => "确定方式",
        "correction" => "更正原因",
        "household" => "户号",
        "attach" => "凭证文件（--attach）",
        "supervisor" => "村务监督委员会联系人",
        "phone" => "联系电话",
        other => other,
    };
    lang.pick(zh.to_string(), f.replace('_', " "))
}

/// The full refusal message: which rule, the numbers, what to do next.
pub fn refusal(r: &Refusal, lang: Lang) -> String {
    use Lang::*;
    match (r, lang) {
        (Refusal::UnderPolicyOf { date, refusal: inner }, Zh) => format!("（按 {date} 那天施行的本村议事规则判断，现行规则自其后施行）{}", refusal(inner, lang)),
        (Refusal::UnderPolicyOf { date, refusal: inner }, En) => format!("(judged by the village's rules in force on {date}; those in force now took effect later) {}", refusal(inner, lang)),
        (Refusal::NotGenesis { idx }, Zh) => format!("第 {idx} 条记录不能是创世记录：创世记录只能是第一条。"),
        (Refusal::NotGenesis { idx }, En) => format!("entry {idx} cannot be a genesis entry: genesis must be the first entry."),
        (Refusal::CorrectionTarget { id, expected: Some(e), .. }, Zh) => format!("事项 {id} 已登记竣工验收（第 {e} 条记录）。再次登记是对它的更正：须指明更正的是第 {e} 条记录，并写明更正原因（liuyi complete {id} … --correction 原因）。"),
        (Refusal::CorrectionTarget { id, expected: Some(e), .. }, En) => format!("matter {id}'s completion is recorded (entry {e}). Recording it again corrects it: the correction names entry {e} and says why (liuyi complete {id} … --correction REASON)."),
        (Refusal::CorrectionTarget { id, expected: None, given: Some(n) }, Zh) => format!("事项 {id} 还没有登记竣工验收，没有可更正的记录（更正指向第 {n} 条记录）。"),
        (Refusal::CorrectionTarget { id, expected: None, given: Some(n) }, En) => format!("matter {id} has no completion recorded to correct (the correction names entry {n})."),
        (Refusal::CorrectionTarget { id, .. }, Zh) => format!("事项 {id} 还没有登记竣工验收，没有可更正的记录：请去掉 --correction 再运行。"),
        (Refusal::CorrectionTarget { id, .. }, En) => format!("matter {id} has no completion recorded to correct: run it again without --correction."),
        (Refusal::GenesisMissing, Zh) => "记录库尚未初始化：请先运行 liuyi init。".into(),
        (Refusal::GenesisMissing, En) => "the record is not initialised: run liuyi init first.".into(),
        (Refusal::ScopeReturnElsewhere { id, round, key, person, to }, Zh) => {
            let who = scope_member(key, lang);
            let name = person_name(person);
            format!(
                "此次花名册变更把 {name} 登记到 {to} 户，但 {name} 在事项 {id} 第 {round} 轮民议开始时属于 {who}，{who}已因花名册变更退出这一轮的范围且没有签字同意；{to} 户不在这一轮的范围内，这样 {who}的意见就无从征求。请按原户号 {} 登记（回到民议范围，须征求意见），或先对事项 {id} 执行 revise（新一轮按新的花名册确定范围）。",
                key.split_once(':').map_or(key.as_str(), |(h, _)| h)
            )
        }
        (Refusal::ScopeReturnElsewhere { id, round, key, person, to }, En) => {
            let who = scope_member(key, lang);
            let name = person_name(person);
            format!(
                "this roster change puts {name} in household {to}, but {name} belonged to {who} when round {round} of the consultation on {id} opened, and {who} has left that round's scope by a roster change without consenting; household {to} is not in the round's scope, so the opinion of {who} could not be asked. Enter them under the household number {} (back into the scope, to be asked), or revise matter {id} first (the next round takes its scope from the new roster).",
                key.split_once(':').map_or(key.as_str(), |(h, _)| h)
            )
        }
        (Refusal::ObjectorDeleted { id, round, key, person }, Zh) => {
            let who = scope_member(key, lang);
            format!(
                "此次花名册变更会把 {person} 从花名册删除，使 {who}退出事项 {id} 第 {round} 轮民议的范围，但 {who}在这一轮中签字反对，不会是录入错误。如果已迁出、死亡或户内无人，请在花名册中把状态改为“迁出”或“死亡”（不要删除这一行），再导入；否则先对事项 {id} 执行 revise。"
            )
        }
        (Refusal::ObjectorDeleted { id, round, key, person }, En) => {
            let who = scope_member(key, lang);
            format!(
                "this roster change deletes {person} from the roster, taking {who} out of the scope of round {round} of the consultation on {id}, but {who} signed an objection in that round: it is no entry made in error. If they moved out, died or no one is left, mark the status as moved out (迁出) or deceased (死亡) in the roster instead of deleting the row, and import it again; otherwise revise matter {id} first."
            )
        }
        (Refusal::ConsentShareDuringRound { id, round, from, to }, Zh) => format!(
            "事项 {id} 第 {round} 轮民议正在进行：民议同意比例（现为「{}」）不能在民议进行中改为「{}」。一轮民议按开始征求意见时的比例判定。请等这一轮结束（决议，或 revise 退回商议）后再改；其他规则可以照常修改（规则文件中民议同意比例保持不变即可）。",
            threshold_words(*from, lang), threshold_words(*to, lang)),
        (Refusal::ConsentShareDuringRound { id, round, from, to }, En) => format!(
            "round {round} of the consultation on {id} is open: the consultation's consent share ({} now) cannot be changed to {} while it runs. A round is judged by the share its households were asked under. Change it once the round is over (resolved, or revised back to discussion); other rules can be changed now (keep the consent share as it is in the file).",
            threshold_words(*from, lang), threshold_words(*to, lang)),
        (Refusal::PolicyBelowLaw { rule, floor }, _) => policy_below_law(rule, *floor, lang),
        (Refusal::InvalidPolicy { field, value }, Zh) => format!("规则设置无效：{field} 的值 {value} 不在允许范围内（每项比例须大于 0、不超过 1，“strict”即“过半数”式的严格大于时不能等于 1；最短公示期在 1 至 366 天之间）。请改正规则文件中的这一项后重试。"),
        (Refusal::InvalidPolicy { field, value }, En) => format!("invalid policy: {field} is {value}, out of range (every threshold must be a fraction above 0 and at most 1, and a strict one below 1; the minimum posting period between 1 and 366 days). Correct that rule in the file and try again."),
        (Refusal::ClockBehind { last, now }, Zh) => format!(
            "电脑时钟早于上一条记录的时间（上一条 {}，现在 {}）：记录不能倒签。请先把电脑的日期和时间校正后再操作；如果电脑时钟本来无误，是上一条记录时时钟调快了，要到上一条的时间之后才能继续记录（相差一天以上时 liuyi check 会报告），请带着这份记录联系乡镇。",
            last.format("%Y-%m-%d %H:%M:%S UTC"), now.format("%Y-%m-%d %H:%M:%S UTC")),
        (Refusal::ClockBehind { last, now }, En) => format!(
            "the computer's clock is earlier than the last entry (last {}, now {}): nothing may be back-dated. Fix the computer's date and time, then try again; if the clock is right and it was set ahead when the last entry was recorded, recording can resume only after the last entry's time (liuyi check reports a difference of more than a day): take this record to the township.",
            last.format("%Y-%m-%d %H:%M:%S UTC"), now.format("%Y-%m-%d %H:%M:%S UTC")),
        (Refusal::DateInFuture { date, today }, Zh) => format!("日期 {date} 晚于今天（{today}）：不能记录将来的日期。请填写实际开会或办理的日期。"),
        (Refusal::DateInFuture { date, today }, En) => format!("the date {date} is after today ({today}): future dates cannot be recorded. Give the date the step actually took place."),
        (Refusal::DateBackwards { id, date, last, by }, _) => date_backwards(id, *date, *last, by, lang),
        (Refusal::RosterDateBackwards { date, last }, Zh) => format!("花名册日期倒退：上一版花名册日期为 {last}，本次 {date} 不能早于它。请按登记之日记录（--date {last} 或更晚，不写即今天），并在 --reason 中写明变动实际发生的日期。"),
        (Refusal::RosterDateBackwards { date, last }, En) => format!("roster dates go backwards: the previous roster is dated {last}; this one ({date}) cannot be earlier. Record it as of the day it is registered (--date {last} or later; without --date, today) and give the day the change happened in --reason."),
        (Refusal::RosterBeforeStep { date, id, last, by }, Zh) => format!("花名册变动日期 {date} 早于事项 {id} 已记录的{}（{last}）：那一步是按当时的花名册判定的，变动不能倒记到它之前。请按登记之日记录（--date {last} 或更晚，不写即今天），并在 --reason 中写明实际发生的日期，如“0040户2月1日迁出，3月10日获知”。", dated_what(by, lang)),
        (Refusal::RosterBeforeStep { date, id, last, by }, En) => format!("the roster change is dated {date}, before {} of matter {id} ({last}), which was judged against the roster of its day: a change cannot be dated back before it. Date it the day it is recorded (--date {last} or later; by default today) and give the day it happened in --reason.", dated_what(by, lang)),
        (Refusal::RosterInconsistent { key }, Zh) => format!("花名册变更与现有名册不符（{key}）。"),
        (Refusal::RosterInconsistent { key }, En) => format!("the roster change does not match the current roster ({key})."),
        (Refusal::SupervisionDateBackwards { date, last }, Zh) => format!("异议联系人变更的日期倒退：上一次变更自 {last} 起，本次 {date} 不能早于它。请填写本次变更实际生效的日期（--date）。"),
        (Refusal::SupervisionDateBackwards { date, last }, En) => format!("objection contact changes go backwards: the previous change took effect on {last}; this one ({date}) cannot be earlier. Give the day this change took effect (--date)."),
        (Refusal::SupervisionEmpty, Zh) => "异议联系人变更既没有联系人也没有电话：请至少写明 --supervisor 或 --phone。".into(),
        (Refusal::SupervisionEmpty, En) => "an objection contact change names neither a contact nor a phone: give --supervisor or --phone.".into(),
        (Refusal::NoChanges, Zh) => "花名册与现有名册完全相同，没有需要记录的变更。".into(),
        (Refusal::NoChanges, En) => "the roster is identical to the current one: there is no change to record.".into(),
        (Refusal::RosterBeforeFirst { date, first }, Zh) => format!("花名册不能倒签日期：本记录的花名册自 {first} 起生效（导入时的 --date，未写则为导入当天），不能再导入 {date} 生效的花名册（内容相同也不能改记日期），{first} 之前的动议和会议无法记入本记录。如确需补录更早的事项，且本记录还没有记录任何事项，可在一个新的文件夹中另建一份记录（liuyi --db 新文件夹/liuyi.db init …，密钥会建在它旁边），导入花名册时用 --date {date}。"),
        (Refusal::RosterBeforeFirst { date, first }, En) => format!("a roster is never dated back: this record's roster takes effect on {first} (the --date it was imported with, or the day of the import if none was given), so no roster taking effect on {date} can be imported (not even the same one, to change its date), and motions and meetings before {first} cannot be recorded here. To record earlier matters in a record that holds none yet, start another record in a new folder (liuyi --db NEW-FOLDER/liuyi.db init ..., its key is made beside it) and import the roster with --date {date}."),
        (Refusal::NoRoster { date, first: None }, Zh) => format!("{date} 时还没有花名册：请先用 liuyi roster import 花名册.csv --date 生效日期 导入花名册（--date 不晚于 {date}）。"),
        (Refusal::NoRoster { date, first: None }, En) => format!("there is no roster in force on {date}: import one first with liuyi roster import ROSTER.csv --date DATE (dated on or before {date})."),
        (Refusal::NoRoster { date, first: Some(first) }, Zh) => format!("{date} 时还没有花名册：本记录的花名册自 {first} 起生效（导入时的 --date，未写则为导入当天），花名册不能倒签到更早的日期，所以 {date} 的动议或会议无法记入本记录。请核对日期；如确需补录更早的事项，且本记录还没有记录任何事项，可在一个新的文件夹中另建一份记录（liuyi --db 新文件夹/liuyi.db init …，密钥会建在它旁边），导入花名册时用 --date 写明其实际生效日期（不晚于 {date}）。"),
        (Refusal::NoRoster { date, first: Some(first) }, En) => format!("there is no roster in force on {date}: this record's roster takes effect on {first} (the --date it was imported with, or the day of the import if none was given), and a roster is never dated back, so a motion or meeting of {date} cannot be recorded here. Check the date; to record earlier matters in a record that holds none yet, start another record in a new folder (liuyi --db NEW-FOLDER/liuyi.db init ..., its key is made beside it) and import the roster with --date giving the day it took effect (no later than {date})."),
        (Refusal::ScopeLeftWithoutReason { id, households }, Zh) if households.iter().any(|h| h.contains(':')) => format!(
            "此次花名册变更会使事项 {id} 民议范围内的 {} 名村民退出范围（{}）：必须说明理由。请加 --reason 说明（如迁出、死亡）。",
            households.len(), list(households, lang)),
        (Refusal::ScopeLeftWithoutReason { id, households }, En) if households.iter().any(|h| h.contains(':')) => format!(
            "this roster change takes {} villager(s) out of the consultation scope of {id} ({}): a reason is required. Add --reason (moved out, deceased).",
            households.len(), list(households, lang)),
        (Refusal::ScopeLeftWithoutReason { id, households }, Zh) => format!(
            "此次花名册变更会使事项 {id} 民议范围内的 {} 户退出范围（{}）：必须说明理由。请加 --reason 说明（如合户、迁出、户内无人）。",
            households.len(), list(households, lang)),
        (Refusal::ScopeLeftWithoutReason { id, households }, En) => format!(
            "this roster change takes {} out of the consultation scope of {id} ({}): a reason is required. Add --reason (merged, moved out, no members left).",
            match households.len() { 1 => "1 household".to_string(), n => format!("{n} households") }, list(households, lang)),
        (Refusal::ScopeLeftByMove { id, round, key, person, to, objected }, Zh) => {
            let who = scope_member(key, lang);
            let name = person_name(person);
            match objected {
                true => format!(
                    "此次花名册变更会使 {who}退出事项 {id} 第 {round} 轮民议的范围，但 {who}在这一轮中反对，而 {name} 仍在本村（变更后在 {to} 户）。户号变更、分户或合户不是退出民议范围的理由（只有迁出、死亡、户内无人才是），反对意见不能这样消失。请先对事项 {id} 执行 revise（回到商议，新一轮民议按新的花名册确定范围），再导入这份花名册。"
                ),
                false => format!(
                    "此次花名册变更会使 {who}退出事项 {id} 第 {round} 轮民议的范围，但 {who}尚未签字同意（或签字未留痕），而 {name} 仍在本村（变更后在 {to} 户，不在这一轮的范围内）。户号变更或分户不是退出民议范围的理由（只有迁出、死亡、户内无人才是）。请先按原户号记录 {who}的意见并留痕（liuyi consult {id} record {key} …；已签字的，附上签字表那一页的扫描件：liuyi consult {id} attach），再导入这份花名册。"
                ),
            }
        }
        (Refusal::ScopeLeftByMove { id, round, key, person, to, objected }, En) => {
            let who = scope_member(key, lang);
            let name = person_name(person);
            match objected {
                true => format!(
                    "this roster change takes {who} out of the scope of round {round} of the consultation on {id}, but {who} objected in that round and {name} is still in the village (in household {to} after the change). A new household number, a split or a merge is no reason to leave the scope (only moving out, death or no members left are), and an objection does not go away so. Revise matter {id} first (back to discussion; the next round takes its scope from the new roster), then import this roster."
                ),
                false => format!(
                    "this roster change takes {who} out of the scope of round {round} of the consultation on {id}, but {who} has not signed consent on record and {name} is still in the village (in household {to} after the change, which is not in this round's scope). A new household number or a split is no reason to leave the scope (only moving out, death or no members left are). Record the opinion of {who} under its number first, with its proof (liuyi consult {id} record {key} ...; if signed, attach the scan of that sheet page: liuyi consult {id} attach), then import this roster."
                ),
            }
        }
        (Refusal::UnknownMatter { id }, Zh) => format!("没有编号为 {id} 的事项。请用 liuyi list 查看所有事项。"),
        (Refusal::UnknownMatter { id }, En) => format!("there is no matter {id}. See liuyi list for all matters."),
        (Refusal::WrongId { id, expected }, Zh) => format!("事项编号 {id} 不连续：应为 {expected}。"),
        (Refusal::WrongId { id, expected }, En) => format!("matter ID {id} is out of sequence: it should be {expected}."),
        (Refusal::WrongStage { id, stage, action }, _) => {
            let next = crate::rules::stage::next_action(*stage);
            let head = match lang {
                Zh => format!("事项 {id} 目前处于「{}」阶段，不能{}。", stage_name(*stage, lang), action_name(*action, lang)),
                En => format!("matter {id} is at the {} stage: you cannot {} now.", stage_name(*stage, lang), action_name(*action, lang)),
            };
            if *stage == Stage::Consultation {
                return format!("{head}{}", consultation_next(id, *action, lang));
            }
            match next {
                Some(n) => format!("{head}{}{}", lang.pick("下一步应为：", " The next step is: "), action_command_in(n, id, lang)),
                None => format!("{head}{}", lang.pick("该事项已结束。", " The matter is closed.")),
            }
        }
        (Refusal::Funding(p), _) => funding_problem(p, lang),
        (Refusal::EmptyFile { name }, Zh) => format!("文件“{name}”是空的（0 字节），什么也证明不了：本程序不记录空文件。"),
        (Refusal::EmptyFile { name }, En) => format!("the file \"{name}\" is empty (0 bytes) and evidences nothing: liuyi records no empty file."),
        (Refusal::UnrecordableText { field, ch: '\n' }, Zh) => format!("{field} 一项只能写一行，其中却有换行：本程序不记录这样的文字。"),
        (Refusal::UnrecordableText { field, ch: '\n' }, En) => format!("the field {field} holds one line, but has a line break: liuyi records no such text."),
        (Refusal::UnrecordableText { field, ch }, Zh) => format!("{field} 一项含有不能记录的字符 U+{:04X}（控制字符或不可见的格式字符，它打印不出来，或让两段文字看似相同）：本程序不记录这样的文字。", *ch as u32),
        (Refusal::UnrecordableText { field, ch }, En) => format!("the field {field} holds a character liuyi does not record, U+{:04X} (a control or invisible formatting character: it does not print, or makes two texts look alike).", *ch as u32),
        (Refusal::KeyInText { field }, Zh) => format!("{field} 一项含有签名私钥（PRIVATE+KEY+…）：记录交到谁手里，密钥就交给了谁。请立即换用新密钥（liuyi key rotate），并报告乡镇。"),
        (Refusal::KeyInText { field }, En) => format!("the field {field} holds a signing key (PRIVATE+KEY+…): whoever is given the record is given the key. Replace the key at once (liuyi key rotate) and tell the township."),
        (Refusal::TitleStartsWithAbout { title }, Zh) => format!("事项名称“{title}”以“关于”开头：公告标题是「…村关于{{名称}}的…公告」，会印成“关于关于”。本程序不记录这样的名称。"),
        (Refusal::TitleStartsWithAbout { title }, En) => format!("the matter's title \"{title}\" begins with 关于, which every notice title already says (it would print 关于关于): liuyi records no such title."),
        (Refusal::EmptyField { field }, Zh) => format!("{}不能为空。", field_name(field, lang)),
        (Refusal::EmptyField { field }, En) => format!("{} must not be empty.", field_name(field, lang)),
        (Refusal::NegativeAmount { field }, Zh) => format!("{}不能为负数。", field_name(field, lang)),
        (Refusal::NegativeAmount { field }, En) => format!("{} must not be negative.", field_name(field, lang)),
        (Refusal::ProposerUnknown { name }, Zh) => format!("动议提出人 {name} 不在当日的花名册上：动议须由花名册上的成年村民书面提出。"),
        (Refusal::ProposerUnknown { name }, En) => format!("proposer {name} is not on the roster on that date: a motion must be made in writing by adult villagers on the roster."),
        (Refusal::ProposerInactive { name }, Zh) => format!("动议提出人 {name} 已迁出或已故，不能提出动议。"),
        (Refusal::ProposerInactive { name }, En) => format!("proposer {name} has moved out or died and cannot make a motion."),
        (Refusal::ProposerMinor { name, age }, Zh) => format!("动议提出人 {name} 当日 {age} 周岁，未满十八周岁：动议须由成年村民提出。"),
        (Refusal::ProposerMinor { name, age }, En) => format!("proposer {name} was aged {age} on that date, under 18: a motion must be made by adults."),
        (Refusal::NoMembers { meeting, date }, Zh) => format!("{date} 的花名册上{}为 0 人，无法召开{}。请先在花名册中标明相关人员。", expected_word(*meeting, lang), meeting_name(*meeting, lang)),
        (Refusal::NoMembers { meeting, date }, En) => format!("the roster on {date} has no {}, so {} cannot meet. Mark them in the roster first.", expected_word(*meeting, lang), meeting_name(*meeting, lang)),
        (Refusal::ExpectedMismatch { meeting, recorded, roster }, Zh) => format!("{}应到人数记录为 {recorded}，但按当日花名册应为 {roster}。", meeting_name(*meeting, lang)),
        (Refusal::ExpectedMismatch { meeting, recorded, roster }, En) => format!("{}: recorded as {recorded} expected, but the roster on that date gives {roster}.", meeting_name(*meeting, lang)),
        (Refusal::PresentOverExpected { meeting, present, expected }, Zh) => format!("{}实到 {present} 人，超过应到 {expected} 人（{}）。请核对人数。", meeting_name(*meeting, lang), expected_word(*meeting, lang)),
        (Refusal::PresentOverExpected { meeting, present, expected }, En) => format!("{}: {present} present is more than the {expected} expected ({}). Check the counts.", meeting_name(*meeting, lang), expected_word(*meeting, lang)),
        (Refusal::VotesOverPresent { for_, against, abstain, present }, Zh) => format!("票数不一致：同意 {for_} + 反对 {against} + 弃权 {abstain} = {}，超过实到 {present} 人。请核对票数。", for_ + against + abstain),
        (Refusal::VotesOverPresent { for_, against, abstain, present }, En) => format!("counts inconsistent: {for_} for + {against} against + {abstain} abstaining = {}, more than the {present} present. Check the counts.", for_ + against + abstain),
        (Refusal::Quorum { meeting, present, expected, threshold }, Zh) => format!(
            "{}未达到法定人数：实到 {present} 人，应到 {expected} 人（{}），须{}到会，即至少 {} 人。会议无效，请另行召开并达到法定人数后再记录。",
            meeting_name(*meeting, lang), expected_word(*meeting, lang), threshold_words(*threshold, lang), threshold.minimum(*expected)),
        (Refusal::Quorum { meeting, present, expected, threshold }, En) => format!(
            "{} had no quorum: {present} present of {expected} expected ({}); {} must attend, at least {}. The meeting is not valid: hold it again with a quorum, then record it.",
            meeting_name(*meeting, lang), expected_word(*meeting, lang), threshold_words(*threshold, lang), threshold.minimum(*expected)),
        (Refusal::VillagersQuorum { adults_present, adults, households_present, households, adults_threshold, households_threshold }, Zh) => format!(
            "村民会议未达到法定人数：到会成年村民 {adults_present} 人，全村成年村民 {adults} 人（须{}，至少 {} 人）；到会户代表 {households_present} 户，全村 {households} 户（须{}，至少 {} 户）。两项均未达到，会议无效。",
            threshold_words(*adults_threshold, lang), adults_threshold.minimum(*adults), threshold_words(*households_threshold, lang), households_threshold.minimum(*households)),
        (Refusal::VillagersQuorum { adults_present, adults, households_present, households, adults_threshold, households_threshold }, En) => format!(
            "the villagers' meeting had no quorum: {adults_present} adults present of {adults} ({} needed, at least {}); {households_present} households represented of {households} ({} needed, at least {}). Neither was met: the meeting is not valid.",
            threshold_words(*adults_threshold, lang), adults_threshold.minimum(*adults), threshold_words(*households_threshold, lang), households_threshold.minimum(*households)),
        (Refusal::HouseholdsPresentMissing { adults_present, adults, households, adults_threshold, households_threshold }, Zh) => format!(
            "村民会议到会成年村民 {adults_present} 人，未达到全村成年村民 {adults} 人的{}（至少 {} 人）；也可由户代表到会达到法定人数（全村 {households} 户的{}，至少 {} 户），但未填写到会户数。如户代表到会已达到，请加 --households-present N；否则会议无效。",
            threshold_words(*adults_threshold, lang), adults_threshold.minimum(*adults), threshold_words(*households_threshold, lang), households_threshold.minimum(*households)),
        (Refusal::HouseholdsPresentMissing { adults_present, adults, households, adults_threshold, households_threshold }, En) => format!(
            "the villagers' meeting had {adults_present} adults present of {adults}, short of {} (at least {}); the households represented can also make the quorum ({} of {households}, at least {}), but their number was not given. If enough households were represented, add --households-present N; otherwise the meeting is not valid.",
            threshold_words(*adults_threshold, lang), adults_threshold.minimum(*adults), threshold_words(*households_threshold, lang), households_threshold.minimum(*households)),
        (Refusal::HouseholdsOverAdults { households_present, adults_present }, Zh) => format!("到会户代表 {households_present} 户多于到会成年村民 {adults_present} 人：每户由一名到会的成年村民代表。请核对签到表上的到会人数（--present）和户数（--households-present）。"),
        (Refusal::HouseholdsOverAdults { households_present, adults_present }, En) => format!("{households_present} households represented is more than the {adults_present} adults present: each household is represented by one adult at the meeting. Check the sign-in sheet's count of adults (--present) and households (--households-present)."),
        (Refusal::OpenBeforeConsultationRule { id, date, since }, Zh) => format!("事项 {id} 的民议开始日期 {date} 早于本村现行民议规则（同意比例或征求单位）的施行日 {since}（规则自登记次日起施行）：{date} 那天及其后适用过别的规则，本轮若按现行规则征求就与那些天的规则不符。请在 {since} 当天或以后开始民议（--date 不早于 {since}）。"),
        (Refusal::OpenBeforeConsultationRule { id, date, since }, En) => format!("matter {id}'s consultation of every household is dated {date}, before the village's consultation rules in force now (the consent share or the unit asked) took effect on {since} (a rule takes effect the day after it is recorded): other rules applied on {date} or since, and the round would be asked under rules its days did not have. Open it on {since} or later (--date no earlier than {since})."),
        (Refusal::NoHouseholdRepresented { adults_present }, Zh) => format!("到会成年村民 {adults_present} 人，到会户数却为 0：每位到会村民都代表其所在的一户。请按签到表填写有人到会的户数（--households-present）。"),
        (Refusal::NoHouseholdRepresented { adults_present }, En) => format!("{adults_present} adults present, yet 0 households represented: each adult present represents their household. Give the number of households with someone at the meeting, from the sign-in sheet (--households-present)."),
        (Refusal::HouseholdsPresentOver { present, households }, Zh) => format!("到会户数 {present} 超过全村 {households} 户。请按签到表核对到会户数（--households-present）。"),
        (Refusal::HouseholdsPresentOver { present, households }, En) => format!("{present} households represented is more than the village's {households}. Check the households present on the sign-in sheet (--households-present)."),
        (Refusal::VoteFailed { meeting, for_, base, base_is, threshold }, _) => {
            let base_word = match (base_is, lang) {
                (VoteBase::Expected, Zh) => "应到",
                (VoteBase::Present, Zh) => "实到",
                (VoteBase::AllMembers, Zh) => "全体组成人员",
                (VoteBase::Expected, En) => "expected",
                (VoteBase::Present, En) => "present",
                (VoteBase::AllMembers, En) => "all members",
            };
            let land = matches!(base_is, VoteBase::AllMembers);
            match lang {
                Zh => format!(
                    "{}表决未通过：同意 {for_} 票，须达到{base_word} {base} 人的{}（至少 {} 票）{}。若会议确已否决此事项，请加 --decision decline 记录；否则请核对票数。",
                    meeting_name(*meeting, lang), threshold_words(*threshold, lang), threshold.minimum(*base),
                    if land { "（土地及集体资产事项须经全体组成人员三分之二以上同意）" } else { "" }),
                En => format!(
                    "{} did not pass it: {for_} for, but {} of {} is needed (at least {}){}. If the meeting did reject the matter, record that with --decision decline; otherwise check the counts.",
                    meeting_name(*meeting, lang), threshold_words(*threshold, lang),
                    if land { format!("all {base} members") } else { format!("the {base} {base_word}") },
                    threshold.minimum(*base),
                    if land { " (land and collective-asset matters need two thirds of all members)" } else { "" }),
            }
        }
        (Refusal::DeclineContradictsVote { meeting, for_, base, .. }, Zh) => format!("{}同意 {for_} 票（基数 {base}）已达到通过标准，不能记为否决。请核对票数或决定。", meeting_name(*meeting, lang)),
        (Refusal::DeclineContradictsVote { meeting, for_, base, .. }, En) => format!("{} passed it ({for_} for, base {base}), so it cannot be recorded as declined. Check the counts or the decision.", meeting_name(*meeting, lang)),
        (Refusal::DeclineNeedsReason, Zh) => "否决须附书面理由（记入记录，用于答复提出人和村民）：请加 --reason。".into(),
        (Refusal::DeclineNeedsReason, En) => "a decline needs a written reason (it goes on the record, to answer the proposers and the villagers): add --reason.".into(),
        (Refusal::RoundMismatch { id, round, expected }, Zh) => format!("事项 {id} 当前民议轮次为第 {expected} 轮，不是第 {round} 轮。"),
        (Refusal::RoundMismatch { id, round, expected }, En) => format!("matter {id} is in consultation round {expected}, not {round}."),
        (Refusal::ScopeMismatch { id, recorded, roster }, Zh) => format!("事项 {id} 民议范围记录为 {recorded} 户，但当日花名册在册户为 {roster} 户。"),
        (Refusal::ScopeMismatch { id, recorded, roster }, En) => format!("matter {id}: the consultation scope lists {recorded} households but the roster on that day has {roster} active households."),
        (Refusal::AdultsScopeMismatch { id, recorded, roster }, Zh) => format!("事项 {id} 民议范围记录为 {recorded} 名成年村民，但按当时的规则和当日花名册应为 {roster} 名。"),
        (Refusal::AdultsScopeMismatch { id, recorded, roster }, En) => format!("matter {id}: the consultation scope lists {recorded} adults but under the rules then in force and the roster on that day it has {roster}."),
        (Refusal::NotReturning { id, household }, Zh) => format!("这次花名册变动说 {household} 回到事项 {id} 本轮民议范围，但它并没有因花名册变动离开该范围，或仍不在册：记录不符。"),
        (Refusal::NotReturning { id, household }, En) => format!("this roster change says {household} comes back into the scope of the open consultation round of {id}, but it had not left that scope by a roster change, or is still not active: the entry does not fit the record."),
        (Refusal::LeftScope { id, household, reason }, Zh) => format!("{household} 在事项 {id} 本轮民议开始时在范围内，之后因花名册变动（{reason}）离开了范围，不再征求其意见，也不计入应签字数。如果这次花名册变动登记错了，请先用 liuyi roster import 更正花名册（写明 --reason），再登记其意见。请用 liuyi consult {id} status 查看范围。"),
        (Refusal::LeftScope { id, household, reason }, En) => format!("{household} was in the scope of this consultation round of {id} when it opened, and left it by a roster change since ({reason}): its opinion is no longer asked and it no longer counts. If that roster change was a mistake, correct the roster first with liuyi roster import (with --reason), then record the opinion. See liuyi consult {id} status."),
        (Refusal::NotInScope { id, household, meant: Some(meant) }, Zh) => format!("户号 {household} 不在事项 {id} 本轮民议范围内；范围内有户号 {meant}，是否少了前面的 0？Excel 会把户号当作数字、去掉前面的 0：请把户号列设为“文本”格式、补回前面的 0 后重新保存，或直接写 {meant}。"),
        (Refusal::NotInScope { id, household, meant: Some(meant) }, En) => format!("household {household} is not in the scope of this consultation round of {id}; household {meant} is. Did it lose its leading zeros? Excel reads a household column as numbers and drops them: format the column as text, put the zeros back and save again, or write {meant}."),
        (Refusal::NotInScope { id, household, .. }, Zh) if household.contains(':') => format!("村民 {household} 不在事项 {id} 本轮民议范围内（范围在开始民议时按花名册确定：当日在册户的成年人）。请用 liuyi consult {id} status 查看范围。"),
        (Refusal::NotInScope { id, household, .. }, En) if household.contains(':') => format!("villager {household} is not in the scope of this consultation round of {id} (fixed from the roster when it opened: the adults of active households that day). See liuyi consult {id} status."),
        (Refusal::NotInScope { id, household, .. }, Zh) => format!("户号 {household} 不在事项 {id} 本轮民议范围内（范围在开始民议时按花名册确定）。请用 liuyi consult {id} status 查看范围。"),
        (Refusal::NotInScope { id, household, .. }, En) => format!("household {household} is not in the scope of this consultation round of {id} (fixed from the roster when it opened). See liuyi consult {id} status."),
        (Refusal::ConsultationUnitMismatch { id, adults: true, household }, Zh) => format!("事项 {id} 本轮民议按成年村民逐人征求意见：请写明是户号 {household} 的哪一位，格式 {household}:姓名。"),
        (Refusal::ConsultationUnitMismatch { id, adults: true, household }, En) => format!("this consultation round of {id} counts adults one by one: say which adult of household {household}, as {household}:NAME."),
        (Refusal::ConsultationUnitMismatch { id, adults: false, household }, Zh) => format!("事项 {id} 本轮民议按户征求意见：只写户号 {household}，不写姓名。"),
        (Refusal::ConsultationUnitMismatch { id, adults: false, household }, En) => format!("this consultation round of {id} counts households: give the household number {household} alone, without a name."),
        (Refusal::SignerNotThePerson { household, person, signer }, Zh) => format!("本人到场或远程确认时，须由 {household}:{person} 本人签字，签字人却是 {signer}。由同户家人代签请用 --method same-household，户外人员代签请用 --method proxy 并附委托书。"),
        (Refusal::SignerNotThePerson { household, person, signer }, En) => format!("in person or remotely, {household}:{person} signs for themself, but the signer is {signer}. A member of the household signing for them uses --method same-household; someone else, --method proxy with the authorisation attached."),
        (Refusal::SignerNotInHousehold { household, signer }, Zh) => format!("签字人 {signer} 不是户号 {household} 的家庭成员。户外人员代签请用 --method proxy（委托）并附委托书。"),
        (Refusal::SignerNotInHousehold { household, signer }, En) => format!("signer {signer} is not a member of household {household}. Someone from outside the household signs only as a proxy: use --method proxy and attach the authorisation."),
        (Refusal::SignerGone { household, signer, status }, Zh) => format!("签字人 {signer} 在花名册上已{}，不能为户号 {household} 签字：请由本户在册的户主或成年家庭成员签字；确需他人代签的，用 --method proxy 写明受托人及其关系，并附委托书。", match status { Status::Deceased => "去世", _ => "迁出" }),
        (Refusal::SignerGone { household, signer, status }, En) => format!("signer {signer} is listed on the roster as {} and cannot sign for household {household}: the head or an adult member still on the roster signs; someone else signs only as a proxy (--method proxy, with the relation and the written authorisation).", match status { Status::Deceased => "deceased", _ => "moved out" }),
        (Refusal::ProxyNeedsRelation { household }, Zh) => format!("{} 委托他人代签，须写明受托人与户主的关系：请用 liuyi consult 事项 record 户号 --method proxy --relation 关系（如“委托：侄子”）逐户登记。", who(household, lang)),
        (Refusal::ProxyNeedsRelation { household }, En) => format!("{}: a proxy signature must say who the proxy is to the household: record it with liuyi consult ID record HOUSEHOLD --method proxy --relation RELATION (e.g. \"nephew, by written authorisation\").", who(household, lang)),
        (Refusal::ProxyNeedsMandate { household }, Zh) => format!("{} 委托他人代签同意，须附户主签字的委托书：请用 --evidence 委托书扫描件 登记（签字表页码不能代替委托书）。", who(household, lang)),
        (Refusal::ProxyNeedsMandate { household }, En) => format!("{}: consent signed by a proxy needs the household's written authorisation: attach it with --evidence FILE (a signature-sheet page does not stand in for it).", who(household, lang)),
        (Refusal::SignerNotAdult { household, signer, age }, Zh) => format!("签字人 {signer}（{age} 岁）未成年，不能代表户号 {household} 签字：须由户主或同户成年家庭成员签字。"),
        (Refusal::SignerNotAdult { household, signer, age }, En) => format!("signer {signer} (aged {age}) is a minor and cannot sign for household {household}: the head of household or an adult member of it must sign."),
        (Refusal::ObjectionNeedsReason { household }, Zh) => format!("{} 反对须写明理由：请用 --object 理由。", who(household, lang)),
        (Refusal::ObjectionNeedsReason { household }, En) => format!("{}: an objection needs its reason: use --object REASON.", who(household, lang)),
        (Refusal::ObjectionStands { id, household, objected, problem: ObjectionWithdrawal::Earlier { date } }, Zh) => format!("{} 已于 {objected} 在事项 {id} 的民议中表示反对；本次登记的同意日期 {date} 早于反对日期，不能取代该反对意见（反对意见只能在反对当日或之后撤回）。如确已改变意见，请以实际签字日期（不早于 {objected}）登记；如方案需要修改，请用 liuyi revise {id} 修改后重新征求意见。本次未记录。", who(household, lang)),
        (Refusal::ObjectionStands { id, household, objected, problem: ObjectionWithdrawal::Earlier { date } }, En) => format!("{} objected in the consultation of {id} on {objected}; this consent, dated {date}, is earlier and does not replace the objection (an objection is taken back only on or after its day). If they have changed their mind, record it with the day they actually signed (not before {objected}); if the plan must change, use liuyi revise {id} and consult again. Nothing recorded.", who(household, lang)),
        (Refusal::ObjectionStands { id, household, objected, problem: ObjectionWithdrawal::NotByItself { signer, method } }, Zh) => format!("{} 已于 {objected} 在事项 {id} 的民议中表示反对；反对意见只能由{}签字撤回，不能由 {signer} 以{}方式代为撤回。如方案需要修改，请用 liuyi revise {id} 修改后重新征求意见。本次未记录。", who(household, lang), if household.contains(':') { "本人亲自（--method in-person 或 remote）" } else { "本户户主或成年家庭成员（--method in-person、same-household 或 remote）" }, method_zh(*method)),
        (Refusal::ObjectionStands { id, household, objected, problem: ObjectionWithdrawal::NotByItself { signer, method } }, En) => format!("{} objected in the consultation of {id} on {objected}; only {} can take the objection back, not {signer} {}. If the plan must change, use liuyi revise {id} and consult again. Nothing recorded.", who(household, lang), if household.contains(':') { "the villager themself (--method in-person or remote)" } else { "the household's head or an adult member (--method in-person, same-household or remote)" }, method_en(*method)),
        (Refusal::ConsentNeedsEvidence { household }, Zh) => format!("{} 的同意须签字留痕：请加 --evidence 文件 或 --sheet-page 页码（签字表页码）。", who(household, lang)),
        (Refusal::ConsentNeedsEvidence { household }, En) => format!("{}: consent must be signed and evidenced: add --evidence FILE or --sheet-page N (signature-sheet page).", who(household, lang)),
        (Refusal::BadPages { first, last }, Zh) => format!("页码范围 {first}-{last} 无效：页码从 1 开始，起始页不能大于结束页。"),
        (Refusal::BadPages { first, last }, En) => format!("page range {first}-{last} is invalid: pages start at 1 and the first cannot exceed the last."),
        (Refusal::ConsultationIncomplete { id, adults, in_scope, consented, objected, missing, no_evidence, uncovered_pages, required }, _) => {
            let (u, units) = consultation_unit(*adults, lang);
            let mut s = match (lang, required) {
                (Zh, None) => format!("民议未达到全部{u}签字同意：范围内 {in_scope} {u}中 {consented} {u}已签字同意。"),
                (En, None) => format!("the consultation has not reached signed consent from every {u}: {consented} of {in_scope} {units} in scope have signed consent."),
                (Zh, Some((share, needed))) => format!(
                    "民议未达到本村议事规则规定的同意比例（{}，范围内 {in_scope} {u}须至少 {needed} {u}签字同意）：已签字同意 {consented} {u}，还差 {} {u}。",
                    threshold_words(*share, lang), needed.saturating_sub(*consented)
                ),
                (En, Some((share, needed))) => format!(
                    "the consultation has not reached the share of consent this village's rules require ({}: at least {needed} of the {in_scope} {units} in scope): {consented} have signed consent, {} short.",
                    threshold_words(*share, lang), needed.saturating_sub(*consented)
                ),
            };
            if !missing.is_empty() {
                s += &match lang {
                    Zh => format!("未签 {} {u}：{}。", missing.len(), list(missing, lang)),
                    En => format!(" Not yet signed ({}): {}.", missing.len(), list(missing, lang)),
                };
            }
            if !objected.is_empty() {
                s += &match lang {
                    Zh => format!("反对 {} {u}：{}。", objected.len(), list(objected, lang)),
                    En => format!(" Objecting ({}): {}.", objected.len(), list(objected, lang)),
                };
            }
            if !no_evidence.is_empty() {
                s += &match lang {
                    Zh => format!("缺少签字留痕 {} {u}：{}。", no_evidence.len(), list(no_evidence, lang)),
                    En => format!(" Without evidence ({}): {}.", no_evidence.len(), list(no_evidence, lang)),
                };
            }
            if !uncovered_pages.is_empty() {
                let pages = page_ranges(uncovered_pages, lang);
                s += &match lang {
                    Zh => format!("签字表第 {pages} 页尚未附扫描件（liuyi consult {id} attach 文件 --pages A-B）。"),
                    En => format!(" Signature-sheet pages {pages} have no scan attached (liuyi consult {id} attach FILE --pages A-B)."),
                };
            }
            s += &match lang {
                Zh => format!("请继续征求意见；如有{}反对，可用 liuyi revise {id} --reason 理由 退回商议修改方案。", if *adults { "村民" } else { "户" }),
                En => format!(" Keep consulting; where {units} object, liuyi revise {id} --reason T sends the plan back to discussion."),
            };
            s
        }
        // The law's 15 days, or the village's own rule (a policy entry) when it differs.
        (Refusal::PostingTooShort { days, min }, Zh) if *min != crate::rules::policy::LAW_MIN_POSTING_DAYS => format!("公示期 {days} 天少于本村议事规则规定的 {min} 天（村民委员会组织法第三十五条规定至少 15 天，本村规定为 {min} 天）：请加 --days {min} 或更长。"),
        (Refusal::PostingTooShort { days, min }, Zh) => format!("公示期 {days} 天少于规定的 {min} 天（村民委员会组织法第三十五条）：请加 --days {min} 或更长。"),
        (Refusal::PostingTooLong { days, max }, Zh) => format!("公示期 {days} 天过长：最长 {max} 天。请检查 --days。"),
        (Refusal::PostingTooLong { days, max }, En) => format!("a posting period of {days} days is too long: at most {max} days. Check --days."),
        (Refusal::PostingTooShort { days, min }, En) if *min != crate::rules::policy::LAW_MIN_POSTING_DAYS => format!("a posting period of {days} days is shorter than the {min} days this village's rules require (its policy; the Organic Law of Villagers' Committees, Art. 35, asks at least 15): use --days {min} or more."),
        (Refusal::PostingTooShort { days, min }, En) => format!("a posting period of {days} days is shorter than the required {min} days (Organic Law of Villagers' Committees, Art. 35): use --days {min} or more."),
        (Refusal::AlreadyPublished { id, kind }, Zh) => format!("事项 {id} 的{}已经公开过。重新打印请用 liuyi notice。", notice_name(*kind, lang)),
        (Refusal::AlreadyPublished { id, kind }, En) => format!("the {} of {id} has already been published. To print it again use liuyi notice.", notice_name(*kind, lang)),
        (Refusal::PostedUnpublished { id, kind }, Zh) => format!("事项 {id} 的{}还没有公开（打印），不能登记张贴凭证。请先运行 liuyi publish。", notice_name(*kind, lang)),
        (Refusal::PostedUnpublished { id, kind }, En) => format!("the {} of {id} has not been published (printed) yet, so there is no posting to prove. Run liuyi publish first.", notice_name(*kind, lang)),
        (Refusal::ObjectionNumber { id, n, expected }, Zh) => format!("事项 {id} 的下一条异议编号应为 {expected}，不是 {n}。"),
        (Refusal::ObjectionNumber { id, n, expected }, En) => format!("the next objection of {id} is number {expected}, not {n}."),
        (Refusal::UnknownObjection { id, n }, Zh) => format!("事项 {id} 没有第 {n} 条异议。请用 liuyi show {id} 查看。"),
        (Refusal::UnknownObjection { id, n }, En) => format!("matter {id} has no objection number {n}. See liuyi show {id}."),
        (Refusal::AlreadyReplied { id, n }, Zh) => format!("事项 {id} 的第 {n} 条异议已经答复过。"),
        (Refusal::AlreadyReplied { id, n }, En) => format!("objection {n} of {id} has already been answered."),
        (Refusal::UnrepliedObjections { id, numbers }, _) => {
            let ns: Vec<String> = numbers.iter().map(u32::to_string).collect();
            match lang {
                Zh => format!("事项 {id} 还有未答复的异议（第 {} 条）：请先用 liuyi objection {id} reply N --text 答复 后再公开实施结果。", ns.join("、")),
                En => format!("matter {id} has unanswered objections (number {}): answer them with liuyi objection {id} reply N --text T before publishing the result.", ns.join(", ")),
            }
        }
        (Refusal::NotPublished { id, kind }, Zh) => format!("事项 {id} 的{}尚未公开，无法重印。公开请用 {}。", notice_name(*kind, lang), action_command_in(if *kind == NoticeKind::Resolution { Action::PublishResolution } else { Action::PublishResult }, id, Zh)),
        (Refusal::NotPublished { id, kind }, En) => format!("the {} of {id} has not been posted, so it cannot be re-printed. Post it with {}.", notice_name(*kind, lang), action_command(if *kind == NoticeKind::Resolution { Action::PublishResolution } else { Action::PublishResult }, id)),
        (Refusal::SpentBreakdown { total, sum }, Zh) => format!("各资金来源决算合计 {} 元，与决算总额 {} 元不符。请核对 --spent-by。", yuan(*sum), yuan(*total)),
        (Refusal::SpentBreakdown { total, sum }, En) => format!("the cost by funding source adds up to {} yuan, not the final cost of {} yuan. Check --spent-by.", yuan(*sum), yuan(*total)),
        (Refusal::KeyRotation { why }, _) => {
            let (zh, en) = match why {
                KeyRotationProblem::OldIsNotCurrent => ("旧密钥不是当前的村密钥", "the old key is not the village's current key"),
                KeyRotationProblem::SameKey => ("新旧密钥相同", "the new key is the same as the old one"),
                KeyRotationProblem::BadKey => ("新密钥无效或为弱密钥", "the new key is invalid or weak"),
                KeyRotationProblem::BadSignature => ("签名验证失败", "a signature does not verify"),
                KeyRotationProblem::UnknownAuthority => ("未知的授权方式", "unknown authority"),
                KeyRotationProblem::KeyReused => ("新密钥曾经使用过，不能重复使用", "the new key was used before and cannot be reused"),
            };
            match lang {
                Zh => format!("密钥更换被拒绝：{zh}。"),
                En => format!("key rotation refused: {en}."),
            }
        }
    }
}

/// A step dated before what the matter already records: what carries that date, and how
/// to put it right where it can be (a consent is recorded again with its true date).
/// A policy rule laxer than the law: which rule, what the law requires, where it says so.
fn policy_below_law(rule: &str, floor: crate::rules::policy::LawFloor, lang: Lang) -> String {
    use crate::rules::policy::LawFloor;
    let (zh, en, law_zh, law_en) = match rule {
        "proposal_quorum" => (
            "提议（支委会）的到会人数",
            "the branch committee's quorum (proposal)",
            "党支部工作条例",
            "the party branch work regulations",
        ),
        "discussion_quorum" => (
            "商议（两委联席会）的到会人数",
            "the two committees' quorum (discussion)",
            // No national rule governs the joint meeting (village-law.md §3.3): more than
            // half is the 4+2 method's common practice, which this program holds to.
            "“四议两公开”工作法的通行做法，国家法规对两委联席会未作规定",
            "the common practice of the 4+2 method; no national rule governs the joint meeting",
        ),
        "review_quorum" => (
            "审议（党员大会）的到会人数",
            "the party members' meeting quorum (review)",
            "党支部工作条例",
            "the party branch work regulations",
        ),
        "review_pass" => (
            "审议（党员大会）的同意票",
            "the votes for at the party members' meeting (review)",
            "党支部工作条例",
            "the party branch work regulations",
        ),
        "representatives_quorum" => (
            "村民代表会议的到会人数",
            "the representatives' meeting quorum",
            "村民委员会组织法第三十条",
            "Art. 30 of the Organic Law of Villagers' Committees",
        ),
        "villagers_quorum_adults" => (
            "村民会议到会的成年村民",
            "the villagers' meeting quorum of adults",
            "村民委员会组织法第二十六条",
            "Art. 26 of the Organic Law of Villagers' Committees",
        ),
        "villagers_quorum_households" => (
            "村民会议到会的户数",
            "the villagers' meeting quorum of households",
            "村民委员会组织法第二十六条",
            "Art. 26 of the Organic Law of Villagers' Committees",
        ),
        "resolution_pass" => (
            "决议的同意票",
            "the votes for a resolution",
            "村民委员会组织法第二十六条、第三十条",
            "Arts. 26 and 30 of the Organic Law of Villagers' Committees",
        ),
        "land_pass" => (
            "土地及集体资产事项的同意票（按全体组成人员计）",
            "the votes for land and collective-asset matters (of all members)",
            "农村集体经济组织法第二十七条、农村土地承包法第二十八条",
            "Art. 27 of the Rural Collective Economic Organisation Law and Art. 28 of the Rural Land Contracting Law",
        ),
        "min_posting_days" => (
            "最短公示期",
            "the minimum posting period",
            "村民委员会组织法第三十五条",
            "Art. 35 of the Organic Law of Villagers' Committees",
        ),
        _ => (
            "土地及集体资产事项的范围",
            "the land and collective-asset categories",
            "农村集体经济组织法、农村土地承包法",
            "the Rural Collective Economic Organisation Law and the Rural Land Contracting Law",
        ),
    };
    let need = match (floor, lang) {
        (LawFloor::Share(t), _) => threshold_words(t, lang),
        (LawFloor::Days(d), Lang::Zh) => format!("{d} 天"),
        (LawFloor::Days(d), Lang::En) => format!("{d} days"),
        (LawFloor::Category(c), Lang::Zh) => format!("包括“{}”", c.label_zh()),
        (LawFloor::Category(c), Lang::En) => format!("include {}", c.as_str()),
    };
    match lang {
        Lang::Zh => format!(
            "规则设置低于法定要求：{zh}须{}{need}（{law_zh}）。村里可以定得比法律更严，不能更宽；请改正规则文件后再运行 liuyi policy set。",
            if matches!(floor, LawFloor::Category(_)) {
                ""
            } else {
                "至少为"
            }
        ),
        Lang::En => format!(
            "the policy is laxer than the law: {en} must {}{need} ({law_en}). A village may set stricter rules than the law, never laxer ones; correct the policy file and run liuyi policy set again.",
            if matches!(floor, LawFloor::Category(_)) {
                ""
            } else {
                "be at least "
            }
        ),
    }
}

/// What of a matter carries a date (`DatedBy`), as a message names it.
fn dated_what(by: &DatedBy, lang: Lang) -> String {
    match lang {
        Lang::Zh => match by {
            DatedBy::Step(stage) => format!("「{}」一步", stage_name(*stage, lang)),
            DatedBy::Revised => "退回商议".to_string(),
            DatedBy::Consent { household } => format!("户 {household} 的民议意见"),
            DatedBy::Objection { n } => format!("第 {n} 条异议"),
            DatedBy::Reply { n } => format!("第 {n} 条异议的答复"),
        },
        Lang::En => match by {
            DatedBy::Step(stage) => format!("its {} step", stage_name(*stage, lang)),
            DatedBy::Revised => "its revision (sent back to discussion)".to_string(),
            DatedBy::Consent { household } => {
                format!("the consultation record of household {household}")
            }
            DatedBy::Objection { n } => format!("objection {n}"),
            DatedBy::Reply { n } => format!("the reply to objection {n}"),
        },
    }
}

fn date_backwards(
    id: &str,
    date: chrono::NaiveDate,
    last: chrono::NaiveDate,
    by: &DatedBy,
    lang: Lang,
) -> String {
    match lang {
        Lang::Zh => {
            let what = dated_what(by, lang);
            let fix = match by {
                DatedBy::Consent { household } => format!(
                    "如这条意见的日期有误（例如登记时未写 --date，记成了当天），请带上正确日期重新登记该户意见，以新登记的为准：liuyi consult {id} record {household} （--consent 或 --object 理由）--signer 签字人 --sheet-page 页码 --date 正确日期；否则请核对本步日期。"
                ),
                _ => "请核对本步日期。".to_string(),
            };
            format!(
                "日期倒退：事项 {id} 已记录的{what}日期是 {last}，本步日期 {date} 不能早于它。{fix}"
            )
        }
        Lang::En => {
            let what = dated_what(by, lang);
            let fix = match by {
                DatedBy::Consent { household } => format!(
                    "If that record's date is wrong (say it was recorded without --date, so dated the day it was entered), record the household again with the right date; the new record stands: liuyi consult {id} record {household} (--consent or --object REASON) --signer NAME --sheet-page N --date DATE. Otherwise check this step's date."
                ),
                _ => "Check the date.".to_string(),
            };
            format!(
                "dates go backwards: {id} already records {what} dated {last}; this step ({date}) cannot be earlier. {fix}"
            )
        }
    }
}

fn method_zh(m: crate::rules::event::Method) -> &'static str {
    use crate::rules::event::Method;
    match m {
        Method::InPerson => "本人到场",
        Method::SameHousehold => "同户代签",
        Method::Remote => "远程确认",
        Method::Proxy => "委托代签",
    }
}

fn method_en(m: crate::rules::event::Method) -> &'static str {
    use crate::rules::event::Method;
    match m {
        Method::InPerson => "in person",
        Method::SameHousehold => "signing for them as a member of the household",
        Method::Remote => "remotely",
        Method::Proxy => "as a proxy",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "two thirds or more of all 9 members", not "of the 9 all members".
    #[test]
    fn a_land_vote_names_all_members_in_english() {
        let r = Refusal::VoteFailed {
            meeting: Meeting::Representatives,
            for_: 5,
            base: 9,
            base_is: crate::rules::refusal::VoteBase::AllMembers,
            threshold: Threshold::TWO_THIRDS,
        };
        let en = refusal(&r, Lang::En);
        assert!(
            en.contains("of all 9 members is needed (at least 6)"),
            "{en}"
        );
        let r = Refusal::VoteFailed {
            meeting: Meeting::Representatives,
            for_: 5,
            base: 9,
            base_is: crate::rules::refusal::VoteBase::Present,
            threshold: Threshold::TWO_THIRDS,
        };
        let en = refusal(&r, Lang::En);
        assert!(en.contains("of the 9 present is needed"), "{en}");
    }

    /// A Chinese hint names what to type in Chinese (到会人数, 张贴地点 …), never an
    /// English placeholder (N, YUAN, FILE.pdf); the English one keeps its placeholders.
    #[test]
    fn a_next_step_in_chinese_has_no_english_placeholders() {
        for a in Action::ALL {
            let zh = action_command_in(a, "2026-001", Lang::Zh);
            assert!(!zh.chars().any(|c| c.is_ascii_uppercase()), "{zh}");
            assert_eq!(
                action_command_in(a, "2026-001", Lang::En),
                action_command(a, "2026-001")
            );
        }
        assert!(
            action_command_in(Action::Complete, "2026-001", Lang::Zh).contains("--spent 实际金额")
        );
    }

    #[test]
    fn uncovered_pages_are_named_as_runs_the_attach_command_takes() {
        let r = Refusal::ConsultationIncomplete {
            id: "2026-001".into(),
            adults: false,
            in_scope: 2000,
            consented: 0,
            objected: vec![],
            missing: vec![],
            no_evidence: vec!["0001".into()],
            uncovered_pages: (1..=100).chain([103, 105, 106]).collect(),
            required: None,
        };
        let zh = refusal(&r, Lang::Zh);
        assert!(
            zh.contains("签字表第 1-100、103、105-106 页尚未附扫描件"),
            "{zh}"
        );
        let en = refusal(&r, Lang::En);
        assert!(
            en.contains("pages 1-100, 103, 105-106 have no scan"),
            "{en}"
        );
        assert_eq!(page_ranges(&[7, 3, 4, 3], Lang::En), "3-4, 7");
        assert_eq!(page_ranges(&[], Lang::Zh), "");
    }
}
