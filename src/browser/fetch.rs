//! Fetching the content files the app loads on demand (lesson bodies, manuals).

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a content file could not be fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchError {
    /// No network, or the request was refused.
    Network,
    /// The server answered with this HTTP status.
    Status(u16),
    /// The body could not be read as text.
    Body,
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Network => write!(f, "network error"),
            FetchError::Status(s) => write!(f, "HTTP {s}"),
            FetchError::Body => write!(f, "unreadable response"),
        }
    }
}

/// GETs `url` (same origin) and returns its body as text.
pub async fn fetch_text(url: &str) -> Result<String, FetchError> {
    let window = web_sys::window().ok_or(FetchError::Network)?;
    let resp = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| FetchError::Network)?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| FetchError::Network)?;
    if !resp.ok() {
        return Err(FetchError::Status(resp.status()));
    }
    let text = JsFuture::from(resp.text().map_err(|_| FetchError::Body)?)
        .await
        .map_err(|_| FetchError::Body)?;
    text.as_string().ok_or(FetchError::Body)
}
