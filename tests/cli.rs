//! The real `ttx` binary: exit codes, output, determinism across processes.

use std::process::{Command, Output};

fn ttx(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // Runs are journaled: into the test's scratch space, never the user's data folder.
        .env("TTX_DATA_DIR", sessions_home())
        .output()
        .expect("ttx runs")
}

fn sessions_home() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-data")
}

/// A file in a fresh temporary folder, removed with the folder when dropped.
struct TempFile {
    dir: std::path::PathBuf,
    path: std::path::PathBuf,
}

impl TempFile {
    fn new(prefix: &str, name: &str, contents: &str) -> TempFile {
        let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(name);
        std::fs::write(&path, contents).expect("write");
        TempFile { dir, path }
    }

    fn arg(&self) -> &str {
        self.path.to_str().expect("utf-8")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn check_accepts_the_bundled_scenarios() {
    let o = ttx(&[
        "check",
        "scenarios/dropper-0330.ron",
        "tests/fixtures/valid/minimal.ron",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout(&o).contains("ok: scenarios/dropper-0330.ron"));
    assert!(
        o.stderr.is_empty(),
        "warnings: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn check_exit_codes_follow_the_contract() {
    assert_eq!(ttx(&["check"]).status.code(), Some(2), "usage error");
    assert_eq!(ttx(&["check", "--bogus", "x.ron"]).status.code(), Some(2));
    let missing = ttx(&["check", "no/such/file.ron"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&missing.stderr)
            .contains("no/such/file.ron:1:1: error: cannot read the file")
    );
}

#[test]
fn run_is_byte_identical_across_processes() {
    let a = ttx(&["run", "dropper-0330", "--seed", "7"]);
    let b = ttx(&["run", "scenarios/dropper-0330.ron", "--seed", "7"]);
    assert_eq!(a.status.code(), Some(0));
    assert_eq!(a.stdout, b.stdout);
    let last = stdout(&a).lines().last().unwrap_or_default().to_owned();
    assert!(
        last.contains("\"type\":\"ExerciseEnded\"") && last.contains("\"ending\":\"ransomware\""),
        "{last}"
    );
}

#[test]
fn run_with_a_script_reaches_a_better_ending() {
    let o = ttx(&[
        "run",
        "dropper-0330",
        "--seed",
        "7",
        "--script",
        "tests/scripts/dropper-0330/isolate-early.txt",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("\"ending\":\"contained_early\""));
}

#[test]
fn a_bad_script_is_reported_with_its_line() {
    let script = TempFile::new(
        "ttx-cli",
        "bad.txt",
        "at 03:40 soc_analyst triage\nat 3pm soc_analyst isolate_host\n",
    );
    let o = ttx(&[
        "run",
        "dropper-0330",
        "--seed",
        "1",
        "--script",
        script.arg(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("bad.txt:2:4: error: `3pm` is not a time"),
        "{err}"
    );
}

#[test]
fn unknown_scenarios_name_the_bundled_ones() {
    let o = ttx(&["run", "dropper", "--seed", "1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bundled: dropper-0330"));
}

#[test]
fn list_shows_the_bundled_scenarios_with_roles() {
    let o = ttx(&["list"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("dropper-0330") && out.contains("Dropper at 03:30"));
    assert!(out.contains("roles: soc_analyst, oncall_manager, duty_exec"));
}

#[test]
fn without_a_terminal_the_game_explains_itself() {
    let o = ttx(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("the game needs a terminal"));
    let help = ttx(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(stdout(&help).contains("Usage: ttx"));
}

#[test]
fn a_bad_theme_or_key_map_is_reported_with_its_line() {
    let keys = TempFile::new(
        "ttx-theme",
        "keys.ron",
        "KeyMap(\n  bindings: {\n    \"quitt\": [\"q\"],\n  },\n)\n",
    );
    let o = ttx(&["--keys", keys.arg()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("keys.ron:3:5: error: unknown command `quitt`"),
        "{err}"
    );
    let o = ttx(&["--theme", "nosuch"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("neither a built-in theme"));
}

#[test]
fn a_script_naming_something_unknown_is_refused_before_the_run() {
    let script = TempFile::new(
        "ttx-typo",
        "typo.txt",
        "at 03:31 soc_analyst triag\nat 03:45 oncall_manager choose oncall_call defr\n",
    );
    let o = ttx(&[
        "run",
        "dropper-0330",
        "--seed",
        "7",
        "--script",
        script.arg(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty(), "nothing runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("typo.txt:1:22: error: unknown action `triag`"),
        "{err}"
    );
    assert!(err.contains("did you mean `triage`?"), "{err}");
    assert!(
        err.contains("typo.txt:2:44: error: unknown option `defr`"),
        "{err}"
    );
}

#[test]
fn run_prints_the_report_in_each_format_or_writes_it_to_a_file() {
    let script = "tests/scripts/dropper-0330/isolate-early.txt";
    let md = ttx(&[
        "run",
        "dropper-0330",
        "--seed",
        "7",
        "--script",
        script,
        "--report",
        "md",
    ]);
    assert_eq!(
        md.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&md.stderr)
    );
    let text = stdout(&md);
    assert!(
        text.starts_with("# After-action report: Dropper at 03:30"),
        "{text}"
    );
    assert!(
        text.contains("| Contain the intrusion before the attacker is hands-on-keyboard. | **P**")
    );
    // The same run in another process gives the same bytes.
    let again = ttx(&[
        "run",
        "dropper-0330",
        "--seed",
        "7",
        "--script",
        script,
        "--report",
        "md",
    ]);
    assert_eq!(md.stdout, again.stdout);
    let out = TempFile::new("ttx-report-out", "aar.csv", "");
    let csv = ttx(&[
        "run",
        "dropper-0330",
        "--seed",
        "7",
        "--report",
        "csv",
        "--out",
        out.arg(),
    ]);
    assert_eq!(csv.status.code(), Some(0));
    assert!(csv.stdout.is_empty(), "written to the file, not stdout");
    let written = std::fs::read_to_string(&out.path).expect("written");
    assert!(
        written.starts_with("time,clock,role,kind,text\r\n"),
        "{written}"
    );
    for f in ["html", "json"] {
        let o = ttx(&["run", "dropper-0330", "--seed", "7", "--report", f]);
        assert_eq!(o.status.code(), Some(0));
        assert!(!o.stdout.is_empty());
    }
    let bad = ttx(&["run", "dropper-0330", "--seed", "7", "--report", "pdf"]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "an unknown format is a usage error"
    );
}

/// Thread counts and benchmark sizes are bounded with an error, never a panic.
#[test]
fn thread_counts_and_bench_sizes_are_bounded() {
    for args in [
        &["simulate", "dropper-0330", "--threads", "0"][..],
        &["simulate", "dropper-0330", "--threads", "100000"],
        &["bench", "--threads", "0"],
        &["bench", "--nodes", "0"],
        &["bench", "--nodes", "100000000"],
        &["bench", "--steps", "0"],
    ] {
        let o = ttx(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.starts_with("error: invalid value"), "{args:?}: {err}");
    }
}

/// Each command's help lists only the options that do something for it, and an option
/// written before a command counts for it, or is refused when it means nothing there.
#[test]
fn options_are_offered_only_where_they_do_something() {
    let help = stdout(&ttx(&["check", "--help"]));
    for opt in ["--theme", "--keys", "--data-dir"] {
        assert!(!help.contains(opt), "check offers {opt}:\n{help}");
    }
    let help = stdout(&ttx(&["sessions", "--help"]));
    assert!(
        help.contains("--data-dir") && !help.contains("--theme"),
        "{help}"
    );
    let help = stdout(&ttx(&["resume", "--help"]));
    assert!(
        help.contains("--theme") && help.contains("--data-dir"),
        "{help}"
    );
    let o = ttx(&[
        "--theme",
        "high-contrast",
        "check",
        "scenarios/dropper-0330.ron",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("--theme and --keys are for the commands"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let empty = std::env::temp_dir().join(format!("ttx-cli-empty-{}", std::process::id()));
    let o = ttx(&["--data-dir", &empty.display().to_string(), "sessions"]);
    assert!(o.status.success());
    assert!(
        stdout(&o).contains(&format!("No sessions in {}", empty.display())),
        "{}",
        stdout(&o)
    );
    let _ = std::fs::remove_dir_all(&empty);
}

/// `ttx new` writes a skeleton that passes `check`, plays to an ending with bots, and has a
/// good, a mixed and a bad ending; it never overwrites a file.
#[test]
fn new_writes_a_skeleton_that_checks_and_plays() {
    use ttx::engine::model::Outcome;
    let dir = std::env::temp_dir().join(format!("ttx-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    for template in ["seam", "minimal"] {
        let path = dir.join(format!("{template}.ron"));
        let p = path.display().to_string();
        let o = ttx(&[
            "new",
            "Warehouse drill",
            "--template",
            template,
            "--out",
            &p,
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let sc = ttx::scenario::load_file(&path).expect("checks").scenario;
        assert_eq!(sc.title, "Warehouse drill");
        assert_eq!(sc.id.as_str(), "warehouse-drill");
        for want in [Outcome::Good, Outcome::Mixed, Outcome::Bad] {
            assert!(
                sc.endings.iter().any(|e| e.outcome == want),
                "{template}: {want:?}"
            );
        }
        let o = ttx(&["run", &p, "--seed", "3", "--bots", "--no-journal"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            stdout(&o).contains("\"ExerciseEnded\""),
            "{template} plays to an end"
        );
        let again = ttx(&[
            "new",
            "Warehouse drill",
            "--template",
            template,
            "--out",
            &p,
        ]);
        assert_eq!(again.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
