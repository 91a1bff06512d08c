//! Replay: the township steps the same entries through the same engine and must get the
//! same matters; a refusal leaves the state exactly as it was.

use super::*;

/// The index of the first event of `log` that `is` picks.
fn first<T>(log: &[(T, Event)], is: impl Fn(&Event) -> bool) -> usize {
    log.iter().position(|(_, e)| is(e)).unwrap()
}

/// A village history with every kind of entry: a matter with an objection at 民议, a
/// revision, a second round with sheet-page consents and a household leaving scope,
/// objections and replies, through to the result notice; a declined and a withdrawn
/// matter; a policy change and a key rotation.
fn history() -> H {
    let mut h = H::new();
    let id = h.drive(Stage::Review);
    let d1 = h.next_date(&id);
    h.ok(Event::ConsultOpen(h.open(&id, d1)));
    for i in 1..=49 {
        h.ok(Event::Consent(h.consent(&id, &hh(i), d1)));
    }
    h.ok(Event::Consent(h.objecting(&id, "0050", d1)));
    h.ok(Event::Revise(h.reason(&id, h.next_date(&id), "线路调整")));
    h.advance(&id, Stage::Review);
    let d2 = h.next_date(&id);
    h.ok(Event::ConsultOpen(h.open(&id, d2)));
    for i in 1..=48 {
        let c = if i % 2 == 0 {
            ConsentEvent {
                evidence: None,
                sheet_page: Some(i / 10 + 1),
                ..h.consent(&id, &hh(i), d2)
            }
        } else {
            h.consent(&id, &hh(i), d2)
        };
        h.ok(Event::Consent(c));
    }
    h.ok(Event::Sheet(h.sheet(&id, 1, 5, d2)));
    h.ok(Event::Consent(h.objecting(&id, "0049", d2)));
    h.ok(Event::Consent(h.consent(
        &id,
        "0049",
        d2 + Duration::days(1),
    )));
    h.ok(h.roster_update(
        &(d2 + Duration::days(1)).to_string(),
        Some("全户迁出"),
        "0050",
        "村民0050",
        |p| p.status = Status::MovedOut,
    ));
    h.ok(Event::Resolution(h.resolution(&id, h.next_date(&id))));
    h.ok(Event::Publish(h.publish(
        &id,
        NoticeKind::Resolution,
        h.next_date(&id),
    )));
    h.ok(Event::Objection(h.objection(&id, h.next_date(&id))));
    h.ok(Event::Implement(h.implement(&id, h.next_date(&id))));
    h.ok(Event::Reply(h.reply(&id, 1, h.next_date(&id))));
    h.ok(Event::Policy(PolicyEvent {
        policy: super::super::policy::Policy {
            min_posting_days: 20,
            ..Default::default()
        },
        reason: Some("从严".into()),
    }));
    h.ok(Event::Complete(h.complete(&id, h.next_date(&id))));
    h.ok(Event::Publish(PublishEvent {
        days: 20,
        ..h.publish(&id, NoticeKind::Result, h.next_date(&id))
    }));
    h.drive(Stage::Declined);
    h.drive(Stage::Withdrawn);
    h.ok(Event::KeyRotate(KeyRotateEvent {
        date: d("2026-12-01"),
        old: key('a'),
        new: key('b'),
        reason: "书记换届".into(),
        authority: "old".into(),
        signatures: vec![],
    }));
    assert_eq!(h.stage(&id), Stage::ResultPublished);
    h
}

fn replay(log: &[(DateTime<Utc>, Event)]) -> Result<State, (usize, Refusal)> {
    let mut s = State::default();
    for (i, (t, e)) in log.iter().enumerate() {
        s.step(*t, e, accept_rotation).map_err(|r| (i, r))?;
    }
    Ok(s)
}

#[track_caller]
fn refused_at(log: &[(DateTime<Utc>, Event)]) -> (usize, Refusal) {
    match replay(log) {
        Ok(_) => panic!("the replay accepted a tampered log"),
        Err(e) => e,
    }
}

#[test]
fn replaying_the_log_gives_the_same_matters() {
    let h = history();
    let a = replay(&h.log).unwrap();
    let b = replay(&h.log).unwrap();
    let json = |s: &State| serde_json::to_string(&s.matters).unwrap();
    assert_eq!(json(&a), json(&b));
    assert_eq!(json(&a), json(&h.s));
    assert_eq!(format!("{:?}", a), format!("{:?}", h.s));
    assert_eq!(a.size, h.log.len() as u64);
    let m = &a.matters["2026-001"];
    assert_eq!(m.rounds.len(), 2);
    assert_eq!(m.rounds[1].left.len(), 1);
    assert_eq!(a.matters.len(), 3);
    assert_eq!(a.key.as_deref(), Some(key('b').as_str()));
}

#[test]
fn stepping_events_by_value_gives_the_same_state() {
    // `check` moves each parsed consent into the state (`step_owned`) instead of copying it.
    let h = history();
    let (mut s, mut by_ref) = (State::default(), State::default());
    for (i, (t, e)) in h.log.iter().enumerate() {
        s.step_owned(*t, e.clone(), accept_rotation).unwrap();
        by_ref.step(*t, e, accept_rotation).unwrap();
        assert_eq!(format!("{s:?}"), format!("{by_ref:?}"), "after entry {i}");
    }
    assert_eq!(format!("{s:?}"), format!("{:?}", h.s));
    assert_eq!(
        serde_json::to_string(&s.matters).unwrap(),
        serde_json::to_string(&h.s.matters).unwrap()
    );
    // A refused consent comes back whole, with the same refusal, and changes nothing.
    let before = format!("{s:?}");
    let late = ConsentEvent {
        household: "9999".into(),
        ..h.consent("2026-001", &hh(1), d("2026-12-01"))
    };
    let t = h.now + Duration::hours(1);
    let expected = s.check(t, &Event::Consent(late.clone()), accept_rotation);
    let (r, back) = s
        .step_owned(t, Event::Consent(late.clone()), accept_rotation)
        .unwrap_err();
    assert_eq!(Err(r), expected);
    assert_eq!(back, Event::Consent(late));
    assert_eq!(before, format!("{s:?}"));
}

#[test]
fn replaying_through_the_stored_json_gives_the_same_matters() {
    // What the township reads is the stored JSON, not our in-memory events.
    let h = history();
    let stored: Vec<(DateTime<Utc>, Event)> = h
        .log
        .iter()
        .map(|(t, e)| {
            (
                *t,
                serde_json::from_str(&serde_json::to_string(e).unwrap()).unwrap(),
            )
        })
        .collect();
    let a = replay(&stored).unwrap();
    assert_eq!(
        serde_json::to_string(&a.matters).unwrap(),
        serde_json::to_string(&h.s.matters).unwrap()
    );
}

#[test]
fn a_tampered_log_is_refused_at_the_tampered_entry() {
    let h = history();
    let review_at = first(&h.log, |e| matches!(e, Event::Review(_)));
    // Lower the votes for at the first 审议 below half of the voting members.
    let mut log = h.log.clone();
    if let Event::Review(v) = &mut log[review_at].1 {
        v.for_ = 21;
        v.against = 22;
    }
    let (i, r) = refused_at(&log);
    assert_eq!(i, review_at);
    assert!(
        matches!(
            r,
            Refusal::VoteFailed {
                for_: 21,
                base: 43,
                ..
            }
        ),
        "{r:?}"
    );
    // Drop one consent of the second round: the resolution no longer follows.
    let mut log = h.log.clone();
    let res = first(&log, |e| matches!(e, Event::Resolution(_)));
    let consent = (0..res)
        .rev()
        .find(|&i| matches!(log[i].1, Event::Consent(_)))
        .unwrap();
    log.remove(consent);
    let (i, r) = refused_at(&log);
    assert_eq!(i, res - 1);
    assert!(matches!(r, Refusal::ConsultationIncomplete { .. }), "{r:?}");
    // An entry stamped before its predecessor: the clock ran backwards.
    let mut log = h.log.clone();
    let last = log.len() - 1;
    log[last].0 = log[0].0;
    let (i, r) = refused_at(&log);
    assert_eq!(i, last);
    assert!(matches!(r, Refusal::ClockBehind { .. }), "{r:?}");
}

#[test]
fn a_refusal_leaves_the_state_unchanged() {
    let mut h = history();
    let before = format!("{:?}", h.s);
    let json_before = serde_json::to_string(&h.s.matters).unwrap();
    let size = h.s.size;
    let last_time = h.s.last_time;
    // A roster entry whose second change is inconsistent: nothing of the first applies.
    let bad_roster = Event::Roster(RosterEvent {
        date: d("2026-12-01"),
        reason: Some("补录".into()),
        changes: vec![
            RosterChange::Add {
                person: head("0077"),
            },
            RosterChange::Remove {
                household: "0200".into(),
                name: "无此人".into(),
            },
        ],
        returns: Default::default(),
    });
    h.now += Duration::hours(1);
    let r = h.refuse(bad_roster);
    assert_eq!(
        r,
        Refusal::RosterInconsistent {
            key: "0200:无此人".into()
        }
    );
    let r = h.refuse(h.action_event("2026-001", Action::Implement));
    assert!(
        matches!(
            r,
            Refusal::WrongStage {
                stage: Stage::ResultPublished,
                ..
            }
        ),
        "{r:?}"
    );
    let r = h.refuse(h.action_event("2026-002", Action::Propose));
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
    let o = ObjectionEvent {
        n: 9,
        ..h.objection("2026-001", d("2026-12-01"))
    };
    let r = h.refuse(Event::Objection(o));
    assert!(
        matches!(
            r,
            Refusal::ObjectionNumber {
                n: 9,
                expected: 2,
                ..
            }
        ),
        "{r:?}"
    );
    assert_eq!(h.refuse(genesis()), Refusal::NotGenesis { idx: size });
    assert_eq!(before, format!("{:?}", h.s));
    assert_eq!(json_before, serde_json::to_string(&h.s.matters).unwrap());
    assert_eq!((h.s.size, h.s.last_time), (size, last_time));
    assert!(
        h.s.roster
            .latest()
            .unwrap()
            .get("0077", "村民0077")
            .is_none()
    );
    // and `check` alone never changes anything, even when it says yes
    let ok = Event::Objection(h.objection("2026-001", d("2026-12-01")));
    assert!(h.check(&ok).is_ok());
    assert_eq!(before, format!("{:?}", h.s));
}

#[test]
fn every_kind_of_entry_is_read_by_both_entry_readers() {
    // The fast reader names the `type` spellings itself: each must read back, and agree
    // with the strict reader, or the log would silently be read the slow way.
    use crate::log::Entry;
    let h = history();
    let mut kinds = std::collections::BTreeSet::new();
    let mut prev = None;
    for (i, (t, e)) in h.log.iter().enumerate() {
        let entry = Entry {
            idx: i as u64,
            origin: "example.cn/village".into(),
            prev,
            time: *t,
            event: e.clone(),
        };
        let bytes = entry.to_bytes().unwrap();
        assert_eq!(
            bytes,
            entry.to_bytes_via_value().unwrap(),
            "the two writers differ"
        );
        let fast = Entry::parse_fast(&bytes)
            .unwrap_or_else(|| panic!("fast reader missed {}", e.type_name()));
        assert_eq!(fast.to_bytes().unwrap(), bytes);
        assert_eq!(Entry::parse_strict(&bytes), Ok(fast));
        let stored: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(
            stored["type"],
            e.type_name(),
            "type_name() is the stored spelling"
        );
        kinds.insert(e.type_name());
        prev = Some(Entry::leaf(&bytes));
    }
    assert_eq!(kinds.len(), 19, "{kinds:?}");
}

#[test]
fn a_compacted_closed_matter_shows_and_judges_the_same() {
    // The verifier drops a closed matter's per-household records (Matter::compact): what
    // `show` prints and what the rules decide next must not change.
    let h = history();
    let closed: Vec<_> =
        h.s.matters
            .values()
            .filter(|m| m.stage.is_closed())
            .collect();
    assert_eq!(closed.len(), 3);
    for m in closed {
        // What `check` keeps of the snapshot row as the matter closes is that row's hash.
        let row = crate::snapshot::matter_row(m).2;
        assert_eq!(
            crate::snapshot::matter_row_digest(m),
            <[u8; 32]>::from(<sha2::Sha256 as sha2::Digest>::digest(row.as_bytes()))
        );
        let mut c = m.clone();
        c.compact();
        assert!(
            c.rounds
                .iter()
                .all(|r| r.records.is_empty() && r.scope.is_empty())
        );
        assert_eq!(
            crate::views::matter_json(&c),
            crate::views::matter_json(m),
            "{}",
            m.id
        );
    }
    let mut compacted = h.s.clone();
    for m in compacted.matters.values_mut() {
        if m.stage.is_closed() {
            m.compact();
        }
    }
    // An objection to the finished matter is judged alike, accepted and refused.
    let ok = Event::Objection(h.objection("2026-001", d("2026-12-01")));
    let bad = Event::Objection(ObjectionEvent {
        n: 9,
        ..h.objection("2026-001", d("2026-12-01"))
    });
    for e in [ok, bad] {
        let a = h.s.clone().step(h.now, &e, accept_rotation);
        let b = compacted.clone().step(h.now, &e, accept_rotation);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }
}

#[test]
fn rounds_compacted_once_their_matter_moves_on_print_and_judge_the_same() {
    // A lean replay (the verifier, export, a notice re-print) compacts each 民议 round as
    // its matter moves on from it (Matter::compact_past_rounds): the notices printed later
    // and what the rules decide must not change.
    let mut h = H::new();
    let id = h.drive(Stage::Consultation);
    h.ok(Event::Revise(h.reason(&id, h.next_date(&id), "线路调整")));
    h.advance(&id, Stage::Consultation);
    // The last record comes days after the round opened: the notice prints that day.
    let late = h.next_date(&id) + Duration::days(3);
    h.ok(Event::Consent(h.consent(&id, &hh(1), late)));
    let lean = |h: &H| {
        let mut s = h.s.clone();
        s.matters.get_mut(&id).unwrap().compact_past_rounds();
        s
    };

    // At 民议: the round before the revision is compacted, the current one stays whole and
    // the next record is judged alike.
    let s = lean(&h);
    let (m, l) = (h.matter(&id), &s.matters[&id]);
    assert_eq!(l.rounds.len(), 2);
    assert!(l.rounds[0].records.is_empty() && l.rounds[0].scope.is_empty());
    assert_eq!(l.rounds[0].tally(), m.rounds[0].tally());
    assert_eq!(l.rounds[0].last_record(), m.rounds[0].last_record());
    assert!(l.rounds[1].compacted.is_none());
    assert_eq!(l.rounds[1].records, m.rounds[1].records);
    assert_eq!(l.rounds[1].scope, m.rounds[1].scope);
    let consent = Event::Consent(h.consent(&id, &hh(2), late));
    assert_eq!(
        format!("{:?}", h.s.clone().step(h.now, &consent, accept_rotation)),
        format!("{:?}", s.clone().step(h.now, &consent, accept_rotation))
    );

    h.ok(Event::Resolution(h.resolution(&id, h.next_date(&id))));
    let at = crate::paper::model::Verification {
        origin: "liuyi/test".into(),
        log_size: 42,
        root_hex: "0".repeat(64),
    };
    let mut notices = 0;
    for action in [
        Action::PublishResolution,
        Action::Implement,
        Action::Complete,
        Action::PublishResult,
    ] {
        let s = lean(&h);
        let (m, l) = (h.matter(&id), &s.matters[&id]);
        for (full, kept) in m.rounds.iter().zip(&l.rounds) {
            assert!(kept.records.is_empty() && kept.scope.is_empty());
            assert_eq!(kept.tally(), full.tally());
            assert_eq!(kept.last_record(), full.last_record());
        }
        assert_eq!(l.rounds[1].last_record(), Some(late));
        assert!(l.steps.iter().all(|s| match &s.event {
            Event::ConsultOpen(e) => e.households.is_empty(),
            _ => true,
        }));
        let e = h.action_event(&id, action);
        if let Event::Publish(p) = &e {
            let v = crate::paper::TemplateVersion::CURRENT;
            let full = crate::notice::publish_model(&h.s, p, at.clone(), v).unwrap();
            let kept = crate::notice::publish_model(&s, p, at.clone(), v).unwrap();
            assert_eq!(format!("{full:?}"), format!("{kept:?}"));
            if let crate::notice::PublishDocument::Resolution(n) = &kept.document {
                assert_eq!(n.consultation.closed, late);
                assert!(n.consultation.opened < late);
            }
            notices += 1;
        }
        assert_eq!(
            format!("{:?}", h.s.clone().step(h.now, &e, accept_rotation)),
            format!("{:?}", s.clone().step(h.now, &e, accept_rotation))
        );
        h.ok(e);
    }
    assert_eq!(notices, 2);
    assert_eq!(h.stage(&id), Stage::ResultPublished);
}

/// The stored form of `log` (entries chained from genesis), as `check` reads it.
fn stored(log: &[(DateTime<Utc>, Event)]) -> Vec<crate::store::StoredEntry> {
    let mut prev = None;
    log.iter()
        .enumerate()
        .map(|(i, (t, e))| {
            let bytes = crate::log::Entry {
                idx: i as u64,
                origin: "liuyi.example/test-village".into(),
                prev,
                time: *t,
                event: e.clone(),
            }
            .to_bytes()
            .unwrap();
            let leaf = crate::record::merkle::leaf_hash(&bytes);
            let entry = crate::store::StoredEntry {
                idx: i as u64,
                prev: prev.map(|h| h.to_vec()),
                leaf: leaf.to_vec(),
                bytes,
            };
            prev = Some(leaf);
            entry
        })
        .collect()
}

#[test]
fn check_moving_consents_in_judges_as_the_replay_does() {
    // `check` feeds each parsed entry by value (`feed_prepared_owned`); commands feed by
    // reference. Same state after every entry, and the same problem for an unlawful
    // consent (a household outside the round), with nothing of it applied.
    let h = history();
    let rotation = first(&h.log, |e| matches!(e, Event::KeyRotate(_)));
    let mut log = h.log[..rotation].to_vec();
    let bad = first(
        &log,
        |e| matches!(e, Event::Consent(c) if c.household == hh(5)),
    );
    if let Event::Consent(c) = &mut log[bad].1 {
        c.household = "9999".into();
    }
    let (mut owned, mut by_ref) = (
        crate::check::Replay::default(),
        crate::check::Replay::default(),
    );
    for e in stored(&log) {
        let leaf = crate::record::merkle::leaf_hash(&e.bytes);
        let a = owned.feed_prepared_owned(&e, leaf, crate::log::Entry::parse(&e.bytes));
        let b = by_ref.feed(&e);
        assert_eq!(a, b, "entry {}", e.idx);
        assert_eq!(format!("{:?}", owned.state), format!("{:?}", by_ref.state));
        assert_eq!(
            (owned.range.root(), owned.last_leaf),
            (by_ref.range.root(), by_ref.last_leaf)
        );
        assert_eq!(owned.attachments, by_ref.attachments);
        if let Err(p) = a {
            assert_eq!(e.idx, bad as u64);
            assert_eq!(p.code, "E-RULE");
            assert_eq!(
                p.location.to_string(),
                format!("entries[{bad}] (matter 2026-001, consult.record)")
            );
            assert!(
                matches!(
                    p.kind,
                    crate::check::ProblemKind::Rule(Refusal::NotInScope { .. })
                ),
                "{p:?}"
            );
            assert_eq!(owned.state.size, bad as u64);
            return;
        }
    }
    panic!("the unlawful consent was accepted");
}

/// A result notice whose completion recorded no supervision opinion says so from 2026.7;
/// 2026.6 printed 无, which reads as "the committee had nothing to object", and keeps it.
#[test]
fn a_missing_supervision_opinion_is_said_as_missing_from_2026_7() {
    let mut h = H::new();
    let id = h.drive(Stage::Implementation);
    let mut c = h.complete(&id, h.next_date(&id));
    c.supervision = None;
    h.ok(Event::Complete(c));
    let Event::Publish(p) = h.action_event(&id, Action::PublishResult) else {
        panic!("a publish event");
    };
    let at = crate::paper::model::Verification {
        origin: "liuyi/test".into(),
        log_size: 42,
        root_hex: "0".repeat(64),
    };
    let opinion = |v| match crate::notice::publish_model(&h.s, &p, at.clone(), v)
        .unwrap()
        .document
    {
        crate::notice::PublishDocument::Result(n) => n.supervision_opinion,
        _ => panic!("a result notice"),
    };
    use crate::paper::TemplateVersion as V;
    assert_eq!(
        opinion(V::V2026_7),
        "竣工验收登记时未记录村务监督委员会意见。"
    );
    assert_eq!(opinion(V::V2026_6), "无");
}

#[test]
fn the_row_digest_is_the_digest_of_the_stored_row_whatever_the_consents_hold() {
    // `check` compares a closed matter's stored snapshot row (written by serde_json) with
    // `matter_row_digest`, which writes the rounds by hand: every optional field, every
    // escape, an adults round, a date outside four digits and the largest numbers must
    // come out as serde_json writes them.
    let h = history();
    let same = |m: &crate::rules::engine::Matter| {
        let row = crate::snapshot::matter_row(m).2;
        assert_eq!(
            crate::snapshot::matter_row_digest(m),
            <[u8; 32]>::from(<sha2::Sha256 as sha2::Digest>::digest(row.as_bytes())),
            "{row}"
        );
    };
    let mut checked = 0;
    for m in h.s.matters.values() {
        same(m);
        checked += m.rounds.iter().map(|r| r.records.len()).sum::<usize>();
    }
    assert!(checked > 0, "the history has consents");
    let mut m =
        h.s.matters
            .values()
            .find(|m| m.rounds.iter().any(|r| !r.records.is_empty()))
            .unwrap()
            .clone();
    let template = m.rounds[0].records.values().next().unwrap().clone();
    let odd = [
        "引号\"在中间",
        "反斜杠\\",
        "换行\n制表\t",
        "\u{1}\u{1f}",
        "\u{7f}é",
        "",
        "/斜杠/",
        "emoji 🌾",
    ];
    m.rounds[0].adults = true;
    m.rounds[0].opened = NaiveDate::from_ymd_opt(10000, 1, 1).unwrap();
    for (i, s) in odd.iter().enumerate() {
        let mut c = template.clone();
        c.household = format!("{s}{i}");
        c.id = (*s).to_string();
        c.signer = (*s).to_string();
        c.round = u32::MAX;
        c.date = match i % 3 {
            0 => NaiveDate::from_ymd_opt(-1, 12, 31).unwrap(),
            1 => NaiveDate::from_ymd_opt(0, 1, 1).unwrap(),
            _ => NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
        };
        c.opinion = [Opinion::Consent, Opinion::Object][i % 2];
        c.method = [
            Method::InPerson,
            Method::SameHousehold,
            Method::Remote,
            Method::Proxy,
        ][i % 4];
        let some = |bit: usize| (i >> bit) & 1 == 1;
        c.person = some(0).then(|| s.to_string());
        c.reason = some(1).then(|| s.to_string());
        c.relation = some(2).then(|| s.to_string());
        c.collector = (!some(0)).then(|| s.to_string());
        c.evidence = some(1).then(|| crate::rules::event::AttachmentRef {
            sha256: "ab".repeat(32),
            size: u64::MAX,
            name: s.to_string(),
        });
        c.sheet_page = some(2).then_some(u32::MAX - i as u32);
        let r = &mut m.rounds[0];
        r.scope.insert(c.household.clone());
        r.left.insert(format!("走{s}"), s.to_string());
        // The day of a key's objection kept (rules of 2026-12-03), odd keys too.
        r.objected.insert(
            format!("{s}{i}"),
            NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
        );
        r.records.insert(c.household.clone(), c);
        same(&m);
    }
    m.rounds[0].adults = false;
    m.rounds.push(m.rounds[0].compacted());
    same(&m);
    m.rounds.clear();
    same(&m);
}
