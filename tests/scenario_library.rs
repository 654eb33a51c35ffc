//! The bundled scenario library: every scenario in `scenarios/` is bundled, checks clean,
//! ends badly when nobody acts, varies with the seed, and its scripts in
//! `tests/scripts/<id>/` reach every ending and use every inject and action. A few runs
//! are kept as golden transcripts.
//!
//! Each script starts with `# seed: N` and `# expect: ENDING` lines.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use ttx::engine::event::EventKind;
use ttx::engine::model::{Outcome, Scenario};
use ttx::sim::{headless, script};

fn scenario_files() -> Vec<PathBuf> {
    let dir = common::root().join("scenarios");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("scenarios/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    v.sort();
    v
}

struct Script {
    name: String,
    seed: u64,
    expect: String,
    steps: Vec<script::Step>,
}

fn scripts(sc: &Scenario) -> Vec<Script> {
    let dir = common::root().join("tests/scripts").join(sc.id.as_str());
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|_| panic!("{} has no scripts folder {}", sc.id, dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("readable");
            let header = |key: &str| {
                text.lines()
                    .find_map(|l| {
                        l.strip_prefix(&format!("# {key}:"))
                            .map(|v| v.trim().to_owned())
                    })
                    .unwrap_or_else(|| panic!("{} lacks `# {key}:`", p.display()))
            };
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            let steps = script::parse(&name, &text, sc.start)
                .unwrap_or_else(|d| panic!("{}", ttx::scenario::render_all(&d)));
            let unknown = script::check(&name, &text, &steps, sc);
            assert!(
                unknown.is_empty(),
                "{}",
                ttx::scenario::render_all(&unknown)
            );
            Script {
                seed: header("seed").parse().expect("a number"),
                expect: header("expect"),
                steps,
                name,
            }
        })
        .collect()
}

fn load(p: &Path) -> Arc<Scenario> {
    let l = ttx::scenario::load_file(p).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        l.warnings.is_empty(),
        "{} has warnings:\n{}",
        p.display(),
        ttx::scenario::render_all(&l.warnings)
    );
    l.scenario
}

#[test]
fn every_scenario_file_is_bundled() {
    for p in scenario_files() {
        let name = p.file_name().expect("name").to_string_lossy().into_owned();
        let b =
            ttx::scenario::bundled::find(&name).unwrap_or_else(|| panic!("{name} is not bundled"));
        assert_eq!(
            b.text,
            std::fs::read_to_string(&p).expect("readable"),
            "{name}: bundled copy differs"
        );
    }
    assert!(scenario_files().len() >= ttx::scenario::bundled::ALL.len());
}

#[test]
fn nobody_acting_ends_badly_and_seeds_vary_the_story() {
    for p in scenario_files() {
        let sc = load(&p);
        let mut distinct = BTreeSet::new();
        for seed in 1..=20 {
            let ex = headless::run(Arc::clone(&sc), seed, &[]);
            let outcome = ex.events().iter().rev().find_map(|e| match &e.kind {
                EventKind::ExerciseEnded { outcome, .. } => Some(*outcome),
                _ => None,
            });
            assert_eq!(
                outcome,
                Some(Some(Outcome::Bad)),
                "{} seed {seed}: nobody acting should end badly",
                sc.id
            );
            distinct.insert(headless::transcript(&ex));
        }
        assert!(
            distinct.len() >= 4,
            "{}: only {} distinct transcripts over 20 seeds",
            sc.id,
            distinct.len()
        );
    }
}

#[test]
fn scripts_reach_every_ending_and_use_every_inject_and_action() {
    for p in scenario_files() {
        let sc = load(&p);
        let mut endings = BTreeSet::new();
        let mut injects = BTreeSet::new();
        let mut actions = BTreeSet::new();
        for s in scripts(&sc) {
            let ex = headless::run(Arc::clone(&sc), s.seed, &s.steps);
            let ending = common::ending(&ex);
            assert_eq!(
                ending.as_deref(),
                Some(s.expect.as_str()),
                "{}/{} (seed {})",
                sc.id,
                s.name,
                s.seed
            );
            endings.extend(ending);
            for e in ex.events() {
                match &e.kind {
                    EventKind::InjectDelivered { inject, .. } => {
                        injects.insert(sc.inject(*inject).id.to_string());
                    }
                    EventKind::ActionTaken { action, .. } => {
                        actions.insert(sc.action(*action).id.to_string());
                    }
                    _ => {}
                }
            }
        }
        let missing = |all: Vec<String>, used: &BTreeSet<String>| -> Vec<String> {
            all.into_iter().filter(|x| !used.contains(x)).collect()
        };
        let e = missing(
            sc.endings.iter().map(|x| x.id.to_string()).collect(),
            &endings,
        );
        let i = missing(
            sc.injects.iter().map(|x| x.id.to_string()).collect(),
            &injects,
        );
        let a = missing(
            sc.actions.iter().map(|x| x.id.to_string()).collect(),
            &actions,
        );
        assert!(
            e.is_empty() && i.is_empty() && a.is_empty(),
            "{}: never reached: endings {e:?}, injects {i:?}, actions {a:?}",
            sc.id
        );
    }
}

#[test]
fn golden_transcripts() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(common::root().join("tests/snapshots/transcripts"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for p in scenario_files() {
            let sc = load(&p);
            for s in scripts(&sc).iter().take(2) {
                for seed in [s.seed, s.seed + 1] {
                    let ex = headless::run(Arc::clone(&sc), seed, &s.steps);
                    let name =
                        format!("{}__{}__seed{seed}", sc.id, s.name.trim_end_matches(".txt"));
                    insta::assert_snapshot!(name, headless::transcript(&ex));
                }
            }
        }
    });
}

/// A summary is for everyone, so it keeps no secret: bob's "Bob is using the CFO's login"
/// (management's knowledge) is in the facilitator's notes, never on the launcher or the
/// set-up screen, and the report (after the play) carries the notes.
#[test]
fn the_summary_keeps_no_secret_and_the_notes_do() {
    let sc = load(&common::root().join("scenarios/bob-saas-weekend.ron"));
    assert!(!sc.summary.contains("CFO's login"), "{}", sc.summary);
    assert!(sc.notes.contains("CFO's login"), "{}", sc.notes);
    let ex = headless::run(Arc::clone(&sc), 1, &[]);
    let input = headless::report_input(&ex, &[], &[], None);
    let r = ttx::report::build(ex.scenario(), ex.state(), &input);
    let md = ttx::report::render(&r, ttx::report::Format::Markdown);
    assert!(
        md.contains("| Facilitator's notes | Bob is using the CFO's login"),
        "{md}"
    );
}

/// Whether some run among the first 200 seeds of `sc`, with `with` replacing the personas
/// of those roles (the others keep theirs), ends in `want`: what `ttx simulate --bot` shows.
fn comes_about(
    sc: &Arc<Scenario>,
    with: &[(&str, ttx::engine::model::Policy)],
    want: &str,
) -> bool {
    use ttx::engine::model::{BotSpec, RoleIx};
    let seats: Vec<(RoleIx, BotSpec)> = RoleIx::all(sc.roles.len())
        .map(|r| {
            let id = sc.role(r).id.as_str();
            let spec = with
                .iter()
                .find(|(role, _)| *role == id)
                .map_or_else(|| sc.default_bot(r), |(_, p)| BotSpec::new(*p));
            (r, spec)
        })
        .collect();
    (0..200).any(|seed| {
        let ex = headless::run_with_bots(Arc::clone(sc), seed, &[], &seats);
        common::ending(&ex).as_deref() == Some(want)
    })
}

/// The table game's endings each come about under some mix of bot personas, as
/// `ttx simulate hunt-table-game` shows with `--bot`: its own bots catch the intruder, a
/// deferring manager lets the attacker win or stay inside, a random hunter with a decisive
/// operations lead pulls the plug.
#[test]
fn the_table_game_s_endings_each_come_about_under_some_persona_mix() {
    use ttx::engine::model::Policy;
    let sc = load(&common::root().join("scenarios/hunt-table-game.ron"));
    for (want, with) in [
        ("caught", vec![]),
        ("data_gone", vec![("manager", Policy::Deferrer)]),
        ("still_inside", vec![("manager", Policy::Deferrer)]),
        (
            "plug_pulled",
            vec![("hunter", Policy::Random), ("ops_lead", Policy::Decisive)],
        ),
    ] {
        assert!(
            comes_about(&sc, &with, want),
            "no run in 200 seeds ended in {want}"
        );
    }
}

/// The four organisations' incident, likewise: its own bots mostly contain it together, a
/// deferring registrar lets the data out or leaves it out there, a random supplier leaves
/// the backdoor contained at one customer alone.
#[test]
fn the_supplier_incident_s_endings_each_come_about_under_some_persona_mix() {
    use ttx::engine::model::Policy;
    let sc = load(&common::root().join("scenarios/supplier-update.ron"));
    for (want, with) in [
        ("contained_together", vec![]),
        ("data_out", vec![]),
        ("still_out_there", vec![("registrar", Policy::Deferrer)]),
        ("contained_alone", vec![("psirt", Policy::Random)]),
    ] {
        assert!(
            comes_about(&sc, &with, want),
            "no run in 200 seeds ended in {want}"
        );
    }
}
