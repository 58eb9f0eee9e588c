//! Interface strings in zh-Hans and English (from `content/locales/*.json`, compiled into a
//! `Key` enum by `build.rs`), the language context, and the `t!` / `t_string!` macros.
//!
//! The language starts as the trainee's last choice (localStorage `lixun.lang`), else the
//! browser's preferred languages, else zh-Hans; `<html lang>` follows it.

use leptos::prelude::*;

use crate::browser::platform::{preferred_languages, set_document_lang};
use crate::browser::storage::{KeyValue, LocalStorage};
use crate::domain::text::Lang;

include!(concat!(env!("OUT_DIR"), "/i18n_keys.rs"));

/// Where the chosen language is remembered.
pub const LANG_KEY: &str = "lixun.lang";

impl Key {
    /// The string in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => ZH[self as usize],
            Lang::En => EN[self as usize],
        }
    }
}

/// Fills `{{ name }}` placeholders.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = template.to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{{ {name} }}}}"), value);
    }
    out
}

/// The interface locales (names kept close to their BCP 47 tags).
#[allow(non_camel_case_types)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    zh_Hans,
    en,
}

/// The current language, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    lang: RwSignal<Lang>,
}

impl I18n {
    pub fn get_locale(&self) -> Locale {
        match self.lang.get() {
            Lang::Zh => Locale::zh_Hans,
            Lang::En => Locale::en,
        }
    }

    /// Switches the language and remembers it (a storage failure only loses the memory).
    pub fn set_locale(&self, locale: Locale) {
        let lang = match locale {
            Locale::zh_Hans => Lang::Zh,
            Locale::en => Lang::En,
        };
        self.lang.set(lang);
        let _ = LocalStorage.set(LANG_KEY, lang.as_str());
    }

    pub fn lang(&self) -> Lang {
        self.lang.get()
    }

    /// The string of `key` in the current language (reactive).
    pub fn tr(&self, key: Key) -> &'static str {
        key.text(self.lang.get())
    }

    /// The string of `key` with its placeholders filled (reactive).
    pub fn format(&self, key: Key, args: &[(&str, String)]) -> String {
        fill(self.tr(key), args)
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Provides the language to its children.
#[component]
pub fn I18nContextProvider(children: Children) -> impl IntoView {
    let stored = LocalStorage
        .get(LANG_KEY)
        .ok()
        .flatten()
        .and_then(|t| Lang::from_tag(&t));
    let initial = stored.unwrap_or_else(|| {
        let prefs = preferred_languages();
        Lang::from_browser_preferences(prefs.iter().map(String::as_str))
    });
    let lang = RwSignal::new(initial);
    Effect::new(move |_| set_document_lang(lang.get().as_str()));
    provide_context(I18n { lang });
    children()
}

/// `t!(i18n, key)` or `t!(i18n, key, name = value, …)`: a reactive text for a view.
macro_rules! t {
    ($i18n:expr, $key:ident) => {{
        let i18n = $i18n;
        move || i18n.tr($crate::i18n::Key::$key)
    }};
    ($i18n:expr, $key:ident, $($name:ident = $value:expr),+ $(,)?) => {{
        let i18n = $i18n;
        let args: Vec<(&'static str, String)> = vec![$((stringify!($name), ($value).to_string())),+];
        move || i18n.format($crate::i18n::Key::$key, &args)
    }};
}

/// `t_string!(i18n, key)` (a `&'static str`) or `t_string!(i18n, key, name = value, …)` (a `String`).
macro_rules! t_string {
    ($i18n:expr, $key:ident) => {
        $i18n.tr($crate::i18n::Key::$key)
    };
    ($i18n:expr, $key:ident, $($name:ident = $value:expr),+ $(,)?) => {
        $i18n.format($crate::i18n::Key::$key, &[$((stringify!($name), ($value).to_string())),+])
    };
}

pub(crate) use {t, t_string};
