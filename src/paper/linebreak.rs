//! Chinese line breaking (after GB/T 15834 and common 避头尾 practice).
//!
//! A line may break between any two CJK characters, but never so that a closing or pause mark
//! (。，、；：？！”）》 …) starts a line or an opening mark (“（《 …) ends one: such marks are
//! glued to their neighbour and move with it. Runs of Latin letters, digits and ASCII
//! punctuation ("2026-003", "¥326,000.00", "13800138000") are kept whole, and a run of dashes
//! or ellipses is never split. Widths are measured by the caller's function, which uses the
//! real glyph advances of the font the line will be set in.

/// A line ready to be set.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Natural width (sum of advances), without trailing spaces.
    pub width: f32,
    /// Last line of its paragraph: set ragged, never stretched.
    pub last: bool,
}

/// Characters that must not start a line.
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '。' | '，'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '”'
            | '’'
            | '）'
            | '》'
            | '〉'
            | '」'
            | '』'
            | '】'
            | '〕'
            | '〗'
            | '〙'
            | '〛'
            | '］'
            | '｝'
            | '．'
            | '％'
            | '‰'
            | '℃'
            | '·'
            | '・'
            | 'ー'
            | '々'
            | '〃'
            | ')'
            | ']'
            | '}'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | '%'
    )
}

/// Characters that must not end a line.
pub fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '“' | '‘'
            | '（'
            | '《'
            | '〈'
            | '「'
            | '『'
            | '【'
            | '〔'
            | '〖'
            | '〘'
            | '〚'
            | '［'
            | '｛'
            | '('
            | '['
            | '{'
            | '¥'
            | '￥'
            | '$'
            | '№'
    )
}

/// Dashes and ellipses: a run of them is one unbreakable unit.
fn is_dash_or_ellipsis(c: char) -> bool {
    matches!(c, '—' | '…' | '―' | '‥')
}

/// Characters that belong to an unbreakable Latin/number word.
/// ASCII punctuation inside a word (`326,000.00`, `2026-003`, `100%`) keeps it whole; brackets
/// are left out so that they glue like their full-width forms.
fn is_word_char(c: char) -> bool {
    c.is_ascii_graphic() && !matches!(c, '(' | ')' | '[' | ']' | '{' | '}')
        || matches!(c, '¥' | '°' | '±' | 'À'..='ɏ')
}

/// One unbreakable unit before gluing.
#[derive(Debug)]
struct Unit {
    text: String,
    space: bool,
}

fn units(paragraph: &str) -> Vec<Unit> {
    let mut out: Vec<Unit> = Vec::new();
    let mut chars = paragraph.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' ' {
            out.push(Unit {
                text: " ".into(),
                space: true,
            });
        } else if is_word_char(c) {
            let mut w = String::from(c);
            while let Some(&n) = chars.peek() {
                if !is_word_char(n) {
                    break;
                }
                w.push(n);
                chars.next();
            }
            out.push(Unit {
                text: w,
                space: false,
            });
        } else if is_dash_or_ellipsis(c) {
            let mut w = String::from(c);
            while let Some(&n) = chars.peek() {
                if !is_dash_or_ellipsis(n) {
                    break;
                }
                w.push(n);
                chars.next();
            }
            out.push(Unit {
                text: w,
                space: false,
            });
        } else {
            out.push(Unit {
                text: c.to_string(),
                space: false,
            });
        }
    }
    out
}

/// How lines are broken, where template versions differ (`layout::Style`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Breaking {
    /// A number stays with the unit after it (2026年, 4月, 25日, 365户, 30人) and 第 with
    /// the number after it (第1轮): a line never ends with 25 and starts with 日 (2026.7 on).
    pub numbers_keep_units: bool,
    /// The last line of a paragraph is never one character alone (with its closing marks):
    /// the unit before it comes down too (2026.7 on).
    pub no_lone_last_character: bool,
    /// With `numbers_keep_units`, a date (2026年4月30日, 2026年4月) is one unit, broken
    /// inside only when it is wider than a whole line: a range 2026年3月18日至2026年3月26日
    /// breaks at 至 (table cells, 2026.10 on; before, a narrow cell printed 2026年4月 / 30日).
    pub dates_whole: bool,
    /// `dates_whole` in running text too, not only in table cells (2026.11 on: before, a
    /// body line printed 完工日期：2026年8月 / 15日).
    pub dates_whole_in_text: bool,
}

/// `numbers_keep_units`' units, with each date made one unit when `how.dates_whole`: a unit
/// ending with a number's 年, then its 月, then (if there) its 日.
fn glued(text: &str, how: &Breaking) -> Vec<Unit> {
    let units = glue(units(text), how.numbers_keep_units);
    if !(how.numbers_keep_units && how.dates_whole) {
        return units;
    }
    // A number with its unit `u` (2026年, 4月, 30日), opening marks before it aside.
    let dated = |t: &str, u: char| {
        let Some(rest) = t.strip_suffix(u) else {
            return false;
        };
        let digits = rest.trim_start_matches(|c: char| !c.is_ascii_digit());
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    };
    // The same, closing marks after it aside (30日）).
    let starts_dated = |t: &str, u: char| {
        let head: String = t.chars().take_while(|&c| c != u).collect();
        !head.is_empty()
            && head.chars().all(|c| c.is_ascii_digit())
            && t[head.len()..].starts_with(u)
    };
    let mut out: Vec<Unit> = Vec::with_capacity(units.len());
    let mut it = units.into_iter().peekable();
    while let Some(mut u) = it.next() {
        if !u.space && dated(&u.text, '年') && it.peek().is_some_and(|m| dated(&m.text, '月')) {
            let m = it.next().expect("peeked");
            u.text.push_str(&m.text);
            if it.peek().is_some_and(|d| starts_dated(&d.text, '日')) {
                let d = it.next().expect("peeked");
                u.text.push_str(&d.text);
            }
        }
        out.push(u);
    }
    out
}

/// The measure words and units a number is not parted from (年月日 of a date, 元 of an
/// amount, 户/人 of a count, …).
fn is_unit_after_number(c: char) -> bool {
    matches!(
        c,
        '年' | '月'
            | '日'
            | '号'
            | '时'
            | '分'
            | '秒'
            | '元'
            | '角'
            | '万'
            | '亿'
            | '千'
            | '百'
            | '户'
            | '人'
            | '名'
            | '位'
            | '天'
            | '周'
            | '岁'
            | '条'
            | '项'
            | '页'
            | '次'
            | '轮'
            | '票'
            | '米'
            | '亩'
            | '个'
            | '㎡'
    )
}

/// Glues opening marks to the unit after them and closing marks to the unit before them;
/// with `numbers_keep_units`, a number to the unit after it and 第 to the number after it.
fn glue(units: Vec<Unit>, numbers_keep_units: bool) -> Vec<Unit> {
    let number_first = |u: &Unit| !u.space && u.text.starts_with(|c: char| c.is_ascii_digit());
    let number_last = |u: &Unit| !u.space && u.text.ends_with(|c: char| c.is_ascii_digit());
    // Openers first, right to left, so "“（" both land on the following unit.
    let mut rev: Vec<Unit> = Vec::with_capacity(units.len());
    for u in units.into_iter().rev() {
        let opener = !u.space && u.text.chars().last().is_some_and(no_line_end);
        let ordinal = numbers_keep_units && u.text.ends_with('第');
        match rev.last_mut() {
            Some(next) if opener && !next.space => next.text.insert_str(0, &u.text),
            Some(next) if ordinal && number_first(next) => next.text.insert_str(0, &u.text),
            _ => rev.push(u),
        }
    }
    rev.reverse();
    let mut out: Vec<Unit> = Vec::with_capacity(rev.len());
    for u in rev {
        let closer = !u.space && u.text.chars().next().is_some_and(no_line_start);
        let unit = numbers_keep_units && !u.space && u.text.starts_with(is_unit_after_number);
        match out.last_mut() {
            Some(prev) if closer && !prev.space => prev.text.push_str(&u.text),
            Some(prev) if unit && number_last(prev) => prev.text.push_str(&u.text),
            _ => out.push(u),
        }
    }
    out
}

/// Breaks `text` into lines no wider than `max_width`. Each `\n` ends a paragraph. The first
/// line of every paragraph is `indent` narrower (the caller shifts it right). `advance` gives a
/// character's width in the same unit as `max_width`.
pub fn break_lines(
    text: &str,
    max_width: f32,
    indent: f32,
    advance: &dyn Fn(char) -> f32,
) -> Vec<Line> {
    break_lines_as(text, max_width, indent, advance, Breaking::default())
}

/// [`break_lines`], broken as `how` says.
pub fn break_lines_as(
    text: &str,
    max_width: f32,
    indent: f32,
    advance: &dyn Fn(char) -> f32,
    how: Breaking,
) -> Vec<Line> {
    let width_of = |s: &str| s.chars().map(advance).sum::<f32>();
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let first = lines.len();
        let mut cur = String::new();
        let mut cur_w = 0.0f32;
        let mut limit = max_width - indent;
        // Whether each line of the paragraph ended at a space (dropped at the break): a
        // unit brought down to the last line must not lose it.
        let mut at_space: Vec<bool> = Vec::new();
        let mut push_line = |lines: &mut Vec<Line>, cur: &mut String, cur_w: &mut f32| {
            at_space.push(cur.ends_with(' '));
            let trimmed = cur.trim_end_matches(' ').to_string();
            let w = width_of(&trimmed);
            lines.push(Line {
                text: trimmed,
                width: w,
                last: false,
            });
            cur.clear();
            *cur_w = 0.0;
        };
        let mut glued = glued(paragraph, &how);
        if how.numbers_keep_units {
            // A number and its unit wider together than a line (a narrow table cell) break
            // between the two, not inside the number; a date wider than a line, between
            // its numbers with their units first.
            let too_wide = |u: &Unit| !u.space && width_of(&u.text) > max_width + 0.001;
            let apart = |u: Unit| {
                if too_wide(&u) {
                    glue(units(&u.text), false)
                } else {
                    vec![u]
                }
            };
            glued = glued
                .into_iter()
                .flat_map(|u| {
                    if !too_wide(&u) {
                        vec![u]
                    } else if how.dates_whole {
                        glue(units(&u.text), true)
                            .into_iter()
                            .flat_map(apart)
                            .collect()
                    } else {
                        apart(u)
                    }
                })
                .collect();
        }
        for u in glued {
            if u.space && cur.is_empty() {
                continue; // no leading spaces on a line
            }
            let w = width_of(&u.text);
            if cur_w + w <= limit + 0.001 {
                cur.push_str(&u.text);
                cur_w += w;
                continue;
            }
            if u.space {
                // A space that does not fit ends the line and is dropped.
                cur.push(' ');
                push_line(&mut lines, &mut cur, &mut cur_w);
                limit = max_width;
                continue;
            }
            if !cur.trim_end_matches(' ').is_empty() {
                push_line(&mut lines, &mut cur, &mut cur_w);
                limit = max_width;
            }
            if w <= limit {
                cur.push_str(&u.text);
                cur_w = w;
            } else {
                // Wider than a whole line (a very long number, or a character with its glued
                // marks on a very narrow line): split by character, but never where a mark
                // would start or end a line — such a mark overhangs the margin instead.
                for c in u.text.chars() {
                    let cw = advance(c);
                    let breakable =
                        !no_line_start(c) && !cur.chars().last().is_some_and(no_line_end);
                    if cur_w + cw > limit + 0.001 && !cur.is_empty() && breakable {
                        push_line(&mut lines, &mut cur, &mut cur_w);
                        limit = max_width;
                    }
                    cur.push(c);
                    cur_w += cw;
                }
            }
        }
        if !cur.trim_end_matches(' ').is_empty() || lines.len() == first {
            push_line(&mut lines, &mut cur, &mut cur_w);
        }
        let spaced = at_space.len() >= 2 && at_space[at_space.len() - 2];
        if how.no_lone_last_character && lines.len() >= first + 2 && !spaced {
            let n = lines.len();
            let (before, last) = lines.split_at_mut(n - 1);
            bring_down(&mut before[n - 2], &mut last[0], max_width, &how, &width_of);
        }
        if let Some(l) = lines.last_mut() {
            l.last = true;
        }
    }
    lines
}

/// When `last` is one character alone (closing marks aside), the last unit of `prev`
/// joins it, if `prev` keeps a unit of its own and the two fit on a line.
fn bring_down(
    prev: &mut Line,
    last: &mut Line,
    max_width: f32,
    how: &Breaking,
    width_of: &dyn Fn(&str) -> f32,
) {
    let characters = |s: &str| s.chars().filter(|&c| !no_line_start(c)).count();
    if characters(&last.text) != 1 {
        return;
    }
    let mut units = glued(&prev.text, how);
    let Some(u) = units.pop().filter(|u| !u.space) else {
        return;
    };
    let joined = format!("{}{}", u.text, last.text);
    let kept: String = units.iter().map(|u| u.text.as_str()).collect();
    let kept = kept.trim_end_matches(' ');
    // Short units only (a character, 25日), and `prev` keeps two characters at least: the
    // rule must not leave a lone character above, nor a line letter-spaced from a few.
    if characters(kept) < 2 || characters(&u.text) > 4 || width_of(&joined) > max_width + 0.001 {
        return;
    }
    prev.text = kept.to_string();
    prev.width = width_of(&prev.text);
    last.width = width_of(&joined);
    last.text = joined;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CJK and full-width marks 1.0 wide, everything else 0.5.
    fn adv(c: char) -> f32 {
        if (c as u32) < 0x2000 { 0.5 } else { 1.0 }
    }

    fn texts(s: &str, width: f32) -> Vec<String> {
        break_lines(s, width, 0.0, &adv)
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    fn assert_rules(lines: &[String]) {
        for l in lines {
            let first = l.chars().next().unwrap();
            let last = l.chars().last().unwrap();
            assert!(
                !no_line_start(first),
                "line starts with {first:?}: {lines:?}"
            );
            assert!(!no_line_end(last), "line ends with {last:?}: {lines:?}");
        }
    }

    #[test]
    fn breaks_between_cjk_characters() {
        assert_eq!(
            texts("清河村村民委员会公告", 4.0),
            ["清河村村", "民委员会", "公告"]
        );
    }

    #[test]
    fn closing_marks_never_start_a_line() {
        // Width 4: naive breaking would put "。" first on line 2; it takes "民" along instead.
        let lines = texts("全体村民。今天开会，", 4.0);
        assert_eq!(lines, ["全体村", "民。今天", "开会，"]);
        assert_rules(&lines);
        for s in ["一二三”）》", "一二三、；", "一二三：？！"] {
            assert_rules(&texts(s, 3.0));
        }
    }

    #[test]
    fn opening_marks_never_end_a_line() {
        // Naive breaking would end line 1 with "“".
        assert_eq!(texts("一二三“四五", 4.0), ["一二三", "“四五"]);
        assert_rules(&texts("关于修建“村东主干道”的公告", 3.0));
        assert_rules(&texts("一二（三）《四》", 2.0));
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        let lines = texts("预算¥326,000.00元，编号2026-003", 6.0);
        assert!(lines.iter().any(|l| l.contains("¥326,000.00")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("2026-003")), "{lines:?}");
        let lines = texts("call 13800138000 now", 6.0);
        assert_eq!(lines, ["call", "13800138000", "now"]);
    }

    #[test]
    fn overlong_words_are_split_rather_than_overflowing() {
        let lines = break_lines("abcdefghij", 2.0, 0.0, &adv);
        assert!(lines.iter().all(|l| l.width <= 2.0));
        assert_eq!(
            lines.iter().map(|l| l.text.as_str()).collect::<String>(),
            "abcdefghij"
        );
    }

    #[test]
    fn marks_overhang_rather_than_break_the_rules_on_narrow_lines() {
        let lines = texts("一二三”）》四", 2.0);
        assert_rules(&lines);
        assert!(lines.contains(&"三”）》".to_string()), "{lines:?}");
    }

    #[test]
    fn dashes_and_ellipses_are_not_split() {
        let lines = texts("一二三——四五……六", 4.0);
        assert!(
            lines
                .iter()
                .all(|l| !l.starts_with('—') || l.starts_with("——"))
        );
        assert!(lines.iter().any(|l| l.contains("——")));
        assert!(lines.iter().any(|l| l.contains("……")));
    }

    #[test]
    fn paragraphs_indent_and_last_lines() {
        let lines = break_lines("一二三四五六\n七八", 4.0, 2.0, &adv);
        let t: Vec<_> = lines.iter().map(|l| (l.text.as_str(), l.last)).collect();
        assert_eq!(t, [("一二", false), ("三四五六", true), ("七八", true)]);
        // An empty paragraph still yields a (blank) line.
        assert_eq!(break_lines("", 4.0, 0.0, &adv).len(), 1);
    }

    #[test]
    fn widths_are_measured_and_spaces_trimmed() {
        let lines = break_lines("ab cd ef", 2.6, 0.0, &adv);
        assert_eq!(
            lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            ["ab cd", "ef"]
        );
        assert_eq!(lines[0].width, 2.5);
    }

    fn texts_as(s: &str, width: f32, indent: f32) -> Vec<String> {
        let how = Breaking {
            numbers_keep_units: true,
            no_lone_last_character: true,
            dates_whole: false,
            dates_whole_in_text: false,
        };
        break_lines_as(s, width, indent, &adv, how)
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    #[test]
    fn numbers_keep_their_units_and_ordinals_from_2026_7() {
        // Width 8.5: broken as before, 日 starts line 2 alone.
        assert_eq!(
            texts("公告于2026年4月25日", 8.5),
            ["公告于2026年4月25", "日"]
        );
        assert_eq!(
            texts_as("公告于2026年4月25日", 8.5, 0.0),
            ["公告于2026年4月", "25日"]
        );
        assert_eq!(texts("共3户第12轮", 3.5), ["共3户第", "12轮"]);
        assert_eq!(texts_as("共3户第12轮", 3.5, 0.0), ["共3户", "第12轮"]);
        // A unit after a word that is not a number, or a 第 before a word, stays apart.
        assert_eq!(texts_as("abc日期", 2.0, 0.0), ["abc", "日期"]);
    }

    #[test]
    fn bringing_a_unit_down_keeps_spaces_and_leaves_no_lone_character_above() {
        // A space at the break stays: nothing is brought down across it.
        assert_eq!(texts_as("ab cd e", 2.6, 0.0), ["ab cd", "e"]);
        assert_eq!(texts_as("Li Ming X", 4.0, 0.0), ["Li Ming", "X"]);
        // A narrow cell: bringing 四 down would leave 三 alone above.
        assert_eq!(texts_as("一二三四五", 2.0, 0.0), ["一二", "三四", "五"]);
        // A long unit stays where it is.
        assert_eq!(texts_as("一二123456七", 5.0, 0.0), ["一二123456", "七"]);
    }

    #[test]
    fn a_number_and_its_unit_wider_than_a_line_break_between_the_two() {
        // Width 1.5: 第12轮 does not fit, and is not split inside 12.
        assert_eq!(texts_as("第12轮", 1.5, 0.0), ["第", "12", "轮"]);
        for s in ["“第2；", "7户”,8；", "“365户”，"] {
            let lines = texts_as(s, 2.5, 0.0);
            assert_rules(&lines);
            assert_eq!(lines.concat(), s);
        }
    }

    #[test]
    fn a_paragraph_never_ends_with_one_character_alone_from_2026_7() {
        assert_eq!(texts("一二三四五", 4.0), ["一二三四", "五"]);
        assert_eq!(texts_as("一二三四五", 4.0, 0.0), ["一二三", "四五"]);
        // Its closing marks come along, and do not count as a character.
        assert_eq!(texts_as("一二三四五。", 4.0, 0.0), ["一二三", "四五。"]);
        // Two characters on the last line, or a line of one unit before, stay as they are.
        assert_eq!(texts_as("一二三四五六", 4.0, 0.0), ["一二三四", "五六"]);
        assert_eq!(texts_as("abcdefgh五", 4.0, 0.0), ["abcdefgh", "五"]);
        // Each paragraph on its own; nothing lost under either rule.
        let s = "根据《中华人民共和国村民委员会组织法》，经村民代表会议表决（应到35人，实到33人），\
                 同意31票，反对1票，弃权1票；“一事一议”……通过。\n第2条于2026年4月25日起施行。";
        for w in [3.0, 5.0, 7.5, 12.0, 40.0] {
            let lines = texts_as(s, w, 2.0);
            assert_rules(&lines);
            assert_eq!(lines.concat().replace(' ', ""), s.replace([' ', '\n'], ""));
        }
    }

    #[test]
    fn nothing_is_lost() {
        let s = "根据《中华人民共和国村民委员会组织法》，经村民代表会议表决（应到35人，实到33人），\
                 同意31票，反对1票，弃权1票；“一事一议”……通过。";
        for w in [3.0, 5.0, 7.5, 12.0, 40.0] {
            let lines = texts(s, w);
            assert_rules(&lines);
            assert_eq!(lines.concat().replace(' ', ""), s.replace(' ', ""));
        }
    }

    /// 2026.10, in table cells: a date is not broken inside where it fits on a line; a range
    /// breaks at 至; a date wider than a line breaks between its parts, as before.
    #[test]
    fn dates_stay_whole_in_cells_from_2026_10() {
        let how = |dates_whole| Breaking {
            numbers_keep_units: true,
            no_lone_last_character: true,
            dates_whole,
            dates_whole_in_text: false,
        };
        let lines = |s: &str, width: f32, dates_whole: bool| -> Vec<String> {
            break_lines_as(s, width, 0.0, &adv, how(dates_whole))
                .into_iter()
                .map(|l| l.text)
                .collect()
        };
        // 2026年4月30日 is 6.5 wide (CJK 1.0, digits 0.5).
        assert_eq!(lines("2026年4月30日", 6.0, false), ["2026年4月", "30日"]);
        assert_eq!(
            lines("异议2026年4月30日", 8.0, true),
            ["异议", "2026年4月30日"]
        );
        let range = "2026年3月18日至2026年3月26日";
        assert_eq!(
            lines(range, 12.0, false),
            ["2026年3月18日至2026年3月", "26日"]
        );
        assert_eq!(
            lines(range, 12.0, true),
            ["2026年3月18日至", "2026年3月26日"]
        );
        // Marks around a date go with it.
        assert_eq!(
            lines("（2026年4月30日）答复", 9.0, true),
            ["（2026年4月30日）", "答复"]
        );
        // A year and month alone are a date too; 2026年 without a month is a number.
        assert_eq!(
            lines("于2026年12月完工", 5.5, true),
            ["于", "2026年12月", "完工"]
        );
        // Wider than a line: broken between its parts, never inside a number.
        assert_eq!(lines("2026年4月30日", 5.0, true), ["2026年4月", "30日"]);
    }
}
