//! `ttx lint`: every kind of warning is found where its fixture says, in the file's
//! place; the bundled scenarios and the skeletons of `ttx new` lint clean; the same file
//! gives the same warnings every time; `// lint: allow(…)` marks what is meant.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use ttx::sim::lint::{self, Kind};

/// The (line, kind) pairs a file's warnings are at.
fn found(file: &str, text: &str, plays: u64) -> BTreeSet<(usize, String)> {
    let loaded = ttx::scenario::load_str(file, text).expect("the fixture loads");
    assert!(
        loaded.warnings.is_empty(),
        "{file} has check warnings: {:?}",
        loaded.warnings
    );
    let linted = lint::lint(&loaded.scenario, plays, 0);
    let (diags, _) = lint::diagnostics(file, text, &linted);
    diags
        .iter()
        .map(|(kind, d)| {
            let kind = kind.code();
            assert!(
                d.message.ends_with(&format!("[{kind}]")),
                "the kind is named: {}",
                d.message
            );
            assert!(d.help.is_some(), "no help for {}", d.message);
            assert!(
                !d.source_line.is_empty(),
                "no source line for {}",
                d.message
            );
            (d.line, kind.to_owned())
        })
        .collect()
}

/// Where a fixture says its warnings are: `// expect: KIND` on the line.
fn expected(text: &str) -> BTreeSet<(usize, String)> {
    text.lines()
        .enumerate()
        .filter_map(|(i, l)| l.split_once("// expect: ").map(|(_, k)| (i, k)))
        .flat_map(|(i, kinds)| kinds.split(',').map(move |k| (i + 1, k.trim().to_owned())))
        .collect()
}

#[test]
fn every_kind_of_warning_is_found_where_its_fixture_says_and_nothing_else() {
    for kind in Kind::ALL {
        let path = common::root().join(format!("tests/fixtures/lint/{}.ron", kind.code()));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("no fixture for {}", kind.code()));
        let want = expected(&text);
        assert!(
            want.iter().any(|(_, k)| k == kind.code()),
            "{} expects no {}",
            path.display(),
            kind.code()
        );
        assert_eq!(found(kind.code(), &text, 1_000), want, "{}", path.display());
    }
}

#[test]
fn every_bundled_scenario_lints_clean() {
    for b in ttx::scenario::bundled::ALL {
        let got = found(b.file, b.text, lint::DEFAULT_PLAYS);
        assert!(got.is_empty(), "{}: {got:?}", b.file);
    }
}

#[test]
fn the_same_file_gives_the_same_warnings_and_coverage() {
    let b = ttx::scenario::bundled::find("franchise-crm").expect("bundled");
    let sc = ttx::scenario::load_str(b.file, b.text)
        .expect("loads")
        .scenario;
    let one = lint::lint(&sc, 2_000, 7);
    let two = lint::lint(&sc, 2_000, 7);
    assert_eq!(
        lint::coverage(&sc, &one.explored),
        lint::coverage(&sc, &two.explored)
    );
    assert_eq!(
        lint::diagnostics(b.file, b.text, &one),
        lint::diagnostics(b.file, b.text, &two)
    );
    let fixture = common::root().join("tests/fixtures/lint/reopened-prompt.ron");
    let text = std::fs::read_to_string(fixture).expect("fixture");
    assert_eq!(found("f", &text, 500), found("f", &text, 500));
}

fn ttx(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("ttx runs")
}

#[test]
fn the_skeletons_of_ttx_new_lint_clean_and_a_warning_fails_the_command() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("lint-cli");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for template in ["seam", "minimal"] {
        let file = format!("{template}.ron");
        let made = ttx(
            &["new", "A new one", "--template", template, "--out", &file],
            &dir,
        );
        assert!(made.status.success(), "{made:?}");
        let out = ttx(&["lint", &file], &dir);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{template}: {out:?}");
        assert!(stdout.contains(": clean; explored 10000 plays"), "{stdout}");
    }
    // A warning: exit 1, the place and the kind on standard error, the count on standard out.
    let text =
        std::fs::read_to_string(common::root().join("tests/fixtures/lint/hears-nothing.ron"))
            .expect("fixture");
    std::fs::write(dir.join("silent.ron"), &text).expect("write");
    let out = ttx(&["lint", "silent.ron", "--plays", "200"], &dir);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(
        stderr.contains("silent.ron:12:18: warning: role `manager` receives nothing"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[hears-nothing]") && stderr.contains("help:"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("silent.ron: 1 warning;"));
    // Said to be meant: allowed, counted, and the command passes.
    let allowed = text.replace("// expect: hears-nothing", "// lint: allow(hears-nothing)");
    std::fs::write(dir.join("silent.ron"), allowed).expect("write");
    let out = ttx(&["lint", "silent.ron", "--plays", "200"], &dir);
    assert!(out.status.success(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("clean (1 allowed in the file)"),
        "{out:?}"
    );
    // As JSON: one object per file, with each warning's place and kind.
    let out = ttx(&["lint", "silent.ron", "--plays", "200", "--json"], &dir);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(v["allowed"], 1);
    assert!(
        v["coverage"]
            .as_str()
            .is_some_and(|c| c.contains("explored 200 plays"))
    );
}

#[test]
fn a_variable_read_only_by_a_stage_s_when_is_read_and_its_branch_is_the_players() {
    let path = common::root().join("tests/fixtures/lint/fixed-branch.ron");
    let text = std::fs::read_to_string(&path).expect("the fixture");
    // A variable the players' action sets, read by nothing but a stage's `when`.
    let edits = [
        (
            r#"        Variable(id: "segmented","#,
            r#"        Variable(id: "noisy", name: "Noisy", max: 1),
        Variable(id: "segmented","#,
        ),
        (
            r#"effects: [Set("contained", 1)]"#,
            r#"effects: [Set("contained", 1), Set("noisy", 1)]"#,
        ),
        (
            r"            // Nor this one, which is always taken.",
            r#"            Stage(id: "evade", name: "Evade", after: Minutes(5), from: "foothold",
                when: Is("noisy")),
            // Nor this one, which is always taken."#,
        ),
    ];
    let mut edited = text.clone();
    for (from, to) in edits {
        assert_eq!(edited.matches(from).count(), 1, "{from}");
        edited = edited.replacen(from, to, 1);
    }
    let kinds: Vec<String> = found("edited.ron", &edited, 1_000)
        .into_iter()
        .map(|(_, k)| k)
        .collect();
    // The fixture's own three warnings, and nothing about `noisy` or `evade`.
    assert_eq!(
        kinds,
        ["never-set", "fixed-branch", "fixed-branch"],
        "{kinds:?}"
    );
}
