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
//! XLSX household id stored as a number is read as Excel shows it (a `0000` number format
//! pads it, see `xlsx`); one that lost its zeros beside zero-padded ids is refused (see
//! `fields::check_zero_padding`), and a file of unpadded numbers is taken as written. An id
//! like `1.0` (a number column exported by pandas or WPS) is refused.

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
    let (entries, problems) = read_roster_lenient(bytes, limits);
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

/// Every row that reads, and every problem of the file (in line order): the caller adds the
/// checks that need the roster's date on the rows that read, so that one attempt lists every
/// problem (SPEC §4) instead of the dated ones only after the others are mended.
pub fn read_roster_lenient(bytes: &[u8], limits: &Limits) -> (Vec<RosterEntry>, Vec<InputProblem>) {
    let table = match table::read(bytes, limits) {
        Ok(t) => t,
        Err(p) => return (Vec::new(), vec![*p]),
    };
    let (cols, header_problems) = map_header(&table, COLUMNS);
    // The headers below a title line: that alone is said (every row's field count and
    // every column would be wrong).
    if let [p] = &header_problems[..]
        && matches!(p.kind, ProblemKind::HeaderNotFirst { .. })
    {
        return (Vec::new(), header_problems);
    }
    let mut problems = Problems::new(limits.max_problems);
    problems.extend(table.problems.iter().cloned());
    problems.extend(header_problems);
    // Rows the table dropped (wrong field count) are data rows too: their problems are
    // listed, and "no data rows" would mislead.
    if table.rows.is_empty() && table.problems.is_empty() {
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
                active: status.as_ref().ok().and_then(|s| s.map(|s| s.active())),
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
    (entries, problems.into_sorted())
}

/// What the household rules need from a row, even when other fields of it were bad.
struct Member {
    household: String,
    name: Option<String>,
    /// `None` when the relation could not be read.
    head: Option<bool>,
    /// Whether the member is still one (在村 or 外出; not 死亡 or 迁出), when read.
    active: Option<bool>,
    line: u64,
}

/// One 户主 per household (a head who died or moved out, kept on the roster beside the
/// new one, is not counted twice); no name twice in one household.
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
        }
        // A household whose 户主 died or moved out names a new one, and keeps the old row
        // with its status: one head still in the household.
        let heads: Vec<u64> = ms
            .iter()
            .filter(|m| m.head == Some(true) && m.active != Some(false))
            .map(|m| m.line)
            .collect();
        if heads.len() > 1 {
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

/// Roles the roster gives that no one can hold, on the roster's date `on` (the caller's
/// `--date`): they would change who counts in a meeting's 应到 (SPEC §1). Under 18, no party
/// membership (党章: 年满十八岁), no representative seat and no committee seat (both are
/// elected among villagers with the right to vote, 18 and over, 组织法 Art. 13); a seat on
/// the branch committee (支委, or 两委 which includes it) needs a full party member: a
/// probationary member cannot be elected. Rows born after `on` are left to
/// [`check_not_future`]. An input check at import only: a roster already recorded is
/// replayed as it was.
pub fn check_roles(entries: &[RosterEntry], on: NaiveDate) -> Vec<InputProblem> {
    let mut problems = Vec::new();
    for e in entries {
        let p = &e.person;
        if p.birth_date > on {
            continue;
        }
        if !p.is_adult_on(on) {
            let minor = |field: Field, value: &str| {
                InputProblem::line(
                    e.line,
                    ProblemKind::MinorInOffice {
                        age: p.age_on(on),
                        on,
                    },
                )
                .with_column(field)
                .with_value(value)
            };
            match p.party {
                Party::Full => problems.push(minor(Field::Party, "是")),
                Party::Probationary => problems.push(minor(Field::Party, "预备")),
                Party::None => {}
            }
            if p.representative {
                problems.push(minor(Field::Representative, "是"));
            }
            if p.committee != Committee::None {
                problems.push(minor(Field::Committee, committee_text(p.committee)));
            }
        }
        if p.committee.on_branch() && p.party != Party::Full {
            problems.push(
                InputProblem::line(
                    e.line,
                    ProblemKind::BranchSeatNeedsFullMember {
                        probationary: p.party == Party::Probationary,
                    },
                )
                .with_column(Field::Committee)
                .with_value(committee_text(p.committee)),
            );
        }
    }
    problems
}

fn committee_text(c: Committee) -> &'static str {
    match c {
        Committee::Branch => "支委",
        Committee::Village => "村委",
        Committee::Both => "两委",
        Committee::None => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::i18n::input::{describe, render};
    use crate::input::dates::DateProblem;
    use crate::input::testutil::{SAMPLE, X, kinds, sample_xlsx, xlsx, xlsx_sheets};

    const HEADER: &str = "户号,姓名,与户主关系,性别,出生日期,党员,村民代表,两委,状态\n";

    fn sample() -> Vec<Person> {
        read_roster(SAMPLE.as_bytes()).expect("the sample roster reads")
    }

    fn problems(text: &str) -> Vec<InputProblem> {
        read_roster(text.as_bytes()).expect_err("refused")
    }

    #[test]
    fn the_sample_roster_reads() {
        let people = sample();
        assert_eq!(people.len(), 95);
        assert_eq!(
            people[0],
            Person {
                household: "0001".into(),
                name: "任云志".into(),
                relation: "户主".into(),
                sex: Sex::Male,
                birth_date: NaiveDate::from_ymd_opt(1976, 10, 14).unwrap(),
                party: Party::None,
                representative: true,
                committee: Committee::None,
                status: Status::Resident,
            }
        );
        assert_eq!(people[11].committee, Committee::Village);
        assert_eq!(people[5].status, Status::Away);
        let households: std::collections::HashSet<_> =
            people.iter().map(|p| &p.household).collect();
        assert_eq!(households.len(), 40);
        let entries = read_roster_entries(SAMPLE.as_bytes()).unwrap();
        assert_eq!(entries[0].line, 2);
        assert_eq!(entries[94].line, 96);
    }

    #[test]
    fn the_same_roster_in_every_encoding_and_layout() {
        let want = sample();
        let mut variants: Vec<(&str, Vec<u8>)> = Vec::new();
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(SAMPLE.as_bytes());
        variants.push(("utf-8 with BOM", bom));
        variants.push(("GBK", encoding_rs::GBK.encode(SAMPLE).0.into_owned()));
        variants.push((
            "GB18030",
            encoding_rs::GB18030.encode(SAMPLE).0.into_owned(),
        ));
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(SAMPLE.encode_utf16().flat_map(u16::to_le_bytes));
        variants.push(("UTF-16 LE", utf16));
        variants.push(("CRLF", SAMPLE.replace('\n', "\r\n").into_bytes()));
        variants.push((
            "trailing blank lines",
            format!("{SAMPLE}\n\r\n,,,,,,,,\n\n").into_bytes(),
        ));
        variants.push(("tab-separated", SAMPLE.replace(',', "\t").into_bytes()));
        let english = SAMPLE.replacen(
            HEADER.trim_end(),
            "Household,Name,Relation,Sex,Birth_Date,Party,Representative,Committee,Status",
            1,
        );
        variants.push(("English headers", english.into_bytes()));
        let spaced = SAMPLE.replacen(
            HEADER.trim_end(),
            " 户 号 ,姓名,与户主关系,性别,出生年月,是否党员,村民代表,两委,状态",
            1,
        );
        variants.push(("header variants", spaced.into_bytes()));
        variants.push(("xlsx", sample_xlsx()));
        for (what, bytes) in variants {
            assert_eq!(read_roster(&bytes).as_ref(), Ok(&want), "{what}");
        }
    }

    #[test]
    fn quoted_fields_full_width_text_and_dates() {
        let text = format!(
            "{HEADER}\"0001\",\"张三\",户主,男,１９６５年３月２日,否,否,,在村\n\
             ０００１,李四,\"子, 长子\",女,\" 1965 - 03 - 02 \",否,否,,在村\n\
             0001,王五,\"女\n儿\",女,1965/3/2,否,否,,在村\n"
        );
        let err = read_roster(text.as_bytes()).unwrap_err();
        // A line break in a relation is refused; the other two rows were fine.
        assert_eq!(
            kinds(&err),
            vec![(Some(4), ProblemKind::ControlCharacter { codepoint: 10 })]
        );
        let text = text.replace("\"女\n儿\"", "孙女");
        let people = read_roster(text.as_bytes()).unwrap();
        let d = NaiveDate::from_ymd_opt(1965, 3, 2).unwrap();
        assert!(
            people
                .iter()
                .all(|p| p.birth_date == d && p.household == "0001")
        );
        assert_eq!(people[1].relation, "子, 长子");
    }

    #[test]
    fn english_values_and_head_spellings() {
        let text = format!(
            "{HEADER}0001,Zhang San,head,M,1965-03-02,probationary,yes,both,moved out\n\
             0001,Li Si,spouse,female,1966-03-02,YES,No,branch,deceased\n\
             0002,王五,本人,f,1966-03-02,否,否,空,Away\n"
        );
        let people = read_roster(text.as_bytes()).unwrap();
        assert_eq!(people[0].relation, HEAD_OF_HOUSEHOLD);
        assert_eq!(people[0].party, Party::Probationary);
        assert_eq!(people[0].committee, Committee::Both);
        assert_eq!(people[0].status, Status::MovedOut);
        assert_eq!(people[1].party, Party::Full);
        assert!(!people[1].representative);
        assert_eq!(people[1].status, Status::Deceased);
        assert_eq!(people[2].relation, HEAD_OF_HOUSEHOLD);
        assert_eq!(people[2].status, Status::Away);
    }

    #[test]
    fn every_problem_is_listed_by_line() {
        let text = format!(
            "{HEADER}0001,张三,户主,男,1965-02-30,否,否,,在村\n\
             0001,李四,配偶,女,1966-01-01,maybe,否,,在村\n\
             0002,,户主,男,1970-01-01,否,否,,在村\n\
             0002,王五,子,X,1990-01-01,否,否,,在村\n\
             0003,赵六,户主,男,1980-01-01,否,否,支委,gone\n\
             0003,赵六,子,男,2001-01-01,否,是,,在村\n\
             0004,钱七,子,男,02/03/1965,否,否,,在村\n\
             0005,孙八,户主,男,1970-01-01,否,否,,在村,extra\n"
        );
        let err = problems(&text);
        assert_eq!(
            kinds(&err),
            vec![
                (Some(2), ProblemKind::BadDate(DateProblem::NoSuchDay)),
                (
                    Some(3),
                    ProblemKind::UnknownValue {
                        accepted: PARTY_VALUES
                    }
                ),
                (Some(4), ProblemKind::Empty),
                (
                    Some(5),
                    ProblemKind::UnknownValue {
                        accepted: SEX_VALUES
                    }
                ),
                (
                    Some(6),
                    ProblemKind::UnknownValue {
                        accepted: STATUS_VALUES
                    }
                ),
                (
                    Some(7),
                    ProblemKind::DuplicateMember {
                        household: "0003".into(),
                        name: "赵六".into(),
                        first_line: 6
                    }
                ),
                (Some(8), ProblemKind::BadDate(DateProblem::YearNotFirst)),
                (
                    Some(8),
                    ProblemKind::NoHeadOfHousehold {
                        household: "0004".into(),
                        lines: vec![8]
                    }
                ),
                (
                    Some(9),
                    ProblemKind::WrongFieldCount {
                        expected: 9,
                        got: 10
                    }
                ),
            ]
        );
        assert_eq!(err[0].column, Some(Field::BirthDate));
        assert_eq!(err[0].value.as_deref(), Some("1965-02-30"));
        let zh = render(&err, Lang::Zh);
        assert!(zh.starts_with("文件有 9 处问题：\n"), "{zh}");
        assert!(
            zh.contains("  第 2 行：出生日期“1965-02-30”不是有效日期：没有这一天\n"),
            "{zh}"
        );
        assert!(zh.contains(
            "第 3 行：党员“maybe”不是可填的值；可填：是、预备、否、yes、probationary、no"
        ));
        assert!(zh.contains("第 7 行：户号 0003 的“赵六”重复出现（第 6 行已有）"));
        assert!(zh.ends_with("请修改后重新导入；本次未导入任何数据。\n"));
        let en = render(&err, Lang::En);
        assert!(
            en.contains(
                "  line 2: birth date \"1965-02-30\" is not a valid date: there is no such day\n"
            ),
            "{en}"
        );
        assert!(en.contains("line 4: name is empty"), "{en}");
        assert!(en.ends_with("Fix the file and import again; nothing was imported.\n"));
    }

    #[test]
    fn two_heads_of_household() {
        let text = format!(
            "{HEADER}0001,张三,户主,男,1965-03-02,否,否,,在村\n\
             0002,王五,户主,男,1966-03-02,否,否,,在村\n\
             0001,李四,户主,女,1966-03-02,否,否,,在村\n"
        );
        let err = problems(&text);
        assert_eq!(
            kinds(&err),
            vec![(
                Some(4),
                ProblemKind::SeveralHeads {
                    household: "0001".into(),
                    lines: vec![2, 4]
                }
            )]
        );
        assert_eq!(
            describe(&err[0], Lang::Zh),
            "第 4 行：户号 0001 有 2 个户主（第 2、4 行），每户只能有一个"
        );
    }

    /// The 户主 died and another member is named 户主: the old row stays, with its status
    /// (it was refused as two heads, and the roster could not be put right).
    #[test]
    fn a_head_who_died_or_moved_out_is_not_a_second_head() {
        for gone in ["死亡", "迁出"] {
            let text = format!(
                "{HEADER}0001,张三,户主,男,1935-03-02,否,否,,{gone}\n\
                 0001,李四,户主,女,1966-03-02,否,否,,在村\n"
            );
            let people = read_roster(text.as_bytes()).unwrap();
            assert_eq!(people.len(), 2);
        }
        // Two heads in the household still are two.
        let text = format!(
            "{HEADER}0001,张三,户主,男,1935-03-02,否,否,,死亡\n\
             0001,李四,户主,女,1966-03-02,否,否,,在村\n\
             0001,王五,户主,男,1968-03-02,否,否,,外出\n"
        );
        assert_eq!(
            kinds(&problems(&text)),
            vec![(
                Some(4),
                ProblemKind::SeveralHeads {
                    household: "0001".into(),
                    lines: vec![3, 4]
                }
            )]
        );
    }

    #[test]
    fn duplicate_member_names_both_lines() {
        let text = format!(
            "{HEADER}0001,张三,户主,男,1965-03-02,否,否,,在村\n\
             0001,张三,子,男,1990-03-02,否,否,,在村\n\
             0002,张三,户主,男,1990-03-02,否,否,,在村\n"
        );
        let err = problems(&text);
        assert_eq!(err.len(), 1, "same name in another household is fine");
        assert_eq!(
            describe(&err[0], Lang::En),
            "line 3: household 0001 lists \"张三\" twice (first on line 2)"
        );
    }

    /// A title line above the headers (as a spreadsheet saved to CSV often has): one
    /// problem saying where the headers are, not every column missing and every row's
    /// field count wrong.
    #[test]
    fn a_title_line_above_the_headers_is_said_as_such() {
        let text =
            format!("清河村花名册（2026年）\n{HEADER}0001,张三,户主,男,1965-03-02,否,否,,在村\n");
        let err = problems(&text);
        assert_eq!(
            kinds(&err),
            vec![(Some(1), ProblemKind::HeaderNotFirst { header: 2 })]
        );
        assert!(
            describe(&err[0], Lang::Zh).contains("列名在第 2 行"),
            "{}",
            describe(&err[0], Lang::Zh)
        );
    }

    #[test]
    fn header_problems_and_rows_still_checked() {
        let text = "户号,姓名,性别,出生日期,党员,村民代表,两委,状态,备注\n\
                    0001,张三,男,1965-13-02,否,否,,在村,x\n";
        let err = problems(text);
        assert_eq!(
            kinds(&err),
            vec![
                (Some(1), ProblemKind::UnknownColumn),
                (Some(1), ProblemKind::MissingColumn),
                (Some(2), ProblemKind::BadDate(DateProblem::NoSuchDay)),
            ]
        );
        assert_eq!(describe(&err[1], Lang::Zh), "第 1 行：缺少“与户主关系”列");
        assert_eq!(
            problems(HEADER),
            vec![InputProblem::file(ProblemKind::NoRows)]
        );
        // The only data row was dropped (a field too many, and that one too long): its
        // problems are listed, not "no data rows".
        let long = "x".repeat(2_100);
        let text = format!("{HEADER}0001,张三,户主,男,1965-03-02,否,否,,在村,{long}\n");
        assert_eq!(
            kinds(&problems(&text)),
            vec![
                (Some(2), ProblemKind::CellTooLong { limit: 2_000 }),
                (
                    Some(2),
                    ProblemKind::WrongFieldCount {
                        expected: 9,
                        got: 10
                    }
                ),
            ]
        );
    }

    #[test]
    fn control_characters_in_names_are_refused_and_shown_safely() {
        let text = format!("{HEADER}0001,张\u{202E}三,户主,男,1965-03-02,否,否,,在村\n");
        let err = problems(&text);
        assert_eq!(
            err[0].kind,
            ProblemKind::ControlCharacter { codepoint: 0x202E }
        );
        assert_eq!(
            describe(&err[0], Lang::Zh),
            "第 2 行：姓名“张<U+202E>三”含有控制字符或不可见字符 U+202E"
        );
        let text = format!("{HEADER}00 01,张三,户主,男,1965-03-02,否,否,,在村\n");
        assert_eq!(
            problems(&text)[0].kind,
            ProblemKind::BadHouseholdId { character: ' ' }
        );
    }

    #[test]
    fn household_ids_that_lost_their_zeros() {
        let text = format!(
            "{HEADER}0001,张三,户主,男,1965-03-02,否,否,,在村\n\
             2,王五,户主,男,1966-03-02,否,否,,在村\n\
             2,王六,子,男,1986-03-02,否,否,,在村\n\
             1000,赵七,户主,男,1966-03-02,否,否,,在村\n"
        );
        let err = problems(&text);
        assert_eq!(
            kinds(&err),
            vec![(
                Some(3),
                ProblemKind::HouseholdIdLostZeros {
                    width: 4,
                    example: "0001".into(),
                    from_number: false
                }
            )]
        );
        // Unpadded ids throughout are taken as written.
        let text = text.replace("0001,", "1,");
        let people = read_roster(text.as_bytes()).unwrap();
        assert_eq!(people[0].household, "1");
    }

    #[test]
    fn household_ids_written_as_decimals_are_refused() {
        let text = format!(
            "{HEADER}1.0,张三,户主,男,1965-03-02,否,否,,在村\n\
             2.0,王五,户主,男,1966-03-02,否,否,,在村\n\
             3.5,赵七,户主,男,1966-03-02,否,否,,在村\n"
        );
        let err = problems(&text);
        assert_eq!(
            kinds(&err),
            vec![
                (
                    Some(2),
                    ProblemKind::HouseholdIdDecimal { whole: "1".into() }
                ),
                (
                    Some(3),
                    ProblemKind::HouseholdIdDecimal { whole: "2".into() }
                ),
            ],
            "3.5 is not a whole number with .0: taken as written"
        );
        let zh = describe(&err[0], Lang::Zh);
        assert!(zh.starts_with("第 2 行：户号“1.0”带有小数点"), "{zh}");
        assert!(zh.contains("设为“文本”格式"), "{zh}");
        assert!(describe(&err[1], Lang::En).contains("decimal point"));
    }

    #[test]
    fn xlsx_zero_padded_number_format_is_applied() {
        // Every id a number shown as 0001 by the cell's format: read as Excel shows it.
        let book = xlsx(&[
            xlsx_header(),
            xlsx_row(X::F(1.0, "0000"), "张三", "户主"),
            xlsx_row(X::F(1.0, "0000"), "李四", "配偶"),
            xlsx_row(X::F(2.0, "0000"), "王五", "户主"),
            xlsx_row(X::F(12345.0, "0000"), "赵六", "户主"),
        ]);
        let people = read_roster(&book).unwrap();
        let ids: Vec<&str> = people.iter().map(|p| p.household.as_str()).collect();
        assert_eq!(ids, vec!["0001", "0001", "0002", "12345"]);
        // A number beside them in the General format lost its zeros: refused as before.
        let book = xlsx(&[
            xlsx_header(),
            xlsx_row(X::F(1.0, "0000"), "张三", "户主"),
            xlsx_row(X::N(2.0), "王五", "户主"),
        ]);
        let err = read_roster(&book).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].cell.as_deref(), Some("A3"));
        assert!(matches!(
            err[0].kind,
            ProblemKind::HouseholdIdLostZeros {
                from_number: true,
                ..
            }
        ));
    }

    fn xlsx_row<'a>(household: X<'a>, name: &'a str, relation: &'a str) -> Vec<X<'a>> {
        vec![
            household,
            X::S(name),
            X::S(relation),
            X::S("男"),
            X::D(1965, 3, 2),
            X::S("否"),
            X::S("否"),
            X::Blank,
            X::S("在村"),
        ]
    }

    fn xlsx_header() -> Vec<X<'static>> {
        HEADER.trim_end().split(',').map(X::S).collect()
    }

    #[test]
    fn xlsx_problems_name_the_cell() {
        let book = xlsx(&[
            xlsx_header(),
            xlsx_row(X::S("0001"), "张三", "户主"),
            xlsx_row(X::N(2.0), "王五", "户主"),
            {
                let mut r = xlsx_row(X::S("0003"), "赵六", "户主");
                r[4] = X::S("1965-02-30");
                r[3] = X::N(1.0);
                r
            },
        ]);
        let err = read_roster(&book).unwrap_err();
        let places: Vec<_> = err
            .iter()
            .map(|p| (p.line, p.cell.as_deref(), p.kind.clone()))
            .collect();
        assert_eq!(
            places,
            vec![
                (
                    Some(3),
                    Some("A3"),
                    ProblemKind::HouseholdIdLostZeros {
                        width: 4,
                        example: "0001".into(),
                        from_number: true
                    }
                ),
                (
                    Some(4),
                    Some("D4"),
                    ProblemKind::UnknownValue {
                        accepted: SEX_VALUES
                    }
                ),
                (
                    Some(4),
                    Some("E4"),
                    ProblemKind::BadDate(DateProblem::NoSuchDay)
                ),
            ]
        );
        let zh = describe(&err[0], Lang::Zh);
        assert!(
            zh.starts_with("单元格 A3：户号“2”比其他户号（如“0001”）短"),
            "{zh}"
        );
        assert!(zh.contains("请把户号列设为“文本”格式"), "{zh}");
        // All ids numbers: taken as written.
        let book = xlsx(&[
            xlsx_header(),
            xlsx_row(X::N(1.0), "张三", "户主"),
            xlsx_row(X::N(2.0), "王五", "户主"),
        ]);
        let people = read_roster(&book).unwrap();
        assert_eq!(people[1].household, "2");
        assert_eq!(
            people[1].birth_date,
            NaiveDate::from_ymd_opt(1965, 3, 2).unwrap()
        );
    }

    /// A workbook whose roster is not on its first sheet (a cover sheet of notes before it,
    /// or an empty first sheet): the problems name the sheet read and the others, and say
    /// to move the list to the front.
    #[test]
    fn a_roster_on_another_sheet_is_pointed_to() {
        let roster = vec![xlsx_header(), xlsx_row(X::S("0001"), "张三", "户主")];
        let note = vec![vec![X::S("2026 年花名册，由村委会整理")]];
        let book = xlsx_sheets(&[("说明", &note), ("花名册", &roster), ("备用", &[])]);
        let problems = read_roster(&book).unwrap_err();
        assert!(problems.iter().any(|p| p.kind
            == ProblemKind::OtherSheets {
                first: "说明".into(),
                others: vec!["花名册".into(), "备用".into()],
            }));
        let zh = render(&problems, Lang::Zh);
        assert!(
            zh.contains("只读取了工作簿的第一个工作表「说明」")
                && zh.contains("工作簿里还有「花名册」「备用」")
                && zh.contains("拖到最前面"),
            "{zh}"
        );
        let en = render(&problems, Lang::En);
        assert!(
            en.contains("the workbook also has \"花名册\", \"备用\"") && en.contains("first tab"),
            "{en}"
        );
        // An empty first sheet.
        let book = xlsx_sheets(&[("Sheet1", &[]), ("花名册", &roster)]);
        let zh = render(&read_roster(&book).unwrap_err(), Lang::Zh);
        assert!(
            zh.contains("第一个工作表「Sheet1」是空的") && zh.contains("「花名册」"),
            "{zh}"
        );
        // The roster first: read, whatever follows it.
        let book = xlsx_sheets(&[("花名册", &roster), ("说明", &note)]);
        assert_eq!(read_roster(&book).unwrap().len(), 1);
        // A hidden first sheet (a template's notes) is passed over: the roster is the first
        // sheet the secretary sees.
        let book = xlsx_sheets(&[("hidden:说明", &note), ("花名册", &roster)]);
        assert_eq!(read_roster(&book).unwrap().len(), 1);
        // A roster on a hidden sheet behind a visible one: named, with the word to unhide.
        let book = xlsx_sheets(&[("说明", &note), ("hidden:花名册", &roster)]);
        let zh = render(&read_roster(&book).unwrap_err(), Lang::Zh);
        assert!(
            zh.contains("工作簿里还有「花名册」") && zh.contains("隐藏的须先取消隐藏"),
            "{zh}"
        );
        // One sheet lacking columns: no word of other sheets.
        let zh = render(&read_roster(&xlsx(&note)).unwrap_err(), Lang::Zh);
        assert!(!zh.contains("工作簿里还有"), "{zh}");
    }

    #[test]
    fn broken_workbooks_are_described_in_the_users_language() {
        use crate::input::problem::WorkbookFault;
        use crate::input::testutil::{plain_zip, rezip};
        let book = sample_xlsx();
        let fault = |bytes: &[u8]| match read_roster(bytes).unwrap_err().remove(0).kind {
            ProblemKind::BadWorkbook { fault, .. } => fault,
            other => panic!("{other:?}"),
        };
        let zh = |bytes: &[u8]| render(&read_roster(bytes).unwrap_err(), Lang::Zh);
        // A ZIP of the CSV, not a workbook.
        let zip = plain_zip(&[("花名册.csv", SAMPLE.as_bytes())]);
        assert_eq!(fault(&zip), WorkbookFault::NotXlsx);
        let text = zh(&zip);
        assert!(
            text.contains("ZIP 压缩包") && text.contains("解压"),
            "{text}"
        );
        assert!(!text.contains("File not found"), "{text}");
        // The sheet's part is gone.
        let gone = rezip(&book, |name, data| {
            (name != "xl/worksheets/sheet1.xml").then_some(data)
        });
        assert_eq!(
            fault(&gone),
            WorkbookFault::SheetMissing {
                name: "Sheet1".into()
            }
        );
        let text = zh(&gone);
        assert!(
            text.contains("工作表“Sheet1”") && !text.contains("not found"),
            "{text}"
        );
        // An entity XML does not know in the sheet.
        let xml = rezip(&book, |name, data| {
            Some(if name == "xl/sharedStrings.xml" {
                String::from_utf8(data)
                    .unwrap()
                    .replacen("任云志", "任&nbsp;云志", 1)
                    .into_bytes()
            } else {
                data
            })
        });
        assert_eq!(fault(&xml), WorkbookFault::Damaged);
        let text = zh(&xml);
        assert!(
            text.contains("XLSX 文件损坏") && !text.contains("Xml"),
            "{text}"
        );
        let en = render(&read_roster(&xml).unwrap_err(), Lang::En);
        assert!(en.contains("damaged"), "{en}");
    }

    #[test]
    fn a_formula_without_a_value_is_named_as_such() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in HEADER.trim_end().split(',').enumerate() {
            sheet.write_string(0, c as u16, h).unwrap();
        }
        let row = [
            "",
            "张三",
            "户主",
            "男",
            "1965-03-02",
            "否",
            "否",
            "",
            "在村",
        ];
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(1, c as u16, *v).unwrap();
            }
        }
        sheet.write_formula(1, 0, "=TEXT(1,\"0000\")").unwrap();
        let saved = book.save_to_buffer().unwrap();
        let stripped = crate::input::testutil::rezip(&saved, |name, data| {
            Some(if name == "xl/worksheets/sheet1.xml" {
                let xml = String::from_utf8(data).unwrap();
                assert!(xml.contains("</f><v>0</v>"), "{xml}");
                xml.replace("</f><v>0</v>", "</f>").into_bytes()
            } else {
                data
            })
        });
        let err = read_roster(&stripped).unwrap_err();
        assert_eq!(
            kinds(&err),
            vec![(Some(2), ProblemKind::FormulaWithoutValue)],
            "not 户号 is empty"
        );
        assert_eq!(err[0].cell.as_deref(), Some("A2"));
        let zh = describe(&err[0], Lang::Zh);
        assert!(
            zh.starts_with("单元格 A2：单元格是公式“=TEXT(1,\"0000\")”"),
            "{zh}"
        );
        assert!(zh.contains("重新保存"), "{zh}");
        // With its cached value the formula's result is read.
        assert_eq!(read_roster(&saved).unwrap()[0].household, "0");
    }

    #[test]
    fn binary_and_oversize_files_are_refused_before_parsing() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.resize(5 * 1024 * 1024, 0xAB);
        let started = std::time::Instant::now();
        let err = read_roster(&png).unwrap_err();
        assert_eq!(kinds(&err), vec![(None, ProblemKind::Binary { offset: 8 })]);
        let huge = vec![b'a'; Limits::DEFAULT.max_bytes as usize + 1];
        let err = read_roster(&huge).unwrap_err();
        assert_eq!(
            err[0].kind,
            ProblemKind::TooLarge {
                size: Limits::DEFAULT.max_bytes + 1,
                limit: Limits::DEFAULT.max_bytes
            }
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
        assert!(describe(&err[0], Lang::Zh).starts_with("文件：文件有 20.0 MB"));
    }

    #[test]
    fn the_problem_list_is_capped() {
        let limits = Limits {
            max_problems: 3,
            ..Limits::DEFAULT
        };
        let mut text = HEADER.to_string();
        for i in 0..10 {
            text.push_str(&format!("{i:04},张三,户主,男,bad,否,否,,在村\n"));
        }
        let err = read_roster_with(text.as_bytes(), &limits).unwrap_err();
        assert_eq!(err.len(), 4);
        assert_eq!(err[3].kind, ProblemKind::TooManyProblems { omitted: 7 });
        assert!(render(&err, Lang::Zh).starts_with("文件有 10 处问题"));
    }

    #[test]
    fn roles_no_one_can_hold_are_listed_by_line() {
        let text = format!(
            "{HEADER}0001,张三,户主,男,1965-03-02,是,是,两委,在村\n\
             0001,张小三,子,男,2025-01-01,是,是,两委,在村\n\
             0002,王五,户主,男,1966-03-02,否,否,支委,在村\n\
             0003,赵六,户主,男,1966-03-02,预备,否,两委,在村\n\
             0003,赵小六,子,男,2008-05-11,否,否,村委,在村\n\
             0004,钱七,户主,男,2008-05-10,是,是,村委,在村\n\
             0004,钱八,子,男,2027-01-01,是,否,,在村\n"
        );
        let entries = read_roster_entries(text.as_bytes()).unwrap();
        let on = NaiveDate::from_ymd_opt(2026, 5, 10).unwrap();
        let problems = check_roles(&entries, on);
        let got: Vec<_> = problems
            .iter()
            .map(|p| (p.line, p.column, p.value.as_deref(), p.kind.clone()))
            .collect();
        let minor = |age| ProblemKind::MinorInOffice { age, on };
        assert_eq!(
            got,
            vec![
                (Some(3), Some(Field::Party), Some("是"), minor(1)),
                (Some(3), Some(Field::Representative), Some("是"), minor(1)),
                (Some(3), Some(Field::Committee), Some("两委"), minor(1)),
                (
                    Some(4),
                    Some(Field::Committee),
                    Some("支委"),
                    ProblemKind::BranchSeatNeedsFullMember {
                        probationary: false
                    }
                ),
                (
                    Some(5),
                    Some(Field::Committee),
                    Some("两委"),
                    ProblemKind::BranchSeatNeedsFullMember { probationary: true }
                ),
                // One day short of 18.
                (Some(6), Some(Field::Committee), Some("村委"), minor(17)),
                // Born after the date: check_not_future's to say. 钱七 is 18 that day.
            ]
        );
        let zh = describe(&problems[0], Lang::Zh);
        assert_eq!(
            zh,
            "第 3 行：党员填了“是”，但此人在 2026-05-10（名册日期）只有 1 岁：\
             未满 18 周岁不能是党员、村民代表或两委成员，否则会计入会议的应到人数；请核对出生日期和党员一栏"
        );
        let zh = describe(&problems[3], Lang::Zh);
        assert!(
            zh.starts_with("第 4 行：两委填了“支委”，但党员一栏不是“是”"),
            "{zh}"
        );
        let en = describe(&problems[4], Lang::En);
        assert!(en.contains("probationary"), "{en}");
        // The sample roster and the demo village hold no such role.
        let sample = read_roster_entries(SAMPLE.as_bytes()).unwrap();
        assert_eq!(check_roles(&sample, on), vec![]);
        let demo = crate::demo::roster_csv(&crate::demo::village(Default::default()));
        let demo = read_roster_entries(demo.as_bytes()).unwrap();
        let early = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        assert_eq!(check_roles(&demo, early), vec![]);
    }

    #[test]
    fn future_birth_dates_are_the_callers_check() {
        let entries = read_roster_entries(SAMPLE.as_bytes()).unwrap();
        let today = NaiveDate::from_ymd_opt(2025, 10, 18).unwrap();
        let late = check_not_future(&entries, today);
        assert_eq!(late.len(), 2);
        assert_eq!(late[0].line, Some(4));
        assert_eq!(late[1].line, Some(51));
        assert_eq!(
            describe(&late[0], Lang::En),
            "line 4: birth date \"2025-10-19\" is after today (2025-10-18)"
        );
    }
}
