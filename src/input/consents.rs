//! The `consult ID import` file (SPEC §4) → one [`ConsentRow`] per household, all or
//! nothing.
//!
//! Columns: 户号/household, 签字人/signer, 意见/opinion (同意/反对) are required; 理由/reason,
//! 方式/method, 征求人/collector, 日期/date, 页码/page are optional columns with optional
//! values. Rules here are the file's own: an objection needs a reason, a household appears
//! once, a page is a positive integer. Whether a household is in scope, and whether a consent
//! has enough evidence, is for the rules engine; dates in the future for the caller
//! ([`check_not_future`]).
//!
//! Decisions: an empty method means `in-person` (as `consult record` without `--method`);
//! `不同意` is read as an objection; a reason given with a consent is kept.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::fields::{IdSeen, RowReader, check_zero_padding, note_id};
use super::problem::{Field, InputProblem, ProblemKind, Problems};
use super::roster::HOUSEHOLD_HEADERS;
use super::table::{self, ColumnSpec, Limits, map_header};

/// How a household's answer was collected (SPEC §1, 民议). Stored as the English spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Method {
    /// 在场: the signer signed in person.
    #[serde(rename = "in-person")]
    InPerson,
    /// 同户代签: another member of the household signed.
    #[serde(rename = "same-household")]
    SameHousehold,
    /// 远程确认: confirmed remotely (phone, video), signed by the collector.
    #[serde(rename = "remote")]
    Remote,
    /// 委托: a written proxy.
    #[serde(rename = "proxy")]
    Proxy,
}

impl Method {
    pub const ALL: [Method; 4] = [
        Method::InPerson,
        Method::SameHousehold,
        Method::Remote,
        Method::Proxy,
    ];

    /// The stored spelling (also the `--method` value).
    pub fn as_str(self) -> &'static str {
        match self {
            Method::InPerson => "in-person",
            Method::SameHousehold => "same-household",
            Method::Remote => "remote",
            Method::Proxy => "proxy",
        }
    }

    /// The Chinese word on the village's forms.
    pub fn chinese(self) -> &'static str {
        match self {
            Method::InPerson => "在场",
            Method::SameHousehold => "同户代签",
            Method::Remote => "远程确认",
            Method::Proxy => "委托",
        }
    }

    /// Either spelling (English case-insensitive, `_` or space for `-`).
    pub fn parse(s: &str) -> Option<Method> {
        let folded = super::normalize::fold_value(s.trim());
        Method::ALL
            .into_iter()
            .find(|m| m.chinese() == s.trim() || super::normalize::fold_value(m.as_str()) == folded)
    }
}

/// One household's answer, as read from the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRow {
    /// Line (or sheet row) in the file.
    pub line: u64,
    pub household: String,
    pub signer: String,
    /// `true` for 同意, `false` for 反对.
    pub consent: bool,
    pub reason: Option<String>,
    pub method: Method,
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
    let table = table::read(bytes, limits).map_err(|p| vec![*p])?;
    let mut problems = Problems::new(limits.max_problems);
    problems.extend(table.problems.iter().cloned());
    let (cols, header_problems) = map_header(&table, COLUMNS);
    problems.extend(header_problems);
    if table.rows.is_empty() {
        problems.push(InputProblem::file(ProblemKind::NoRows));
    }

    let mut out = Vec::with_capacity(table.rows.len());
    let mut ids: Vec<(String, IdSeen)> = Vec::new();
    let mut id_index: HashMap<String, usize> = HashMap::new();
    for row in &table.rows {
        let mut r = RowReader::new(row, &cols, &mut problems);
        let household = r.household();
        let signer = r.required_text(Field::Signer);
        let consent = r.choice(Field::Opinion, true, OPINION, OPINION_VALUES);
        let reason = r.text(Field::Reason, false, true);
        let method = r
            .choice(Field::Method, false, METHOD, METHOD_VALUES)
            .map(|m| m.unwrap_or(Method::InPerson));
        let collector = r.text(Field::Collector, false, false);
        let date = r.date(Field::Date, false);
        let page = page(&mut r);
        let household_at = r.cell(Field::Household).and_then(|c| c.at.clone());
        let reason_at = r
            .cell(Field::Reason)
            .or_else(|| r.cell(Field::Opinion))
            .and_then(|c| c.at.clone());
        let mut complete = true;
        if let Ok(h) = &household {
            match id_index.get(h) {
                Some(&i) => {
                    complete = false;
                    let first_line = ids[i].1.line;
                    problems.push(
                        InputProblem::line(
                            row.line,
                            ProblemKind::DuplicateHousehold {
                                household: h.clone(),
                                first_line,
                            },
                        )
                        .with_cell(household_at)
                        .with_column(Field::Household)
                        .with_value(h.clone()),
                    );
                }
                None => {
                    let r = RowReader::new(row, &cols, &mut problems);
                    note_id(&mut ids, &mut id_index, h, &r);
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
            Ok(signer),
            Ok(Some(consent)),
            Ok(reason),
            Ok(method),
            Ok(collector),
            Ok(date),
            Ok(page),
        ) = (
            household, signer, consent, reason, method, collector, date, page,
        ) {
            out.push(ConsentRow {
                line: row.line,
                household,
                signer,
                consent,
                reason,
                method,
                collector,
                date,
                page,
            });
        }
    }
    check_zero_padding(&ids, &mut problems);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems.into_sorted())
    }
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
