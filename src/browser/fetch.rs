//! Fetching the content files the app loads on demand (lesson bodies, manuals).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a content file could not be loaded. The view turns each into a translated message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// No network, the request was refused, or the server failed: trying again may help.
    Network,
    /// The server has no such file (content was updated or the address is wrong).
    NotFound,
    /// The file arrived but could not be read or parsed.
    Damaged,
}

/// GETs `url` (same origin) and returns its body as text.
pub async fn fetch_text(url: &str) -> Result<String, LoadError> {
    let window = web_sys::window().ok_or(LoadError::Network)?;
    let resp = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| LoadError::Network)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| LoadError::Network)?;
    match resp.status() {
        404 | 410 => return Err(LoadError::NotFound),
        _ if !resp.ok() => return Err(LoadError::Network),
        _ => {}
    }
    let text = JsFuture::from(resp.text().map_err(|_| LoadError::Damaged)?)
        .await
        .map_err(|_| LoadError::Damaged)?;
    text.as_string().ok_or(LoadError::Damaged)
}
