//! Words for domain values and errors, in the interface language, and dates on this device.

use crate::domain::content::AttemptsPolicy;
use crate::domain::profiles::ProfileError;
use crate::domain::scenario::Channel;
use crate::i18n::*;

/// The name of a contact channel.
pub fn channel_label(i18n: I18n, c: Channel) -> String {
    match c {
        Channel::Counter => t_string!(i18n, channel_counter),
        Channel::Phone => t_string!(i18n, channel_phone),
        Channel::OnlineChat => t_string!(i18n, channel_online_chat),
        Channel::Email => t_string!(i18n, channel_email),
        Channel::OnSiteDelivery => t_string!(i18n, channel_on_site_delivery),
    }
    .to_string()
}

/// Which attempt counts, as words: "取最高分" / "highest".
pub fn policy_label(i18n: I18n, p: AttemptsPolicy) -> String {
    match p {
        AttemptsPolicy::Highest => t_string!(i18n, policy_highest),
        AttemptsPolicy::Last => t_string!(i18n, policy_last),
        AttemptsPolicy::First => t_string!(i18n, policy_first),
        AttemptsPolicy::Average => t_string!(i18n, policy_average),
    }
    .to_string()
}

/// A profile error as a sentence.
pub fn profile_error(i18n: I18n, e: &ProfileError) -> String {
    match e {
        ProfileError::EmptyName => t_string!(i18n, profile_name_needed).to_string(),
        ProfileError::TooLong => t_string!(i18n, profile_name_too_long).to_string(),
        ProfileError::EmployeeIdTaken(id) => t_string!(i18n, profile_id_taken, id = id.clone()).to_string(),
    }
}

/// A record's date and time on this device's clock: `2026-11-23 09:05`.
pub fn when(d: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let l = d.with_timezone(&chrono::Local);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        l.year(),
        l.month(),
        l.day(),
        l.hour(),
        l.minute()
    )
}

/// An attempt's quiz name in `lang` (practice worded by the interface; a quiz the content no
/// longer has by its id).
pub fn quiz_title(i18n: I18n, name: crate::domain::engine::QuizName, lang: crate::domain::text::Lang) -> String {
    use crate::domain::engine::QuizName;
    match name {
        QuizName::Practice => t_string!(i18n, practice_title).to_string(),
        QuizName::Title(t) => t.get(lang).to_string(),
        QuizName::Unknown(id) => id.to_string(),
    }
}

/// An option of `q` as shown: true / false in the interface language, else its text.
pub fn option_text(i18n: I18n, q: &crate::domain::quiz::Question, id: &str, lang: crate::domain::text::Lang) -> String {
    use crate::domain::quiz::OptionLabel;
    match q.option_label(id, lang) {
        OptionLabel::True => t_string!(i18n, answer_true).to_string(),
        OptionLabel::False => t_string!(i18n, answer_false).to_string(),
        OptionLabel::Text(t) => t,
    }
}
