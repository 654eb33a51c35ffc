//! Mutation fuzzing of the scenario loader (and of the engine on whatever still loads), of
//! scripts of timed commands (and of headless runs of those that still pass), and of theme
//! and key map files: bytes flipped, ranges cut or doubled, tokens spliced in, lines
//! swapped, files cut short. No input may panic, hang or overflow the stack. (The journal
//! has its own fuzzing in `tests/journal.rs`.)
//!
//! CI runs 1,500 cases; set `TTX_FUZZ_CASES` for more (the figure in
//! docs/performance.md came from `TTX_FUZZ_CASES=100000 cargo test --release --test
//! fuzz_loader`). Mutations come from a fixed generator, so a failure names a case number
//! that reproduces.

#![allow(clippy::many_single_char_names, clippy::cast_possible_truncation)] // a test-only mutator

mod common;

use common::SplitMix as Gen;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use ttx::engine::command::{Command, Issued};
use ttx::engine::exercise::Exercise;

const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "'",
    "/*",
    "//",
    "\n",
    "0",
    "-1",
    "4294967296",
    "99999999999999999999",
    "1e309",
    "Not(",
    "All([",
    "Some(",
    "Some (",
    "None",
    "0x1F",
    "1_000",
    "+5",
    "007",
    "-0",
    "r\"raw\"",
    "r#\"raw\"#",
    "\\u{e9}",
    "\\x41",
    "\\q",
    "\\\n",
    "é",
    "\u{2028}",
    "\u{b}",
    "\t",
    ",)",
    "()",
    "true",
    "r#id",
    "/* c */",
    "None",
    "true",
    "r#\"",
    "\\u{0}",
    "Always",
    "TimeUp",
    "Minutes(0)",
    "\"facilitator\"",
    "\"+0\"",
    "\"99:99\"",
    "Schedule(\"edr_dropper\", Minutes(0))",
    "é",
    "\u{feff}",
    "\0",
];

fn mutate(g: &mut Gen, base: &[u8]) -> Vec<u8> {
    let mut v = base.to_vec();
    let rounds = 1 + g.below(3);
    for _ in 0..rounds {
        let len = v.len().max(1);
        match g.below(10) {
            7 | 8 => {
                // A number swapped for another: keeps the file well-formed, probes the engine.
                // Spans are found in the bytes themselves: offsets in a lossy copy of text
                // that is no longer UTF-8 would not be offsets in `v`.
                let numbers: Vec<(usize, usize)> = spans(&v, |c| c.is_ascii_digit());
                if let Some(&(a, b)) = numbers.get(g.below(numbers.len())) {
                    let n = ["0", "1", "2", "5", "60", "100", "1000", "255", "20160"][g.below(9)];
                    v.splice(a..b, n.bytes());
                }
            }
            9 => {
                // A quoted name swapped for another from the same file: dangling or crossed references.
                let quoted: Vec<(usize, usize)> = quoted_spans(&v);
                if quoted.len() > 1 {
                    let (a, b) = quoted[g.below(quoted.len())];
                    let (c, d) = quoted[g.below(quoted.len())];
                    let replacement = v[c..d].to_vec();
                    v.splice(a..b, replacement);
                }
            }
            0 => {
                let i = g.below(len).min(v.len().saturating_sub(1));
                if let Some(b) = v.get_mut(i) {
                    *b ^= 1 << g.below(8);
                }
            }
            1 => {
                let a = g.below(len).min(v.len());
                let b = (a + g.below(200)).min(v.len());
                v.drain(a..b);
            }
            2 => {
                let a = g.below(len).min(v.len());
                let b = (a + g.below(300)).min(v.len());
                let chunk = v[a..b].to_vec();
                let at = g.below(v.len() + 1);
                v.splice(at..at, chunk);
            }
            3 => {
                let t = TOKENS[g.below(TOKENS.len())].as_bytes();
                let at = g.below(v.len() + 1);
                v.splice(at..at, t.iter().copied());
            }
            4 => {
                let text = String::from_utf8_lossy(&v).into_owned();
                let mut lines: Vec<&str> = text.lines().collect();
                if lines.len() > 2 {
                    let a = g.below(lines.len());
                    let b = g.below(lines.len());
                    lines.swap(a, b);
                }
                v = lines.join("\n").into_bytes();
            }
            5 => {
                let cut = g.below(len);
                v.truncate(cut);
            }
            _ => {
                // Deep nesting, to probe the depth limits.
                let depth = g.below(5000);
                let at = g.below(v.len() + 1);
                let deep = format!("{}Always{}", "Not(".repeat(depth), ")".repeat(depth));
                v.splice(at..at, deep.into_bytes());
            }
        }
    }
    v
}

/// Byte ranges of runs of bytes matching `f`.
fn spans(bytes: &[u8], f: impl Fn(u8) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, &c) in bytes.iter().enumerate() {
        match (f(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Byte ranges of short quoted strings (names, mostly).
fn quoted_spans(b: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'"'
            && let Some(len) = b[i + 1..].iter().take(40).position(|c| *c == b'"')
        {
            out.push((i, i + len + 2));
            i += len + 2;
            continue;
        }
        i += 1;
    }
    out
}

/// The files to mutate: valid ones first (`.0` of them), then the invalid fixtures.
fn corpus() -> (usize, Vec<Vec<u8>>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    let mut valid = 0;
    for dir in [
        "scenarios",
        "tests/fixtures/valid",
        "tests/fixtures/invalid",
    ] {
        if dir.ends_with("invalid") {
            valid = out.len();
        }
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.extension().is_some_and(|x| x == "ron") {
                out.push(std::fs::read(&p).expect("readable"));
            }
        }
    }
    (valid, out)
}

/// Loads the text; if it loads, plays a few commands on it.
fn exercise(bytes: &[u8], seed: u64) -> bool {
    let text = String::from_utf8_lossy(bytes);
    match ttx::scenario::load_str("fuzz.ron", &text) {
        Err(e) => {
            assert!(!e.diagnostics.is_empty(), "a failure must say why");
            assert!(e.diagnostics.iter().all(|d| d.line >= 1 && d.col >= 1));
            false
        }
        Ok(l) => {
            let mut ex = Exercise::start(l.scenario.clone(), seed);
            for a in l.scenario.actions.iter().take(5) {
                if let Some(&r) = a.by.first() {
                    let by = ttx::engine::Seat::Role(l.scenario.role(r).id.clone());
                    ex.apply(&Issued::new(
                        by,
                        Command::Act {
                            action: a.id.clone(),
                        },
                    ));
                }
                ex.apply(&Issued::facilitator(Command::Tick { minutes: 7 }));
            }
            ex.apply(&Issued::facilitator(Command::AdvanceTo {
                at: l.scenario.end,
            }));
            true
        }
    }
}

/// The files of one folder with one extension, sorted (a corpus for the other inputs).
fn files(dir: &str, ext: &str) -> Vec<(String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for p in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == ext) {
                out.push((
                    p.display().to_string(),
                    std::fs::read(&p).expect("readable"),
                ));
            }
        }
    }
    out.sort();
    out
}

/// Mutated scripts of timed commands: parsed, checked against their scenario and, when
/// they pass, played headless. Never a panic.
#[test]
fn mutated_scripts_never_panic() {
    let cases = cases(1_500);
    let scripts = files("tests/scripts", "txt");
    assert!(scripts.len() > 10);
    let scenarios: Vec<(String, std::sync::Arc<ttx::engine::Scenario>)> =
        ttx::scenario::bundled::ALL
            .iter()
            .map(|b| {
                let id = b.file.trim_end_matches(".ron");
                (id.to_owned(), common::scenario(b.file))
            })
            .collect();
    let (mut played, mut failures) = (0u64, Vec::new());
    for case in 0..cases {
        let mut g = Gen(case);
        let (path, base) = &scripts[g.below(scripts.len())];
        let input = mutate(&mut g, base);
        let sc = &scenarios
            .iter()
            .find(|(n, _)| path.contains(n.as_str()))
            .expect("a script's scenario")
            .1;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let text = String::from_utf8_lossy(&input);
            match ttx::sim::script::parse("fuzz.txt", &text, sc.start) {
                Err(d) => {
                    assert!(!d.is_empty() && d.iter().all(|d| d.line >= 1 && d.col >= 1));
                    false
                }
                Ok(steps) => {
                    if !ttx::sim::script::check("fuzz.txt", &text, &steps, sc).is_empty() {
                        return false;
                    }
                    let _ = ttx::sim::headless::run(std::sync::Arc::clone(sc), case, &steps);
                    true
                }
            }
        }));
        match outcome {
            Ok(true) => played += 1,
            Ok(false) => {}
            Err(_) => failures.push(case),
        }
    }
    eprintln!(
        "script fuzz: {cases} cases, {played} still checked and were played, {} panics",
        failures.len()
    );
    assert!(failures.is_empty(), "panics in cases {failures:?}");
    assert!(
        played > 0,
        "no mutant was played: the fuzzing reached no engine"
    );
}

/// Mutated themes and key maps: read or refused with located diagnostics, never a panic.
#[test]
fn mutated_themes_and_key_maps_never_panic() {
    let cases = cases(1_500);
    let mut corpus = files("assets", "ron");
    assert!(corpus.len() >= 2, "{corpus:?}");
    corpus.sort();
    let (mut read, mut failures) = (0u64, Vec::new());
    for case in 0..cases {
        let mut g = Gen(case);
        let (path, base) = &corpus[g.below(corpus.len())];
        let input = mutate(&mut g, base);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let text = String::from_utf8_lossy(&input);
            let ok = if path.ends_with("keys.ron") {
                ttx::tui::config::KeyMap::parse("fuzz.ron", &text).map(|_| ())
            } else {
                ttx::tui::config::Theme::parse("fuzz.ron", &text).map(|_| ())
            };
            match ok {
                Ok(()) => true,
                Err(d) => {
                    assert!(!d.is_empty() && d.iter().all(|d| d.line >= 1 && d.col >= 1));
                    false
                }
            }
        }));
        match outcome {
            Ok(true) => read += 1,
            Ok(false) => {}
            Err(_) => failures.push(case),
        }
    }
    eprintln!(
        "theme and key map fuzz: {cases} cases, {read} still read, {} panics",
        failures.len()
    );
    assert!(failures.is_empty(), "panics in cases {failures:?}");
}

/// How many mutants to try: `TTX_FUZZ_CASES`, else `default`.
fn cases(default: u64) -> u64 {
    std::env::var("TTX_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_scenarios_never_panic() {
    let cases = cases(1_500);
    let (valid, corpus) = corpus();
    assert!(valid > 0);
    let mut loaded = 0u64;
    let mut failures = Vec::new();
    for case in 0..cases {
        let mut g = Gen(case);
        // Mostly valid files, so that mutants get past the parser into the checks and the engine.
        let base = if g.below(4) == 0 {
            &corpus[g.below(corpus.len())]
        } else {
            &corpus[g.below(valid)]
        };
        let input = mutate(&mut g, base);
        match catch_unwind(AssertUnwindSafe(|| exercise(&input, case))) {
            Ok(true) => loaded += 1,
            Ok(false) => {}
            Err(_) => failures.push(case),
        }
    }
    eprintln!(
        "fuzz: {cases} cases, {loaded} still loaded and were played, {} panics",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "panics in cases {failures:?} (rerun with the case number as the generator seed)"
    );
}

/// The fast reader gives up on whatever it does not read exactly as ron does; whatever it
/// does read must be what ron reads, on every corpus file and on mutants of them.
#[test]
fn the_fast_reader_agrees_with_ron() {
    use ttx::scenario::raw::RawScenario;
    let cases = cases(3_000);
    let (valid, corpus) = corpus();
    let check = |text: &str, what: &str| -> bool {
        let Some(fast) = ttx::scenario::fast::from_str::<RawScenario>(text) else {
            return false;
        };
        match ttx::scenario::parse_with_ron::<RawScenario>(text) {
            Ok(slow) => assert_eq!(
                format!("{fast:?}"),
                format!("{slow:?}"),
                "{what}: the fast reader and ron read different values"
            ),
            Err(e) => panic!("{what}: the fast reader took a file ron refuses ({e})"),
        }
        true
    };
    // Every valid file of the corpus is plain RON, so it takes the fast path.
    for (i, bytes) in corpus.iter().enumerate() {
        let text = String::from_utf8_lossy(bytes);
        let ron_reads = ttx::scenario::parse_with_ron::<RawScenario>(&text).is_ok();
        let fast_reads = check(&text, &format!("corpus file {i}"));
        if i < valid {
            assert!(
                fast_reads,
                "corpus file {i} is valid but the fast reader gave up"
            );
        }
        assert!(!fast_reads || ron_reads);
    }
    let mut agreed = 0;
    for case in 0..cases {
        let mut g = Gen(case);
        let base = &corpus[g.below(corpus.len())];
        let input = mutate(&mut g, base);
        if check(&String::from_utf8_lossy(&input), &format!("case {case}")) {
            agreed += 1;
        }
    }
    eprintln!("fast reader: {cases} mutants, {agreed} read by both readers alike");
    assert!(
        agreed > 0,
        "no mutant was read: the comparison tested nothing"
    );
}
