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
    let criterion_lessons = criterion_lessons(&files);
    let mut catalog = serde_json::json!({ "course": null, "modules": [], "quizzes": [], "rubrics": [], "scenarios": [], "checklists": [] });
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
            "scenarios" => {
                // The dialogue itself is fetched when a scenario starts.
                for key in ["nodes", "endings"] {
                    if let Some(list) = value.get_mut(key) {
                        *list = serde_json::Value::Array(Vec::new());
                    }
                }
                "scenarios"
            }
            "checklists" => {
                // The items are fetched when a checklist is opened.
                if let Some(list) = value.get_mut("sections") {
                    *list = serde_json::Value::Array(Vec::new());
                }
                "checklists"
            }
            "quizzes" => "quizzes",
            "rubrics" => "rubrics",
            _ => continue,
        };
        if let Some(items) = catalog[list].as_array_mut() {
            items.push(value);
        }
    }
    catalog["criterion_lessons"] = criterion_lessons;
    let array = catalog;
    std::fs::write(out.join("catalog.json"), serde_json::to_string(&array)?)?;

    // Interface strings: content/locales/{zh-Hans,en}.json become a `Key` enum and two
    // tables, so a missing key is a compile error and both languages must have the same keys
    // and the same `{{ placeholders }}`.
    println!("cargo::rerun-if-changed=content/locales");
    let read = |name: &str| -> Result<serde_json::Map<String, serde_json::Value>, Box<dyn std::error::Error>> {
        let path = root.join("locales").join(name);
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        match serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))? {
            serde_json::Value::Object(m) => Ok(m),
            _ => Err(format!("{}: must be an object of strings", path.display()).into()),
        }
    };
    let (zh, en) = (read("zh-Hans.json")?, read("en.json")?);
    let placeholders = |s: &str| -> Vec<String> {
        let mut out: Vec<String> = s
            .split("{{")
            .skip(1)
            .filter_map(|p| p.split_once("}}"))
            .map(|(name, _)| name.trim().to_string())
            .collect();
        out.sort();
        out
    };
    let mut keys: Vec<&String> = zh.keys().collect();
    keys.sort();
    let mut problems = Vec::new();
    for k in en.keys().filter(|k| !zh.contains_key(*k)) {
        problems.push(format!("`{k}` is in en.json but not in zh-Hans.json"));
    }
    let (mut zh_table, mut en_table, mut variants) = (Vec::new(), Vec::new(), Vec::new());
    for k in &keys {
        let z = zh[*k].as_str().ok_or(format!("zh-Hans.json: `{k}` is not a string"))?;
        let Some(e) = en.get(*k).and_then(|v| v.as_str()) else {
            problems.push(format!("`{k}` is missing from en.json"));
            continue;
        };
        if z.trim().is_empty() || e.trim().is_empty() {
            problems.push(format!("`{k}` is empty"));
        }
        if placeholders(z) != placeholders(e) {
            problems.push(format!("`{k}`: the two languages use different placeholders"));
        }
        if !k
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            problems.push(format!("`{k}`: keys are snake_case"));
        }
        variants.push(k.to_string());
        zh_table.push(format!("{z:?}"));
        en_table.push(format!("{e:?}"));
    }
    if !problems.is_empty() {
        return Err(format!("content/locales: {}", problems.join("; ")).into());
    }
    let code = format!(
        "/// A key of the interface strings (content/locales/*.json).\n#[allow(non_camel_case_types)]\n#[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum Key {{ {} }}\nconst ZH: [&str; {n}] = [{}];\nconst EN: [&str; {n}] = [{}];\n",
        variants.join(", "),
        zh_table.join(", "),
        en_table.join(", "),
        n = variants.len()
    );
    std::fs::write(out.join("i18n_keys.rs"), code)?;
    Ok(())
}

/// For each rubric criterion, the lessons that teach it: those citing the most of the
/// sections that questions assessing the criterion cite (at most three per criterion, each
/// as `module/lesson`). "My progress" shows them next to the weakest criterion.
fn criterion_lessons(files: &[(String, serde_json::Value)]) -> serde_json::Value {
    use std::collections::{BTreeMap, BTreeSet};
    #[allow(clippy::type_complexity)]
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect())
            .unwrap_or_default()
    };
    // Per criterion: cited section → how many of its questions cite it.
    let mut sections: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut all: BTreeMap<String, usize> = BTreeMap::new();
    let mut lessons: Vec<(String, BTreeSet<String>)> = Vec::new();
    for (path, value) in files {
        if path.starts_with("questions/") {
            for q in value["questions"].as_array().into_iter().flatten() {
                for cite in strings(&q["cite"]) {
                    *all.entry(cite.clone()).or_default() += 1;
                    for c in strings(&q["criteria"]) {
                        *sections.entry(c).or_default().entry(cite.clone()).or_default() += 1;
                    }
                }
            }
        } else if path.starts_with("modules/") {
            let module = value["id"].as_str().unwrap_or_default();
            for l in value["lessons"].as_array().into_iter().flatten() {
                let cites: BTreeSet<String> = l["blocks"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|b| b["items"].as_array().into_iter().flatten())
                    .flat_map(|i| strings(&i["cite"]))
                    .collect();
                lessons.push((format!("{module}/{}", l["id"].as_str().unwrap_or_default()), cites));
            }
        }
    }
    let mut out = serde_json::Map::new();
    for (criterion, cited) in sections {
        // A lesson scores, for each section it cites, the share of that section's questions
        // that assess the criterion: lessons on what the criterion is about rank first.
        let mut ranked: Vec<(f64, &String)> = lessons
            .iter()
            .map(|(k, c)| {
                let score: f64 = c
                    .iter()
                    .filter_map(|s| Some(*cited.get(s)? as f64 / *all.get(s)? as f64))
                    .sum();
                (score, k)
            })
            .filter(|(n, _)| *n > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        out.insert(
            criterion,
            ranked
                .into_iter()
                .take(3)
                .map(|(_, k)| serde_json::Value::String(k.clone()))
                .collect(),
        );
    }
    serde_json::Value::Object(out)
}
