//! Money as printed on paper: figures (`¥326,000.00`) and Chinese capital numerals
//! (`人民币叁拾贰万陆仟元整`), following the People's Bank rules for filling in vouchers
//! (正确填写票据和结算凭证的基本规定): a zero inside the number is written once (壹万零伍拾),
//! 拾 always carries its digit (壹拾万), 整 follows 元 or 角 when there are no 分, and 零
//! stands before 分 when 角 is zero (叁佰贰拾伍元零肆分).

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES: [&str; 4] = ["", "拾", "佰", "仟"];

/// Writes an amount in fen as Chinese capital numerals, e.g. `32_600_000` →
/// `人民币叁拾贰万陆仟元整`. Negative amounts get `负` after `人民币`.
pub fn to_chinese_capital(fen: i64) -> String {
    let mut out = String::from("人民币");
    if fen < 0 {
        out.push('负');
    }
    let fen = fen.unsigned_abs();
    let yuan = fen / 100;
    let jiao = (fen / 10 % 10) as usize;
    let fen_digit = (fen % 10) as usize;

    if yuan == 0 && jiao == 0 && fen_digit == 0 {
        out.push_str("零元整");
        return out;
    }
    if yuan > 0 {
        out.push_str(&integer_capital(yuan));
        out.push('元');
    }
    match (jiao, fen_digit) {
        (0, 0) => out.push('整'),
        (j, 0) => {
            out.push(DIGITS[j]);
            out.push_str("角整");
        }
        (0, f) => {
            if yuan > 0 {
                out.push('零');
            }
            out.push(DIGITS[f]);
            out.push('分');
        }
        (j, f) => {
            out.push(DIGITS[j]);
            out.push('角');
            out.push(DIGITS[f]);
            out.push('分');
        }
    }
    out
}

/// The integer part (> 0): groups of four digits under 万 and 亿 (1万亿 = 壹万亿).
fn integer_capital(n: u64) -> String {
    let digits: Vec<usize> = n.to_string().bytes().map(|b| (b - b'0') as usize).collect();
    let len = digits.len();
    let mut out = String::new();
    let mut zero_pending = false;
    // Whether the current 4-digit group has a non-zero digit (decides 万/亿).
    let mut group_nonzero = false;
    // Whether any digit at or above 亿 is non-zero (亿 must then follow its group).
    let mut above_yi_nonzero = false;
    for (i, &d) in digits.iter().enumerate() {
        let pos = len - 1 - i;
        if d == 0 {
            zero_pending = true;
        } else {
            if zero_pending && !out.is_empty() {
                out.push('零');
            }
            zero_pending = false;
            group_nonzero = true;
            if pos >= 8 {
                above_yi_nonzero = true;
            }
            out.push(DIGITS[d]);
            out.push_str(PLACES[pos % 4]);
        }
        if pos.is_multiple_of(4) && pos > 0 {
            let unit = if (pos / 4) % 2 == 1 { '万' } else { '亿' };
            let write = if unit == '亿' {
                above_yi_nonzero
            } else {
                group_nonzero
            };
            if write {
                out.push(unit);
            }
            group_nonzero = false;
        }
    }
    out
}

/// Writes an amount in fen as figures with thousands separators: `¥326,000.00`, `-¥0.05`.
pub fn format_yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let yuan = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}¥{grouped}.{:02}", abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cap(yuan: i64, fen: i64) -> String {
        to_chinese_capital(yuan * 100 + fen)
    }

    #[test]
    fn the_realistic_budget() {
        assert_eq!(cap(326_000, 0), "人民币叁拾贰万陆仟元整");
    }

    #[test]
    fn zero() {
        assert_eq!(to_chinese_capital(0), "人民币零元整");
    }

    #[test]
    fn zeros_inside_are_written_once() {
        assert_eq!(cap(10_050, 0), "人民币壹万零伍拾元整");
        assert_eq!(cap(1_409, 50), "人民币壹仟肆佰零玖元伍角整");
        assert_eq!(cap(6_007, 14), "人民币陆仟零柒元壹角肆分");
        assert_eq!(cap(100_001, 0), "人民币壹拾万零壹元整");
        assert_eq!(cap(1_000_050_000, 0), "人民币壹拾亿零伍万元整");
        assert_eq!(cap(100_000_001, 0), "人民币壹亿零壹元整");
        assert_eq!(cap(107_000, 53), "人民币壹拾万零柒仟元伍角叁分");
    }

    #[test]
    fn trailing_zeros_are_not_written() {
        assert_eq!(cap(10, 0), "人民币壹拾元整");
        assert_eq!(cap(100_000, 0), "人民币壹拾万元整");
        assert_eq!(cap(2_000_000, 0), "人民币贰佰万元整");
        assert_eq!(cap(1_680, 32), "人民币壹仟陆佰捌拾元叁角贰分");
    }

    #[test]
    fn wan_and_yi() {
        assert_eq!(cap(100_000_000, 0), "人民币壹亿元整");
        assert_eq!(cap(120_000_000, 0), "人民币壹亿贰仟万元整");
        assert_eq!(cap(100_000_000_000, 0), "人民币壹仟亿元整");
        assert_eq!(cap(1_000_000_000_000, 0), "人民币壹万亿元整");
        assert_eq!(cap(1_000_100_000_000, 0), "人民币壹万零壹亿元整");
        assert_eq!(
            cap(123_456_789, 0),
            "人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整"
        );
    }

    #[test]
    fn jiao_and_fen() {
        assert_eq!(cap(325, 4), "人民币叁佰贰拾伍元零肆分");
        assert_eq!(cap(16_409, 2), "人民币壹万陆仟肆佰零玖元零贰分");
        assert_eq!(to_chinese_capital(50), "人民币伍角整");
        assert_eq!(to_chinese_capital(5), "人民币伍分");
        assert_eq!(to_chinese_capital(55), "人民币伍角伍分");
        assert_eq!(cap(1, 10), "人民币壹元壹角整");
    }

    #[test]
    fn negative() {
        assert_eq!(cap(-3, 0), "人民币负叁元整");
    }

    #[test]
    fn extremes_do_not_panic() {
        // Beyond any village budget; only the absence of a panic matters.
        assert!(to_chinese_capital(i64::MAX).ends_with("柒分"));
        assert!(to_chinese_capital(i64::MIN).starts_with("人民币负"));
        assert_eq!(format_yuan(i64::MIN), "-¥92,233,720,368,547,758.08");
    }

    #[test]
    fn figures() {
        assert_eq!(format_yuan(32_600_000), "¥326,000.00");
        assert_eq!(format_yuan(0), "¥0.00");
        assert_eq!(format_yuan(5), "¥0.05");
        assert_eq!(format_yuan(99_999), "¥999.99");
        assert_eq!(format_yuan(100_000), "¥1,000.00");
        assert_eq!(format_yuan(12_345_678_901), "¥123,456,789.01");
        assert_eq!(format_yuan(-150), "-¥1.50");
    }
}
