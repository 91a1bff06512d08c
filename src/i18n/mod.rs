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

/// The start of a problem's line: its place and code (`entries[12] [E-LOG-CHAIN] `), or the
/// code alone for a problem with no one place (`[E-TOO-MANY] `).
pub fn placed(location: &str, code: &str) -> String {
    if location.is_empty() {
        format!("[{code}] ")
    } else {
        format!("{location} [{code}] ")
    }
}
