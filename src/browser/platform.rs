//! Small browser facts: ids, the clock, preferred languages, the document language.

use chrono::{DateTime, Utc};

/// A new random UUID (crypto.randomUUID); falls back to time + random digits on browsers
/// without it, which is still unique enough for one device's records.
pub fn new_id() -> String {
    web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.random_uuid())
        .unwrap_or_else(|| {
            format!(
                "{}-{}",
                js_sys::Date::now() as u64,
                (js_sys::Math::random() * 1e12) as u64
            )
        })
}

/// **Test hook.** When `localStorage['lixun.clock-offset-ms']` holds a whole number of
/// milliseconds, `now()` adds it to the browser clock, so an end-to-end test can move past a
/// deadline without waiting (`tests/e2e/assessment.test.cjs`). Nothing in the app writes it;
/// when it is absent or not a number (always, in normal use) the clock is the browser's.
pub const CLOCK_OFFSET_KEY: &str = "lixun.clock-offset-ms";

/// The current time, from the browser clock (chrono's wasmbind), moved by the test hook
/// `CLOCK_OFFSET_KEY` only when that is set.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    clock_offset_ms()
        .and_then(|ms| t.checked_add_signed(chrono::Duration::milliseconds(ms)))
        .unwrap_or(t)
}

/// The test hook's offset, if set.
fn clock_offset_ms() -> Option<i64> {
    let raw = web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(CLOCK_OFFSET_KEY)
        .ok()??;
    raw.trim().parse().ok()
}

/// The browser's preferred languages, most preferred first.
pub fn preferred_languages() -> Vec<String> {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let list: Vec<String> = nav.languages().iter().filter_map(|v| v.as_string()).collect();
    if list.is_empty() {
        nav.language().into_iter().collect()
    } else {
        list
    }
}

/// Sets `<html lang>` so fonts and screen readers follow the chosen language.
pub fn set_document_lang(tag: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = el.set_attribute("lang", tag);
    }
}

/// Scrolls the page to the top (after moving between lessons or questions).
pub fn scroll_to_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Removes the static loading screen of index.html once the app is mounted.
pub fn remove_boot_screen() {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("boot"))
    {
        el.remove();
    }
}

/// A random seed for a quiz draw.
pub fn random_seed() -> u64 {
    let hi = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    let lo = (js_sys::Math::random() * 4_294_967_296.0) as u64;
    (hi << 32) ^ lo ^ js_sys::Date::now() as u64
}

/// The `data-index` of the nearest element carrying one under the point (x, y), if any:
/// used to find where a dragged step is over.
pub fn index_at_point(x: f64, y: f64) -> Option<usize> {
    let doc = web_sys::window()?.document()?;
    let el = doc.element_from_point(x as f32, y as f32)?;
    let item = el.closest("[data-index]").ok()??;
    item.get_attribute("data-index")?.parse().ok()
}

/// Keeps receiving a pointer's events on the element that got `pointerdown`, so a drag
/// continues when the finger leaves it.
pub fn capture_pointer(ev: &web_sys::PointerEvent) {
    use wasm_bindgen::JsCast;
    if let Some(el) = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
        let _ = el.set_pointer_capture(ev.pointer_id());
    }
}

/// Notes how long a save took (ms) in `window.__lixunSaveTimes`, which the end-to-end
/// benchmark reads; nothing else uses it.
pub fn record_save_time(ms: f64) {
    let Some(w) = web_sys::window() else { return };
    let key = wasm_bindgen::JsValue::from_str("__lixunSaveTimes");
    let list = js_sys::Reflect::get(&w, &key)
        .ok()
        .filter(|v| v.is_object())
        .unwrap_or_else(|| {
            let a = js_sys::Array::new();
            let _ = js_sys::Reflect::set(&w, &key, &a);
            a.into()
        });
    if let Some(a) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Array>(&list) {
        a.push(&wasm_bindgen::JsValue::from_f64(ms));
    }
}

/// 16 random bytes from the browser's cryptographic generator.
pub fn random_bytes() -> [u8; 16] {
    let mut out = [0u8; 16];
    if let Some(c) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = c.get_random_values_with_u8_array(&mut out);
    }
    out
}

/// The address the app is served from: origin and the path's directory, without file name,
/// query or fragment (e.g. `https://training.example.com/lixun`).
pub fn app_address() -> Option<String> {
    let location = web_sys::window()?.location();
    let origin = location.origin().ok()?;
    let path = location.pathname().ok()?;
    let dir = path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
    Some(format!("{origin}{dir}"))
}

/// Offers `text` as a file download.
pub fn download(filename: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlAnchorElement>(e).ok())
    {
        a.set_href(&url);
        a.set_download(filename);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// A file input that fired a `change` event: the files it holds can be read, then it is cleared
/// so choosing the same file again fires another event.
pub struct FileInput(web_sys::HtmlInputElement);

impl FileInput {
    /// The file input `ev` came from, if it came from one.
    pub fn of_event(ev: &web_sys::Event) -> Option<FileInput> {
        use wasm_bindgen::JsCast;
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .map(FileInput)
    }

    /// The bytes of every chosen file, with their names.
    /// A file over the import limit is refused from its size, before it is read.
    pub async fn read(&self) -> Vec<(String, Result<Vec<u8>, crate::domain::exchange::ImportError>)> {
        let mut out = Vec::new();
        let Some(list) = self.0.files() else { return out };
        for i in 0..list.length() {
            let Some(f) = list.get(i) else { continue };
            if let Err(e) = crate::domain::exchange::check_size(f.size() as u64) {
                out.push((f.name(), Err(e)));
                continue;
            }
            let bytes = wasm_bindgen_futures::JsFuture::from(f.array_buffer())
                .await
                .map(|buf| js_sys::Uint8Array::new(&buf).to_vec())
                .map_err(|_| crate::domain::exchange::ImportError::FileUnreadable);
            out.push((f.name(), bytes));
        }
        out
    }

    /// Empties the input.
    pub fn clear(&self) {
        self.0.set_value("");
    }
}

/// Reloads the page (after another tab saved, to load its data).
pub fn reload_page() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}

/// Opens the browser's print dialog.
pub fn print_page() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Milliseconds since the page loaded (for timings).
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

const CHANNEL: &str = "lixun-device";

thread_local! {
    static CHANNEL_HANDLE: std::cell::RefCell<Option<web_sys::BroadcastChannel>> = const { std::cell::RefCell::new(None) };
}

fn channel() -> Option<web_sys::BroadcastChannel> {
    CHANNEL_HANDLE.with(|c| {
        if c.borrow().is_none() {
            *c.borrow_mut() = web_sys::BroadcastChannel::new(CHANNEL).ok();
        }
        c.borrow().clone()
    })
}

/// Tells this origin's other tabs that the device's storage changed.
pub fn tell_other_tabs() {
    if let Some(c) = channel() {
        let _ = c.post_message(&wasm_bindgen::JsValue::from_str("changed"));
    }
}

/// Calls `f` whenever another tab says the device's storage changed.
pub fn on_other_tab_change(f: impl Fn() + 'static) {
    let Some(c) = channel() else { return };
    let handler = wasm_bindgen::closure::Closure::<dyn Fn()>::new(f);
    c.set_onmessage(Some(wasm_bindgen::JsCast::unchecked_ref(handler.as_ref())));
    handler.forget();
}

/// Replaces the page with the rescue screen of `rescue.js` (reload, export), after a panic.
pub fn show_rescue_screen() {
    let Some(w) = web_sys::window() else { return };
    if let Ok(f) = js_sys::Reflect::get(&w, &wasm_bindgen::JsValue::from_str("lixunRescue"))
        && let Some(f) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&f)
    {
        let _ = f.call0(&wasm_bindgen::JsValue::NULL);
    }
}

/// Calls `f` every `seconds` for as long as the page lives.
pub fn every_seconds(seconds: u32, f: impl Fn() + 'static) {
    gloo::timers::callback::Interval::new(seconds.saturating_mul(1000), f).forget();
}

/// Moves the keyboard focus to `el` and scrolls it into view (an opened form's first field).
pub fn focus(el: &web_sys::HtmlElement) {
    let _ = el.focus();
    el.scroll_into_view_with_bool(false);
}

/// Whether the browser has granted persistent storage to this site (`navigator.storage.persisted()`):
/// `Some(true)` means it will not evict the app's data under storage pressure; `None` when the
/// browser cannot tell.
pub async fn storage_persisted() -> Option<bool> {
    let storage = web_sys::window()?.navigator().storage();
    let p = storage.persisted().ok()?;
    wasm_bindgen_futures::JsFuture::from(p).await.ok()?.as_bool()
}

/// Whether the app runs installed (added to the home screen / as an app window):
/// `display-mode: standalone` or `fullscreen`, or iOS Safari's `navigator.standalone`.
pub fn runs_installed() -> bool {
    let Some(w) = web_sys::window() else { return false };
    let matches = |q: &str| w.match_media(q).ok().flatten().is_some_and(|m| m.matches());
    let ios = js_sys::Reflect::get(&w.navigator(), &wasm_bindgen::JsValue::from_str("standalone"))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    matches("(display-mode: standalone)") || matches("(display-mode: fullscreen)") || ios
}
