//! `--help` in the user's language. clap's derive gives the structure; this table gives
//! the words (Chinese by default, English with `--lang en`), so help text lives with the
//! other sentences. Applied to the whole command tree before parsing.

use clap::Command;

use super::Lang;

/// (subcommand path, argument id, Chinese, English): an argument whose words differ in
/// this command from `ARGS` (`-o` writes a PDF elsewhere, here a ZIP or a text file).
const ARGS_AT: &[(&str, &str, &str, &str)] = &[
    (
        "form",
        "kind",
        "种类：consultation 民议签字表 / motion 动议受理回执 / signin 会议签到表 / reply 动议答复书（事项未获通过时）",
        "kind: consultation (民议 signature sheet), motion (receipt for a written motion), signin (meeting sign-in sheet), reply (written reply to the proposers of a declined motion)",
    ),
    (
        "posted",
        "note",
        "说明（张贴位置、拍摄时间等）",
        "note (where it was posted, when the photo was taken)",
    ),
    (
        "export",
        "out",
        "输出 ZIP 审计包（不会覆盖已有文件）",
        "output ZIP audit bundle (never overwrites)",
    ),
    (
        "township cosign",
        "out",
        "输出乡镇副署的检查点文件，交村里导入（不会覆盖已有文件）",
        "output file: the township-cosigned checkpoint, for the village to import (never overwrites)",
    ),
    (
        "township countersign",
        "out",
        "输出乡镇加签的申请文件，交村里记录（不会覆盖已有文件）",
        "output file: the countersigned request, for the village to record (never overwrites)",
    ),
    (
        "key rotate",
        "out",
        "输出交乡镇加签的申请文件（不会覆盖已有文件）",
        "output file: the request for the township to countersign (never overwrites)",
    ),
];

/// (subcommand path, Chinese, English): what each command does.
const ABOUT: &[(&str, &str, &str)] = &[
    (
        "",
        "六议两公开：村级重大事项决策记录、公告与审计",
        "六议两公开: record village decisions, print the notices, hand the township a verifiable record",
    ),
    (
        "init",
        "建立本村的决策记录库和签名密钥",
        "create the village's record and its signing key",
    ),
    (
        "roster",
        "导入或查看花名册",
        "import or list the village roster",
    ),
    (
        "roster import",
        "导入花名册（CSV：UTF-8 或 GBK；或 XLSX），与现有名册的差异记为变更",
        "import a roster file (CSV in UTF-8 or GBK, or XLSX); differences are recorded",
    ),
    ("roster list", "列出当前花名册", "list the current roster"),
    (
        "motion",
        "动议：登记村民书面提出的动议",
        "动议: record villagers' written motion",
    ),
    (
        "propose",
        "提议：村党组织（支委会）提议或否决",
        "提议: the party branch committee proposes (or declines)",
    ),
    (
        "discuss",
        "商议：两委联席会商议方案",
        "商议: the two committees discuss the plan",
    ),
    (
        "review",
        "审议：党员大会审议表决",
        "审议: the party members' meeting reviews",
    ),
    (
        "consult",
        "民议：逐户征求意见，须全部签字同意",
        "民议: household-by-household consultation; every household must sign consent",
    ),
    (
        "consult open",
        "开始民议：按当日花名册确定范围内的户（本村规则逐人征求时为成年村民）",
        "open the consultation: fixes the households in scope from the roster (the adults, where the village's rules ask each adult)",
    ),
    (
        "consult record",
        "登记一户的签字意见（逐人征求时写 户号:姓名）",
        "record one household's signed opinion (HOUSEHOLD:NAME where each adult is asked)",
    ),
    (
        "consult import",
        "导入逐户意见汇总表（每户一行；逐人征求时每人一行，可加“姓名”列）",
        "import a file of household opinions (one row per household; where each adult is asked, one per adult, with an optional name column)",
    ),
    (
        "consult attach",
        "附签字表扫描件",
        "attach scanned signature sheets",
    ),
    (
        "consult status",
        "民议进展：已签、反对、未签的户",
        "where the consultation stands: signed, objecting, missing",
    ),
    (
        "resolve",
        "决议：村民代表会议或村民会议表决",
        "决议: the representatives' or villagers' meeting resolves",
    ),
    (
        "publish",
        "公开：张贴决议公告或实施结果公告，并生成公告 PDF",
        "公开: post the resolution or result notice and print its PDF",
    ),
    (
        "posted",
        "张贴凭证：登记公告已张贴的凭证（公告栏照片等），在 publish 打印公告之后",
        "record proof that a published notice was posted (a photo of the board), after publish printed it",
    ),
    (
        "objection",
        "登记对公告的异议，或答复异议（objection ID reply N）",
        "record an objection to a posted notice, or reply to one (objection ID reply N)",
    ),
    ("objection reply", "答复第 N 条异议", "reply to objection N"),
    (
        "implement",
        "登记实施进展",
        "record implementation progress",
    ),
    (
        "complete",
        "登记竣工与验收",
        "record completion and acceptance",
    ),
    (
        "revise",
        "退回商议（民议有反对时修改方案）",
        "send the plan back to discussion (after objections at 民议)",
    ),
    ("withdraw", "撤回事项", "withdraw a matter"),
    ("show", "查看一个事项的全部记录", "show one matter"),
    ("list", "列出全部事项", "list all matters"),
    (
        "status",
        "待办事项及每项的下一步",
        "what is pending and the next step for each matter",
    ),
    (
        "check",
        "重新校验整个本地记录（哈希链、签名、附件、数据库）",
        "re-verify the whole local record (chain, signatures, attachments, database)",
    ),
    (
        "demo",
        "演示：生成一个真实规模的村，走完一个事项的全部环节",
        "build a realistic village and walk a matter through every stage",
    ),
    (
        "notice",
        "按记录重新打印已张贴的公告（与原件逐字节相同）",
        "re-print a posted notice, byte-identical",
    ),
    (
        "policy",
        "查看或修改本村议事规则（法定人数与通过比例）",
        "show or change the village's procedural policy",
    ),
    ("policy show", "显示现行规则", "show the policy in force"),
    (
        "supervision",
        "查看或修改公告上的异议联系人（村务监督委员会联系人和电话）",
        "show or change where villagers take objections (the supervision committee's contact)",
    ),
    (
        "supervision show",
        "显示现行的联系人和电话",
        "show the contact every notice prints",
    ),
    (
        "supervision set",
        "记录新的联系人或电话（换届、换号）；此后打印的公告使用新的",
        "record a new contact or phone (an election, a new number); notices printed from then on name it",
    ),
    (
        "policy set",
        "记录新的规则（JSON 文件，格式同 policy show --json）",
        "record a new policy (JSON, as policy show --json prints)",
    ),
    (
        "export",
        "导出审计包（ZIP），交乡镇离线核查",
        "export the audit bundle (ZIP) for the township",
    ),
    (
        "verify",
        "离线核查审计包：容器、哈希链、签名、附件、程序规则重放、公告重新生成",
        "verify an audit bundle offline: container, chain, signatures, attachments, rules replay, notices",
    ),
    (
        "checkpoint",
        "乡镇会签的检查点",
        "township-cosigned checkpoints",
    ),
    (
        "checkpoint import",
        "导入乡镇会签的检查点（第一次须加 --township-key：核对后记录库即认定该乡镇公钥）",
        "import a checkpoint the township cosigned (the first time with --township-key, which the record then pins)",
    ),
    ("key", "本村签名密钥", "the village signing key"),
    (
        "key show",
        "显示密钥指纹（电话核对用）",
        "show the key's fingerprint (to read over the phone)",
    ),
    (
        "key rotate",
        "更换本村密钥（换届交接，或密钥丢失）",
        "change the village key (change of secretary, or a lost key)",
    ),
    (
        "township",
        "乡镇登记簿与会签",
        "the township's register and witness",
    ),
    (
        "township init",
        "建立乡镇登记簿和乡镇密钥",
        "create the township register and key",
    ),
    (
        "township register",
        "核查村的审计包并登记其记录标识、创世哈希和密钥",
        "verify a village's bundle and pin its origin, genesis and key",
    ),
    (
        "township cosign",
        "核查审计包、确认其延续上次会签的记录，并会签检查点",
        "verify a bundle, check it extends the last one, and cosign its checkpoint",
    ),
    (
        "township countersign",
        "为村的密钥丢失更换申请加签",
        "countersign a village's lost-key rotation request",
    ),
    (
        "township status",
        "列出已登记的村及最近会签情况",
        "list the registered villages and what was last cosigned",
    ),
    (
        "form",
        "打印表格：民议签字表、动议受理回执、会议签到表、动议答复书",
        "print a form: 民议 signature sheet, motion receipt, meeting sign-in sheet, reply to a declined motion",
    ),
];

/// (argument id, Chinese, English).
const ARGS: &[(&str, &str, &str)] = &[
    ("all", "全部记录", "the whole record"),
    (
        "year",
        "某一年的事项（及其前的记录）",
        "the matters of one year (and the log up to them)",
    ),
    (
        "proposal",
        "某一事项（及其前的记录）",
        "one matter (and the log up to it)",
    ),
    (
        "trust",
        "记录必须以此村密钥开始（vkey、十六进制公钥或密钥文件）",
        "the village key the record must start with (vkey, hex or key file)",
    ),
    (
        "township_key",
        "乡镇公钥（vkey、十六进制或密钥文件）",
        "the township's public key (vkey, hex or key file)",
    ),
    (
        "new_key",
        "新密钥文件（不存在则新建；不会覆盖）",
        "the new key file (made if missing; never overwritten)",
    ),
    (
        "lost",
        "原密钥丢失：请乡镇加签",
        "the old key is lost: ask the township to countersign",
    ),
    (
        "countersigned",
        "乡镇加签后的申请文件",
        "the request as countersigned by the township",
    ),
    (
        "township_db",
        "乡镇登记簿（默认：用户数据目录中的 township.db）",
        "the township register (default: township.db in the per-user data directory)",
    ),
    (
        "name",
        "乡镇名称（副署上的签名者名称，不含空格）",
        "the township's name (the signer's name on its cosignatures; no spaces)",
    ),
    ("bundle", "审计包文件", "the audit bundle"),
    (
        "request",
        "村的更换申请文件",
        "the village's rotation request",
    ),
    (
        "db",
        "记录库文件（默认：用户数据目录）",
        "database file (default: the per-user data directory)",
    ),
    (
        "key",
        "本村签名密钥文件（默认：记录库旁的 liuyi.key）",
        "village signing key (default: liuyi.key beside the database)",
    ),
    ("lang", "界面语言：zh 或 en", "language: zh or en"),
    ("json", "以 JSON 输出", "print one JSON document"),
    ("id", "事项编号，如 2026-001", "matter ID, e.g. 2026-001"),
    (
        "date",
        "日期 YYYY-MM-DD（默认今天）",
        "date YYYY-MM-DD (default: today)",
    ),
    (
        "attach",
        "附件（扫描件、照片、会议记录），可多次",
        "attachment (scan, photo, minutes); repeatable",
    ),
    ("present", "实到人数", "number present"),
    ("for_", "同意票数", "votes for"),
    ("against", "反对票数", "votes against"),
    ("abstain", "弃权票数", "abstentions"),
    (
        "decision",
        "决定：adopt 通过 / decline 否决",
        "decision: adopt or decline",
    ),
    ("reason", "理由", "reason"),
    (
        "overspend_reason",
        "超支原因（实际支出超出预算时必填，印在实施结果公告上）",
        "why the final cost is over the budget (required then; printed on the result notice)",
    ),
    (
        "correction",
        "更正原因：对已竣工验收的事项再次登记即更正前一次登记（须写明更正什么、为什么；公告按最后一次印出）",
        "recording a completed matter's completion again corrects the last one: say what is corrected and why (the notice prints the last)",
    ),
    (
        "again",
        "确认再记一条：与已记录的完全相同时默认拒绝（防止同一命令运行两次）",
        "record it although an identical one is recorded (refused by default: a command run twice)",
    ),
    ("text", "内容", "text"),
    (
        "text_file",
        "内容文件（UTF-8 或 GBK 文本）",
        "text file (UTF-8 or GBK)",
    ),
    ("title", "标题", "title"),
    (
        "by",
        "提出人：姓名 或 户号:姓名，多人用逗号或顿号分隔",
        "proposers: NAME or HOUSEHOLD:NAME, separated by , ， or 、",
    ),
    (
        "category",
        "事项类别（如 public_works 或 公益事业与建设项目）",
        "category (e.g. public_works)",
    ),
    ("amount", "估算金额（元）", "estimated amount in yuan"),
    ("plan_file", "方案文件", "plan file"),
    ("budget", "预算（元）", "budget in yuan"),
    (
        "funding",
        "资金来源，如“财政奖补200000元；村集体126000元”",
        "funding sources, each with its amount in yuan, e.g. \"grant 200000; village funds 126000\"",
    ),
    (
        "body",
        "表决机构：representatives 村民代表会议 / villagers 村民会议",
        "body: representatives or villagers",
    ),
    (
        "households_present",
        "村民会议到会户数",
        "households represented (villagers' meeting)",
    ),
    ("kind", "种类", "kind"),
    (
        "days",
        "公示天数（至少 15 天）",
        "posting period in days (at least 15)",
    ),
    ("place", "张贴地点", "where it is posted"),
    (
        "out",
        "输出 PDF 文件（不会覆盖已有文件）",
        "output PDF (never overwrites)",
    ),
    (
        "demo_dir",
        "演示用的记录库、密钥和文件放在此目录（默认：新建临时目录）",
        "directory for the demo database, key and documents (default: a new temporary one)",
    ),
    (
        "out_dir",
        "输出目录（liuyi.db 与 liuyi.key；多个村时为 village-NN/）",
        "output directory (liuyi.db and liuyi.key, or village-NN/ for several villages)",
    ),
    (
        "font",
        "使用指定字体代替内置字体",
        "print with this font instead of the bundled one",
    ),
    ("from", "异议人", "who objects"),
    ("note", "进展说明", "progress note"),
    ("spent", "支出（元）", "amount spent in yuan"),
    ("contractor", "施工（承接）单位", "contractor"),
    (
        "accepted_by",
        "验收人，多人用逗号或顿号分隔",
        "who accepted the work, separated by , ， or 、",
    ),
    ("delivered", "建设（实施）内容", "what was delivered"),
    (
        "procurement",
        "施工单位确定方式（如公开比选）",
        "how the contractor was chosen",
    ),
    (
        "supervision",
        "村务监督委员会意见",
        "opinion of the village affairs supervision committee",
    ),
    ("acceptance", "验收结论", "the acceptance's conclusion"),
    (
        "spent_by",
        "按资金来源的决算：来源=金额，可多次，合计须等于 --spent",
        "final cost by source: SOURCE=YUAN, repeatable; must add up to --spent",
    ),
    ("village", "村名", "village name"),
    ("township", "乡镇", "township"),
    ("county", "县（市、区）", "county"),
    (
        "code",
        "统计用区划代码（12 位）",
        "statistical division code (12 digits)",
    ),
    (
        "supervisor",
        "村务监督委员会负责人",
        "chair of the village affairs supervision committee",
    ),
    (
        "phone",
        "监督委员会联系电话",
        "the supervision committee's phone",
    ),
    ("file", "文件", "file"),
    (
        "household",
        "户号（逐人征求时为 户号:姓名）",
        "household number (HOUSEHOLD:NAME where each adult is asked)",
    ),
    ("consent", "同意", "consents"),
    ("object", "反对（须写明理由）", "objects (give the reason)"),
    ("signer", "签字人", "who signed"),
    (
        "method",
        "签字方式：in-person 在场 / same-household 同户代签 / remote 远程确认 / proxy 委托（须写明 --relation，代签同意须以 --evidence 附委托书）",
        "method: in-person, same-household, remote, proxy (a proxy gives --relation; a consent by proxy attaches the written authorisation with --evidence)",
    ),
    ("collector", "征求人（村民代表）", "who collected it"),
    (
        "relation",
        "签字人与户主的关系（本户成员按花名册自动填写；委托他人代签时须写明）",
        "the signer's relation to the household (a member's is taken from the roster; give it for a proxy)",
    ),
    (
        "evidence",
        "签字留痕文件（照片或扫描件）",
        "evidence file (photo or scan)",
    ),
    ("sheet_page", "签字表页码", "signature-sheet page"),
    (
        "pages",
        "扫描件对应的签字表页码范围，如 1-19",
        "signature-sheet pages the scan covers, e.g. 1-19",
    ),
    ("n", "异议编号", "objection number"),
    (
        "meeting",
        "签到表对应的会议",
        "which meeting the sign-in sheet is for",
    ),
];

fn localize_one(mut cmd: Command, path: &str, lang: Lang) -> Command {
    if let Some((_, zh, en)) = ABOUT.iter().find(|(p, _, _)| *p == path) {
        cmd = cmd.about(lang.pick(*zh, *en));
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let at = ARGS_AT
            .iter()
            .find(|(c, a, _, _)| *c == path && *a == id)
            .map(|(_, a, zh, en)| (*a, *zh, *en));
        if let Some((_, zh, en)) = at.or_else(|| ARGS.iter().find(|(a, _, _)| *a == id).copied()) {
            cmd = cmd.mut_arg(id.as_str(), |a| a.help(lang.pick(zh, en)));
        }
    }
    if lang == Lang::Zh {
        cmd = cmd
            .help_template("{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}")
            .subcommand_help_heading("命令")
            .next_help_heading("选项");
        let ids: Vec<(String, bool)> = cmd
            .get_arguments()
            .map(|a| (a.get_id().to_string(), a.is_positional()))
            .collect();
        for (id, positional) in ids {
            cmd = cmd.mut_arg(id.as_str(), |a| {
                a.help_heading(if positional { "参数" } else { "选项" })
            });
        }
    }
    // clap's own -V/--version (the top command's only), worded like the rest.
    if path.is_empty() {
        let mut version = clap::Arg::new("version")
            .short('V')
            .long("version")
            .action(clap::ArgAction::Version)
            .help(lang.pick("显示版本", "show the version"));
        if lang == Lang::Zh {
            version = version.help_heading("选项");
        }
        cmd = cmd.disable_version_flag(true).arg(version);
    }
    // clap's own -h/--help, worded like the rest.
    let mut help = clap::Arg::new("help")
        .short('h')
        .long("help")
        .action(clap::ArgAction::Help)
        .help(lang.pick("显示帮助", "show help"));
    if lang == Lang::Zh {
        help = help.help_heading("选项");
    }
    cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .arg(help);
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        cmd = cmd.mut_subcommand(name.as_str(), |s| localize_one(s, &sub_path, lang));
    }
    cmd
}

/// The whole command tree with help in `lang`.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    localize_one(cmd, "", lang)
}

/// A command-line mistake in the user's language: clap words its own errors in English
/// only. `None` for English, for what is not a mistake (help, version) and for a kind not
/// worded here; clap's own message is then printed.
/// Help text as clap renders it, with the annotations clap writes in English
/// (`[default: …]`, `[possible values: …]`, `[env: …]`, `[aliases: …]`) in Chinese.
/// `None` for English, or for anything but help (asked for, or shown for a command given
/// without its subcommand).
pub fn help_text(e: &clap::Error, lang: Lang, styled: bool) -> Option<String> {
    use clap::error::ErrorKind as E;
    let help = matches!(
        e.kind(),
        E::DisplayHelp | E::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if lang != Lang::Zh || !help {
        return None;
    }
    let rendered = e.render();
    let text = if styled {
        rendered.ansi().to_string()
    } else {
        rendered.to_string()
    };
    Some(localize_annotations(&text))
}

fn localize_annotations(text: &str) -> String {
    text.replace("[default: ", "[默认：")
        .replace("[possible values: ", "[可选：")
        .replace("[env: ", "[环境变量：")
        .replace("[aliases: ", "[别名：")
        .replace("[alias: ", "[别名：")
}

pub fn parse_error(e: &clap::Error, lang: Lang) -> Option<String> {
    use clap::error::{ContextKind as K, ContextValue as V, ErrorKind as E};
    if !e.use_stderr() {
        return None;
    }
    let text = |k: K| match e.get(k) {
        Some(V::Strings(v)) => v.join("、"),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    if lang != Lang::Zh {
        // `consult record` takes one of two: clap named only --consent, which steered a
        // household that objects towards recording consent.
        if e.kind() == E::MissingRequiredArgument && text(K::InvalidArg) == "--consent" {
            let usage = text(K::Usage);
            return Some(format!(
                "error: the household's opinion is missing: add --consent for consent, or --object REASON for an objection.\n\n{}\n\nFor more information, try '--help'.",
                usage.trim()
            ));
        }
        return None;
    }
    let arg = text(K::InvalidArg);
    let value = text(K::InvalidValue);
    let head = match e.kind() {
        // `consult record` takes one of two: say both.
        E::MissingRequiredArgument if arg == "--consent" => {
            "缺少该户的意见：同意请加 --consent，反对请加 --object 理由".to_string()
        }
        E::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        E::UnknownArgument => format!("无法识别的参数“{arg}”"),
        E::InvalidSubcommand => format!("没有“{}”这个命令", text(K::InvalidSubcommand)),
        E::InvalidValue if value.is_empty() => format!("参数 {arg} 缺少值"),
        E::InvalidValue => format!("参数 {arg} 的值“{value}”无效"),
        // Every typed flag is a count or a year: a negative count is refused as such
        // (`cli::count`), a number that does not fit is out of range.
        E::ValueValidation if e.to_string().contains(crate::cli::PAGE_FROM_ONE) => {
            format!("参数 {arg} 的值“{value}”无效：页码从 1 开始")
        }
        E::ValueValidation if is_integer(&value) && value.trim().starts_with('-') => {
            format!("参数 {arg} 的值“{value}”不能为负数")
        }
        E::ValueValidation if is_integer(&value) => {
            format!("参数 {arg} 的值“{value}”超出允许的范围")
        }
        E::ValueValidation => format!("参数 {arg} 的值“{value}”无效：应为整数"),
        // clap reports a flag given twice as a conflict with itself.
        E::ArgumentConflict if text(K::PriorArg) == arg => format!("参数 {arg} 只能给一次"),
        E::ArgumentConflict => {
            format!("参数 {arg} 不能与 {} 同时使用", text(K::PriorArg))
        }
        E::TooManyValues | E::WrongNumberOfValues => format!("参数 {arg} 的值个数不对"),
        E::MissingSubcommand => "缺少子命令（有哪些，请用 --help 查看）".to_string(),
        _ => return None,
    };
    let mut out = format!("错误：{head}。");
    // Each value with the Chinese word it also takes (`cli`'s value aliases).
    let valid = match e.get(K::ValidValue) {
        Some(V::Strings(v)) => v
            .iter()
            .map(|x| match chinese_alias(x) {
                Some(zh) => format!("{x}（{zh}）"),
                None => x.clone(),
            })
            .collect::<Vec<_>>()
            .join("、"),
        _ => text(K::ValidValue),
    };
    if !valid.is_empty() {
        out += &format!("\n可用的值：{valid}");
    }
    for k in [K::SuggestedArg, K::SuggestedSubcommand, K::SuggestedValue] {
        let tip = text(k);
        if !tip.is_empty() {
            out += &format!("\n提示：是否要用 {tip}？");
        }
    }
    let usage = text(K::Usage);
    let usage = usage.trim();
    if !usage.is_empty() {
        out += &format!(
            "\n\n用法：{}",
            usage.strip_prefix("Usage:").unwrap_or(usage).trim()
        );
    }
    out += "\n\n更多信息请用 --help。";
    Some(out)
}

/// Digits, with a sign perhaps: a number, whatever its size.
fn is_integer(s: &str) -> bool {
    let digits = s.trim().trim_start_matches(['-', '+']);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The Chinese word a command-line value also takes (the first of its aliases in `cli`).
fn chinese_alias(value: &str) -> Option<&'static str> {
    Some(match value {
        "adopt" => "通过",
        "decline" => "否决",
        "in-person" => "在场",
        "same-household" => "同户代签",
        "remote" => "远程确认",
        "proxy" => "委托",
        "representatives" => "村民代表会议",
        "villagers" => "村民会议",
        "resolution" => "决议",
        "result" => "结果",
        "consultation" => "民议",
        "motion" => "动议",
        "signin" => "签到表",
        "reply" => "答复书",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn output_help_names_what_each_command_writes() {
        let help = |path: &[&str], lang: Lang| {
            let mut cmd = localize(crate::cli::Cli::command(), lang);
            for p in path {
                cmd = cmd.find_subcommand(p).unwrap().clone();
            }
            cmd.get_arguments()
                .find(|a| a.get_id() == "out")
                .and_then(|a| a.get_help())
                .map(|h| h.to_string())
                .unwrap()
        };
        assert!(help(&["export"], Lang::Zh).contains("ZIP"));
        assert!(help(&["export"], Lang::En).contains("ZIP"));
        assert!(help(&["township", "cosign"], Lang::Zh).contains("检查点"));
        assert!(help(&["key", "rotate"], Lang::En).contains("request"));
        assert!(help(&["notice"], Lang::Zh).contains("PDF"));
    }

    /// A value's own help (a doc comment on a `ValueEnum` variant) is printed as is, in
    /// one language, under a "Possible values:" heading clap words in English: what each
    /// value means goes into its argument's help instead, which has both languages.
    #[test]
    fn no_value_carries_help_of_its_own() {
        fn walk(cmd: &Command, path: &str, found: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                for v in a.get_possible_values() {
                    if v.get_help().is_some() {
                        found.push(format!("{path} {}={}", a.get_id(), v.get_name()));
                    }
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, &format!("{path} {}", sub.get_name()), found);
            }
        }
        let mut found = Vec::new();
        walk(&crate::cli::Cli::command(), "liuyi", &mut found);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn every_command_and_argument_has_words_in_both_languages() {
        fn walk(cmd: &Command, path: &str, missing: &mut Vec<String>) {
            if !ABOUT.iter().any(|(p, _, _)| *p == path) {
                missing.push(format!("about: {path:?}"));
            }
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if id != "help" && id != "version" && !ARGS.iter().any(|(x, _, _)| *x == id) {
                    missing.push(format!("arg: {path} {id}"));
                }
            }
            for s in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
                let p = if path.is_empty() {
                    s.get_name().to_string()
                } else {
                    format!("{path} {}", s.get_name())
                };
                walk(s, &p, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&crate::cli::Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "help words missing: {missing:#?}");
        localize(crate::cli::Cli::command(), Lang::Zh).debug_assert();
        localize(crate::cli::Cli::command(), Lang::En).debug_assert();
    }
}
