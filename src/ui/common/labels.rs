//! Words for domain values and errors, in the interface language, and dates on this device.

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
