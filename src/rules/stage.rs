//! Stages of a matter, the actions that move it, and the meetings that decide — with the
//! stored spellings SPEC §4 fixes and the table of which action is allowed at which stage.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Motion,
    Proposal,
    Discussion,
    Review,
    Consultation,
    Resolution,
    ResolutionPublished,
    Implementation,
    Completed,
    ResultPublished,
    Declined,
    Withdrawn,
}

impl Stage {
    pub const ALL: [Stage; 12] = [
        Stage::Motion,
        Stage::Proposal,
        Stage::Discussion,
        Stage::Review,
        Stage::Consultation,
        Stage::Resolution,
        Stage::ResolutionPublished,
        Stage::Implementation,
        Stage::Completed,
        Stage::ResultPublished,
        Stage::Declined,
        Stage::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Motion => "motion",
            Stage::Proposal => "proposal",
            Stage::Discussion => "discussion",
            Stage::Review => "review",
            Stage::Consultation => "consultation",
            Stage::Resolution => "resolution",
            Stage::ResolutionPublished => "resolution_published",
            Stage::Implementation => "implementation",
            Stage::Completed => "completed",
            Stage::ResultPublished => "result_published",
            Stage::Declined => "declined",
            Stage::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// A matter at this stage is finished: nothing more can be recorded for it.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Stage::ResultPublished | Stage::Declined | Stage::Withdrawn
        )
    }
}

/// What a command asks to do to a matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Propose,
    Discuss,
    Review,
    ConsultOpen,
    ConsultRecord,
    ConsultAttach,
    Resolve,
    PublishResolution,
    PublishResult,
    Objection,
    Reply,
    Implement,
    Complete,
    Revise,
    Withdraw,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::Propose,
        Action::Discuss,
        Action::Review,
        Action::ConsultOpen,
        Action::ConsultRecord,
        Action::ConsultAttach,
        Action::Resolve,
        Action::PublishResolution,
        Action::PublishResult,
        Action::Objection,
        Action::Reply,
        Action::Implement,
        Action::Complete,
        Action::Revise,
        Action::Withdraw,
    ];

    /// The stages at which this action is allowed: the whole procedure in one table.
    pub fn allowed_at(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Action::Propose => &[Motion],
            Action::Discuss => &[Proposal],
            Action::Review => &[Discussion],
            Action::ConsultOpen => &[Review],
            Action::ConsultRecord | Action::ConsultAttach => &[Consultation],
            Action::Resolve => &[Consultation],
            Action::PublishResolution => &[Resolution],
            Action::Implement => &[ResolutionPublished, Implementation],
            // Recorded again once completed, before the result notice: the completion put
            // right or made whole (the supervision committee's opinion, given later); the
            // notice prints the last.
            Action::Complete => &[ResolutionPublished, Implementation, Completed],
            Action::PublishResult => &[Completed],
            Action::Objection => &[
                ResolutionPublished,
                Implementation,
                Completed,
                ResultPublished,
            ],
            // An objection made before the matter was withdrawn is still answered (the two
            // committees answer what the supervision channel took, village-law.md §1.5); a
            // new one is not taken.
            Action::Reply => &[
                ResolutionPublished,
                Implementation,
                Completed,
                ResultPublished,
                Withdrawn,
            ],
            Action::Revise => &[Discussion, Review, Consultation],
            Action::Withdraw => &[
                Motion,
                Proposal,
                Discussion,
                Review,
                Consultation,
                Resolution,
                ResolutionPublished,
                Implementation,
                Completed,
            ],
        }
    }

    pub fn allowed(self, stage: Stage) -> bool {
        self.allowed_at().contains(&stage)
    }
}

/// The body that meets at each step; the i18n module names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Meeting {
    /// 支委会 (提议)
    BranchCommittee,
    /// 两委联席会 (商议)
    TwoCommittees,
    /// 党员大会 (审议)
    PartyMembers,
    /// 村民代表会议 (决议)
    Representatives,
    /// 村民会议 (决议)
    Villagers,
}

/// What should happen next to a matter at `stage` (for `status`).
pub fn next_action(stage: Stage) -> Option<Action> {
    match stage {
        Stage::Motion => Some(Action::Propose),
        Stage::Proposal => Some(Action::Discuss),
        Stage::Discussion => Some(Action::Review),
        Stage::Review => Some(Action::ConsultOpen),
        Stage::Consultation => Some(Action::Resolve),
        Stage::Resolution => Some(Action::PublishResolution),
        Stage::ResolutionPublished | Stage::Implementation => Some(Action::Complete),
        Stage::Completed => Some(Action::PublishResult),
        Stage::ResultPublished | Stage::Declined | Stage::Withdrawn => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_spellings_are_the_spec_values() {
        for s in Stage::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn closed_stages_allow_nothing_but_objections_after_the_result_and_replies() {
        for a in Action::ALL {
            assert!(!a.allowed(Stage::Declined), "{a:?}");
            assert_eq!(a.allowed(Stage::Withdrawn), a == Action::Reply, "{a:?}");
            let after_result = a.allowed(Stage::ResultPublished);
            assert_eq!(
                after_result,
                matches!(a, Action::Objection | Action::Reply),
                "{a:?}"
            );
        }
    }

    #[test]
    fn the_next_action_is_always_allowed_where_it_is_proposed() {
        for s in Stage::ALL {
            if let Some(a) = next_action(s) {
                assert!(a.allowed(s), "{s:?} → {a:?}");
            } else {
                assert!(s.is_closed());
            }
        }
    }
}
