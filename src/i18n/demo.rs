//! The demo's summary, worded from the record itself: every number printed here is read
//! from the replayed log, not written into the demo.

use super::Lang;
use super::rules::{meeting_name, stage_name};
use crate::rules::event::{Decision, Event, NoticeKind};
use crate::rules::{Meeting, Stage, State};

/// `demo` given a `--db` (or `LIUYI_DB`): it builds its own village in its output directory.
pub fn db_not_used(lang: Lang, db: &std::path::Path) -> String {
    match lang {
        Lang::Zh => format!(
            "注意：demo 不使用 --db（或 LIUYI_DB）{}：示例村的记录库建在输出目录中（--out，默认新建临时目录），不会动您的记录库。",
            db.display()
        ),
        Lang::En => format!(
            "note: demo does not use --db (or LIUYI_DB) {}: the example village's record is made in its output directory (--out, by default a new temporary directory); your record is not touched.",
            db.display()
        ),
    }
}

/// What the demo measured and wrote, besides the record.
pub struct Facts {
    pub roster_ms: u128,
    pub consent_ms: u128,
    pub total_ms: u128,
    pub entries: u64,
    /// The refusal the rules gave when the demo tried to resolve too early, and the round it
    /// followed.
    pub refusal: Option<(u32, String)>,
    /// What the township's check of the bundle found.
    pub township: String,
    pub files: Vec<(String, usize)>,
    pub dir: String,
    pub db: String,
    /// The demo village's key file (not `liuyi.key`: a writing command is given it).
    pub key: String,
}

use crate::paper::money::format_yuan as yuan;

fn name(key: &str) -> &str {
    key.split_once(':').map(|(_, n)| n).unwrap_or(key)
}

pub fn summary(state: &State, id: &str, f: &Facts, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut lines: Vec<String> = Vec::new();
    let g = state.genesis.as_ref();
    let village = g.map(|g| g.village.as_str()).unwrap_or("");
    if let Some(r) = state.roster.latest() {
        let last = state.roster.latest_date().unwrap_or_default();
        let (people, hh) = (r.len(), r.active_households().len());
        let (voting, prob, reps, two) = (
            r.voting_party_members().len(),
            r.probationary_party_members().len(),
            r.people()
                .filter(|p| p.representative && p.status.active())
                .count(),
            r.two_committees().len(),
        );
        lines.push(if zh {
            format!("{last} 花名册：{people} 人，在册 {hh} 户；正式党员 {voting} 名、预备党员 {prob} 名，村民代表 {reps} 名，两委成员 {two} 名（导入用时 {} ms）", f.roster_ms)
        } else {
            format!("{last} roster: {people} people, {hh} active households; {voting} full and {prob} probationary party members, {reps} representatives, {two} on the two committees (imported in {} ms)", f.roster_ms)
        });
    }
    let Some(m) = state.matters.get(id) else {
        return lines.join("\n");
    };
    let decided = |d: Decision| match (d, zh) {
        (Decision::Adopt, true) => "通过",
        (Decision::Decline, true) => "否决",
        (Decision::Adopt, false) => "adopted",
        (Decision::Decline, false) => "declined",
    };
    for step in &m.steps {
        let line = match &step.event {
            Event::Motion(e) => {
                let by: Vec<&str> = e.by.iter().map(|k| name(k)).collect();
                if zh {
                    format!(
                        "{} 动议 {id}：{} 等 {} 名村民书面提出“{}”，估算 {}",
                        e.date,
                        by[0],
                        by.len(),
                        e.title,
                        yuan(e.amount.unwrap_or(0))
                    )
                } else {
                    format!(
                        "{} motion {id}: {} villagers, {} first, ask in writing for “{}”, estimated {}",
                        e.date,
                        by.len(),
                        by[0],
                        e.title,
                        yuan(e.amount.unwrap_or(0))
                    )
                }
            }
            Event::Proposal(e) | Event::Discussion(e) => {
                let meeting = if matches!(step.event, Event::Proposal(_)) {
                    Meeting::BranchCommittee
                } else {
                    Meeting::TwoCommittees
                };
                let stage = if matches!(step.event, Event::Proposal(_)) {
                    Stage::Proposal
                } else {
                    Stage::Discussion
                };
                let budget = e
                    .budget
                    .map(yuan)
                    .map(|b| {
                        if zh {
                            format!("，预算 {b}")
                        } else {
                            format!(", budget {b}")
                        }
                    })
                    .unwrap_or_default();
                if zh {
                    format!(
                        "{} {}：{}应到 {} 人、实到 {} 人，{}{budget}",
                        e.date,
                        stage_name(stage, lang),
                        meeting_name(meeting, lang),
                        e.expected,
                        e.present,
                        decided(e.decision)
                    )
                } else {
                    format!(
                        "{} {}: {}, {} expected, {} present, {}{budget}",
                        e.date,
                        stage_name(stage, lang),
                        meeting_name(meeting, lang),
                        e.expected,
                        e.present,
                        decided(e.decision)
                    )
                }
            }
            Event::Review(e) | Event::Resolution(e) => {
                let (stage, meeting) = match (&step.event, e.body) {
                    (Event::Review(_), _) => (Stage::Review, Meeting::PartyMembers),
                    (_, Some(crate::rules::event::Body::Villagers)) => {
                        (Stage::Resolution, Meeting::Villagers)
                    }
                    _ => (Stage::Resolution, Meeting::Representatives),
                };
                if zh {
                    format!(
                        "{} {}：{}应到 {} 人、实到 {} 人，同意 {}、反对 {}、弃权 {}，{}",
                        e.date,
                        stage_name(stage, lang),
                        meeting_name(meeting, lang),
                        e.expected,
                        e.present,
                        e.for_,
                        e.against,
                        e.abstain,
                        decided(e.decision)
                    )
                } else {
                    format!(
                        "{} {}: {}, {} expected, {} present, {} for, {} against, {} abstaining, {}",
                        e.date,
                        stage_name(stage, lang),
                        meeting_name(meeting, lang),
                        e.expected,
                        e.present,
                        e.for_,
                        e.against,
                        e.abstain,
                        decided(e.decision)
                    )
                }
            }
            Event::ConsultOpen(e) => {
                let r = &m.rounds[(e.round - 1) as usize];
                let t = r.tally();
                let mut s = if zh {
                    format!(
                        "{} 民议第 {} 轮：范围内 {} 户，{} 户签字同意",
                        e.date, e.round, t.in_scope, t.consented
                    )
                } else {
                    format!(
                        "{} consultation round {}: {} households in scope, {} signed consent",
                        e.date, e.round, t.in_scope, t.consented
                    )
                };
                if !t.objected.is_empty() {
                    let who: Vec<String> = t
                        .objected
                        .iter()
                        .map(|h| {
                            format!(
                                "{h}（{}）",
                                r.records
                                    .get(h)
                                    .and_then(|c| c.reason.clone())
                                    .unwrap_or_default()
                            )
                        })
                        .collect();
                    s += &if zh {
                        format!("，反对 {} 户：{}", who.len(), who.join("、"))
                    } else {
                        format!(", {} objecting: {}", who.len(), who.join(", "))
                    };
                }
                if t.in_scope > 0 && t.consented == t.in_scope {
                    s += if zh { "（100%）" } else { " (100 %)" };
                }
                if e.round == 1 {
                    s += &if zh {
                        format!("；导入全部意见用时 {} ms（一次签名）", f.consent_ms)
                    } else {
                        format!(
                            "; importing every opinion took {} ms (one signature)",
                            f.consent_ms
                        )
                    };
                }
                if let Some((after, text)) = &f.refusal
                    && *after == e.round
                {
                    s += &if zh {
                        format!("\n    试图决议 → 规则拒绝：{text}")
                    } else {
                        format!("\n    attempt to resolve → refused by the rules: {text}")
                    };
                }
                s
            }
            Event::Revise(e) => {
                if zh {
                    format!("{} 退回商议：{}", e.date, e.reason)
                } else {
                    format!("{} sent back to discussion: {}", e.date, e.reason)
                }
            }
            Event::Publish(e) => {
                let what = match (e.kind, zh) {
                    (NoticeKind::Resolution, true) => "决议公开",
                    (NoticeKind::Result, true) => "实施结果公开",
                    (NoticeKind::Resolution, false) => "resolution published",
                    (NoticeKind::Result, false) => "result published",
                };
                let sha = e
                    .notice
                    .as_ref()
                    .map(|n| n.sha256[..12].to_string())
                    .unwrap_or_default();
                if zh {
                    format!(
                        "{} {what}：{}，公示 {} 天（公告 PDF 的 SHA-256 记入记录：{sha}…）",
                        e.date, e.place, e.days
                    )
                } else {
                    format!(
                        "{} {what}: {}, posted for {} days (the notice PDF's SHA-256 is in the record: {sha}…)",
                        e.date, e.place, e.days
                    )
                }
            }
            Event::Implement(e) => {
                let spent = e.spent.map(yuan).unwrap_or_default();
                if zh {
                    format!("{} 实施：{}，支出 {spent}", e.date, e.note)
                } else {
                    format!("{} implementation: {}, spent {spent}", e.date, e.note)
                }
            }
            Event::Complete(e) => {
                let budget = m.budget.map(yuan).unwrap_or_default();
                if zh {
                    format!(
                        "{} 竣工验收：决算 {}（预算 {budget}），验收人 {}",
                        e.date,
                        yuan(e.spent),
                        e.accepted_by.join("、")
                    )
                } else {
                    format!(
                        "{} completed and accepted: final cost {} (budget {budget}), accepted by {}",
                        e.date,
                        yuan(e.spent),
                        e.accepted_by.join(", ")
                    )
                }
            }
            Event::Withdraw(e) => {
                if zh {
                    format!("{} 撤回：{}", e.date, e.reason)
                } else {
                    format!("{} withdrawn: {}", e.date, e.reason)
                }
            }
            _ => continue,
        };
        lines.push(line);
    }
    // Each objection goes where its date falls among the steps (every line begins with its
    // date, `YYYY-MM-DD`, which orders as text), after the steps of that same day.
    for o in &m.objections {
        let reply = match &o.reply {
            Some(r) if zh => format!("{} 答复：{}", r.date, r.text),
            Some(r) => format!("{} reply: {}", r.date, r.text),
            None => lang.pick("（未答复）", "(unanswered)").to_string(),
        };
        let line = if zh {
            format!(
                "{} 公示期异议 {}（{}）：{} → {reply}",
                o.date, o.n, o.from, o.text
            )
        } else {
            format!(
                "{} objection {} during posting ({}): {} → {reply}",
                o.date, o.n, o.from, o.text
            )
        };
        let date = o.date.to_string();
        let at = lines
            .iter()
            .skip(1)
            .position(|l| l.get(..date.len()).is_some_and(|d| d > date.as_str()))
            .map_or(lines.len(), |i| i + 1);
        lines.insert(at, line);
    }
    let mut out = if zh {
        format!(
            "六议两公开 演示：{village}（{}，{}）\n",
            g.map(|g| g.township.as_str()).unwrap_or(""),
            g.map(|g| g.county.as_str()).unwrap_or("")
        )
    } else {
        format!(
            "liuyi demo: {village} ({}, {})\n",
            g.map(|g| g.township.as_str()).unwrap_or(""),
            g.map(|g| g.county.as_str()).unwrap_or("")
        )
    };
    for (i, l) in lines.iter().enumerate() {
        out += &format!("{:>2}. {l}\n", i + 1);
    }
    out += &if zh {
        format!(
            "事项 {id} 现处于「{}」阶段。\n校验：{} 条记录，哈希链、全部签名检查点、附件与数据库完整性无误。\n",
            stage_name(m.stage, lang),
            f.entries
        )
    } else {
        format!(
            "matter {id} is now at the {} stage.\ncheck: {} entries; chain, every signed checkpoint, attachments and database integrity verified.\n",
            stage_name(m.stage, lang),
            f.entries
        )
    };
    out += &f.township;
    out.push('\n');
    out += &if zh {
        format!("文件（{}）：\n", f.dir)
    } else {
        format!("files ({}):\n", f.dir)
    };
    for (file, size) in &f.files {
        out += &format!("  {file}  {} KB\n", size.div_ceil(1024));
    }
    out += &if zh {
        format!(
            "全程用时 {} ms。自己试试：\n  liuyi --db {} show {id}\n  liuyi --db {} status\n  记录新的步骤时再加上签名密钥：liuyi --db {} --key {} motion …",
            f.total_ms, f.db, f.db, f.db, f.key
        )
    } else {
        format!(
            "took {} ms. Try:\n  liuyi --db {} show {id}\n  liuyi --db {} status\n  to record a step, add its signing key: liuyi --db {} --key {} motion …",
            f.total_ms, f.db, f.db, f.db, f.key
        )
    };
    out
}

/// The township's part of the demo: export, offline verify, register, cosign, import.
pub fn township_line(lang: Lang, entries: u64, export_ms: u128, verify_ms: u128) -> String {
    match lang {
        Lang::Zh => format!(
            "乡镇：导出审计包（{export_ms} ms）→ 离线校验 {entries} 条记录、全部附件与重新生成的公告，逐一按程序规则重放，无问题（{verify_ms} ms）→ 登记本村 → 乡镇会签检查点 → 村里导入会签检查点。"
        ),
        Lang::En => format!(
            "township: bundle exported ({export_ms} ms) → verified offline: {entries} entries replayed through the rules, every attachment and re-rendered notice matched ({verify_ms} ms) → village registered → checkpoint cosigned → cosigned checkpoint imported by the village."
        ),
    }
}
