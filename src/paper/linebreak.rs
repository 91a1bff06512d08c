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

/// Glues opening marks to the unit after them and closing marks to the unit before them.
fn glue(units: Vec<Unit>) -> Vec<Unit> {
    // Openers first, right to left, so "“（" both land on the following unit.
    let mut rev: Vec<Unit> = Vec::with_capacity(units.len());
    for u in units.into_iter().rev() {
        let opener = !u.space && u.text.chars().last().is_some_and(no_line_end);
        match rev.last_mut() {
            Some(next) if opener && !next.space => next.text.insert_str(0, &u.text),
            _ => rev.push(u),
        }
    }
    rev.reverse();
    let mut out: Vec<Unit> = Vec::with_capacity(rev.len());
    for u in rev {
        let closer = !u.space && u.text.chars().next().is_some_and(no_line_start);
        match out.last_mut() {
            Some(prev) if closer && !prev.space => prev.text.push_str(&u.text),
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
    let width_of = |s: &str| s.chars().map(advance).sum::<f32>();
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let first = lines.len();
        let mut cur = String::new();
        let mut cur_w = 0.0f32;
        let mut limit = max_width - indent;
        let push_line = |lines: &mut Vec<Line>, cur: &mut String, cur_w: &mut f32| {
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
        for u in glue(units(paragraph)) {
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
        if let Some(l) = lines.last_mut() {
            l.last = true;
        }
    }
    lines
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
}
