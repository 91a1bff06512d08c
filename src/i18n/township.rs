//! Sentences of the township commands (`liuyi township ...`, `liuyi checkpoint import`,
//! `liuyi key ...`), in Chinese and English.

use super::Lang;
use crate::township::TownshipUsage;

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
    }
}
