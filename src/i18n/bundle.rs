//! Sentences for the audit bundle's container layer (`crate::bundle`): one per problem kind and
//! per writer error, in Chinese and English. The data (codes, places, expected/found) is
//! printed by the caller; these sentences say what it means and, where useful, what to do.

use super::Lang;
use crate::bundle::{NameFault, ProblemKind, WriteError};

/// One sentence describing `kind`.
pub fn describe(kind: &ProblemKind, lang: Lang) -> String {
    use ProblemKind::*;
    match kind {
        Io { detail } => lang.pick(
            format!("无法读取文件：{detail}"),
            format!("the file could not be read: {detail}"),
        ),
        NoEndRecord { file_len } => lang.pick(
            format!(
                "文件不完整或不是 ZIP 文件（{file_len} 字节，找不到结尾目录）；请重新拷贝或重新导出"
            ),
            format!(
                "the bundle is incomplete or not a ZIP file ({file_len} bytes, no end of \
                 central directory); copy or export it again"
            ),
        ),
        EndRecordCut => lang.pick(
            "文件不完整：结尾目录被截断；请重新拷贝或重新导出".to_string(),
            "the bundle is incomplete: its end record is cut short; copy or export it again"
                .to_string(),
        ),
        PrependedData { bytes } => lang.pick(
            format!("第一个文件之前多出 {bytes} 字节（前面被加了数据，或拼接了另一个压缩包）"),
            format!(
                "{bytes} bytes before the first entry (data was prepended, or another archive \
                 was joined in front)"
            ),
        ),
        TrailingData { bytes } => lang.pick(
            format!("压缩包结尾之后多出 {bytes} 字节（后面被追加了数据或另一个压缩包）"),
            format!(
                "{bytes} bytes after the end of the archive (data or another archive was \
                 appended)"
            ),
        ),
        ArchiveComment { len } => lang.pick(
            format!("压缩包带有 {len} 字节的注释；审计包不应有注释"),
            format!("the archive has a {len}-byte comment; an audit bundle has none"),
        ),
        HiddenData { start, end } => lang.pick(
            format!("第 {start} 到 {end} 字节不属于任何文件（藏有数据）"),
            format!("bytes {start}..{end} belong to no entry (hidden data)"),
        ),
        MultiDisk => lang.pick(
            "压缩包声称分卷存放；审计包必须是单个文件".to_string(),
            "the archive claims to span several disks; a bundle is one file".to_string(),
        ),
        BadZip64End => lang.pick(
            "ZIP64 结尾记录缺失、损坏或与结尾目录不一致".to_string(),
            "the ZIP64 end record is missing, damaged, or disagrees with the end record"
                .to_string(),
        ),
        CentralDirOutOfRange => lang.pick(
            "中央目录的位置或大小超出文件范围".to_string(),
            "the central directory's position or size lies outside the file".to_string(),
        ),
        CentralDirMalformed { index } => lang.pick(
            format!("中央目录第 {index} 项无法解析"),
            format!("central directory record {index} cannot be parsed"),
        ),
        CentralDirTrailing { bytes } => lang.pick(
            format!("中央目录最后一项之后多出 {bytes} 字节"),
            format!("{bytes} extra bytes after the last central directory record"),
        ),
        TooManyEntries { count, cap } => lang.pick(
            format!("文件数 {count} 超过上限 {cap}"),
            format!("{count} entries, more than the limit of {cap}"),
        ),
        TotalTooLarge { total, cap } => lang.pick(
            format!("解压后总大小 {total} 字节超过上限 {cap} 字节"),
            format!("total uncompressed size {total} bytes is over the limit of {cap} bytes"),
        ),
        BadName { faults } => {
            let list: Vec<String> = faults.iter().map(|f| describe_fault(f, lang)).collect();
            lang.pick(
                format!("文件名不安全或不合规：{}", list.join("；")),
                format!("unsafe or invalid entry name: {}", list.join("; ")),
            )
        }
        Duplicate => lang.pick(
            "同名文件出现了两次".to_string(),
            "an entry with this name appears twice".to_string(),
        ),
        CaseCollision { other } => lang.pick(
            format!("与 {other} 仅大小写不同；在 Windows 上会互相覆盖"),
            format!("differs from {other} only in case; on Windows one would replace the other"),
        ),
        Encrypted => lang.pick(
            "文件被加密；审计包不能加密".to_string(),
            "the entry is encrypted; a bundle is never encrypted".to_string(),
        ),
        UnsupportedFlags { flags } => lang.pick(
            format!("不支持的标志位 {flags:#06x}"),
            format!("unsupported general-purpose flags {flags:#06x}"),
        ),
        UnsupportedMethod { method } => lang.pick(
            format!("不支持的压缩方式 {method}（只允许 0 不压缩、8 deflate）"),
            format!("unsupported compression method {method} (only 0 stored and 8 deflate)"),
        ),
        Symlink => lang.pick(
            "这是符号链接；审计包只能包含普通文件".to_string(),
            "this is a symbolic link; a bundle holds regular files only".to_string(),
        ),
        Directory => lang.pick(
            "这是目录项；审计包只能包含普通文件".to_string(),
            "this is a directory entry; a bundle holds regular files only".to_string(),
        ),
        SpecialFile { mode } => lang.pick(
            format!("这是特殊文件（权限位 {mode:o}）；审计包只能包含普通文件"),
            format!("this is a special file (mode {mode:o}); a bundle holds regular files only"),
        ),
        StoredSizeMismatch => lang.pick(
            "未压缩存放的文件，其压缩前后大小不一致".to_string(),
            "a stored entry whose compressed and uncompressed sizes differ".to_string(),
        ),
        EntryTooLarge { size, cap } => lang.pick(
            format!("声明大小 {size} 字节超过单个文件上限 {cap} 字节"),
            format!("declared size {size} bytes is over the per-entry limit of {cap} bytes"),
        ),
        BadExtraField { id } => lang.pick(
            format!("扩展字段 {id:#06x} 格式错误"),
            format!("extra field {id:#06x} is malformed"),
        ),
        ForbiddenExtraField { id } => lang.pick(
            format!("扩展字段 {id:#06x} 会让不同软件看到不同的文件名，不允许"),
            format!("extra field {id:#06x} lets tools see a different name; not allowed"),
        ),
        EntryComment => lang.pick(
            "文件带有注释；审计包不应有注释".to_string(),
            "the entry has a comment; a bundle has none".to_string(),
        ),
        LocalHeaderMissing { offset } => lang.pick(
            format!("中央目录指向的位置 {offset} 没有文件头"),
            format!("no local header at offset {offset}, where the central directory points"),
        ),
        LocalHeaderMismatch { field } => lang.pick(
            format!("文件头与中央目录不一致（{}）", field_zh(field)),
            format!("the local header disagrees with the central directory ({field})"),
        ),
        DataOutOfRange => lang.pick(
            "文件数据超出了范围（伸进中央目录）".to_string(),
            "the entry's data runs past the start of the central directory".to_string(),
        ),
        DataDescriptorMismatch => lang.pick(
            "数据之后的描述符缺失或与中央目录不一致".to_string(),
            "the data descriptor after the data is missing or disagrees with the central \
             directory"
                .to_string(),
        ),
        Overlap { other } => lang.pick(
            format!("与 {other} 的数据重叠（重叠式压缩炸弹）"),
            format!("its bytes overlap those of {other} (overlapping-entry zip bomb)"),
        ),
        Bomb { limit } => lang.pick(
            format!("解压后超过声明的 {limit} 字节，已在上限处停止（压缩炸弹）"),
            format!("inflates past its declared {limit} bytes; stopped at the limit (zip bomb)"),
        ),
        SizeMismatch => lang.pick(
            "解压后的大小少于声明的大小".to_string(),
            "the data ends before its declared size".to_string(),
        ),
        CrcMismatch => lang.pick(
            "CRC-32 校验值不符：文件内容被改动或损坏".to_string(),
            "CRC-32 mismatch: the content was changed or damaged".to_string(),
        ),
        DataCorrupt { detail } => lang.pick(
            format!("压缩数据损坏：{detail}"),
            format!("the compressed data is corrupt: {detail}"),
        ),
        DataTrailing { bytes } => lang.pick(
            format!("压缩数据结束后还多出 {bytes} 字节"),
            format!("{bytes} bytes remain after the end of the compressed data"),
        ),
        DeclaredOverCap { size, cap } => lang.pick(
            format!("声明大小 {size} 字节超过允许的 {cap} 字节"),
            format!("declared size {size} bytes is over the allowed {cap} bytes"),
        ),
        NotFound => lang.pick(
            "审计包里没有这个文件".to_string(),
            "the bundle has no entry of this name".to_string(),
        ),
        TooManyProblems { omitted } => lang.pick(
            format!("问题太多，另有 {omitted} 个未列出"),
            format!("too many problems; {omitted} more not listed"),
        ),
    }
}

fn field_zh(field: &str) -> &'static str {
    match field {
        "name" => "文件名",
        "flags" => "标志位",
        "method" => "压缩方式",
        "crc-32" => "CRC-32",
        "compressed size" => "压缩后大小",
        "size" => "大小",
        _ => "字段",
    }
}

/// A short phrase for one name fault.
pub fn describe_fault(fault: &NameFault, lang: Lang) -> String {
    use NameFault::*;
    match fault {
        Empty => lang.pick("名字为空".into(), "empty".into()),
        TooLong { len, cap } => lang.pick(
            format!("长 {len} 字节，超过 {cap}"),
            format!("{len} bytes long, over {cap}"),
        ),
        Absolute => lang.pick(
            "以 / 开头（绝对路径）".into(),
            "starts with / (absolute path)".into(),
        ),
        DriveLetter => lang.pick(
            "以盘符开头（如 C:）".into(),
            "starts with a drive letter (C:)".into(),
        ),
        Backslash => lang.pick("含反斜杠 \\".into(), "contains a backslash \\".into()),
        Colon => lang.pick("含冒号 :".into(), "contains a colon :".into()),
        ParentSegment => lang.pick(
            "含 ..（会写到目标目录之外）".into(),
            "contains .. (would escape the target folder)".into(),
        ),
        DotSegment => lang.pick("含 . 路径段".into(), "contains a . segment".into()),
        EmptySegment => lang.pick(
            "含空路径段（//）".into(),
            "contains an empty segment (//)".into(),
        ),
        ControlChar => lang.pick("含控制字符".into(), "contains a control character".into()),
        NonAscii => lang.pick(
            "含非 ASCII 字符".into(),
            "contains non-ASCII characters".into(),
        ),
        Disallowed { ch } => lang.pick(
            format!("含不允许的字符 {ch:?}"),
            format!("contains the character {ch:?}, which is not allowed"),
        ),
        WindowsDevice { segment } => lang.pick(
            format!("{segment} 是 Windows 设备名"),
            format!("{segment} is a Windows device name"),
        ),
        TrailingDot => lang.pick("路径段以 . 结尾".into(), "a segment ends with .".into()),
    }
}

/// One sentence for a writer error.
pub fn describe_write_error(err: &WriteError, lang: Lang) -> String {
    use crate::bundle::escape_control;
    let show = |p: &std::path::Path| escape_control(&p.to_string_lossy());
    match err {
        WriteError::Exists { path } => lang.pick(
            format!("{} 已存在；不会覆盖，请换一个文件名", show(path)),
            format!(
                "{} already exists; it is never overwritten, choose another name",
                show(path)
            ),
        ),
        WriteError::BadPath { path } => lang.pick(
            format!("{} 不是有效的文件路径", show(path)),
            format!("{} is not a usable file path", show(path)),
        ),
        WriteError::BadName { name, faults } => {
            let list: Vec<String> = faults.iter().map(|f| describe_fault(f, lang)).collect();
            lang.pick(
                format!("文件名 {name} 不合规：{}", list.join("；")),
                format!("entry name {name} is not allowed: {}", list.join("; ")),
            )
        }
        WriteError::DuplicateName { name } => lang.pick(
            format!("文件名 {name} 重复"),
            format!("entry name {name} was already added"),
        ),
        WriteError::CaseCollision { name, other } => lang.pick(
            format!("文件名 {name} 与 {other} 仅大小写不同"),
            format!("entry name {name} differs from {other} only in case"),
        ),
        WriteError::Source { name, err } => lang.pick(
            format!("读取要放入 {name} 的数据失败：{err}"),
            format!("reading the data for {name} failed: {err}"),
        ),
        WriteError::Io(err) => lang.pick(
            format!("写入审计包失败：{err}"),
            format!("writing the bundle failed: {err}"),
        ),
        WriteError::Poisoned => lang.pick(
            "之前的写入已失败，此审计包作废".to_string(),
            "an earlier write failed; this bundle is abandoned".to_string(),
        ),
    }
}
