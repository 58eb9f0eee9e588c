//! The per-criterion score table every result shows: weight after normalisation, the printed
//! weight, percent or "not assessed", a bar, and the rubric's note on normalisation.

use leptos::prelude::*;

use crate::domain::rubric::RubricResult;
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, use_lang};
use crate::ui::lesson::citation::Cites;

#[component]
pub fn CriterionTable(
    result: RubricResult,
    /// Criteria to mark as failed (below the pass mark).
    #[prop(optional)]
    failed: Vec<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let course = CourseCtx::expect();
    let lang = use_lang();
    move || {
        let lang = lang.get();
        let rubric = course.rubric(&result.rubric).cloned();
        let rows = result
            .criteria
            .iter()
            .map(|c| {
                let name = rubric
                    .as_ref()
                    .and_then(|r| r.criterion(&c.criterion))
                    .map(|k| k.name.get(lang).to_string())
                    .unwrap_or_else(|| c.criterion.clone());
                let weight = format!("{:.1}%", c.normalised_weight * 100.0);
                let printed = t_string!(i18n, printed_weight, w = c.printed_weight).to_string();
                let is_failed = failed.contains(&c.criterion);
                let (score, width, cls) = match c.percent {
                    Some(p) if is_failed => (format!("{p:.1}%"), p, "crit crit--failed"),
                    Some(p) => (format!("{p:.1}%"), p, "crit"),
                    None => (t_string!(i18n, not_assessed).to_string(), 0.0, "crit crit--na"),
                };
                view! {
                    <tr class=cls data-criterion=c.criterion.clone()>
                        <th scope="row">{name}<span class="crit__printed">{printed}</span></th>
                        <td class="crit__weight">{weight}</td>
                        <td class="crit__score">
                            <span class="crit__value">{score}</span>
                            {is_failed.then(|| view! { <span class="pill pill--bad">{t!(i18n, below_pass)}</span> })}
                            <span class="bar" aria-hidden="true"><span class="bar__fill" style:width=format!("{width}%")></span></span>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let note = rubric.as_ref().map(|r| r.note.get(lang).to_string());
        let cites = rubric.as_ref().map(|r| r.cite.clone()).unwrap_or_default();
        view! {
            <table class="crit-table">
                <thead><tr><th scope="col">{t!(i18n, criterion)}</th><th scope="col">{t!(i18n, weight)}</th><th scope="col">{t!(i18n, score)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="note" data-testid="normalisation-note">{note} " " <Cites cites /></p>
            {result.partial.then(|| view! { <p class="note">{t!(i18n, partial_total)}</p> })}
        }
    }
}

/// The weighted total with its pass / not passed pill.
#[component]
pub fn TotalLine(total: Option<f64>, passed: bool) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let ctx = crate::ui::common::context::ProgressCtx::expect();
    // The grade band of the total (this app's default bands, which a trainer may change).
    let band = move || {
        let t = total?;
        ctx.settings.with(|s| s.bands.band(t).map(|b| b.label.get(lang.get()).to_string())).map(|label| {
            view! { <span class="pill pill--band" data-testid="grade-band" title=move || t_string!(i18n, bands_default_note).to_string()>{label}</span> }
        })
    };
    let total = move || {
        total
            .map(|t| format!("{t:.1}%"))
            .unwrap_or_else(|| t_string!(i18n, not_assessed).to_string())
    };
    view! {
        <div class="result__total">
            <span class="muted">{t!(i18n, weighted_total)}</span>
            <strong class="result__number" data-testid="weighted-total">{total}</strong>
            {band}
            {if passed {
                view! { <span class="pill pill--ok" data-testid="passed">{t!(i18n, passed)}</span> }.into_any()
            } else {
                view! { <span class="pill pill--bad" data-testid="not-passed">{t!(i18n, not_passed)}</span> }.into_any()
            }}
        </div>
    }
}
