//! Dates never go backwards and are never in the future; the entry clock never runs back.

use super::*;

#[test]
fn a_stage_dated_before_the_previous_stage_is_refused() {
    let mut h = H::new();
    let id = h.drive(Stage::Discussion);
    let last = h.matter(&id).last_date;
    let early = last - Duration::days(1);
    let r = h.refuse(Event::Review(h.review(&id, early)));
    assert_eq!(
        r,
        Refusal::DateBackwards {
            id: id.clone(),
            date: early,
            last,
            by: DatedBy::Step(Stage::Discussion),
        }
    );
    // the same day is fine
    h.ok(Event::Review(h.review(&id, last)));
}

#[test]
fn every_dated_step_is_checked_against_the_last_date() {
    // Walk a matter to each stage and try its next step dated one day too early.
    for to in [
        Stage::Motion,
        Stage::Proposal,
        Stage::Discussion,
        Stage::Review,
        Stage::Consultation,
        Stage::Resolution,
        Stage::ResolutionPublished,
        Stage::Implementation,
        Stage::Completed,
    ] {
        let mut h = H::new();
        let id = h.drive(to);
        let next = super::super::stage::next_action(to).unwrap();
        let last = h.matter(&id).last_date;
        // Along the main path, what bounds the next step is what `last_date` keeps.
        let (bound, by) = h.matter(&id).latest_dated();
        assert_eq!(bound, last, "{to:?}");
        let mut v = serde_json::to_value(h.action_event(&id, next)).unwrap();
        v["body"]["date"] = (last - Duration::days(1)).to_string().into();
        let e: Event = serde_json::from_value(v).unwrap();
        let r = h.refuse(e);
        assert_eq!(
            r,
            Refusal::DateBackwards {
                id: id.clone(),
                date: last - Duration::days(1),
                last,
                by,
            },
            "{next:?} at {to:?}"
        );
    }
}

#[test]
fn resolution_cannot_be_dated_before_the_last_consent() {
    let mut h = H::new();
    let id = h.drive(Stage::Review);
    let opened = h.next_date(&id);
    h.ok(Event::ConsultOpen(h.open(&id, opened)));
    let late = opened + Duration::days(10);
    for i in 1..=50 {
        let date = if i == 50 { late } else { opened };
        h.ok(Event::Consent(h.consent(&id, &hh(i), date)));
    }
    let r = h.refuse(Event::Resolution(
        h.resolution(&id, late - Duration::days(1)),
    ));
    assert_eq!(
        r,
        Refusal::DateBackwards {
            id: id.clone(),
            date: late - Duration::days(1),
            last: late,
            by: DatedBy::Consent { household: hh(50) },
        }
    );
    h.ok(Event::Resolution(h.resolution(&id, late)));
}

/// A consent recorded with a wrong date (today, `--date` left out) is put right by
/// recording the household again with its true date: the replaced record no longer holds
/// the resolution back (it used to, for good: the matter's latest date never came down).
#[test]
fn a_consent_recorded_again_with_its_true_date_no_longer_holds_the_resolution_back() {
    let mut h = H::new();
    let id = h.drive(Stage::Review);
    let opened = h.next_date(&id);
    h.ok(Event::ConsultOpen(h.open(&id, opened)));
    let wrong = opened + Duration::days(40);
    for i in 1..=50 {
        let date = if i == 7 { wrong } else { opened };
        h.ok(Event::Consent(h.consent(&id, &hh(i), date)));
    }
    let meant = opened + Duration::days(5);
    let r = h.refuse(Event::Resolution(h.resolution(&id, meant)));
    assert_eq!(
        r,
        Refusal::DateBackwards {
            id: id.clone(),
            date: meant,
            last: wrong,
            by: DatedBy::Consent { household: hh(7) },
        }
    );
    h.ok(Event::Consent(h.consent(
        &id,
        &hh(7),
        opened + Duration::days(1),
    )));
    h.ok(Event::Resolution(h.resolution(&id, meant)));
}

/// The scans of the signature sheets are filed when they are scanned, often after the
/// resolution they show: a scan filed later does not stop the resolution being recorded
/// with its own date. The matter's `last_date` (stored in its snapshot row) still counts
/// the scan, as it always did.
#[test]
fn a_sheet_scanned_later_does_not_hold_the_resolution_back() {
    let mut h = H::new();
    let id = h.drive(Stage::Review);
    let opened = h.next_date(&id);
    h.ok(Event::ConsultOpen(h.open(&id, opened)));
    for i in 1..=50 {
        h.ok(Event::Consent(h.consent(&id, &hh(i), opened)));
    }
    let scanned = opened + Duration::days(30);
    h.ok(Event::Sheet(h.sheet(&id, 1, 2, scanned)));
    assert_eq!(h.matter(&id).last_date, scanned);
    // Of the entries dated `opened`, the step is named (not a consent of the same day, nor
    // the scan).
    assert_eq!(
        h.matter(&id).latest_dated(),
        (opened, DatedBy::Step(Stage::Consultation))
    );
    let r = h.refuse(Event::Resolution(
        h.resolution(&id, opened - Duration::days(1)),
    ));
    assert!(
        matches!(r, Refusal::DateBackwards { last, .. } if last == opened),
        "{r:?}"
    );
    h.ok(Event::Resolution(
        h.resolution(&id, opened + Duration::days(1)),
    ));
}

#[test]
fn consent_and_sheet_cannot_predate_the_opening() {
    let mut h = H::new();
    let id = h.drive(Stage::Consultation);
    let opened = h.matter(&id).current_round().unwrap().opened;
    let before = opened - Duration::days(1);
    let r = h.refuse(Event::Consent(h.consent(&id, "0001", before)));
    assert_eq!(
        r,
        Refusal::DateBackwards {
            id: id.clone(),
            date: before,
            last: opened,
            by: DatedBy::Step(Stage::Consultation),
        }
    );
    let r = h.refuse(Event::Sheet(h.sheet(&id, 1, 2, before)));
    assert_eq!(
        r,
        Refusal::DateBackwards {
            id: id.clone(),
            date: before,
            last: opened,
            by: DatedBy::Step(Stage::Consultation),
        }
    );
}

#[test]
fn a_date_after_today_in_china_is_refused() {
    // 2026-03-10 15:59:59 UTC is 23:59:59 on the 10th in China: the 11th is the future.
    let t = Utc.with_ymd_and_hms(2026, 3, 10, 15, 59, 59).unwrap();
    let mut h = H::new();
    h.now = t;
    let id = h.drive(Stage::Motion);
    let tomorrow = d("2026-03-11");
    let r = h.refuse(Event::Proposal(h.proposal(&id, tomorrow)));
    assert_eq!(
        r,
        Refusal::DateInFuture {
            date: tomorrow,
            today: d("2026-03-10")
        }
    );
    // one second later it is the 11th in China (still the 10th in UTC)
    h.now = t + Duration::seconds(1);
    assert_eq!(super::super::engine::local_date(h.now), tomorrow);
    h.ok(Event::Proposal(h.proposal(&id, tomorrow)));
}

#[test]
fn future_dates_are_refused_for_every_dated_event() {
    let mut h = H::new();
    let id = h.drive(Stage::Consultation);
    let today = super::super::engine::local_date(h.now);
    let tomorrow = today + Duration::days(1);
    let mut events = vec![
        Event::Consent(h.consent(&id, "0001", tomorrow)),
        Event::Sheet(h.sheet(&id, 1, 2, tomorrow)),
        Event::Resolution(h.resolution(&id, tomorrow)),
        Event::Withdraw(h.reason(&id, tomorrow, "撤回")),
        Event::Revise(h.reason(&id, tomorrow, "修改")),
        Event::Motion(h.motion_by(tomorrow, &["0048:村民0048"], Category::Other)),
        h.roster_update(&tomorrow.to_string(), None, "0048", "村民0048", |p| {
            p.sex = Sex::Male
        }),
    ];
    events.push(Event::KeyRotate(KeyRotateEvent {
        date: tomorrow,
        old: key('a'),
        new: key('b'),
        reason: "换届".into(),
        authority: "old".into(),
        signatures: vec![],
    }));
    for e in events {
        let r = h.refuse(e.clone());
        assert_eq!(
            r,
            Refusal::DateInFuture {
                date: tomorrow,
                today
            },
            "{e:?}"
        );
    }
}

#[test]
fn an_entry_stamped_before_the_previous_entry_is_refused() {
    let mut h = H::new();
    let id = h.drive(Stage::Motion);
    let last = h.s.last_time.unwrap();
    h.now = last - Duration::seconds(1);
    let r = h.refuse(Event::Proposal(h.proposal(&id, d("2026-03-03"))));
    assert_eq!(r, Refusal::ClockBehind { last, now: h.now });
    // the same instant is not behind
    h.now = last;
    h.ok(Event::Proposal(h.proposal(&id, d("2026-03-03"))));
}

#[test]
fn a_roster_dated_before_the_previous_roster_is_refused() {
    let mut h = H::new();
    h.ok(
        h.roster_update("2026-02-01", None, "0048", "村民0048", |p| {
            p.sex = Sex::Male
        }),
    );
    let e = h.roster_update("2026-01-31", None, "0049", "村民0049", |p| {
        p.sex = Sex::Male
    });
    let r = h.refuse(e);
    assert_eq!(
        r,
        Refusal::RosterDateBackwards {
            date: d("2026-01-31"),
            last: d("2026-02-01")
        }
    );
    // two imports on one day are fine; the later one replaces that day's version
    h.ok(
        h.roster_update("2026-02-01", None, "0049", "村民0049", |p| {
            p.sex = Sex::Male
        }),
    );
    let r = h.s.roster.on(d("2026-02-01")).unwrap();
    assert_eq!(r.get("0048", "村民0048").unwrap().sex, Sex::Male);
    assert_eq!(r.get("0049", "村民0049").unwrap().sex, Sex::Male);
    assert_eq!(
        h.s.roster
            .on(d("2026-01-31"))
            .unwrap()
            .get("0048", "村民0048")
            .unwrap()
            .sex,
        Sex::Female
    );
}

#[test]
fn roster_entries_must_change_something_consistently() {
    let mut h = H::new();
    let empty = Event::Roster(RosterEvent {
        date: d("2026-02-01"),
        reason: None,
        changes: vec![],
        returns: Default::default(),
    });
    assert_eq!(h.refuse(empty), Refusal::NoChanges);
    let dup = Event::Roster(RosterEvent {
        date: d("2026-02-01"),
        reason: None,
        changes: vec![RosterChange::Add {
            person: head("0001"),
        }],
        returns: Default::default(),
    });
    assert_eq!(
        h.refuse(dup),
        Refusal::RosterInconsistent {
            key: "0001:村民0001".into()
        }
    );
    let missing = Event::Roster(RosterEvent {
        date: d("2026-02-01"),
        reason: None,
        changes: vec![RosterChange::Remove {
            household: "0200".into(),
            name: "无此人".into(),
        }],
        returns: Default::default(),
    });
    assert_eq!(
        h.refuse(missing),
        Refusal::RosterInconsistent {
            key: "0200:无此人".into()
        }
    );
}

/// After a revise, a step dated before it names the revision (its step is kept at the
/// 提议 stage, and "the 提议 step is dated …" sent the secretary looking for a meeting
/// that was not on that day).
#[test]
fn a_step_dated_before_a_revision_names_the_revision() {
    let mut h = H::new();
    let id = h.drive(Stage::Consultation);
    let revised = h.next_date(&id);
    h.ok(Event::Revise(h.reason(&id, revised, "调整线路")));
    let early = revised - Duration::days(1);
    let r = h.refuse(Event::Discussion(h.discussion(&id, early)));
    assert_eq!(
        r,
        Refusal::DateBackwards {
            id: id.clone(),
            date: early,
            last: revised,
            by: DatedBy::Revised,
        }
    );
}

/// An objection received during the posting and written down after implementation began
/// keeps its true date: only the notice it answers binds it. Its reply follows it.
#[test]
fn an_objection_is_dated_from_the_notice_it_answers_and_a_reply_from_the_objection() {
    let mut h = H::new();
    let id = h.drive(Stage::ResolutionPublished);
    let posted = h.matter(&id).latest_dated().0;
    let work = posted + Duration::days(6);
    h.ok(Event::Implement(h.implement(&id, work)));
    let received = posted + Duration::days(3);
    h.ok(Event::Objection(h.objection(&id, received)));
    let r = h.refuse(Event::Objection(
        h.objection(&id, posted - Duration::days(1)),
    ));
    assert_eq!(
        r,
        Refusal::DateBackwards {
            id: id.clone(),
            date: posted - Duration::days(1),
            last: posted,
            by: DatedBy::Step(Stage::ResolutionPublished),
        }
    );
    let r = h.refuse(Event::Reply(h.reply(&id, 1, received - Duration::days(1))));
    assert_eq!(
        r,
        Refusal::DateBackwards {
            id: id.clone(),
            date: received - Duration::days(1),
            last: received,
            by: DatedBy::Objection { n: 1 },
        }
    );
    h.ok(Event::Reply(h.reply(&id, 1, received + Duration::days(1))));
    // The next step still follows everything recorded.
    let r = h.refuse(Event::Implement(h.implement(&id, work - Duration::days(1))));
    assert!(
        matches!(r, Refusal::DateBackwards { last, .. } if last == work),
        "{r:?}"
    );
}

/// A roster change is not dated back before what an open matter recorded against the
/// roster of its day (a move-out dated before the 民议 that counted the household); a
/// closed matter does not hold it back, and the day of the latest step is fine.
#[test]
fn a_roster_change_is_not_dated_before_an_open_matters_latest_step() {
    let mut h = H::new();
    let id = h.drive(Stage::Review);
    let (reviewed, _) = h.matter(&id).latest_dated();
    let moved = |h: &H, date: &str| {
        h.roster_update(date, Some("迁出"), "0048", "村民0048", |p| {
            p.sex = Sex::Male
        })
    };
    let before = (reviewed - Duration::days(1)).to_string();
    let r = h.refuse(moved(&h, &before));
    assert_eq!(
        r,
        Refusal::RosterBeforeStep {
            date: reviewed - Duration::days(1),
            id: id.clone(),
            last: reviewed,
            by: DatedBy::Step(Stage::Review),
        }
    );
    h.ok(moved(&h, &reviewed.to_string()));
    // Once the matter is closed, it no longer binds the roster's dates.
    let withdrawn = reviewed + Duration::days(5);
    h.ok(Event::Withdraw(h.reason(&id, withdrawn, "提议人撤回")));
    h.ok(moved(&h, &(withdrawn - Duration::days(2)).to_string()));
}

/// An objection to the resolution notice, written down after the result was posted, keeps
/// its true date: the first notice binds it, not the latest.
#[test]
fn an_objection_to_the_resolution_may_be_written_down_after_the_result_is_posted() {
    let mut h = H::new();
    let id = h.drive(Stage::ResultPublished);
    let first = h
        .matter(&id)
        .steps
        .iter()
        .find_map(|s| match &s.event {
            Event::Publish(p) => Some(p.date),
            _ => None,
        })
        .unwrap();
    let (result, _) = h.matter(&id).latest_dated();
    assert!(result > first + Duration::days(1), "{first} {result}");
    h.ok(Event::Objection(
        h.objection(&id, first + Duration::days(1)),
    ));
    let r = h.refuse(Event::Objection(
        h.objection(&id, first - Duration::days(1)),
    ));
    assert!(
        matches!(r, Refusal::DateBackwards { last, .. } if last == first),
        "{r:?}"
    );
}
