//! A realistic matter of 清河村 (365 households), for previews, tests and the demo: every
//! document of the paper module filled with plausible data.

use chrono::NaiveDate;

use super::model::*;

/// Whole yuan in fen.
fn yuan(y: i64) -> i64 {
    y * 100
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid sample date")
}

/// The verification block of the samples.
pub fn verification() -> Verification {
    Verification {
        origin: "liuyi.qinghe.example/清河村".into(),
        log_size: 1287,
        root_hex: "9f2c4e7a1b3d5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8".into(),
    }
}

const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 16] = [
    "建国", "秀英", "志强", "桂兰", "德明", "玉珍", "海涛", "春生", "淑芬", "国庆", "文华", "长林",
    "凤英", "永福", "丽娟", "宝山",
];

/// `n` households: 户号 0001… and a 户主 name.
pub fn households(n: u32) -> Vec<HouseholdRow> {
    (0..n)
        .map(|i| HouseholdRow {
            household: format!("{:04}", i + 1),
            head: format!(
                "{}{}",
                SURNAMES[(i as usize * 7) % SURNAMES.len()],
                GIVEN[(i as usize * 5 + i as usize / 16) % GIVEN.len()]
            ),
        })
        .collect()
}

pub fn resolution_notice() -> ResolutionNotice {
    ResolutionNotice {
        village: "清河村".into(),
        township: "柳林镇".into(),
        county: "安平县".into(),
        matter_id: "2026-003".into(),
        title: "村东主干道硬化工程".into(),
        category: "公益事业建设".into(),
        motion: MotionStage { date: d(2026, 2, 16), proposers: vec!["王建国".into(), "李秀英".into(), "张志强".into()] },
        proposal: Meeting { date: d(2026, 2, 20), expected: 5, present: 5 },
        discussion: Meeting { date: d(2026, 2, 26), expected: 9, present: 8 },
        review: Meeting { date: d(2026, 3, 3), expected: 42, present: 38 },
        review_votes: Votes { yes: 36, no: 1, abstain: 1 },
        consultation: ConsultationStage { adults: false, opened: d(2026, 3, 5), closed: d(2026, 3, 18), in_scope: 365, consented: 365, objected: 0, unsigned: 0, earlier: vec![], left: vec![] },
        resolution: ResolutionStage {
            body: ResolutionBody::Representatives,
            meeting: Meeting { date: d(2026, 3, 20), expected: 35, present: 33 },
            votes: Votes { yes: 32, no: 0, abstain: 1 },
            households: None,
        },
        resolution_text: "同意实施村东主干道硬化工程：自村委会至东河桥路段，全长1.2公里，\
            路面宽4.5米，采用C30混凝土浇筑，厚度20厘米，两侧修建排水边沟。工程通过镇公共资源交易平台\
            公开比选确定施工单位，计划于2026年4月开工、6月底前完工，由村务监督委员会全程监督，\
            完工后由镇农业农村办会同村务监督委员会验收。"
            .into(),
        budget_fen: yuan(326_000),
        budget_recorded: true,
        funding: vec![
            FundingSource { name: "上级财政一事一议奖补资金".into(), amount_fen: yuan(200_000) },
            FundingSource { name: "村集体经济收入".into(), amount_fen: yuan(96_000) },
            FundingSource { name: "村民自愿筹资（每户约82元）".into(), amount_fen: yuan(30_000) },
        ],
        posting: Posting { from: d(2026, 3, 21), days: 15, place: "村务公开栏（村委会大院）及各村民小组公示点".into() },
        supervision: Supervision { contact: "赵德明".into(), phone: "13903120456".into() },
        issuers: vec!["中共清河村支部委员会".into(), "清河村村民委员会".into()],
        notice_date: d(2026, 3, 21),
        verification: verification(),
    }
}

pub fn result_notice() -> ResultNotice {
    ResultNotice {
        village: "清河村".into(),
        township: "柳林镇".into(),
        county: "安平县".into(),
        matter_id: "2026-003".into(),
        title: "村东主干道硬化工程".into(),
        resolution_date: d(2026, 3, 20),
        delivered:
            "村委会至东河桥路段混凝土路面硬化1.2公里，宽4.5米，厚20厘米，两侧排水边沟2.4公里".into(),
        started: Some(d(2026, 4, 8)),
        completed: d(2026, 6, 22),
        contractor: "安平县通达路桥工程有限公司".into(),
        contractor_selection: "经柳林镇公共资源交易平台公开比选，3家单位参与，最低价中选".into(),
        costs: vec![
            CostLine {
                source: "上级财政一事一议奖补资金".into(),
                budget_fen: yuan(200_000),
                budget_recorded: true,
                actual_fen: yuan(200_000),
            },
            CostLine {
                source: "村集体经济收入".into(),
                budget_fen: yuan(96_000),
                budget_recorded: true,
                actual_fen: yuan(88_460) + 50,
            },
            CostLine {
                source: "村民自愿筹资".into(),
                budget_fen: yuan(30_000),
                budget_recorded: true,
                actual_fen: yuan(30_000),
            },
        ],
        budget_recorded: true,
        acceptance: Acceptance {
            date: d(2026, 6, 28),
            by: vec![
                "柳林镇农业农村办张伟".into(),
                "村务监督委员会赵德明".into(),
                "村民代表王建国".into(),
            ],
            conclusion: "工程质量合格，同意交付使用".into(),
        },
        supervision_opinion: "村务监督委员会全程参与比选、施工巡查和验收，资金按合同和进度支付，\
            票据齐全，未发现违规问题，同意公开。"
            .into(),
        supervision: Supervision {
            contact: "赵德明".into(),
            phone: "13903120456".into(),
        },
        objections: vec![Objection {
            from: "村民刘桂兰".into(),
            date: d(2026, 3, 25),
            text: "建议在东河桥路口增设减速带。".into(),
            reply: Some("已采纳，施工时在桥头两侧各设减速带一处。".into()),
            reply_date: None,
        }],
        posting: Posting {
            from: d(2026, 7, 1),
            days: 15,
            place: "村务公开栏（村委会大院）".into(),
        },
        issuers: vec!["清河村村民委员会".into(), "清河村村务监督委员会".into()],
        notice_date: d(2026, 7, 1),
        verification: verification(),
        // The resolution was posted from 2026-03-21 for 10 days: over long before.
        resolution_posted_until: Some(d(2026, 3, 30)),
        overspend_reason: None,
        spent_unsplit: None,
    }
}

pub fn consultation_sheet() -> ConsultationSheet {
    ConsultationSheet {
        village: "清河村".into(),
        township: "柳林镇".into(),
        matter_id: "2026-003".into(),
        title: "村东主干道硬化工程".into(),
        round: 1,
        opened: d(2026, 3, 5),
        snapshot_id: "R-2026-03-05".into(),
        snapshot_hash_hex: "4be1c0d2a9f3e8b7c6d5e4f30211a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2"
            .into(),
        adults: false,
        households: households(365),
        verification: verification(),
        left: Vec::new(),
    }
}

pub fn motion_receipt() -> MotionReceipt {
    MotionReceipt {
        village: "清河村".into(),
        township: "柳林镇".into(),
        matter_id: "2026-003".into(),
        title: "村东主干道硬化工程".into(),
        category: "公益事业建设".into(),
        text: "村东主干道是全村出行和农产品外运的主要道路，现为土石路面，雨天泥泞难行，\
            学生上学和农用车通行都很困难。建议对村委会至东河桥路段进行硬化，并修建排水边沟。"
            .into(),
        proposers: vec!["王建国".into(), "李秀英".into(), "张志强".into()],
        received: d(2026, 2, 16),
        estimated_fen: Some(yuan(350_000)),
        attachments: 2,
        verification: verification(),
    }
}

pub fn signin_sheet() -> SigninSheet {
    let roles = ["村委会主任", "村委会委员", "村民代表"];
    let mut members: Vec<Member> = households(35)
        .into_iter()
        .enumerate()
        .map(|(i, h)| Member {
            household: h.household.clone(),
            counted: true,
            name: h.head,
            role: roles[if i < 1 {
                0
            } else if i < 5 {
                1
            } else {
                2
            }]
            .into(),
        })
        .collect();
    members[0].name = "孙永福".into();
    SigninSheet {
        village: "清河村".into(),
        township: "柳林镇".into(),
        matter_id: "2026-003".into(),
        title: "村东主干道硬化工程".into(),
        kind: MeetingKind::Resolution(ResolutionBody::Representatives),
        date: d(2026, 3, 20),
        members,
        verification: verification(),
    }
}

/// A 民议 round sent back to 商议 before the sample's (the demo's first round).
pub fn earlier_round() -> EarlierRound {
    EarlierRound {
        round: 1,
        in_scope: 365,
        consented: 364,
        objected: 1,
        revised: d(2026, 3, 1),
        reason: "调整线形，避开0127户门前晒场".into(),
    }
}
