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
        Directory => lang.pick(
            "是文件夹条目：liuyi 导出的审计包只含文件，这份像是被其他压缩软件重新打包过，请使用 liuyi export 导出的原文件".into(),
            "is a folder entry: a bundle liuyi exports holds only files, so this one looks re-packed by another zip tool; use the file liuyi export wrote".into(),
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

// ---- export and verify -------------------------------------------------------------------

use crate::bundle::verify::{Framing, Kind, Problem as VerifyProblem, Warning};

/// The bundle's README.txt: what it is and how to check it, in Chinese and English. Not
/// trusted by `verify` (it is not covered by any signature).
pub fn readme(origin: &str, size: u64, root: &str, scope: &str) -> String {
    format!(
        "六议两公开 审计包\n\
         ================\n\
         本文件是村级重大事项决策记录（{origin}）的审计包：记录共 {size} 条，树根 {root}，范围：{scope}。\n\
         log/entries.jsonl 每行一条记录，按原样保存；checkpoints/ 为村里每次签名的检查点；\n\
         cosigned/ 为乡镇副署过的检查点；attachments/ 与 notices/ 为附件与公告，文件名即其 SHA-256。\n\
         核验方法（无需解压）：liuyi verify 本文件.zip --trust 本村公钥\n\
         乡镇登记与副署：liuyi township register 本文件.zip；liuyi township cosign 本文件.zip -o 副署.txt\n\
         本说明文件不在签名范围内，仅供阅读。\n\
         \n\
         liuyi audit bundle\n\
         ==================\n\
         This is the audit bundle of a village decision record ({origin}): {size} entries, root {root}, {scope}.\n\
         log/entries.jsonl holds one entry per line, exactly as stored; checkpoints/ every signed\n\
         checkpoint; cosigned/ the checkpoints the township cosigned; attachments/ and notices/ the\n\
         attached files and printed notices, each named by its SHA-256.\n\
         To check it (no need to unpack): liuyi verify THIS.zip --trust VILLAGE_KEY\n\
         Township: liuyi township register THIS.zip; liuyi township cosign THIS.zip -o cosigned.txt\n\
         This README is not signed; it is for reading only.\n"
    )
}

pub fn exported(
    lang: Lang,
    path: &std::path::Path,
    entries: u64,
    atts: usize,
    notices: usize,
    bytes: u64,
) -> String {
    match lang {
        Lang::Zh => format!(
            "已导出审计包 {}：{entries} 条记录，{atts} 个附件，{notices} 份公告，共 {bytes} 字节。\n核验：liuyi verify {}",
            path.display(),
            as_typed(path)
        ),
        Lang::En => format!(
            "exported the audit bundle {}: {entries} entries, {atts} attachments, {notices} notices, {bytes} bytes.\nverify with: liuyi verify {}",
            path.display(),
            as_typed(path)
        ),
    }
}

/// `path` as it is typed in a command: in double quotes when it holds a space or a
/// character a shell takes apart (`审计 包.zip` → `"审计 包.zip"`), as is otherwise.
pub(crate) fn as_typed(path: &std::path::Path) -> String {
    let s = path.display().to_string();
    if s.chars()
        .any(|c| c.is_whitespace() || "'\"&;|<>()$`*?[]#~!{}".contains(c))
    {
        format!("\"{}\"", s.replace('"', "\\\""))
    } else {
        s
    }
}

fn framing(f: &Framing, lang: Lang) -> String {
    let s = match f {
        Framing::ByteOrderMark => lang.pick(
            "文件开头有 BOM 标记",
            "the file starts with a byte-order mark",
        ),
        Framing::CarriageReturn => lang.pick(
            "行尾有回车符（CRLF）",
            "lines end in carriage returns (CRLF)",
        ),
        Framing::NoFinalNewline => lang.pick("最后一行没有换行符", "the last line has no newline"),
        Framing::EmptyLine => lang.pick("有空行", "there is an empty line"),
        Framing::LineTooLong { .. } => lang.pick("有一行过长", "a line is too long"),
    };
    match lang {
        Lang::Zh => format!("{s}：记录文件被文本编辑器打开并手工改动过（例如记事本）"),
        Lang::En => format!("{s}: the log file was edited by hand (for example in Notepad)"),
    }
}

fn short(fp: &str) -> String {
    fp.chars().take(19).collect()
}

/// One verify problem, in words: `location [CODE] sentence`.
pub fn verify_problem(lang: Lang, p: &VerifyProblem) -> String {
    format!(
        "{}{}",
        super::placed(lang, &p.location, p.code),
        kind_text(lang, &p.kind)
    )
}

/// What a verify problem of `kind` is, in words (without its place and code).
fn kind_text(lang: Lang, kind: &Kind) -> String {
    match kind {
        Kind::Altered { by, code, inner } => match inner.as_ref() {
            Kind::Log(crate::check::ProblemKind::Rule(r)) => crate::i18n::cli::altered(
                lang,
                by,
                code,
                true,
                &super::rules::refusal(r, lang),
            ),
            other => crate::i18n::cli::altered(lang, by, code, false, &kind_text(lang, other)),
        },
        Kind::Container(c) => {
            let mut s = describe(&c.kind, lang);
            if let (Some(e), Some(f)) = (&c.expected, &c.found) {
                // The reader words sizes in English ("more than N bytes").
                let zh = |v: &str| {
                    v.replace("more than ", "超过 ")
                        .replace(">= ", "至少 ")
                        .replace(" bytes", " 字节")
                        .replace("regular file", "普通文件")
                        .replace("mode ", "权限 ")
                        .replace("start ", "起点 ")
                        .replace("end ", "终点 ")
                        .replace(" or ", " 或 ")
                };
                s += &lang.pick(
                    format!("（应为 {}，实为 {}）", zh(e), zh(f)),
                    format!(" (expected {e}, found {f})"),
                );
            }
            s
        }
        Kind::Log(k) | Kind::Attachment(k) => crate::i18n::cli::problem_text(lang, k),
        Kind::Framing(f) => framing(f, lang),
        Kind::Format { found } => lang.pick(
            format!("不是可识别的六议审计包（FORMAT 内容：{found}）"),
            format!("not a liuyi bundle this program knows (FORMAT says: {found})"),
        ),
        Kind::Missing => lang.pick("缺少必需的文件".into(), "a required file is missing".to_string()),
        Kind::LogEmpty => lang.pick(
            "记录为空：没有创始记录，也没有任何签名检查点，这不是一份村务记录。请村里用 liuyi export --all 重新导出审计包".into(),
            "the log is empty: no genesis entry and no signed checkpoint, so this is no village record. Ask the village to export the bundle again with liuyi export --all".to_string(),
        ),
        Kind::ScopeSelectsNothing { scope } => lang.pick(
            format!("FORMAT 写明的范围“{scope}”在记录中没有任何内容：范围与记录不符，不能据此少附附件"),
            format!("the FORMAT scope \"{scope}\" selects nothing in the log: the scope does not fit the record and cannot excuse missing files"),
        ),
        Kind::ScopeNotAtEnd { scope, matter } => lang.pick(
            format!("FORMAT 写明的范围是“{scope}”，但记录在其后还有范围之外的事项 {matter}：按范围导出的记录止于所选内容，范围与记录不符"),
            format!("the FORMAT scope is \"{scope}\", but the log goes on after it with matter {matter}, outside the scope: a scoped export ends with what it selects, so the scope does not fit the record"),
        ),
        Kind::Extra => lang.pick(
            "多出的文件：不在审计包格式之内，或没有任何记录引用它".into(),
            "an extra file: not part of the bundle layout, or no entry refers to it".to_string(),
        ),
        Kind::CheckpointName { name, size } => lang.pick(
            format!("文件名为 {name}，检查点内容却是 {size} 条"),
            format!("named for size {name} but the checkpoint is for size {size}"),
        ),
        Kind::CheckpointOrigin { expected, found } => lang.pick(
            format!("检查点属于另一个记录（{found}），本记录为 {expected}"),
            format!("the checkpoint belongs to another log ({found}); this one is {expected}"),
        ),
        Kind::CheckpointBeyond { size, entries } => lang.pick(
            format!("检查点覆盖 {size} 条记录，审计包只有 {entries} 条：有记录被删除"),
            format!("the checkpoint covers {size} entries but the bundle has {entries}: entries were removed"),
        ),
        Kind::KeyNotValid { fingerprint, size, valid_from, valid_to } => {
            let to = valid_to.map(|t| t.to_string()).unwrap_or_else(|| "…".into());
            lang.pick(
                format!("检查点（{size} 条）由密钥 {} 签名，该密钥只在第 {valid_from}–{to} 条有效", short(fingerprint)),
                format!("the checkpoint at size {size} is signed by key {}, which is valid only for sizes {valid_from}–{to}", short(fingerprint)),
            )
        }
        Kind::EntryInFuture { time, now } => entry_in_future(time, now, false, lang),
        Kind::CosignedElsewhere { size, entries } if size > entries => lang.pick(
            format!("这份已副署的检查点由本村的密钥签名，覆盖 {size} 条记录，而审计包只有 {entries} 条：记录被回退了（后面的记录被删去，或换成了旧副本）"),
            format!("this cosigned checkpoint is signed by the village's key and covers {size} entries, but the bundle has {entries}: the record was rolled back (later entries removed, or an older copy put in their place)"),
        ),
        Kind::CosignedElsewhere { size, .. } => lang.pick(
            format!("这份已副署的检查点由本村的密钥签名，但审计包在第 {size} 条处的检查点与它不同：历史记录被改写了"),
            format!("this cosigned checkpoint is signed by the village's key, but the bundle's checkpoint at size {size} is another: the record's history was rewritten"),
        ),
        Kind::CosignedLogChanged { size, root } => {
            let root = super::place(lang, root);
            lang.pick(
                format!("乡镇副署的正是审计包里第 {size} 条处的检查点，而记录已与它不符（见{}的 E-CKPT-ROOT）：记录在乡镇副署之后被改动过", super::amid(&root)),
                format!("the township cosigned this bundle's own checkpoint at size {size}, which the log no longer matches (see E-CKPT-ROOT at {root}): the log was changed after the township cosigned it"),
            )
        }
        Kind::CosignedBody => lang.pick(
            "副署检查点与本村同一大小的签名检查点不符".into(),
            "the cosigned checkpoint differs from the village's checkpoint of that size".to_string(),
        ),
        Kind::Cosignature { fingerprint } => lang.pick(
            format!("没有乡镇密钥（{}）的有效副署", short(fingerprint)),
            format!("no valid cosignature by the township key ({})", short(fingerprint)),
        ),
        Kind::Trust { expected, found, later: None } => lang.pick(
            format!("创始记录中的村密钥（{}）不是所信任的密钥（{}）：这不是该村的原始记录", short(found), short(expected)),
            format!("the genesis key ({}) is not the trusted key ({}): this is not that village's original record", short(found), short(expected)),
        ),
        Kind::Trust { expected, found, later: Some(from) } => lang.pick(
            format!("所信任的密钥（{}）是本村自第 {from} 条记录起换用的密钥，不是记录起始的村密钥（{}）：换用后的密钥不能为换用前的记录作证。请用本村登记时的密钥（liuyi township status 为本村列出的指纹）再核查", short(expected), short(found)),
            format!("the trusted key ({}) is the key this village changed to from entry {from}, not the key the record began with ({}): a later key cannot vouch for the record before it. Verify again with the key the village was registered with (the fingerprint liuyi township status lists for it)", short(expected), short(found)),
        ),
        Kind::RotationAuthority { found, pinned } => lang.pick(
            format!("遗失密钥的更换由密钥 {} 副署，不是乡镇的密钥 {}", &found[..found.len().min(16)], &pinned[..pinned.len().min(16)]),
            format!("the lost-key rotation is countersigned by key {}, not the township's {}", &found[..found.len().min(16)], &pinned[..pinned.len().min(16)]),
        ),
        Kind::TownshipKeyAsVillage { fingerprint } => lang.pick(
            format!("村记录用乡镇自己的密钥（指纹 {fingerprint}）签名：持有乡镇密钥的村可以为自己副署、接管任何村的记录。乡镇的密钥已不再保密：请换一把乡镇密钥（liuyi township init 新登记簿），并让该村用新生成的村密钥更换（liuyi key rotate）"),
            format!("the village record is signed with the township's own key (fingerprint {fingerprint}): a village holding the township's key can cosign for itself and take over any village's record. The township's key is no longer secret: make a new township key (liuyi township init, a new register) and have the village change to a newly made village key (liuyi key rotate)"),
        ),
        Kind::RotationUnconfirmed { found } => lang.pick(
            format!("遗失密钥的更换由密钥 {} 副署，但没有乡镇公钥可以确认副署者是乡镇（任何人都能用自己的密钥“副署”接管）：请加 --township-key 乡镇公钥 再核查", &found[..found.len().min(16)]),
            format!("the lost-key rotation is countersigned by key {}, but no township key was given to confirm that the township countersigned it (anyone can \"countersign\" a takeover with a key of their own): verify again with --township-key", &found[..found.len().min(16)]),
        ),
        Kind::NoticeDiffers { expected, found } => lang.pick(
            format!("按记录重新生成的公告与所存公告不同（应为 {expected}，重新生成 {found}）"),
            format!("the notice re-rendered from the record differs from the one recorded (recorded {expected}, re-rendered {found})"),
        ),
        Kind::NoticeRender { detail } => lang.pick(
            format!("无法按记录重新生成公告：{detail}"),
            format!("the notice cannot be re-rendered from the record: {detail}"),
        ),
        Kind::WeakKey { detail } => lang.pick(
            format!("村密钥不安全（弱密钥或非规范编码：{detail}），不能用于签名"),
            format!("the village key is unsafe (weak or non-canonical: {detail}) and cannot sign"),
        ),
        Kind::TooMany {
            omitted,
            stopped: None,
        } => lang.pick(
            format!("另有 {omitted} 个问题未列出"),
            format!("{omitted} more problems not listed"),
        ),
        Kind::TooMany {
            omitted,
            stopped: Some(read),
        } => {
            let cap = crate::bundle::verify::MAX_PROBLEMS;
            let line = read + 1;
            lang.pick(
                format!(
                    "问题已超过 {cap} 个的上限（另有 {omitted} 个未列出），核验停在记录第 {line} 行之前：其后的记录、检查点、附件和公告都未核对。这个审计包不能用，请村里重新导出（liuyi export --all）后再核验"
                ),
                format!(
                    "more than the limit of {cap} problems ({omitted} more not listed); verification stopped before line {line} of the log: the entries after it, the checkpoints, attachments and notices were not checked. This bundle cannot be used; ask the village to export it again (liuyi export --all) and verify that"
                ),
            )
        }
    }
}

pub fn verify_warning(lang: Lang, w: &Warning) -> String {
    match (w, lang) {
        (Warning::ReplayStopped { line }, Lang::Zh) => {
            format!("注意：记录在第 {line} 行断开，其后的程序合规性未能复核")
        }
        (Warning::ReplayStopped { line }, Lang::En) => format!(
            "note: the log breaks at line {line}; the procedure after it was not re-checked"
        ),
        (Warning::OutOfScope { count }, Lang::Zh) => {
            format!("注意：本审计包只含部分事项，其他事项的 {count} 个附件未包含")
        }
        (Warning::OutOfScope { count }, Lang::En) => format!(
            "note: this bundle covers part of the record; {count} attachments of other matters are not included"
        ),
        (Warning::CosignaturesUnchecked { count }, Lang::Zh) => {
            format!("注意：{count} 个乡镇副署未核验（未指定乡镇公钥 --township-key）")
        }
        (Warning::CosignaturesUnchecked { count }, Lang::En) => {
            format!("note: {count} township cosignatures not checked (no --township-key given)")
        }
        (Warning::KeyUnpinned { fingerprint, now: None }, Lang::Zh) => format!(
            "注意：未用 --trust 指定本村公钥，只核对了记录自身是否一致（换一把密钥从头重签的记录也一致）。此记录的密钥指纹为 {fingerprint}，请与村文书（liuyi key show）或乡镇登记簿逐段核对"
        ),
        (Warning::KeyUnpinned { fingerprint, now: None }, Lang::En) => format!(
            "note: no --trust key was given, so only the record's own consistency was checked (a record re-signed from the start with another key is consistent too). Its key fingerprint is {fingerprint}: compare it with the secretary's (liuyi key show) or the township's register"
        ),
        (Warning::KeyUnpinned { fingerprint, now: Some((current, from)) }, Lang::Zh) => format!(
            "注意：未用 --trust 指定本村公钥，只核对了记录自身是否一致（换一把密钥从头重签的记录也一致）。此记录起始的密钥指纹为 {fingerprint}，请与乡镇登记簿逐段核对；自第 {from} 条起换用的现用密钥指纹为 {current}，即村文书 liuyi key show 所显示的"
        ),
        (Warning::KeyUnpinned { fingerprint, now: Some((current, from)) }, Lang::En) => format!(
            "note: no --trust key was given, so only the record's own consistency was checked (a record re-signed from the start with another key is consistent too). The key it began with has fingerprint {fingerprint}: compare it with the township's register; the key in force since entry {from}, which the secretary's liuyi key show prints, has fingerprint {current}"
        ),
        (Warning::CheckpointsUnchecked { count }, Lang::Zh) => {
            format!("注意：记录读不完整，{count} 个检查点无从核对")
        }
        (Warning::CheckpointsUnchecked { count }, Lang::En) => {
            format!(
                "note: the log could not be read, so its {count} checkpoints could not be checked"
            )
        }
        (Warning::FilesUnchecked { count }, Lang::Zh) => {
            format!("注意：记录读不完整，{count} 个附件和公告无从核对")
        }
        (Warning::FilesUnchecked { count }, Lang::En) => {
            format!(
                "note: the log could not be read to its end, so {count} attachments and notices could not be checked"
            )
        }
        (Warning::NotCosignedBy { fingerprint }, Lang::Zh) => format!(
            "注意：没有任何检查点带有乡镇公钥（{fingerprint}）的有效副署，不能排除此记录在副署后被截短（回滚）。请用 liuyi township cosign 与乡镇登记簿核对"
        ),
        (Warning::NotCosignedBy { fingerprint }, Lang::En) => format!(
            "note: no checkpoint carries a valid cosignature by the township key {fingerprint}, so a rollback after a cosigning cannot be ruled out. Check it against the township's register with liuyi township cosign"
        ),
        (Warning::RetiredKeyInFile { file }, Lang::Zh) => format!(
            "注意：{file} 含有本村一把已停用的签名私钥（换钥之前的密钥）：它已不能签署新的记录，但审计包带着它，请妥善保管本包"
        ),
        (Warning::RetiredKeyInFile { file }, Lang::En) => format!(
            "note: {file} holds a signing key of the village's that a rotation has retired: it signs nothing new, but the bundle carries it; keep the bundle safe"
        ),
        (Warning::RotationUnpinned { line, key }, Lang::Zh) => format!(
            "注意：第 {line} 行的遗失密钥更换由 {} 副署，未指定乡镇公钥，无法确认其身份",
            &key[..key.len().min(16)]
        ),
        (Warning::RotationUnpinned { line, key }, Lang::En) => format!(
            "note: the lost-key rotation at line {line} is countersigned by {}; no township key was given to confirm it",
            &key[..key.len().min(16)]
        ),
        (Warning::ReadmeAltered { missing: true }, Lang::Zh) => {
            "注意：审计包中没有 README.txt（说明文件，不在签名范围内）；以本报告为准".to_string()
        }
        (Warning::ReadmeAltered { missing: true }, Lang::En) => {
            "note: the bundle has no README.txt (the unsigned description); this report is what counts".to_string()
        }
        (Warning::ReadmeAltered { missing: false }, Lang::Zh) => "注意：README.txt 与本程序为这份记录写出的说明不同（被改动、损坏，或由其他版本的六议写出）。它不在签名范围内：请勿照其中的内容操作，以本报告为准".to_string(),
        (Warning::ReadmeAltered { missing: false }, Lang::En) => "note: README.txt is not the description this program writes for this record (edited, damaged, or written by another version of liuyi). It is not signed: do not follow anything it says; this report is what counts".to_string(),
        (Warning::NoRenderer { count }, Lang::Zh) => {
            format!("注意：本程序版本无法重新生成公告，{count} 份公告只核对了哈希")
        }
        (Warning::NoRenderer { count }, Lang::En) => format!(
            "note: this build cannot re-render notices; {count} notices were checked by hash only"
        ),
        (
            Warning::CannotReproduce {
                line,
                template,
                font,
            },
            Lang::Zh,
        ) => format!(
            "注意：第 {line} 行的公告由其他版本生成（模板 {template}，字体 {font}），无法重新生成比对；所存哈希仍证明其内容"
        ),
        (
            Warning::CannotReproduce {
                line,
                template,
                font,
            },
            Lang::En,
        ) => format!(
            "note: cannot reproduce the notice at line {line}: made by version {template} (font {font}); the stored hash still proves its bytes"
        ),
    }
}

pub fn verified(
    lang: Lang,
    origin: &str,
    entries: u64,
    root: &str,
    cosigned: Option<(u64, u64)>,
    scope: Option<&crate::bundle::export::Scope>,
) -> String {
    use crate::bundle::export::Scope;
    // A scoped bundle carries only its matters' files: say so where it passes.
    let part = match (scope, lang) {
        (Some(Scope::Year(y)), Lang::Zh) => format!("（仅 {y} 年的事项）"),
        (Some(Scope::Year(y)), Lang::En) => format!(" (the matters of {y} only)"),
        (Some(Scope::Proposal(id)), Lang::Zh) => format!("（仅事项 {id}）"),
        (Some(Scope::Proposal(id)), Lang::En) => format!(" (matter {id} only)"),
        _ => String::new(),
    };
    let cos = match (cosigned, lang) {
        (Some((s, t)), Lang::Zh) => format!("，乡镇已副署至第 {s} 条（{}）", time(t)),
        (Some((s, t)), Lang::En) => format!(", township-cosigned up to size {s} ({})", time(t)),
        (None, _) => String::new(),
    };
    match lang {
        Lang::Zh => format!("核验通过{part}：{origin}，共 {entries} 条记录，树根 {root}{cos}。"),
        Lang::En => format!("VERIFIED{part}: {origin}, {entries} entries, root {root}{cos}."),
    }
}

fn time(t: u64) -> String {
    chrono::DateTime::from_timestamp(t as i64, 0)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| t.to_string())
}

pub fn not_verified(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("未通过核验：发现 {n} 个问题。审计包可能被改动、损坏或不完整。"),
        Lang::En => format!(
            "NOT VERIFIED: {n} {}. The bundle may have been altered, damaged or cut short.",
            if n == 1 { "problem" } else { "problems" }
        ),
    }
}

/// An entry stamped more than a day after this computer's clock: the township's `verify`
/// (`own` false) and the village's own `check` (`own` true) say it alike.
pub fn entry_in_future(
    time: &chrono::DateTime<chrono::Utc>,
    now: &chrono::DateTime<chrono::Utc>,
    own: bool,
    lang: Lang,
) -> String {
    let (t, n) = (china_time(time), china_time(now));
    match (own, lang) {
        (false, Lang::Zh) => format!(
            "这条记录的时间是 {t}，晚于本机当前时间 {n} 一天以上：记录不可能来自未来。各步骤的日期都以记录时间为准，这样的记录能让未到期的公示期显得已满。请先核对本机时钟；本机无误时，请与村里核实其电脑时钟和这份记录"
        ),
        (false, Lang::En) => format!(
            "this entry is stamped {t}, more than a day after this computer's clock ({n}): no entry can come from the future. Every step's date is judged against its entry's time, so such times could make a posting period look over before it is. Check this computer's clock first; if it is right, ask the village about its computer's clock and this record"
        ),
        (true, Lang::Zh) => format!(
            "这条记录的时间是 {t}，晚于本机当前时间 {n} 一天以上：多半是记录时电脑时钟调快了。记录时间不能倒退，在那个时间到来之前本机无法再记录，乡镇核查也会报告这条记录。请先核对本机时钟；时钟无误时，不要修改数据库，请带着这份记录联系乡镇"
        ),
        (true, Lang::En) => format!(
            "this entry is stamped {t}, more than a day after this computer's clock ({n}): most likely the clock was set ahead when it was recorded. Entry times never go back, so nothing more can be recorded here until that time, and the township's verify reports this entry too. Check this computer's clock first; if it is right, do not edit the database: take this record to the township"
        ),
    }
}

/// A time in China's time, as the village's dates are: `2036-12-01 10:00 (UTC+8)`.
pub fn china_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    let china = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    t.with_timezone(&china)
        .format("%Y-%m-%d %H:%M (UTC+8)")
        .to_string()
}
