//! Sentences of the township commands (`liuyi township ...`, `liuyi checkpoint import`,
//! `liuyi key ...`), in Chinese and English.

use std::path::Path;

use super::Lang;
use crate::record::keys::PublicKey;
use crate::record::note::vkey;
use crate::township::{Asked, Baseline, Freshness, TownshipUsage};

pub fn usage(u: &TownshipUsage, lang: Lang) -> String {
    match (u, lang) {
        (TownshipUsage::NotInitialised(p), Lang::Zh) => format!(
            "乡镇登记簿 {} 不存在。请先运行 liuyi township init --name 乡镇名。",
            p.display()
        ),
        (TownshipUsage::NotInitialised(p), Lang::En) => format!(
            "no township register at {}. Run liuyi township init --name NAME first.",
            p.display()
        ),
        (TownshipUsage::NotRegistered(o), Lang::Zh) => {
            format!("{o} 尚未登记。请先核对并登记：liuyi township register 审计包.zip")
        }
        (TownshipUsage::NotRegistered(o), Lang::En) => format!(
            "{o} is not registered. Check and register it first: liuyi township register BUNDLE.zip"
        ),
        (TownshipUsage::NotTheTownship { given, expected }, _) => {
            not_the_township(lang, given, expected)
        }
        (TownshipUsage::ImportNotTheTownship { given, expected }, _) => {
            not_the_townships_key(lang, given, expected)
        }
        (TownshipUsage::ImportNoCosignatureBy { fingerprint }, Lang::Zh) => format!(
            "检查点上没有乡镇公钥（指纹 {fingerprint}）的副署：没有一行副署出自这把密钥，未导入。请核对 --township-key 是否是本村所属乡镇的公钥（乡镇的 liuyi township status 显示），以及这份文件是否是乡镇用 liuyi township cosign 为本村写出的副署检查点"
        ),
        (TownshipUsage::ImportNoCosignatureBy { fingerprint }, Lang::En) => format!(
            "the checkpoint carries no cosignature by the township key (fingerprint {fingerprint}): no cosignature line is by that key. Nothing was imported. Check that --township-key is the public key of the village's own township (the township's liuyi township status shows it), and that the file is the checkpoint the township cosigned for this village with liuyi township cosign"
        ),
        (
            TownshipUsage::NewKeyOfAnother {
                path,
                named,
                origin,
            },
            Lang::Zh,
        ) => format!(
            "新密钥文件 {} 是为“{named}”生成的，不是本村（{origin}）的密钥，不能用作本村的新密钥，未更换。请给一个尚不存在的文件名（liuyi key rotate --new-key 新文件名），liuyi 会为本村生成新密钥",
            path.display()
        ),
        (
            TownshipUsage::NewKeyOfAnother {
                path,
                named,
                origin,
            },
            Lang::En,
        ) => format!(
            "the new key file {} was made for \"{named}\", not for this village ({origin}): it cannot become this village's key; nothing was changed. Give a file name that does not exist yet (liuyi key rotate --new-key NEW_FILE) and liuyi makes a new key for the village",
            path.display()
        ),
        (TownshipUsage::NewKeyIsTheTownships { path, fingerprint }, Lang::Zh) => format!(
            "新密钥文件 {} 里是乡镇的密钥（指纹 {fingerprint}），不能用作村密钥：持有乡镇密钥的村可以为自己副署。未更换。请给一个尚不存在的文件名，liuyi 会为本村生成新密钥；乡镇密钥已离开乡镇，请告知乡镇更换",
            path.display()
        ),
        (TownshipUsage::NewKeyIsTheTownships { path, fingerprint }, Lang::En) => format!(
            "the new key file {} holds the township's key (fingerprint {fingerprint}): it cannot become the village's key, since a village holding it could cosign for itself. Nothing was changed. Give a file name that does not exist yet and liuyi makes a new key for the village; the township's key has left the township: tell the township to replace it",
            path.display()
        ),
        (TownshipUsage::TownshipKeyIsTheVillages { fingerprint }, Lang::Zh) => format!(
            "--township-key 给的是本村自己签名用的公钥（指纹 {fingerprint}），不是乡镇的公钥，未导入。请改用乡镇 liuyi township status 显示的乡镇公钥"
        ),
        (TownshipUsage::TownshipKeyIsTheVillages { fingerprint }, Lang::En) => format!(
            "--township-key is a key this village signs with (fingerprint {fingerprint}), not the township's: nothing was imported. Give the township's public key, as the township's liuyi township status shows it"
        ),
        (TownshipUsage::BadName(n), Lang::Zh) => format!(
            "乡镇名称“{n}”不能用：它是每个副署上的签名者名称，不能为空，也不能含空格或“+”。请换一个，例如 --name 城关镇 或 --name chengguan"
        ),
        (TownshipUsage::BadName(n), Lang::En) => format!(
            "the township name \"{n}\" cannot be used: it names the signer on every cosignature, and may not be empty or hold a space or \"+\". Choose another, e.g. --name chengguan"
        ),
        (TownshipUsage::BadRequest(d), Lang::Zh) => format!("文件无效：{d}"),
        (TownshipUsage::BadRequest(d), Lang::En) => format!("invalid file: {d}"),
        (TownshipUsage::PartialBundle(scope, asked), Lang::Zh) => {
            use crate::bundle::export::Scope;
            let only = match scope {
                Scope::Year(y) => format!("{y} 年的事项"),
                Scope::Proposal(id) => format!("事项 {id}"),
                Scope::All => "全部事项".into(),
            };
            match asked {
                Asked::Cosign => format!(
                    "不能会签：这个审计包只含{only}的附件和公告。会签是为全村截至该检查点的全部记录作证，须核查其中每个附件和公告。请村里用 liuyi export --all 导出完整的审计包后再会签；登记簿未改动。"
                ),
                Asked::RegisterNew => format!(
                    "不能登记：这个审计包只含{only}的附件和公告。登记要固定本村的记录并把核验过的检查点作为以后核对的基准，须核查全部附件和公告。请村里用 liuyi export --all 导出完整的审计包后再登记；登记簿未改动。"
                ),
                Asked::Register => format!(
                    "不能核对：这个审计包只含{only}的附件和公告，记录也只到这些事项为止。本村已登记，乡镇要核对其完整记录是否接续上次副署的检查点。请村里用 liuyi export --all 导出完整的审计包后再登记；登记簿未改动。"
                ),
            }
        }
        (TownshipUsage::PartialBundle(scope, asked), Lang::En) => {
            use crate::bundle::export::Scope;
            let only = match scope {
                Scope::Year(y) => format!("the matters of {y}"),
                Scope::Proposal(id) => format!("matter {id}"),
                Scope::All => "every matter".into(),
            };
            match asked {
                Asked::Cosign => format!(
                    "cannot cosign: this bundle holds the files and notices of {only} only. A cosignature vouches for the village's whole record up to its checkpoint, so every file and notice in it must be checked. Ask the village for a full bundle (liuyi export --all) and cosign that; the register is unchanged."
                ),
                Asked::RegisterNew => format!(
                    "cannot register: this bundle holds the files and notices of {only} only. Registering pins the village and keeps the checkpoint it verified as the baseline for every later bundle, so every file and notice must be checked. Ask the village for a full bundle (liuyi export --all) and register that; the register is unchanged."
                ),
                Asked::Register => format!(
                    "cannot check this bundle: it holds the files and notices of {only} only, and its log ends with them. The village is registered, so the township checks that its whole record extends the checkpoint it last cosigned. Ask the village for a full bundle (liuyi export --all) and register that; the register is unchanged."
                ),
            }
        }
    }
}

pub fn initialised(lang: Lang, name: &str, db: &Path, key: &Path, pk: &PublicKey) -> String {
    match lang {
        Lang::Zh => format!(
            "已建立{name}的登记簿 {}，乡镇密钥 {}（请妥善保管）。\n  密钥指纹：{}\n  公钥：{}\n下一步：liuyi township register 村审计包.zip",
            db.display(),
            key.display(),
            pk.fingerprint(),
            pk.to_hex()
        ),
        Lang::En => format!(
            "created the register of {name} at {}, township key {} (keep it safe).\n  fingerprint: {}\n  public key: {}\nnext: liuyi township register VILLAGE_BUNDLE.zip",
            db.display(),
            key.display(),
            pk.fingerprint(),
            pk.to_hex()
        ),
    }
}

pub fn registered(lang: Lang, origin: &str, pk: &PublicKey, entries: u64, bundle: &Path) -> String {
    match lang {
        Lang::Zh => format!(
            "已登记 {origin}（核验通过，{entries} 条记录）。\n村密钥指纹：{}\n请打电话与村文书逐段核对此指纹（村里运行 liuyi key show），一致后才可信任。\n核对一致后，副署本包的检查点交村里导入：liuyi township cosign {} -o 会签检查点.txt",
            pk.fingerprint(),
            bundle.display()
        ),
        Lang::En => format!(
            "registered {origin} ({entries} entries, verified).\nVillage key fingerprint: {}\nRead it over the phone with the village secretary (liuyi key show there); trust it only if it matches.\nOnce it does, cosign this bundle's checkpoint for the village to import: liuyi township cosign {} -o cosigned-checkpoint.txt",
            pk.fingerprint(),
            bundle.display()
        ),
    }
}

/// A registered village's key changed since the register last saw it (from entry `at`).
pub fn key_changed(lang: Lang, origin: &str, old: &PublicKey, new: &PublicKey, at: u64) -> String {
    match lang {
        Lang::Zh => format!(
            "注意：{origin} 的签名密钥自乡镇上次登记以来已更换（更换记于记录第 {at} 条）：\n  原密钥指纹：{}\n  新密钥指纹：{}\n更换记录已核验（新旧密钥共同签名，或乡镇为丢失的密钥副署）。请向村里核实这次更换（换届或密钥丢失），核对新指纹与村里 liuyi key show 显示的一致。",
            old.fingerprint(),
            new.fingerprint()
        ),
        Lang::En => format!(
            "note: {origin}'s signing key has changed since the township last registered it (the change is entry {at} of the log):\n  previous key fingerprint: {}\n  new key fingerprint: {}\nThe change was verified (signed by the old and the new key, or countersigned by the township for a lost key). Ask the village about it (a change of secretary, a lost key) and check the new fingerprint against what liuyi key show prints there.",
            old.fingerprint(),
            new.fingerprint()
        ),
    }
}

pub fn already_registered(lang: Lang, origin: &str, pk: &PublicKey, bundle: &Path) -> String {
    match lang {
        Lang::Zh => format!(
            "{origin} 已登记，创始记录一致。村密钥指纹：{}\n副署本包的检查点交村里导入：liuyi township cosign {} -o 会签检查点.txt",
            pk.fingerprint(),
            bundle.display()
        ),
        Lang::En => format!(
            "{origin} is already registered with the same genesis. Village key fingerprint: {}\nCosign this bundle's checkpoint for the village to import: liuyi township cosign {} -o cosigned-checkpoint.txt",
            pk.fingerprint(),
            bundle.display()
        ),
    }
}

pub fn cosigned(
    lang: Lang,
    origin: &str,
    size: u64,
    out: &Path,
    old: Option<u64>,
    township_key: &str,
) -> String {
    let from = match (old, lang) {
        (Some(o), Lang::Zh) => format!("（上次副署至第 {o} 条，本次为其延续）"),
        (Some(o), Lang::En) => format!(" (extends the {o} entries cosigned last time)"),
        (None, _) => String::new(),
    };
    match lang {
        Lang::Zh => format!(
            "已副署 {origin} 第 {size} 条的检查点{from}，写入 {}。\n请交村里导入（连同乡镇公钥，村里据此核对副署）：liuyi checkpoint import {} --township-key {township_key}",
            out.display(),
            out.display()
        ),
        Lang::En => format!(
            "cosigned the checkpoint of {origin} at size {size}{from}; written to {}.\nThe village imports it with the township's public key, which checks the cosignature: liuyi checkpoint import {} --township-key {township_key}",
            out.display(),
            out.display()
        ),
    }
}

/// A refusal of `asked` (exit 4), with both checkpoints for a rollback or fork.
pub fn freshness(lang: Lang, f: &Freshness, asked: Asked) -> String {
    let refused = match (asked, lang) {
        (Asked::Cosign, Lang::Zh) => "拒绝副署。",
        (Asked::Cosign, Lang::En) => "Not cosigned.",
        (Asked::Register | Asked::RegisterNew, Lang::Zh) => "不予登记，登记簿未改动。",
        (Asked::Register | Asked::RegisterNew, Lang::En) => "Refused; the register is unchanged.",
    };
    // The checkpoint the bundle must extend: cosigned, or only verified by `register`.
    let baseline = match f {
        Freshness::Rollback { baseline, .. } | Freshness::Fork { baseline, .. } => *baseline,
        Freshness::Anchor { .. } => Baseline::Cosigned,
    };
    // (rollback: "the township … N entries", fork: "when …", the checkpoint's title)
    let (did, when, was) = match (baseline, lang) {
        (Baseline::Cosigned, Lang::Zh) => ("上次已副署", "乡镇已副署", "乡镇已副署的检查点"),
        (Baseline::Cosigned, Lang::En) => (
            "cosigned",
            "the township cosigned",
            "checkpoint the township cosigned",
        ),
        (Baseline::Registered, Lang::Zh) => {
            ("登记时已核验", "乡镇登记时已核验", "乡镇登记时核验的检查点")
        }
        (Baseline::Registered, Lang::En) => (
            "registered the village at",
            "the township registered the village",
            "checkpoint the township verified at registration",
        ),
    };
    match (f, lang) {
        (
            Freshness::Rollback {
                origin,
                old_size,
                new_size,
                old_note,
                new_note,
                ..
            },
            Lang::Zh,
        ) => format!(
            "安全警告 [E-ROLLBACK]：{origin} 的记录被回退！乡镇{did} {old_size} 条，本审计包只有 {new_size} 条。{refused}请村里用 liuyi export --all 导出现有的完整记录再交来；如村里的记录库也只有这么多条，请停止录入并联系乡镇核查。\n{was}：\n{old_note}\n本审计包的检查点：\n{new_note}"
        ),
        (
            Freshness::Rollback {
                origin,
                old_size,
                new_size,
                old_note,
                new_note,
                ..
            },
            Lang::En,
        ) => format!(
            "SECURITY ERROR [E-ROLLBACK]: the record of {origin} was rolled back! The township {did} {old_size} entries; this bundle has {new_size}. {refused} Ask the village for a full bundle of its record as it is now (liuyi export --all); if its record holds no more than this, it must stop recording and the township must look into it.\n{was}:\n{old_note}\ncheckpoint in this bundle:\n{new_note}"
        ),
        (
            Freshness::Fork {
                origin,
                size,
                old_root,
                new_root,
                old_note,
                new_note,
                ..
            },
            Lang::Zh,
        ) => format!(
            "安全警告 [E-FORK]：{origin} 的历史记录被改写！前 {size} 条的树根应为 {old_root}（{when}），本审计包为 {new_root}。{refused}\n{was}：\n{old_note}\n本审计包的检查点：\n{new_note}"
        ),
        (
            Freshness::Fork {
                origin,
                size,
                old_root,
                new_root,
                old_note,
                new_note,
                ..
            },
            Lang::En,
        ) => format!(
            "SECURITY ERROR [E-FORK]: the history of {origin} was rewritten! The root of its first {size} entries was {old_root} when {when}; this bundle gives {new_root}. {refused}\n{was}:\n{old_note}\ncheckpoint in this bundle:\n{new_note}"
        ),
        (
            Freshness::Anchor {
                origin,
                pinned,
                found,
            },
            Lang::Zh,
        ) => format!(
            "安全警告 [E-ANCHOR]：{origin} 的创始记录与登记时不同（登记 {pinned}，本审计包 {found}）：这不是登记过的那份记录。{refused}"
        ),
        (
            Freshness::Anchor {
                origin,
                pinned,
                found,
            },
            Lang::En,
        ) => format!(
            "SECURITY ERROR [E-ANCHOR]: the genesis of {origin} differs from the one registered ({pinned}; this bundle {found}): this is not the registered record. {refused}"
        ),
    }
}

/// Each village with the key pinned at registration, the key in force when the village has
/// changed it since (a rotation the township accepted in a bundle it verified), and the
/// checkpoint last cosigned.
pub fn status(lang: Lang, name: &str, key: &str, rows: &[crate::township::StatusRow]) -> String {
    let mut s = match lang {
        Lang::Zh => format!("{name}（乡镇公钥 {key}）登记的村：{} 个\n", rows.len()),
        Lang::En => format!(
            "{name} (township key {key}): {} village{} registered\n",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" }
        ),
    };
    let short = |hex: &str| {
        let fp = PublicKey::from_hex(hex)
            .map(|k| k.fingerprint())
            .unwrap_or_default();
        fp.chars().take(19).collect::<String>()
    };
    for row in rows {
        let (v, c) = (&row.village, &row.cosigned);
        let registered = short(&v.key);
        let keys = if row.key_in_force == v.key {
            lang.pick(
                format!("登记时密钥 {registered}"),
                format!("key registered {registered}"),
            )
        } else {
            let now = short(&row.key_in_force);
            match (row.seen_since, lang) {
                (Some(n), Lang::Zh) => format!(
                    "登记时密钥 {registered}，已换用现用密钥 {now}（见于 {n} 条记录的审计包）"
                ),
                (None, Lang::Zh) => {
                    format!("登记时密钥 {registered}，已换用现用密钥 {now}")
                }
                (Some(n), Lang::En) => format!(
                    "key registered {registered}, changed to the key in force {now} (seen in the bundle of {n} entries)"
                ),
                (None, Lang::En) => {
                    format!("key registered {registered}, changed to the key in force {now}")
                }
            }
        };
        let last = match (c, lang) {
            (Some(c), Lang::Zh) => format!("已副署至第 {} 条（{}）", c.size, time(c.time)),
            (Some(c), Lang::En) => format!("cosigned up to {} ({})", c.size, time(c.time)),
            (None, Lang::Zh) => "尚未副署".into(),
            (None, Lang::En) => "not cosigned yet".into(),
        };
        // A bundle `register` verified past the last cosigned one: later bundles must
        // extend it too (what a refusal of an older copy names).
        let last = match (&row.verified, c) {
            (Some(r), c) if c.as_ref().is_none_or(|c| r.size > c.size) => match lang {
                Lang::Zh => format!("{last}，已核验至第 {} 条（{}）", r.size, time(r.time)),
                Lang::En => format!("{last}, verified up to {} ({})", r.size, time(r.time)),
            },
            _ => last,
        };
        // Its name: with tens of villages, an origin and a fingerprint say nothing to a
        // person.
        let name = match (&row.name, lang) {
            (Some(n), Lang::Zh) => format!("{}{}{}", n.county, n.township, n.village),
            (Some(n), Lang::En) => format!("{} ({}, {})", n.village, n.township, n.county),
            (None, Lang::Zh) => "（村名待下次登记或副署时记下）".into(),
            (None, Lang::En) => "(name kept at its next register or cosign)".into(),
        };
        s += &format!("  {}\t{name}\t{keys}\t{last}\n", v.origin);
    }
    s.trim_end().to_string()
}

fn time(t: u64) -> String {
    chrono::DateTime::from_timestamp(t as i64, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| t.to_string())
}

/// A checkpoint signed by this village's key that this file does not hold at its size:
/// the file was rolled back (`size` beyond its entries) or holds another history.
pub fn signed_checkpoint_not_here(
    lang: Lang,
    size: u64,
    entries: u64,
    note: &str,
    stored: Option<&str>,
    by_township: Option<&str>,
) -> String {
    let note = note.trim_end();
    let stored = stored.map(str::trim_end);
    // Who vouches that the checkpoint is this village's: its own key, or (a copy from
    // before a change of key, which does not know the key that signed it) the township's
    // cosignature.
    let (zh_by, en_by) = match by_township {
        Some(fp) => (
            format!("由乡镇副署（乡镇公钥指纹 {fp}），是本村记录的检查点"),
            format!("is cosigned by the township (key fingerprint {fp}) as this village's"),
        ),
        None => (
            "由本村的密钥签名".to_string(),
            "is signed by this village's key".to_string(),
        ),
    };
    match (size > entries, lang) {
        (true, Lang::Zh) => format!(
            "安全警告 [E-ROLLBACK]：这份检查点{zh_by}，覆盖 {size} 条记录，而本记录库只有 {entries} 条：记录库被回退了（后面的记录被删去，或被换成了旧副本），或被改写成了另一份记录。未导入。请勿继续录入，用交给乡镇的审计包或备份核对，并联系乡镇。\n这份检查点：\n{note}"
        ),
        (true, Lang::En) => format!(
            "SECURITY ERROR [E-ROLLBACK]: this checkpoint {en_by} and covers {size} entries, but this record holds {entries}: the record was rolled back (later entries removed, or an older copy put in its place) or rewritten into another. Not imported. Stop recording, compare with the bundle given to the township or a backup, and contact the township.\nthis checkpoint:\n{note}"
        ),
        (false, Lang::Zh) => format!(
            "安全警告 [E-FORK]：这份检查点{zh_by}，但本记录库在第 {size} 条处{}：记录被改写过（或这是另一份副本的检查点）。未导入。请勿继续录入，用交给乡镇的审计包或备份核对，并联系乡镇。\n这份检查点：\n{note}{}",
            if stored.is_some() {
                "的检查点与它不同"
            } else {
                "没有这样的检查点"
            },
            stored
                .map(|s| format!("\n本记录库的检查点：\n{s}"))
                .unwrap_or_default()
        ),
        (false, Lang::En) => format!(
            "SECURITY ERROR [E-FORK]: this checkpoint {en_by}, but this record {} at size {size}: its history was rewritten (or the checkpoint is another copy's). Not imported. Stop recording, compare with the bundle given to the township or a backup, and contact the township.\nthis checkpoint:\n{note}{}",
            if stored.is_some() {
                "holds another checkpoint"
            } else {
                "holds no checkpoint"
            },
            stored
                .map(|s| format!("\nthis record's checkpoint:\n{s}"))
                .unwrap_or_default()
        ),
    }
}

pub fn not_ours(lang: Lang, size: u64, theirs: &str, ours: &str) -> String {
    match (lang, theirs == ours) {
        (Lang::Zh, true) => format!("这不是本村第 {size} 条的签名检查点"),
        (Lang::En, true) => format!("this is not this village's signed checkpoint at size {size}"),
        (Lang::Zh, false) => format!(
            "这是另一份记录（{theirs}）的检查点，本记录库是 {ours}：请核对文件是否发给了本村"
        ),
        (Lang::En, false) => format!(
            "this is a checkpoint of another record ({theirs}); this record is {ours}: check that the file was meant for this village"
        ),
    }
}

pub fn cosigner_twice(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("检查点上有两行来自同一副署人（{name}）的副署：这不是乡镇发出的原件"),
        Lang::En => format!(
            "the checkpoint carries two cosignatures from the same cosigner ({name}): it is not as the township issued it"
        ),
    }
}

pub fn cosigner_conflict(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "已导入过 {name} 对该检查点的另一份不同的副署，不能判断哪一份是真的。请加 --township-key 乡镇公钥文件 再导入：核对通过的一份会取代另一份"
        ),
        Lang::En => format!(
            "a different cosignature by {name} of this checkpoint was imported before, and nothing tells which is genuine. Import again with --township-key FILE: the one that verifies replaces the other"
        ),
    }
}

pub fn no_cosignature(lang: Lang) -> String {
    lang.pick(
        "检查点上没有乡镇副署",
        "the checkpoint carries no township cosignature",
    )
    .to_string()
}

/// `checkpoint import --township-key`: no cosignature verifies with that key.
/// `checkpoint import`: a cosignature line that names the township key and does not verify
/// by it (exit 4): altered or forged after the township signed.
pub fn cosignature_not_by(lang: Lang, fingerprint: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "安全警告：检查点上署名为乡镇公钥 {fingerprint} 的副署验证不通过：副署在乡镇签出后被改动过，或是伪造的。未导入。请向乡镇重新取回副署的检查点，并告知乡镇。"
        ),
        Lang::En => format!(
            "SECURITY ERROR: the cosignature on the checkpoint in the name of the township key {fingerprint} does not verify: it was altered after the township signed it, or forged. Nothing was imported. Fetch the cosigned checkpoint from the township again, and tell the township."
        ),
    }
}

/// `checkpoint import`: a township key that is not the one the record knows (pinned, or
/// whose cosignatures it holds); nothing imported (exit 2, the wrong key given).
fn not_the_townships_key(
    lang: Lang,
    given: &str,
    expected: &crate::check::TownshipExpected,
) -> String {
    let known = crate::i18n::cli::township_expected(lang, expected);
    match lang {
        Lang::Zh => format!(
            "乡镇公钥（指纹 {given}）不是本记录所属乡镇的密钥：{known}。未导入。请核对 --township-key 是否是本村所属乡镇的公钥，副署的检查点是否来自该乡镇。"
        ),
        Lang::En => format!(
            "the township key (fingerprint {given}) is not the key of this record's township: {known}. Nothing was imported. Check that --township-key is the public key of the village's own township, and that the cosigned checkpoint came from it."
        ),
    }
}

/// The township key the record pinned does not read as a key (altered with another tool).
pub fn pinned_key_unreadable(lang: Lang) -> String {
    lang.pick(
        "错误：记录库中认定的乡镇公钥无法读取（被用其他工具改动过），未导入。请运行 liuyi check 核查，并联系乡镇。",
        "error: the township key this record pinned cannot be read (altered with another tool); nothing was imported. Run liuyi check and contact the township.",
    )
    .to_string()
}

/// `checkpoint import` with no township key given or pinned: imported unchecked.
pub fn cosignature_unchecked(lang: Lang) -> String {
    lang.pick(
        "注意：本记录还没有认定乡镇公钥，这次未核对副署签名，liuyi check 也无法核对它。请向乡镇要来公钥（乡镇运行 liuyi township status 可见），用 liuyi checkpoint import 文件 --township-key 乡镇公钥 再导入一次：核对无误后即认定该公钥，以后的导入和 liuyi check 都会核对副署。",
        "note: this record has not pinned its township's key, so the cosignature was not checked, and liuyi check cannot check it either. Get the township's public key (liuyi township status shows it there) and import again with liuyi checkpoint import FILE --township-key KEY: once it verifies the key is pinned, and later imports and liuyi check verify every cosignature.",
    )
    .to_string()
}

pub fn imported(lang: Lang, size: u64) -> String {
    match lang {
        Lang::Zh => format!("已导入乡镇副署的检查点（第 {size} 条）。以后导出的审计包会带上它。"),
        Lang::En => format!(
            "imported the township-cosigned checkpoint (size {size}); later bundles carry it."
        ),
    }
}

/// `checkpoint import --township-key` of a cosigned checkpoint the record already holds:
/// only the township's key is recorded now.
pub fn key_pinned_only(lang: Lang, size: u64, fingerprint: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "已记下乡镇密钥（指纹 {fingerprint}）：以后导入的副署都用它核验。这份检查点（第 {size} 条）本记录早已导入，副署相同，未作其他改动。"
        ),
        Lang::En => format!(
            "the township's key (fingerprint {fingerprint}) is recorded: cosignatures imported from now on are checked with it. This checkpoint (size {size}) was already held, with the same cosignatures; nothing else changed."
        ),
    }
}

/// `checkpoint import` of a cosigned checkpoint the record already holds, with the same
/// cosignatures: the same file imported again.
pub fn already_held(lang: Lang, size: u64) -> String {
    match lang {
        Lang::Zh => format!(
            "本记录已有这份乡镇副署的检查点（第 {size} 条），副署与这次的文件相同：未作改动。"
        ),
        Lang::En => format!(
            "the record already holds this township-cosigned checkpoint (size {size}) with the same cosignatures: nothing changed."
        ),
    }
}

pub fn key_show(lang: Lang, origin: &str, pk: &PublicKey) -> String {
    match lang {
        Lang::Zh => format!(
            "村密钥指纹：{}\n验证密钥：{}",
            pk.fingerprint(),
            vkey(origin, pk)
        ),
        Lang::En => format!(
            "village key fingerprint: {}\nverifier key: {}",
            pk.fingerprint(),
            vkey(origin, pk)
        ),
    }
}

/// `key show`: whether the key file given by --key can sign for this record.
pub fn key_file_state(lang: Lang, path: &Path, s: &crate::cmd::key::KeyFileState) -> String {
    use crate::cmd::key::KeyFileState as S;
    let p = path.display();
    match (s, lang) {
        (S::Current, Lang::Zh) => format!("密钥文件 {p}：是本村当前的签名密钥。"),
        (S::Current, Lang::En) => format!("key file {p}: the record's current signing key."),
        (S::Other(fp), Lang::Zh) => format!(
            "密钥文件 {p} 不是本村当前的签名密钥（其指纹 {fp}），不能用它记录。请用 --key 指定当前的密钥文件。"
        ),
        (S::Other(fp), Lang::En) => format!(
            "key file {p} is not the record's current signing key (its fingerprint is {fp}); it cannot record. Give the current key file with --key."
        ),
        (S::Later(fp), Lang::Zh) => format!(
            "密钥文件 {p} 是本村的密钥（指纹 {fp}；记录标识相同），但这份记录库从未用它签过名：多半这是换钥之前的旧记录库（备份或旧副本）。请改用换钥后一直在用的那份记录库（--db），不要用旧密钥在旧记录库上继续记录（那会让记录分叉）。"
        ),
        (S::Later(fp), Lang::En) => format!(
            "key file {p} is this village's key (fingerprint {fp}; it names this record), but this record was never signed with it: most likely this is a copy of the record from before a change of key (a backup or an older copy). Use the record kept since the change (--db); do not go on recording on the old copy with the old key (that forks the record)."
        ),
        (S::Missing, Lang::Zh) => {
            format!("密钥文件 {p} 不存在：无法记录新的事项。请用 --key 指定本村的密钥文件。")
        }
        (S::Missing, Lang::En) => format!(
            "key file {p} does not exist: nothing new can be recorded. Give the village's key file with --key."
        ),
        (S::Unusable(e), _) => super::record::describe_key(e, lang),
    }
}

pub fn rotated(lang: Lang, pk: &PublicKey, path: &Path, size: u64) -> String {
    match lang {
        Lang::Zh => format!(
            "已更换村密钥（记录共 {size} 条，已用新密钥签名）。\n新密钥：{}\n新指纹：{}\n今后请用 --key {} （或把它放到原密钥文件的位置），并把新指纹告知乡镇。",
            path.display(),
            pk.fingerprint(),
            path.display()
        ),
        Lang::En => format!(
            "the village key was changed ({size} entries, signed with the new key).\nnew key: {}\nnew fingerprint: {}\nFrom now on use --key {} (or put it where the old key file was), and tell the township the new fingerprint.",
            path.display(),
            pk.fingerprint(),
            path.display()
        ),
    }
}

pub fn lost_needs(lang: Lang) -> String {
    lang.pick(
        "遗失密钥的更换须给出 --township-key 乡镇公钥 和 -o 申请文件（或 --countersigned 乡镇副署后的文件）",
        "a lost-key rotation needs --township-key KEY and -o REQUEST (or --countersigned FILE from the township)",
    )
    .to_string()
}

pub fn request_mismatch(lang: Lang) -> String {
    lang.pick(
        "申请文件与本村、新密钥或乡镇密钥不符",
        "the request does not match this village, the new key or the township key",
    )
    .to_string()
}

/// `key rotate --lost --countersigned`: the request was made at another end of the record
/// (another copy: a backup, a fork) than this record's last checkpoint.
pub fn request_from_another_copy(lang: Lang, made: u64, ours: u64) -> String {
    match lang {
        Lang::Zh => format!(
            "这份已副署的申请是按另一份记录库做的（申请时记录共 {made} 条），与本记录库（最后签名的检查点在第 {ours} 条）不符：未更换密钥。请用做申请的那份记录库办理；如不清楚是哪一份，请联系乡镇。"
        ),
        Lang::En => format!(
            "this countersigned request was made from another copy of the record ({made} entries then), not this one (its last signed checkpoint is at {ours}): the key is not changed. Use the record the request was made from; if unsure which, contact the township."
        ),
    }
}

/// `township countersign`: a request made by an earlier liuyi names no log size (exit 2).
pub fn request_without_size(lang: Lang) -> String {
    lang.pick(
        "这份密钥更换申请没有写明记录库的条数和根哈希（是较早版本的 liuyi 写出的），乡镇无法判断它是否出自旧的记录库副本（备份或被盗的副本），不予副署。请村里用现在版本的 liuyi 重新生成申请：liuyi key rotate --lost --new-key 新密钥 --township-key 乡镇公钥 --reason 原因 -o 申请.json",
        "this key change request names no log size and root (an earlier liuyi wrote it): the township cannot tell it from one made from an old copy of the record (a backup, a stolen copy), and does not countersign it. Have the village make the request again with this version of liuyi: liuyi key rotate --lost --new-key NEW.key --township-key TOWNSHIP_KEY --reason REASON -o request.json",
    )
    .to_string()
}

/// `township countersign`: the request was made from a record older than (or other than)
/// the one the township last verified or cosigned; nothing written (exit 4).
pub fn request_not_current(
    lang: Lang,
    origin: &str,
    (size, note): (u64, &str),
    (known, known_note): (u64, &str),
) -> String {
    let (note, known_note) = (note.trim_end(), known_note.trim_end());
    match (size < known, lang) {
        (true, Lang::Zh) => format!(
            "拒绝副署 [ROLLBACK]：这份申请出自 {origin} 只有 {size} 条记录的记录库，而乡镇已核验或副署到第 {known} 条：申请来自旧的记录库副本（备份或被盗的副本），不是村里现有的记录。未写出文件，登记簿未改动。请打电话与村文书核对，让村里用现有的记录库重新生成申请。\n申请所附检查点：\n{note}\n乡镇保存的检查点：\n{known_note}"
        ),
        (true, Lang::En) => format!(
            "not countersigned [ROLLBACK]: this request was made from a record of {origin} with {size} entries, but the township has verified or cosigned it up to {known}: the request comes from an old copy of the record (a backup, a stolen copy), not the village's record as it is. Nothing was written; the register is unchanged. Call the village secretary, and have the village make the request again from its current record.\nthe request's checkpoint:\n{note}\nthe township's checkpoint:\n{known_note}"
        ),
        (false, Lang::Zh) => format!(
            "拒绝副署 [FORK]：这份申请所出自的记录库在第 {size} 条处与乡镇已核验或副署的检查点不同：它是另一份被改写过的记录。未写出文件，登记簿未改动。请打电话与村文书核对，让村里用现有的记录库重新生成申请。\n申请所附检查点：\n{note}\n乡镇保存的检查点：\n{known_note}"
        ),
        (false, Lang::En) => format!(
            "not countersigned [FORK]: the record this request was made from differs at size {size} from the checkpoint the township verified or cosigned: it is another, rewritten record. Nothing was written; the register is unchanged. Call the village secretary, and have the village make the request again from its current record.\nthe request's checkpoint:\n{note}\nthe township's checkpoint:\n{known_note}"
        ),
    }
}

/// A lost-key request (or its countersigned answer) that is not the JSON `key rotate
/// --lost` writes: cut short, edited by hand, or another file. `at`: where the JSON
/// reader stopped (line, column), when it is not JSON at all.
pub fn request_unreadable(lang: Lang, at: Option<(usize, usize)>) -> String {
    match (lang, at) {
        (Lang::Zh, Some((l, c))) => format!(
            "不是 liuyi key rotate --lost 写出的申请文件（第 {l} 行第 {c} 列读不下去）：可能被截断或改动过。请让村里重新生成申请文件"
        ),
        (Lang::Zh, None) => "不是 liuyi key rotate --lost 写出的申请文件（缺少内容或内容有误）：可能被改动过。请让村里重新生成申请文件".to_string(),
        (Lang::En, Some((l, c))) => format!(
            "not a request written by liuyi key rotate --lost (unreadable at line {l}, column {c}): cut short or edited. Ask the village to make the request again"
        ),
        (Lang::En, None) => "not a request written by liuyi key rotate --lost (parts missing or wrong): edited. Ask the village to make the request again".to_string(),
    }
}

pub fn request_written(lang: Lang, out: &Path, pk: &PublicKey) -> String {
    match lang {
        Lang::Zh => format!(
            "已写出密钥更换申请 {}（新密钥指纹 {}），尚未记录。请交乡镇：liuyi township countersign {} -o 副署.json",
            out.display(),
            pk.fingerprint(),
            out.display()
        ),
        Lang::En => format!(
            "wrote the key change request {} (new key fingerprint {}); nothing recorded yet. The township runs: liuyi township countersign {} -o signed.json",
            out.display(),
            pk.fingerprint(),
            out.display()
        ),
    }
}

pub fn countersigned(
    lang: Lang,
    origin: &str,
    old_fp: &str,
    new: &PublicKey,
    out: &Path,
) -> String {
    match lang {
        Lang::Zh => format!(
            "已为 {origin} 副署密钥更换：旧密钥 {old_fp} → 新密钥 {}。写入 {}，请交村里记录。",
            new.fingerprint(),
            out.display()
        ),
        Lang::En => format!(
            "countersigned the key change of {origin}: old key {old_fp} → new key {}. Written to {}; the village records it.",
            new.fingerprint(),
            out.display()
        ),
    }
}

/// `key rotate --lost --countersigned`: countersigned by a key that is not the township's
/// the record knows; nothing recorded (exit 4).
pub fn countersigned_by_another(
    lang: Lang,
    found: &str,
    expected: &crate::check::TownshipExpected,
) -> String {
    let known = crate::i18n::cli::township_expected(lang, expected);
    match lang {
        Lang::Zh => format!(
            "错误：这份密钥更换由密钥（指纹 {found}）副署，但{known}。只有本村所属的乡镇能为遗失密钥的更换副署，未记录。请用本村所属乡镇（为本村副署检查点的乡镇）的公钥重新申请：liuyi key rotate --lost --new-key 新密钥 --township-key 乡镇公钥 -o 申请文件，交该乡镇副署后再记录。"
        ),
        Lang::En => format!(
            "error: this key rotation is countersigned by the key with fingerprint {found}, but {known}. Only the village's own township may countersign a lost-key rotation; nothing was recorded. Make the request again with the public key of the village's own township (the one that cosigns its checkpoints): liuyi key rotate --lost --new-key NEW --township-key TOWNSHIP_KEY -o REQUEST, have that township countersign it, and record that."
        ),
    }
}

/// `key rotate --lost --township-key`: the key given is not the township's the record
/// knows; no request written (exit 2).
fn not_the_township(lang: Lang, given: &str, expected: &crate::check::TownshipExpected) -> String {
    let known = crate::i18n::cli::township_expected(lang, expected);
    match lang {
        Lang::Zh => format!(
            "--township-key 给出的密钥（指纹 {given}）不是本村所属乡镇的密钥：{known}。未写出申请。请向本村所属的乡镇取得它的公钥（liuyi township status 显示），再用它重新申请"
        ),
        Lang::En => format!(
            "the key given with --township-key (fingerprint {given}) is not the village's own township's: {known}. No request was written. Get the public key of the village's own township (liuyi township status shows it) and make the request with it"
        ),
    }
}

/// `township countersign`: the request declares lost a key that is not the village key in
/// force per the register; nothing written (exit 4).
pub fn not_the_key_in_force(lang: Lang, origin: &str, in_force: &str, named: &str) -> String {
    match lang {
        Lang::Zh => format!(
            "拒绝副署：申请声称遗失的旧密钥（指纹 {named}）不是登记簿中 {origin} 现行的村密钥（指纹 {in_force}）。只有现行密钥遗失才能由乡镇副署更换；旧密钥已在换届时交接，这份申请可能来自换届前的旧记录库副本。未写出文件，登记簿未改动。请打电话与村文书核对；如村里确已更换过密钥而乡镇尚未见到，请村里先交来现有记录的审计包（liuyi export --all），乡镇用 liuyi township register 审计包.zip 核对登记后再申请。"
        ),
        Lang::En => format!(
            "not countersigned: the request declares lost the old key with fingerprint {named}, which is not the village key of {origin} in force per the register (fingerprint {in_force}). Only the key in force can be replaced with the township's countersignature; a retired key was handed over at the change of secretary, and this request may come from a copy of the database from before it. Nothing was written; the register is unchanged. Call the village secretary; if the village did change its key since the township last saw its record, have it send a bundle of its record as it is now (liuyi export --all), register it with liuyi township register BUNDLE.zip, and make the request again."
        ),
    }
}
