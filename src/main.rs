//! The browser entry point: installs the panic hook and mounts the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    // Should anything still panic, the frozen page is replaced by a bilingual screen that
    // says the data is safe and offers reload and export.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        lixun::browser::platform::show_rescue_screen();
    }));
    leptos::mount::mount_to_body(lixun::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Lixun runs in the browser: see README.md (scripts/serve.sh builds and serves it).");
}
