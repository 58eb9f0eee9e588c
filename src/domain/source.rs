//! Reads a content folder from disk (native only): every `*.toml` file as a generic value,
//! and the manuals' Markdown. The build script uses this same file to bundle the content
//! into the app, so the app and the validator read exactly the same thing.

use std::fs;
use std::path::Path;

/// A content file: path relative to the content folder (with `/`) and its value as JSON.
pub type RawFile = (String, serde_json::Value);

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), String> {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "toml") {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads every `*.toml` under `root` (sorted by path). A file that is not valid TOML is an
/// error naming the file, line and column.
pub fn read_toml_files(root: &Path) -> Result<Vec<RawFile>, Vec<String>> {
    let mut paths = Vec::new();
    walk(root, &mut paths).map_err(|e| vec![e])?;
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        let rel = p.strip_prefix(root).unwrap_or(&p).to_string_lossy().replace('\\', "/");
        match fs::read_to_string(&p) {
            Ok(text) => match toml::from_str::<serde_json::Value>(&text) {
                Ok(v) => files.push((rel, v)),
                Err(e) => errors.push(format!("{rel}: not valid TOML: {}", e.to_string().trim())),
            },
            Err(e) => errors.push(format!("{rel}: cannot read: {e}")),
        }
    }
    if errors.is_empty() { Ok(files) } else { Err(errors) }
}

/// Reads `manuals/m1-*.md` … `manuals/m5-*.md` under `root`: (number, text) for each found.
pub fn read_manuals(root: &Path) -> Result<Vec<(u8, String)>, String> {
    let dir = root.join("manuals");
    let mut out = Vec::new();
    for n in 1..=5u8 {
        let prefix = format!("m{n}-");
        let found = fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| {
                p.file_name()
                    .and_then(|f| f.to_str())
                    .is_some_and(|f| f.starts_with(&prefix) && f.ends_with(".md"))
            });
        if let Some(p) = found {
            out.push((n, fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?));
        }
    }
    Ok(out)
}
