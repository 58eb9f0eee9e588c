//! Bundles `content/` into the app (as one JSON array of typed-later files) and generates
//! the interface translations module from `content/locales/`.

use std::path::PathBuf;

#[path = "src/domain/source.rs"]
#[allow(dead_code)]
mod source;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR not set")?);
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").ok_or("no manifest dir")?).join("content");
    println!("cargo::rerun-if-changed=content");
    println!("cargo::rerun-if-changed=src/domain/source.rs");

    // The catalog compiled into the app: every content file, with lesson bodies (`blocks`)
    // and the question banks left out. The reader fetches a module's full file when it opens one (see
    // scripts/content_assets.py), so the first load stays small.
    let files = source::read_toml_files(&root).map_err(|errs| errs.join("\n"))?;
    let mut catalog = serde_json::json!({ "course": null, "modules": [], "quizzes": [], "rubrics": [] });
    for (path, mut value) in files {
        let list = match path.split('/').next().unwrap_or("") {
            "course.toml" => {
                catalog["course"] = value;
                continue;
            }
            "modules" => {
                if let Some(lessons) = value.get_mut("lessons").and_then(|l| l.as_array_mut()) {
                    for lesson in lessons {
                        if let Some(blocks) = lesson.get_mut("blocks") {
                            *blocks = serde_json::Value::Array(Vec::new());
                        }
                    }
                }
                "modules"
            }
            "quizzes" => "quizzes",
            "rubrics" => "rubrics",
            _ => continue,
        };
        if let Some(items) = catalog[list].as_array_mut() {
            items.push(value);
        }
    }
    let array = catalog;
    std::fs::write(out.join("catalog.json"), serde_json::to_string(&array)?)?;

    // Interface strings (zh-Hans default, en), checked at compile time by leptos_i18n.
    let cfg = leptos_i18n_build::Config::new("zh-Hans")?
        .add_locale("en")?
        .locales_path("content/locales")
        .parse_options(leptos_i18n_build::ParseOptions::new().interpolate_display(true));
    let infos = leptos_i18n_build::TranslationsInfos::parse(cfg)?;
    infos.rerun_if_locales_changed();
    infos.emit_diagnostics();
    infos.generate_i18n_module(out.join("i18n"))?;
    Ok(())
}
