//! The printable report per track (a certificate once the track is complete).

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::browser::platform::{now, print_page};
use crate::domain::report::{self, PROFILE_PASS_LINE, ResultKind};
use crate::domain::text::Lang;
use crate::i18n::*;
use crate::ui::common::context::{CourseCtx, ProgressCtx, use_lang};
use crate::ui::common::labels::when;
use crate::ui::common::profile_chart::ProfileChart;
use crate::ui::shell::not_found::NotFound;

#[component]
pub fn ReportPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let course = CourseCtx::expect();
    let ctx = ProgressCtx::expect();
    let lang = use_lang();
    move || {
        let l = lang.get();
        let id = params.read().get("track").unwrap_or_default();
        let Some(track) = course.file.tracks.iter().find(|t| t.id == id).cloned() else {
            return view! { <NotFound /> }.into_any();
        };
        let Some(rubric) = course.default_rubric().cloned() else {
            return view! { <NotFound /> }.into_any();
        };
        let p = ctx.progress.get();
        // The same aggregation as "My progress" (`report::overview`), so the numbers agree.
        let Some((status, summary)) = report::track_report(&course, &id, &p) else {
            return view! { <NotFound /> }.into_any();
        };
        let me = ctx
            .trainee
            .get()
            .and_then(|t| ctx.profiles.with(|ps| ps.get(&t).cloned()));
        let name = me.as_ref().map(|m| m.name.clone()).unwrap_or_default();
        let employee = me.as_ref().and_then(|m| m.employee_id.clone());
        let both = |zh: String, en: String| view! { <span class="bi"><span lang="zh-Hans">{zh}</span><span class="bi__en" lang="en">{en}</span></span> };
        let both_key = move |k: Key| both(k.text(Lang::Zh).to_string(), k.text(Lang::En).to_string());
        let complete = status.complete();
        // Quizzes, role-plays and observations of the track, one group each.
        let groups = [
            (ResultKind::Quiz, Key::report_quizzes),
            (ResultKind::RolePlay, Key::report_roleplays),
            (ResultKind::Observation, Key::report_observations),
        ]
        .into_iter()
        .map(|(kind, heading)| {
            let rows = summary
                .of_kind(kind)
                .map(|item| {
                    let total = item.total.map(|t| format!("{t:.1}%")).unwrap_or_else(|| "—".into());
                    view! {
                        <tr data-kind=kind.as_str() data-item=item.id.clone()>
                            <td>{both(item.title.zh.clone(), item.title.en.clone())}</td>
                            <td class="num">{item.results}</td>
                            <td class="num">{total}</td>
                        </tr>
                    }
                })
                .collect::<Vec<_>>();
            let empty = rows.is_empty();
            view! {
                <tr class="report__group"><th colspan="3" scope="colgroup">{both_key(heading)}</th></tr>
                {rows}
                {empty.then(|| view! { <tr class="report__none"><td colspan="3">{both_key(Key::report_none_yet)}</td></tr> })}
            }
        })
        .collect_view();
        let chart = if summary.has_scores() {
            view! { <ProfileChart profile=summary.profile.clone() rubric=rubric.clone() lang=l mark=PROFILE_PASS_LINE /> }.into_any()
        } else {
            view! { <p class="report__empty" data-testid="report-no-results">{both_key(Key::report_no_results)}</p> }
                .into_any()
        };
        let date = when(now());
        view! {
            <div class="report-actions no-print">
                <A href="/progress" attr:class="btn btn--ghost">{t!(i18n, my_progress)}</A>
                <button class="btn btn--primary" type="button" on:click=|_| print_page() data-testid="print-report">{t!(i18n, print_report)}</button>
            </div>
            <article class="report" data-testid="report" data-complete=complete.to_string()>
                <header class="report__head">
                    <span class="topbar__mark" aria-hidden="true">"礼"</span>
                    <div>
                        <p class="report__kind">{if complete { both("结业证书".into(), "Certificate of completion".into()) } else { both("学习报告".into(), "Progress report".into()) }}</p>
                        <h1 class="report__track">{both(track.title.zh.clone(), track.title.en.clone())}</h1>
                    </div>
                </header>
                <p class="report__name" data-testid="report-name">{name} {employee.map(|e| format!(" · {e}"))}</p>
                <p>{if complete {
                    both("已完成本课程全部课时并通过结业考核。".into(), "has completed every lesson of this track and passed its final assessment.".into())
                } else {
                    both(format!("已完成 {}/{} 个课时。", status.lessons_done, status.lessons), format!("has completed {} of {} lessons.", status.lessons_done, status.lessons))
                }}</p>
                <table class="report__table" data-testid="report-results">
                    <thead><tr>
                        <th scope="col"></th>
                        <th scope="col" class="num">{both_key(Key::col_results)}</th>
                        <th scope="col" class="num">{both_key(Key::report_result)}</th>
                    </tr></thead>
                    <tbody>{groups}</tbody>
                </table>
                <h2 class="report__h2">{both("各项考核指标".into(), "Per criterion".into())}</h2>
                {chart}
                <p class="note">{both(rubric.note.zh.clone(), rubric.note.en.clone())}</p>
                <footer class="report__foot">
                    <p>{both("日期".into(), "Date".into())} ": " {date}</p>
                    <p class="report__sign">{both("培训师签名".into(), "Trainer's signature".into())} ": "</p>
                </footer>
            </article>
        }
        .into_any()
    }
}
