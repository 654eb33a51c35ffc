//! Valid but hostile input: scenarios that pass the parser but would make every command that
//! runs them hang, eat memory or leak. Each case is kept in `tests/fixtures/hostile/` and
//! goes through the real binary and the library.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use ttx::engine::event::EventKind;
use ttx::engine::{AGENDA_LIMIT, CASCADE_LIMIT, Runaway};

fn ttx(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(args)
        .current_dir(common::root())
        .env(
            "TTX_DATA_DIR",
            std::env::temp_dir().join("ttx-hostile-data"),
        )
        .output()
        .expect("ttx runs")
}

fn fixture(name: &str) -> String {
    format!("tests/fixtures/hostile/{name}")
}

/// Scenarios whose deliveries always multiply are refused by `check` with a located error.
#[test]
fn check_refuses_deliveries_that_always_multiply() {
    for (name, line_col, words) in [
        (
            "doubling.ron",
            "6:14",
            "is scheduled more than once for each of its deliveries",
        ),
        (
            "thirty-two-way.ron",
            "6:14",
            "is scheduled more than once for each of its deliveries",
        ),
        (
            "zero-delay-fan-out.ron",
            "6:78",
            "sets off 265719 more deliveries",
        ),
    ] {
        let out = ttx(&["check", &fixture(name)]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.starts_with(&format!("{}:{line_col}: error: ", fixture(name))),
            "{name}: {err}"
        );
        assert!(err.contains(words), "{name}: {err}");
        // Every command that would run it refuses it the same way, at once.
        let out = ttx(&["run", &fixture(name), "--seed", "1", "--no-journal"]);
        assert_eq!(out.status.code(), Some(1), "{name}");
    }
}

/// Multiplying behind a condition is a warning; at run time the engine stops it at its
/// limit with a message naming the inject, and the transcript says so.
#[test]
fn a_runaway_run_is_stopped_at_the_engines_limit_naming_the_inject() {
    let out = ttx(&["check", &fixture("doubling-when.ron")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("7:14: warning: inject `a` can be scheduled more than once"),
        "{err}"
    );

    for (name, subject, limit) in [
        (
            "doubling-when.ron",
            "Runaway reminder",
            CASCADE_LIMIT.to_string(),
        ),
        ("agenda-flood.ron", "Later", AGENDA_LIMIT.to_string()),
    ] {
        let out = ttx(&["run", &fixture(name), "--seed", "1", "--no-journal"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(err.starts_with("error: at "), "{name}: {err}");
        assert!(
            err.contains(&format!("more than {limit} deliveries")),
            "{err}"
        );
        assert!(
            err.contains(&format!("(the last was \"{subject}\")")),
            "{err}"
        );
        let stdout = String::from_utf8_lossy(&out.stdout);
        let last: Vec<&str> = stdout.lines().rev().take(2).collect();
        assert!(
            last[0].contains("\"type\":\"ExerciseEnded\""),
            "{}",
            last[0]
        );
        assert!(
            last[1].contains("\"type\":\"RunawayStopped\""),
            "{}",
            last[1]
        );
    }
}

/// The engine's own bounds, in the library: the agenda never holds more than its limit,
/// nothing happens after the stop, and the same seed stops at the same event.
#[test]
fn the_engine_keeps_its_bounds_on_runaway_scenarios() {
    for (name, want) in [
        ("doubling-when.ron", Runaway::Cascade),
        ("agenda-flood.ron", Runaway::Agenda),
    ] {
        let sc = load(name);
        let ex = ttx::sim::headless::run(std::sync::Arc::clone(&sc), 3, &[]);
        assert!(ex.state().agenda.len() <= AGENDA_LIMIT, "{name}");
        let log = ex.events();
        let stop = log
            .iter()
            .position(|e| matches!(e.kind, EventKind::RunawayStopped { .. }))
            .expect("stopped");
        assert!(matches!(
            log[stop].kind,
            EventKind::RunawayStopped { limit, .. } if limit == want
        ));
        assert!(matches!(
            log[stop + 1].kind,
            EventKind::ExerciseEnded { .. }
        ));
        assert_eq!(stop + 2, log.len(), "{name}: nothing after the end");
        let again = ttx::sim::headless::run(sc, 3, &[]);
        assert_eq!(again.events(), log, "{name}: deterministic");
    }
}

fn load(name: &str) -> std::sync::Arc<ttx::engine::Scenario> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture(name));
    match ttx::scenario::load_file(&path) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{e}"),
    }
}

/// One cycle is a repeating inject, not a runaway: no error and no warning.
#[test]
fn a_repeating_reminder_is_not_a_runaway() {
    let text = r#"Scenario(format: 1, id: "reminder", title: "Reminder", start: "Sat 03:30", end: "+600",
  roles: [Role(id: "r", name: "R", side: Response)],
  endings: [Ending(id: "e", title: "E", outcome: Mixed, when: TimeUp)],
  injects: [
    Inject(id: "a", at: "+0", to: ["r"], channel: Chat, text: "x", effects: [Schedule("b", Minutes(10))]),
    Inject(id: "b", to: ["r"], channel: Chat, text: "y", effects: [Schedule("a", Minutes(10)), Schedule("c", Minutes(0))]),
    Inject(id: "c", to: ["r"], channel: Chat, text: "z"),
  ])"#;
    let loaded = ttx::scenario::load_str("reminder.ron", text).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let ex = ttx::sim::headless::run(loaded.scenario, 1, &[]);
    assert!(ex.runaway().is_none());
}
