//! The layers, as a table: each layer and the layers it may not import (a layer never
//! imports one above it; see docs/architecture.md), plus the impure things the pure layers
//! may not touch at all (the terminal, files, the network, the clock, the environment,
//! threads, OS entropy, hash-ordered maps, printing). `clippy.toml` bans the clock and thread
//! RNGs at lint time as well.

use std::path::{Path, PathBuf};

/// Each layer and the layers it may not import, lowest layer first: a layer never imports
/// one above it (`untrusted` is below even the engine and imports nothing).
const MAY_NOT_IMPORT: &[(&str, &[&str])] = &[
    (
        "untrusted",
        &[
            "engine", "words", "scenario", "journal", "report", "session", "sim", "tui", "net",
            "cli",
        ],
    ),
    (
        "engine",
        &[
            "words", "scenario", "journal", "report", "session", "sim", "tui", "net", "cli",
        ],
    ),
    (
        "words",
        &[
            "scenario", "journal", "report", "session", "sim", "tui", "net", "cli",
        ],
    ),
    (
        "scenario",
        &["journal", "report", "session", "sim", "tui", "net", "cli"],
    ),
    (
        "journal",
        &["report", "session", "sim", "tui", "net", "cli"],
    ),
    ("report", &["session", "sim", "tui", "net", "cli"]),
    ("session", &["sim", "tui", "net", "cli"]),
    ("sim", &["tui", "net", "cli"]),
    ("tui", &["net", "cli"]),
    ("net", &["cli"]),
    ("cli", &[]),
];

fn is_layer(name: &str) -> bool {
    MAY_NOT_IMPORT.iter().any(|(l, _)| *l == name)
}

/// The table allows no circle: of any two layers, one may not import the other, and a
/// layer that may not import another may not import what that one may not import either.
#[test]
fn the_table_allows_no_circle() {
    for (a, forbidden) in MAY_NOT_IMPORT {
        for f in *forbidden {
            assert!(is_layer(f), "{a} forbids {f}, which is no layer");
        }
        for (b, theirs) in MAY_NOT_IMPORT {
            if a == b {
                continue;
            }
            assert!(
                forbidden.contains(b) || theirs.contains(a),
                "{a} and {b} may import each other"
            );
            if forbidden.contains(b) {
                for c in *theirs {
                    assert!(
                        forbidden.contains(c) || c == a,
                        "{a} may import {c} through {b}'s rules but not {b}"
                    );
                }
            }
        }
    }
}

/// Layers that do no I/O and read no clock: a pure function of their inputs. The value is
/// the file of the layer that is its edge to the system (allowed to), if any.
const PURE: &[(&str, Option<&str>)] = &[
    ("untrusted", None),
    ("engine", None),
    ("words", None),
    ("journal", Some("store.rs")),
    ("report", None),
];

const IMPURE: &[&str] = &[
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
    "tokio",
    "println!",
    "eprintln!",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The files of a layer: `src/<layer>.rs` and everything under `src/<layer>/`.
fn layer_files(layer: &str) -> Vec<PathBuf> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join(format!("{layer}.rs"))];
    rust_files(&src.join(layer), &mut files);
    files.retain(|f| f.exists());
    files
}

/// The code of a line, without its comment.
fn code(line: &str) -> &str {
    line.split("//").next().unwrap_or("")
}

#[test]
fn every_module_of_src_belongs_to_a_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    for entry in std::fs::read_dir(&src).expect("src") {
        let p = entry.expect("entry").path();
        let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if matches!(stem, "lib" | "main") {
            continue;
        }
        assert!(
            is_layer(stem),
            "src/{stem} is in no layer of tests/layering.rs"
        );
    }
}

#[test]
fn no_layer_imports_one_above_it() {
    let mut problems = Vec::new();
    for (layer, above) in MAY_NOT_IMPORT {
        let files = layer_files(layer);
        assert!(!files.is_empty(), "no sources for layer {layer}");
        for f in &files {
            let text = std::fs::read_to_string(f).expect("readable");
            for (n, line) in text.lines().enumerate() {
                for up in *above {
                    // `untrusted` is at the bottom, below even the engine.
                    if code(line).contains(&format!("crate::{up}")) {
                        problems.push(format!(
                            "{}:{}: the {layer} layer imports `{up}`, a layer above it: {line}",
                            f.display(),
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_pure_layers_touch_nothing_outside() {
    let mut problems = Vec::new();
    for (layer, edge) in PURE {
        for f in layer_files(layer) {
            if edge.is_some_and(|e| f.file_name().is_some_and(|n| n == e)) {
                continue;
            }
            let text = std::fs::read_to_string(&f).expect("readable");
            for (n, line) in text.lines().enumerate() {
                for word in IMPURE {
                    if code(line).contains(word) {
                        problems.push(format!(
                            "{}:{}: `{word}` in the pure {layer} layer: {line}",
                            f.display(),
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The table holds what it says: a file that imports a layer above it is found.
#[test]
fn the_check_finds_an_upward_import() {
    let line = "use crate::tui::App; // a report drawing the screen";
    assert!(code(line).contains("crate::tui"));
    let report = MAY_NOT_IMPORT
        .iter()
        .find(|(l, _)| *l == "report")
        .expect("report")
        .1;
    assert!(report.contains(&"tui"));
    assert!(!report.contains(&"journal"));
}

/// Every module of `src/` by path (`tui::app::keys`), with its file.
fn modules() -> Vec<(String, PathBuf)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut out: Vec<(String, PathBuf)> = files
        .into_iter()
        .filter_map(|f| {
            let rel = f.strip_prefix(&src).ok()?.with_extension("");
            let path = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("::");
            (!matches!(path.as_str(), "lib" | "main")).then_some((path, f))
        })
        .collect();
    out.sort();
    out
}

/// The modules a file refers to (`crate::…` and `super::…` paths), resolved to the longest
/// module path that exists.
fn references(module: &str, text: &str, known: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let parent = |m: &str| {
        m.rsplit_once("::")
            .map_or(String::new(), |(p, _)| p.to_owned())
    };
    for line in text.lines() {
        let line = code(line);
        let mut rest = line;
        while let Some(at) = rest.find(['c', 's']) {
            rest = &rest[at..];
            let (base, tail) = if let Some(t) = rest.strip_prefix("crate::") {
                (String::new(), t)
            } else if rest.starts_with("super::") {
                let mut base = parent(module);
                let mut t = rest;
                while let Some(after) = t.strip_prefix("super::") {
                    t = after;
                    if t.starts_with("super::") {
                        base = parent(&base);
                    }
                }
                (base, t)
            } else {
                rest = &rest[1..];
                continue;
            };
            let segs: Vec<&str> = tail
                .split("::")
                .map(|s| s.trim_start_matches('{'))
                .take_while(|s| {
                    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                })
                .collect();
            let mut best = base.clone();
            let mut path = base;
            for s in segs {
                path = if path.is_empty() {
                    s.to_owned()
                } else {
                    format!("{path}::{s}")
                };
                if known.contains(&path) {
                    best.clone_from(&path);
                }
            }
            if !best.is_empty() {
                out.push(best);
            }
            rest = &rest[1..];
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Depth-first search from `v`, recording each circle it closes.
fn visit(
    v: usize,
    edges: &[Vec<usize>],
    state: &mut [u8],
    stack: &mut Vec<usize>,
    names: &[String],
    circles: &mut Vec<String>,
) {
    state[v] = 1;
    stack.push(v);
    for &w in &edges[v] {
        if state[w] == 1 {
            let from = stack.iter().position(|x| *x == w).unwrap_or(0);
            let mut c: Vec<&str> = stack[from..].iter().map(|i| names[*i].as_str()).collect();
            c.push(&names[w]);
            circles.push(c.join(" → "));
        } else if state[w] == 0 {
            visit(w, edges, state, stack, names, circles);
        }
    }
    stack.pop();
    state[v] = 2;
}

/// No two modules import each other, directly or through others (a module and its own
/// submodules aside: a parent declares its children and they use its names).
#[test]
fn no_module_imports_form_a_circle() {
    let mods = modules();
    let names: Vec<String> = mods.iter().map(|(m, _)| m.clone()).collect();
    let related = |a: &str, b: &str| {
        a == b || a.starts_with(&format!("{b}::")) || b.starts_with(&format!("{a}::"))
    };
    let edges: Vec<Vec<usize>> = mods
        .iter()
        .map(|(m, f)| {
            let text = std::fs::read_to_string(f).expect("readable");
            references(m, &text, &names)
                .iter()
                .filter(|r| !related(m, r))
                .filter_map(|r| names.iter().position(|n| n == r))
                .collect()
        })
        .collect();
    // Depth-first search for a back edge; report the circle found.
    let n = names.len();
    let mut state = vec![0u8; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut circles = Vec::new();
    for v in 0..n {
        if state[v] == 0 {
            visit(v, &edges, &mut state, &mut stack, &names, &mut circles);
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

/// The circle check finds a circle: two modules that name each other.
#[test]
fn the_circle_check_sees_references() {
    let known = vec![
        "engine".to_owned(),
        "engine::rng".to_owned(),
        "engine::model".to_owned(),
    ];
    assert_eq!(
        references("engine::rng", "use super::model::DrawKind;", &known),
        ["engine::model"]
    );
    assert_eq!(
        references("engine::model", "let h = crate::engine::rng::x(1);", &known),
        ["engine::rng"]
    );
}

/// The game screen draws from the seat's screen snapshot and the terminal's own state only:
/// its files never reach the session, the exercise, its state or its scenario, so a seat
/// drawn elsewhere needs nothing but its `SeatScreen`.
#[test]
fn the_game_screen_draws_only_from_the_seats_snapshot() {
    const READS_THE_EXERCISE: &[&str] = &[
        "session",
        ".ex.",
        "view_for",
        "scenario",
        "Scenario",
        "Exercise,",
        "Exercise;",
        "exercise::",
        "state()",
        "events()",
    ];
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/draw");
    let mut problems = Vec::new();
    for name in ["game.rs", "panels.rs", "dialogs.rs", "notes.rs"] {
        let f = src.join(name);
        let text = std::fs::read_to_string(&f).expect("readable");
        for (n, line) in text.lines().enumerate() {
            for word in READS_THE_EXERCISE {
                if code(line).contains(word) {
                    problems.push(format!("{}:{}: `{word}`: {line}", f.display(), n + 1));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// No file of `src/` is over 700 lines: a room that grows past that is split along its
/// seams (see docs/architecture.md).
#[test]
fn no_file_of_src_is_over_700_lines() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f)
                .expect("readable")
                .lines()
                .count();
            (n > 700).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "{}", long.join("\n"));
}
