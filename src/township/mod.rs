//! The township's witness (SPEC §6, research §2.5): its own key (a file beside its register,
//! 0600, never overwritten) and a small register of villages (`register.rs`). It pins each
//! village's origin, genesis leaf hash and genesis key; cosigns (C2SP cosignature/v1) the
//! latest checkpoint of a bundle it verified, but only if the bundle's log extends the one it
//! last cosigned for that village, and the one `register` last verified (same root at the
//! old size, recomputed from the bundle's own entries); otherwise it refuses with a ROLLBACK or FORK report showing both
//! checkpoints. A bundle of a village registered before is checked the same way by
//! `register`, with the key pinned then. It also countersigns a lost-key rotation (`countersign`).

pub mod register;

use std::path::PathBuf;

/// A village's name, township and county, as its genesis entry names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VillageName {
    pub village: String,
    pub township: String,
    pub county: String,
}

impl VillageName {
    /// The names in `entry`, the genesis entry the register kept, when its bytes hash to the
    /// genesis leaf pinned (`leaf`, hex) and read as a genesis entry; else `None` (a row
    /// changed with another tool names nothing).
    pub fn of(entry: &[u8], leaf: &str) -> Option<VillageName> {
        if hex::encode(crate::record::merkle::leaf_hash(entry)) != leaf {
            return None;
        }
        match crate::log::Entry::parse(entry).ok()?.event {
            crate::rules::Event::Genesis(g) => Some(VillageName {
                village: g.village,
                township: g.township,
                county: g.county,
            }),
            _ => None,
        }
    }
}

/// One village as `township status` lists it.
pub struct StatusRow {
    /// As registered: `key` is the genesis key pinned then.
    pub village: register::Village,
    /// Its name, township and county (`None`: registered before the register kept its
    /// genesis entry, and no bundle of it seen since).
    pub name: Option<VillageName>,
    /// The key the last verified bundle ended with (the registered key before any).
    pub key_in_force: String,
    /// The size of the first verified bundle that ended with `key_in_force` (`None`: no
    /// bundle recorded since registration, in a register made before keys were kept).
    pub seen_since: Option<u64>,
    /// The checkpoint last cosigned.
    pub cosigned: Option<register::Cosigned>,
    /// The largest checkpoint a bundle `register` verified (with the one last cosigned, the
    /// baseline every later bundle must extend).
    pub verified: Option<register::Cosigned>,
}

/// Township usage problems (exit 2).
#[derive(Debug)]
pub enum TownshipUsage {
    NotInitialised(PathBuf),
    NotRegistered(String),
    BadRequest(String),
    /// `key rotate --lost --township-key`: a key (fingerprint) that is not the township's
    /// the record knows.
    NotTheTownship {
        given: String,
        expected: crate::check::TownshipExpected,
    },
    /// `checkpoint import --township-key`: a key that is not the township's the record
    /// knows (pinned, or whose cosignatures or countersignature it holds). The wrong key
    /// given, as another village's checkpoint is the wrong file: nothing imported.
    ImportNotTheTownship {
        given: String,
        expected: crate::check::TownshipExpected,
    },
    /// `checkpoint import`: the checkpoint carries no cosignature line by the township key
    /// (given, or pinned) at all: another cosigner's file, or the wrong key. A line by that
    /// key that fails to verify is a forgery instead (exit 4).
    ImportNoCosignatureBy {
        fingerprint: String,
    },
    /// `cosign` given a bundle of one year or one matter: the log in it is replayed whole,
    /// but only that scope's files and notices are in it and checked, and a cosignature
    /// vouches for the whole record at its size.
    /// A bundle of an already registered village given to `register` is checked against
    /// the last cosigned checkpoint as well, and needs the whole log for that.
    PartialBundle(crate::bundle::export::Scope, Asked),
    /// `key rotate --new-key`: a key file made for another village or the township (the
    /// name it carries is not this record's origin).
    NewKeyOfAnother {
        path: PathBuf,
        named: String,
        origin: String,
    },
    /// `key rotate --new-key`: the township's own key (pinned, or the key of a cosignature
    /// the record holds). A village holding it could cosign and countersign for itself.
    NewKeyIsTheTownships {
        path: PathBuf,
        fingerprint: String,
    },
    /// `checkpoint import --township-key`: a key this village signs or signed with.
    TownshipKeyIsTheVillages {
        fingerprint: String,
    },
    /// `township init --name`: empty, or with a space, `+` or a control character (the
    /// name signs every cosignature, in the C2SP note syntax, which allows none of them).
    BadName(String),
}

/// What the township was asked to do with a bundle it refuses (the refusal says which).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked {
    /// `township register` of a village registered before.
    Register,
    /// `township register` of a village not registered yet (it pins the village and keeps
    /// the checkpoint it verified as the baseline).
    RegisterNew,
    /// `township cosign`.
    Cosign,
}

/// Which checkpoint of the register a later bundle must extend: the larger of the last one
/// the township cosigned and the last one `register` verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Baseline {
    Cosigned,
    /// Verified by `township register` (at registration or a re-register), not cosigned.
    Registered,
}

/// Why the township refuses to cosign (exit 4).
#[derive(Debug, Clone)]
pub enum Freshness {
    Rollback {
        baseline: Baseline,
        origin: String,
        old_size: u64,
        new_size: u64,
        old_note: String,
        new_note: String,
    },
    Fork {
        baseline: Baseline,
        origin: String,
        size: u64,
        old_root: String,
        new_root: String,
        old_note: String,
        new_note: String,
    },
    /// The bundle's genesis differs from the one pinned at registration.
    Anchor {
        origin: String,
        pinned: String,
        found: String,
    },
}
