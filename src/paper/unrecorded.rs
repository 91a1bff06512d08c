//! What a notice prints where the record holds no figure, and where money ran over.
//!
//! [`super::documents`] turns every amount into figures; this step, run right after it, takes
//! out what the record never held, so that the template's `if=` blocks say 未列预算 or
//! 资金来源未列明 instead of printing a ¥0.00 budget or a source nobody named, prints a cell
//! the plan did not budget as —, and prints an overspent remainder as 超支 ¥… rather than a
//! negative 结余. (It belongs in `documents`; kept apart while that file has another owner.)

use super::model::{MotionReceipt, ResolutionNotice, ResultNotice};
use super::money::format_yuan;
use super::template::Values;

const NONE: &str = "—";

/// Figures without the ¥ sign (table cells under a （元） header), overspending as 超支.
fn remainder(fen: i64, with_sign: bool) -> String {
    let figures = |f: i64| {
        let s = format_yuan(f);
        if with_sign {
            s
        } else {
            s.replacen('¥', "", 1)
        }
    };
    if fen < 0 {
        format!("超支{}", figures(fen.saturating_neg()))
    } else {
        figures(fen)
    }
}

/// 决议公开: no budget recorded → no budget figures (the template says 未列预算), and the
/// funding text, if any, printed as recorded without an amount.
pub(crate) fn resolution(v: &mut Values, n: &ResolutionNotice) {
    if n.budget_recorded {
        return;
    }
    v.scalars.remove("budget_figures");
    v.scalars.remove("budget_capital");
    if let Some(items) = v.lists.get_mut("funding") {
        for item in items {
            item.insert("amount", NONE.into());
        }
    }
}

/// 实施结果公开: lines the plan did not budget print — for budget and remainder; no budget at
/// all → no budget total or capitals (the template says 未列预算); overspending → 超支.
pub(crate) fn result(v: &mut Values, n: &ResultNotice) {
    let mut items = Vec::new();
    for c in &n.costs {
        let (budget, difference) = if c.budget_recorded {
            (
                remainder(c.budget_fen, false),
                remainder(c.budget_fen.saturating_sub(c.actual_fen), false),
            )
        } else {
            (NONE.to_string(), NONE.to_string())
        };
        items.push(
            [
                ("source", c.source.clone()),
                ("budget", budget),
                ("actual", remainder(c.actual_fen, false)),
                ("difference", difference),
            ]
            .into_iter()
            .collect(),
        );
    }
    v.lists.insert("costs", items);
    let actual: i64 = n
        .costs
        .iter()
        .fold(0, |a, c| a.saturating_add(c.actual_fen));
    if n.budget_recorded {
        // Lines the plan did not budget count nothing toward the budget.
        let budget: i64 = n
            .costs
            .iter()
            .filter(|c| c.budget_recorded)
            .fold(0, |a, c| a.saturating_add(c.budget_fen));
        v.set(
            "difference_total",
            remainder(budget.saturating_sub(actual), true),
        );
    } else {
        v.scalars.remove("budget_capital");
        v.set("budget_total", "未列预算");
        v.set("difference_total", NONE);
    }
}

/// The motion receipt: 无 rather than "共0份".
pub(crate) fn motion(v: &mut Values, m: &MotionReceipt) {
    v.set(
        "attachments",
        match m.attachments {
            0 => "无".to_string(),
            n => format!("书面动议扫描件及附件共{n}份"),
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overspending_is_never_a_negative_remainder() {
        assert_eq!(remainder(-1_400_000, true), "超支¥14,000.00");
        assert_eq!(remainder(-1_400_000, false), "超支14,000.00");
        assert_eq!(remainder(50, false), "0.50");
    }
}
