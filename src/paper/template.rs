//! Wording templates: parsing, validation and filling.
//!
//! A template (`templates/*.zh.txt`, compiled in with `include_str!`) is a list of blocks, each
//! opened by a line `@kind [options]`; lines starting with `#` are comments. The layout engine
//! sets the blocks in order. Text holds `{field}` placeholders (`{{`/`}}` for literal braces)
//! that the renderer fills from the record. Kinds:
//!
//! | block | what it sets |
//! |---|---|
//! | `@title` | each line centred in the title face |
//! | `@subtitle` | each line centred, smaller |
//! | `@lines` | each line flush left (salutation, form fields) |
//! | `@heading` | each line as a bold heading, indented two characters |
//! | `@para` | each line a paragraph: first line indented two characters, justified |
//! | `@table NAME widths=a,b,… [size=PT] [row=MM] [empty=TEXT] [align=c,l,…]` | first line the header (cells split by `\|`), then rows; a row starting with `* ` repeats once per item of the list NAME (`static`: no list); `empty=` is set when the list is empty (it may hold `{field}`s, no spaces) |
//! | `@signature` | issuers and date, bottom right, each line centred on the block |
//! | `@verification` | the verification lines, set beside the QR code |
//! | `@pagehead` | lines at the top of every page (forms: so a scanned page can be matched back) |
//! | `@pagenumber` | one line, `{page}` and `{pages}` filled per page |
//! | `@space MM` | vertical space |
//!
//! Text blocks take `size=PT`. `\n` inside a table cell forces a line break.
//!
//! Any block takes `if=COND[,COND…]`: it is set only when every condition holds. A condition
//! names a field (set and not empty) or a list (at least one item), or negates one with `!`
//! (`if=budget_figures,!funding`). That is how a notice says "未列预算" instead of printing a
//! budget of ¥0.00 nobody recorded: the renderer leaves the value out, the template says what
//! to print then.
//!
//! Validation is strict, so a township can reword freely but not lose a fact: unknown block
//! kinds, unknown options, unknown fields and a list-row placeholder outside its list are
//! refused, and every field the document kind requires must appear somewhere.

use std::collections::{BTreeMap, BTreeSet};

use super::PaperError;

/// What a document kind offers to and demands from its template.
pub(crate) struct Spec {
    /// Template name used in errors, e.g. `resolution_notice.zh.txt`.
    pub(crate) name: &'static str,
    /// Scalar fields the renderer provides.
    pub(crate) fields: &'static [&'static str],
    /// Lists (table names) and the fields of each item.
    pub(crate) lists: &'static [(&'static str, &'static [&'static str])],
    /// Fields (scalar or `list.field`) that must appear in the template.
    pub(crate) required: &'static [&'static str],
    /// Block kinds that must appear (e.g. `signature`, `verification`).
    pub(crate) required_blocks: &'static [&'static str],
}

/// Options of a text block.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct TextOpts {
    /// Font size in pt (`None`: the block kind's default).
    pub(crate) size: Option<f32>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// Repeat once per item of the table's list.
    pub(crate) repeat: bool,
    pub(crate) cells: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub(crate) list: String,
    /// Relative column widths (scaled to the text width).
    pub(crate) widths: Vec<f32>,
    pub(crate) size: Option<f32>,
    /// Minimum row height in mm.
    pub(crate) row_mm: Option<f32>,
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Row>,
    /// Set in one full-width row when the list is empty (option `empty=`).
    pub(crate) empty: Option<String>,
    /// Per-column alignment, `c` (centre) or `l` (left); default: centre what fits on one line.
    pub(crate) align: Vec<char>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Title(TextOpts, Vec<String>),
    Subtitle(TextOpts, Vec<String>),
    Lines(TextOpts, Vec<String>),
    Heading(TextOpts, Vec<String>),
    Para(TextOpts, Vec<String>),
    Table(Table),
    Signature(TextOpts, Vec<String>),
    Verification(TextOpts, Vec<String>),
    PageHead(TextOpts, Vec<String>),
    PageNumber(TextOpts, String),
    Space(f32),
}

/// A block's `if=` conditions: (name, wanted) — `wanted` is false for `!name`.
pub(crate) type Cond = Vec<(String, bool)>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Template {
    pub(crate) blocks: Vec<Block>,
    /// The `if=` conditions of each block (same index as `blocks`; empty: always set).
    pub(crate) conds: Vec<Cond>,
}

impl Template {
    /// The blocks whose `if=` conditions hold for `values`, in order.
    pub(crate) fn select(self, values: &Values) -> Template {
        let holds = |(name, wanted): &(String, bool)| {
            let set = match values.lists.get(name.as_str()) {
                Some(items) => !items.is_empty(),
                None => values
                    .scalars
                    .get(name.as_str())
                    .is_some_and(|v| !v.is_empty()),
            };
            set == *wanted
        };
        let blocks = self
            .blocks
            .into_iter()
            .zip(&self.conds)
            .filter(|(_, c)| c.iter().all(holds))
            .map(|(b, _)| b)
            .collect::<Vec<_>>();
        let conds = vec![Vec::new(); blocks.len()];
        Template { blocks, conds }
    }
}

/// Values for one rendering: scalars and lists of items.
#[derive(Debug, Default)]
pub(crate) struct Values {
    pub(crate) scalars: BTreeMap<&'static str, String>,
    pub(crate) lists: BTreeMap<&'static str, Vec<BTreeMap<&'static str, String>>>,
}

impl Values {
    pub(crate) fn set(&mut self, k: &'static str, v: impl Into<String>) {
        self.scalars.insert(k, v.into());
    }
    pub(crate) fn push(&mut self, list: &'static str, item: Vec<(&'static str, String)>) {
        self.lists
            .entry(list)
            .or_default()
            .push(item.into_iter().collect());
    }
    pub(crate) fn list(&mut self, list: &'static str) {
        self.lists.entry(list).or_default();
    }
}

/// Splits `text` into literal and placeholder pieces; `Err` describes a brace error.
fn pieces(text: &str) -> Result<Vec<(bool, String)>, String> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) if c.is_ascii_alphanumeric() || c == '_' => name.push(c),
                        _ => return Err(format!("bad placeholder after {{{name}")),
                    }
                }
                if name.is_empty() {
                    return Err("empty placeholder {}".into());
                }
                if !lit.is_empty() {
                    out.push((false, std::mem::take(&mut lit)));
                }
                out.push((true, name));
            }
            '}' => return Err("unmatched }".into()),
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push((false, lit));
    }
    Ok(out)
}

/// `text` filled as [`fill`] does, in pieces: each placeholder's value and each run of
/// literal text between them (a title may break where one piece meets the next).
pub(crate) fn fill_pieces(text: &str, get: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    pieces(text)
        .unwrap_or_default()
        .into_iter()
        .map(|(is_field, s)| {
            if is_field {
                get(&s).unwrap_or_default()
            } else {
                s
            }
        })
        .filter(|s| !s.is_empty())
        .collect()
}

/// Fills the placeholders of `text`; `get` must know every name (validation guarantees it).
pub(crate) fn fill(text: &str, get: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    for (is_field, s) in pieces(text).unwrap_or_default() {
        if is_field {
            out.push_str(&get(&s).unwrap_or_default());
        } else {
            out.push_str(&s);
        }
    }
    out
}

fn parse_opts(
    spec: &Spec,
    line_no: usize,
    args: &[&str],
    allowed: &[&str],
) -> Result<BTreeMap<String, String>, PaperError> {
    let mut out = BTreeMap::new();
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            return Err(syntax(
                spec,
                line_no,
                format!("option {a:?} is not key=value"),
            ));
        };
        if !allowed.contains(&k) {
            return Err(syntax(spec, line_no, format!("unknown option {k:?}")));
        }
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}

fn syntax(spec: &Spec, line: usize, reason: String) -> PaperError {
    PaperError::TemplateSyntax {
        template: spec.name.to_string(),
        line,
        reason,
    }
}

fn number(spec: &Spec, line: usize, s: &str) -> Result<f32, PaperError> {
    match s.parse::<f32>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(syntax(
            spec,
            line,
            format!("{s:?} is not a positive number"),
        )),
    }
}

/// Parses and validates a template against its document kind.
pub(crate) fn parse(spec: &Spec, source: &str) -> Result<Template, PaperError> {
    // (kind, args, line number, body lines with their numbers)
    type Raw<'a> = (&'a str, Vec<&'a str>, usize, Vec<(usize, &'a str)>);
    let mut raw: Vec<Raw<'_>> = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let n = i + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(head) = line.strip_prefix('@') {
            let mut parts = head.split_whitespace();
            let kind = parts.next().unwrap_or("");
            raw.push((kind, parts.collect(), n, Vec::new()));
        } else if let Some(last) = raw.last_mut() {
            last.3.push((n, line.trim_end()));
        } else {
            return Err(syntax(spec, n, "text before the first @block".into()));
        }
    }

    let mut used_fields: BTreeSet<String> = BTreeSet::new();
    let mut check_text = |text: &str, n: usize, list: Option<&str>| -> Result<(), PaperError> {
        let ps = pieces(text).map_err(|r| syntax(spec, n, r))?;
        for (is_field, name) in ps {
            if !is_field {
                continue;
            }
            let row_field = list.and_then(|l| {
                spec.lists
                    .iter()
                    .find(|(ln, _)| *ln == l)
                    .filter(|(_, fs)| fs.contains(&name.as_str()))
                    .map(|_| format!("{l}.{name}"))
            });
            if let Some(q) = row_field {
                used_fields.insert(q);
            } else if spec.fields.contains(&name.as_str()) {
                used_fields.insert(name);
            } else {
                return Err(PaperError::TemplateUnknownField {
                    template: spec.name.to_string(),
                    line: n,
                    field: name,
                });
            }
        }
        Ok(())
    };

    let mut blocks = Vec::new();
    let mut conds = Vec::new();
    let mut kinds: BTreeSet<String> = BTreeSet::new();
    for (kind, args, n, body) in raw {
        kinds.insert(kind.to_string());
        let (ifs, args): (Vec<&str>, Vec<&str>) =
            args.into_iter().partition(|a| a.starts_with("if="));
        let mut cond = Cond::new();
        for c in ifs.iter().flat_map(|a| a["if=".len()..].split(',')) {
            let (name, wanted) = match c.strip_prefix('!') {
                Some(rest) => (rest, false),
                None => (c, true),
            };
            let known = spec.fields.contains(&name) || spec.lists.iter().any(|(l, _)| *l == name);
            if !known {
                return Err(syntax(
                    spec,
                    n,
                    format!("if= names {name:?}, which is neither a field nor a list"),
                ));
            }
            cond.push((name.to_string(), wanted));
        }
        conds.push(cond);
        let texts: Vec<String> = body.iter().map(|(_, l)| l.trim().to_string()).collect();
        let text_block = |allowed_empty: bool| -> Result<TextOpts, PaperError> {
            let o = parse_opts(spec, n, &args, &["size"])?;
            if !allowed_empty && body.is_empty() {
                return Err(syntax(spec, n, format!("@{kind} has no text")));
            }
            Ok(TextOpts {
                size: o.get("size").map(|s| number(spec, n, s)).transpose()?,
            })
        };
        let block = match kind {
            "title" | "subtitle" | "lines" | "heading" | "para" | "signature" | "pagehead" => {
                let o = text_block(false)?;
                for (ln, l) in &body {
                    check_text(l, *ln, None)?;
                }
                match kind {
                    "title" => Block::Title(o, texts),
                    "subtitle" => Block::Subtitle(o, texts),
                    "lines" => Block::Lines(o, texts),
                    "heading" => Block::Heading(o, texts),
                    "para" => Block::Para(o, texts),
                    "signature" => Block::Signature(o, texts),
                    _ => Block::PageHead(o, texts),
                }
            }
            "verification" => {
                let o = text_block(false)?;
                for (ln, l) in &body {
                    check_text(l, *ln, None)?;
                }
                Block::Verification(o, texts)
            }
            "pagenumber" => {
                let o = text_block(false)?;
                if body.len() != 1 {
                    return Err(syntax(spec, n, "@pagenumber takes exactly one line".into()));
                }
                let ps = pieces(&texts[0]).map_err(|r| syntax(spec, n, r))?;
                for (is_field, name) in ps {
                    if is_field && name != "page" && name != "pages" {
                        return Err(PaperError::TemplateUnknownField {
                            template: spec.name.to_string(),
                            line: body[0].0,
                            field: name,
                        });
                    }
                }
                Block::PageNumber(o, texts[0].clone())
            }
            "space" => {
                if args.len() != 1 || !body.is_empty() {
                    return Err(syntax(
                        spec,
                        n,
                        "@space takes one number (mm) and no text".into(),
                    ));
                }
                Block::Space(number(spec, n, args[0])?)
            }
            "table" => {
                let Some((&list, opts)) = args.split_first() else {
                    return Err(syntax(spec, n, "@table needs a name".into()));
                };
                if !spec.lists.iter().any(|(l, _)| *l == list) && list != "static" {
                    return Err(syntax(spec, n, format!("unknown table {list:?}")));
                }
                let o = parse_opts(spec, n, opts, &["widths", "size", "row", "empty", "align"])?;
                let Some(widths) = o.get("widths") else {
                    return Err(syntax(spec, n, "@table needs widths=…".into()));
                };
                let widths: Vec<f32> = widths
                    .split(',')
                    .map(|w| number(spec, n, w))
                    .collect::<Result<_, _>>()?;
                let align: Vec<char> = match o.get("align") {
                    None => Vec::new(),
                    Some(a) => {
                        let a: Vec<char> = a.split(',').flat_map(|c| c.chars()).collect();
                        if a.len() != widths.len() || a.iter().any(|c| !matches!(c, 'c' | 'l')) {
                            return Err(syntax(
                                spec,
                                n,
                                "align= needs one c or l per column".into(),
                            ));
                        }
                        a
                    }
                };
                let Some(((hn, header), rest)) = body.split_first() else {
                    return Err(syntax(spec, n, "@table has no header line".into()));
                };
                let split = |l: &str| l.split('|').map(|c| c.trim().to_string()).collect();
                let header: Vec<String> = split(header);
                if header.len() != widths.len() {
                    return Err(syntax(spec, *hn, "header cells ≠ widths".into()));
                }
                check_text(&header.join("|"), *hn, None)?;
                let mut rows = Vec::new();
                for (ln, l) in rest {
                    let (repeat, l) = match l.strip_prefix("* ") {
                        Some(r) => (true, r),
                        None => (false, *l),
                    };
                    let cells: Vec<String> = split(l);
                    if cells.len() != widths.len() {
                        return Err(syntax(spec, *ln, "row cells ≠ widths".into()));
                    }
                    check_text(l, *ln, repeat.then_some(list))?;
                    rows.push(Row { repeat, cells });
                }
                if let Some(e) = o.get("empty") {
                    check_text(e, n, None)?;
                }
                Block::Table(Table {
                    list: list.to_string(),
                    widths,
                    size: o.get("size").map(|s| number(spec, n, s)).transpose()?,
                    row_mm: o.get("row").map(|s| number(spec, n, s)).transpose()?,
                    header,
                    rows,
                    empty: o.get("empty").cloned(),
                    align,
                })
            }
            other => return Err(syntax(spec, n, format!("unknown block @{other}"))),
        };
        blocks.push(block);
    }

    for b in spec.required_blocks {
        if !kinds.contains(*b) {
            return Err(PaperError::TemplateMissingField {
                template: spec.name.to_string(),
                field: format!("@{b}"),
            });
        }
    }
    for f in spec.required {
        if !used_fields.contains(*f) {
            return Err(PaperError::TemplateMissingField {
                template: spec.name.to_string(),
                field: (*f).to_string(),
            });
        }
    }
    Ok(Template { blocks, conds })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: Spec = Spec {
        name: "test.txt",
        fields: &["village", "title"],
        lists: &[("funding", &["source", "amount"])],
        required: &["village", "funding.amount"],
        required_blocks: &["signature"],
    };

    const GOOD: &str = "# comment\n@title size=20\n{village}关于{title}的公告\n\
        @table funding widths=2,1\n来源|金额\n* {source}|{amount}\n合计|—\n@signature\n{village}\n";

    #[test]
    fn parses_a_good_template() {
        let t = parse(&SPEC, GOOD).unwrap();
        assert_eq!(t.blocks.len(), 3);
        assert!(matches!(&t.blocks[0], Block::Title(TextOpts { size: Some(s) }, _) if *s == 20.0));
        let Block::Table(table) = &t.blocks[1] else {
            panic!()
        };
        assert_eq!(table.rows.len(), 2);
        assert!(table.rows[0].repeat && !table.rows[1].repeat);
    }

    #[test]
    fn refuses_unknown_fields_with_the_line() {
        let err = parse(&SPEC, &GOOD.replace("{title}", "{titel}")).unwrap_err();
        assert_eq!(
            err,
            PaperError::TemplateUnknownField {
                template: "test.txt".into(),
                line: 3,
                field: "titel".into()
            }
        );
        // A list field outside its repeated row is unknown too.
        assert!(parse(&SPEC, &GOOD.replace("合计|—", "合计|{amount}")).is_err());
    }

    #[test]
    fn refuses_missing_required_fields_and_blocks() {
        let err = parse(&SPEC, &GOOD.replace("* {source}|{amount}", "* {source}|")).unwrap_err();
        assert_eq!(
            err,
            PaperError::TemplateMissingField {
                template: "test.txt".into(),
                field: "funding.amount".into()
            }
        );
        let err = parse(&SPEC, &GOOD.replace("@signature\n{village}\n", "")).unwrap_err();
        assert!(
            matches!(err, PaperError::TemplateMissingField { field, .. } if field == "@signature")
        );
    }

    #[test]
    fn refuses_syntax_errors() {
        for bad in [
            GOOD.replace("@title size=20", "@titel"),
            GOOD.replace("size=20", "colour=red"),
            GOOD.replace("widths=2,1", "widths=2"),
            GOOD.replace("{village}关于", "{village关于"),
            "stray text\n@signature\n{village}".to_string(),
        ] {
            assert!(
                matches!(parse(&SPEC, &bad), Err(PaperError::TemplateSyntax { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn if_sets_a_block_only_when_its_conditions_hold() {
        let src = GOOD.replace(
            "@signature",
            "@para if=title,!funding\n无资金\n@para if=funding\n有资金\n@signature",
        );
        let t = parse(&SPEC, &src).unwrap();
        assert_eq!(
            t.conds[2],
            vec![("title".to_string(), true), ("funding".into(), false)]
        );
        let mut v = Values::default();
        v.set("title", "路");
        v.list("funding");
        let paras = |t: Template, v: &Values| {
            t.select(v)
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Para(_, l) => Some(l[0].clone()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(paras(t.clone(), &v), ["无资金"]);
        v.push("funding", vec![("source", "村集体".into())]);
        assert_eq!(paras(t.clone(), &v), ["有资金"]);
        // An empty value counts as not set.
        v.set("title", "");
        v.lists.insert("funding", Vec::new());
        assert_eq!(paras(t, &v), Vec::<String>::new());
        // A condition must name something the document has.
        let bad = GOOD.replace("@signature", "@signature if=budget");
        assert!(matches!(
            parse(&SPEC, &bad),
            Err(PaperError::TemplateSyntax { .. })
        ));
    }

    #[test]
    fn fills_placeholders_and_braces() {
        let get = |n: &str| (n == "v").then(|| "清河村".to_string());
        assert_eq!(fill("{v}公告{{x}}", &get), "清河村公告{x}");
    }
}
