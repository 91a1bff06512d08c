//! The other paths: decline, revise (every round kept), withdraw, publication, objections,
//! implementation, motion IDs and proposers, policy entries, genesis and key rotation.

use super::super::policy::{Policy, Threshold};
use super::super::refusal::VoteBase;
use super::*;
use crate::rules::policy::LawFloor;

// ----- decline -----

#[test]
fn decline_at_proposal_needs_a_reason_and_closes_the_matter() {
    let mut h = H::new();
    let id = h.drive(Stage::Motion);
    let p = MeetingEvent {
        decision: Decision::Decline,
        reason: Some("表决未过半数".into()),
        ..h.proposal(&id, h.next_date(&id))
    };
    for reason in [None, Some(" ".to_string())] {
        assert_eq!(
            h.refuse(Event::Proposal(MeetingEvent {
                reason,
                ..p.clone()
            })),
            Refusal::DeclineNeedsReason
        );
    }
    h.ok(Event::Proposal(MeetingEvent {
        reason: Some("不属于村级事务".into()),
        ..p
    }));
    assert_eq!(h.stage(&id), Stage::Declined);
    assert!(h.stage(&id).is_closed());
}

#[test]
fn decline_at_discussion_needs_a_reason_and_closes_the_matter() {
    let mut h = H::new();
    let id = h.drive(Stage::Proposal);
    let m = MeetingEvent {
        decision: Decision::Decline,
        ..h.discussion(&id, h.next_date(&id))
    };
    assert_eq!(
        h.refuse(Event::Discussion(m.clone())),
        Refusal::DeclineNeedsReason
    );
    h.ok(Event::Discussion(MeetingEvent {
        reason: Some("资金无着落".into()),
        ..m
    }));
    assert_eq!(h.stage(&id), Stage::Declined);
}

#[test]
fn a_decline_still_needs_a_quorum() {
    let mut h = H::new();
    let id = h.drive(Stage::Motion);
    let p = MeetingEvent {
        decision: Decision::Decline,
        reason: Some("否决".into()),
        present: 2,
        ..h.proposal(&id, h.next_date(&id))
    };
    assert!(matches!(
        h.refuse(Event::Proposal(p)),
        Refusal::Quorum { .. }
    ));
}

#[test]
fn review_decline_only_when_the_vote_failed() {
    let mut h = H::new();
    let id = h.drive(Stage::Discussion);
    let v = VoteEvent {
        present: 40,
        against: 18,
        decision: Decision::Decline,
        reason: Some("表决未过半数".into()),
        ..h.review(&id, h.next_date(&id))
    };
    let r = h.refuse(Event::Review(VoteEvent {
        for_: 22,
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::DeclineContradictsVote {
            meeting: Meeting::PartyMembers,
            for_: 22,
            base: 43,
            base_is: VoteBase::Expected
        }
    );
    h.ok(Event::Review(VoteEvent { for_: 21, ..v }));
    assert_eq!(h.stage(&id), Stage::Declined);
}

#[test]
fn resolution_decline_only_when_the_vote_failed() {
    let mut h = H::new();
    let id = h.drive(Stage::Consultation);
    let v = VoteEvent {
        present: 30,
        against: 15,
        decision: Decision::Decline,
        reason: Some("表决未过半数".into()),
        ..h.resolution(&id, h.next_date(&id))
    };
    let r = h.refuse(Event::Resolution(VoteEvent {
        for_: 16,
        against: 14,
        ..v.clone()
    }));
    assert_eq!(
        r,
        Refusal::DeclineContradictsVote {
            meeting: Meeting::Representatives,
            for_: 16,
            base: 30,
            base_is: VoteBase::Present
        }
    );
    h.ok(Event::Resolution(VoteEvent { for_: 15, ..v }));
    assert_eq!(h.stage(&id), Stage::Declined);
    // a declined resolution is not published
    let r = h.refuse(Event::Publish(h.publish(
        &id,
        NoticeKind::Resolution,
        h.next_date(&id),
    )));
    assert!(
        matches!(
            r,
            Refusal::WrongStage {
                stage: Stage::Declined,
                ..
            }
        ),
        "{r:?}"
    );
}

// ----- revise: back to 商议, every round kept -----

#[test]
fn revise_from_consultation_runs_a_second_round_and_keeps_the_first() {
    let mut h = H::new();
    let id = h.drive(Stage::Review);
    let d1 = h.next_date(&id);
    h.ok(Event::ConsultOpen(h.open(&id, d1)));
    for i in 1..=49 {
        h.ok(Event::Consent(h.consent(&id, &hh(i), d1)));
    }
    h.ok(Event::Consent(h.objecting(&id, "0050", d1)));
    assert!(matches!(
        h.refuse(Event::Resolution(h.resolution(&id, d1))),
        Refusal::ConsultationIncomplete { .. }
    ));

    let r = h.refuse(Event::Revise(h.reason(&id, d1, " ")));
    assert_eq!(r, Refusal::EmptyField { field: "reason" });
    h.ok(Event::Revise(h.reason(
        &id,
        d1 + Duration::days(1),
        "调整线路，避开0050户菜地",
    )));
    assert_eq!(
        h.stage(&id),
        Stage::Proposal,
        "back to 商议 (the next step is discuss)"
    );
    // the old round is closed: nothing can be recorded in it
    let r = h.refuse(Event::Consent(h.consent(
        &id,
        "0050",
        d1 + Duration::days(1),
    )));
    assert!(matches!(
        r,
        Refusal::WrongStage {
            stage: Stage::Proposal,
            action: Action::ConsultRecord,
            ..
        }
    ));

    let d2 = h.next_date(&id);
    let plan2 = MeetingEvent {
        plan: Some("线路北移 20 米".into()),
        budget: Some(33_000_000),
        ..h.discussion(&id, d2)
    };
    h.ok(Event::Discussion(plan2));
    assert_eq!(h.matter(&id).plan_version, 2);
    assert_eq!(h.matter(&id).plan.as_deref(), Some("线路北移 20 米"));
    assert_eq!(h.matter(&id).budget, Some(33_000_000));
    h.ok(Event::Review(h.review(&id, h.next_date(&id))));

    let d3 = h.next_date(&id);
    let o = h.open(&id, d3);
    assert_eq!(o.round, 2);
    let r = h.refuse(Event::ConsultOpen(ConsultOpenEvent {
        round: 1,
        ..o.clone()
    }));
    assert_eq!(
        r,
        Refusal::RoundMismatch {
            id: id.clone(),
            round: 1,
            expected: 2
        }
    );
    h.ok(Event::ConsultOpen(o));
    let r = h.refuse(Event::Consent(ConsentEvent {
        round: 1,
        ..h.consent(&id, "0050", d3)
    }));
    assert_eq!(
        r,
        Refusal::RoundMismatch {
            id: id.clone(),
            round: 1,
            expected: 2
        }
    );
    // round 1's consents do not carry over
    let t = h.matter(&id).current_round().unwrap().tally();
    assert_eq!((t.in_scope, t.consented, t.missing.len()), (50, 0, 50));
    h.consent_all(&id);
    h.ok(Event::Resolution(h.resolution(&id, d3)));

    let m = h.matter(&id);
    assert_eq!(m.rounds.len(), 2);
    assert_eq!(m.rounds[0].round, 1);
    assert_eq!(m.rounds[0].tally().objected, vec!["0050".to_string()]);
    assert_eq!(m.rounds[0].records.len(), 50);
    assert_eq!(m.rounds[1].tally().consented, 50);
    let stages: Vec<Stage> = m.steps.iter().map(|s| s.stage).collect();
    use Stage::*;
    assert_eq!(
        stages,
        [
            Motion,
            Proposal,
            Discussion,
            Review,
            Consultation,
            Proposal,
            Discussion,
            Review,
            Consultation,
            Resolution
        ]
    );
    assert!(matches!(m.steps[5].event, Event::Revise(_)));
}

#[test]
fn revise_from_discussion_and_review_also_goes_back() {
    for from in [Stage::Discussion, Stage::Review] {
        let mut h = H::new();
        let id = h.drive(from);
        h.ok(Event::Revise(h.reason(&id, h.next_date(&id), "修改方案")));
        assert_eq!(h.stage(&id), Stage::Proposal);
        h.advance(&id, Stage::Consultation);
        assert_eq!(h.matter(&id).plan_version, 2);
        assert_eq!(h.matter(&id).rounds.len(), 1);
    }
}

// ----- withdraw -----

#[test]
fn withdraw_needs_a_reason_and_is_allowed_until_the_result_is_published() {
    for stage in Stage::ALL {
        let mut h = H::new();
        let id = h.drive(stage);
        let w = h.reason(&id, h.next_date(&id), "群众意见变化");
        if stage.is_closed() {
            let r = h.refuse(Event::Withdraw(w));
            assert_eq!(
                r,
                Refusal::WrongStage {
                    id: id.clone(),
                    stage,
                    action: Action::Withdraw
                }
            );
        } else {
            let r = h.refuse(Event::Withdraw(ReasonEvent {
                reason: "".into(),
                ..w.clone()
            }));
            assert_eq!(r, Refusal::EmptyField { field: "reason" }, "{stage:?}");
            h.ok(Event::Withdraw(w));
            assert_eq!(h.stage(&id), Stage::Withdrawn);
        }
    }
}

// ----- publication -----

#[test]
fn posting_shorter_than_the_minimum_is_refused() {
    let mut h = H::new();
    let id = h.drive(Stage::Resolution);
    let p = h.publish(&id, NoticeKind::Resolution, h.next_date(&id));
    let r = h.refuse(Event::Publish(PublishEvent {
        days: 14,
        ..p.clone()
    }));
    assert_eq!(r, Refusal::PostingTooShort { days: 14, min: 15 });
    // A mistyped period is refused too (u32::MAX days used to crash the printing).
    for days in [367, u32::MAX] {
        let r = h.refuse(Event::Publish(PublishEvent { days, ..p.clone() }));
        assert_eq!(r, Refusal::PostingTooLong { days, max: 366 });
    }
    let r = h.refuse(Event::Publish(PublishEvent {
        place: " ".into(),
        ..p.clone()
    }));
    assert_eq!(r, Refusal::EmptyField { field: "place" });
    h.ok(Event::Publish(p.clone()));
    let r = h.refuse(Event::Publish(p));
    assert_eq!(
        r,
        Refusal::AlreadyPublished {
            id: id.clone(),
            kind: NoticeKind::Resolution
        }
    );

    h.advance(&id, Stage::Completed);
    let p = h.publish(&id, NoticeKind::Result, h.next_date(&id));
    let r = h.refuse(Event::Publish(PublishEvent {
        days: 10,
        ..p.clone()
    }));
    assert_eq!(r, Refusal::PostingTooShort { days: 10, min: 15 });
    h.ok(Event::Publish(p.clone()));
    let r = h.refuse(Event::Publish(p));
    assert_eq!(
        r,
        Refusal::AlreadyPublished {
            id: id.clone(),
            kind: NoticeKind::Result
        }
    );
}

#[test]
fn implementation_only_after_the_resolution_is_published() {
    let mut h = H::new();
    let id = h.drive(Stage::Resolution);
    for action in [Action::Implement, Action::Complete] {
        let r = h.refuse(h.action_event(&id, action));
        assert_eq!(
            r,
            Refusal::WrongStage {
                id: id.clone(),
                stage: Stage::Resolution,
                action
            }
        );
    }
    h.advance(&id, Stage::ResolutionPublished);
    let i = h.implement(&id, h.next_date(&id));
    let r = h.refuse(Event::Implement(ImplementEvent {
        spent: Some(-1),
        ..i.clone()
    }));
    assert_eq!(r, Refusal::NegativeAmount { field: "spent" });
    let r = h.refuse(Event::Implement(ImplementEvent {
        note: "".into(),
        ..i.clone()
    }));
    assert_eq!(r, Refusal::EmptyField { field: "note" });
    h.ok(Event::Implement(i.clone()));
    h.ok(Event::Implement(ImplementEvent {
        spent: Some(5_000_000),
        ..i
    }));
    assert_eq!(h.matter(&id).spent, 15_000_000, "progress payments add up");
    let c = h.complete(&id, h.next_date(&id));
    let r = h.refuse(Event::Complete(CompleteEvent {
        accepted_by: vec![" ".into()],
        ..c.clone()
    }));
    assert_eq!(
        r,
        Refusal::EmptyField {
            field: "accepted_by"
        }
    );
    let r = h.refuse(Event::Complete(CompleteEvent {
        spent: -5,
        ..c.clone()
    }));
    assert_eq!(r, Refusal::NegativeAmount { field: "spent" });
    h.ok(Event::Complete(c));
    assert_eq!(
        h.matter(&id).spent,
        32_000_000,
        "the final cost replaces the running total"
    );
    // the result is published only after completion
    let r = h.refuse(h.action_event(&id, Action::Implement));
    assert_eq!(
        r,
        Refusal::WrongStage {
            id: id.clone(),
            stage: Stage::Completed,
            action: Action::Implement
        }
    );
}

/// A completion recorded again corrects the last one (SPEC §2: it says what it corrects
/// and why): it names that entry, gives a reason, and is dated by the matter's other dates
/// (the date it replaces may be the mistake), never before the work; nothing corrects a
/// completion not yet recorded. The matter's latest date is then the correction's.
#[test]
fn a_completion_is_corrected_by_naming_it_and_saying_why() {
    let mut h = H::new();
    let id = h.drive(Stage::ResolutionPublished);
    let c = h.complete(&id, h.next_date(&id));
    let r = h.refuse(Event::Complete(CompleteEvent {
        corrects: Some(3),
        correction: Some("x".into()),
        ..c.clone()
    }));
    assert_eq!(
        r,
        Refusal::CorrectionTarget {
            id: id.clone(),
            expected: None,
            given: Some(3)
        }
    );
    let late = c.date + chrono::Days::new(9);
    h.ok(Event::Complete(CompleteEvent {
        date: late,
        ..c.clone()
    }));
    let first = h.matter(&id).steps.last().unwrap().idx;
    let fix = h.correction(&id, c.date);
    assert_eq!(fix.corrects, Some(first));
    // Another entry named, none named, or no reason: refused.
    for (corrects, correction, refusal) in [
        (
            Some(first - 1),
            fix.correction.clone(),
            Refusal::CorrectionTarget {
                id: id.clone(),
                expected: Some(first),
                given: Some(first - 1),
            },
        ),
        (
            None,
            fix.correction.clone(),
            Refusal::CorrectionTarget {
                id: id.clone(),
                expected: Some(first),
                given: None,
            },
        ),
        (
            Some(first),
            Some(" ".into()),
            Refusal::EmptyField {
                field: "correction",
            },
        ),
    ] {
        let e = Event::Complete(CompleteEvent {
            corrects,
            correction,
            ..fix.clone()
        });
        assert_eq!(h.refuse(e), refusal);
    }
    // Not before the work it completes (the resolution's publication here).
    let published = h.matter(&id).latest_dated_with(false).0;
    let r = h.refuse(Event::Complete(CompleteEvent {
        date: published - chrono::Days::new(1),
        ..fix.clone()
    }));
    assert!(matches!(r, Refusal::DateBackwards { .. }), "{r:?}");
    // An objection recorded since does not date it: it stands in the completion's place.
    let objected = late + chrono::Days::new(1);
    h.ok(Event::Objection(h.objection(&id, objected)));
    // Dated before the completion it corrects: the matter's dates are the correction's and
    // the objection's, no longer the corrected completion's.
    h.ok(Event::Complete(fix.clone()));
    assert_eq!(h.matter(&id).last_date, objected);
    assert_eq!(h.matter(&id).latest_dated().0, objected);
    assert_eq!(h.matter(&id).latest_dated_with(false).0, published);
    assert_eq!(h.matter(&id).stage, Stage::Completed);
}

#[test]
fn result_publication_waits_for_every_objection_to_be_answered() {
    let mut h = H::new();
    let id = h.drive(Stage::ResolutionPublished);
    let date = h.next_date(&id);
    let o = h.objection(&id, date);
    assert_eq!(o.n, 1);
    let r = h.refuse(Event::Objection(ObjectionEvent { n: 2, ..o.clone() }));
    assert_eq!(
        r,
        Refusal::ObjectionNumber {
            id: id.clone(),
            n: 2,
            expected: 1
        }
    );
    let r = h.refuse(Event::Objection(ObjectionEvent {
        text: "".into(),
        ..o.clone()
    }));
    assert_eq!(r, Refusal::EmptyField { field: "text" });
    let r = h.refuse(Event::Objection(ObjectionEvent {
        from: "".into(),
        ..o.clone()
    }));
    assert_eq!(r, Refusal::EmptyField { field: "from" });
    h.ok(Event::Objection(o.clone()));
    let r = h.refuse(Event::Objection(o));
    assert_eq!(
        r,
        Refusal::ObjectionNumber {
            id: id.clone(),
            n: 1,
            expected: 2
        }
    );
    h.advance(&id, Stage::Implementation);
    h.ok(Event::Objection(h.objection(&id, h.next_date(&id))));
    h.ok(Event::Reply(h.reply(&id, 1, h.next_date(&id))));
    let r = h.refuse(Event::Reply(h.reply(&id, 1, h.next_date(&id))));
    assert_eq!(
        r,
        Refusal::AlreadyReplied {
            id: id.clone(),
            n: 1
        }
    );
    let r = h.refuse(Event::Reply(h.reply(&id, 3, h.next_date(&id))));
    assert_eq!(
        r,
        Refusal::UnknownObjection {
            id: id.clone(),
            n: 3
        }
    );
    let r = h.refuse(Event::Reply(ReplyEvent {
        text: " ".into(),
        ..h.reply(&id, 2, h.next_date(&id))
    }));
    assert_eq!(r, Refusal::EmptyField { field: "text" });
    h.advance(&id, Stage::Completed);
    let p = h.publish(&id, NoticeKind::Result, h.next_date(&id));
    let r = h.refuse(Event::Publish(p.clone()));
    assert_eq!(
        r,
        Refusal::UnrepliedObjections {
            id: id.clone(),
            numbers: vec![2]
        }
    );
    h.ok(Event::Reply(h.reply(&id, 2, h.next_date(&id))));
    h.ok(Event::Publish(PublishEvent {
        date: h.next_date(&id),
        ..p
    }));
    // objections after the result notice are still heard and answered
    h.ok(Event::Objection(h.objection(&id, h.next_date(&id))));
    h.ok(Event::Reply(h.reply(&id, 3, h.next_date(&id))));
    let m = h.matter(&id);
    assert_eq!(
        m.objections.iter().map(|o| o.n).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert!(m.objections.iter().all(|o| o.reply.is_some()));
    assert_eq!(m.stage, Stage::ResultPublished);
}

// ----- motions -----

#[test]
fn motion_ids_are_sequential_within_the_year() {
    let mut h = H::new();
    let date = d("2026-03-02");
    let m = h.motion_by(date, &["0048:村民0048"], Category::Other);
    assert_eq!(m.id, "2026-001");
    for wrong in ["2026-000", "2026-002", "2025-001", "2026-1", "26-001"] {
        let r = h.refuse(Event::Motion(MotionEvent {
            id: wrong.into(),
            ..m.clone()
        }));
        assert_eq!(
            r,
            Refusal::WrongId {
                id: wrong.into(),
                expected: "2026-001".into()
            }
        );
    }
    h.ok(Event::Motion(m.clone()));
    let r = h.refuse(Event::Motion(m.clone()));
    assert_eq!(
        r,
        Refusal::WrongId {
            id: "2026-001".into(),
            expected: "2026-002".into()
        }
    );
    h.ok(Event::Motion(h.motion_by(
        date,
        &["0048:村民0048"],
        Category::Other,
    )));
    let m3 = h.motion_by(date, &["0048:村民0048"], Category::Other);
    assert_eq!(m3.id, "2026-003");
    let r = h.refuse(Event::Motion(MotionEvent {
        id: "2026-004".into(),
        ..m3
    }));
    assert_eq!(
        r,
        Refusal::WrongId {
            id: "2026-004".into(),
            expected: "2026-003".into()
        }
    );
    // a new year starts again at 001
    h.now = noon(d("2027-01-02"));
    let next_year = h.motion_by(d("2027-01-02"), &["0048:村民0048"], Category::Other);
    assert_eq!(next_year.id, "2027-001");
    h.ok(Event::Motion(next_year));
    assert_eq!(h.s.next_id(d("2026-12-31")), "2026-003");
}

#[test]
fn proposers_must_be_living_resident_adults_on_the_roster() {
    let mut h = H::new();
    let day_before = d(BIRTHDAY) - Duration::days(1);
    let motion = |h: &H, date, by: &str| {
        Event::Motion(h.motion_by(date, &["0048:村民0048", by], Category::Other))
    };
    let r = h.refuse(motion(&h, day_before, "0010:满十八"));
    assert_eq!(
        r,
        Refusal::ProposerMinor {
            name: "0010:满十八".into(),
            age: 17
        }
    );
    let r = h.refuse(motion(&h, day_before, "0011:小孩"));
    assert_eq!(
        r,
        Refusal::ProposerMinor {
            name: "0011:小孩".into(),
            age: 11
        }
    );
    for gone in [
        "0008:故党员",
        "0009:迁党员",
        "0098:村民0098",
        "0099:村民0099",
    ] {
        let r = h.refuse(motion(&h, day_before, gone));
        assert_eq!(r, Refusal::ProposerInactive { name: gone.into() });
    }
    for unknown in ["0001:无名氏", "村民0001", "0002:村民0001"] {
        let r = h.refuse(motion(&h, day_before, unknown));
        assert_eq!(
            r,
            Refusal::ProposerUnknown {
                name: unknown.into()
            }
        );
    }
    // away (外出) villagers may propose; the 18-year-old may on the birthday
    h.ok(motion(&h, day_before, "0012:外出妻"));
    h.ok(motion(&h, d(BIRTHDAY), "0010:满十八"));
}

#[test]
fn a_motion_needs_a_title_text_proposers_and_no_negative_amount() {
    let mut h = H::new();
    let m = h.motion_by(d("2026-03-02"), &["0048:村民0048"], Category::Other);
    let cases = [
        (
            MotionEvent {
                title: " ".into(),
                ..m.clone()
            },
            Refusal::EmptyField { field: "title" },
        ),
        (
            MotionEvent {
                text: "".into(),
                ..m.clone()
            },
            Refusal::EmptyField { field: "text" },
        ),
        (
            MotionEvent {
                by: vec![],
                ..m.clone()
            },
            Refusal::EmptyField { field: "by" },
        ),
        (
            MotionEvent {
                amount: Some(-1),
                ..m.clone()
            },
            Refusal::NegativeAmount { field: "amount" },
        ),
    ];
    for (e, want) in cases {
        assert_eq!(h.refuse(Event::Motion(e)), want);
    }
    h.ok(Event::Motion(MotionEvent { amount: None, ..m }));
}

#[test]
fn a_negative_budget_is_refused_at_discussion() {
    let mut h = H::new();
    let id = h.drive(Stage::Proposal);
    let m = h.discussion(&id, h.next_date(&id));
    let r = h.refuse(Event::Discussion(MeetingEvent {
        budget: Some(-100),
        ..m
    }));
    assert_eq!(r, Refusal::NegativeAmount { field: "budget" });
}

// ----- policy as data -----

#[test]
fn a_later_policy_entry_changes_the_rules_from_then_on() {
    let mut h = H::new();
    let stricter = Policy {
        min_posting_days: 20,
        ..Policy::default()
    };
    // Recorded before the matter's steps (dated from March on): in force on their dates.
    let now = h.now;
    h.now = noon(d("2026-02-01"));
    h.ok(Event::Policy(PolicyEvent {
        policy: stricter,
        reason: Some("镇党委要求".into()),
    }));
    h.now = now;
    let id = h.drive(Stage::Resolution);
    let p = h.publish(&id, NoticeKind::Resolution, h.next_date(&id));
    assert_eq!(
        h.refuse(Event::Publish(p.clone())),
        Refusal::PostingTooShort { days: 15, min: 20 }
    );
    h.ok(Event::Publish(PublishEvent { days: 20, ..p }));
}

/// A meeting is judged by the village's policy in force on its date, not on the day it is
/// typed in (rules of 2026-12-03; found by review, session 28): a meeting that broke the
/// rule of its day is not recorded by relaxing the rule first, and one that kept it is
/// not refused by a stricter rule adopted since.
#[test]
fn a_meeting_is_judged_by_the_policy_in_force_on_its_date() {
    let three_quarters = Threshold {
        num: 3,
        den: 4,
        strict: false,
    };
    let policy = |h: &mut H, review_quorum: Threshold| {
        h.ok(Event::Policy(PolicyEvent {
            policy: Policy {
                review_quorum,
                ..Policy::default()
            },
            reason: Some("村规民约".into()),
        }));
    };
    let law = Policy::default().review_quorum;
    // A review short of three quarters present (more than half).
    let short = |h: &H, id: &str| {
        let mut v = h.review(id, h.next_date(id));
        v.present = v.expected * 3 / 4 - 1;
        v.for_ = v.present;
        assert!(law.met(v.present, v.expected));
        v
    };
    // Three quarters in force before the meeting; the law's half again after it,
    // recorded before the meeting is typed in.
    let strict_then_relaxed = |h: &mut H, steps_at: DateTime<Utc>| -> String {
        h.now = noon(d("2026-02-01"));
        policy(h, three_quarters);
        h.now = steps_at;
        let id = h.drive(Stage::Discussion);
        policy(h, law);
        id
    };
    let mut h = H::new();
    let id = strict_then_relaxed(&mut h, noon(d("2026-12-31")));
    let review = short(&h, &id);
    assert_eq!(h.s.policy_on(review.date).review_quorum, three_quarters);
    assert_eq!(h.s.policy.review_quorum, law);
    let date = review.date;
    let r = h.refuse(Event::Review(review));
    // Said to be the rule of the meeting's day (`policy show` shows another).
    let Refusal::UnderPolicyOf { date: of, refusal } = r else {
        panic!("{r:?}")
    };
    assert_eq!(of, date);
    assert!(
        matches!(*refusal, Refusal::Quorum { threshold, .. } if threshold == three_quarters),
        "{refusal:?}"
    );
    // In force from the day after it is recorded: the day's policy is the one before.
    assert_eq!(h.s.policy_on(d("2026-02-01")).review_quorum, law);
    assert_eq!(h.s.policy_on(d("2026-02-02")).review_quorum, three_quarters);
    // The other way round: a stricter rule adopted after the meeting does not bind it.
    let mut h = H::new();
    let id = h.drive(Stage::Discussion);
    let review = short(&h, &id);
    policy(&mut h, three_quarters);
    h.ok(Event::Review(review));
    // Replay judges an entry recorded before 2026-12-03 as an earlier liuyi did: by the
    // policy in force when it was recorded. Recording now, whatever the clock says, also
    // holds it to its day's policy.
    let mut h = H::new();
    let id = strict_then_relaxed(&mut h, noon(d("2026-03-20")));
    let review = Event::Review(short(&h, &id));
    assert!(h.s.check(h.now, &review, accept_rotation).is_ok());
    assert!(
        h.s.check_recording(h.now, &review, accept_rotation)
            .is_err()
    );
}

#[test]
fn a_policy_with_a_threshold_over_one_or_no_posting_is_refused() {
    let mut h = H::new();
    let bad = [
        Policy {
            review_quorum: Threshold {
                num: 3,
                den: 2,
                strict: false,
            },
            ..Policy::default()
        },
        Policy {
            land_pass: Threshold {
                num: 0,
                den: 0,
                strict: false,
            },
            ..Policy::default()
        },
        Policy {
            min_posting_days: 0,
            ..Policy::default()
        },
        // a minimum no notice could meet (the longest period is a year)
        Policy {
            min_posting_days: 367,
            ..Policy::default()
        },
        // "fractions in (0, 1]": a zero threshold would abolish the rule (no consent at
        // all, a quorum of nobody), and "more than 100 %" can never be met.
        Policy {
            consultation_consent: Threshold {
                num: 0,
                den: 1,
                strict: false,
            },
            ..Policy::default()
        },
        Policy {
            proposal_quorum: Threshold {
                num: 0,
                den: 2,
                strict: true,
            },
            ..Policy::default()
        },
        Policy {
            resolution_pass: Threshold {
                num: 1,
                den: 1,
                strict: true,
            },
            ..Policy::default()
        },
    ];
    for policy in bad {
        let (field, value) = policy.invalid().expect("invalid");
        assert_eq!(
            h.refuse(Event::Policy(PolicyEvent {
                policy,
                reason: None
            })),
            Refusal::InvalidPolicy { field, value }
        );
    }
    // The refusal names the rule and its value.
    let p = Policy {
        min_posting_days: 0,
        ..Policy::default()
    };
    assert_eq!(p.invalid(), Some(("min_posting_days", "0".to_string())));
    let p = Policy {
        resolution_pass: Threshold {
            num: 1,
            den: 1,
            strict: true,
        },
        ..Policy::default()
    };
    assert_eq!(
        p.invalid(),
        Some(("resolution_pass", "1/1 strict".to_string()))
    );
}

/// A village may be stricter than the law, never laxer: each statutory rule set below its
/// floor is refused, naming the rule; the 民议 consent share (the method's own) may be
/// relaxed, and exactly the law's floor is fine.
#[test]
fn a_policy_laxer_than_the_law_is_refused_and_names_the_rule() {
    let mut h = H::new();
    let third = Threshold {
        num: 1,
        den: 3,
        strict: false,
    };
    let half_inclusive = Threshold {
        num: 1,
        den: 2,
        strict: false,
    };
    let cases: Vec<(Policy, &str, LawFloor)> = vec![
        (
            Policy {
                representatives_quorum: third,
                ..Policy::default()
            },
            "representatives_quorum",
            LawFloor::Share(Threshold::TWO_THIRDS),
        ),
        (
            // "过半数" is strictly more than half: half itself is laxer.
            Policy {
                resolution_pass: half_inclusive,
                ..Policy::default()
            },
            "resolution_pass",
            LawFloor::Share(Threshold::MORE_THAN_HALF),
        ),
        (
            Policy {
                min_posting_days: 14,
                ..Policy::default()
            },
            "min_posting_days",
            LawFloor::Days(15),
        ),
        (
            Policy {
                land_categories: vec![],
                ..Policy::default()
            },
            "land_categories",
            LawFloor::Category(Category::LandContract),
        ),
    ];
    for (policy, rule, floor) in cases {
        assert_eq!(
            h.refuse(Event::Policy(PolicyEvent {
                policy,
                reason: None
            })),
            Refusal::PolicyBelowLaw { rule, floor }
        );
    }
    // Stricter than the law, and the 民议 share relaxed: both fine.
    h.ok(Event::Policy(PolicyEvent {
        policy: Policy {
            resolution_pass: Threshold::TWO_THIRDS,
            min_posting_days: 15,
            consultation_consent: Threshold {
                num: 9,
                den: 10,
                strict: false,
            },
            ..Policy::default()
        },
        reason: None,
    }));
}

#[test]
fn a_policy_can_relax_the_consent_rule() {
    // A village that records (say) a 90 % consent rule resolves with 45 of 50.
    let mut h = H::new();
    let ninety = Policy {
        consultation_consent: Threshold {
            num: 9,
            den: 10,
            strict: false,
        },
        ..Policy::default()
    };
    // In force before the round opens (from the day after it is recorded).
    let now = h.now;
    h.now = noon(d("2026-02-01"));
    h.ok(Event::Policy(PolicyEvent {
        policy: ninety,
        reason: Some("村规民约".into()),
    }));
    h.now = now;
    let id = h.drive(Stage::Review);
    let date = h.next_date(&id);
    h.ok(Event::ConsultOpen(h.open(&id, date)));
    for i in 1..=44 {
        h.ok(Event::Consent(h.consent(&id, &hh(i), date)));
    }
    let r = h.refuse(Event::Resolution(h.resolution(&id, date)));
    assert!(
        matches!(
            r,
            Refusal::ConsultationIncomplete {
                consented: 44,
                in_scope: 50,
                ..
            }
        ),
        "{r:?}"
    );
    h.ok(Event::Consent(h.consent(&id, &hh(45), date)));
    h.ok(Event::Resolution(h.resolution(&id, date)));
}

/// A 民议 is not opened on a day before the share (or unit) in force now took effect: it
/// would be asked under rules its day did not have (found by review, session 28: a share
/// lowered to nine in ten, then a round dated back before it, resolved with 29 households
/// objecting).
#[test]
fn a_round_is_not_opened_before_the_share_in_force_took_effect() {
    let mut h = H::new();
    let id = h.drive(Stage::Review);
    let date = h.next_date(&id);
    h.ok(Event::Policy(PolicyEvent {
        policy: Policy {
            consultation_consent: Threshold {
                num: 9,
                den: 10,
                strict: false,
            },
            ..Policy::default()
        },
        reason: Some("村规民约".into()),
    }));
    let since = super::super::engine::local_date(h.now).succ_opt().unwrap();
    let r = h.refuse(Event::ConsultOpen(h.open(&id, date)));
    assert_eq!(
        r,
        Refusal::OpenBeforeConsultationRule {
            id: id.clone(),
            date,
            since,
        }
    );
    // Nor on a day under the share in force now when another was in force since (found by
    // the third review: 9/10, then 100 %, then 9/10 again; a round dated in the first 9/10
    // window was taken, and the share could not have changed while it was open).
    let mut h = H::new();
    h.now = noon(d("2026-03-10"));
    let id = h.drive(Stage::Review);
    let share = |h: &mut H, day: &str, num: u32, den: u32| {
        h.now = noon(d(day));
        h.ok(Event::Policy(PolicyEvent {
            policy: Policy {
                consultation_consent: Threshold {
                    num,
                    den,
                    strict: false,
                },
                ..Policy::default()
            },
            reason: Some("村规民约".into()),
        }));
    };
    share(&mut h, "2026-03-11", 9, 10);
    share(&mut h, "2026-03-13", 1, 1);
    share(&mut h, "2026-03-15", 9, 10);
    // (Recorded now, whatever the clock says: these March days are before 2026-12-03.)
    h.now = noon(d("2026-03-16"));
    let open = |date: &str| Event::ConsultOpen(h.open(&id, d(date)));
    assert_eq!(
        h.s.check_recording(h.now, &open("2026-03-12"), accept_rotation),
        Err(Refusal::OpenBeforeConsultationRule {
            id: id.clone(),
            date: d("2026-03-12"),
            since: d("2026-03-16"),
        })
    );
    assert_eq!(
        h.s.check_recording(h.now, &open("2026-03-16"), accept_rotation),
        Ok(())
    );
    // A change of another rule does not bind the opening's day.
    let mut h = H::new();
    let id = h.drive(Stage::Review);
    let date = h.next_date(&id);
    h.ok(Event::Policy(PolicyEvent {
        policy: Policy {
            min_posting_days: 20,
            ..Policy::default()
        },
        reason: Some("村规民约".into()),
    }));
    h.ok(Event::ConsultOpen(h.open(&id, date)));
}

// ----- genesis and keys -----

#[test]
fn genesis_comes_first_and_only_once() {
    let mut s = State::default();
    let t = noon(d(ROSTER_DATE));
    let roster = Event::Roster(RosterEvent {
        date: d(ROSTER_DATE),
        reason: None,
        changes: vec![RosterChange::Add {
            person: head("0001"),
        }],
        returns: Default::default(),
    });
    assert_eq!(
        s.step(t, &roster, accept_rotation),
        Err(Refusal::GenesisMissing)
    );
    assert_eq!(s.size, 0);
    s.step(t, &genesis(), accept_rotation).unwrap();
    assert_eq!(
        s.step(t, &genesis(), accept_rotation),
        Err(Refusal::NotGenesis { idx: 1 })
    );
    s.step(t, &roster, accept_rotation).unwrap();
    assert_eq!(s.size, 2);
    assert_eq!(s.key.as_deref(), Some(key('a').as_str()));
}

fn rotation(old: char, new: char) -> KeyRotateEvent {
    KeyRotateEvent {
        date: d("2026-06-01"),
        old: key(old),
        new: key(new),
        reason: "书记换届".into(),
        authority: "old".into(),
        signatures: vec!["c2ln".into(), "c2ln".into()],
    }
}

#[test]
fn key_rotation_is_refused_when_its_signatures_do_not_verify() {
    let mut h = H::new();
    let r = h.refuse_with(Event::KeyRotate(rotation('a', 'b')), reject_rotation);
    assert_eq!(
        r,
        Refusal::KeyRotation {
            why: KeyRotationProblem::BadSignature
        }
    );
    assert_eq!(h.s.key.as_deref(), Some(key('a').as_str()));
}

#[test]
fn key_rotation_rules() {
    let mut h = H::new();
    let why = |why| Refusal::KeyRotation { why };
    assert_eq!(
        h.refuse(Event::KeyRotate(rotation('b', 'c'))),
        why(KeyRotationProblem::OldIsNotCurrent)
    );
    assert_eq!(
        h.refuse(Event::KeyRotate(rotation('a', 'a'))),
        why(KeyRotationProblem::SameKey)
    );
    let r = h.refuse(Event::KeyRotate(KeyRotateEvent {
        reason: "".into(),
        ..rotation('a', 'b')
    }));
    assert_eq!(r, Refusal::EmptyField { field: "reason" });
    h.ok(Event::KeyRotate(rotation('a', 'b')));
    assert_eq!(h.s.key.as_deref(), Some(key('b').as_str()));
    assert_eq!(
        h.refuse(Event::KeyRotate(rotation('a', 'c'))),
        why(KeyRotationProblem::OldIsNotCurrent)
    );
    assert_eq!(
        h.refuse(Event::KeyRotate(rotation('b', 'a'))),
        why(KeyRotationProblem::KeyReused)
    );
    h.ok(Event::KeyRotate(rotation('b', 'c')));
    assert_eq!(h.s.past_keys.len(), 3);
}

#[test]
fn a_vote_decline_needs_a_written_reason() {
    let mut h = H::new();
    let id = h.drive(Stage::Discussion);
    let v = VoteEvent {
        present: 40,
        for_: 10,
        against: 30,
        decision: Decision::Decline,
        reason: None,
        ..h.review(&id, h.next_date(&id))
    };
    assert_eq!(
        h.refuse(Event::Review(v.clone())),
        Refusal::DeclineNeedsReason
    );
    h.ok(Event::Review(VoteEvent {
        reason: Some("多数党员认为资金不足".into()),
        ..v
    }));
    assert_eq!(h.stage(&id), Stage::Declined);
}

/// A change of the objection contact: the state holds it for the notices to come; an empty
/// name or phone, or a date after the entry's own day, is refused (a hostile log included).
#[test]
fn a_supervision_change_is_kept_and_checked() {
    let mut h = H::new();
    let today = crate::rules::engine::local_date(h.now);
    let change = |supervisor: &str, phone: &str, date| {
        Event::Supervision(SupervisionEvent {
            date,
            supervisor: Some(supervisor.into()),
            phone: Some(phone.into()),
            reason: None,
        })
    };
    let r = h.refuse(change(" ", "0311-1234567", today));
    assert!(
        matches!(
            r,
            Refusal::EmptyField {
                field: "supervisor"
            }
        ),
        "{r:?}"
    );
    let r = h.refuse(change("赵德明", "", today));
    assert!(matches!(r, Refusal::EmptyField { field: "phone" }), "{r:?}");
    let r = h.refuse(change("赵德明", "0311-1234567", today.succ_opt().unwrap()));
    assert!(matches!(r, Refusal::DateInFuture { .. }), "{r:?}");
    assert_eq!(h.s.supervisor, None);
    h.ok(change("赵德明", "0311-1234567", today));
    let s = h.s.supervisor.as_ref().unwrap();
    assert_eq!(
        (s.supervisor.as_deref(), s.phone.as_deref()),
        (Some("赵德明"), Some("0311-1234567"))
    );
    // Changes do not go back before the one in force; a change must name something.
    let yesterday = today.pred_opt().unwrap();
    let r = h.refuse(change("李秀英", "0311-7654321", yesterday));
    assert!(
        matches!(r, Refusal::SupervisionDateBackwards { date, last } if date == yesterday && last == today),
        "{r:?}"
    );
    let r = h.refuse(Event::Supervision(SupervisionEvent {
        date: today,
        supervisor: None,
        phone: None,
        reason: Some("清空".into()),
    }));
    assert!(matches!(r, Refusal::SupervisionEmpty), "{r:?}");
}

/// The rules that came in on 2026-11-30 judge entries recorded from that day on: the day
/// begins at midnight China time.
#[test]
fn the_rules_of_2026_11_30_begin_at_midnight_china_time() {
    use crate::rules::engine::under_rules_of_2026_11_30;
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    assert!(!under_rules_of_2026_11_30(at("2026-11-29T23:59:59+08:00")));
    assert!(under_rules_of_2026_11_30(at("2026-11-30T00:00:00+08:00")));
}

/// A record kept before 2026-11-30 is judged by the rules it was kept under: a proxy
/// without relation or authorisation, a roster change dated before an open matter's step
/// and a policy laxer than the law replay as they were recorded.
#[test]
fn entries_recorded_before_2026_11_30_keep_the_rules_they_were_recorded_under() {
    let mut h = H::new();
    h.now = noon(d("2026-11-29"));
    let id = h.drive(Stage::Consultation);
    h.ok(Event::Consent(ConsentEvent {
        signer: "外村人".into(),
        method: Method::Proxy,
        relation: None,
        evidence: None,
        sheet_page: Some(1),
        ..h.consent(&id, "0001", h.next_date(&id) - Duration::days(1))
    }));
    h.ok(Event::Policy(PolicyEvent {
        policy: Policy {
            min_posting_days: 5,
            ..Policy::default()
        },
        reason: None,
    }));
    let (last, _) = h.matter(&id).latest_dated();
    h.ok(h.roster_update(
        &(last - Duration::days(3)).to_string(),
        Some("迁出"),
        "0048",
        "村民0048",
        |p| p.sex = Sex::Male,
    ));
    // From 2026-11-30 on, the same would be refused.
    h.now = noon(d("2026-11-30"));
    let r = h.refuse(Event::Policy(PolicyEvent {
        policy: Policy {
            min_posting_days: 6,
            ..Policy::default()
        },
        reason: None,
    }));
    assert!(matches!(r, Refusal::PolicyBelowLaw { .. }), "{r:?}");
}

/// What the record may hold as text and as files (`rules::text`) is judged on entries
/// recorded from 2026-12-02 on (China time): a replay refuses a signed entry with an empty
/// file, a control character, a signing key or a title beginning with 关于, which the
/// commands refused to record since 2026-12-01 (the township's `verify` passed them). An
/// entry recorded before keeps the rules it was recorded under; recording refuses them
/// whatever the clock says.
#[test]
fn what_the_record_may_hold_is_judged_from_2026_12_02() {
    use crate::rules::engine::under_rules_of_2026_12_02;
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    assert!(!under_rules_of_2026_12_02(at("2026-12-01T23:59:59+08:00")));
    assert!(under_rules_of_2026_12_02(at("2026-12-02T00:00:00+08:00")));
    let empty = AttachmentRef {
        sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855".into(),
        size: 0,
        name: "scan.jpg".into(),
    };
    let mut h = H::new();
    h.now = noon(d("2026-12-01"));
    let id = h.drive(Stage::Consultation);
    let date = h.next_date(&id) - Duration::days(1);
    let consent = |h: &H, household: &str, signer: &str| {
        Event::Consent(ConsentEvent {
            evidence: Some(empty.clone()),
            signer: signer.into(),
            ..h.consent(&id, household, date)
        })
    };
    // Kept as it was recorded the day before (an earlier liuyi's record replays).
    let gone = consent(&h, "0001", &head_name("0001"));
    assert!(
        h.s.check_recording(h.now, &gone, accept_rotation).is_err(),
        "recording refuses it whatever the clock says"
    );
    h.ok(gone);
    h.now = noon(d("2026-12-02"));
    let r = h.refuse(consent(&h, "0002", &head_name("0002")));
    assert_eq!(
        r,
        Refusal::EmptyFile {
            name: "scan.jpg".into()
        }
    );
    let mut m = h.motion_by(
        h.now.date_naive(),
        &["0048:村民0048"],
        Category::PublicWorks,
    );
    m.title = "关于硬化村东道路".into();
    let r = h.refuse(Event::Motion(m.clone()));
    assert!(matches!(r, Refusal::TitleStartsWithAbout { .. }), "{r:?}");
    m.title = "硬化村东\u{200B}道路".into();
    let r = h.refuse(Event::Motion(m.clone()));
    assert_eq!(
        r,
        Refusal::UnrecordableText {
            field: "title".into(),
            ch: '\u{200B}'
        }
    );
    m.title = "硬化村东道路".into();
    m.text = "PRIVATE+KEY+liuyi/130102001001+20655f06+AZhQ".into();
    let r = h.refuse(Event::Motion(m.clone()));
    assert_eq!(
        r,
        Refusal::KeyInText {
            field: "text".into()
        }
    );
}

/// The funding a discussion adopts (`rules::funding`) is judged on replay from 2026-12-02 on
/// as `discuss` judges it: amounts that do not make up the budget, or named for some sources
/// only, are refused in a signed entry (a forged bundle with them verified).
#[test]
fn the_funding_a_discussion_adopts_is_judged_from_2026_12_02() {
    use crate::rules::funding::{Problem, Unsplit};
    let mut h = H::new();
    h.now = noon(d("2026-12-01"));
    let id = h.drive(Stage::Proposal);
    let date = h.next_date(&id);
    let short = MeetingEvent {
        funding: Some("村集体10元".into()),
        ..h.discussion(&id, date)
    };
    // Recorded the day before: kept, as an earlier liuyi's record replays.
    assert!(
        h.s.check_recording(h.now, &Event::Discussion(short.clone()), accept_rotation)
            .is_err()
    );
    let mut later = H::new();
    later.now = noon(d("2026-12-02"));
    let id2 = later.drive(Stage::Proposal);
    let date2 = later.next_date(&id2);
    let r = later.refuse(Event::Discussion(MeetingEvent {
        funding: Some("村集体10元".into()),
        ..later.discussion(&id2, date2)
    }));
    assert_eq!(
        r,
        Refusal::Funding(Problem::Mismatch {
            parts: vec![("村集体".into(), 1000)],
            sum: 1000,
            budget: 32_600_000
        })
    );
    // How a text names its amounts is judged at recording only (liuyi ea5b7c5 recorded
    // "财政奖补200000块；村集体126000块" on any day: replayed, it is kept).
    assert!(matches!(
        crate::rules::funding::problem(Some("财政奖补200000块；村集体126000块"), None, None),
        Some(Problem::Unsplit(Unsplit::NotFigures(_)))
    ));
    later.ok(Event::Discussion(MeetingEvent {
        funding: Some("财政奖补200000块；村集体126000块".into()),
        ..later.discussion(&id2, date2)
    }));
    // Three sources that make the budget are three sources (the first, half of it, was
    // read as a stated total and the text refused).
    let three = "财政奖补50000元，村集体30000元，村民筹资20000元";
    assert_eq!(
        crate::rules::funding::problem(Some(three), Some(three), Some(10_000_000)),
        None
    );
    // A total stated first is still read as one, its parts making it up.
    let stated = "总投资100000元，其中财政奖补60000元，村集体40000元";
    assert_eq!(
        crate::rules::funding::problem(Some(stated), Some(stated), Some(10_000_000)),
        None
    );
    h.ok(Event::Discussion(short));
}
