//! Live reload: a changed scenario replays the commands given so far from the same seed
//! and says where they diverge (the session layer and `ttx play --watch`'s game); a file
//! that no longer loads changes nothing and says where it is wrong; `ttx check --watch`
//! checks again when a file is saved. Every wait here is bounded.

mod common;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ttx::engine::command::{Command, Issued};
use ttx::engine::ids::{ActionId, Seat};
use ttx::engine::{GameTime, Scenario};
use ttx::journal::record::Pacing;
use ttx::session::rerun::{rerun, summary};
use ttx::session::{Recording, Seating, Session};
use ttx::tui::app::Screen;

fn dropper_text() -> &'static str {
    ttx::scenario::bundled::find("dropper-0330")
        .expect("bundled")
        .text
}

fn load(text: &str) -> Arc<Scenario> {
    ttx::scenario::load_str("w.ron", text)
        .expect("loads")
        .scenario
}

/// The dropper's triage, opened only by a later alert: the analyst's early triage is
/// refused after the change.
fn triage_later(text: &str) -> String {
    let old = "            by: [\"soc_analyst\"],\n            available: Delivered(\"edr_dropper\"),\n            duration: 8,";
    assert!(text.contains(old));
    text.replacen(
        old,
        "            by: [\"soc_analyst\"],\n            available: Delivered(\"edr_hands_on\"),\n            duration: 8,",
        1,
    )
}

fn analyst(action: &str) -> Issued {
    Issued::new(
        Seat::role("soc_analyst"),
        Command::Act {
            action: ActionId::new(action),
        },
    )
}

fn played(sc: &Arc<Scenario>) -> Session {
    let ex = ttx::engine::Exercise::start(Arc::clone(sc), 12);
    let seating = Seating::headless(sc, &[], |s| *s == Seat::role("soc_analyst"));
    let mut s = Session::new(ex, seating, Pacing::TURNS, Recording::Off);
    s.keep_given = true;
    for issued in [
        Issued::facilitator(Command::AdvanceTo { at: GameTime(5) }),
        analyst("triage"),
        Issued::facilitator(Command::AdvanceTo { at: GameTime(20) }),
        analyst("raise_ticket"),
        Issued::facilitator(Command::AdvanceTo { at: GameTime(30) }),
    ] {
        s.apply(&issued).expect("unrecorded");
    }
    s
}

#[test]
fn the_same_file_replays_exactly_and_a_change_says_where_it_diverges() {
    let sc = load(dropper_text());
    let old = played(&sc);
    assert_eq!(old.given.len(), 5);
    let same = rerun(Arc::clone(&sc), &old);
    assert!(same.diverged.is_none());
    assert_eq!(same.replayed, 5);
    assert_eq!(same.session.ex.events(), old.ex.events());
    assert_eq!(
        summary(&sc, &same),
        "Reloaded; the 5 commands so far replay as before."
    );

    let changed = load(&triage_later(dropper_text()));
    let r = rerun(Arc::clone(&changed), &old);
    let d = r.diverged.as_ref().expect("diverges");
    assert_eq!(d.index, 1, "the triage, the second command");
    assert_eq!(d.at, GameTime(5));
    assert_eq!(d.refusal, Some(ttx::engine::event::Rejection::NotAvailable));
    let said = summary(&changed, &r);
    assert!(
        said.starts_with(
            "Reloaded; diverges at Sat 03:35: “Triage the alert” (MSSP SOC analyst) is refused now"
        ),
        "{said}"
    );
    // The replayed session goes on: same seed, same seats, at the same time.
    assert_eq!(r.session.ex.now(), old.ex.now());
    assert_eq!(r.session.ex.state().seed, 12);
    assert_eq!(r.session.seating.roles, old.seating.roles);
}

fn key(app: &mut ttx::tui::app::App, k: KeyCode) {
    app.key(KeyEvent::new(k, KeyModifiers::NONE), &mut || 7);
}

#[test]
fn the_watched_game_reloads_and_a_broken_file_changes_nothing() {
    let mut app = common::app();
    app.watch = Some((0, "w.ron".into()));
    key(&mut app, KeyCode::Enter); // set-up
    key(&mut app, KeyCode::Enter); // start
    key(&mut app, KeyCode::Enter); // close the first briefing
    let Screen::Game(g) = &mut app.screen else {
        panic!("a game")
    };
    g.apply(&Issued::facilitator(Command::AdvanceTo { at: GameTime(5) }));
    g.apply(&analyst("triage"));
    let before = g.session.given.len();
    let events = g.session.ex.events().len();

    // A file that does not load: nothing changes, the status line says where.
    let broken = dropper_text().replacen("duration: 8,", "duration: 8.5,", 1);
    app.reload(0, "w.ron", &broken);
    let Screen::Game(g) = &app.screen else {
        panic!("a game")
    };
    let status = g.console.status.clone().unwrap_or_default();
    assert!(
        status.starts_with("The saved file does not load"),
        "{status}"
    );
    assert!(status.contains("w.ron:"), "{status}");
    assert_eq!(g.session.ex.events().len(), events);

    // A change: replayed, and the status line says where it diverged.
    app.reload(0, "w.ron", &triage_later(dropper_text()));
    let Screen::Game(g) = &app.screen else {
        panic!("a game")
    };
    let status = g.console.status.clone().unwrap_or_default();
    assert!(
        status.contains("“Triage the alert” (MSSP SOC analyst) is refused now"),
        "{status}"
    );
    assert!(g.session.given.len() >= before);
    let triage = g
        .session
        .ex
        .scenario()
        .action_index("triage")
        .expect("triage");
    assert_eq!(
        g.session.ex.state().actions[triage].first_taken,
        None,
        "the refused triage is not taken"
    );
    assert!(
        matches!(g.session.recording, Recording::Off),
        "a watched game is unrecorded"
    );
}

#[test]
fn check_watch_checks_again_when_the_file_is_saved() {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::time::Duration;
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("check-watch");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("w.ron");
    std::fs::write(&file, dropper_text()).expect("write");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args(["check", "--watch", file.to_str().expect("utf-8")])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("ttx runs");
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().expect("stdout");
    let err = child.stderr.take().expect("stderr");
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        for l in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(l);
        }
    });
    std::thread::spawn(move || {
        for l in BufReader::new(err).lines().map_while(Result::ok) {
            let _ = tx2.send(l);
        }
    });
    let wait_for = |what: &str| {
        for _ in 0..200 {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(l) if l.contains(what) => return true,
                _ => {}
            }
        }
        false
    };
    let first = wait_for("ok:");
    // The new text is longer, so the change is seen whatever the file system's time
    // resolution (the watcher compares the modification time and the length).
    std::fs::write(
        &file,
        dropper_text().replacen("duration: 8,", "duration: 8.5,", 1),
    )
    .expect("write");
    let changed = wait_for("changed: checking again");
    let error = wait_for("is a decimal number");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "the first check");
    assert!(changed, "the change noticed");
    assert!(error, "the new error reported");
}
