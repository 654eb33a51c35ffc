//! `ttx explain`: what it says holds for the run's log. The ending it names fired, at the
//! time it says, and every ending above it did not hold; an action it says a bot left was
//! never taken by that bot; a policy's refusal is said only for a kind of step the policy
//! declines; a recorded session is explained exactly as the run it recorded.

mod common;

use std::process::Command;
use std::sync::Arc;

use ttx::engine::event::EventKind;
use ttx::engine::{Actor, Exercise};
use ttx::sim::explain::{Watch, explain};
use ttx::sim::{headless, script, simulate};

fn explained(
    sc: &Arc<ttx::engine::Scenario>,
    seed: u64,
    steps: &[script::Step],
    bots: bool,
) -> (Exercise, String) {
    let seats = if bots {
        simulate::crew_spec(sc, &[]).expect("crew")
    } else {
        Vec::new()
    };
    let mut watch = Watch::new(sc);
    let ex = match headless::run_observed(Arc::clone(sc), seed, steps, &seats, &mut watch) {
        Ok(ex) => ex,
        Err(never) => match never {},
    };
    let text = explain(&ex, &watch, &seats);
    (ex, text)
}

/// The ending paragraph of ending `i` (1-based), its first line and its tree's top line.
fn paragraph(text: &str, i: usize) -> (String, String) {
    let head = format!("  {i}. “");
    let mut lines = text.lines().skip_while(|l| !l.starts_with(&head));
    let first = lines.next().unwrap_or_default().to_owned();
    let top = lines.next().unwrap_or_default().trim().to_owned();
    (first, top)
}

fn check_endings(ex: &Exercise, text: &str) {
    let sc = ex.scenario();
    let fired = ex.state().ended.and_then(|e| e.ending);
    for (i, e) in sc.endings.iter().enumerate() {
        let (first, top) = paragraph(text, i + 1);
        assert!(first.contains(&e.title), "{first}");
        match fired {
            Some(f) if f.ix() == i => {
                let at = sc
                    .start
                    .clock(ex.state().ended.expect("ended").at)
                    .to_string();
                assert!(
                    first.ends_with(&format!("ended the exercise at {at}")),
                    "{first}"
                );
                assert!(top.starts_with("[yes]"), "{}: {top}", e.title);
            }
            Some(f) if i < f.ix() => {
                assert!(first.ends_with("did not hold"), "{first}");
                assert!(top.starts_with("[no ]"), "{}: {top}", e.title);
            }
            _ => assert!(!first.contains("ended the exercise"), "{first}"),
        }
    }
}

fn check_bots(ex: &Exercise, text: &str) {
    let sc = ex.scenario();
    let Some((_, bots)) = text.split_once("What the bots did not do") else {
        return;
    };
    let mut role = None;
    for line in bots.lines() {
        if let Some(r) = sc
            .roles
            .iter()
            .position(|r| line.starts_with(&format!("  {} (a ", r.name)))
        {
            role = Some(r);
            continue;
        }
        let Some(rest) = line.strip_prefix("  - “") else {
            continue;
        };
        let r = role.expect("a role before its actions");
        let (name, why) = rest.split_once("”: ").expect("name and reason");
        let a = sc
            .actions
            .iter()
            .position(|a| a.name == name && a.by.iter().any(|b| b.ix() == r))
            .unwrap_or_else(|| panic!("`{name}` is no action of role {r}"));
        let taken = ex.state().log.iter().any(|e| {
            matches!(&e.kind, EventKind::ActionTaken { action, by: Actor::Role(b), .. }
                if action.ix() == a && b.ix() == r)
        });
        assert!(!taken, "explain says {name} was left, but role {r} took it");
        if why.contains(" bot never takes a ") {
            assert!(
                matches!(
                    sc.actions[a].kind,
                    ttx::engine::model::ActionKind::Disrupt | ttx::engine::model::ActionKind::Rogue
                ),
                "{name}: {why}"
            );
        }
        if let Some(open) = why.strip_prefix("it was open from ") {
            assert!(open.len() > 9, "{why}");
        }
    }
}

#[test]
fn explain_tells_the_truth_about_scripted_and_bot_runs() {
    for b in ttx::scenario::bundled::ALL {
        let sc = ttx::scenario::load_str(b.file, b.text)
            .expect("loads")
            .scenario;
        for seed in 0..12 {
            let (ex, text) = explained(&sc, seed, &[], true);
            check_endings(&ex, &text);
            check_bots(&ex, &text);
        }
        let dir = common::root().join("tests/scripts").join(sc.id.as_str());
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("scripts")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        paths.sort();
        for p in paths {
            let text = std::fs::read_to_string(&p).expect("script");
            let seed: u64 = text
                .lines()
                .find_map(|l| l.strip_prefix("# seed:"))
                .and_then(|s| s.trim().parse().ok())
                .expect("seed");
            let steps = script::parse("s", &text, sc.start).expect("parses");
            let (ex, out) = explained(&sc, seed, &steps, false);
            check_endings(&ex, &out);
            assert!(!out.contains("What the bots did not do"), "{out}");
        }
    }
}

#[test]
fn a_recorded_session_is_explained_as_the_run_it_recorded() {
    let data = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("explain-data");
    let _ = std::fs::remove_dir_all(&data);
    let ttx = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_ttx"))
            .args(args)
            .env("TTX_DATA_DIR", &data)
            .output()
            .expect("ttx runs")
    };
    let run = ttx(&["run", "dropper-0330", "--seed", "3", "--bots"]);
    assert!(run.status.success(), "{run:?}");
    let stderr = String::from_utf8_lossy(&run.stderr);
    let id = stderr
        .split_whitespace()
        .find(|w| w.starts_with("dropper-0330-"))
        .expect("the session's id");
    let session = ttx(&["explain", "--session", id]);
    let direct = ttx(&["explain", "dropper-0330", "--seed", "3", "--bots"]);
    assert!(session.status.success() && direct.status.success());
    assert_eq!(session.stdout, direct.stdout);
    let text = String::from_utf8_lossy(&direct.stdout);
    assert!(text.contains("ended the exercise at"), "{text}");
    assert!(text.contains("What the bots did not do"), "{text}");
    // Neither a scenario nor a session: a usage error.
    assert!(!ttx(&["explain"]).status.success());
}
