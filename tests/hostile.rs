//! Valid but hostile input: scenarios that pass the parser but would make every command that
//! runs them hang, eat memory or leak. Each case is kept in `tests/fixtures/hostile/` and
//! goes through the real binary and the library.

mod common;

use std::fmt::Write as _;
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

/// What `role` may not be told at this moment: draws, variables hidden from it, injects not
/// yet delivered to it (subject and options), other roles' actions, a threat it does not
/// watch. Texts the role may read anyway (its own actions, its variables, what reached it)
/// are left out, so a name shared by both is not a finding.
fn secrets(ex: &ttx::engine::Exercise, role: ttx::engine::model::RoleIx) -> Vec<String> {
    let sc = ex.scenario();
    let st = ex.state();
    let mut secret: Vec<String> = Vec::new();
    let mut open: Vec<String> = Vec::new();
    for d in &sc.draws {
        secret.push(d.id.to_string());
    }
    for v in &sc.variables {
        if v.audience.includes(role) {
            open.push(v.name.clone());
        } else {
            secret.push(v.name.clone());
            secret.push(v.id.to_string());
        }
    }
    for (i, inj) in sc.injects.iter().enumerate() {
        let labels = inj
            .prompt
            .iter()
            .flat_map(|p| p.options.iter().map(|o| o.label.to_string()));
        let texts: Vec<String> = std::iter::once(inj.subject.to_string())
            .chain(labels)
            .collect();
        if inj.to.includes(role) && st.injects[i].first_delivered.is_some() {
            open.extend(texts);
        } else {
            secret.extend(texts);
        }
    }
    // Another role's action is news only when its taking does not reach this role.
    for a in &sc.actions {
        if a.by.contains(&role) || a.to.includes(role) || a.visible_to.includes(role) {
            open.push(a.name.clone());
        } else {
            secret.push(a.name.clone());
        }
    }
    if let Some(t) = &sc.threat {
        for s in &t.stages {
            if t.audience.includes(role) {
                open.push(s.name.clone());
            } else {
                secret.push(s.name.clone());
            }
        }
    }
    secret.retain(|s| s.chars().count() >= 4 && !open.iter().any(|o| o.contains(s.as_str())));
    secret
}

struct ReasonWatch {
    checked: usize,
}

impl ttx::sim::headless::Observer for ReasonWatch {
    type Error = std::convert::Infallible;
    fn before(
        &mut self,
        _: &ttx::engine::Exercise,
        _: &ttx::engine::Issued,
    ) -> Result<(), Self::Error> {
        Ok(())
    }
    fn after(&mut self, ex: &ttx::engine::Exercise, _: &[ttx::engine::Event]) {
        let sc = ex.scenario();
        for (r, role) in sc.roles.iter().enumerate() {
            let r = ttx::engine::model::RoleIx::at(r).expect("few roles");
            let secret = secrets(ex, r);
            let view = ex.view_for(&ttx::engine::Seat::Role(role.id.clone()));
            for a in &view.actions {
                if let ttx::engine::view::Availability::Unavailable(why) = &a.availability {
                    self.checked += 1;
                    for s in &secret {
                        assert!(
                            !why.contains(s.as_str()),
                            "{}: at {} the {} reads \"{why}\" on \"{}\", which names \"{s}\"",
                            sc.id,
                            ex.now().minutes(),
                            role.name,
                            a.name
                        );
                    }
                }
            }
        }
    }
}

/// A greyed-out action's reason names only what its role can see: over many seeded runs of
/// every bundled scenario, with the scenario's personas and with random bots, no reason any
/// role reads names a draw, a hidden variable, an inject not yet delivered to it, another
/// role's action or option, or a threat it does not watch.
#[test]
fn no_reason_names_what_its_role_cannot_see() {
    let cases: u64 = std::env::var("TTX_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .map_or(12, |n: u64| (n / 40).max(12));
    let mut checked = 0;
    for b in ttx::scenario::bundled::ALL {
        let sc = common::scenario(b.file);
        let personas = ttx::sim::simulate::crew_spec(&sc, &[]).expect("personas");
        let random: Vec<String> = sc
            .roles
            .iter()
            .map(|r| format!("{}=random", r.id))
            .collect();
        let random = ttx::sim::simulate::crew_spec(&sc, &random).expect("random bots");
        for seed in 0..cases {
            // Every third run leaves the first role to nobody, so its reasons are read
            // while the others play on.
            let mut seats = if seed % 2 == 0 {
                personas.clone()
            } else {
                random.clone()
            };
            if seed % 3 == 0 {
                seats.remove(0);
            }
            let mut watch = ReasonWatch { checked: 0 };
            let _ = ttx::sim::headless::run_observed(
                std::sync::Arc::clone(&sc),
                seed,
                &[],
                &seats,
                &mut watch,
            );
            checked += watch.checked;
        }
    }
    assert!(checked > 1000, "only {checked} reasons were read");
}

/// An action gated on state its role cannot see gets a located warning, and its reason
/// while greyed out names neither the hidden variable nor the draw.
#[test]
fn a_gate_on_hidden_state_is_warned_about_and_never_named() {
    let out = ttx(&["check", &fixture("hidden-gate.ron")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let prefix = fixture("hidden-gate.ron");
    assert!(
        err.contains(&format!("{prefix}:10:66: warning: action `hunt` becomes available to Analyst on the variable `secret_flag`")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{prefix}:11:70: warning: action `gamble` becomes available to Analyst on the draw `lucky`")),
        "{err}"
    );
    let sc = load("hidden-gate.ron");
    let ex = ttx::engine::Exercise::start(sc, 2);
    let view = ex.view_for(&ttx::engine::Seat::role("analyst"));
    for a in &view.actions {
        assert_eq!(
            a.availability,
            ttx::engine::view::Availability::Unavailable(
                ttx::engine::view::NOT_POSSIBLE_NOW.into()
            ),
            "{}",
            a.name
        );
    }
}

/// Characters that must never reach a terminal raw: C0 controls but newline, tab and the
/// carriage return of a CRLF line end (CSV's), DEL, C1 controls, and the bidirectional and
/// line-breaking controls (kept apart from the program's own list on purpose).
fn raw_controls(bytes: &[u8]) -> Vec<char> {
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    text.chars()
        .filter(|&c| {
            (c < ' ' && c != '\n' && c != '\t')
                || ('\u{7f}'..='\u{9f}').contains(&c)
                || matches!(
                    c,
                    '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}'
                )
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect()
}

/// A scenario whose every text carries terminal escapes (OSC 52, clear screen), a carriage
/// return, C1 and bidirectional controls, Markdown block marks and a spreadsheet formula,
/// through every subcommand and every output format: not one raw control character on
/// standard output or standard error, no CSV cell a spreadsheet would run, no Markdown
/// heading or quote made of scenario text.
#[test]
fn no_output_carries_raw_control_characters() {
    let dir = std::env::temp_dir().join(format!("ttx-escapes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("scenarios")).expect("temp dir");
    let text =
        std::fs::read_to_string(common::root().join(fixture("escapes.ron"))).expect("fixture");
    let file = dir.join("scenarios/escapes.ron");
    std::fs::write(&file, &text).expect("written");
    let broken = dir.join("broken.ron");
    std::fs::write(
        &broken,
        text.replacen("to: [\"analyst\"]", "to: [\"\\u{1b}[31manalyst\\r\"]", 1),
    )
    .expect("written");
    let script = dir.join("script.txt");
    std::fs::write(
        &script,
        "at 03:35 facilitator inject analyst,manager \"\u{1b}]0;pwned\u{7}\r\u{202e}=1+1\"\nat 03:36 analyst escalate\n",
    )
    .expect("written");
    let data = dir.join("data");
    let (f, broken, s, d) = (
        file.to_str().expect("utf-8"),
        broken.to_str().expect("utf-8"),
        script.to_str().expect("utf-8"),
        data.to_str().expect("utf-8"),
    );
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_ttx"))
            .args(args)
            .current_dir(&dir)
            .env_remove("TTX_DATA_DIR")
            .output()
            .expect("ttx runs");
        for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            let raw = raw_controls(bytes);
            assert!(
                raw.is_empty(),
                "`ttx {}` wrote {} raw control characters to {stream}: {raw:?}",
                args.join(" "),
                raw.len()
            );
        }
        out
    };
    let ok = |args: &[&str]| {
        let out = run(args);
        assert!(
            out.status.success(),
            "`ttx {}`: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(ok(&["check", f]).starts_with("ok: "));
    let out = run(&["check", broken]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("\\u{1b}[31manalyst\\u{d}"));
    assert!(ok(&["list"]).contains("\\u{1b}]52;c;"));
    ok(&["run", f, "--seed", "1", "--script", s, "--data-dir", d]);
    ok(&["run", f, "--seed", "2", "--bots", "--data-dir", d]);
    for format in ["md", "html", "json", "csv"] {
        let report = ok(&[
            "run",
            f,
            "--seed",
            "1",
            "--script",
            s,
            "--no-journal",
            "--report",
            format,
        ]);
        if format == "csv" {
            for line in report.lines().skip(1) {
                for cell in line.split(',') {
                    let cell = cell.trim_start_matches('"');
                    assert!(
                        !cell.starts_with(['=', '+', '-', '@']),
                        "a formula cell: {line}"
                    );
                }
            }
        }
    }
    // The same texts without the controls in front: each starts with Markdown block marks
    // (`#`, `>`, `1.`), a spreadsheet formula, a table bar.
    let marks = dir.join("marks.ron");
    std::fs::write(
        &marks,
        text.replace(
            r"\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{1b}[2J\r\u{9b}31m\u{202e}\u{85}",
            "",
        ),
    )
    .expect("written");
    let m = marks.to_str().expect("utf-8");
    let md = ok(&["run", m, "--seed", "1", "--no-journal", "--report", "md"]);
    assert!(md.contains("\\#> 1. =cmd"), "the marks are there, escaped");
    for line in md.lines() {
        let text = line.trim_start_matches(['-', '*', ' ']);
        assert!(
            !text.starts_with("#>") && !text.starts_with("> 1.") && !text.starts_with("1. =cmd"),
            "scenario text became Markdown structure: {line}"
        );
    }
    let csv = ok(&["run", m, "--seed", "1", "--no-journal", "--report", "csv"]);
    assert!(
        csv.contains("'#> 1. =cmd") || !csv.contains("\n=cmd"),
        "{csv}"
    );
    ok(&["simulate", f, "--runs", "40", "--seed", "1"]);
    ok(&["simulate", f, "--runs", "40", "--seed", "1", "--json"]);
    ok(&["sessions", "--data-dir", d]);
    let list = ok(&["sessions", "--json", "--data-dir", d]);
    let rows: serde_json::Value = serde_json::from_str(&list).expect("json");
    let id = rows[0]["id"].as_str().expect("an id").to_owned();
    for format in ["md", "html", "json", "csv"] {
        ok(&["report", &id, "--format", format, "--data-dir", d]);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A long chain of `when` injects, each set off by the one before at the same moment, is
/// checked again after every link; past the engine's check limit the run stops with a
/// message instead of working for minutes.
#[test]
fn a_long_chain_of_when_injects_is_stopped_at_the_check_limit() {
    let n = 30_000;
    let mut text = String::from(
        "Scenario(format: 1, id: \"when-chain\", title: \"When chain\", start: \"Sat 03:30\", end: \"+60\",\n  roles: [Role(id: \"r\", name: \"R\", side: Response)],\n  endings: [Ending(id: \"e\", title: \"E\", outcome: Mixed, when: TimeUp)],\n  injects: [\n    Inject(id: \"w0\", at: \"+1\", to: [\"r\"], channel: Chat, subject: \"Link 0\", text: \"x\"),\n",
    );
    for i in 1..n {
        let _ = writeln!(
            text,
            "    Inject(id: \"w{i}\", when: Delivered(\"w{}\"), to: [\"r\"], channel: Chat, subject: \"Link {i}\", text: \"x\"),",
            i - 1
        );
    }
    text.push_str("  ])\n");
    let loaded = ttx::scenario::load_str("when-chain.ron", &text).unwrap_or_else(|e| panic!("{e}"));
    let ex = ttx::sim::headless::run(loaded.scenario, 1, &[]);
    let why = ex.runaway().expect("stopped");
    assert!(
        why.contains(&format!(
            "more than {} conditions",
            ttx::engine::CHECK_LIMIT
        )),
        "{why}"
    );
    assert!(why.starts_with("at Sat 03:31: "), "{why}");
}

/// A one-line file with many mistakes: every diagnostic shows a window of the line, not the
/// line itself, and `check` shows the first hundred, then counts the rest.
#[test]
fn diagnostics_stay_small_on_a_long_line_with_many_mistakes() {
    let base = std::fs::read_to_string(common::root().join("tests/fixtures/valid/minimal.ron"))
        .expect("fixture");
    let one_line: String = base
        .lines()
        .map(|l| l.split("//").next().unwrap_or("").trim())
        .collect::<Vec<_>>()
        .join(" ");
    let mut injects = String::new();
    for i in 0..300 {
        let _ = write!(
            injects,
            "Inject(id: \"i{i}\", at: \"+1\", to: [\"ghost{i}\"], channel: Chat, text: \"{}\"), ",
            "x".repeat(500)
        );
    }
    let text = one_line.replacen("injects: [", &format!("injects: [{injects}"), 1);
    assert!(!text.contains('\n') && text.len() > 150_000);
    let dir = std::env::temp_dir().join(format!("ttx-long-line-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("long-line.ron");
    std::fs::write(&file, &text).expect("written");
    let out = ttx(&["check", file.to_str().expect("utf-8")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("… and 200 more"),
        "{}",
        &err[err.len().saturating_sub(500)..]
    );
    assert!(
        err.ends_with("300 errors, 0 warnings\n"),
        "{}",
        &err[err.len().saturating_sub(200)..]
    );
    assert!(err.len() < 100_000, "{} bytes of diagnostics", err.len());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A script of 100,000 lines is read and checked in one pass (it took half a minute when
/// every line was looked up from the start of the file).
#[test]
fn a_long_script_is_checked_in_one_pass() {
    let dir = std::env::temp_dir().join(format!("ttx-long-script-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("long.txt");
    let mut text = "at 03:31 soc_analyst triage\n".repeat(100_000);
    text.push_str("at 03:32 soc_analyst no_such_action\n");
    std::fs::write(&file, text).expect("written");
    let out = ttx(&[
        "run",
        "dropper-0330",
        "--seed",
        "1",
        "--no-journal",
        "--script",
        file.to_str().expect("utf-8"),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(":100001:22: error: unknown action `no_such_action`"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A doubling that cannot go round often enough within the exercise to pass the engine's
/// limits (twice a day for three days) is no finding, and a wide tree of deliveries spread
/// over time is a warning, not an error: only what surely runs away at once is refused.
#[test]
fn slow_doubling_and_spread_out_trees_are_not_runaways() {
    let slow = r#"Scenario(format: 1, id: "slow", title: "Slow", start: "Mon 09:00", end: "+72:00",
  roles: [Role(id: "r", name: "R", side: Response)],
  endings: [Ending(id: "e", title: "E", outcome: Mixed, when: TimeUp)],
  injects: [Inject(id: "a", at: "+0", to: ["r"], channel: Chat, text: "x",
    effects: [Schedule("a", Minutes(1440)), Schedule("a", Minutes(1440))])])"#;
    let loaded = ttx::scenario::load_str("slow.ron", slow).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let ex = ttx::sim::headless::run(loaded.scenario, 1, &[]);
    assert!(ex.runaway().is_none());
    // Twelve levels of three, each an hour later: 265,719 deliveries over twelve hours.
    let mut injects = String::new();
    for lvl in 0..12 {
        let at = if lvl == 0 { "at: \"+0\", " } else { "" };
        let eff = if lvl < 11 {
            format!("Schedule(\"l{}\", Minutes(60)), ", lvl + 1).repeat(3)
        } else {
            String::new()
        };
        let _ = writeln!(
            injects,
            "    Inject(id: \"l{lvl}\", {at}to: [\"r\"], channel: Chat, text: \"x\", effects: [{eff}]),"
        );
    }
    let tree = format!(
        "Scenario(format: 1, id: \"tree\", title: \"Tree\", start: \"Mon 09:00\", end: \"+24:00\",\n  roles: [Role(id: \"r\", name: \"R\", side: Response)],\n  endings: [Ending(id: \"e\", title: \"E\", outcome: Mixed, when: TimeUp)],\n  injects: [\n{injects}  ])"
    );
    let loaded = ttx::scenario::load_str("tree.ron", &tree).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(
        loaded.warnings[0]
            .message
            .contains("can set off 265719 more deliveries over time"),
        "{:?}",
        loaded.warnings
    );
    // And the engine holds its line at run time (a level of 3^9 falls due at once).
    let ex = ttx::sim::headless::run(loaded.scenario, 1, &[]);
    assert!(ex.runaway().is_some());
}
