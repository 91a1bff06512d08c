//! Dates as village staff type them into Excel: [`parse_date`] accepts the unambiguous
//! year-first forms and refuses everything else with a reason ([`DateProblem`]).
//!
//! Accepted: `1965-03-02`, `1965/3/2`, `1965.3.2` (one separator throughout), `19650302`,
//! `1965年3月2日` (the `日` may be left off), full-width digits and spaces anywhere
//! (`１９６５年３月２日`, ` 1965 - 03 - 02 `), and a midnight time after the date
//! (`1965/3/2 0:00`, `1965-03-02T00:00:00`, as Excel writes date cells into CSV). Years run
//! from 1900 to 2100. Whether a date lies in the future is for the caller, who has the clock.
//! Excel serial numbers are handled where they occur, in the XLSX reader (a date cell arrives
//! as a date); a bare serial number typed as text is refused here.

use chrono::NaiveDate;

use super::normalize::half_width;

/// Why a text is not an accepted date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    /// Nothing there.
    Empty,
    /// Not a date in any form we read.
    Unrecognised,
    /// Year and month only (`1965-03`, `196503`, `1965年3月`): a full date is needed.
    MissingDay,
    /// A two-digit year (`65-3-2`): which century?
    TwoDigitYear,
    /// The year is last (`02/03/1965`): day-month or month-day cannot be told apart.
    YearNotFirst,
    /// A bare 5-digit number: an Excel serial date saved as a number, not a date.
    ExcelSerial,
    /// A time of day other than midnight follows the date.
    HasTime,
    /// The month or day does not exist (`1965-02-30`, `1965-13-01`).
    NoSuchDay,
    /// A year before 1900 or after 2100.
    YearOutOfRange { year: i32 },
}

pub const MIN_YEAR: i32 = 1900;
pub const MAX_YEAR: i32 = 2100;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Num(String),
    Sep(char),
}

/// Parses one date. See the module documentation for the accepted forms.
pub fn parse_date(s: &str) -> Result<NaiveDate, DateProblem> {
    let tokens = tokenize(s);
    if tokens.is_empty() {
        return Err(DateProblem::Empty);
    }
    let (date, time) = split_time(&tokens);
    if let Some(time) = time {
        check_midnight(time)?;
    }
    let (y, m, d) = match date {
        [Tok::Num(n)] => compact(n)?,
        [
            Tok::Num(y),
            Tok::Sep(a),
            Tok::Num(m),
            Tok::Sep(b),
            Tok::Num(d),
        ] if a == b && matches!(a, '-' | '/' | '.') => {
            if y.len() == 4 {
                (y.as_str(), m.as_str(), d.as_str())
            } else if d.len() == 4 {
                return Err(DateProblem::YearNotFirst);
            } else if y.len() <= 2 && m.len() <= 2 && d.len() <= 2 {
                return Err(DateProblem::TwoDigitYear);
            } else {
                return Err(DateProblem::Unrecognised);
            }
        }
        [Tok::Num(a), Tok::Sep(s), Tok::Num(b)]
            if matches!(s, '-' | '/' | '.') && (a.len() == 4 || b.len() == 4) =>
        {
            return Err(DateProblem::MissingDay);
        }
        [
            Tok::Num(y),
            Tok::Sep('年'),
            Tok::Num(m),
            Tok::Sep('月'),
            Tok::Num(d),
        ]
        | [
            Tok::Num(y),
            Tok::Sep('年'),
            Tok::Num(m),
            Tok::Sep('月'),
            Tok::Num(d),
            Tok::Sep('日' | '号'),
        ] => {
            if y.len() == 2 {
                return Err(DateProblem::TwoDigitYear);
            }
            (y.as_str(), m.as_str(), d.as_str())
        }
        [Tok::Num(_), Tok::Sep('年'), Tok::Num(_)]
        | [Tok::Num(_), Tok::Sep('年'), Tok::Num(_), Tok::Sep('月')] => {
            return Err(DateProblem::MissingDay);
        }
        _ => return Err(DateProblem::Unrecognised),
    };
    build(y, m, d)
}

/// Digits and single separator characters; whitespace (after full-width folding) only ends
/// a number.
fn tokenize(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut num = String::new();
    for c in s.chars().map(half_width) {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        if !num.is_empty() {
            out.push(Tok::Num(std::mem::take(&mut num)));
        }
        if !c.is_whitespace() {
            out.push(Tok::Sep(c));
        }
    }
    if !num.is_empty() {
        out.push(Tok::Num(num));
    }
    out
}

/// Splits `date [T] h:mm[:ss[.fff]]` into the date tokens and the time tokens.
fn split_time(tokens: &[Tok]) -> (&[Tok], Option<&[Tok]>) {
    match tokens.iter().position(|t| *t == Tok::Sep(':')) {
        Some(colon) if colon >= 1 => {
            let start = colon - 1;
            let mut date = &tokens[..start];
            if let [rest @ .., Tok::Sep('T')] = date {
                date = rest;
            }
            (date, Some(&tokens[start..]))
        }
        _ => (tokens, None),
    }
}

fn check_midnight(time: &[Tok]) -> Result<(), DateProblem> {
    let shape_ok = time.iter().enumerate().all(|(i, t)| match t {
        Tok::Num(_) => i % 2 == 0,
        Tok::Sep(':' | '.') => i % 2 == 1,
        Tok::Sep(_) => false,
    }) && time.len() % 2 == 1;
    if !shape_ok {
        return Err(DateProblem::Unrecognised);
    }
    let zero = time.iter().all(|t| match t {
        Tok::Num(n) => n.bytes().all(|b| b == b'0'),
        Tok::Sep(_) => true,
    });
    if zero {
        Ok(())
    } else {
        Err(DateProblem::HasTime)
    }
}

/// A date without separators: `19650302`; shorter numbers say what they probably are.
fn compact(n: &str) -> Result<(&str, &str, &str), DateProblem> {
    match n.len() {
        8 => Ok((&n[..4], &n[4..6], &n[6..])),
        6 if n.starts_with("19") || n.starts_with("20") => Err(DateProblem::MissingDay),
        4 if n.starts_with("19") || n.starts_with("20") => Err(DateProblem::MissingDay),
        5 => Err(DateProblem::ExcelSerial),
        _ => Err(DateProblem::Unrecognised),
    }
}

fn build(y: &str, m: &str, d: &str) -> Result<NaiveDate, DateProblem> {
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_empty() || d.len() > 2 {
        return Err(DateProblem::Unrecognised);
    }
    // At most four digits each: these parses cannot overflow.
    let year: i32 = y.parse().map_err(|_| DateProblem::Unrecognised)?;
    let month: u32 = m.parse().map_err(|_| DateProblem::Unrecognised)?;
    let day: u32 = d.parse().map_err(|_| DateProblem::Unrecognised)?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(DateProblem::YearOutOfRange { year });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateProblem::NoSuchDay)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        match parse_date(s) {
            Ok(d) => d.format("%Y-%m-%d").to_string(),
            Err(e) => panic!("{s:?}: {e:?}"),
        }
    }

    #[test]
    fn accepted_forms() {
        for s in [
            "1965-03-02",
            "1965/3/2",
            "1965.3.2",
            "19650302",
            "1965年3月2日",
            "1965年03月02日",
            "1965年3月2",
            "１９６５年３月２日",
            " 1965 - 03 - 02 ",
            "\u{3000}１９６５－０３－０２\u{3000}",
            "1965/3/2 0:00",
            "1965-03-02 00:00:00",
            "1965-03-02T00:00:00",
            "1965-03-02T00:00:00.000",
        ] {
            assert_eq!(ok(s), "1965-03-02", "{s:?}");
        }
        assert_eq!(ok("2000-02-29"), "2000-02-29");
        assert_eq!(ok("1900-01-01"), "1900-01-01");
        assert_eq!(ok("2100-12-31"), "2100-12-31");
    }

    #[test]
    fn refused_with_a_reason() {
        use DateProblem::*;
        let cases = [
            ("", Empty),
            ("   ", Empty),
            ("02/03/1965", YearNotFirst),
            ("2.3.1965", YearNotFirst),
            ("65-3-2", TwoDigitYear),
            ("65年3月2日", TwoDigitYear),
            ("1965-02-30", NoSuchDay),
            ("1965-13-01", NoSuchDay),
            ("1965-00-10", NoSuchDay),
            ("1900-02-29", NoSuchDay),
            ("1899-12-31", YearOutOfRange { year: 1899 }),
            ("2101-01-01", YearOutOfRange { year: 2101 }),
            ("1965-03", MissingDay),
            ("196503", MissingDay),
            ("1965", MissingDay),
            ("1965年3月", MissingDay),
            ("23803", ExcelSerial),
            ("1965-03/02", Unrecognised),
            ("1965-3-2-1", Unrecognised),
            ("1965-003-02", Unrecognised),
            ("March 2, 1965", Unrecognised),
            ("一九六五年三月二日", Unrecognised),
            ("1965/3/2 12:30", HasTime),
            ("1965-03-02 0:00 pm", Unrecognised),
        ];
        for (s, want) in cases {
            assert_eq!(parse_date(s), Err(want), "{s:?}");
        }
    }
}
