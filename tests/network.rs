//! Networked seats: a host on a loopback port, participants joined over SSH with their
//! codes, played to an ending. Every loop here is bounded in count and time, and every
//! connection goes to 127.0.0.1 only.
// Deadlines need the wall clock.
#![allow(clippy::disallowed_methods)]

mod common;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use common::ssh::Terminal;
use common::tags::{allowed, tag_scenario, tags_in};
use ttx::engine::ids::Seat;
use ttx::engine::model::RoleIx;
use ttx::journal::record::Pacing;
use ttx::net::codes::{Access, Passes, os_fill};
use ttx::net::gate::Limits;
use ttx::net::host::{Host, Plan, RolePlan, ToHost};
use ttx::net::{hostkey, listen};
use ttx::session::Sitter;
use ttx::tui::Entry;
use ttx::tui::config::KeyMap;

/// A host running on its own thread, on a loopback port.
struct Hosted {
    addr: SocketAddr,
    passes: Arc<Mutex<Passes>>,
    to_host: std::sync::mpsc::SyncSender<ToHost>,
    thread: Option<std::thread::JoinHandle<Option<PathBuf>>>,
}

impl Hosted {
    fn start(entry: Entry, data: &Path, turns: bool) -> Hosted {
        let sc = Arc::clone(&entry.scenario);
        let plan = Plan {
            entry,
            seed: 7,
            pacing: Pacing {
                turn_mode: turns,
                pace: 1,
            },
            roles: RoleIx::all(sc.roles.len())
                .map(|r| RolePlan::Open(Sitter::Bot(sc.default_bot(r))))
                .collect(),
            journal_dir: Some(data.join("sessions")),
            name: "Loopback".into(),
            join: None,
        };
        let passes = Arc::new(Mutex::new(Passes::issue(
            &plan.play_seats(),
            &plan.watch_seats(),
            &mut os_fill,
        )));
        let key = hostkey::load_or_make(data, &mut os_fill).expect("host key");
        let l = listen(
            "127.0.0.1:0".parse().expect("address"),
            key,
            Arc::clone(&passes),
            Limits::default(),
        )
        .expect("listens");
        let p = Arc::clone(&passes);
        let inbox = l.inbox;
        let thread = std::thread::spawn(move || {
            let mut host = Host::new(plan, p, KeyMap::default_map());
            host.run(&inbox);
            host.session().and_then(|s| match &s.recording {
                ttx::session::Recording::On(w) => Some(w.path().to_owned()),
                _ => None,
            })
        });
        Hosted {
            addr: l.addr,
            passes,
            to_host: l.to_host,
            thread: Some(thread),
        }
    }

    fn code(&self, seat: &Seat, access: Access) -> String {
        let p = self.passes.lock().expect("codes");
        p.live()
            .find(|(_, x)| x.seat == *seat && x.access == access)
            .map(|(_, x)| x.code.clone())
            .expect("a code for the seat")
    }

    /// Stops the host (waiting at most 20 s for it); the journal's path.
    fn stop(mut self) -> Option<PathBuf> {
        let t = self.thread.take()?;
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        let mut told = false;
        while !t.is_finished() {
            told = told
                || !matches!(
                    self.to_host.try_send(ToHost::Stop),
                    Err(std::sync::mpsc::TrySendError::Full(_))
                );
            assert!(
                std::time::Instant::now() < deadline,
                "the host stops within 20 s"
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        t.join().ok().flatten()
    }
}

/// Runs a test's body on a one-thread runtime, failing it if it is not done within two
/// minutes: no network test waits for ever, whatever a peer does.
fn within(body: impl std::future::Future<Output = ()>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async {
        tokio::time::timeout(std::time::Duration::from_secs(120), body)
            .await
            .expect("the test finished within two minutes");
    });
}

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ttx-net-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

const DOWN: &[u8] = b"\x1b[B";

/// Three people (the analyst, the on-call manager, the facilitator) and an observer of the
/// analyst play the dropper to its good ending over SSH. The journal holds every command
/// with who gave it; no role's terminal ever showed another audience's text; the report
/// names who acted.
#[test]
fn three_seats_play_the_dropper_to_an_ending_over_ssh() {
    within(async {
        let data = temp("three");
        let sc = Arc::new(tag_scenario(&common::scenario("dropper-0330.ron")));
        let entry = Entry {
            source: "bundled".into(),
            scenario: Arc::clone(&sc),
        };
        let host = Hosted::start(entry, &data, true);
        let analyst = Seat::role("soc_analyst");
        let manager = Seat::role("oncall_manager");
        let fac = Terminal::join(
            host.addr,
            &host.code(&Seat::Facilitator, Access::Play),
            120,
            40,
        )
        .await
        .expect("facilitator joins");
        let a = Terminal::join(host.addr, &host.code(&analyst, Access::Play), 100, 30)
            .await
            .expect("analyst joins");
        let m = Terminal::join(host.addr, &host.code(&manager, Access::Play), 80, 24)
            .await
            .expect("manager joins");
        let watcher = Terminal::join(host.addr, &host.code(&analyst, Access::Watch), 100, 30)
            .await
            .expect("observer joins");
        for (t, name) in [
            (&fac, "Fran"),
            (&a, "Priya"),
            (&m, "Dave"),
            (&watcher, "Olive"),
        ] {
            t.wait_for("Who are you?").await.expect("asked for a name");
            t.send(name.as_bytes()).await;
            t.send(b"\r").await;
        }
        fac.wait_for("Priya")
            .await
            .expect("the lobby names the analyst");
        fac.wait_for("Dave")
            .await
            .expect("the lobby names the manager");
        a.wait_for("Waiting for the facilitator")
            .await
            .expect("lobby");
        fac.send(b"\r").await;
        for t in [&fac, &a, &m, &watcher] {
            t.past_briefing().await.expect("briefed");
        }
        a.wait_for("Triage the alert")
            .await
            .expect("the game starts");
        // The observer sees the analyst's screen and cannot act.
        watcher
            .wait_for("Triage the alert")
            .await
            .expect("observer's screen");
        watcher.send(b"\t\r").await;
        watcher
            .wait_for("You are observing")
            .await
            .expect("refused");
        // Leaving a joined seat says what it does (the session goes on), and `n` stays.
        watcher.send(b"q").await;
        let asked = watcher
            .wait_for("Leave the session? It goes on without you")
            .await
            .expect("the question a participant is asked");
        assert!(!asked.contains("ttx resume"), "{asked}");
        watcher.send(b"n").await;
        // Triage (8 minutes), then the facilitator lets time run to the runbook.
        a.send(b"\t\r").await;
        a.wait_for("until Sat 03:38")
            .await
            .expect("triage under way");
        fac.wait_for("Triage the alert")
            .await
            .expect("the facilitator sees it");
        fac.send(b"n").await;
        a.wait_for("qzxi1zq NightWatch customer")
            .await
            .expect("runbook");
        for _ in 0..6 {
            a.send(DOWN).await;
        }
        a.wait_for("▸ Network-isolate FIN-WS-042")
            .await
            .expect("isolation picked");
        a.send(b"\r").await;
        fac.send(b"n").await;
        // Contained: the story runs on for its epilogue; the facilitator moves time on to
        // its end (at most twelve presses).
        a.wait_for("EPILOGUE The story runs on to")
            .await
            .expect("the epilogue");
        fac.press_until(b"n", "GOOD OUTCOME").await;
        for t in [&fac, &a, &m, &watcher] {
            t.wait_for("GOOD OUTCOME")
                .await
                .expect("the ending, on every screen");
        }
        let path = host.stop().expect("the session was journaled");

        // Every command is in the journal, with who gave it; folded, it ends the same way.
        let bytes = std::fs::read(&path).expect("journal");
        let j = ttx::journal::decode::decode(&bytes).expect("journal decodes");
        let by_priya: Vec<_> = j
            .records
            .iter()
            .filter(|r| r.who.as_deref() == Some("Priya"))
            .collect();
        assert_eq!(by_priya.len(), 2, "triage and isolation: {:?}", j.records);
        assert!(by_priya.iter().all(|r| r.by == analyst));
        assert!(
            j.records
                .iter()
                .filter(|r| r.who.as_deref() == Some("Fran"))
                .count()
                >= 2
        );
        assert!(j.records.iter().all(|r| r.who.as_deref() != Some("Olive")));
        let folded = ttx::journal::fold::fold_records(Arc::clone(&sc), &j.header, &j.records, true)
            .expect("folds");
        let ex = folded.ex;
        assert!(ex.is_over());
        assert_eq!(
            common::ending(&ex).as_deref(),
            Some("contained_early"),
            "the journal tells the same story"
        );

        // No role's terminal showed another audience's text, in any state it passed through.
        no_other_audience(
            &sc,
            &ex,
            &[
                (&a, "soc_analyst"),
                (&watcher, "soc_analyst"),
                (&m, "oncall_manager"),
            ],
        );

        // The report names who acted.
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
            .args(["report", &path.display().to_string(), "--force"])
            .env("TTX_DATA_DIR", &data)
            .output()
            .expect("ttx report runs");
        let md = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(md.contains("### Participants"), "{md}");
        assert!(md.contains("| Priya | MSSP SOC analyst | 2 |"), "{md}");
        assert!(md.contains("| Fran | Facilitator |"), "{md}");
        let _ = std::fs::remove_dir_all(&data);
    });
}

/// No terminal showed text tagged for an audience its role is not in, in any state it
/// passed through; and tags were there to check.
fn no_other_audience(
    sc: &ttx::engine::model::Scenario,
    ex: &ttx::engine::exercise::Exercise,
    terminals: &[(&Terminal, &str)],
) {
    let mut checked = 0;
    for (t, role) in terminals {
        let r = sc.role_index(role).expect("role");
        let ok = allowed(sc, ex.events(), r);
        let seen = t.seen.lock().expect("seen");
        assert!(seen.every.len() > 5, "{role} saw frames");
        for screen in &seen.every {
            for tag in tags_in(screen) {
                assert!(
                    ok.contains(&tag),
                    "{role}'s terminal showed {tag}:\n{screen}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "tags were on the screens ({checked})");
}

/// A host with the facilitator and the analyst in and play started, for the hostile
/// tests: they attack it, then check that the honest seats still play and the journal is
/// whole.
struct Honest {
    host: Hosted,
    fac: Terminal,
    analyst: Terminal,
    data: PathBuf,
}

impl Honest {
    async fn start(name: &str) -> Honest {
        let data = temp(name);
        let entry = Entry {
            source: "bundled".into(),
            scenario: common::scenario("dropper-0330.ron"),
        };
        let host = Hosted::start(entry, &data, true);
        let fac = Terminal::join(
            host.addr,
            &host.code(&Seat::Facilitator, Access::Play),
            120,
            40,
        )
        .await
        .expect("facilitator joins");
        let analyst = Terminal::join(
            host.addr,
            &host.code(&Seat::role("soc_analyst"), Access::Play),
            100,
            30,
        )
        .await
        .expect("analyst joins");
        for t in [&fac, &analyst] {
            t.wait_for("Who are you?").await.expect("name");
            t.send(b"Honest\r").await;
        }
        fac.send(b"\r").await;
        for t in [&fac, &analyst] {
            t.past_briefing().await.expect("briefed");
        }
        analyst.wait_for("Triage the alert").await.expect("started");
        Honest {
            host,
            fac,
            analyst,
            data,
        }
    }

    /// The analyst acts, the facilitator sees it, the host stops and its journal decodes
    /// with the command in it.
    async fn still_plays(self) {
        self.analyst.send(b"\t\r").await;
        self.analyst
            .wait_for("until Sat 03:38")
            .await
            .expect("the analyst still plays");
        self.fac
            .wait_for("MSSP SOC analyst: Triage the alert")
            .await
            .expect("the facilitator still sees it");
        let path = self.host.stop().expect("journaled");
        let j = ttx::journal::decode::decode(&std::fs::read(&path).expect("journal"))
            .expect("the journal is whole");
        assert!(j.torn.is_none());
        assert_eq!(
            j.header.name.as_deref(),
            Some("Loopback"),
            "the session's name"
        );
        assert!(
            j.records
                .iter()
                .any(|r| r.by == Seat::role("soc_analyst") && r.who.as_deref() == Some("Honest"))
        );
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// Wrong codes never open a seat, and after five an address must wait, even with a right
/// code; another address is not affected.
#[test]
fn wrong_codes_are_refused_and_rate_limited_per_address() {
    within(async {
        let h = Honest::start("wrong").await;
        let addr = h.host.addr;
        let right = h.host.code(&Seat::role("oncall_manager"), Access::Play);
        let mut refused = 0;
        for guess in [
            "AAAA-AAAA-AAAA",
            "root",
            "",
            "0000-0000-0000",
            "ZZZZ-ZZZZ-ZZZZ",
        ] {
            if common::ssh::connect_from([127, 0, 0, 9], addr, guess)
                .await
                .is_err()
            {
                refused += 1;
            }
        }
        assert_eq!(refused, 5, "no wrong code opens a seat");
        assert!(
            common::ssh::connect_from([127, 0, 0, 9], addr, &right)
                .await
                .is_err(),
            "a right code is refused while the address cools off"
        );
        assert!(
            common::ssh::connect_from([127, 0, 0, 10], addr, &right)
                .await
                .is_ok(),
            "another address is not affected"
        );
        h.still_plays().await;
    });
}

/// Only a terminal and a shell are granted: exec, subsystems, forwarding, the agent and X11
/// are refused, and a second session on one connection too.
#[test]
fn only_a_terminal_and_a_shell_are_granted() {
    within(async {
        let h = Honest::start("grants").await;
        let code = h.host.code(&Seat::role("oncall_manager"), Access::Play);
        let c = common::ssh::connect(h.host.addr, &code)
            .await
            .expect("joins");
        let mut ch = c.channel_open_session().await.expect("a session");
        let refused = |m: Option<russh::ChannelMsg>| matches!(m, Some(russh::ChannelMsg::Failure));
        ch.exec(true, "cat /etc/passwd").await.expect("asked");
        assert!(refused(ch.wait().await), "exec refused");
        ch.request_subsystem(true, "sftp").await.expect("asked");
        assert!(refused(ch.wait().await), "subsystem refused");
        ch.request_x11(true, false, "MIT-MAGIC-COOKIE-1", "00", 0)
            .await
            .expect("asked");
        assert!(refused(ch.wait().await), "x11 refused");
        ch.agent_forward(true).await.expect("asked");
        assert!(refused(ch.wait().await), "agent refused");
        assert!(
            c.tcpip_forward("127.0.0.1", 0).await.is_err(),
            "remote forwarding refused"
        );
        assert!(
            c.channel_open_direct_tcpip("127.0.0.1", 22, "127.0.0.1", 4000)
                .await
                .is_err(),
            "local forwarding refused"
        );
        assert!(
            c.channel_open_session().await.is_err(),
            "one session per connection"
        );
        h.still_plays().await;
    });
}

/// Garbage and floods of bytes, absurd window sizes and a connection dropped mid-frame do
/// not stop the host or cost the honest seats anything.
#[test]
fn garbage_sizes_and_drops_do_not_hurt_the_honest_seats() {
    within(async {
        let h = Honest::start("garbage").await;
        let code = h.host.code(&Seat::role("oncall_manager"), Access::Play);
        // A terminal of 0×0, then 65535×65535.
        let t = Terminal::join(h.host.addr, &code, 0, 0)
            .await
            .expect("joins");
        t.send(b"Mallory\r").await;
        let _ = t.writer.window_change(65535, 65535, 0, 0).await;
        let _ = t.writer.window_change(0, 0, 0, 0).await;
        let _ = t.writer.window_change(80, 24, 0, 0).await;
        // Garbage: every byte value, broken escapes, a megabyte in 32 KiB pieces.
        let mut junk: Vec<u8> = (0..=255u8).collect();
        junk.extend_from_slice(b"\x1b[99999999999999999;;;;;;;;;;x\x1b[\x1bO\xff\xfe\xc0");
        // Noise may well hold the key that leaves; after that nothing more is taken.
        let mut open = t.send(&junk).await;
        let mut seed = 0x9e37_79b9_u32;
        for _ in 0..32 {
            if !open || t.closed() {
                break;
            }
            let piece: Vec<u8> = (0..32_768)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed.to_le_bytes()[0]
                })
                .collect();
            open = t.send(&piece).await;
        }
        // Gone without a goodbye, mid-frame.
        drop(t);
        h.still_plays().await;
    });
}

/// A joined seat's help lists its own keys (colour, redraw; the roster for the
/// facilitator), leaves out the hot-seat key, and fits at 80×24.
#[test]
fn a_joined_seat_has_its_own_help() {
    within(async {
        let h = Honest::start("help").await;
        let code = h.host.code(&Seat::role("oncall_manager"), Access::Play);
        let m = Terminal::join(h.host.addr, &code, 80, 24)
            .await
            .expect("joins");
        m.wait_for("Who are you?").await.expect("name");
        m.send(b"Dave\r").await;
        m.past_briefing().await.expect("briefed");
        m.wait_for("What you can see").await.expect("in play");
        m.send(b"?").await;
        let help = m
            .wait_for("The host chose these keys.")
            .await
            .expect("the whole help at 80x24");
        assert!(help.contains("colour on or off"), "{help}");
        assert!(help.contains("draw the whole screen again"), "{help}");
        assert!(help.contains("leave the session"), "{help}");
        assert!(!help.contains("stop hosting"), "{help}");
        assert!(!help.contains("who is here"), "{help}");
        assert!(!help.contains("hot seat"), "{help}");
        assert!(!help.contains("--keys"), "{help}");
        assert!(help.contains("your seat's briefing card"), "{help}");
        m.send(b"?").await;
        // The briefing comes back on its key, and someone who reconnects is not shown it
        // again by itself.
        m.send(b"b").await;
        let card = m.wait_for("Briefing (Enter closes)").await.expect("on b");
        assert!(card.contains("Your brief"), "{card}");
        drop(m);
        let m = Terminal::join(h.host.addr, &code, 80, 24)
            .await
            .expect("joins again");
        m.wait_for("Who are you?").await.expect("name");
        m.send(b"Dave\r").await;
        let back = m
            .wait_for("What you can see")
            .await
            .expect("straight back in");
        assert!(!back.contains("Your briefing"), "{back}");
        m.send(b"?").await;
        m.wait_for("The host chose these keys.")
            .await
            .expect("help");
        h.fac.send(b"?").await;
        h.fac
            .wait_for("facilitator: the seats, their codes and who is here")
            .await
            .expect("the facilitator's help has the roster");
        h.fac.send(b"?").await;
        h.fac
            .wait_until(|s| !s.contains("The host chose"), "the help closed")
            .await
            .expect("closed");
        h.still_plays().await;
    });
}

/// Twenty-four more terminals (enough for the host to share the drawing among threads):
/// every one shows the game, and the facilitator's pause reaches all of them.
#[test]
fn a_full_room_is_drawn_on_every_terminal() {
    within(async {
        let h = Honest::start("room").await;
        let mut room = Vec::new();
        for (seat, access) in [
            (Seat::role("oncall_manager"), Access::Play),
            (Seat::role("soc_analyst"), Access::Watch),
        ] {
            let code = h.host.code(&seat, access);
            for _ in 0..12 {
                room.push(
                    Terminal::join(h.host.addr, &code, 80, 24)
                        .await
                        .expect("joins"),
                );
            }
        }
        for (i, t) in room.iter().enumerate() {
            t.wait_for("Who are you?").await.expect("asked");
            t.send(format!("P{i}\r").as_bytes()).await;
        }
        for t in &room {
            t.past_briefing().await.expect("briefed");
            t.wait_for("turn mode").await.expect("in play");
        }
        h.fac.send(b"p").await;
        for t in room.iter().chain([&h.analyst]) {
            t.wait_for("⏸ paused")
                .await
                .expect("the pause on every screen");
        }
        h.fac.send(b"p").await;
        for t in &room {
            t.wait_for("turn mode")
                .await
                .expect("resumed on every screen");
        }
        h.still_plays().await;
    });
}

/// Terminals in the same state are drawn once and the frame's bytes sent to all of them; a
/// terminal that leaves the group and comes back, or was last shown another's frame, still
/// shows exactly what drawing its whole screen again (Ctrl-L) shows.
#[test]
fn terminals_that_show_the_same_share_one_frame_truly() {
    const UP: &[u8] = b"\x1b[A";
    const FAC: usize = usize::MAX;
    within(async {
        let h = Honest::start("shared").await;
        let code = h.host.code(&Seat::role("soc_analyst"), Access::Watch);
        let mut room = Vec::new();
        for i in 0..3 {
            let t = Terminal::join(h.host.addr, &code, 80, 24)
                .await
                .expect("joins");
            t.wait_for("Who are you?").await.expect("asked");
            t.send(format!("W{i}\r").as_bytes()).await;
            t.past_briefing().await.expect("briefed");
            room.push(t);
        }
        let steps: [(usize, &[u8]); 10] = [
            (FAC, b"p"),
            (0, DOWN),
            (FAC, b"p"),
            (0, UP),
            (FAC, b"p"),
            (1, DOWN),
            (2, DOWN),
            (FAC, b"p"),
            (1, UP),
            (FAC, b"p"),
        ];
        // Whole redraws (Ctrl-L) start each terminal afresh: they come after five steps
        // each, so that the steps between find the terminals drawn together.
        for (n, (who, key)) in steps.into_iter().enumerate() {
            // The pause key changes every screen; an observer's arrow key only its own.
            let changed: Vec<&Terminal> = if who == FAC {
                room.iter().collect()
            } else {
                vec![&room[who]]
            };
            let since: Vec<usize> = changed.iter().map(|t| t.bytes()).collect();
            let t = if who == FAC { &h.fac } else { &room[who] };
            t.send(key).await;
            for (t, since) in changed.iter().zip(since) {
                t.drawn_after(since).await.expect("the screen changed");
            }
            if n % 5 != 4 {
                continue;
            }
            for (i, t) in room.iter().enumerate() {
                let (before, text) = (t.formatted(), t.screen());
                let since = t.bytes();
                t.send(b"\x0c").await;
                t.drawn_after(since).await.expect("drawn whole again");
                assert!(
                    before == t.formatted(),
                    "terminal {i} showed another screen than its own after step {n}:\n{text}\nand drawn whole:\n{}",
                    t.screen()
                );
            }
        }
        h.still_plays().await;
    });
}

/// A burst of 1,000 connections: the gate turns most away at once, the host keeps serving.
#[test]
fn a_burst_of_a_thousand_connections() {
    within(async {
        let h = Honest::start("burst").await;
        let addr = h.host.addr;
        let mut open = Vec::new();
        for _ in 0..1000 {
            if let Ok(Ok(s)) = tokio::time::timeout(
                std::time::Duration::from_secs(2),
                tokio::net::TcpStream::connect(addr),
            )
            .await
            {
                open.push(s);
            }
        }
        drop(open);
        // A newcomer with a right code still gets in.
        let code = h.host.code(&Seat::role("duty_exec"), Access::Play);
        let mut joined = false;
        for _ in 0..50 {
            if Terminal::join(addr, &code, 80, 24).await.is_ok() {
                joined = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(joined, "an honest newcomer gets in after the burst");
        h.still_plays().await;
    });
}

/// `ttx host` as a process, headless, on a loopback port: its port and codes, read from
/// what it prints.
struct HostProcess {
    child: std::process::Child,
    port: u16,
    /// Each printed line's seat and access words, and its code.
    codes: Vec<(String, String)>,
}

impl HostProcess {
    fn spawn(data: &Path, args: &[&str]) -> HostProcess {
        use std::io::BufRead as _;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
            .arg("host")
            .args(args)
            .args(["--listen", "127.0.0.1:0", "--headless"])
            .env("TTX_DATA_DIR", data)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("ttx host starts");
        let out = child.stdout.take().expect("stdout");
        let mut lines = std::io::BufReader::new(out).lines();
        let mut codes = Vec::new();
        let mut port = 0;
        // Bounded: the host prints a dozen lines before it serves.
        for _ in 0..64 {
            let Some(Ok(line)) = lines.next() else {
                break;
            };
            if let Some(i) = line.find("ssh -p ") {
                let rest = &line[i + 7..];
                let (p, user) = rest.split_once(' ').expect("port and user");
                port = p.parse().expect("port");
                let code = user.split('@').next().expect("code").to_owned();
                codes.push((
                    line[..i].split_whitespace().collect::<Vec<_>>().join(" "),
                    code,
                ));
            } else if line.is_empty() && !codes.is_empty() {
                break;
            }
        }
        assert!(port > 0, "the host printed its codes");
        HostProcess { child, port, codes }
    }

    fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }

    fn code(&self, starts: &str) -> String {
        self.codes
            .iter()
            .find(|(w, _)| w.starts_with(starts))
            .map(|(_, c)| c.clone())
            .expect("a code")
    }

    fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The game clock in a screen's header (`Sat 03:38 (+0:08)`).
fn header(screen: &str) -> String {
    screen
        .lines()
        .next()
        .and_then(|l| l.split('│').nth(1))
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// The host killed with SIGKILL twenty times at points chosen by a seeded generator: each
/// time `ttx host --resume` honours the same codes, shows the same clock, and the journal
/// holds every command whose effect a participant saw before the kill.
#[test]
fn sigkill_twenty_times_and_resume_with_nothing_lost() {
    within(async {
        let data = temp("sigkill");
        let first = HostProcess::spawn(&data, &["dropper-0330", "--seed", "11", "--turns"]);
        let fac_code = first.code("Facilitator plays");
        let analyst_code = first.code("MSSP SOC analyst plays");
        let all_codes = first.codes.clone();
        let mut host = first;
        let mut rng = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        let mut total_taken = 0usize;
        let mut rounds = 0;
        let mut before_kill: Option<String> = None;
        for round in 0..20 {
            let fac = Terminal::join(host.addr(), &fac_code, 120, 40)
                .await
                .expect("facilitator");
            let a = Terminal::join(host.addr(), &analyst_code, 100, 30)
                .await
                .expect("analyst");
            for (t, name) in [(&fac, "Fran"), (&a, "Priya")] {
                t.wait_for("Who are you?").await.expect("name");
                t.send(name.as_bytes()).await;
                t.send(b"\r").await;
            }
            if round == 0 {
                fac.wait_for("Priya").await.expect("lobby");
                fac.send(b"\r").await;
            }
            // A new host has not seen anyone yet: each is briefed again.
            for t in [&fac, &a] {
                t.past_briefing()
                    .await
                    .unwrap_or_else(|e| panic!("round {round}: {e}"));
            }
            if round > 0 {
                // The same clock as the moment before the kill.
                let s = fac
                    .wait_for("Resumed")
                    .await
                    .unwrap_or_else(|e| panic!("round {round}: {e}"));
                assert_eq!(
                    Some(header(&s)),
                    before_kill,
                    "round {round}: the same moment"
                );
            }
            a.wait_for("Actions").await.expect("the game");
            // A few steps: the analyst tries an action, the facilitator moves time on.
            for _ in 0..=next(2) {
                if next(3) > 0 {
                    a.send(b"\t").await;
                    for _ in 0..next(3) {
                        a.send(DOWN).await;
                    }
                    a.send(b"\r").await;
                    a.send(b"\t").await;
                } else {
                    let before = header(&fac.screen());
                    fac.send(b"n").await;
                    let _ = fac.wait_until(|s| header(s) != before, "time moves").await;
                }
            }
            // A random moment: the host may be in the middle of a command or a frame.
            tokio::time::sleep(std::time::Duration::from_millis(next(40))).await;
            let shown = fac.screen();
            if shown.contains("OUTCOME") {
                break;
            }
            before_kill = Some(header(&shown));
            // Actions the analyst's screen shows as taken.
            let analyst_screen = a.screen();
            // The actions panel's rows; the detail pane of a picked action that is done says
            // "Not now: already done." about the same action: not counted twice.
            let taken = analyst_screen.matches("already done").count()
                - analyst_screen.matches("Not now: already done").count();
            host.kill();
            // Nothing any screen showed is missing from the journal.
            let journal = std::fs::read_dir(data.join("sessions"))
                .expect("sessions")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
                .expect("a journal");
            let j = ttx::journal::decode::decode(&std::fs::read(&journal).expect("read"))
                .expect("the journal decodes after a kill");
            let acts = j
                .records
                .iter()
                .filter(|r| {
                    r.by == Seat::role("soc_analyst")
                        && matches!(r.command, ttx::engine::command::Command::Act { .. })
                })
                .count();
            assert!(
                acts >= taken,
                "round {round}: {taken} actions shown as taken, {acts} journaled\n{analyst_screen}\n{:?}",
                j.records
                    .iter()
                    .filter(|r| r.by == Seat::role("soc_analyst"))
                    .map(|r| format!("{} {:?}", r.at.minutes(), r.command))
                    .collect::<Vec<_>>()
            );
            total_taken = total_taken.max(taken);
            let id = journal
                .file_stem()
                .expect("stem")
                .to_string_lossy()
                .into_owned();
            host = HostProcess::spawn(&data, &["--resume", &id]);
            assert_eq!(host.codes, all_codes, "round {round}: the same codes");
            rounds += 1;
        }
        host.kill();
        assert!(rounds >= 20, "twenty kills ({rounds})");
        assert!(total_taken > 0, "the analyst's actions were on screen");
        let _ = std::fs::remove_dir_all(&data);
    });
}

/// The evaluator joins with its own code, sees the facilitator's view without its
/// controls, and its observations reach the facilitator's feed and the journal.
#[test]
fn an_evaluator_joins_and_notes_an_observation() {
    within(async {
        let h = Honest::start("evaluator").await;
        let code = h.host.code(&Seat::Evaluator, Access::Play);
        let e = Terminal::join(h.host.addr, &code, 100, 30)
            .await
            .expect("joins");
        e.wait_for("Who are you?").await.expect("name");
        e.send(b"Eve\r").await;
        e.past_briefing().await.expect("briefed");
        e.wait_for("o note an observation")
            .await
            .expect("the evaluator's screen");
        e.send(b"o").await;
        e.wait_for("Observation:").await.expect("the form");
        e.send(b"Solid triage\r").await;
        e.wait_for("Observation noted.").await.expect("noted");
        h.fac
            .wait_for("Evaluator: Solid triage")
            .await
            .expect("on the facilitator's feed");
        h.still_plays().await;
    });
}
