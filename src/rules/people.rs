//! The roster's domain types: a person, the enumerations the roster file uses, and the
//! stored spellings of each (Chinese, as written on the village's own forms).
//!
//! These are plain data. Reading files lives in `crate::input`; the counts a meeting needs
//! (应到, adults, households) live in `crate::rules::roster`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A household number as printed on the roster ("户号"), e.g. `0127`. Kept as text:
/// leading zeros matter to the village.
pub type HouseholdId = String;

/// Party membership. `Probationary` (预备党员) members attend but do not vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Party {
    #[serde(rename = "是")]
    Full,
    #[serde(rename = "预备")]
    Probationary,
    #[serde(rename = "否")]
    None,
}

/// Seat on the two committees ("两委"): party branch committee (支委), village committee
/// (村委), both (两委), or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Committee {
    #[serde(rename = "支委")]
    Branch,
    #[serde(rename = "村委")]
    Village,
    #[serde(rename = "两委")]
    Both,
    #[serde(rename = "")]
    None,
}

impl Committee {
    pub fn on_branch(self) -> bool {
        matches!(self, Committee::Branch | Committee::Both)
    }
    pub fn on_village(self) -> bool {
        matches!(self, Committee::Village | Committee::Both)
    }
    pub fn on_any(self) -> bool {
        !matches!(self, Committee::None)
    }
}

/// Residence status. Only `Resident` and `Away` count as living members of the village.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Status {
    #[serde(rename = "在村")]
    Resident,
    #[serde(rename = "外出")]
    Away,
    #[serde(rename = "迁出")]
    MovedOut,
    #[serde(rename = "死亡")]
    Deceased,
}

impl Status {
    /// Living and not moved out: counted for meetings, households and consultation scope.
    pub fn active(self) -> bool {
        matches!(self, Status::Resident | Status::Away)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    #[serde(rename = "男")]
    Male,
    #[serde(rename = "女")]
    Female,
}

/// One row of the roster. Identity within the village is (household, name): names repeat
/// across a village but not inside one household (the roster reader refuses that).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub household: HouseholdId,
    pub name: String,
    /// 与户主关系: free text as written (户主, 配偶, 子, 女, 孙子, 儿媳, …); exactly one
    /// `户主` per household.
    pub relation: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub party: Party,
    pub representative: bool,
    pub committee: Committee,
    pub status: Status,
}

/// The relation value that marks the head of household.
pub const HEAD_OF_HOUSEHOLD: &str = "户主";

impl Person {
    /// `HOUSEHOLD:NAME`, the unambiguous way to name a person everywhere in the CLI.
    pub fn key(&self) -> String {
        format!("{}:{}", self.household, self.name)
    }

    /// Age in whole years on `date` (a person born on 29 February turns a year older on
    /// 1 March in common years).
    pub fn age_on(&self, date: NaiveDate) -> i32 {
        use chrono::Datelike;
        let mut age = date.year() - self.birth_date.year();
        if (date.month(), date.day()) < (self.birth_date.month(), self.birth_date.day()) {
            age -= 1;
        }
        age
    }

    pub fn is_adult_on(&self, date: NaiveDate) -> bool {
        self.age_on(date) >= 18
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(birth: &str) -> Person {
        Person {
            household: "0001".into(),
            name: "张三".into(),
            relation: "户主".into(),
            sex: Sex::Male,
            birth_date: NaiveDate::parse_from_str(birth, "%Y-%m-%d").unwrap(),
            party: Party::None,
            representative: false,
            committee: Committee::None,
            status: Status::Resident,
        }
    }

    #[test]
    fn adult_on_the_eighteenth_birthday_not_the_day_before() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(!p("2008-05-10").is_adult_on(d("2026-05-09")));
        assert!(p("2008-05-10").is_adult_on(d("2026-05-10")));
        assert!(!p("2008-02-29").is_adult_on(d("2026-02-28")));
        assert!(p("2008-02-29").is_adult_on(d("2026-03-01")));
    }

    #[test]
    fn stored_spellings_are_the_roster_words() {
        assert_eq!(
            serde_json::to_string(&Party::Probationary).unwrap(),
            "\"预备\""
        );
        assert_eq!(serde_json::to_string(&Committee::None).unwrap(), "\"\"");
        assert_eq!(
            serde_json::to_string(&Status::MovedOut).unwrap(),
            "\"迁出\""
        );
        assert!(serde_json::from_str::<Status>("\"unknown\"").is_err());
    }
}
