//! Every stage × every action, driven from the table in `stage.rs`, each stage reached by
//! real events.

use super::*;

/// The stage a matter is at after `action` is accepted at `from`.
fn stage_after(action: Action, from: Stage) -> Stage {
    match action {
        Action::Propose => Stage::Proposal,
        Action::Discuss => Stage::Discussion,
        Action::Review => Stage::Review,
        Action::ConsultOpen => Stage::Consultation,
        Action::Resolve => Stage::Resolution,
        Action::PublishResolution => Stage::ResolutionPublished,
        Action::PublishResult => Stage::ResultPublished,
        Action::Implement => Stage::Implementation,
        Action::Complete => Stage::Completed,
        Action::Revise => Stage::Proposal,
        Action::Withdraw => Stage::Withdrawn,
        Action::ConsultRecord | Action::ConsultAttach | Action::Objection | Action::Reply => from,
    }
}

#[test]
fn every_stage_by_every_action() {
    let mut pairs = 0;
    for stage in Stage::ALL {
        let mut base = H::new();
        let id = base.drive(stage);
        for action in Action::ALL {
            let mut h = base.clone();
            if action == Action::Reply && action.allowed(stage) {
                // A reply needs an objection to answer. Objections are allowed where
                // replies are, but for a withdrawn matter: there, one made while the
                // resolution was posted, before the withdrawal.
                if stage == Stage::Withdrawn {
                    h = H::new();
                    assert_eq!(h.drive(Stage::ResolutionPublished), id);
                    let date = h.next_date(&id);
                    h.ok(Event::Objection(h.objection(&id, date)));
                    let withdraw = h.action_event(&id, Action::Withdraw);
                    h.ok(withdraw);
                } else {
                    let date = h.next_date(&id);
                    h.ok(Event::Objection(h.objection(&id, date)));
                }
            }
            let e = h.action_event(&id, action);
            if action.allowed(stage) {
                if let Err(r) = h.check(&e) {
                    panic!("{action:?} at {stage:?} should be allowed, refused {r:?}");
                }
                h.ok(e);
                assert_eq!(
                    h.stage(&id),
                    stage_after(action, stage),
                    "{action:?} at {stage:?}"
                );
            } else {
                let r = h.refuse(e);
                let already_published = match action {
                    Action::PublishResolution => {
                        h.matter(&id).published(NoticeKind::Resolution).is_some()
                    }
                    Action::PublishResult => h.matter(&id).published(NoticeKind::Result).is_some(),
                    _ => false,
                };
                if already_published {
                    // Publishing twice says so rather than naming the stage.
                    assert!(
                        matches!(r, Refusal::AlreadyPublished { .. }),
                        "{action:?} at {stage:?}: {r:?}"
                    );
                } else {
                    assert_eq!(
                        r,
                        Refusal::WrongStage {
                            id: id.clone(),
                            stage,
                            action
                        },
                        "{action:?} at {stage:?}"
                    );
                }
            }
            pairs += 1;
        }
    }
    assert_eq!(pairs, Stage::ALL.len() * Action::ALL.len());
}

#[test]
fn every_stage_is_reachable_and_only_closed_stages_are_dead_ends() {
    for stage in Stage::ALL {
        let mut h = H::new();
        let id = h.drive(stage);
        let any_allowed = Action::ALL.iter().any(|a| a.allowed(stage));
        // ResultPublished still takes objections and replies, Withdrawn replies to the
        // objections made before; both are closed.
        assert_eq!(
            stage.is_closed(),
            !any_allowed || matches!(stage, Stage::ResultPublished | Stage::Withdrawn),
            "{stage:?}"
        );
        // The last step names the stage it recorded; a decline is recorded as the meeting
        // (提议) that declined.
        let last = h.matter(&id).steps.last().unwrap().stage;
        let want = if stage == Stage::Declined {
            Stage::Proposal
        } else {
            stage
        };
        assert_eq!(last, want, "{stage:?}");
    }
}

#[test]
fn an_unknown_matter_is_refused_for_every_action() {
    let mut h = H::new();
    let id = h.drive(Stage::Consultation);
    for action in Action::ALL {
        let mut e = h.action_event(&id, action);
        // Re-address the event to a matter that does not exist.
        let mut v = serde_json::to_value(&e).unwrap();
        v["body"]["id"] = "2026-999".into();
        e = serde_json::from_value(v).unwrap();
        assert_eq!(
            h.refuse(e),
            Refusal::UnknownMatter {
                id: "2026-999".into()
            },
            "{action:?}"
        );
    }
}
