//! The roster file (SPEC §4: `roster import`) → [`Person`]s, all or nothing.
//!
//! Columns (Chinese or English headers, common variants accepted): 户号/household,
//! 姓名/name, 与户主关系/relation, 性别/sex, 出生日期/birth_date, 党员/party,
//! 村民代表/representative, 两委/committee, 状态/status; all nine are required (a missing
//! 两委 column would silently drop every committee seat). Every row is validated and every
//! problem is kept; then the file-wide rules: exactly one 户主 per household, no name twice
//! in a household, household ids that lost their leading zeros. Dates in the future need
//! the clock and are checked by the caller with [`check_not_future`].
//!
//! Decisions: `本人` and English `head`/`head of household` are read as `户主` (the stored
//! spelling); other relations are stored as written. An empty 两委 cell means none. An
//! XLSX household id stored as a number is refused when the file has zero-padded ids (see
//! `fields::check_zero_padding`), accepted as written when none is padded.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::fields::{IdSeen, RowReader, check_zero_padding, note_id};
use super::problem::{Field, InputProblem, ProblemKind, Problems};
use super::table::{self, ColumnSpec, Limits, map_header};
use crate::rules::people::{Committee, HEAD_OF_HOUSEHOLD, Party, Person, Sex, Status};

/// The header names each roster column goes by.
pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        field: Field::Household,
        names: HOUSEHOLD_HEADERS,
        required: true,
    },
    ColumnSpec {
        field: Field::Name,
        names: &["姓名", "名字", "name", "full name"],
        required: true,
    },
    ColumnSpec {
        field: Field::Relation,
        names: &[
            "与户主关系",
            "与户主的关系",
            "关系",
            "relation",
            "relationship",
            "relation to head",
        ],
        required: true,
    },
    ColumnSpec {
        field: Field::Sex,
        names: &["性别", "sex", "gender"],
        required: true,
    },
    ColumnSpec {
        field: Field::BirthDate,
        names: &[
            "出生日期",
            "出生年月",
            "出生年月日",
            "生日",
            "birth_date",
            "birth date",
            "date of birth",
            "dob",
        ],
        required: true,
    },
    ColumnSpec {
        field: Field::Party,
        names: &["党员", "是否党员", "party", "party member"],
        required: true,
    },
    ColumnSpec {
        field: Field::Representative,
        names: &[
            "村民代表",
            "是否村民代表",
            "代表",
            "representative",
            "villager representative",
        ],
        required: true,
    },
    ColumnSpec {
        field: Field::Committee,
        names: &["两委", "两委职务", "两委成员", "committee"],
        required: true,
    },
    ColumnSpec {
        field: Field::Status,
        names: &["状态", "居住状态", "人员状态", "status"],
        required: true,
    },
];

/// Header names for the household column, shared with the consent file.
pub(crate) const HOUSEHOLD_HEADERS: &[&str] = &[
    "户号",
    "户编号",
    "household",
    "household id",
    "household no",
];

pub const SEX_VALUES: &[&str] = &["男", "女", "male", "female", "M", "F"];
const SEX: &[(&str, Sex)] = &[
    ("男", Sex::Male),
    ("女", Sex::Female),
    ("male", Sex::Male),
    ("female", Sex::Female),
    ("m", Sex::Male),
    ("f", Sex::Female),
];

pub const PARTY_VALUES: &[&str] = &["是", "预备", "否", "yes", "probationary", "no"];
const PARTY: &[(&str, Party)] = &[
    ("是", Party::Full),
    ("预备", Party::Probationary),
    ("否", Party::None),
    ("正式党员", Party::Full),
    ("预备党员", Party::Probationary),
    ("yes", Party::Full),
    ("probationary", Party::Probationary),
    ("no", Party::None),
];

pub const YES_NO_VALUES: &[&str] = &["是", "否", "yes", "no"];
const YES_NO: &[(&str, bool)] = &[("是", true), ("否", false), ("yes", true), ("no", false)];

pub const COMMITTEE_VALUES: &[&str] = &[
    "支委", "村委", "两委", "空", "branch", "village", "both", "none",
];
const COMMITTEE: &[(&str, Committee)] = &[
    ("支委", Committee::Branch),
    ("村委", Committee::Village),
    ("两委", Committee::Both),
    ("空", Committee::None),
    ("无", Committee::None),
    ("branch", Committee::Branch),
    ("village", Committee::Village),
    ("both", Committee::Both),
    ("none", Committee::None),
    ("empty", Committee::None),
];

pub const STATUS_VALUES: &[&str] = &[
    "在村",
    "外出",
    "迁出",
    "死亡",
    "resident",
    "away",
    "moved_out",
    "deceased",
];
const STATUS: &[(&str, Status)] = &[
    ("在村", Status::Resident),
    ("外出", Status::Away),
    ("迁出", Status::MovedOut),
    ("死亡", Status::Deceased),
    ("resident", Status::Resident),
    ("away", Status::Away),
    ("moved_out", Status::MovedOut),
    ("deceased", Status::Deceased),
];

/// Other spellings of `户主` in the relation column.
const HEAD_ALIASES: &[&str] = &["户主", "本人", "head", "head of household", "householder"];

/// A person and the line (or sheet row) they came from, for the caller's own checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterEntry {
    pub line: u64,
    pub person: Person,
}

/// Reads a roster file (CSV or XLSX): every person, or every problem sorted by line.
pub fn read_roster(bytes: &[u8]) -> Result<Vec<Person>, Vec<InputProblem>> {
    read_roster_entries(bytes).map(|es| es.into_iter().map(|e| e.person).collect())
}

/// Like [`read_roster`], keeping each person's line.
pub fn read_roster_entries(bytes: &[u8]) -> Result<Vec<RosterEntry>, Vec<InputProblem>> {
    read_roster_with(bytes, &Limits::DEFAULT)
}

/// Like [`read_roster_entries`], with explicit caps.
pub fn read_roster_with(
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<RosterEntry>, Vec<InputProblem>> {
    let table = table::read(bytes, limits).map_err(|p| vec![*p])?;
    let mut problems = Problems::new(limits.max_problems);
    problems.extend(table.problems.iter().cloned());
    let (cols, header_problems) = map_header(&table, COLUMNS);
    problems.extend(header_problems);
    if table.rows.is_empty() {
        problems.push(InputProblem::file(ProblemKind::NoRows));
    }

    let mut entries = Vec::with_capacity(table.rows.len());
    let mut members: Vec<Member> = Vec::new();
    let mut ids: Vec<(String, IdSeen)> = Vec::new();
    let mut id_index: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let mut r = RowReader::new(row, &cols, &mut problems);
        let household = r.household();
        let name = r.required_text(Field::Name);
        let relation = r.required_text(Field::Relation).map(|rel| {
            if HEAD_ALIASES.iter().any(|a| a.eq_ignore_ascii_case(&rel)) {
                HEAD_OF_HOUSEHOLD.to_string()
            } else {
                rel
            }
        });
        let sex = r.choice(Field::Sex, true, SEX, SEX_VALUES);
        let birth_date = r.date(Field::BirthDate, true);
        let party = r.choice(Field::Party, true, PARTY, PARTY_VALUES);
        let representative = r.choice(Field::Representative, true, YES_NO, YES_NO_VALUES);
        let committee = r
            .choice(Field::Committee, false, COMMITTEE, COMMITTEE_VALUES)
            .map(|c| c.unwrap_or(Committee::None));
        let status = r.choice(Field::Status, true, STATUS, STATUS_VALUES);
        if let Ok(h) = &household {
            note_id(&mut ids, &mut id_index, h, &r);
            members.push(Member {
                household: h.clone(),
                name: name.clone().ok(),
                head: relation.as_ref().ok().map(|rel| rel == HEAD_OF_HOUSEHOLD),
                line: row.line,
            });
        }
        if let (
            Ok(household),
            Ok(name),
            Ok(relation),
            Ok(Some(sex)),
            Ok(Some(birth_date)),
            Ok(Some(party)),
            Ok(Some(representative)),
            Ok(committee),
            Ok(Some(status)),
        ) = (
            household,
            name,
            relation,
            sex,
            birth_date,
            party,
            representative,
            committee,
            status,
        ) {
            entries.push(RosterEntry {
                line: row.line,
                person: Person {
                    household,
                    name,
                    relation,
                    sex,
                    birth_date,
                    party,
                    representative,
                    committee,
                    status,
                },
            });
        }
    }
    check_zero_padding(&ids, &mut problems);
    check_households(&members, cols.has(Field::Relation), &mut problems);
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems.into_sorted())
    }
}

/// What the household rules need from a row, even when other fields of it were bad.
struct Member {
    household: String,
    name: Option<String>,
    /// `None` when the relation could not be read.
    head: Option<bool>,
    line: u64,
}

/// Exactly one 户主 per household; no name twice in one household.
fn check_households(members: &[Member], have_relation: bool, problems: &mut Problems) {
    let mut order: Vec<&str> = Vec::new();
    let mut by_household: HashMap<&str, Vec<&Member>> = HashMap::new();
    for m in members {
        by_household
            .entry(&m.household)
            .or_insert_with(|| {
                order.push(&m.household);
                Vec::new()
            })
            .push(m);
    }
    for household in order {
        let ms = &by_household[household];
        let mut first_by_name: HashMap<&str, u64> = HashMap::new();
        for m in ms {
            let Some(name) = &m.name else { continue };
            if let Some(&first_line) = first_by_name.get(name.as_str()) {
                problems.push(
                    InputProblem::line(
                        m.line,
                        ProblemKind::DuplicateMember {
                            household: household.to_string(),
                            name: name.clone(),
                            first_line,
                        },
                    )
                    .with_column(Field::Name)
                    .with_value(name.clone()),
                );
            } else {
                first_by_name.insert(name, m.line);
            }
        }
        if !have_relation {
            continue;
        }
        let heads: Vec<u64> = ms
            .iter()
            .filter(|m| m.head == Some(true))
            .map(|m| m.line)
            .collect();
        let all_read = ms.iter().all(|m| m.head.is_some());
        if heads.is_empty() && all_read {
            problems.push(
                InputProblem::line(
                    ms[0].line,
                    ProblemKind::NoHeadOfHousehold {
                        household: household.to_string(),
                        lines: ms.iter().map(|m| m.line).collect(),
                    },
                )
                .with_column(Field::Relation),
            );
        } else if heads.len() > 1 {
            problems.push(
                InputProblem::line(
                    heads[1],
                    ProblemKind::SeveralHeads {
                        household: household.to_string(),
                        lines: heads,
                    },
                )
                .with_column(Field::Relation)
                .with_value(HEAD_OF_HOUSEHOLD),
            );
        }
    }
}

/// Birth dates after `today` (the caller's clock), as problems to show like the others.
pub fn check_not_future(entries: &[RosterEntry], today: NaiveDate) -> Vec<InputProblem> {
    entries
        .iter()
        .filter(|e| e.person.birth_date > today)
        .map(|e| {
            InputProblem::line(e.line, ProblemKind::DateInFuture { today })
                .with_column(Field::BirthDate)
                .with_value(e.person.birth_date.format("%Y-%m-%d").to_string())
        })
        .collect()
}
