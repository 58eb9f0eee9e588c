//! The per-criterion profile as a bar chart.

use leptos::prelude::*;

use crate::i18n::*;

use crate::domain::report::CriterionProfile;
use crate::domain::rubric::Rubric;
use crate::domain::text::Lang;

/// The criterion profile as horizontal bars (SVG), with the pass line at `mark`.
#[component]
pub fn ProfileChart(profile: CriterionProfile, rubric: Rubric, lang: Lang, mark: f64) -> impl IntoView {
    let i18n = use_i18n();
    let row_h = 34.0;
    let label_w = 190.0;
    let bar_w = 300.0;
    let h = row_h * profile.rows.len() as f64 + 24.0;
    let rows = profile
        .rows
        .iter()
        .enumerate()
        .map(|(i, (c, avg, n))| {
            let y = i as f64 * row_h + 6.0;
            let name = rubric
                .criterion(c)
                .map(|k| k.name.get(lang).to_string())
                .unwrap_or_else(|| c.clone());
            let (w, label, cls) = match avg {
                Some(a) => (
                    bar_w * a / 100.0,
                    format!("{a:.1}% ({n})"),
                    if *a < mark {
                        "chart__bar chart__bar--low"
                    } else {
                        "chart__bar"
                    },
                ),
                None => (0.0, "—".to_string(), "chart__bar"),
            };
            view! {
                <g data-criterion=c.clone()>
                    <text x="0" y=y + 17.0 class="chart__label">{name}</text>
                    <rect x=label_w y=y width=bar_w height="22" rx="4" class="chart__track" />
                    <rect x=label_w y=y width=w height="22" rx="4" class=cls />
                    <text x=label_w + bar_w + 8.0 y=y + 17.0 class="chart__value">{label}</text>
                </g>
            }
        })
        .collect_view();
    let pass_x = label_w + bar_w * mark / 100.0;
    view! {
        <svg class="chart" viewBox=format!("0 0 {} {h}", label_w + bar_w + 110.0) role="img" data-testid="criterion-chart">
            <title>{t_string!(i18n, criterion_profile).to_string()}</title>
            {rows}
            <line x1=pass_x x2=pass_x y1="0" y2=h - 18.0 class="chart__pass" />
            <text x=pass_x y=h - 4.0 text-anchor="middle" class="chart__value">{format!("{mark:.0}%")}</text>
        </svg>
    }
}
