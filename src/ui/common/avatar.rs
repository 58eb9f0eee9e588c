//! A trainee's avatar: initials on their colour.

use leptos::prelude::*;

use crate::domain::profiles::Profile;

/// A round avatar with the trainee's initials on their colour.
#[component]
pub fn Avatar(profile: Profile, #[prop(optional)] small: bool) -> impl IntoView {
    view! {
        <span class=if small { "avatar avatar--small" } else { "avatar" } style:background=profile.colour_css() aria-hidden="true">
            {profile.initials()}
        </span>
    }
}
