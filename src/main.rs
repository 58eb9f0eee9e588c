//! The browser entry point: installs the panic hook and mounts the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(lixun::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Lixun runs in the browser: see README.md (scripts/serve.sh builds and serves it).");
}
