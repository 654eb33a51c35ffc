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

    /// Stops the host; the journal's path.
    fn stop(mut self) -> Option<PathBuf> {
        let _ = self.to_host.send(ToHost::Stop);
        self.thread.take().and_then(|t| t.join().ok()).flatten()
    }
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
#[tokio::test(flavor = "current_thread")]
async fn three_seats_play_the_dropper_to_an_ending_over_ssh() {
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
    let mut checked = 0;
    for (t, role) in [
        (&a, "soc_analyst"),
        (&watcher, "soc_analyst"),
        (&m, "oncall_manager"),
    ] {
        let r = sc.role_index(role).expect("role");
        let ok = allowed(&sc, ex.events(), r);
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
}
