//! 民议: the scope snapshot, per-household records, evidence, sheets, and the 100 % rule.

use super::*;

/// A matter at 审议, ready to open its consultation; returns the opening date.
fn at_review() -> (H, String, NaiveDate) {
    let mut h = H::new();
    let id = h.drive(Stage::Review);
    let date = h.next_date(&id);
    (h, id, date)
}

fn opened() -> (H, String, NaiveDate) {
    let (mut h, id, date) = at_review();
    h.ok(Event::ConsultOpen(h.open(&id, date)));
    (h, id, date)
}

fn all_but(h: &mut H, id: &str, date: NaiveDate, skip: &[&str]) {
    for i in 1..=50 {
        let household = hh(i);
        if !skip.contains(&household.as_str()) {
            h.ok(Event::Consent(h.consent(id, &household, date)));
        }
    }
}

#[test]
fn the_scope_is_the_active_households_at_opening() {
    let (mut h, id, date) = at_review();
    let o = h.open(&id, date);
    assert_eq!(o.households.len(), 50);
    assert!(
        !o.households.contains(&"0098".to_string()),
        "only a deceased member"
    );
    assert!(
        !o.households.contains(&"0099".to_string()),
        "only a moved-out member"
    );
    // one missing, one extra (inactive), one duplicated: all refused
    let mut missing = o.clone();
    missing.households.retain(|x| x != "0050");
    let r = h.refuse(Event::ConsultOpen(missing));
    assert_eq!(
        r,
        Refusal::ScopeMismatch {
            id: id.clone(),
            recorded: 49,
            roster: 50
        }
    );
    let mut extra = o.clone();
    extra.households.push("0099".into());
    let r = h.refuse(Event::ConsultOpen(extra));
    assert_eq!(
        r,
        Refusal::ScopeMismatch {
            id: id.clone(),
            recorded: 51,
            roster: 50
        }
    );
    let mut dup = o.clone();
    dup.households.push("0001".into());
    let r = h.refuse(Event::ConsultOpen(dup));
    assert_eq!(
        r,
        Refusal::ScopeMismatch {
            id: id.clone(),
            recorded: 51,
            roster: 50
        }
    );
    let r = h.refuse(Event::ConsultOpen(ConsultOpenEvent {
        round: 2,
        ..o.clone()
    }));
    assert_eq!(
        r,
        Refusal::RoundMismatch {
            id: id.clone(),
            round: 2,
            expected: 1
        }
    );
    h.ok(Event::ConsultOpen(o));
    let round = h.matter(&id).current_round().unwrap();
    assert_eq!(round.round, 1);
    assert_eq!(round.tally().in_scope, 50);
    assert_eq!(round.tally().missing.len(), 50);
}

#[test]
fn a_household_added_after_opening_is_not_in_scope() {
    let (mut h, id, date) = opened();
    let add = Event::Roster(RosterEvent {
        date,
        reason: None,
        changes: vec![RosterChange::Add {
            person: head("0051"),
        }],
        returns: Default::default(),
    });
    h.ok(add);
    let r = h.refuse(Event::Consent(h.consent(&id, "0051", date)));
    assert_eq!(
        r,
        Refusal::NotInScope {
            id: id.clone(),
            household: "0051".into(),
            meant: None,
        }
    );
    all_but(&mut h, &id, date, &[]);
    assert_eq!(h.matter(&id).current_round().unwrap().tally().in_scope, 50);
    h.ok(Event::Resolution(h.resolution(&id, date)));
}

/// A 户号 that lost its leading zeros (Excel) is refused, naming the one household in
/// scope it stands for; a number that could be none or several is refused plainly.
#[test]
fn a_household_number_without_its_leading_zeros_names_the_household_meant() {
    let (mut h, id, date) = opened();
    for (given, meant) in [("1", Some("0001")), ("07", Some("0007")), ("51", None)] {
        let r = h.refuse(Event::Consent(h.consent(&id, given, date)));
        assert_eq!(
            r,
            Refusal::NotInScope {
                id: id.clone(),
                household: given.into(),
                meant: meant.map(Into::into),
            }
        );
    }
}

#[test]
fn a_record_for_a_household_not_in_scope_is_refused() {
    let (mut h, id, date) = opened();
    for other in ["0098", "0099", "9999"] {
        let r = h.refuse(Event::Consent(h.consent(&id, other, date)));
        assert_eq!(
            r,
            Refusal::NotInScope {
                id: id.clone(),
                household: other.into(),
                meant: None,
            }
        );
    }
}

#[test]
fn the_signer_must_belong_to_the_household_unless_by_proxy() {
    let (mut h, id, date) = opened();
    let c = h.consent(&id, "0001", date);
    let stranger = ConsentEvent {
        signer: "村民0002".into(),
        ..c.clone()
    };
    for method in [Method::InPerson, Method::SameHousehold, Method::Remote] {
        let r = h.refuse(Event::Consent(ConsentEvent {
            method,
            ..stranger.clone()
        }));
        assert_eq!(
            r,
            Refusal::SignerNotInHousehold {
                household: "0001".into(),
                signer: "村民0002".into()
            },
            "{method:?}"
        );
    }
    h.ok(Event::Consent(ConsentEvent {
        method: Method::Proxy,
        relation: Some("委托：邻居".into()),
        ..stranger
    }));
    // another member of the household may sign for it
    let spouse = ConsentEvent {
        signer: "外出妻".into(),
        method: Method::Remote,
        relation: None,
        ..h.consent(&id, "0012", date)
    };
    h.ok(Event::Consent(spouse));
    let r = h.refuse(Event::Consent(ConsentEvent {
        signer: " ".into(),
        ..c
    }));
    assert_eq!(r, Refusal::EmptyField { field: "signer" });
}

#[test]
fn a_deceased_or_moved_out_member_cannot_sign_for_the_household() {
    let (mut h, id, date) = opened();
    for (household, signer) in [("0008", "故党员"), ("0009", "迁党员")] {
        let c = ConsentEvent {
            signer: signer.into(),
            ..h.consent(&id, household, date)
        };
        // Not as a member, and not as a proxy either: the roster says why.
        for (method, relation) in [(Method::InPerson, None), (Method::Proxy, Some("委托"))] {
            let r = h.refuse(Event::Consent(ConsentEvent {
                method,
                relation: relation.map(Into::into),
                ..c.clone()
            }));
            assert!(
                matches!(&r, Refusal::SignerGone { household: hh, signer: s, status }
                    if hh == household && s == signer && !status.active()),
                "{method:?}: {r:?}"
            );
        }
    }
}

#[test]
fn a_proxy_names_their_relation_and_a_consent_by_proxy_carries_the_authorisation() {
    let (mut h, id, date) = opened();
    let proxy = ConsentEvent {
        signer: "外村人".into(),
        method: Method::Proxy,
        relation: Some("委托：侄子".into()),
        ..h.consent(&id, "0001", date)
    };
    for relation in [None, Some(" ".to_string())] {
        let r = h.refuse(Event::Consent(ConsentEvent {
            relation,
            ..proxy.clone()
        }));
        assert_eq!(
            r,
            Refusal::ProxyNeedsRelation {
                household: "0001".into()
            }
        );
    }
    // A sheet page shows a signature, not the household's authorisation.
    let r = h.refuse(Event::Consent(ConsentEvent {
        evidence: None,
        sheet_page: Some(1),
        ..proxy.clone()
    }));
    assert_eq!(
        r,
        Refusal::ProxyNeedsMandate {
            household: "0001".into()
        }
    );
    // An objection by proxy needs its reason, not an authorisation.
    h.ok(Event::Consent(ConsentEvent {
        opinion: Opinion::Object,
        reason: Some("不同意".into()),
        evidence: None,
        ..proxy.clone()
    }));
    h.ok(Event::Consent(proxy));
}

#[test]
fn a_minor_member_cannot_sign_for_the_household_by_proxy_either() {
    let (mut h, id, date) = opened();
    let r = h.refuse(Event::Consent(ConsentEvent {
        signer: "小孩".into(),
        method: Method::Proxy,
        relation: Some("委托".into()),
        ..h.consent(&id, "0011", date)
    }));
    assert!(matches!(r, Refusal::SignerNotAdult { .. }), "{r:?}");
}

#[test]
fn a_minor_cannot_sign_for_the_household_an_adult_member_can() {
    let (mut h, id, date) = opened();
    assert!(date < d("2026-05-10"), "满十八 is still 17 on {date}");
    let child_age = date.years_since(d("2015-01-01")).unwrap() as i32;
    for (signer, age) in [("小孩", child_age), ("满十八", 17)] {
        let household = if signer == "小孩" { "0011" } else { "0010" };
        let c = ConsentEvent {
            signer: signer.into(),
            method: Method::SameHousehold,
            relation: None,
            ..h.consent(&id, household, date)
        };
        let r = h.refuse(Event::Consent(c));
        assert_eq!(
            r,
            Refusal::SignerNotAdult {
                household: household.into(),
                signer: signer.into(),
                age,
            }
        );
    }
    // On the day she turns eighteen she may sign.
    let later = d("2026-05-10");
    h.ok(Event::Consent(ConsentEvent {
        signer: "满十八".into(),
        method: Method::SameHousehold,
        relation: None,
        ..h.consent(&id, "0010", later)
    }));
    h.ok(Event::Consent(h.consent(&id, "0011", later)));
}

#[test]
fn an_objection_needs_a_reason_and_a_consent_needs_evidence() {
    let (mut h, id, date) = opened();
    let o = h.objecting(&id, "0049", date);
    for reason in [None, Some("  ".to_string())] {
        let r = h.refuse(Event::Consent(ConsentEvent {
            reason,
            ..o.clone()
        }));
        assert_eq!(
            r,
            Refusal::ObjectionNeedsReason {
                household: "0049".into()
            }
        );
    }
    h.ok(Event::Consent(o));
    let c = h.consent(&id, "0048", date);
    let r = h.refuse(Event::Consent(ConsentEvent {
        evidence: None,
        ..c.clone()
    }));
    assert_eq!(
        r,
        Refusal::ConsentNeedsEvidence {
            household: "0048".into()
        }
    );
    let r = h.refuse(Event::Consent(ConsentEvent {
        evidence: None,
        sheet_page: Some(0),
        ..c.clone()
    }));
    assert_eq!(r, Refusal::BadPages { first: 0, last: 0 });
    h.ok(Event::Consent(ConsentEvent {
        evidence: None,
        sheet_page: Some(1),
        ..c
    }));
}

#[test]
fn resolve_lists_exactly_the_missing_and_objecting_households() {
    let (mut h, id, date) = opened();
    all_but(&mut h, &id, date, &["0003", "0017", "0049"]);
    h.ok(Event::Consent(h.objecting(&id, "0049", date)));
    let r = h.refuse(Event::Resolution(h.resolution(&id, date)));
    assert_eq!(
        r,
        Refusal::ConsultationIncomplete {
            id: id.clone(),
            adults: false,
            in_scope: 50,
            consented: 47,
            objected: vec!["0049".into()],
            missing: vec!["0003".into(), "0017".into()],
            no_evidence: vec![],
            uncovered_pages: vec![],
            required: None,
        }
    );
}

#[test]
fn a_later_consent_supersedes_an_objection_and_vice_versa() {
    let (mut h, id, date) = opened();
    all_but(&mut h, &id, date, &["0049"]);
    h.ok(Event::Consent(h.objecting(&id, "0049", date)));
    assert!(matches!(
        h.check(&Event::Resolution(h.resolution(&id, date))),
        Err(Refusal::ConsultationIncomplete { .. })
    ));
    let later = date + Duration::days(3);
    h.ok(Event::Consent(h.consent(&id, "0049", later)));
    let t = h.matter(&id).current_round().unwrap().tally();
    assert_eq!((t.consented, t.objected.len()), (50, 0));
    // and a consent can be withdrawn by a later objection
    let mut g = h.clone();
    g.ok(Event::Consent(g.objecting(&id, "0001", later)));
    assert_eq!(
        g.matter(&id).current_round().unwrap().tally().objected,
        vec!["0001".to_string()]
    );
    h.ok(Event::Resolution(h.resolution(&id, later)));
}

#[test]
fn a_sheet_page_consent_counts_only_when_the_sheet_is_attached() {
    let (mut h, id, date) = opened();
    all_but(&mut h, &id, date, &["0020", "0021"]);
    for (household, page) in [("0020", 3), ("0021", 7)] {
        let c = ConsentEvent {
            evidence: None,
            sheet_page: Some(page),
            ..h.consent(&id, household, date)
        };
        h.ok(Event::Consent(c));
    }
    let incomplete =
        |consented, no_evidence: &[&str], pages: &[u32]| Refusal::ConsultationIncomplete {
            id: id.clone(),
            adults: false,
            in_scope: 50,
            consented,
            objected: vec![],
            missing: vec![],
            no_evidence: no_evidence.iter().map(|s| s.to_string()).collect(),
            uncovered_pages: pages.to_vec(),
            required: None,
        };
    let r = h.refuse(Event::Resolution(h.resolution(&id, date)));
    assert_eq!(r, incomplete(48, &["0020", "0021"], &[3, 7]));
    // pages 1–2 do not cover page 3; 3–5 does; 7 is still uncovered
    h.ok(Event::Sheet(h.sheet(&id, 1, 2, date)));
    h.ok(Event::Sheet(h.sheet(&id, 3, 5, date)));
    let r = h.refuse(Event::Resolution(h.resolution(&id, date)));
    assert_eq!(r, incomplete(49, &["0021"], &[7]));
    h.ok(Event::Sheet(h.sheet(&id, 6, 7, date)));
    h.ok(Event::Resolution(h.resolution(&id, date)));
}

#[test]
fn sheet_page_ranges_must_be_sensible() {
    let (mut h, id, date) = opened();
    let r = h.refuse(Event::Sheet(h.sheet(&id, 0, 3, date)));
    assert_eq!(r, Refusal::BadPages { first: 0, last: 3 });
    let r = h.refuse(Event::Sheet(h.sheet(&id, 5, 4, date)));
    assert_eq!(r, Refusal::BadPages { first: 5, last: 4 });
    h.ok(Event::Sheet(h.sheet(&id, 4, 4, date)));
}

#[test]
fn a_household_leaves_scope_only_by_a_roster_change_with_a_reason() {
    let (mut h, id, date) = opened();
    all_but(&mut h, &id, date, &["0050"]);
    let moved = |h: &H, reason| {
        h.roster_update(&date.to_string(), reason, "0050", "村民0050", |p| {
            p.status = Status::MovedOut
        })
    };
    for reason in [None, Some(" ")] {
        let r = h.refuse(moved(&h, reason));
        assert_eq!(
            r,
            Refusal::ScopeLeftWithoutReason {
                id: id.clone(),
                households: vec!["0050".into()]
            }
        );
    }
    h.ok(moved(&h, Some("全户迁出")));
    let round = h.matter(&id).current_round().unwrap();
    assert_eq!(round.left.get("0050").map(String::as_str), Some("全户迁出"));
    assert_eq!(round.scope.len(), 50, "the snapshot itself is kept");
    let t = round.tally();
    assert_eq!((t.in_scope, t.consented), (49, 49));
    // Refused as one that left, with the change's reason (it said "not in the scope fixed
    // when the round opened", which it was).
    let r = h.refuse(Event::Consent(h.consent(&id, "0050", date)));
    assert_eq!(
        r,
        Refusal::LeftScope {
            id: id.clone(),
            household: "0050".into(),
            reason: "全户迁出".into(),
        }
    );
    assert!(crate::i18n::rules::refusal(&r, crate::i18n::Lang::Zh).contains("离开了范围"));
    h.ok(Event::Resolution(h.resolution(&id, date)));
}

#[test]
fn a_roster_change_that_keeps_the_household_active_needs_no_reason() {
    let (mut h, id, date) = opened();
    // one of two members of household 0012 moves out: the household stays in scope
    h.ok(
        h.roster_update(&date.to_string(), None, "0012", "外出妻", |p| {
            p.status = Status::MovedOut
        }),
    );
    assert_eq!(h.matter(&id).current_round().unwrap().tally().in_scope, 50);
}

#[test]
fn scope_changes_do_not_touch_matters_outside_consultation() {
    let (mut h, id, date) = opened();
    let other = h.drive(Stage::Review);
    h.ok(Event::Withdraw(h.reason(&id, date, "撤回")));
    // nothing is in consultation any more: no reason needed
    h.ok(
        h.roster_update(&date.to_string(), None, "0050", "村民0050", |p| {
            p.status = Status::MovedOut
        }),
    );
    assert!(h.matter(&id).current_round().unwrap().left.is_empty());
    // the next consultation's scope no longer has 0050
    let o = h.open(&other, h.next_date(&other));
    assert_eq!(o.households.len(), 49);
    h.ok(Event::ConsultOpen(o));
}

#[test]
fn records_are_for_the_current_round_only() {
    let (mut h, id, date) = opened();
    let c = h.consent(&id, "0001", date);
    let r = h.refuse(Event::Consent(ConsentEvent { round: 2, ..c }));
    assert_eq!(
        r,
        Refusal::RoundMismatch {
            id: id.clone(),
            round: 2,
            expected: 1
        }
    );
    let r = h.refuse(Event::Sheet(SheetEvent {
        round: 0,
        ..h.sheet(&id, 1, 1, date)
    }));
    assert_eq!(
        r,
        Refusal::RoundMismatch {
            id: id.clone(),
            round: 0,
            expected: 1
        }
    );
}

#[test]
fn removing_a_household_from_the_roster_is_leaving_scope_too() {
    let (mut h, id, date) = opened();
    let remove = |reason: Option<&str>| {
        Event::Roster(RosterEvent {
            date,
            reason: reason.map(str::to_string),
            changes: vec![RosterChange::Remove {
                household: "0049".into(),
                name: "村民0049".into(),
            }],
            returns: Default::default(),
        })
    };
    let r = h.refuse(remove(None));
    assert_eq!(
        r,
        Refusal::ScopeLeftWithoutReason {
            id: id.clone(),
            households: vec!["0049".into()]
        }
    );
    h.ok(remove(Some("并户")));
    all_but(&mut h, &id, date, &["0049"]);
    h.ok(Event::Resolution(h.resolution(&id, date)));
}

/// A household that left by a roster change and is brought back by a later one (a move-out
/// corrected) comes back into scope only when that entry says so (`returns`, written since
/// session 22): an entry without it (an earlier liuyi's) keeps it out, as it was kept; an
/// entry that names one that never left, or is not active again, is refused.
#[test]
fn a_household_comes_back_into_scope_only_when_the_roster_entry_says_so() {
    let (mut h, id, date) = opened();
    let change = |changes: Vec<RosterChange>, returns: &[&str]| {
        let mut map = std::collections::BTreeMap::new();
        if !returns.is_empty() {
            map.insert(id.clone(), returns.iter().map(|s| s.to_string()).collect());
        }
        Event::Roster(RosterEvent {
            date,
            reason: Some("更正".into()),
            changes,
            returns: map,
        })
    };
    h.ok(change(
        vec![RosterChange::Remove {
            household: "0049".into(),
            name: head_name("0049"),
        }],
        &[],
    ));
    let back = vec![RosterChange::Add {
        person: head("0049"),
    }];
    // Named as returning where it never left, or before it is active again: refused.
    assert_eq!(
        h.refuse(change(back.clone(), &["0048"])),
        Refusal::NotReturning {
            id: id.clone(),
            household: "0048".into()
        }
    );
    let other = vec![RosterChange::Add {
        person: head("0051"),
    }];
    assert_eq!(
        h.refuse(change(other.clone(), &["0049"])),
        Refusal::NotReturning {
            id: id.clone(),
            household: "0049".into()
        }
    );
    // Active again, the entry silent (as an earlier liuyi wrote it): still out of scope.
    h.ok(change(back, &[]));
    assert!(matches!(
        h.refuse(Event::Consent(h.consent(&id, "0049", date))),
        Refusal::LeftScope { .. }
    ));
    // A later entry that says so brings it back: its opinion is needed for the 100 %.
    h.ok(change(other, &["0049"]));
    all_but(&mut h, &id, date, &["0049"]);
    assert!(matches!(
        h.refuse(Event::Resolution(h.resolution(&id, date))),
        Refusal::ConsultationIncomplete { .. }
    ));
    h.ok(Event::Consent(h.consent(&id, "0049", date)));
    h.ok(Event::Resolution(h.resolution(&id, date)));
}

// ----- 民议 counting adults (SPEC §3: the policy chooses households or adults) -----

/// A matter at 审议 in a village whose policy has 民议 ask each adult; its round opened.
fn opened_for_adults() -> (H, String, NaiveDate) {
    let mut h = H::new();
    h.policy_early(
        crate::rules::Policy {
            consultation_unit: crate::rules::policy::ConsultationUnit::Adults,
            ..crate::rules::Policy::default()
        },
        "村民会议决定民议逐人征求意见",
    );
    let id = h.drive(Stage::Review);
    let date = h.next_date(&id);
    h.ok(Event::ConsultOpen(h.open(&id, date)));
    (h, id, date)
}

/// `household`'s adult `name` consents in person.
fn adult_consent(h: &H, id: &str, household: &str, name: &str, date: NaiveDate) -> ConsentEvent {
    ConsentEvent {
        person: Some(name.into()),
        signer: name.into(),
        ..h.consent(id, household, date)
    }
}

/// The head of each of the 50 households consents in person (for themself).
fn every_head_consents(h: &mut H, id: &str, date: NaiveDate) {
    for i in 1..=50 {
        let c = adult_consent(h, id, &hh(i), &head_name(&hh(i)), date);
        h.ok(Event::Consent(c));
    }
}

#[test]
fn counting_adults_the_scope_is_every_adult_of_an_active_household() {
    let (h, id, _) = opened_for_adults();
    let r = h.matter(&id).current_round().unwrap();
    assert!(r.adults);
    // 50 heads and the spouse away from 0012; not the child of 0011 nor the member of 0010
    // who turns 18 only on BIRTHDAY, nor the deceased or moved out.
    assert_eq!(r.in_scope().count(), 51);
    assert!(r.scope.contains("0012:外出妻") && r.scope.contains("0001:村民0001"));
    assert!(!r.scope.contains("0011:小孩") && !r.scope.contains("0010:满十八"));
}

#[test]
fn counting_adults_each_adult_must_consent_before_resolving() {
    let (mut h, id, date) = opened_for_adults();
    every_head_consents(&mut h, &id, date);
    // Every household has consented through its head; the spouse of 0012 has not.
    let r = h.refuse(Event::Resolution(h.resolution(&id, date)));
    assert_eq!(
        r,
        Refusal::ConsultationIncomplete {
            id: id.clone(),
            adults: true,
            in_scope: 51,
            consented: 50,
            objected: vec![],
            missing: vec!["0012:外出妻".into()],
            no_evidence: vec![],
            uncovered_pages: vec![],
            required: None,
        }
    );
    // A household member may sign for her; it is her record, not the head's.
    h.ok(Event::Consent(ConsentEvent {
        method: Method::SameHousehold,
        ..adult_consent(&h, &id, "0012", "外出妻", date)
    }));
    let t = h.matter(&id).current_round().unwrap().tally();
    assert_eq!((t.in_scope, t.consented, t.adults), (51, 51, true));
    h.ok(Event::Resolution(h.resolution(&id, date)));
}

#[test]
fn counting_adults_a_record_names_the_adult_and_in_person_the_adult_signs() {
    let (mut h, id, date) = opened_for_adults();
    // The household alone: whose opinion is it?
    let r = h.refuse(Event::Consent(h.consent(&id, "0012", date)));
    assert_eq!(
        r,
        Refusal::ConsultationUnitMismatch {
            id: id.clone(),
            adults: true,
            household: "0012".into()
        }
    );
    // In person, the head cannot sign as the spouse.
    let r = h.refuse(Event::Consent(ConsentEvent {
        signer: head_name("0012"),
        ..adult_consent(&h, &id, "0012", "外出妻", date)
    }));
    assert_eq!(
        r,
        Refusal::SignerNotThePerson {
            household: "0012".into(),
            person: "外出妻".into(),
            signer: head_name("0012"),
        }
    );
    // A child is not in scope.
    let r = h.refuse(Event::Consent(adult_consent(&h, &id, "0011", "小孩", date)));
    assert_eq!(
        r,
        Refusal::NotInScope {
            id: id.clone(),
            household: "0011:小孩".into(),
            meant: None,
        }
    );
}

#[test]
fn counting_households_a_record_may_not_name_a_person() {
    let (mut h, id, date) = opened();
    let r = h.refuse(Event::Consent(adult_consent(
        &h,
        &id,
        "0001",
        &head_name("0001"),
        date,
    )));
    assert_eq!(
        r,
        Refusal::ConsultationUnitMismatch {
            id: id.clone(),
            adults: false,
            household: "0001".into()
        }
    );
}

#[test]
fn an_opening_must_list_the_adults_exactly_when_the_policy_counts_them() {
    let (mut h, _, _) = opened_for_adults();
    // A second matter at 审议, to open.
    let other = h.drive(Stage::Review);
    let day = h.next_date(&other);
    let mut o = h.open(&other, day);
    let listed = o.adults.len();
    o.adults.pop();
    let r = h.refuse(Event::ConsultOpen(o.clone()));
    assert_eq!(
        r,
        Refusal::AdultsScopeMismatch {
            id: other.clone(),
            recorded: listed - 1,
            roster: listed,
        }
    );
    o.adults.clear();
    assert!(matches!(
        h.refuse(Event::ConsultOpen(o)),
        Refusal::AdultsScopeMismatch { recorded: 0, .. }
    ));
    // Under the default policy, an opening that lists adults is refused too.
    let (mut g, id, date) = at_review();
    let mut o = g.open(&id, date);
    o.adults = vec!["0001:村民0001".into()];
    assert!(matches!(
        g.refuse(Event::ConsultOpen(o)),
        Refusal::AdultsScopeMismatch {
            recorded: 1,
            roster: 0,
            ..
        }
    ));
}

#[test]
fn counting_adults_an_adult_who_moves_out_leaves_scope_with_the_reason() {
    let (mut h, id, date) = opened_for_adults();
    let mut gone = person("0012", "外出妻", "配偶", "1975-01-01");
    gone.status = Status::MovedOut;
    let change = |reason: Option<&str>| {
        Event::Roster(RosterEvent {
            date,
            reason: reason.map(str::to_string),
            changes: vec![RosterChange::Update {
                person: gone.clone(),
            }],
            returns: Default::default(),
        })
    };
    // Her household stays active (its head): still, she leaves scope, so a reason is due.
    assert_eq!(
        h.refuse(change(None)),
        Refusal::ScopeLeftWithoutReason {
            id: id.clone(),
            households: vec!["0012:外出妻".into()]
        }
    );
    h.ok(change(Some("迁出")));
    let r = h.matter(&id).current_round().unwrap();
    assert_eq!(r.left.get("0012:外出妻").map(String::as_str), Some("迁出"));
    assert_eq!(r.in_scope().count(), 50);
    every_head_consents(&mut h, &id, date);
    h.ok(Event::Resolution(h.resolution(&id, date)));
}

// ----- a new household number is no leaving (rules of 2026-12-03, SPEC §1) -----

/// A roster entry that moves `name` of household `from` to household `to` (as `roster
/// import` records it: taken out of one, added to the other, same name and birth date).
fn moved(h: &H, date: NaiveDate, from: &str, name: &str, to: &str, relation: &str) -> Event {
    let mut p = h.person(from, name);
    p.household = to.into();
    p.relation = relation.into();
    Event::Roster(RosterEvent {
        date,
        reason: Some("户号重编".into()),
        changes: vec![
            RosterChange::Add { person: p },
            RosterChange::Remove {
                household: from.into(),
                name: name.into(),
            },
        ],
        returns: Default::default(),
    })
}

#[test]
fn an_objecting_household_does_not_leave_scope_by_a_new_number() {
    let (mut h, id, date) = opened();
    all_but(&mut h, &id, date, &["0050", "0049", "0048"]);
    h.ok(Event::Consent(h.objecting(&id, "0050", date)));
    // Renumbered: still in the village, and its objection stands.
    let r = h.refuse(moved(&h, date, "0050", "村民0050", "0051", "户主"));
    assert_eq!(
        r,
        Refusal::ScopeLeftByMove {
            id: id.clone(),
            round: 1,
            key: "0050".into(),
            person: "0050:村民0050".into(),
            to: "0051".into(),
            objected: true,
        }
    );
    // Merged into a household of the scope: the objection stands all the same.
    let r = h.refuse(moved(&h, date, "0050", "村民0050", "0001", "兄弟"));
    assert!(
        matches!(r, Refusal::ScopeLeftByMove { ref to, objected: true, .. } if to == "0001"),
        "{r:?}"
    );
    // Not asked yet and renumbered: asked under its number first.
    let r = h.refuse(moved(&h, date, "0049", "村民0049", "0052", "户主"));
    assert!(
        matches!(r, Refusal::ScopeLeftByMove { ref key, objected: false, .. } if key == "0049"),
        "{r:?}"
    );
    // Not asked, merged into a household of the scope: that household speaks for it.
    h.ok(moved(&h, date, "0049", "村民0049", "0001", "兄弟"));
    // A household that consented may take a new number: its consent stays recorded.
    h.ok(moved(&h, date, "0047", "村民0047", "0053", "户主"));
    // Nor is it deleted from the roster as an entry made in error: it signed.
    let deleted = Event::Roster(RosterEvent {
        date,
        reason: Some("录入错误".into()),
        changes: vec![RosterChange::Remove {
            household: "0050".into(),
            name: "村民0050".into(),
        }],
        returns: Default::default(),
    });
    assert_eq!(
        h.refuse(deleted),
        Refusal::ObjectorDeleted {
            id: id.clone(),
            round: 1,
            key: "0050".into(),
            person: "0050:村民0050".into(),
        }
    );
    // The objecting household moving out of the village leaves as SPEC §1 says.
    h.ok(h.roster_update(
        &date.to_string(),
        Some("全户迁出"),
        "0050",
        "村民0050",
        |p| p.status = Status::MovedOut,
    ));
    let round = h.matter(&id).current_round().unwrap();
    assert_eq!(
        round.left.keys().map(String::as_str).collect::<Vec<_>>(),
        ["0047", "0049", "0050"]
    );
}

#[test]
fn an_adult_who_objected_does_not_leave_scope_by_moving_to_another_household() {
    let (mut h, id, date) = opened_for_adults();
    let c = ConsentEvent {
        opinion: Opinion::Object,
        reason: Some("不同意占地".into()),
        ..adult_consent(&h, &id, "0050", "村民0050", date)
    };
    h.ok(Event::Consent(c));
    let r = h.refuse(moved(&h, date, "0050", "村民0050", "0051", "户主"));
    assert_eq!(
        r,
        Refusal::ScopeLeftByMove {
            id,
            round: 1,
            key: "0050:村民0050".into(),
            person: "0050:村民0050".into(),
            to: "0051".into(),
            objected: true,
        }
    );
}

#[test]
fn a_record_kept_before_the_rule_replays_as_it_did() {
    // An entry stamped before 2026-12-03 (China time) is judged by the rules it was
    // recorded under: the renumbering took the objecting household out of scope then.
    // Stamped from that day on, the same entry is refused.
    let at = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
    for (now, refused) in [
        ("2026-12-02T23:59:59+08:00", false),
        ("2026-12-03T00:00:00+08:00", true),
    ] {
        let mut h = H::new();
        h.now = at(now);
        let id = h.drive(Stage::Review);
        let date = h.next_date(&id);
        h.ok(Event::ConsultOpen(h.open(&id, date)));
        h.ok(Event::Consent(h.objecting(&id, "0050", date)));
        let e = moved(&h, date, "0050", "村民0050", "0051", "户主");
        if refused {
            assert!(
                matches!(h.refuse(e), Refusal::ScopeLeftByMove { objected: true, .. }),
                "{now}"
            );
        } else {
            h.ok(e);
            let round = h.matter(&id).current_round().unwrap();
            assert!(round.left.contains_key("0050"), "{now}");
        }
    }
}

#[test]
fn the_consent_share_is_not_changed_while_a_round_is_open() {
    // A review lowered the share to four fifths once a household had objected, and the
    // matter resolved over the objection.
    let (mut h, id, date) = opened();
    all_but(&mut h, &id, date, &["0050"]);
    h.ok(Event::Consent(h.objecting(&id, "0050", date)));
    let policy = |share| {
        Event::Policy(crate::rules::event::PolicyEvent {
            policy: crate::rules::Policy {
                consultation_consent: share,
                min_posting_days: 20,
                ..crate::rules::Policy::default()
            },
            reason: Some("村民会议决定".into()),
        })
    };
    let four_fifths = crate::rules::policy::Threshold {
        num: 4,
        den: 5,
        strict: false,
    };
    let r = h.refuse(policy(four_fifths));
    assert_eq!(
        r,
        Refusal::ConsentShareDuringRound {
            id: id.clone(),
            round: 1,
            from: crate::rules::Policy::default().consultation_consent,
            to: four_fifths,
        }
    );
    // Other rules may change; the share as it is.
    h.ok(policy(crate::rules::Policy::default().consultation_consent));
    // Once the round is over (revised back to 商议), the share may change too.
    h.ok(Event::Revise(h.reason(&id, date, "线路调整")));
    h.ok(policy(four_fifths));
}

#[test]
fn a_household_does_not_leave_scope_by_a_new_number_in_several_steps() {
    // A second review took households out of scope in steps each allowed alone.
    let (mut h, id, date) = opened();
    all_but(&mut h, &id, date, &["0050", "0049", "0048", "0047"]);
    h.ok(Event::Consent(h.objecting(&id, "0050", date)));
    let add = |h: &H, household: &str, name: &str| {
        let mut p = h.person("0001", "村民0001");
        p.household = household.into();
        p.name = name.into();
        Event::Roster(RosterEvent {
            date,
            reason: None,
            changes: vec![RosterChange::Add { person: p }],
            returns: Default::default(),
        })
    };
    // The objector moves to a new number while a newcomer keeps the household on the
    // roster; the newcomer then moves out: the household would leave with its people, as
    // the round opened, still in the village.
    h.ok(add(&h, "0050", "新人"));
    h.ok(moved(&h, date, "0050", "村民0050", "0051", "户主"));
    let r = h.refuse(
        h.roster_update(&date.to_string(), Some("迁出"), "0050", "新人", |p| {
            p.status = Status::MovedOut
        }),
    );
    assert_eq!(
        r,
        Refusal::ScopeLeftByMove {
            id: id.clone(),
            round: 1,
            key: "0050".into(),
            person: "0050:村民0050".into(),
            to: "0051".into(),
            objected: true,
        }
    );
    // Taken off as an error (allowed: it was not asked), then entered under a new number.
    h.ok(Event::Roster(RosterEvent {
        date,
        reason: Some("录入错误".into()),
        changes: vec![RosterChange::Remove {
            household: "0049".into(),
            name: "村民0049".into(),
        }],
        returns: Default::default(),
    }));
    let was = {
        let mut p = crate::rules::tests::village()
            .into_iter()
            .find(|p| p.household == "0049")
            .unwrap();
        p.household = "0052".into();
        p
    };
    let r = h.refuse(Event::Roster(RosterEvent {
        date,
        reason: None,
        changes: vec![RosterChange::Add { person: was }],
        returns: Default::default(),
    }));
    assert_eq!(
        r,
        Refusal::ScopeReturnElsewhere {
            id: id.clone(),
            round: 1,
            key: "0049".into(),
            person: "0049:村民0049".into(),
            to: "0052".into(),
        }
    );
    // Merged into a household of the scope (allowed), then split off under a new number.
    h.ok(moved(&h, date, "0048", "村民0048", "0001", "兄弟"));
    let r = h.refuse(moved(&h, date, "0001", "村民0048", "0053", "户主"));
    assert!(
        matches!(r, Refusal::ScopeReturnElsewhere { ref key, ref to, .. } if key == "0048" && to == "0053"),
        "{r:?}"
    );
    // A consent whose sheet page no scan covers is no consent on record: renumbered, it
    // would have left the tally's "no evidence" behind.
    let unproved = ConsentEvent {
        evidence: None,
        sheet_page: Some(99),
        ..h.consent(&id, "0047", date)
    };
    h.ok(Event::Consent(unproved));
    let r = h.refuse(moved(&h, date, "0047", "村民0047", "0054", "户主"));
    assert!(
        matches!(r, Refusal::ScopeLeftByMove { ref key, objected: false, .. } if key == "0047"),
        "{r:?}"
    );
}

/// A household's objection stands until the household itself takes it back on or after the
/// day it objected: a consent dated before it, or by a proxy, does not replace it (rules of
/// 2026-12-03); in a round of adults, nor does a member signing for the villager.
#[test]
fn an_objection_is_taken_back_only_by_the_household_on_or_after_its_day() {
    use crate::rules::refusal::ObjectionWithdrawal;
    let (mut h, id, date) = opened();
    let objected = date + Duration::days(2);
    h.ok(Event::Consent(h.objecting(&id, "0049", objected)));
    let r = h.refuse(Event::Consent(h.consent(&id, "0049", date)));
    assert_eq!(
        r,
        Refusal::ObjectionStands {
            id: id.clone(),
            household: "0049".into(),
            objected,
            problem: ObjectionWithdrawal::Earlier { date },
        }
    );
    let later = objected + Duration::days(1);
    let r = h.refuse(Event::Consent(ConsentEvent {
        signer: "外人".into(),
        method: Method::Proxy,
        relation: Some("亲戚".into()),
        ..h.consent(&id, "0049", later)
    }));
    assert!(
        matches!(
            r,
            Refusal::ObjectionStands {
                problem: ObjectionWithdrawal::NotByItself {
                    method: Method::Proxy,
                    ..
                },
                ..
            }
        ),
        "{r:?}"
    );
    // Nor does a proxy's objection put in its place, making the proxy the one who objected
    // (then free to take it back).
    let r = h.refuse(Event::Consent(ConsentEvent {
        signer: "外人".into(),
        method: Method::Proxy,
        relation: Some("亲戚".into()),
        opinion: Opinion::Object,
        reason: Some("我也反对".into()),
        evidence: None,
        ..h.consent(&id, "0049", later)
    }));
    assert!(
        matches!(
            r,
            Refusal::ObjectionStands {
                problem: ObjectionWithdrawal::NotByItself { .. },
                ..
            }
        ),
        "{r:?}"
    );
    // A consent replaced by an earlier-dated one is still a date's correction.
    h.ok(Event::Consent(h.consent(&id, "0048", later)));
    h.ok(Event::Consent(h.consent(&id, "0048", date)));
    // The household's own consent, on or after the day: the objection is taken back.
    h.ok(Event::Consent(h.consent(&id, "0049", objected)));
    let round = h.matter(&id).current_round().unwrap();
    assert_eq!(round.records["0049"].opinion, Opinion::Consent);
    // Its day stays the floor: the consent "corrected" to a day before the objection (the
    // matter resolved before it was made) is refused, as is the objection re-dated.
    let r = h.refuse(Event::Consent(h.consent(&id, "0049", date)));
    assert!(
        matches!(
            r,
            Refusal::ObjectionStands {
                problem: ObjectionWithdrawal::Earlier { .. },
                ..
            }
        ),
        "{r:?}"
    );
    h.ok(Event::Consent(h.objecting(&id, "0049", later)));
    let r = h.refuse(Event::Consent(h.objecting(&id, "0049", objected)));
    assert!(matches!(r, Refusal::ObjectionStands { .. }), "{r:?}");
}

#[test]
fn a_villagers_objection_is_not_taken_back_by_another_member() {
    use crate::rules::refusal::ObjectionWithdrawal;
    let (mut h, id, date) = opened_for_adults();
    let round = h.matter(&id).current_round().unwrap().clone();
    // A household with two adults in scope: one objects, the other signs for them.
    let keys: Vec<&String> = round.in_scope().collect();
    let (key, other) = keys
        .windows(2)
        .find_map(|w| {
            let (a, b) = (w[0].split_once(':')?, w[1].split_once(':')?);
            (a.0 == b.0).then(|| (w[0].clone(), b.1.to_string()))
        })
        .unwrap();
    let (hh, name) = key.split_once(':').unwrap();
    let own = |h: &H, date| ConsentEvent {
        person: Some(name.into()),
        signer: name.into(),
        ..h.consent(&id, hh, date)
    };
    h.ok(Event::Consent(ConsentEvent {
        opinion: Opinion::Object,
        reason: Some("不同意".into()),
        evidence: None,
        ..own(&h, date)
    }));
    let r = h.refuse(Event::Consent(ConsentEvent {
        method: Method::SameHousehold,
        signer: other.clone(),
        ..own(&h, date)
    }));
    assert!(
        matches!(
            r,
            Refusal::ObjectionStands {
                problem: ObjectionWithdrawal::NotByItself {
                    method: Method::SameHousehold,
                    ..
                },
                ..
            }
        ),
        "{r:?}"
    );
    // Nor an objection of that member's own, which would let them take it back after.
    let r = h.refuse(Event::Consent(ConsentEvent {
        method: Method::SameHousehold,
        signer: other.clone(),
        opinion: Opinion::Object,
        reason: Some("代为反对".into()),
        evidence: None,
        ..own(&h, date)
    }));
    assert!(matches!(r, Refusal::ObjectionStands { .. }), "{r:?}");
    h.ok(Event::Consent(own(&h, date)));
}
