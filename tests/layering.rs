//! The layers, as a table: each layer and the layers it may not import (a layer never
//! imports one above it; see docs/architecture.md), plus the impure things the pure layers
//! may not touch at all (the terminal, files, the network, the clock, the environment,
//! threads, OS entropy, hash-ordered maps, printing). `clippy.toml` bans the clock and thread
//! RNGs at lint time as well.

use std::path::{Path, PathBuf};

/// Lowest first. A layer may import only the layers listed before it (and `untrusted`,
/// which imports nothing).
const LAYERS: &[&str] = &[
    "untrusted",
    "engine",
    "scenario",
    "journal",
    "report",
    "session",
    "sim",
    "tui",
    "cli",
];

/// Layers that do no I/O and read no clock: a pure function of their inputs. The value is
/// the file of the layer that is its edge to the system (allowed to), if any.
const PURE: &[(&str, Option<&str>)] = &[
    ("untrusted", None),
    ("engine", None),
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
            LAYERS.contains(&stem),
            "src/{stem} is in no layer of tests/layering.rs"
        );
    }
}

#[test]
fn no_layer_imports_one_above_it() {
    let mut problems = Vec::new();
    for (i, layer) in LAYERS.iter().enumerate() {
        let files = layer_files(layer);
        assert!(!files.is_empty(), "no sources for layer {layer}");
        let above = &LAYERS[i + 1..];
        for f in &files {
            let text = std::fs::read_to_string(f).expect("readable");
            for (n, line) in text.lines().enumerate() {
                for up in above {
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
    let report = LAYERS.iter().position(|l| *l == "report").expect("report");
    assert!(LAYERS[report + 1..].contains(&"tui"));
    assert!(!LAYERS[report + 1..].contains(&"journal"));
}
