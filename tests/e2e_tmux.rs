//! End-to-end tests of the real binary in a real terminal (tmux): a whole exercise played
//! through the keyboard, and the terminal given back in cooked mode after SIGTERM.
//! These poll the screen for text with a deadline; they never assert on timing.
//! Without tmux each test says it skipped (see `common::tools`); under CI it fails instead
//! (`.ci/run` installs tmux).
// Polling a real terminal for a condition needs the wall clock, for the deadline only.
#![allow(clippy::disallowed_methods)]

mod common;

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use common::tools::{self, Tool};

struct Tmux {
    program: PathBuf,
    socket: String,
}

impl Tmux {
    fn new(program: &std::path::Path, name: &str, width: u16, height: u16, command: &str) -> Tmux {
        let socket = format!("ttx-e2e-{name}-{}", std::process::id());
        let t = Tmux {
            program: program.to_owned(),
            socket,
        };
        let ok = t
            .cmd(&[
                "new-session",
                "-d",
                "-s",
                "t",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                command,
            ])
            .status
            .success();
        assert!(ok, "tmux new-session failed");
        t
    }

    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new(&self.program)
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env("TERM", "xterm-256color")
            .output()
            .expect("tmux runs")
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.cmd(&["send-keys", "-t", "t", k]);
        }
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// Waits (up to a generous deadline) until the screen shows `text`.
    fn wait_for(&self, text: &str) -> String {
        self.wait_until(|s| s.contains(text), &format!("{text:?}"))
    }

    /// Turn mode: presses `n` (at most twelve times, a moment apart) until the screen
    /// shows `text`.
    fn next_until(&self, text: &str) -> String {
        for _ in 0..12 {
            if self.screen().contains(text) {
                break;
            }
            self.keys(&["n"]);
            std::thread::sleep(Duration::from_millis(300));
        }
        self.wait_for(text)
    }

    /// Waits (up to a generous deadline) until the screen no longer shows `text`.
    fn wait_until_gone(&self, text: &str) {
        self.wait_until(|s| !s.contains(text), &format!("{text:?} to go"));
    }

    /// Waits (20 s at most, in steps of 50 ms) until `ok` holds for the screen.
    fn wait_until(&self, ok: impl Fn(&str) -> bool, what: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; the screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

fn ttx() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_ttx"))
}

#[test]
fn play_the_dropper_to_an_ending_through_the_keyboard() {
    let Some(tmux) = tools::require(
        Tool::Tmux,
        "play_the_dropper_to_an_ending_through_the_keyboard",
    ) else {
        return;
    };
    let cmd = format!(
        "{} play dropper-0330 --seed 7 --theme high-contrast --no-journal",
        ttx().display()
    );
    let t = Tmux::new(&tmux, "play", 100, 30, &cmd);
    t.wait_for("Set up the exercise");
    t.wait_for(" 7  (Enter to type one");
    // Solo: the analyst is played here and bots play the customer (the default); turn
    // mode so the clock waits for the player. From "Start" up to the pacing row.
    t.wait_for("bot: deferrer");
    t.keys(&[
        "Up", "Up", "Up", "Up", "Up", "Enter", "Enter", "Enter", "Enter",
    ]);
    t.wait_for("turn mode: players advance");
    t.keys(&["Down", "Down", "Down", "Down", "Down", "Enter"]);
    t.wait_for("Your briefing");
    t.wait_for("Your authority");
    t.keys(&["Enter"]);
    t.wait_for("NightWatch EDR");
    t.wait_for("Triage the alert");
    // Triage (8 minutes), then let time run to the runbook.
    t.keys(&["Tab", "Enter"]);
    t.wait_for("until Sat 03:38");
    t.keys(&["n"]);
    t.wait_for("NightWatch customer runbook");
    // The playbook pre-approves isolation: find it in the actions and take it.
    // The selection is still on "Triage the alert"; the isolation is six rows further down,
    // and the playbook pre-approves it.
    for _ in 0..6 {
        t.keys(&["Down"]);
    }
    t.wait_for("▸ Network-isolate FIN-WS-042");
    t.wait_for("pre-approved · 2 min");
    t.keys(&["Enter"]);
    t.keys(&["n"]);
    // Contained: the story runs on for its epilogue, then ends with that ending.
    t.wait_for("EPILOGUE The story runs on to");
    t.wait_for("epilogue to Sat 04:10");
    t.next_until("GOOD OUTCOME");
    t.wait_for("Contained at the dropper stage");
    t.keys(&["Enter"]);
    t.wait_for("END");
    t.keys(&["q"]);
}

#[test]
fn sigterm_gives_the_terminal_back_in_cooked_mode() {
    let Some(tmux) = tools::require(Tool::Tmux, "sigterm_gives_the_terminal_back_in_cooked_mode")
    else {
        return;
    };
    let out = std::env::temp_dir().join(format!("ttx-stty-{}", std::process::id()));
    let _ = std::fs::remove_file(&out);
    let cmd = format!(
        "sh -c '{} play dropper-0330 --seed 1 --no-journal; stty -a > {}; sleep 30'",
        ttx().display(),
        out.display()
    );
    let t = Tmux::new(&tmux, "sigterm", 100, 30, &cmd);
    t.wait_for("Set up the exercise");
    t.keys(&["Enter"]);
    t.wait_for("Your briefing");
    t.keys(&["Enter"]);
    t.wait_for("Triage the alert");
    let pid = Command::new("pgrep")
        .args(["-n", "-f", "ttx play dropper-0330 --seed 1"])
        .output()
        .expect("pgrep");
    let pid = String::from_utf8_lossy(&pid.stdout).trim().to_owned();
    assert!(!pid.is_empty(), "ttx is running");
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill")
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let stty = loop {
        if let Ok(s) = std::fs::read_to_string(&out)
            && !s.is_empty()
        {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "the shell never got its terminal back:\n{}",
            t.screen()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = std::fs::remove_file(&out);
    assert!(stty.contains(" icanon"), "not in canonical mode: {stty}");
    assert!(stty.contains(" echo"), "echo is off: {stty}");
    let screen = t.screen();
    assert!(
        !screen.contains("Triage the alert"),
        "the alternate screen was not left:\n{screen}"
    );
}

#[test]
fn closing_the_terminal_ends_the_game_instead_of_spinning() {
    let Some(tmux) = tools::require(
        Tool::Tmux,
        "closing_the_terminal_ends_the_game_instead_of_spinning",
    ) else {
        return;
    };
    // The window closes under a running game (tmux killed: SIGHUP on a hung-up terminal).
    let marker = format!("--seed 424242{}", std::process::id() % 1000);
    let cmd = format!(
        "{} play dropper-0330 {marker} --no-journal",
        ttx().display()
    );
    let t = Tmux::new(&tmux, "hangup", 100, 30, &cmd);
    t.wait_for("Set up the exercise");
    t.keys(&["Enter"]);
    t.wait_for("Your briefing");
    t.keys(&["Enter"]);
    t.wait_for("Triage the alert");
    let alive = || {
        Command::new("pgrep")
            .args([
                "-f",
                &format!("ttx play dropper-0330 {marker} --no-journal"),
            ])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    assert!(alive(), "the game is running");
    drop(t);
    let deadline = Instant::now() + Duration::from_secs(20);
    while alive() {
        assert!(
            Instant::now() < deadline,
            "the game kept running after its terminal closed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn resume_after_the_terminal_was_closed_mid_game() {
    let Some(tmux) = tools::require(Tool::Tmux, "resume_after_the_terminal_was_closed_mid_game")
    else {
        return;
    };
    let data = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("e2e-resume");
    let _ = std::fs::remove_dir_all(&data);
    let d = data.display();
    let cmd = format!(
        "{} play dropper-0330 --seed 7 --theme high-contrast --data-dir {d}",
        ttx().display()
    );
    let t = Tmux::new(&tmux, "resume-a", 100, 30, &cmd);
    t.wait_for("bot: deferrer");
    // Turn mode (so the clock waits), as in the play test; triage, then on to the runbook.
    t.keys(&[
        "Up", "Up", "Up", "Up", "Up", "Enter", "Enter", "Enter", "Enter",
    ]);
    t.wait_for("turn mode: players advance");
    t.keys(&["Down", "Down", "Down", "Down", "Down", "Enter"]);
    t.wait_for("Your briefing");
    t.keys(&["Enter"]);
    t.wait_for("Triage the alert");
    t.keys(&["Tab", "Enter"]);
    t.wait_for("until Sat 03:38");
    t.keys(&["n"]);
    let before = t.wait_for("NightWatch customer runbook");
    let header = before.lines().next().unwrap_or_default().to_owned();
    // " Dropper at 03:30 │ Sat 03:38 (+0:08) │ turn mode │ …": the clock face.
    let clock: String = header
        .split('│')
        .nth(1)
        .and_then(|c| c.split(" (").next())
        .unwrap_or_default()
        .trim()
        .to_owned();
    assert!(clock.starts_with("Sat 03:"), "the game clock: {header}");
    // The terminal is closed mid-game (the pane's process gets SIGHUP).
    drop(t);
    // A finished session since then: `ttx resume` must pass it over for the unfinished one.
    let run = Command::new(ttx())
        .args(["run", "dropper-0330", "--seed", "3", "--data-dir"])
        .arg(&data)
        .output()
        .expect("ttx runs");
    assert!(run.status.success());
    let t = Tmux::new(
        &tmux,
        "resume-b",
        100,
        30,
        // The shell keeps the pane open, so a refusal stays on screen for the failure.
        &format!(
            "sh -c '{} resume --theme high-contrast --data-dir {d}; sleep 30'",
            ttx().display()
        ),
    );
    let after = t.wait_for("Resumed, paused");
    assert!(
        after.lines().next().is_some_and(|l| l.contains(&clock)),
        "the same game time {clock}:\n{after}"
    );
    assert!(after.contains("⏸ paused"), "paused:\n{after}");
    assert!(after.contains(&format!("Left off at {clock}")), "{after}");
    assert!(after.contains("NightWatch customer runbook"), "{after}");
    // It carries on from there.
    t.keys(&["p"]);
    t.wait_for("Carrying on in turn mode");
    t.wait_for("turn mode │");
    t.keys(&["q", "y"]);
    let _ = std::fs::remove_dir_all(&data);
}

/// Without tmux the tests above skip with a line each; under CI they fail.
#[test]
fn a_missing_tmux_skips_here_and_fails_under_ci() {
    tools::check_missing_tool_paths(Tool::Tmux, "sigterm_gives_the_terminal_back_in_cooked_mode");
}

/// The real OpenSSH client joins a hosted session: the facilitator's console runs in one
/// terminal, a participant's `ssh` in another; the participant takes an action and the
/// facilitator's console shows it, and the roster names them.
#[test]
fn a_seat_joined_with_openssh_is_seen_on_the_facilitator_console() {
    let test = "a_seat_joined_with_openssh_is_seen_on_the_facilitator_console";
    let Some(tmux) = tools::require(Tool::Tmux, test) else {
        return;
    };
    let Some(ssh) = tools::require(Tool::Ssh, test) else {
        return;
    };
    let data = std::env::temp_dir().join(format!("ttx-e2e-ssh-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let host_cmd = format!(
        "env TTX_DATA_DIR={} {} host dropper-0330 --seed 7 --turns --listen 127.0.0.1:0; sleep 20",
        data.display(),
        ttx().display()
    );
    let host = Tmux::new(&tmux, "ssh-host", 120, 40, &host_cmd);
    let printed = host.wait_for("Press Enter to open the facilitator's console");
    let line = printed
        .lines()
        .find(|l| l.contains("MSSP SOC analyst") && l.contains("plays"))
        .expect("the analyst's command");
    let command = &line[line.find("ssh -p ").expect("ssh command")..];
    let mut words = command.split_whitespace();
    let (_, _, port, target) = (words.next(), words.next(), words.next(), words.next());
    let (port, target) = (port.expect("port"), target.expect("code@host"));
    assert!(
        printed.contains("Host key fingerprint: SHA256:"),
        "{printed}"
    );
    host.keys(&["Enter"]);
    host.wait_for("Who are you?");
    host.keys(&["Fran", "Enter"]);
    host.wait_for("Lobby");
    let join = format!(
        "{} -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -p {port} {target}",
        ssh.display()
    );
    let seat = Tmux::new(&tmux, "ssh-seat", 100, 30, &join);
    seat.wait_for("Who are you?");
    seat.keys(&["Priya", "Enter"]);
    seat.wait_for("Waiting for the facilitator");
    host.wait_for("Priya");
    host.keys(&["Enter"]);
    for t in [&host, &seat] {
        t.wait_for("Your briefing");
        t.keys(&["Enter"]);
    }
    seat.wait_for("Triage the alert");
    seat.keys(&["Tab", "Enter"]);
    seat.wait_for("until Sat 03:38");
    host.wait_for("MSSP SOC analyst: Triage the alert");
    // The host's own help says its quit key stops hosting.
    host.keys(&["?"]);
    host.wait_for("stop hosting: every seat is disconnected");
    host.keys(&["?"]);
    host.wait_until_gone("The host chose these keys.");
    host.keys(&["w"]);
    host.wait_for("Seats, codes and who is here");
    host.wait_for("Priya");
    // One key at a time: an Escape followed at once by `q` reads as Alt+q.
    host.keys(&["Escape"]);
    host.wait_until_gone("Seats, codes and who is here");
    host.keys(&["q"]);
    host.wait_for("Stop hosting? Every seat is disconnected");
    host.keys(&["y"]);
    host.wait_for("ttx host --resume");
    let _ = std::fs::remove_dir_all(&data);
}

/// Without the OpenSSH client the test above skips with a line; under CI it fails.
#[test]
fn a_missing_ssh_skips_here_and_fails_under_ci() {
    tools::check_missing_tool_paths(
        Tool::Ssh,
        "a_seat_joined_with_openssh_is_seen_on_the_facilitator_console",
    );
}
