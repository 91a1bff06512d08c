//! The village's procedural policy as data (SPEC §3): every quorum and pass threshold,
//! the minimum posting period and the consent rule. The default is the law's rule; a
//! village may record another policy entry later, and replay always applies the policy in
//! force when a step was taken.

use serde::{Deserialize, Serialize};

use super::category::Category;

/// 村民委员会组织法 (2025) Art. 35: 公布的期限不得少于十五日. A policy may ask more, never
/// less (from 2026-11-30), and `publish` takes it whatever an older policy says.
pub const LAW_MIN_POSTING_DAYS: u32 = 15;

/// `value · den  >  base · num` when `strict`, else `value · den  ≥  base · num`.
///
/// "过半数" (more than half) is `{1, 2, strict}`; "三分之二以上" (two thirds or more,
/// exactly two thirds included) is `{2, 3, not strict}`; 100 % is `{1, 1, not strict}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub num: u32,
    pub den: u32,
    pub strict: bool,
}

impl Threshold {
    pub const MORE_THAN_HALF: Threshold = Threshold {
        num: 1,
        den: 2,
        strict: true,
    };
    pub const TWO_THIRDS: Threshold = Threshold {
        num: 2,
        den: 3,
        strict: false,
    };
    pub const ALL: Threshold = Threshold {
        num: 1,
        den: 1,
        strict: false,
    };

    /// Whether every count that meets `self` also meets `floor` (for any base): `self` is
    /// the same rule or a stricter one.
    pub fn at_least(self, floor: Threshold) -> bool {
        let lhs = self.num as u128 * floor.den as u128;
        let rhs = floor.num as u128 * self.den as u128;
        lhs > rhs || (lhs == rhs && (self.strict || !floor.strict))
    }

    /// Whether `value` out of `base` meets the threshold. Exact integer arithmetic.
    pub fn met(self, value: u64, base: u64) -> bool {
        let lhs = value as u128 * self.den as u128;
        let rhs = base as u128 * self.num as u128;
        if self.strict { lhs > rhs } else { lhs >= rhs }
    }

    /// The smallest value that meets the threshold for `base` (for messages: "至少需 N").
    pub fn minimum(self, base: u64) -> u64 {
        let prod = base as u128 * self.num as u128;
        let den = self.den.max(1) as u128;
        let m = if self.strict {
            prod / den + 1
        } else {
            prod.div_ceil(den)
        };
        m as u64
    }

    /// A fraction in (0, 1] that some count can meet: not zero (which would abolish the
    /// rule) and not "more than all".
    pub fn valid(self) -> bool {
        self.den > 0
            && self.num > 0
            && self.num <= self.den
            && !(self.strict && self.num == self.den)
    }
}

/// What the law requires of a rule a policy sets too low ([`Policy::below_law`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LawFloor {
    Share(Threshold),
    Days(u32),
    /// A category the law holds to the two-thirds rule, left out of `land_categories`.
    Category(super::category::Category),
}

/// What 民议 counts: households (the default) or adults.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsultationUnit {
    Households,
    /// Every adult (18 or over on the opening day) of an active household, each signing
    /// for themself: the scope lists people as `HOUSEHOLD:NAME`.
    Adults,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// 提议: 支委会 present vs branch committee size.
    pub proposal_quorum: Threshold,
    /// 商议: 两委联席会 present vs two-committee size (each person once).
    pub discussion_quorum: Threshold,
    /// 审议: 党员大会 present vs voting (full) party members.
    pub review_quorum: Threshold,
    /// 审议: votes for vs voting party members (应到, not 实到).
    pub review_pass: Threshold,
    /// 决议 by 村民代表会议: present vs composition.
    pub representatives_quorum: Threshold,
    /// 决议 by 村民会议: adults present vs adults.
    pub villagers_quorum_adults: Threshold,
    /// 决议 by 村民会议: households present vs households (either quorum suffices).
    pub villagers_quorum_households: Threshold,
    /// 决议 (both bodies): votes for vs present.
    pub resolution_pass: Threshold,
    /// 决议 on land and collective-asset matters: votes for vs all members of the body.
    pub land_pass: Threshold,
    pub land_categories: Vec<Category>,
    /// 公开: minimum posting period in days.
    pub min_posting_days: u32,
    pub consultation_unit: ConsultationUnit,
    /// 民议: signed consents vs households in scope.
    pub consultation_consent: Threshold,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            proposal_quorum: Threshold::MORE_THAN_HALF,
            discussion_quorum: Threshold::MORE_THAN_HALF,
            review_quorum: Threshold::MORE_THAN_HALF,
            review_pass: Threshold::MORE_THAN_HALF,
            representatives_quorum: Threshold::TWO_THIRDS,
            villagers_quorum_adults: Threshold::MORE_THAN_HALF,
            villagers_quorum_households: Threshold::TWO_THIRDS,
            resolution_pass: Threshold::MORE_THAN_HALF,
            land_pass: Threshold::TWO_THIRDS,
            land_categories: vec![
                Category::LandContract,
                Category::Homestead,
                Category::LandCompensation,
                Category::CollectiveAsset,
            ],
            min_posting_days: 15,
            consultation_unit: ConsultationUnit::Households,
            consultation_consent: Threshold::ALL,
        }
    }
}

impl Policy {
    /// Whether a round's tally lets its matter be resolved: every unit in scope consented
    /// (the 100 % rule), or as many as the village's policy asks.
    pub fn consultation_passes(&self, t: &super::RoundTally) -> bool {
        self.consultation_consent.met(t.consented, t.in_scope)
            && (self.consultation_consent != Threshold::ALL || t.consented == t.in_scope)
    }

    /// The first rule of this policy laxer than the law allows (a village may be stricter,
    /// never laxer): the rule's name, and the legal minimum as a threshold or in days.
    /// The 100 % consent rule of 民议 is the method's own, which SPEC §3 lets a village
    /// relax; whether 民议 counts households or adults is the village's choice.
    pub fn below_law(&self) -> Option<(&'static str, LawFloor)> {
        use LawFloor::{Days, Share};
        let floors = [
            // 中国共产党农村基层组织工作条例 / 党支部工作条例: more than half present;
            // decisions by more than half of the voting members.
            (
                "proposal_quorum",
                self.proposal_quorum,
                Threshold::MORE_THAN_HALF,
            ),
            (
                "discussion_quorum",
                self.discussion_quorum,
                Threshold::MORE_THAN_HALF,
            ),
            (
                "review_quorum",
                self.review_quorum,
                Threshold::MORE_THAN_HALF,
            ),
            ("review_pass", self.review_pass, Threshold::MORE_THAN_HALF),
            // 村民委员会组织法 (2025) Art. 26 and 30.
            (
                "representatives_quorum",
                self.representatives_quorum,
                Threshold::TWO_THIRDS,
            ),
            (
                "villagers_quorum_adults",
                self.villagers_quorum_adults,
                Threshold::MORE_THAN_HALF,
            ),
            (
                "villagers_quorum_households",
                self.villagers_quorum_households,
                Threshold::TWO_THIRDS,
            ),
            (
                "resolution_pass",
                self.resolution_pass,
                Threshold::MORE_THAN_HALF,
            ),
            // 农村集体经济组织法 Art. 27, 农村土地承包法 Art. 28: two thirds of all members.
            ("land_pass", self.land_pass, Threshold::TWO_THIRDS),
        ];
        if let Some((name, _, floor)) = floors.iter().find(|(_, t, f)| !t.at_least(*f)) {
            return Some((name, Share(*floor)));
        }
        if self.min_posting_days < LAW_MIN_POSTING_DAYS {
            return Some(("min_posting_days", Days(LAW_MIN_POSTING_DAYS)));
        }
        // The land and collective-asset categories stay under the two-thirds rule.
        if let Some(c) = Policy::default()
            .land_categories
            .into_iter()
            .find(|c| !self.land_categories.contains(c))
        {
            return Some(("land_categories", LawFloor::Category(c)));
        }
        None
    }

    /// Thresholds must be fractions in (0, 1]; the posting period at least one day.
    pub fn valid(&self) -> bool {
        self.invalid().is_none()
    }

    /// The first rule that is not valid ([`Policy::valid`]): its field and its value as the
    /// policy file writes it (`5/3`, `0 天`).
    pub fn invalid(&self) -> Option<(&'static str, String)> {
        let thresholds = [
            ("proposal_quorum", self.proposal_quorum),
            ("discussion_quorum", self.discussion_quorum),
            ("review_quorum", self.review_quorum),
            ("review_pass", self.review_pass),
            ("representatives_quorum", self.representatives_quorum),
            ("villagers_quorum_adults", self.villagers_quorum_adults),
            (
                "villagers_quorum_households",
                self.villagers_quorum_households,
            ),
            ("resolution_pass", self.resolution_pass),
            ("land_pass", self.land_pass),
            ("consultation_consent", self.consultation_consent),
        ];
        if let Some((field, t)) = thresholds.into_iter().find(|(_, t)| !t.valid()) {
            let strict = if t.strict { " strict" } else { "" };
            return Some((field, format!("{}/{}{strict}", t.num, t.den)));
        }
        (!(1..=super::engine::MAX_POSTING_DAYS).contains(&self.min_posting_days))
            .then(|| ("min_posting_days", self.min_posting_days.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_than_half_is_strict() {
        let t = Threshold::MORE_THAN_HALF;
        assert!(!t.met(21, 42));
        assert!(t.met(22, 42));
        assert!(!t.met(21, 43));
        assert!(t.met(22, 43));
        assert_eq!(t.minimum(42), 22);
        assert_eq!(t.minimum(43), 22);
        assert_eq!(t.minimum(0), 1);
    }

    #[test]
    fn two_thirds_includes_exactly_two_thirds() {
        let t = Threshold::TWO_THIRDS;
        assert!(t.met(20, 30));
        assert!(!t.met(19, 30));
        assert!(t.met(21, 31)); // 21*3=63 >= 62
        assert!(!t.met(20, 31));
        assert_eq!(t.minimum(30), 20);
        assert_eq!(t.minimum(31), 21);
    }

    #[test]
    fn all_means_every_one() {
        assert!(Threshold::ALL.met(365, 365));
        assert!(!Threshold::ALL.met(364, 365));
        assert_eq!(Threshold::ALL.minimum(365), 365);
    }

    #[test]
    fn default_policy_is_valid_and_round_trips() {
        let p = Policy::default();
        assert!(p.valid());
        let v = serde_json::to_value(&p).unwrap();
        let back: Policy = serde_json::from_value(v).unwrap();
        assert_eq!(p, back);
    }
}
