//! Funding texts (商议's `--funding`): how a text names its sources and their amounts, which
//! the notices print source by source, and what makes one that cannot be (`problem`: judged
//! when `discuss` records it; on replaying a discussion recorded from 2026-12-02 on, its sum
//! against the budget, which `discuss` refused before that day too).

use super::event::Fen;

/// One funding source: its name and amount.
pub type Part = (String, Fen);

/// What separates the sources of a funding text (the notices split it here).
const SEPARATORS: [char; 6] = ['；', ';', '，', ',', '、', '\n'];

/// The parts of a funding text, trimmed, the empty ones left out.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    text.split(SEPARATORS)
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// Splits a funding text into named amounts, if every part names one and they add up to
/// `budget`. Parts are separated by ；;，,、 or new lines; spaces around the amount and 元
/// are allowed ("上级补助 200000 元，村集体收入 12.6 万元").
pub fn split(text: &str, budget: Fen) -> Option<Vec<Part>> {
    let (out, sum) = parts(text)?;
    (sum == budget).then_some(out)
}

/// A funding text's named amounts and their sum, if every part names one (see
/// [`split`]); `None` for a text with a part that names no amount, or none.
pub fn parts(text: &str) -> Option<(Vec<Part>, Fen)> {
    let out = pieces(text).map(split_amount).collect::<Option<Vec<_>>>()?;
    let sum = out.iter().try_fold(0i64, |a, s| a.checked_add(s.1))?;
    (!out.is_empty()).then_some((out, sum))
}

/// Why a funding text that names amounts cannot be printed source by source (the notices
/// then print it whole, beside the whole budget): the first part, as the text is split
/// (see [`split`]), that names no amount in figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unsplit {
    /// A part with no amount ("集体投工投劳"; or half a name cut at a 、 inside brackets).
    NoAmount(String),
    /// A part whose amount is in words, full-width figures or another unit ("集体十万元",
    /// "１０００００元", "200000 yuan", "200000块").
    NotFigures(String),
    /// An amount cut in two at its thousands separator ("200,000元" read as "200" and
    /// "000元"): the part after the comma.
    ThousandsComma(String),
}

/// For a funding text that names an amount somewhere but cannot be split into sources
/// each with its amount in figures: the first part that stops it. `None` for a text that
/// splits, or that names no amount at all (printed whole, as it reads).
pub fn unsplit(text: &str) -> Option<Unsplit> {
    if parts(text).is_some() {
        return None;
    }
    let parts: Vec<&str> = pieces(text).collect();
    if !parts
        .iter()
        .any(|p| split_amount(p).is_some() || names_amount(p))
    {
        return None;
    }
    // A figure cut at its thousands separators: after a part ending in a figure, parts of
    // three digits, the last with its unit ("1,200,000元"), given back whole.
    let group = |p: &str| p.len() == 3 && p.bytes().all(|b| b.is_ascii_digit());
    let cut = (0..parts.len().saturating_sub(1)).find(|&i| {
        parts[i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit())
            && group(parts[i + 1].trim_end_matches('元').trim_end())
    });
    if let Some(i) = cut {
        let mut j = i + 1;
        while group(parts[j]) && j + 1 < parts.len() && {
            let next = parts[j + 1];
            group(next.trim_end_matches('元').trim_end())
        } {
            j += 1;
        }
        return Some(Unsplit::ThousandsComma(parts[i..=j].join(",")));
    }
    let bad = parts.iter().find(|p| split_amount(p).is_none())?;
    Some(match names_amount(bad) {
        true => Unsplit::NotFigures(bad.to_string()),
        false => Unsplit::NoAmount(bad.to_string()),
    })
}

/// Whether a part names a source's sum of money some way [`split_amount`] does not read:
/// the part ends in a figure (ASCII or full-width) or a number in words, once its unit (元,
/// 元整, 圆, 块, yuan, RMB) and 万 or 萬 are set aside. (An amount inside a part — a rate,
/// "村民按每户100元筹资" — is no source's amount: such a text prints whole, as it reads.)
fn names_amount(part: &str) -> bool {
    const WORDS: &str = "零〇一二两三四五六七八九十百千万萬亿億壹贰貳叁參肆伍陆陸柒捌玖拾佰仟";
    let numeral = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || WORDS.contains(c);
    let lower = part.to_ascii_lowercase();
    let mut tail = lower.trim_end();
    for unit in ["元整", "元", "圆", "块", "yuan", "rmb", "cny"] {
        if let Some(rest) = tail.strip_suffix(unit) {
            tail = rest.trim_end();
            break;
        }
    }
    let tail = tail.strip_suffix(['万', '萬']).unwrap_or(tail).trim_end();
    // A figure at the end, or two numeral characters at least ("二十", "１０"): one alone may
    // be a name's (村民小组一).
    let mut rev = tail.chars().rev();
    match (rev.next(), rev.next()) {
        (Some(a), _) if a.is_ascii_digit() || ('０'..='９').contains(&a) => true,
        (Some(a), Some(b)) => numeral(a) && numeral(b),
        _ => false,
    }
}

/// "村集体经济收入126000元" → (村集体经济收入, 12_600_000 fen); also "12.6万元" and
/// "村集体经济收入 126000 元".
fn split_amount(part: &str) -> Option<Part> {
    let s = part.trim().trim_end_matches('元').trim_end();
    let (s, factor) = match s.strip_suffix('万') {
        Some(rest) => (rest.trim_end(), 10_000.0),
        None => (s, 1.0),
    };
    let digits_at = s
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_digit() || *c == '.')
        .last()?
        .0;
    let (name, num) = s.split_at(digits_at);
    if name.trim().is_empty() || num.is_empty() {
        return None;
    }
    let fen = figures(num)?;
    let fen = if factor > 1.0 {
        fen.checked_mul(10_000)?
    } else {
        fen
    };
    Some((name.trim().trim_end_matches(['：', ':']).to_string(), fen))
}

/// Yuan in figures and a point ("200000", "12.6"), as `cmd::parse_yuan` reads them, into
/// fen: up to two decimals and 13 digits. (Only figures and points reach it.)
fn figures(num: &str) -> Option<Fen> {
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if int.is_empty()
        || num.ends_with('.')
        || frac.len() > 2
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || int.trim_start_matches('0').len() > 13
    {
        return None;
    }
    let yuan: Fen = int.parse().ok()?;
    let fen: Fen = match frac.len() {
        0 => 0,
        1 => frac.parse::<Fen>().ok()? * 10,
        _ => frac.parse().ok()?,
    };
    Some(yuan * 100 + fen)
}

/// What is wrong with the funding a discussion adopts, as the notices would print it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The text given names amounts but not in a way the notices can print source by source.
    Unsplit(Unsplit),
    /// Every source has an amount, and they do not add up to the budget.
    Mismatch {
        parts: Vec<Part>,
        sum: Fen,
        budget: Fen,
    },
    /// Every source has an amount, and no budget is given nor was adopted.
    WithoutBudget { parts: Vec<Part>, sum: Fen },
}

/// The funding of a discussion: `given`, the text it gives (if any); `text`, the text as it
/// will stand (given, else adopted before); `budget`, the budget as it will stand. A text
/// that states its total first ("总投资326000元，其中……") is judged by that total, which its
/// parts must make up.
pub fn problem(given: Option<&str>, text: Option<&str>, budget: Option<Fen>) -> Option<Problem> {
    // Read as a total and its parts only when the sources alone do not make the budget
    // (50 000 + 30 000 + 20 000 = 100 000 is three sources, not a total of 50 000).
    let stated = |(parts, sum): (Vec<Part>, Fen)| match parts.first() {
        Some(total)
            if Some(sum) != budget && parts.len() > 2 && total.1.checked_mul(2) == Some(sum) =>
        {
            let total = total.1;
            (parts.into_iter().skip(1).collect(), total)
        }
        _ => (parts, sum),
    };
    match (budget, text.and_then(parts).map(stated)) {
        (Some(b), Some((parts, sum))) if sum != b => {
            return Some(Problem::Mismatch {
                parts,
                sum,
                budget: b,
            });
        }
        (None, Some((parts, sum))) => return Some(Problem::WithoutBudget { parts, sum }),
        _ => {}
    }
    given.and_then(unsplit).map(Problem::Unsplit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_funding_text_naming_amounts_it_cannot_split_says_which_part() {
        let funding_unsplit = unsplit;
        let no = |p: &str| Some(Unsplit::NoAmount(p.to_string()));
        let words = |p: &str| Some(Unsplit::NotFigures(p.to_string()));
        assert_eq!(
            funding_unsplit("财政奖补20万元，集体投工投劳"),
            no("集体投工投劳")
        );
        assert_eq!(
            funding_unsplit("社会捐赠（含乡贤、企业）2456789.01元；村民筹资1000000元"),
            no("社会捐赠（含乡贤")
        );
        assert_eq!(
            funding_unsplit("财政奖补二十万元，集体十万元"),
            words("财政奖补二十万元")
        );
        assert_eq!(
            funding_unsplit("财政奖补贰拾万元、村集体壹拾万元"),
            words("财政奖补贰拾万元")
        );
        assert_eq!(
            funding_unsplit("state subsidy 200000 yuan; collective 100000 yuan"),
            words("state subsidy 200000 yuan")
        );
        // Full-width figures (an input method's), 块 and RMB, words without 元, 萬.
        assert_eq!(
            funding_unsplit("财政奖补２０００００元；村集体１２６０００元"),
            words("财政奖补２０００００元")
        );
        assert_eq!(
            funding_unsplit("财政奖补200000块；村集体126000块"),
            words("财政奖补200000块")
        );
        assert_eq!(
            funding_unsplit("财政奖补200000 RMB"),
            words("财政奖补200000 RMB")
        );
        assert_eq!(
            funding_unsplit("财政奖补二十万，村集体十二万六千"),
            words("财政奖补二十万")
        );
        assert_eq!(
            funding_unsplit("財政獎補20萬元；村集體12.6萬元"),
            words("財政獎補20萬元")
        );
        // A thousands comma cuts a figure in two: said so, with the figure whole.
        assert_eq!(
            funding_unsplit("一事一议财政奖补200,000元；村集体经济收入126,000元"),
            Some(Unsplit::ThousandsComma("一事一议财政奖补200,000元".into()))
        );
        assert_eq!(
            funding_unsplit("财政奖补1,200,000元；村集体126000元"),
            Some(Unsplit::ThousandsComma("财政奖补1,200,000元".into()))
        );
        assert_eq!(
            funding_unsplit("财政奖补200000元整"),
            words("财政奖补200000元整")
        );
        // A rate inside a part is no source's amount: the text prints whole, as it reads.
        assert_eq!(
            funding_unsplit("村民按每户100元筹资，不足部分由村集体承担"),
            None
        );
        // Printed as they read: amounts for every source, or none at all.
        assert_eq!(funding_unsplit("财政奖补200000元；村集体126000元"), None);
        assert_eq!(funding_unsplit("一事一议财政奖补和村集体经济收入"), None);
        assert_eq!(funding_unsplit("2026年度一事一议财政奖补"), None);
        assert_eq!(funding_unsplit("一事一议财政奖补和第一村民小组"), None);
    }

    /// The notices split a text by these figures as `discuss` read them with
    /// `cmd::parse_yuan`: the same fen for every run of figures and points.
    #[test]
    fn figures_read_as_the_amount_flag_reads_them() {
        for num in [
            "0",
            "1",
            "12",
            "12.6",
            "12.60",
            "12.05",
            "007",
            "326000",
            "326000.5",
            ".5",
            "5.",
            "1.2.3",
            "1.234",
            "",
            "9999999999999",
            "99999999999999",
            "0000000000000000001",
        ] {
            assert_eq!(figures(num), crate::cmd::parse_yuan(num).ok(), "{num:?}");
        }
    }
}
