//! The per-criterion score table every result shows: weight after normalisation, the printed
//! weight, percent or "not assessed", a bar, and the rubric's note on normalisation.

use leptos::prelude::*;

use crate::domain::rubric::{BandNote, PassRule, RubricResult, verdict};
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

/// The weighted total and the one verdict (`domain::rubric::verdict`): passed or not passed,
/// and the grade band only with what it means next to that verdict.
#[component]
pub fn TotalLine(
    /// The scored result.
    result: RubricResult,
    /// How this kind of result passes.
    rule: PassRule,
    /// Pass mark, percent.
    pass_mark: f64,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = use_lang();
    let ctx = crate::ui::common::context::ProgressCtx::expect();
    let total = result.total;
    let v = Memo::new(move |_| ctx.settings.with(|s| verdict(&result, rule, pass_mark, &s.bands)));
    let band = move || {
        let v = v.get();
        let b = v.band?;
        let l = lang.get();
        let label = b.label.get(l).to_string();
        let named = match b.below {
            Some(below) => t_string!(i18n, band_below, band = label, below = below).to_string(),
            None => t_string!(i18n, band_at_least, band = label, min = b.min).to_string(),
        };
        let mark = v.pass_mark;
        let text = match b.note {
            BandNote::Agrees => named,
            BandNote::PassedInLowestBand => {
                t_string!(i18n, band_but_pass_mark_met, band = named, mark = mark).to_string()
            }
            BandNote::TotalBelowPassMark => {
                t_string!(i18n, band_but_total_below, band = named, mark = mark).to_string()
            }
            BandNote::CriteriaBelowPassMark(n) => {
                t_string!(i18n, band_but_criteria_below, band = named, count = n, mark = mark).to_string()
            }
        };
        let cls = if b.note == BandNote::Agrees {
            "pill pill--band"
        } else {
            "result__band-note"
        };
        Some(view! {
            <span class=cls data-testid="grade-band" title=move || t_string!(i18n, bands_default_note).to_string()>{text}</span>
        })
    };
    let total = move || {
        total
            .map(|t| format!("{t:.1}%"))
            .unwrap_or_else(|| t_string!(i18n, not_assessed).to_string())
    };
    view! {
        <div class="result__total" data-testid="verdict">
            <span class="muted">{t!(i18n, weighted_total)}</span>
            <strong class="result__number" data-testid="weighted-total">{total}</strong>
            {move || if v.get().passed {
                view! { <span class="pill pill--ok" data-testid="passed">{t!(i18n, passed)}</span> }.into_any()
            } else {
                view! { <span class="pill pill--bad" data-testid="not-passed">{t!(i18n, not_passed)}</span> }.into_any()
            }}
            {band}
        </div>
    }
}
