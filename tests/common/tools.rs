//! Programs from outside Rust that some tests drive (tmux, Chromium, the OpenSSH client).
//!
//! `cargo test --locked` must pass on a machine with only a Rust toolchain, so a test whose
//! program is missing skips itself and says so on the test run's own output, one line:
//! `skipped: NAME (no tmux on PATH; .ci/run installs it)`. Under CI (`CI` set, as CI sets it)
//! or with `TTX_REQUIRE_TOOLS=1`, a missing program fails the test instead: CI never skips.
//!
//! `TTX_TOOL_TMUX` / `TTX_TOOL_CHROMIUM` name the program to use instead of looking it up on
//! `PATH` (a path or a name); the tests of this helper point them at programs that do not
//! exist.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A program some tests need.
#[derive(Clone, Copy, Debug)]
pub enum Tool {
    Tmux,
    Chromium,
    /// The OpenSSH client.
    Ssh,
}

impl Tool {
    /// The names the program goes by on `PATH`, in the order they are tried.
    fn names(self) -> &'static [&'static str] {
        match self {
            Tool::Tmux => &["tmux"],
            Tool::Chromium => &["chromium", "chromium-browser"],
            Tool::Ssh => &["ssh"],
        }
    }

    /// The environment variable that overrides the look-up.
    pub fn override_var(self) -> &'static str {
        match self {
            Tool::Tmux => "TTX_TOOL_TMUX",
            Tool::Chromium => "TTX_TOOL_CHROMIUM",
            Tool::Ssh => "TTX_TOOL_SSH",
        }
    }

    fn package(self) -> &'static str {
        match self {
            Tool::Tmux => "tmux",
            Tool::Chromium => "chromium",
            Tool::Ssh => "openssh-client",
        }
    }
}

/// Whether a missing program must fail the test: under CI, or when asked for.
pub fn strict() -> bool {
    let set = |name: &str| {
        std::env::var(name)
            .is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
    };
    set("CI") || set("TTX_REQUIRE_TOOLS")
}

fn executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// `name` as a path to an executable: itself when it names a path, else the first match on
/// `PATH`.
fn resolve(name: &str) -> Option<PathBuf> {
    if name.contains('/') {
        let p = PathBuf::from(name);
        return executable(&p).then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| executable(p))
}

/// Where the program is, if it is there.
pub fn find(tool: Tool) -> Option<PathBuf> {
    match std::env::var(tool.override_var()) {
        Ok(name) if !name.is_empty() => resolve(&name),
        _ => tool.names().iter().find_map(|n| resolve(n)),
    }
}

/// The program for the test `test`, or `None` after printing the skip line when it is
/// missing; under [`strict`] a missing program panics (the test fails).
///
/// The skip line is written to the process's standard error directly, not through the test
/// harness's captured `eprintln!`, so that a normal `cargo test` run shows it.
pub fn require(tool: Tool, test: &str) -> Option<PathBuf> {
    if let Some(p) = find(tool) {
        return Some(p);
    }
    let why = format!(
        "no {} on PATH; .ci/run installs it: apt-get install {}",
        tool.names()[0],
        tool.package()
    );
    assert!(
        !strict(),
        "{test} needs {} ({why}); CI and TTX_REQUIRE_TOOLS=1 never skip it",
        tool.names()[0]
    );
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "skipped: {test} ({why})");
    None
}

/// Runs the test `test` of the current test binary again in a child process, with `tool`
/// pointed at a program that does not exist, once as on a developer's machine and once as
/// under CI, and checks that the first skips with its line and the second fails.
pub fn check_missing_tool_paths(tool: Tool, test: &str) {
    let exe = std::env::current_exe().expect("the test binary");
    let run = |strict: bool| {
        let mut cmd = std::process::Command::new(&exe);
        cmd.args([test, "--exact", "--test-threads=1"])
            .env(tool.override_var(), "/nonexistent/ttx-test/no-such-program")
            .env_remove("CI")
            .env_remove("TTX_REQUIRE_TOOLS");
        if strict {
            cmd.env("CI", "true");
        }
        let out = cmd.output().expect("the test binary runs");
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let name = tool.names()[0];
    let (ok, stdout, stderr) = run(false);
    assert!(
        ok,
        "without {name} the test skips and passes:\n{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains(&format!("skipped: {test} (no {name} on PATH;")),
        "the skip is named on the run's output:\n{stderr}"
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
    let (ok, stdout, stderr) = run(true);
    assert!(!ok, "under CI a missing {name} fails:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("{test} needs {name}")),
        "the failure says what is missing:\n{stdout}\n{stderr}"
    );
    assert!(!stderr.contains("skipped:"), "{stderr}");
}

/// Runs headless Chromium with `args`, its profile in `dir`, nothing fetched from outside.
pub fn headless_chromium(chromium: &Path, dir: &Path, args: &[String]) -> std::process::Output {
    std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .args(args)
        .output()
        .expect("chromium runs")
}
