//! Sentences for the record's errors: canonical entries, Merkle proofs, signed notes and
//! checkpoints, and keys. The error enums live in `crate::record`; this file only words them.

use std::path::Path;

use super::Lang;
use crate::record::RecordError;
use crate::record::canonical::{CanonError, MAX_DEPTH, MAX_ENTRY_BYTES};
use crate::record::keys::{KeyError, KeyFileProblem};
use crate::record::merkle::MerkleError;
use crate::record::note::{MAX_NOTE_BYTES, MAX_SIGNATURES, NoteError};

/// Any record error, in the user's language.
pub fn describe(err: &RecordError, lang: Lang) -> String {
    match err {
        RecordError::Canon(e) => describe_canon(e, lang),
        RecordError::Merkle(e) => describe_merkle(e, lang),
        RecordError::Note(e) => describe_note(e, lang),
        RecordError::Key(e) => describe_key(e, lang),
    }
}

/// Shortens text quoted back to the user, so a hostile megabyte is not echoed.
fn quote(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        format!("{text:?}")
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head:?}…")
    }
}

pub fn describe_canon(err: &CanonError, lang: Lang) -> String {
    match err {
        CanonError::NotUtf8 { offset } => lang.pick(
            format!("记录条目不是有效的 UTF-8 文本（第 {offset} 字节）。"),
            format!("The entry is not valid UTF-8 text (byte {offset})."),
        ),
        CanonError::Syntax { offset } => lang.pick(
            format!("记录条目不是有效的 JSON（第 {offset} 字节）。"),
            format!("The entry is not valid JSON (byte {offset})."),
        ),
        CanonError::DuplicateKey { key } => lang.pick(
            format!("记录条目中字段 {} 出现了两次。", quote(key)),
            format!("The entry has the field {} twice.", quote(key)),
        ),
        CanonError::Float => lang.pick(
            "记录条目含有小数；记录只用整数（金额以分为单位）。".to_string(),
            "The entry contains a decimal number; the record uses integers only (money in fen)."
                .to_string(),
        ),
        CanonError::Null => lang.pick(
            "记录条目含有空值（null）；记录中不使用空值。".to_string(),
            "The entry contains null; the record never uses null.".to_string(),
        ),
        CanonError::IntegerOutOfRange => lang.pick(
            "记录条目中的整数超出允许范围（±9007199254740991）。".to_string(),
            "An integer in the entry is out of range (±9007199254740991).".to_string(),
        ),
        CanonError::NotNfc { text } => lang.pick(
            format!("文字 {} 未按 Unicode NFC 规范化。", quote(text)),
            format!("The text {} is not in Unicode NFC form.", quote(text)),
        ),
        CanonError::NotCanonical => lang.pick(
            "记录条目的字节与标准格式不一致：它被改写或改动过。".to_string(),
            "The entry's bytes differ from the canonical form: it was rewritten or altered."
                .to_string(),
        ),
        CanonError::TooLarge { len } => lang.pick(
            format!("记录条目太大（{len} 字节，上限 {MAX_ENTRY_BYTES} 字节）。"),
            format!("The entry is too large ({len} bytes, limit {MAX_ENTRY_BYTES})."),
        ),
        CanonError::TooDeep => lang.pick(
            format!("记录条目嵌套超过 {MAX_DEPTH} 层。"),
            format!("The entry is nested more than {MAX_DEPTH} levels deep."),
        ),
    }
}

pub fn describe_merkle(err: &MerkleError, lang: Lang) -> String {
    match err {
        MerkleError::IndexOutOfRange { index, size } => lang.pick(
            format!("第 {index} 条不在共 {size} 条的记录中。"),
            format!("Entry {index} is not in a record of {size} entries."),
        ),
        MerkleError::BadSizes { old, new } => lang.pick(
            format!("无法比较记录：旧的 {old} 条与新的 {new} 条不构成先后关系。"),
            format!(
                "Cannot compare records: an old size of {old} and a new size of {new} do not fit."
            ),
        ),
        MerkleError::WrongProofLength => lang.pick(
            "证明的长度不对：证明不完整或被改动。".to_string(),
            "The proof has the wrong length: it is incomplete or was altered.".to_string(),
        ),
        MerkleError::RootMismatch => lang.pick(
            "证明与记录的根哈希不符：记录或证明被改动过。".to_string(),
            "The proof does not match the record's root hash: the record or the proof was altered."
                .to_string(),
        ),
        MerkleError::BadCompactRange => lang.pick(
            "数据库中保存的树状态已损坏。".to_string(),
            "The tree state stored in the database is damaged.".to_string(),
        ),
    }
}

pub fn describe_note(err: &NoteError, lang: Lang) -> String {
    match err {
        NoteError::TooLarge { len } => lang.pick(
            format!("签名文件太大（{len} 字节，上限 {MAX_NOTE_BYTES} 字节）。"),
            format!("The signed file is too large ({len} bytes, limit {MAX_NOTE_BYTES})."),
        ),
        NoteError::NotUtf8 => lang.pick(
            "签名文件不是有效的 UTF-8 文本。".to_string(),
            "The signed file is not valid UTF-8 text.".to_string(),
        ),
        NoteError::CarriageReturn => lang.pick(
            "签名文件被文本编辑器手工打开并保存过（含有 Windows 换行符）。请重新取得原始文件。"
                .to_string(),
            "The signed file was opened and saved by hand in a text editor (it has Windows line \
             endings). Get the original file again."
                .to_string(),
        ),
        NoteError::ByteOrderMark => lang.pick(
            "签名文件被文本编辑器手工打开并保存过（开头有 BOM 标记）。请重新取得原始文件。"
                .to_string(),
            "The signed file was opened and saved by hand in a text editor (it starts with a \
             byte-order mark). Get the original file again."
                .to_string(),
        ),
        NoteError::ControlCharacter => lang.pick(
            "签名文件含有不允许的控制字符。".to_string(),
            "The signed file contains a control character that is not allowed.".to_string(),
        ),
        NoteError::Malformed => lang.pick(
            "签名文件格式不对：应为正文、一个空行、再加签名行。".to_string(),
            "The signed file is malformed: expected text, one blank line, then signature lines."
                .to_string(),
        ),
        NoteError::TooManySignatures { count } => lang.pick(
            format!("签名文件有 {count} 个签名，超过上限 {MAX_SIGNATURES} 个。"),
            format!(
                "The signed file has {count} signatures, more than the limit of {MAX_SIGNATURES}."
            ),
        ),
        NoteError::BadCheckpoint => lang.pick(
            "检查点格式不对：应为三行：村名标识、条数、根哈希。".to_string(),
            "The checkpoint is malformed: expected three lines: origin, size, root hash."
                .to_string(),
        ),
        NoteError::InvalidName { name } => lang.pick(
            format!("密钥名称 {} 无效：不能为空，不能含空格或“+”。", quote(name)),
            format!(
                "The key name {} is invalid: it must not be empty or contain spaces or '+'.",
                quote(name)
            ),
        ),
        NoteError::BadVerifierKey => lang.pick(
            "公钥字符串无效，或其中的密钥编号与名称、公钥不符。".to_string(),
            "The public key string is invalid, or its key id does not match the name and key."
                .to_string(),
        ),
        NoteError::Key(e) => describe_key(e, lang),
        NoteError::NoSignature { name } => lang.pick(
            format!("没有找到 {} 的签名。", quote(name)),
            format!("No signature by {} was found.", quote(name)),
        ),
        NoteError::DuplicateSignature { name } => lang.pick(
            format!("{} 的签名出现了不止一次。", quote(name)),
            format!("The signature by {} appears more than once.", quote(name)),
        ),
        NoteError::BadSignature { name } => lang.pick(
            format!(
                "{} 的签名验证失败：内容在签名后被改动过，或签名是伪造的。",
                quote(name)
            ),
            format!(
                "The signature by {} does not verify: the content was changed after signing, \
                 or the signature is forged.",
                quote(name)
            ),
        ),
    }
}

fn show(path: &Path) -> String {
    path.display().to_string()
}

pub fn describe_key(err: &KeyError, lang: Lang) -> String {
    match err {
        KeyError::Undecodable => lang.pick(
            "公钥无效：不是曲线上的点。".to_string(),
            "The public key is invalid: not a point on the curve.".to_string(),
        ),
        KeyError::NonCanonical => lang.pick(
            "公钥的写法不规范。".to_string(),
            "The public key is not in canonical encoding.".to_string(),
        ),
        KeyError::Weak => lang.pick(
            "拒绝弱公钥：这种公钥不可能由正常生成得到，可被用来伪造签名。".to_string(),
            "Refusing a weak public key: no honest key generation produces one, and it can be \
             used to forge signatures."
                .to_string(),
        ),
        KeyError::BadSignature => lang.pick(
            "签名验证失败。".to_string(),
            "The signature does not verify.".to_string(),
        ),
        KeyError::Randomness { reason } => lang.pick(
            format!("无法从操作系统取得随机数：{reason}"),
            format!("Could not get randomness from the operating system: {reason}"),
        ),
        KeyError::InvalidName { name } => lang.pick(
            format!("密钥名称 {} 无效：不能为空，不能含空格或“+”。", quote(name)),
            format!(
                "The key name {} is invalid: it must not be empty or contain spaces or '+'.",
                quote(name)
            ),
        ),
        KeyError::AlreadyExists { path } => lang.pick(
            format!("密钥文件 {} 已存在，不会覆盖。", show(path)),
            format!(
                "The key file {} already exists; it is never overwritten.",
                show(path)
            ),
        ),
        KeyError::Missing { path } => lang.pick(
            format!("找不到密钥文件 {}。", show(path)),
            format!("The key file {} does not exist.", show(path)),
        ),
        KeyError::Unreadable { path, reason } => lang.pick(
            format!(
                "无法读取密钥文件 {}（{}）。",
                show(path),
                io_reason_zh(reason)
            ),
            format!("Cannot read the key file {} ({reason}).", show(path)),
        ),
        KeyError::WriteFailed { path, reason } => lang.pick(
            format!("无法写入密钥文件 {}：{reason}", show(path)),
            format!("Cannot write the key file {}: {reason}", show(path)),
        ),
        KeyError::Malformed { path, problem } => {
            let (zh, en) = match problem {
                KeyFileProblem::Layout => ("格式不对", "it is not in the expected format"),
                KeyFileProblem::CarriageReturn => (
                    "它被文本编辑器手工打开并保存过（含有 Windows 换行符）",
                    "it was opened and saved by hand in a text editor (Windows line endings)",
                ),
                KeyFileProblem::Name => ("其中的名称无效", "the name in it is invalid"),
                KeyFileProblem::KeyData => ("其中的密钥数据无效", "the key data in it is invalid"),
                KeyFileProblem::KeyId => (
                    "密钥编号与名称和密钥不符，文件被改动过",
                    "its key id does not match the name and key; the file was edited",
                ),
                KeyFileProblem::TooLarge => {
                    ("文件太大，不是密钥文件", "it is too large to be a key file")
                }
                KeyFileProblem::NotAFile => (
                    "它不是普通文件（是目录、管道或设备）",
                    "it is not a regular file (a directory, a pipe or a device)",
                ),
            };
            lang.pick(
                format!("密钥文件 {} 无效：{zh}。", show(path)),
                format!("The key file {} is invalid: {en}.", show(path)),
            )
        }
        KeyError::LoosePermissions { path, mode } => lang.pick(
            format!(
                "密钥文件 {} 的权限是 {mode:o}，其他用户可以读取，不予使用。请执行 chmod 600 {} 后重试。",
                show(path),
                show(path)
            ),
            format!(
                "The key file {} has mode {mode:o}, so other users can read it; it is not \
                 used. Run chmod 600 {} and try again.",
                show(path),
                show(path)
            ),
        ),
    }
}

/// An operating system's reason, in Chinese where it is a common one (the rest as given).
fn io_reason_zh(reason: &str) -> String {
    if reason.contains("os error 13") || reason.contains("Permission denied") {
        "没有读取权限".to_string()
    } else if reason.contains("os error 21") || reason.contains("Is a directory") {
        "这是一个文件夹".to_string()
    } else {
        reason.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn every_language_has_words() {
        let errs = [
            RecordError::Canon(CanonError::NotNfc {
                text: "e\u{301}".repeat(100),
            }),
            RecordError::Merkle(MerkleError::RootMismatch),
            RecordError::Note(NoteError::CarriageReturn),
            RecordError::Key(KeyError::LoosePermissions {
                path: PathBuf::from("/tmp/v.key"),
                mode: 0o644,
            }),
            RecordError::Key(KeyError::Malformed {
                path: PathBuf::from("v.key"),
                problem: KeyFileProblem::KeyId,
            }),
        ];
        for e in &errs {
            let zh = describe(e, Lang::Zh);
            let en = describe(e, Lang::En);
            assert!(!zh.is_empty() && !en.is_empty());
            assert_ne!(zh, en);
            assert!(zh.chars().count() < 200, "long text is shortened: {zh}");
        }
        assert!(describe(&errs[3], Lang::En).contains("644"));
        assert!(describe(&errs[2], Lang::En).contains("by hand"));
    }
}
