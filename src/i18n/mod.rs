//! Every user-facing sentence lives under this module, in Chinese and English.
//!
//! Other modules return data (error enums whose variants carry the numbers); the functions
//! here turn that data into words. One file per area keeps the sentences for a part of the
//! program together.

pub mod bundle;
pub mod record;

/// The user's language: Chinese by default, English with `--lang en` or `LIUYI_LANG=en`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Parses `zh`/`en` (and common spellings such as `zh_CN`, `en-US`).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") || s == "cn" {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the sentence for this language.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

pub mod cli;
pub mod demo;
pub mod help;
pub mod input;
pub mod paper;
pub mod rules;
pub mod township;

/// The start of a problem's line: its place in the user's language and its code
/// (`第 12 条记录 [E-LOG-CHAIN] `, `entries[12] [E-LOG-CHAIN] `), or the code alone for a
/// problem with no one place (`[E-TOO-MANY] `).
pub fn placed(lang: Lang, location: &crate::location::Location, code: &str) -> String {
    if location.is_empty() {
        format!("[{code}] ")
    } else {
        format!("{} [{code}] ", place(lang, location))
    }
}

/// Where a problem is, for a person: in Chinese, worded as the other messages word entries
/// and lines (`log/entries.jsonl 第 18 行（第 17 条记录，事项 2027-001，动议）`); in English,
/// the machine form the JSON `location` carries, as liuyi always printed it. Names of files
/// and table rows stay as they are: they are what the bundle and the database call them.
/// A file stored in the local record is told with the entry that names it in both languages
/// (its machine form is its name alone).
pub fn place(lang: Lang, location: &crate::location::Location) -> String {
    use crate::location::{Location, What};
    if lang == Lang::En {
        return match location {
            Location::Stored { name, at } => format!("{name} ({at})"),
            _ => location.to_string(),
        };
    }
    // `（事项 2027-001，动议）`, `（创始记录）`, or nothing.
    let what = |first: Option<String>, what: &Option<What>| -> String {
        let mut parts: Vec<String> = first.into_iter().collect();
        if let Some(w) = what {
            if let Some(m) = &w.matter {
                parts.push(format!("事项 {m}"));
            }
            parts.push(entry_type_name(w.event, lang).to_string());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("（{}）", parts.join("，"))
        }
    };
    match location {
        Location::Name(n) => n.clone(),
        Location::Entry { idx, what: w } => format!("第 {idx} 条记录{}", what(None, w)),
        Location::Line { line, what: w } => format!(
            "{} 第 {line} 行{}",
            crate::bundle::export::LOG_NAME,
            what(Some(format!("第 {} 条记录", line.saturating_sub(1))), w)
        ),
        Location::File { name, at } | Location::Stored { name, at } => {
            format!("{name}（{}）", place(lang, at))
        }
        Location::Checkpoint(size) => format!("第 {size} 条处的检查点"),
        Location::Cosigned(size) => format!("第 {size} 条处的乡镇副署检查点"),
        Location::KeyFile(path) => format!("密钥文件 {}", path.display()),
    }
}

/// `s` set in a Chinese sentence: a space between it and the Chinese text before it when
/// it begins with a Latin letter or digit, and after it when it ends with one
/// (`见 checkpoints/51.txt 的`, `见第 30 条记录（…）的`), as the other sentences set them.
pub fn amid(s: &str) -> String {
    let ascii = |c: Option<char>| c.is_some_and(|c| c.is_ascii_graphic());
    let lead = if ascii(s.chars().next()) { " " } else { "" };
    let trail = if ascii(s.chars().next_back()) {
        " "
    } else {
        ""
    };
    format!("{lead}{s}{trail}")
}

/// A run of entries from `from` to `to` (places of the first and last; the same place for
/// one entry, which is then given whole): `log/entries.jsonl 第 9–48 行（第 8–47 条记录）`,
/// `第 8–47 条记录`; in English `log/entries.jsonl:9-48 (entries 8-47)`, `entries 8-47`.
pub fn span(
    lang: Lang,
    from: &crate::location::Location,
    to: &crate::location::Location,
) -> String {
    use crate::location::Location;
    if from == to {
        return place(lang, to);
    }
    let log = crate::bundle::export::LOG_NAME;
    match (from, to, lang) {
        (Location::Line { line: a, .. }, Location::Line { line: b, .. }, Lang::Zh) => format!(
            "{log} 第 {a}–{b} 行（第 {}–{} 条记录）",
            a.saturating_sub(1),
            b.saturating_sub(1)
        ),
        (Location::Line { line: a, .. }, Location::Line { line: b, .. }, Lang::En) => format!(
            "{log}:{a}-{b} (entries {}-{})",
            a.saturating_sub(1),
            b.saturating_sub(1)
        ),
        (Location::Entry { idx: a, .. }, Location::Entry { idx: b, .. }, Lang::Zh) => {
            format!("第 {a}–{b} 条记录")
        }
        (Location::Entry { idx: a, .. }, Location::Entry { idx: b, .. }, Lang::En) => {
            format!("entries {a}-{b}")
        }
        _ => format!("{} – {}", place(lang, from), place(lang, to)),
    }
}

/// An entry's kind, by its stored type name (`Event::type_name`), as the commands that
/// record it are called; in English the stored name itself. A name this build does not
/// know is given as it is.
pub fn entry_type_name(type_name: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return type_name;
    }
    match type_name {
        "genesis" => "创始记录",
        "policy" => "议事规则",
        "roster" => "花名册",
        "motion" => "动议",
        "proposal" => "提议",
        "discussion" => "商议",
        "review" => "审议",
        "consult.open" => "开始民议",
        "consult.record" => "民议意见",
        "consult.sheet" => "民议签字表",
        "resolution" => "决议",
        "publish" => "公开",
        "publish.posted" => "张贴凭证",
        "objection" => "异议",
        "objection.reply" => "异议答复",
        "implement" => "实施",
        "complete" => "竣工验收",
        "revise" => "退回商议",
        "withdraw" => "撤回",
        "key.rotate" => "更换密钥",
        "supervision" => "异议联系人",
        other => other,
    }
}
