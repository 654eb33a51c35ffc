//! The engine is pure: it must not reach for the terminal, files, the network, the clock,
//! the environment, threads or OS entropy. This test reads the engine's source and fails on
//! any such import or call; `clippy.toml` bans the same calls at lint time. The report is
//! held to the same rule (it may use the engine, nothing above it).

use std::path::Path;

const FORBIDDEN: &[&str] = &[
    "ratatui",
    "crossterm",
    "std::fs",
    "std::net",
    "std::io",
    "std::env",
    "std::time",
    "std::thread",
    "std::process",
    "SystemTime",
    "Instant",
    "thread_rng",
    "from_entropy",
    "from_os_rng",
    "OsRng",
    "getrandom",
    "HashMap",
    "HashSet",
    "crate::scenario",
    "crate::sim",
    "crate::cli",
    "tokio",
    "println!",
    "eprintln!",
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_engine_imports_nothing_impure() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("engine.rs")];
    rust_files(&root.join("engine"), &mut files);
    assert!(files.len() > 5, "engine sources found: {files:?}");
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN {
                if code.contains(word) {
                    problems.push(format!(
                        "{}:{}: `{word}` in the engine: {line}",
                        f.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_scenario_layer_does_not_reach_up() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("scenario.rs")];
    rust_files(&root.join("scenario"), &mut files);
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        for word in ["crate::sim", "crate::cli", "ratatui", "crossterm"] {
            assert!(!text.contains(word), "{} uses {word}", f.display());
        }
    }
}

#[test]
fn the_report_is_pure_too() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("report.rs")];
    rust_files(&root.join("report"), &mut files);
    assert!(files.len() > 5, "report sources found: {files:?}");
    let mut problems = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).expect("readable");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in FORBIDDEN.iter().chain(&["crate::tui"]) {
                if code.contains(word) {
                    problems.push(format!(
                        "{}:{}: `{word}` in the report: {line}",
                        f.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_journal_is_pure_but_for_its_file_edge() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("journal.rs")];
    rust_files(&root.join("journal"), &mut files);
    assert!(files.len() > 4, "journal sources found: {files:?}");
    let above = ["crate::tui", "crate::cli", "crate::sim", "crate::report"];
    let mut problems = Vec::new();
    for f in &files {
        // `store.rs` is the edge: files, the environment and the wall clock live there.
        let edge = f.file_name().is_some_and(|n| n == "store.rs");
        let text = std::fs::read_to_string(f).expect("readable");
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let banned: Vec<&str> = if edge {
                above.to_vec()
            } else {
                FORBIDDEN
                    .iter()
                    .copied()
                    .filter(|w| *w != "crate::scenario")
                    .chain(above)
                    .collect()
            };
            for word in banned {
                if code.contains(word) {
                    problems.push(format!(
                        "{}:{}: `{word}` in the journal: {line}",
                        f.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
