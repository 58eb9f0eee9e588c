//! The course content model (format v1): tracks → modules → lessons, quizzes, rubrics.
//!
//! Content is authored as TOML under `content/` and documented in `content/README.md`.
//! Files are loaded as generic values (TOML natively, JSON in the browser bundle) and
//! deserialised here with unknown fields rejected, so a typo is an error that names
//! the file and the field path.

use serde::{Deserialize, Serialize};

use crate::domain::checklist::Checklist;
use crate::domain::quiz::{Question, QuestionBank};
use crate::domain::rubric::Rubric;
use crate::domain::scenario::Scenario;
use crate::domain::text::Text;

/// The content format this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// `content/course.toml`: the course and its tracks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseFile {
    pub format_version: u32,
    /// Version of the content, stored with every attempt (e.g. `2026.11.1`).
    pub content_version: String,
    pub title: Text,
    /// Id of the rubric results are scored with by default.
    pub default_rubric: String,
    pub tracks: Vec<Track>,
}

/// A track: a sequence of modules for one audience.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Track {
    pub id: String,
    pub title: Text,
    pub summary: Text,
    /// Module ids, in teaching order.
    pub modules: Vec<String>,
}

/// `content/modules/<id>.toml`: a module and its lessons in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// Path of the file under `content/` (set by the loader, not authored).
    #[serde(skip)]
    pub origin: String,
    pub format_version: u32,
    pub id: String,
    pub title: Text,
    pub summary: Text,
    pub lessons: Vec<Lesson>,
}

/// A lesson: short blocks of teaching, every item cited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    pub id: String,
    pub title: Text,
    /// One or two sentences: what the lesson is for.
    pub intro: Text,
    pub blocks: Vec<Block>,
}

/// The kinds of lesson block; each is rendered differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// Key points, a bulleted list.
    Points,
    /// A procedure: numbered steps in order.
    Steps,
    /// "Numbers to remember": each item has a `value`.
    Numbers,
    /// Do / don't examples: each item has a `tone`.
    DoDont,
    /// Model phrases quoted from the manual.
    Phrases,
    /// "Manuals differ": the values of several manuals side by side, each cited.
    Differ,
}

impl BlockKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BlockKind::Points => "points",
            BlockKind::Steps => "steps",
            BlockKind::Numbers => "numbers",
            BlockKind::DoDont => "do_dont",
            BlockKind::Phrases => "phrases",
            BlockKind::Differ => "differ",
        }
    }
}

/// A block of a lesson.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub kind: BlockKind,
    /// Optional heading shown above the block.
    #[serde(default)]
    pub heading: Option<Text>,
    pub items: Vec<Item>,
}

/// Whether a do/don't item is a good or a bad example.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Do,
    Dont,
}

/// One point, step, number, example or phrase.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub text: Text,
    /// Citation keys, at least one: `m5 §三(三)`.
    pub cite: Vec<String>,
    /// For `numbers` blocks: the value to remember (`3 声` / `3 rings`).
    #[serde(default)]
    pub value: Option<Text>,
    /// For `do_dont` blocks.
    #[serde(default)]
    pub tone: Option<Tone>,
}

/// `content/quizzes/<id>.toml`: a quiz drawn at random from pools of the question bank.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quiz {
    /// Path of the file under `content/` (set by the loader, not authored).
    #[serde(skip)]
    pub origin: String,
    pub format_version: u32,
    pub id: String,
    /// The module whose page offers this quiz.
    pub module: String,
    pub title: Text,
    /// Pass mark, percent of the weighted total (0–100).
    pub pass_mark: f64,
    /// Where questions are drawn from: a question is a candidate when it matches any pool.
    pub pools: Vec<Pool>,
    /// How many questions one attempt draws.
    pub count: usize,
    /// Which attempt counts when a trainee takes the quiz several times.
    #[serde(default)]
    pub attempts: AttemptsPolicy,
    /// When the trainee sees whether an answer was right.
    #[serde(default)]
    pub feedback: FeedbackMode,
    /// Optional time limit in minutes.
    #[serde(default)]
    pub time_limit_minutes: Option<u32>,
}

/// A filter on the question bank; every field given must match.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pool {
    #[serde(default)]
    pub module: Option<String>,
    #[serde(default)]
    pub track: Option<String>,
    #[serde(default)]
    pub criterion: Option<String>,
    #[serde(default)]
    pub difficulty: Option<u8>,
}

/// Which attempt counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptsPolicy {
    #[default]
    Highest,
    Last,
    First,
    Average,
}

/// When feedback is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedbackMode {
    /// After each question is answered.
    Each,
    /// Only in the review at the end.
    #[default]
    End,
}

/// Every content file, loaded and typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Course {
    pub file: CourseFile,
    pub modules: Vec<Module>,
    pub quizzes: Vec<Quiz>,
    pub rubrics: Vec<Rubric>,
    /// Question banks, one per module that has questions.
    pub banks: Vec<QuestionBank>,
    /// Role-play scenarios. In the app's catalog their nodes and endings are empty: the
    /// player fetches a scenario's full file when it starts (see `parse_scenario`).
    pub scenarios: Vec<Scenario>,
    /// For each criterion, up to three lessons that teach it (`module/lesson`), computed at
    /// build time from the sections the criterion's questions cite (catalog only).
    pub criterion_lessons: std::collections::BTreeMap<String, Vec<String>>,
    /// Observation checklists. In the app's catalog their sections are empty: the observer
    /// fetches a checklist's full file when it opens (see `parse_checklist`).
    pub checklists: Vec<Checklist>,
}

/// A source file before typing: its path under `content/` and its parsed value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceFile {
    pub path: String,
    pub value: serde_json::Value,
}

/// A content error that names the file and the item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentError {
    pub file: String,
    pub item: String,
    pub message: String,
}

impl std::fmt::Display for ContentError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.item.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.item, self.message)
        }
    }
}

fn typed<T: serde::de::DeserializeOwned>(file: &SourceFile) -> Result<T, ContentError> {
    serde_path_to_error::deserialize(&file.value).map_err(|e| {
        let path = e.path().to_string();
        ContentError {
            file: file.path.clone(),
            item: if path == "." { String::new() } else { path },
            message: e.into_inner().to_string(),
        }
    })
}

fn check_version(file: &SourceFile, v: u32) -> Result<(), ContentError> {
    if v == FORMAT_VERSION {
        Ok(())
    } else {
        Err(ContentError {
            file: file.path.clone(),
            item: "format_version".into(),
            message: format!("is {v}; this build reads format_version {FORMAT_VERSION}"),
        })
    }
}

impl Course {
    /// Types every file. Returns all errors found, not just the first.
    /// Files are routed by path: `course.toml`, `modules/*`, `quizzes/*`, `rubrics/*`.
    pub fn load(files: &[SourceFile]) -> Result<Course, Vec<ContentError>> {
        let mut errors = Vec::new();
        let mut course = None;
        let (mut modules, mut quizzes, mut rubrics, mut banks) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut scenarios, mut checklists) = (Vec::new(), Vec::new());
        for f in files {
            let dir = f.path.split('/').next().unwrap_or("");
            let result = match (f.path.as_str(), dir) {
                ("course.toml", _) => typed::<CourseFile>(f).and_then(|c| {
                    check_version(f, c.format_version)?;
                    course = Some(c);
                    Ok(())
                }),
                (_, "modules") => typed::<Module>(f).and_then(|mut m| {
                    check_version(f, m.format_version)?;
                    m.origin = f.path.clone();
                    modules.push(m);
                    Ok(())
                }),
                (_, "quizzes") => typed::<Quiz>(f).and_then(|mut q| {
                    check_version(f, q.format_version)?;
                    q.origin = f.path.clone();
                    quizzes.push(q);
                    Ok(())
                }),
                (_, "questions") => typed::<QuestionBank>(f).and_then(|mut b| {
                    check_version(f, b.format_version)?;
                    b.origin = f.path.clone();
                    banks.push(b);
                    Ok(())
                }),
                (_, "rubrics") => typed::<Rubric>(f).and_then(|mut r| {
                    check_version(f, r.format_version)?;
                    r.origin = f.path.clone();
                    rubrics.push(r);
                    Ok(())
                }),
                (_, "scenarios") => typed::<Scenario>(f).and_then(|mut x| {
                    check_version(f, x.format_version)?;
                    x.origin = f.path.clone();
                    scenarios.push(x);
                    Ok(())
                }),
                (_, "checklists") => typed::<Checklist>(f).and_then(|mut x| {
                    check_version(f, x.format_version)?;
                    x.origin = f.path.clone();
                    checklists.push(x);
                    Ok(())
                }),
                _ => Err(ContentError {
                    file: f.path.clone(),
                    item: String::new(),
                    message: "not a known content file (expected course.toml, modules/, questions/, quizzes/, rubrics/, scenarios/ or checklists/)".into(),
                }),
            };
            if let Err(e) = result {
                errors.push(e);
            }
        }
        let Some(file) = course else {
            if errors.is_empty() || !errors.iter().any(|e| e.file == "course.toml") {
                errors.push(ContentError {
                    file: "course.toml".into(),
                    item: String::new(),
                    message: "missing: every content folder needs a course.toml".into(),
                });
            }
            return Err(errors);
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Course {
            file,
            modules,
            quizzes,
            rubrics,
            banks,
            scenarios,
            checklists,
            criterion_lessons: Default::default(),
        })
    }

    /// Reads the catalog the build compiles into the app (see `build.rs`): the course file,
    /// the modules without lesson bodies, the quizzes and the rubrics, as one JSON object.
    /// Parsed straight from text (no intermediate values) to keep the app small.
    pub fn from_catalog(json: &str) -> Result<Course, ContentError> {
        #[derive(Deserialize)]
        struct Catalog {
            course: CourseFile,
            modules: Vec<Module>,
            quizzes: Vec<Quiz>,
            rubrics: Vec<Rubric>,
            #[serde(default)]
            scenarios: Vec<Scenario>,
            #[serde(default)]
            checklists: Vec<Checklist>,
            #[serde(default)]
            criterion_lessons: std::collections::BTreeMap<String, Vec<String>>,
        }
        let c: Catalog = serde_json::from_str(json).map_err(|e| ContentError {
            file: "catalog.json".into(),
            item: String::new(),
            message: e.to_string(),
        })?;
        let mut course = Course {
            file: c.course,
            modules: c.modules,
            quizzes: c.quizzes,
            rubrics: c.rubrics,
            banks: Vec::new(),
            scenarios: c.scenarios,
            checklists: c.checklists,
            criterion_lessons: c.criterion_lessons,
        };
        for s in &mut course.scenarios {
            s.origin = format!("scenarios/{}.toml", s.id);
        }
        for x in &mut course.checklists {
            x.origin = format!("checklists/{}.toml", x.id);
        }
        for m in &mut course.modules {
            m.origin = format!("modules/{}.toml", m.id);
        }
        for q in &mut course.quizzes {
            q.origin = format!("quizzes/{}.toml", q.id);
        }
        for r in &mut course.rubrics {
            r.origin = format!("rubrics/{}.toml", r.id);
        }
        Ok(course)
    }

    /// Reads the question banks fetched on their own: a JSON array of bank files.
    pub fn parse_banks(json: &str) -> Result<Vec<QuestionBank>, ContentError> {
        let mut banks: Vec<QuestionBank> = serde_json::from_str(json).map_err(|e| ContentError {
            file: "questions.json".into(),
            item: String::new(),
            message: e.to_string(),
        })?;
        for b in &mut banks {
            check_version(
                &SourceFile {
                    path: format!("questions/{}.toml", b.module),
                    value: serde_json::Value::Null,
                },
                b.format_version,
            )?;
            b.origin = format!("questions/{}.toml", b.module);
        }
        Ok(banks)
    }

    /// Reads one module file fetched on its own (as JSON), checking its format version.
    pub fn parse_module(path: &str, json: &str) -> Result<Module, ContentError> {
        let mut m: Module = serde_json::from_str(json).map_err(|e| ContentError {
            file: path.to_string(),
            item: String::new(),
            message: e.to_string(),
        })?;
        check_version(
            &SourceFile {
                path: path.to_string(),
                value: serde_json::Value::Null,
            },
            m.format_version,
        )?;
        m.origin = path.to_string();
        Ok(m)
    }

    /// Reads one scenario file fetched on its own (as JSON), checking its format version.
    pub fn parse_scenario(path: &str, json: &str) -> Result<Scenario, ContentError> {
        let mut s: Scenario = serde_json::from_str(json).map_err(|e| ContentError {
            file: path.to_string(),
            item: String::new(),
            message: e.to_string(),
        })?;
        check_version(
            &SourceFile {
                path: path.to_string(),
                value: serde_json::Value::Null,
            },
            s.format_version,
        )?;
        s.origin = path.to_string();
        Ok(s)
    }

    /// Reads one checklist file fetched on its own (as JSON), checking its format version.
    pub fn parse_checklist(path: &str, json: &str) -> Result<Checklist, ContentError> {
        let mut c: Checklist = serde_json::from_str(json).map_err(|e| ContentError {
            file: path.to_string(),
            item: String::new(),
            message: e.to_string(),
        })?;
        check_version(
            &SourceFile {
                path: path.to_string(),
                value: serde_json::Value::Null,
            },
            c.format_version,
        )?;
        c.origin = path.to_string();
        Ok(c)
    }

    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    pub fn checklist(&self, id: &str) -> Option<&Checklist> {
        self.checklists.iter().find(|c| c.id == id)
    }

    pub fn module(&self, id: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }

    /// Every question of every bank, with the module it belongs to.
    pub fn questions(&self) -> impl Iterator<Item = (&str, &Question)> {
        self.banks
            .iter()
            .flat_map(|b| b.questions.iter().map(move |q| (b.module.as_str(), q)))
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }

    pub fn quiz(&self, id: &str) -> Option<&Quiz> {
        self.quizzes.iter().find(|q| q.id == id)
    }

    /// True when the question of `module` matches `pool`.
    pub fn pool_matches(&self, pool: &Pool, module: &str, q: &Question) -> bool {
        pool.module.as_ref().is_none_or(|m| m == module)
            && pool.track.as_ref().is_none_or(|t| {
                self.file
                    .tracks
                    .iter()
                    .any(|tr| &tr.id == t && tr.modules.iter().any(|m| m == module))
            })
            && pool.criterion.as_ref().is_none_or(|c| q.criteria.contains(c))
            && pool.difficulty.is_none_or(|d| d == q.difficulty)
    }

    /// The candidate questions of a quiz, in bank order.
    pub fn candidates<'a>(&'a self, quiz: &'a Quiz) -> Vec<&'a Question> {
        self.questions()
            .filter(|(m, q)| quiz.pools.iter().any(|p| self.pool_matches(p, m, q)))
            .map(|(_, q)| q)
            .collect()
    }

    pub fn quizzes_for_module<'a>(&'a self, module: &'a str) -> impl Iterator<Item = &'a Quiz> + 'a {
        self.quizzes.iter().filter(move |q| q.module == module)
    }

    pub fn rubric(&self, id: &str) -> Option<&Rubric> {
        self.rubrics.iter().find(|r| r.id == id)
    }

    /// The rubric named by `course.toml`'s `default_rubric`.
    pub fn default_rubric(&self) -> Option<&Rubric> {
        self.rubric(&self.file.default_rubric)
    }

    /// The track a module belongs to (the first that lists it).
    /// The lessons that teach `criterion` (see `criterion_lessons`), skipping any the
    /// catalog no longer has.
    pub fn lessons_teaching(&self, criterion: &str) -> Vec<(&Module, &Lesson)> {
        self.criterion_lessons
            .get(criterion)
            .into_iter()
            .flatten()
            .filter_map(|key| {
                let (m, l) = key.split_once('/')?;
                let module = self.module(m)?;
                let lesson = module.lessons.iter().find(|x| x.id == l)?;
                Some((module, lesson))
            })
            .collect()
    }

    pub fn track_of(&self, module: &str) -> Option<&Track> {
        self.file.tracks.iter().find(|t| t.modules.iter().any(|m| m == module))
    }
}

/// A lesson's address: module id and lesson id.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LessonRef {
    pub module: String,
    pub lesson: String,
}

impl LessonRef {
    pub fn new(module: impl Into<String>, lesson: impl Into<String>) -> Self {
        LessonRef {
            module: module.into(),
            lesson: lesson.into(),
        }
    }

    /// The key used in progress records: `module/lesson`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.module, self.lesson)
    }
}
