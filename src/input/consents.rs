//! The `consult ID import` file (SPEC §4) → one [`ConsentRow`] per household, all or
//! nothing.
//!
//! Columns: 户号/household, 签字人/signer, 意见/opinion (同意/反对) are required; 理由/reason,
//! 方式/method, 征求人/collector, 关系/relation, 日期/date, 页码/page, and 姓名/name (whose
//! opinion the row is, when 民议 counts adults) are optional columns with optional values. Rules here are the file's own: an objection needs a reason, a household appears
//! once, a page is a positive integer. Whether a household is in scope, and whether a consent
//! has enough evidence, is for the rules engine; dates in the future for the caller
//! ([`check_not_future`]).
//!
//! Decisions: an empty method means `in-person` (as `consult record` without `--method`);
//! `不同意` is read as an objection; a reason given with a consent is kept.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::fields::{IdSeen, RowReader, check_zero_padding, note_id};
use super::problem::{Field, InputProblem, ProblemKind, Problems};
use super::roster::HOUSEHOLD_HEADERS;
use super::table::{self, ColumnSpec, Limits, map_header};

/// How a household's answer was collected: the one stored enum of the rules.
pub use crate::rules::event::Method;

/// Either spelling (English case-insensitive, `_` or space for `-`).
pub fn parse_method(s: &str) -> Option<Method> {
    let folded = super::normalize::fold_value(s.trim());
    Method::ALL
        .into_iter()
        .find(|m| m.label_zh() == s.trim() || super::normalize::fold_value(m.as_str()) == folded)
}

/// One household's answer, as read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRow {
    /// Line (or sheet row) in the file.
    pub line: u64,
    pub household: String,
    /// The adult whose opinion this is (姓名 column), when 民议 counts adults.
    pub person: Option<String>,
    pub signer: String,
    /// `true` for 同意, `false` for 反对.
    pub consent: bool,
    pub reason: Option<String>,
    pub method: Method,
    /// The signer's relation to the household (a proxy's, chiefly).
    pub relation: Option<String>,
    pub collector: Option<String>,
    pub date: Option<NaiveDate>,
    pub page: Option<u32>,
}

pub const COLUMNS: &[ColumnSpec] = &[
    ColumnSpec {
        field: Field::Household,
        names: HOUSEHOLD_HEADERS,
        required: true,
    },
    ColumnSpec {
        field: Field::Signer,
        names: &["签字人", "签名人", "签字", "签名", "signer", "signed by"],
        required: true,
    },
    // When 民议 counts adults: whose opinion the row is (the sheet's 姓名 column).
    ColumnSpec {
        field: Field::Name,
        names: &["姓名", "村民", "被征求人", "name", "person"],
        required: false,
    },
    ColumnSpec {
        field: Field::Opinion,
        names: &["意见", "是否同意", "opinion"],
        required: true,
    },
    ColumnSpec {
        field: Field::Reason,
        names: &["理由", "原因", "反对理由", "reason"],
        required: false,
    },
    ColumnSpec {
        field: Field::Method,
        names: &["方式", "签字方式", "征求方式", "method"],
        required: false,
    },
    ColumnSpec {
        field: Field::Collector,
        names: &["征求人", "收集人", "collector", "collected by"],
        required: false,
    },
    ColumnSpec {
        field: Field::Relation,
        names: &["关系", "与户主关系", "签字人关系", "relation"],
        required: false,
    },
    ColumnSpec {
        field: Field::Date,
        names: &["日期", "签字日期", "date"],
        required: false,
    },
    ColumnSpec {
        field: Field::Page,
        names: &["页码", "页", "page", "sheet page"],
        required: false,
    },
];

pub const OPINION_VALUES: &[&str] = &["同意", "反对", "consent", "object"];
const OPINION: &[(&str, bool)] = &[
    ("同意", true),
    ("反对", false),
    ("不同意", false),
    ("consent", true),
    ("object", false),
    ("agree", true),
    ("disagree", false),
];

pub const METHOD_VALUES: &[&str] = &[
    "在场",
    "同户代签",
    "远程确认",
    "委托",
    "in-person",
    "same-household",
    "remote",
    "proxy",
];
const METHOD: &[(&str, Method)] = &[
    ("在场", Method::InPerson),
    ("同户代签", Method::SameHousehold),
    ("远程确认", Method::Remote),
    ("委托", Method::Proxy),
    // The 民议 sheet's own boxes (□在场 □代签 / □远程 □委托), as a collector copies them.
    ("代签", Method::SameHousehold),
    ("远程", Method::Remote),
    ("in-person", Method::InPerson),
    ("same-household", Method::SameHousehold),
    ("remote", Method::Remote),
    ("proxy", Method::Proxy),
];

/// Reads a consent file (CSV or XLSX): every row, or every problem sorted by line.
pub fn read_consents(bytes: &[u8]) -> Result<Vec<ConsentRow>, Vec<InputProblem>> {
    read_consents_with(bytes, &Limits::DEFAULT)
}

/// Like [`read_consents`], with explicit caps.
pub fn read_consents_with(
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<ConsentRow>, Vec<InputProblem>> {
    read_consents_in(bytes, false, limits)
}

/// A consent file of a round that asks each adult (`adults`) or each household: a row with
/// no 姓名 given in person or remotely is then the signer's own, and each adult is listed
/// once; else each household once.
pub fn read_consents_for(bytes: &[u8], adults: bool) -> Result<Vec<ConsentRow>, Vec<InputProblem>> {
    read_consents_in(bytes, adults, &Limits::DEFAULT)
}

/// Like [`read_consents_for`], also giving the rows read whole when others are not: the
/// rules can then judge them too, and every problem of a file is told at once.
pub fn read_consents_partly(bytes: &[u8], adults: bool) -> (Vec<ConsentRow>, Vec<InputProblem>) {
    read_consents_both(bytes, adults, &Limits::DEFAULT)
}

fn read_consents_in(
    bytes: &[u8],
    adults: bool,
    limits: &Limits,
) -> Result<Vec<ConsentRow>, Vec<InputProblem>> {
    let (rows, problems) = read_consents_both(bytes, adults, limits);
    if problems.is_empty() {
        Ok(rows)
    } else {
        Err(problems)
    }
}

fn read_consents_both(
    bytes: &[u8],
    adults: bool,
    limits: &Limits,
) -> (Vec<ConsentRow>, Vec<InputProblem>) {
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

    let mut out = Vec::with_capacity(table.rows.len());
    let mut ids: Vec<(String, IdSeen)> = Vec::new();
    let mut id_index: HashMap<String, usize> = HashMap::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for row in &table.rows {
        let mut r = RowReader::new(row, &cols, &mut problems);
        let household = r.household();
        let person = r.text(Field::Name, false, false);
        let signer = r.required_text(Field::Signer);
        let consent = r.choice(Field::Opinion, true, OPINION, OPINION_VALUES);
        let reason = r.text(Field::Reason, false, true);
        let method = r
            .choice(Field::Method, false, METHOD, METHOD_VALUES)
            .map(|m| m.unwrap_or(Method::InPerson));
        let person = match (person, &method, &signer) {
            (Ok(None), Ok(m), Ok(s)) if adults && m.own() => Ok(Some(s.clone())),
            (p, ..) => p,
        };
        let collector = r.text(Field::Collector, false, false);
        let relation = r.text(Field::Relation, false, false);
        let date = r.date(Field::Date, false);
        let page = page(&mut r);
        let household_at = r.cell(Field::Household).and_then(|c| c.at.clone());
        let reason_at = r
            .cell(Field::Reason)
            .or_else(|| r.cell(Field::Opinion))
            .and_then(|c| c.at.clone());
        let mut complete = true;
        if let Ok(h) = &household {
            // A household once; counting adults, each adult of it once.
            let key = match &person {
                Ok(Some(p)) if adults => format!("{h}:{p}"),
                _ => h.clone(),
            };
            match seen.get(&key) {
                Some(&first_line) => {
                    complete = false;
                    problems.push(
                        InputProblem::line(
                            row.line,
                            ProblemKind::DuplicateHousehold {
                                household: key.clone(),
                                first_line,
                            },
                        )
                        .with_cell(household_at)
                        .with_column(Field::Household)
                        .with_value(key),
                    );
                }
                None => {
                    seen.insert(key, row.line);
                    if !id_index.contains_key(h) {
                        let r = RowReader::new(row, &cols, &mut problems);
                        note_id(&mut ids, &mut id_index, h, &r);
                    }
                }
            }
        }
        if consent == Ok(Some(false)) && reason == Ok(None) {
            complete = false;
            problems.push(
                InputProblem::line(row.line, ProblemKind::ObjectionWithoutReason)
                    .with_cell(reason_at)
                    .with_column(Field::Reason),
            );
        }
        if !complete {
            continue;
        }
        if let (
            Ok(household),
            Ok(person),
            Ok(signer),
            Ok(Some(consent)),
            Ok(reason),
            Ok(method),
            Ok(collector),
            Ok(relation),
            Ok(date),
            Ok(page),
        ) = (
            household, person, signer, consent, reason, method, collector, relation, date, page,
        ) {
            out.push(ConsentRow {
                line: row.line,
                household,
                person,
                signer,
                consent,
                reason,
                method,
                relation,
                collector,
                date,
                page,
            });
        }
    }
    check_zero_padding(&ids, &mut problems);
    let problems = if problems.is_empty() {
        Vec::new()
    } else {
        problems.into_sorted()
    };
    (out, problems)
}

/// A positive integer, or nothing.
fn page(r: &mut RowReader<'_>) -> Result<Option<u32>, ()> {
    let Some(text) = r.text(Field::Page, false, false)? else {
        return Ok(None);
    };
    match text.parse::<u32>() {
        Ok(n) if n > 0 && text.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(n)),
        _ => {
            if let Some(cell) = r.cell(Field::Page) {
                r.report(Field::Page, cell, ProblemKind::BadPage);
            }
            Err(())
        }
    }
}

/// Dates after `today` (the caller's clock), as problems to show like the others.
pub fn check_not_future(rows: &[ConsentRow], today: NaiveDate) -> Vec<InputProblem> {
    rows.iter()
        .filter_map(|r| r.date.filter(|d| *d > today).map(|d| (r.line, d)))
        .map(|(line, d)| {
            InputProblem::line(line, ProblemKind::DateInFuture { today })
                .with_column(Field::Date)
                .with_value(d.format("%Y-%m-%d").to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::i18n::input::{describe, method_label, render};
    use crate::input::dates::DateProblem;
    use crate::input::testutil::{X, kinds, xlsx};

    const HEADER: &str = "户号,签字人,意见,理由,方式,征求人,日期,页码\n";

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn counting_adults_a_row_names_the_adult_and_each_adult_is_listed_once() {
        // 姓名 given, or left empty for the signer's own opinion in person: three adults of
        // 0003; in a same-household row, 姓名 says whose it is.
        let rows = "户号,姓名,签字人,意见,方式\n0003,王志红,王志红,同意,\n0003,,韩建凤,同意,在场\n\
                    0003,韩桂红,王志红,同意,同户代签\n0004,,田民凤,同意,远程确认\n";
        let read = read_consents_for(rows.as_bytes(), true).unwrap();
        let people: Vec<_> = read
            .iter()
            .map(|r| (r.household.as_str(), r.person.as_deref()))
            .collect();
        assert_eq!(
            people,
            [
                ("0003", Some("王志红")),
                ("0003", Some("韩建凤")),
                ("0003", Some("韩桂红")),
                ("0004", Some("田民凤"))
            ]
        );
        // The same adult twice, once by name and once as the signer's own.
        let twice = format!("{rows}0003,,王志红,同意,在场\n");
        let problems = read_consents_for(twice.as_bytes(), true).unwrap_err();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(
            (problems[0].line, &problems[0].kind),
            (
                Some(6),
                &ProblemKind::DuplicateHousehold {
                    household: "0003:王志红".into(),
                    first_line: 2
                }
            )
        );
        // Read for a round that asks each household, a household is listed once, and the
        // 姓名 left empty stays empty.
        let problems = read_consents(rows.as_bytes()).unwrap_err();
        assert!(
            problems.iter().any(|p| matches!(
                &p.kind,
                ProblemKind::DuplicateHousehold { household, first_line: 2 } if household == "0003"
            )),
            "{problems:?}"
        );
    }

    #[test]
    fn a_consent_file_reads() {
        let text = format!(
            "{HEADER}0001,任云志,同意,,在场,李芳伟,2026-03-02,1\n\
             0002,李芳伟,反对,\"路太窄, 要加宽\",同户代签,李芳伟,2026/3/3,2\n\
             0003,王志红,同意,,,,,\n\
             0004,田民凤,不同意,占了我家地,委托,,２０２６年３月４日,12\n"
        );
        let rows = read_consents(text.as_bytes()).unwrap();
        assert_eq!(
            rows[0],
            ConsentRow {
                line: 2,
                household: "0001".into(),
                person: None,
                signer: "任云志".into(),
                consent: true,
                reason: None,
                method: Method::InPerson,
                relation: None,
                collector: Some("李芳伟".into()),
                date: date(2026, 3, 2),
                page: Some(1),
            }
        );
        assert!(!rows[1].consent);
        assert_eq!(rows[1].reason.as_deref(), Some("路太窄, 要加宽"));
        assert_eq!(rows[1].method, Method::SameHousehold);
        assert_eq!(
            (
                rows[2].method,
                rows[2].collector.as_deref(),
                rows[2].date,
                rows[2].page
            ),
            (Method::InPerson, None, None, None)
        );
        assert!(!rows[3].consent);
        assert_eq!(rows[3].method, Method::Proxy);
        assert_eq!(rows[3].date, date(2026, 3, 4));
    }

    #[test]
    fn english_headers_and_values_and_optional_columns() {
        let text = "Household,Signer,Opinion,Reason,Method\n\
                    0001,A,consent,,remote\n\
                    0002,B,object,too costly,Same Household\n";
        let rows = read_consents(text.as_bytes()).unwrap();
        assert_eq!(rows[0].method, Method::Remote);
        assert_eq!(rows[1].method, Method::SameHousehold);
        assert_eq!(rows[1].reason.as_deref(), Some("too costly"));
        assert_eq!(rows[1].page, None);
    }

    #[test]
    fn objection_without_reason_duplicate_household_bad_page() {
        let text = format!(
            "{HEADER}0001,任云志,反对,,在场,,,1\n\
             0002,李芳伟,同意,,在场,,,0\n\
             0003,王志红,同意,,当面,,,1.5\n\
             0002,张丽贵,同意,,在场,,2026-02-30,x\n\
             0004,韩建凤,也许,,在场,,,3\n"
        );
        let err = read_consents(text.as_bytes()).unwrap_err();
        assert_eq!(
            kinds(&err),
            vec![
                (Some(2), ProblemKind::ObjectionWithoutReason),
                (Some(3), ProblemKind::BadPage),
                (
                    Some(4),
                    ProblemKind::UnknownValue {
                        accepted: METHOD_VALUES
                    }
                ),
                (Some(4), ProblemKind::BadPage),
                (Some(5), ProblemKind::BadDate(DateProblem::NoSuchDay)),
                (Some(5), ProblemKind::BadPage),
                (
                    Some(5),
                    ProblemKind::DuplicateHousehold {
                        household: "0002".into(),
                        first_line: 3
                    }
                ),
                (
                    Some(6),
                    ProblemKind::UnknownValue {
                        accepted: OPINION_VALUES
                    }
                ),
            ]
        );
        assert_eq!(
            describe(&err[0], Lang::Zh),
            "第 2 行：意见为反对，但没有填写理由"
        );
        assert_eq!(
            describe(&err[6], Lang::En),
            "line 5: household 0002 is listed twice (first on line 3); one row per household"
        );
        assert_eq!(describe(&err[1], Lang::Zh), "第 3 行：页码“0”不是正整数");
        let zh = render(&err, Lang::Zh);
        assert!(
            zh.contains(
                "第 4 行：方式“当面”不是可填的值；可填：在场、同户代签、远程确认、委托、in-person"
            ),
            "{zh}"
        );
    }

    #[test]
    fn missing_required_columns() {
        let err = read_consents("户号,签字人\n0001,A\n".as_bytes()).unwrap_err();
        assert_eq!(kinds(&err), vec![(Some(1), ProblemKind::MissingColumn)]);
        assert_eq!(err[0].column, Some(Field::Opinion));
    }

    #[test]
    fn an_xlsx_consent_file_with_number_and_date_cells() {
        let book = xlsx(&[
            HEADER.trim_end().split(',').map(X::S).collect(),
            vec![
                X::S("0001"),
                X::S("任云志"),
                X::S("同意"),
                X::Blank,
                X::S("远程确认"),
                X::S("李芳伟"),
                X::D(2026, 3, 2),
                X::N(7.0),
            ],
            vec![
                X::S("0002"),
                X::S("李芳伟"),
                X::S("反对"),
                X::S("太贵"),
                X::Blank,
                X::Blank,
                X::Blank,
                X::N(-1.0),
            ],
        ]);
        let err = read_consents(&book).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].cell.as_deref(), Some("H3"));
        assert_eq!(
            describe(&err[0], Lang::En),
            "cell H3: page \"-1\" is not a positive whole number"
        );
        let book = xlsx(&[
            HEADER.trim_end().split(',').map(X::S).collect(),
            vec![
                X::S("0001"),
                X::S("任云志"),
                X::S("同意"),
                X::Blank,
                X::S("远程确认"),
                X::S("李芳伟"),
                X::D(2026, 3, 2),
                X::N(7.0),
            ],
        ]);
        let rows = read_consents(&book).unwrap();
        assert_eq!(rows[0].date, date(2026, 3, 2));
        assert_eq!(rows[0].page, Some(7));
        assert_eq!(rows[0].method, Method::Remote);
        assert_eq!(rows[0].line, 2);
    }

    #[test]
    fn method_spellings_are_stable() {
        for m in Method::ALL {
            let json = serde_json::to_string(&m).unwrap();
            assert_eq!(json, format!("\"{}\"", m.as_str()));
            assert_eq!(parse_method(m.as_str()), Some(m));
            assert_eq!(parse_method(m.label_zh()), Some(m));
        }
        assert_eq!(parse_method("IN_PERSON"), Some(Method::InPerson));
        assert_eq!(parse_method("unknown"), None);
        assert!(serde_json::from_str::<Method>("\"face-to-face\"").is_err());
        assert_eq!(method_label(Method::Remote, Lang::Zh), "远程确认");
    }

    /// The 民议 sheet prints its boxes short (□在场 □代签 / □远程 □委托); a collector
    /// copies them into the import file as printed, and they were refused.
    #[test]
    fn the_sheets_own_method_words_are_read() {
        let text = format!(
            "{HEADER}0001,A,同意,,代签,,2026-03-02,1\n0002,B,同意,,远程,,2026-03-02,1\n\
             0003,C,同意,,在场,,2026-03-02,1\n"
        );
        let rows = read_consents(text.as_bytes()).unwrap();
        let methods: Vec<Method> = rows.iter().map(|r| r.method).collect();
        assert_eq!(
            methods,
            [Method::SameHousehold, Method::Remote, Method::InPerson]
        );
        let sheet = include_str!("../../templates/consultation_sheet.zh.txt");
        assert!(sheet.contains("□在场 □代签\\n□远程 □委托"), "{sheet}");
    }

    #[test]
    fn future_dates_are_the_callers_check() {
        let text = format!("{HEADER}0001,A,同意,,,,2026-03-02,\n0002,B,同意,,,,,\n");
        let rows = read_consents(text.as_bytes()).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let late = check_not_future(&rows, today);
        assert_eq!(
            kinds(&late),
            vec![(Some(2), ProblemKind::DateInFuture { today })]
        );
    }
}
