//! Quorum and pass rules at their boundaries, computed from the roster as of the meeting
//! date, and inconsistent counts.

use super::super::policy::Threshold;
use super::super::refusal::VoteBase;
use super::*;

const HALF: Threshold = Threshold::MORE_THAN_HALF;
const TWO_THIRDS: Threshold = Threshold::TWO_THIRDS;

#[test]
fn the_fixture_has_the_counts_the_boundaries_need() {
    let h = H::new();
    let day = d("2026-03-01");
    assert_eq!(h.expected(Meeting::BranchCommittee, day), 5);
    assert_eq!(
        h.expected(Meeting::TwoCommittees, day),
        7,
        "两委 counts each person once"
    );
    assert_eq!(
        h.expected(Meeting::PartyMembers, day),
        43,
        "预备, deceased and moved-out excluded"
    );
    assert_eq!(
        h.expected(Meeting::Representatives, day),
        30,
        "村委 + 代表, each person once"
    );
    let r = h.s.roster.on(day).unwrap();
    assert_eq!(r.probationary_party_members().len(), 2);
    assert_eq!(
        r.active_households().len(),
        50,
        "0098 (deceased) and 0099 (moved out) excluded"
    );
    let bday = d(BIRTHDAY);
    assert_eq!(h.expected(Meeting::Villagers, bday - Duration::days(1)), 51);
    assert_eq!(
        h.expected(Meeting::Villagers, bday),
        52,
        "18 on the meeting date counts"
    );
}

// ----- 提议: 支委会, 5 members -----

#[test]
fn branch_committee_quorum_is_more_than_half() {
    let mut h = H::new();
    let id = h.drive(Stage::Motion);
    let date = h.next_date(&id);
    let p = h.proposal(&id, date);
    assert_eq!(p.expected, 5);
    let r = h.refuse(Event::Proposal(MeetingEvent {
        present: 2,
        ..p.clone()
    }));
    assert_eq!(
        r,
        Refusal::Quorum {
            meeting: Meeting::BranchCommittee,
            present: 2,
            expected: 5,
            threshold: HALF
        }
    );
    h.ok(Event::Proposal(MeetingEvent { present: 3, ..p }));
    assert_eq!(h.stage(&id), Stage::Proposal);
}

#[test]
fn branch_committee_exactly_half_fails() {
    // Add a sixth 支委 member: 3 of 6 is exactly half and fails, 4 passes.
    let mut h = H::new();
    h.ok(
        h.roster_update("2026-02-01", None, "0033", "村民0033", |p| {
            p.committee = Committee::Branch
        }),
    );
    let id = h.drive(Stage::Motion);
    let p = h.proposal(&id, h.next_date(&id));
    assert_eq!(p.expected, 6);
    let r = h.refuse(Event::Proposal(MeetingEvent {
        present: 3,
        ..p.clone()
    }));
    assert!(
        matches!(
            r,
            Refusal::Quorum {
                present: 3,
                expected: 6,
                ..
            }
        ),
        "{r:?}"
    );
    h.ok(Event::Proposal(MeetingEvent { present: 4, ..p }));
}

// ----- 商议: 两委联席会, 7 people (3 sit on both committees and count once) -----

#[test]
fn two_committee_quorum_counts_each_person_once() {
    let mut h = H::new();
    let id = h.drive(Stage::Proposal);
    let m = h.discussion(&id, h.next_date(&id));
    assert_eq!(m.expected, 7);
    // Counting 两委 people twice would give 10 and refuse 7 present as a mismatch.
    let r = h.refuse(Event::Discussion(MeetingEvent {
        expected: 10,
        ..m.clone()
    }));
    assert_eq!(
        r,
        Refusal::ExpectedMismatch {
            meeting: Meeting::TwoCommittees,
            recorded: 10,
            roster: 7
        }
    );
    let r = h.refuse(Event::Discussion(MeetingEvent {
        present: 3,
        ..m.clone()
    }));
    assert_eq!(
        r,
        Refusal::Quorum {
            meeting: Meeting::TwoCommittees,
            present: 3,
            expected: 7,
            threshold: HALF
        }
    );
    h.ok(Event::Discussion(MeetingEvent { present: 4, ..m }));
    assert_eq!(h.stage(&id), Stage::Discussion);
    assert_eq!(h.matter(&id).plan_version, 1);
    assert_eq!(h.matter(&id).budget, Some(32_600_000));
}

// ----- 审议: 党员大会, 43 voting members (+2 预备) -----

#[test]
fn party_meeting_quorum_below_half_fails() {
    let mut h = H::new();
    let id = h.drive(Stage::Discussion);
    let v = h.review(&id, h.next_date(&id));
    assert_eq!(v.expected, 43);
    let r = h.refuse(Event::Review(VoteEvent {
        present: 21,
        for_: 21,
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::Quorum {
            meeting: Meeting::PartyMembers,
            present: 21,
            expected: 43,
            threshold: HALF
        }
    );
    h.ok(Event::Review(VoteEvent {
        present: 22,
        for_: 22,
        ..v
    }));
}

#[test]
fn party_meeting_present_exactly_half_fails_half_plus_one_passes() {
    // A 预备党员 becomes 正式 on 2026-02-01: 44 voting members from then on.
    let mut h = H::new();
    h.ok(
        h.roster_update("2026-02-01", Some("转正"), "0046", "村民0046", |p| {
            p.party = Party::Full
        }),
    );
    assert_eq!(
        h.expected(Meeting::PartyMembers, d("2026-01-31")),
        43,
        "the roster as of the date"
    );
    assert_eq!(h.expected(Meeting::PartyMembers, d("2026-02-01")), 44);
    let id = h.drive(Stage::Discussion);
    let v = h.review(&id, h.next_date(&id));
    assert_eq!(v.expected, 44);
    let r = h.refuse(Event::Review(VoteEvent {
        present: 22,
        for_: 22,
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::Quorum {
            meeting: Meeting::PartyMembers,
            present: 22,
            expected: 44,
            threshold: HALF
        }
    );
    // 23 present, 23 for: 46 > 44 passes both rules.
    h.ok(Event::Review(VoteEvent {
        present: 23,
        for_: 23,
        ..v
    }));
    assert_eq!(h.stage(&id), Stage::Review);
}

#[test]
fn review_for_votes_count_against_expected_not_present() {
    let mut h = H::new();
    let id = h.drive(Stage::Discussion);
    let v = VoteEvent {
        present: 30,
        against: 4,
        abstain: 4,
        ..h.review(&id, h.next_date(&id))
    };
    // 21 of 30 present is a majority of those present, but not of the 43 voting members.
    let r = h.refuse(Event::Review(VoteEvent {
        for_: 21,
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::VoteFailed {
            meeting: Meeting::PartyMembers,
            for_: 21,
            base: 43,
            base_is: VoteBase::Expected,
            threshold: HALF
        }
    );
    h.ok(Event::Review(VoteEvent { for_: 22, ..v }));
}

#[test]
fn probationary_members_are_not_expected() {
    let mut h = H::new();
    let id = h.drive(Stage::Discussion);
    let v = h.review(&id, h.next_date(&id));
    let r = h.refuse(Event::Review(VoteEvent {
        expected: 45,
        present: 45,
        for_: 45,
        ..v
    }));
    assert_eq!(
        r,
        Refusal::ExpectedMismatch {
            meeting: Meeting::PartyMembers,
            recorded: 45,
            roster: 43
        }
    );
}

// ----- 决议: 村民代表会议, composition 30 -----

#[test]
fn representatives_quorum_exactly_two_thirds_passes() {
    let mut h = H::new();
    let id = h.drive(Stage::Consultation);
    let v = h.resolution(&id, h.next_date(&id));
    assert_eq!(v.expected, 30);
    let r = h.refuse(Event::Resolution(VoteEvent {
        present: 19,
        for_: 19,
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::Quorum {
            meeting: Meeting::Representatives,
            present: 19,
            expected: 30,
            threshold: TWO_THIRDS
        }
    );
    h.ok(Event::Resolution(VoteEvent {
        present: 20,
        for_: 20,
        ..v
    }));
    assert_eq!(h.stage(&id), Stage::Resolution);
}

#[test]
fn resolution_for_exactly_half_of_present_fails() {
    let mut h = H::new();
    let id = h.drive(Stage::Consultation);
    let v = VoteEvent {
        present: 20,
        against: 9,
        abstain: 0,
        ..h.resolution(&id, h.next_date(&id))
    };
    let r = h.refuse(Event::Resolution(VoteEvent {
        for_: 10,
        against: 10,
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::VoteFailed {
            meeting: Meeting::Representatives,
            for_: 10,
            base: 20,
            base_is: VoteBase::Present,
            threshold: HALF
        }
    );
    h.ok(Event::Resolution(VoteEvent { for_: 11, ..v }));
}

#[test]
fn representatives_composition_counts_each_person_once_and_only_the_living() {
    // Making a 村委 member (0006) also a representative changes nothing.
    let mut h = H::new();
    h.ok(
        h.roster_update("2026-02-01", None, "0006", "村民0006", |p| {
            p.representative = true
        }),
    );
    assert_eq!(h.expected(Meeting::Representatives, d("2026-02-01")), 30);
    // A representative who dies leaves the composition (29; exactly ⅔ is no longer possible).
    h.ok(
        h.roster_update("2026-02-02", Some("去世"), "0032", "村民0032", |p| {
            p.status = Status::Deceased
        }),
    );
    assert_eq!(h.expected(Meeting::Representatives, d("2026-02-02")), 29);
    let id = h.drive(Stage::Consultation);
    let v = h.resolution(&id, h.next_date(&id));
    // 19·3 = 57 < 58: fails; 20·3 = 60 ≥ 58 passes.
    let r = h.refuse(Event::Resolution(VoteEvent {
        present: 19,
        for_: 19,
        ..v.clone()
    }));
    assert!(
        matches!(
            r,
            Refusal::Quorum {
                present: 19,
                expected: 29,
                ..
            }
        ),
        "{r:?}"
    );
    h.ok(Event::Resolution(VoteEvent {
        present: 20,
        for_: 20,
        ..v
    }));
}

// ----- 决议: 村民会议, adults 52 (from 2026-05-10), households 50 -----

fn at_consultation() -> (H, String) {
    let mut h = H::new();
    let id = h.drive(Stage::Consultation);
    (h, id)
}

#[test]
fn villagers_adult_quorum_alone_suffices() {
    let (mut h, id) = at_consultation();
    let day = d(BIRTHDAY);
    // 26 of 52 adults is exactly half: fails (and 20 households is not ⅔ of 50).
    let r = h.refuse(Event::Resolution(h.villagers(&id, day, 26, 20, 20)));
    assert_eq!(
        r,
        Refusal::VillagersQuorum {
            adults_present: 26,
            adults: 52,
            households_present: 20,
            households: 50,
            adults_threshold: HALF,
            households_threshold: TWO_THIRDS,
        }
    );
    h.ok(Event::Resolution(h.villagers(&id, day, 27, 20, 20)));
}

#[test]
fn villagers_household_quorum_alone_suffices() {
    let mut h = H::new();
    let day = d(BIRTHDAY);
    // Each household is represented by an adult present, so in this village (52 adults, 50
    // households) the households' quorum is the easier one only under a stricter adults'
    // quorum: three quarters (in force before the meeting: recorded first).
    let now = h.now;
    h.now = noon(d("2026-02-01"));
    h.ok(Event::Policy(crate::rules::event::PolicyEvent {
        policy: Policy {
            villagers_quorum_adults: Threshold {
                num: 3,
                den: 4,
                strict: false,
            },
            ..Policy::default()
        },
        reason: Some("测试".into()),
    }));
    h.now = now;
    let id = h.drive(Stage::Consultation);
    // 33 adults is under ¾ of 52; 33 of 50 households is under ⅔ (99 < 100).
    let r = h.refuse(Event::Resolution(h.villagers(&id, day, 33, 33, 20)));
    assert!(
        matches!(
            r,
            Refusal::VillagersQuorum {
                households_present: 33,
                households: 50,
                ..
            }
        ),
        "{r:?}"
    );
    // 34 households: 102 ≥ 100 (34 adults is still under ¾ of 52).
    h.ok(Event::Resolution(h.villagers(&id, day, 34, 34, 20)));
}

#[test]
fn villagers_meeting_needs_households_present_only_short_of_the_adults_quorum() {
    let (mut h, id) = at_consultation();
    let day = d(BIRTHDAY);
    let v = h.villagers(&id, day, 30, 30, 20);
    // 26 of 52 adults is short of a quorum: the households represented must be given.
    let short = h.villagers(&id, day, 26, 30, 20);
    let r = h.refuse(Event::Resolution(VoteEvent {
        households_present: None,
        ..short
    }));
    assert_eq!(
        r,
        Refusal::HouseholdsPresentMissing {
            adults_present: 26,
            adults: 52,
            households: 50,
            adults_threshold: HALF,
            households_threshold: TWO_THIRDS,
        }
    );
    let r = h.refuse(Event::Resolution(VoteEvent {
        households_present: Some(51),
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::HouseholdsPresentOver {
            present: 51,
            households: 50
        }
    );
    let r = h.refuse(Event::Resolution(VoteEvent {
        households_expected: Some(52),
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::ExpectedMismatch {
            meeting: Meeting::Villagers,
            recorded: 52,
            roster: 50
        }
    );
    let r = h.refuse(Event::Resolution(VoteEvent {
        present: 53,
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::PresentOverExpected {
            meeting: Meeting::Villagers,
            present: 53,
            expected: 52
        }
    );
    // for exactly half of present fails there too
    let r = h.refuse(Event::Resolution(VoteEvent {
        for_: 15,
        ..v.clone()
    }));
    assert!(
        matches!(
            r,
            Refusal::VoteFailed {
                for_: 15,
                base: 30,
                base_is: VoteBase::Present,
                ..
            }
        ),
        "{r:?}"
    );
    // More households represented than adults present is refused as `resolve` records it
    // (cmd), not here: records made before that check may hold such a count, and replaying
    // them must still succeed.
    {
        let (mut old, id) = at_consultation();
        let v = old.villagers(&id, day, 30, 31, 20);
        old.ok(Event::Resolution(v));
    }
    // 30 of 52 adults make the quorum alone: no household count is needed, and the vote
    // is still judged.
    let r = h.refuse(Event::Resolution(VoteEvent {
        households_present: None,
        for_: 15,
        ..v.clone()
    }));
    assert!(matches!(r, Refusal::VoteFailed { for_: 15, .. }), "{r:?}");
    h.ok(Event::Resolution(VoteEvent {
        households_present: None,
        for_: 16,
        ..v
    }));
}

#[test]
fn an_adult_turning_18_on_the_meeting_date_counts_the_day_before_not() {
    let (mut h, id) = at_consultation();
    let before = d(BIRTHDAY) - Duration::days(1);
    let v = h.villagers(&id, before, 30, 30, 20);
    assert_eq!(v.expected, 51);
    let r = h.refuse(Event::Resolution(VoteEvent {
        expected: 52,
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::ExpectedMismatch {
            meeting: Meeting::Villagers,
            recorded: 52,
            roster: 51
        }
    );
    let on = h.villagers(&id, d(BIRTHDAY), 30, 30, 20);
    assert_eq!(on.expected, 52);
    let r = h.refuse(Event::Resolution(VoteEvent {
        expected: 51,
        ..on.clone()
    }));
    assert_eq!(
        r,
        Refusal::ExpectedMismatch {
            meeting: Meeting::Villagers,
            recorded: 51,
            roster: 52
        }
    );
    h.ok(Event::Resolution(on));
}

// ----- land and collective-asset matters: ⅔ of ALL members of the body -----

fn land_matter(category: Category) -> (H, String) {
    let mut h = H::new();
    let date = d("2026-03-02");
    let id = h.s.next_id(date);
    h.ok(Event::Motion(h.motion_by(
        date,
        &["0048:村民0048"],
        category,
    )));
    h.advance(&id, Stage::Consultation);
    (h, id)
}

#[test]
fn land_matter_needs_two_thirds_of_all_members() {
    for category in [
        Category::LandContract,
        Category::Homestead,
        Category::LandCompensation,
        Category::CollectiveAsset,
    ] {
        let (mut h, id) = land_matter(category);
        // 25 of 30 present (a quorum); 19 for is a majority of those present but under ⅔ of 30.
        let v = VoteEvent {
            present: 25,
            against: 3,
            abstain: 0,
            ..h.resolution(&id, h.next_date(&id))
        };
        let r = h.refuse(Event::Resolution(VoteEvent {
            for_: 19,
            ..v.clone()
        }));
        assert_eq!(
            r,
            Refusal::VoteFailed {
                meeting: Meeting::Representatives,
                for_: 19,
                base: 30,
                base_is: VoteBase::AllMembers,
                threshold: TWO_THIRDS
            },
            "{category:?}"
        );
        // Exactly ⅔ of all (20 of 30) passes.
        h.ok(Event::Resolution(VoteEvent { for_: 20, ..v }));
        assert_eq!(h.stage(&id), Stage::Resolution);
    }
}

#[test]
fn other_categories_need_only_a_majority_of_present() {
    for category in Category::ALL {
        if Policy::default().land_categories.contains(&category) {
            continue;
        }
        let (mut h, id) = land_matter(category);
        let v = VoteEvent {
            present: 25,
            for_: 13,
            against: 12,
            ..h.resolution(&id, h.next_date(&id))
        };
        h.ok(Event::Resolution(v));
    }
}

#[test]
fn land_matter_that_fails_two_thirds_can_be_declined() {
    // A land vote with a simple majority of those present but under ⅔ of all did not pass:
    // recording it as declined must be possible (otherwise the matter is stuck).
    let (mut h, id) = land_matter(Category::LandContract);
    let v = VoteEvent {
        present: 25,
        for_: 19,
        against: 3,
        decision: Decision::Decline,
        reason: Some("表决未过半数".into()),
        ..h.resolution(&id, h.next_date(&id))
    };
    // like any decline, it says why (it used to be recorded without a reason)
    for reason in [None, Some(" ".to_string())] {
        let r = h.refuse(Event::Resolution(VoteEvent {
            reason,
            ..v.clone()
        }));
        assert_eq!(r, Refusal::DeclineNeedsReason);
    }
    h.ok(Event::Resolution(v.clone()));
    assert_eq!(h.stage(&id), Stage::Declined);
    // and a land vote that did reach ⅔ of all cannot be recorded as declined
    let (mut h, _) = land_matter(Category::LandContract);
    let r = h.refuse(Event::Resolution(VoteEvent { for_: 20, ..v }));
    assert!(
        matches!(r, Refusal::DeclineContradictsVote { for_: 20, .. }),
        "{r:?}"
    );
}

#[test]
fn land_matter_at_a_villagers_meeting_counts_all_adults() {
    let (mut h, id) = land_matter(Category::Homestead);
    let day = d(BIRTHDAY);
    // 52 adults: ⅔ is 34.67, so 35 for are needed even with 40 present.
    let r = h.refuse(Event::Resolution(h.villagers(&id, day, 40, 40, 34)));
    assert!(
        matches!(
            r,
            Refusal::VoteFailed {
                for_: 34,
                base: 52,
                base_is: VoteBase::AllMembers,
                ..
            }
        ),
        "{r:?}"
    );
    h.ok(Event::Resolution(h.villagers(&id, day, 40, 40, 35)));
}

// ----- counts inconsistent -----

#[test]
fn votes_over_present_are_refused() {
    let mut h = H::new();
    let id = h.drive(Stage::Discussion);
    let v = VoteEvent {
        present: 30,
        for_: 22,
        against: 7,
        abstain: 2,
        ..h.review(&id, h.next_date(&id))
    };
    let r = h.refuse(Event::Review(v.clone()));
    assert_eq!(
        r,
        Refusal::VotesOverPresent {
            for_: 22,
            against: 7,
            abstain: 2,
            present: 30
        }
    );
    h.ok(Event::Review(VoteEvent { abstain: 1, ..v }));
    h.advance(&id, Stage::Consultation);
    let v = VoteEvent {
        present: 25,
        for_: 20,
        against: 6,
        ..h.resolution(&id, h.next_date(&id))
    };
    let r = h.refuse(Event::Resolution(v.clone()));
    assert_eq!(
        r,
        Refusal::VotesOverPresent {
            for_: 20,
            against: 6,
            abstain: 0,
            present: 25
        }
    );
    h.ok(Event::Resolution(VoteEvent { against: 5, ..v }));
}

#[test]
fn present_over_expected_is_refused_at_every_meeting() {
    let mut h = H::new();
    let id = h.drive(Stage::Motion);
    let p = h.proposal(&id, h.next_date(&id));
    let r = h.refuse(Event::Proposal(MeetingEvent {
        present: 6,
        ..p.clone()
    }));
    assert_eq!(
        r,
        Refusal::PresentOverExpected {
            meeting: Meeting::BranchCommittee,
            present: 6,
            expected: 5
        }
    );
    h.ok(Event::Proposal(p));
    let m = h.discussion(&id, h.next_date(&id));
    let r = h.refuse(Event::Discussion(MeetingEvent {
        present: 8,
        ..m.clone()
    }));
    assert_eq!(
        r,
        Refusal::PresentOverExpected {
            meeting: Meeting::TwoCommittees,
            present: 8,
            expected: 7
        }
    );
    h.ok(Event::Discussion(m));
    let v = h.review(&id, h.next_date(&id));
    let r = h.refuse(Event::Review(VoteEvent {
        present: 44,
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::PresentOverExpected {
            meeting: Meeting::PartyMembers,
            present: 44,
            expected: 43
        }
    );
    h.ok(Event::Review(v));
    h.advance(&id, Stage::Consultation);
    let v = h.resolution(&id, h.next_date(&id));
    let r = h.refuse(Event::Resolution(VoteEvent {
        present: 31,
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::PresentOverExpected {
            meeting: Meeting::Representatives,
            present: 31,
            expected: 30
        }
    );
}

#[test]
fn recorded_expected_must_equal_the_roster() {
    let mut h = H::new();
    let id = h.drive(Stage::Motion);
    let p = h.proposal(&id, h.next_date(&id));
    let r = h.refuse(Event::Proposal(MeetingEvent {
        expected: 4,
        present: 3,
        ..p.clone()
    }));
    assert_eq!(
        r,
        Refusal::ExpectedMismatch {
            meeting: Meeting::BranchCommittee,
            recorded: 4,
            roster: 5
        }
    );
    h.advance(&id, Stage::Consultation);
    let v = h.resolution(&id, h.next_date(&id));
    let r = h.refuse(Event::Resolution(VoteEvent {
        expected: 28,
        present: 28,
        for_: 28,
        ..v
    }));
    assert_eq!(
        r,
        Refusal::ExpectedMismatch {
            meeting: Meeting::Representatives,
            recorded: 28,
            roster: 30
        }
    );
}

#[test]
fn a_meeting_of_a_body_with_no_members_is_refused() {
    // A village with no committees, no party members and no representatives.
    let mut h = H::with((1..=3).map(|i| head(&hh(i))).collect());
    let date = d("2026-03-02");
    h.ok(Event::Motion(h.motion_by(
        date,
        &["0001:村民0001"],
        Category::Other,
    )));
    let id = "2026-001";
    let p = MeetingEvent {
        expected: 0,
        present: 0,
        ..h.proposal(id, date)
    };
    let r = h.refuse(Event::Proposal(p));
    assert_eq!(
        r,
        Refusal::NoMembers {
            meeting: Meeting::BranchCommittee,
            date
        }
    );
}

#[test]
fn a_meeting_before_any_roster_is_refused() {
    let mut h = H::bare();
    let date = d(ROSTER_DATE);
    let m = MotionEvent {
        id: "2026-001".into(),
        ..H::new().motion_by(date, &["0048:村民0048"], Category::Other)
    };
    assert_eq!(
        h.refuse(Event::Motion(m)),
        Refusal::NoRoster { date, first: None }
    );
}

#[test]
fn meetings_use_the_roster_as_of_their_date() {
    // 支委 grows to 6 on 2026-03-04; a proposal dated 03-03 still expects 5, one dated
    // 03-04 expects 6.
    let mut h = H::new();
    h.ok(
        h.roster_update("2026-03-04", None, "0033", "村民0033", |p| {
            p.committee = Committee::Branch
        }),
    );
    let id = h.drive(Stage::Motion);
    let early = h.proposal(&id, d("2026-03-03"));
    assert_eq!(early.expected, 5);
    let late = h.proposal(&id, d("2026-03-04"));
    assert_eq!(late.expected, 6);
    assert!(h.check(&Event::Proposal(early)).is_ok());
    let r = h.refuse(Event::Proposal(MeetingEvent {
        expected: 5,
        present: 5,
        ..late
    }));
    assert_eq!(
        r,
        Refusal::ExpectedMismatch {
            meeting: Meeting::BranchCommittee,
            recorded: 5,
            roster: 6
        }
    );
}

use super::super::policy::Policy;

#[test]
fn a_resolution_body_with_no_members_is_refused() {
    // Everyone on the 村民代表会议 leaves (reason given, so the consultation may go on).
    let (mut h, id) = at_consultation();
    let date = h.next_date(&id);
    let roster = h.s.roster.latest().unwrap().clone();
    let changes = roster
        .people()
        .filter(|p| p.representative || p.committee.on_village())
        .map(|p| RosterChange::Update {
            person: Person {
                representative: false,
                committee: Committee::None,
                ..p.clone()
            },
        })
        .collect();
    h.ok(Event::Roster(RosterEvent {
        date,
        reason: Some("换届".into()),
        changes,
        returns: Default::default(),
    }));
    assert_eq!(h.expected(Meeting::Representatives, date), 0);
    let v = VoteEvent {
        expected: 0,
        present: 0,
        for_: 0,
        ..h.resolution(&id, date)
    };
    assert_eq!(
        h.refuse(Event::Resolution(v)),
        Refusal::NoMembers {
            meeting: Meeting::Representatives,
            date
        }
    );
    // a 村民会议 can still decide
    h.ok(Event::Resolution(h.villagers(&id, date, 30, 30, 16)));
}
