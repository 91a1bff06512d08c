//! The roster as the rules see it: who was on it on a given date, and the counts every
//! meeting rule needs (支委, 两委, voting party members, 村民代表会议 composition, adults,
//! households). Also name resolution (`NAME` or `HOUSEHOLD:NAME`) and roster diffs.
//!
//! Pure: the roster versions come from roster entries in the log.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::people::{HouseholdId, Party, Person};

/// One roster version: people keyed by `HOUSEHOLD:NAME`.
///
/// Keys and people are shared between versions: a new version (every roster import) copies
/// only the map, so a decade's history costs one copy of each person plus a map per version
/// (measured on the decade village: 18 versions of 4,510 people took 10 MB when each
/// version owned its people).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roster {
    people: BTreeMap<Arc<str>, Arc<Person>>,
}

/// One difference between two roster versions, as recorded in a roster entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum RosterChange {
    Add {
        person: Person,
    },
    Update {
        person: Person,
    },
    Remove {
        household: HouseholdId,
        name: String,
    },
}

/// Why a name given on the command line does not name one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    Unknown {
        name: String,
    },
    Ambiguous {
        name: String,
        candidates: Vec<Person>,
    },
}

impl Roster {
    pub fn from_people(people: impl IntoIterator<Item = Person>) -> Roster {
        Roster {
            people: people
                .into_iter()
                .map(|p| (Arc::from(p.key()), Arc::new(p)))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn people(&self) -> impl Iterator<Item = &Person> {
        self.people.values().map(|p| &**p)
    }

    pub fn get(&self, household: &str, name: &str) -> Option<&Person> {
        // The key `household:name`, put together on the stack when it fits (this runs for
        // every recorded consent).
        let mut buf = [0u8; 128];
        let len = household.len() + 1 + name.len();
        if len > buf.len() {
            return self
                .people
                .get(format!("{household}:{name}").as_str())
                .map(|p| &**p);
        }
        buf[..household.len()].copy_from_slice(household.as_bytes());
        buf[household.len()] = b':';
        buf[household.len() + 1..len].copy_from_slice(name.as_bytes());
        let key = std::str::from_utf8(&buf[..len]).ok()?;
        self.people.get(key).map(|p| &**p)
    }

    /// Applies recorded changes. An `Add` of an existing key or an `Update`/`Remove` of a
    /// missing one is an inconsistency the caller reports.
    pub fn apply(&mut self, changes: &[RosterChange]) -> Result<(), String> {
        for c in changes {
            match c {
                RosterChange::Add { person } => {
                    if self
                        .people
                        .insert(Arc::from(person.key()), Arc::new(person.clone()))
                        .is_some()
                    {
                        return Err(person.key());
                    }
                }
                RosterChange::Update { person } => {
                    if self
                        .people
                        .insert(Arc::from(person.key()), Arc::new(person.clone()))
                        .is_none()
                    {
                        return Err(person.key());
                    }
                }
                RosterChange::Remove { household, name } => {
                    if self
                        .people
                        .remove(format!("{household}:{name}").as_str())
                        .is_none()
                    {
                        return Err(format!("{household}:{name}"));
                    }
                }
            }
        }
        Ok(())
    }

    /// The changes that turn `self` into `new`, in key order (deterministic).
    pub fn diff(&self, new: &Roster) -> Vec<RosterChange> {
        let mut out = Vec::new();
        for (k, p) in &new.people {
            match self.people.get(k) {
                None => out.push(RosterChange::Add {
                    person: (**p).clone(),
                }),
                Some(old) if old != p => out.push(RosterChange::Update {
                    person: (**p).clone(),
                }),
                Some(_) => {}
            }
        }
        for (k, p) in &self.people {
            if !new.people.contains_key(&**k) {
                out.push(RosterChange::Remove {
                    household: p.household.clone(),
                    name: p.name.clone(),
                });
            }
        }
        out
    }

    fn active(&self) -> impl Iterator<Item = &Person> {
        self.people().filter(|p| p.status.active())
    }

    /// 支委: active members of the party branch committee.
    pub fn branch_committee(&self) -> Vec<&Person> {
        self.active().filter(|p| p.committee.on_branch()).collect()
    }

    /// 两委: active members of either committee, each person once.
    pub fn two_committees(&self) -> Vec<&Person> {
        self.active().filter(|p| p.committee.on_any()).collect()
    }

    /// Voting party members (正式党员); 预备党员 attend but do not vote.
    pub fn voting_party_members(&self) -> Vec<&Person> {
        self.active().filter(|p| p.party == Party::Full).collect()
    }

    pub fn probationary_party_members(&self) -> Vec<&Person> {
        self.active()
            .filter(|p| p.party == Party::Probationary)
            .collect()
    }

    /// 村民代表会议: village-committee members plus representatives, each person once.
    pub fn representatives_assembly(&self) -> Vec<&Person> {
        self.active()
            .filter(|p| p.committee.on_village() || p.representative)
            .collect()
    }

    /// 村民会议: adults (18+ on `date`), living and not moved out.
    pub fn adults(&self, date: NaiveDate) -> Vec<&Person> {
        self.active().filter(|p| p.is_adult_on(date)).collect()
    }

    /// Households with at least one active member: the 村民会议 household count and the
    /// 民议 scope.
    pub fn active_households(&self) -> BTreeSet<HouseholdId> {
        self.active_household_ids()
            .into_iter()
            .map(String::from)
            .collect()
    }

    /// The same households, borrowed, sorted and each once (for comparing without copying
    /// 2,000 names: a 民议 opening).
    pub fn active_household_ids(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.active().map(|p| p.household.as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The head of household (户主) of `household`, if any: the one still a member when
    /// the roster keeps a former head (deceased, moved out) beside them.
    pub fn head_of(&self, household: &str) -> Option<&Person> {
        let mut heads = self
            .household(household)
            .filter(|p| p.relation == super::people::HEAD_OF_HOUSEHOLD);
        let first = heads.next()?;
        Some(
            std::iter::once(first)
                .chain(heads)
                .find(|p| p.status.active())
                .unwrap_or(first),
        )
    }

    pub fn members_of(&self, household: &str) -> Vec<&Person> {
        self.household(household).collect()
    }

    /// The members of `household`, in key order.
    fn household<'a>(&'a self, household: &str) -> impl Iterator<Item = &'a Person> + 'a {
        let prefix = format!("{household}:");
        self.people
            .range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded))
            .take_while(move |(k, _)| k.starts_with(&prefix))
            .map(|(_, p)| &**p)
    }

    /// Resolves `NAME` or `HOUSEHOLD:NAME` (also with a full-width colon) to one person.
    pub fn resolve(&self, given: &str) -> Result<&Person, NameProblem> {
        let given = given.trim();
        if let Some((hh, name)) = given.split_once([':', '：']) {
            return self
                .get(hh.trim(), name.trim())
                .ok_or_else(|| NameProblem::Unknown {
                    name: given.to_string(),
                });
        }
        let found: Vec<&Person> = self.people().filter(|p| p.name == given).collect();
        match found.len() {
            0 => Err(NameProblem::Unknown {
                name: given.to_string(),
            }),
            1 => Ok(found[0]),
            _ => Err(NameProblem::Ambiguous {
                name: given.to_string(),
                candidates: found.into_iter().cloned().collect(),
            }),
        }
    }
}

/// Every roster version, each effective from its date. Versions are appended in date
/// order (the engine refuses a roster entry dated before the previous one).
#[derive(Debug, Clone, Default)]
pub struct RosterHistory {
    versions: Vec<(NaiveDate, Roster)>,
}

impl RosterHistory {
    pub fn latest(&self) -> Option<&Roster> {
        self.versions.last().map(|(_, r)| r)
    }

    pub fn latest_date(&self) -> Option<NaiveDate> {
        self.versions.last().map(|(d, _)| *d)
    }

    /// The day the first roster took effect (none imported: `None`).
    pub fn first_date(&self) -> Option<NaiveDate> {
        self.versions.first().map(|(d, _)| *d)
    }

    /// The roster in force on `date`: the last version dated on or before it.
    pub fn on(&self, date: NaiveDate) -> Option<&Roster> {
        let i = self.versions.partition_point(|(d, _)| *d <= date);
        if i == 0 {
            None
        } else {
            Some(&self.versions[i - 1].1)
        }
    }

    /// Records a new version; several imports on one day replace that day's version.
    pub fn push(&mut self, date: NaiveDate, roster: Roster) {
        match self.versions.last_mut() {
            Some((d, r)) if *d == date => *r = roster,
            _ => self.versions.push((date, roster)),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rules::people::{Committee, Sex, Status};

    pub fn person(hh: &str, name: &str, relation: &str, birth: &str) -> Person {
        Person {
            household: hh.into(),
            name: name.into(),
            relation: relation.into(),
            sex: Sex::Male,
            birth_date: NaiveDate::parse_from_str(birth, "%Y-%m-%d").unwrap(),
            party: Party::None,
            representative: false,
            committee: Committee::None,
            status: Status::Resident,
        }
    }

    #[test]
    fn a_member_is_found_by_household_and_name_however_long_they_are() {
        let long_name = "欧阳".repeat(40); // 240 bytes: past the stack key
        let r = Roster::from_people([
            person("0001", "甲", "户主", "1970-01-01"),
            person("0001", &long_name, "子", "1990-01-01"),
            person("0001:x", "y", "户主", "1980-01-01"),
        ]);
        assert_eq!(
            r.get("0001", "甲").map(|p| p.relation.as_str()),
            Some("户主")
        );
        assert_eq!(
            r.get("0001", &long_name).map(|p| p.relation.as_str()),
            Some("子")
        );
        assert!(r.get("0001", "乙").is_none());
        assert!(r.get("0002", "甲").is_none());
        assert!(r.get("0001:x", "y").is_some());
        assert!(r.get("", "").is_none());
    }

    #[test]
    fn counts_follow_the_law() {
        let mut a = person("0001", "甲", "户主", "1970-01-01");
        a.committee = Committee::Both;
        a.party = Party::Full;
        let mut b = person("0001", "乙", "配偶", "1972-01-01");
        b.representative = true;
        b.committee = Committee::Village;
        let mut c = person("0002", "丙", "户主", "1960-01-01");
        c.party = Party::Probationary;
        c.committee = Committee::Branch;
        let d = person("0002", "丁", "子", "2010-06-01");
        let mut e = person("0003", "戊", "户主", "1950-01-01");
        e.status = Status::Deceased;
        e.party = Party::Full;
        e.representative = true;
        let r = Roster::from_people([a, b, c, d, e]);
        let day = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        assert_eq!(r.branch_committee().len(), 2); // 甲 (两委), 丙 (支委)
        assert_eq!(r.two_committees().len(), 3); // each person once
        assert_eq!(r.voting_party_members().len(), 1); // 丙 is probationary, 戊 deceased
        assert_eq!(r.representatives_assembly().len(), 2); // 甲 (村委 via 两委) and 乙
        assert_eq!(r.adults(day).len(), 3); // 丁 is 15
        assert_eq!(r.active_households().len(), 2); // 0003 has no living member
        assert_eq!(r.head_of("0002").unwrap().name, "丙");
    }

    #[test]
    fn names_resolve_or_list_candidates() {
        let r = Roster::from_people([
            person("0001", "王芳", "户主", "1970-01-01"),
            person("0002", "王芳", "户主", "1980-01-01"),
            person("0003", "李明", "户主", "1980-01-01"),
        ]);
        assert_eq!(r.resolve("李明").unwrap().household, "0003");
        assert_eq!(r.resolve("0002:王芳").unwrap().household, "0002");
        assert_eq!(r.resolve("0002：王芳").unwrap().household, "0002");
        match r.resolve("王芳") {
            Err(NameProblem::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
            other => panic!("expected ambiguity, got {other:?}"),
        }
        assert!(matches!(
            r.resolve("赵六"),
            Err(NameProblem::Unknown { .. })
        ));
        assert!(matches!(
            r.resolve("0003:王芳"),
            Err(NameProblem::Unknown { .. })
        ));
    }

    #[test]
    fn diff_then_apply_reproduces_the_new_roster() {
        let old = Roster::from_people([
            person("0001", "甲", "户主", "1970-01-01"),
            person("0002", "乙", "户主", "1970-01-01"),
        ]);
        let mut moved = person("0002", "乙", "户主", "1970-01-01");
        moved.status = Status::MovedOut;
        let new = Roster::from_people([moved, person("0003", "丙", "户主", "1990-01-01")]);
        let changes = old.diff(&new);
        assert_eq!(changes.len(), 3);
        let mut r = old.clone();
        r.apply(&changes).unwrap();
        assert_eq!(r, new);
        assert!(
            r.apply(&[RosterChange::Remove {
                household: "9".into(),
                name: "x".into()
            }])
            .is_err()
        );
    }

    #[test]
    fn history_answers_as_of_a_date() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut h = RosterHistory::default();
        h.push(
            d("2026-01-01"),
            Roster::from_people([person("0001", "甲", "户主", "1970-01-01")]),
        );
        h.push(d("2026-03-01"), Roster::default());
        assert!(h.on(d("2025-12-31")).is_none());
        assert_eq!(h.on(d("2026-02-28")).unwrap().len(), 1);
        assert_eq!(h.on(d("2026-03-01")).unwrap().len(), 0);
    }
}
