//! Bots and the simulator: deterministic, thread-independent, believable (the deferrer as
//! management loses the dropper scenario to ransomware most often; the by-the-book pair
//! rarely does), reacting after a delay and only through their own role.

mod common;

use std::collections::BTreeMap;
use std::process::Command as Process;
use std::sync::Arc;

use proptest::prelude::*;
use ttx::engine::model::{BotSpec, Policy, RoleIx, Scenario};
use ttx::engine::{EventKind, Seat};
use ttx::sim::headless;
use ttx::sim::simulate::{self, Summary};

const SCENARIOS: [&str; 6] = common::BUNDLED;

fn summary(sc: &Arc<Scenario>, overrides: &[&str], runs: u64, threads: usize) -> Summary {
    let overrides: Vec<String> = overrides.iter().map(|s| (*s).to_owned()).collect();
    let seats = simulate::crew_spec(sc, &overrides).expect("valid overrides");
    // Each thread compiles its own copy, as `ttx simulate` does.
    let copy = || {
        let path = format!("{}/scenarios/{}.ron", env!("CARGO_MANIFEST_DIR"), sc.id);
        let text = std::fs::read_to_string(&path).expect("the bundled file");
        Some(
            ttx::scenario::load_str(&path, &text)
                .expect("loads")
                .scenario,
        )
    };
    let results = simulate::simulate(sc, &copy, &seats, runs, 1, threads, &|_| {});
    simulate::summarise(sc, &seats, 1, &results)
}

fn share(s: &Summary, ending: &str) -> f64 {
    s.endings
        .iter()
        .find(|e| e.ending.as_deref() == Some(ending))
        .map_or(0.0, |e| e.share)
}

#[test]
fn the_deferrer_as_management_loses_the_dropper_to_ransomware_most_often() {
    let sc = common::scenario("dropper-0330.ron");
    let s = summary(
        &sc,
        &["oncall_manager=deferrer", "duty_exec=deferrer"],
        2000,
        2,
    );
    let top = &s.endings[0];
    assert_eq!(
        top.ending.as_deref(),
        Some("ransomware"),
        "most frequent ending: {:?}",
        s.endings
    );
    // The by-the-book pair on the customer side: ransomware is rare.
    let s = summary(
        &sc,
        &["oncall_manager=by-the-book", "duty_exec=by-the-book"],
        2000,
        2,
    );
    assert!(
        share(&s, "ransomware") < 2.0,
        "ransomware with the by-the-book pair: {:?}",
        s.endings
    );
    // A decisive on-call manager does not wait for anyone.
    let s = summary(&sc, &["oncall_manager=decisive"], 500, 2);
    assert!(share(&s, "ransomware") < 2.0, "{:?}", s.endings);
}

#[test]
fn the_summary_does_not_depend_on_threads_or_on_the_run() {
    for name in SCENARIOS {
        let sc = common::scenario(name);
        let one = serde_json::to_string(&summary(&sc, &[], 300, 1)).expect("json");
        let two = serde_json::to_string(&summary(&sc, &[], 300, 2)).expect("json");
        let three = serde_json::to_string(&summary(&sc, &[], 300, 3)).expect("json");
        assert_eq!(one, two, "{name}: 1 vs 2 threads");
        assert_eq!(one, three, "{name}: 1 vs 3 threads");
        let again = serde_json::to_string(&summary(&sc, &[], 300, 2)).expect("json");
        assert_eq!(two, again, "{name}: run twice");
    }
}

#[test]
fn the_bots_choices_change_how_each_scenario_ends() {
    for name in SCENARIOS {
        let sc = common::scenario(name);
        let mut seen = std::collections::BTreeSet::new();
        for policy in [None, Some("by-the-book"), Some("decisive"), Some("random")] {
            let overrides: Vec<String> = policy.map_or_else(Vec::new, |p| {
                sc.roles.iter().map(|r| format!("{}={p}", r.id)).collect()
            });
            let refs: Vec<&str> = overrides.iter().map(String::as_str).collect();
            let s = summary(&sc, &refs, 200, 2);
            seen.extend(
                s.endings
                    .iter()
                    .filter(|e| e.runs > 0)
                    .map(|e| e.ending.clone()),
            );
        }
        assert!(seen.len() >= 3, "{name}: only {seen:?}");
    }
}

#[test]
fn the_best_run_replays_with_its_seed() {
    let sc = common::scenario("dropper-0330.ron");
    let s = summary(&sc, &[], 200, 2);
    let best = s.best.expect("a best run");
    let seats = simulate::crew_spec(&sc, &[]).expect("defaults");
    let ex = headless::run_with_bots(Arc::clone(&sc), best.seed, &[], &seats);
    assert_eq!(common::ending(&ex), best.ending);
}

/// The best run has the best outcome any run reached, then the highest score among those;
/// the worst the worst outcome, then the lowest score (a bad ending is never the best run
/// while a better one happened), for every bundled scenario and the default bots.
#[test]
fn best_and_worst_runs_go_by_outcome_then_score() {
    use ttx::engine::model::Outcome;
    let rank = |o: Option<Outcome>| match o {
        Some(Outcome::Good) => 3,
        Some(Outcome::Mixed) => 2,
        Some(Outcome::Bad) => 1,
        None => 0,
    };
    for name in SCENARIOS {
        let sc = common::scenario(name);
        let s = summary(&sc, &[], 300, 2);
        let outcome_of = |id: &Option<String>| {
            s.endings
                .iter()
                .find(|e| &e.ending == id)
                .and_then(|e| e.outcome)
        };
        let reached: Vec<u8> = s
            .endings
            .iter()
            .filter(|e| e.runs > 0)
            .map(|e| rank(e.outcome))
            .collect();
        let (best, worst) = (s.best.expect("best"), s.worst.expect("worst"));
        let (b, w) = (
            rank(outcome_of(&best.ending)),
            rank(outcome_of(&worst.ending)),
        );
        assert_eq!(Some(&b), reached.iter().max(), "{name}: best {best:?}");
        assert_eq!(Some(&w), reached.iter().min(), "{name}: worst {worst:?}");
        // Within the outcome, the score: replay both and compare with every run of it.
        assert!(b > w || best.score >= worst.score, "{name}");
    }
}

/// Every policy in every role of every scenario, random seeds: runs end, are deterministic,
/// and bots behave like people at a keyboard.
fn random_seats(sc: &Scenario, picks: &[u8]) -> Vec<(RoleIx, BotSpec)> {
    (0..sc.roles.len())
        .map(|r| {
            let p = Policy::ALL[usize::from(picks[r % picks.len()]) % Policy::ALL.len()];
            (RoleIx::try_from(r).expect("few roles"), BotSpec::new(p))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn bots_are_deterministic_and_play_by_the_rules(
        which in 0usize..4,
        seed in any::<u64>(),
        picks in proptest::collection::vec(0u8..4, 1..6),
    ) {
        let sc = common::scenario(SCENARIOS[which]);
        let seats = random_seats(&sc, &picks);
        let a = headless::run_with_bots(Arc::clone(&sc), seed, &[], &seats);
        let b = headless::run_with_bots(Arc::clone(&sc), seed, &[], &seats);
        prop_assert!(a.is_over(), "the run ends");
        prop_assert_eq!(a.events(), b.events());

        // At most one command per role per game minute; the first only after the role was
        // told something, and not sooner than its reaction time.
        let mut last: BTreeMap<String, u32> = BTreeMap::new();
        let mut first_told: BTreeMap<String, u32> = BTreeMap::new();
        for e in a.events() {
            if let EventKind::InjectDelivered { .. }
            | EventKind::AdHocInjectDelivered { .. }
            | EventKind::ApprovalRequested { .. } = &e.kind
            {
                for r in e.audience.roles() {
                    first_told.entry(sc.role(r).id.to_string()).or_insert(e.at.0);
                }
            }
            let by = match &e.kind {
                EventKind::ActionTaken { by, .. }
                | EventKind::DecisionMade { by, .. }
                | EventKind::ApprovalGranted { by, .. }
                | EventKind::ApprovalDenied { by, .. } => sc.seat(*by),
                EventKind::CommandRejected(r) => r.by.clone(),
                _ => continue,
            };
            let Seat::Role(role) = by else { continue };
            let id = role.to_string();
            let told = first_told.get(&id).copied();
            prop_assert!(told.is_some(), "{id} acted before anything reached it");
            let spec = seats[usize::from(sc.role_index(&id).expect("role"))].1;
            prop_assert!(e.at.0 >= told.unwrap_or(0) + spec.reaction.0,
                "{id} acted at {} though first told at {:?}", e.at.0, told);
            if let Some(prev) = last.insert(id.clone(), e.at.0) {
                // A command may start an action and the same minute's approval; distinct
                // commands of one bot are a minute apart.
                prop_assert!(e.at.0 >= prev, "time runs forward");
            }
        }
        // Bots see their own role's screen: every refused command of theirs is a matter of
        // timing (busy, not reachable, someone else answered), never a role they do not hold.
        for e in a.events() {
            if let EventKind::CommandRejected(r) = &e.kind {
                let Seat::Role(_) = r.by else { continue };
                let text = format!("{:?}", r.rejection);
                prop_assert!(!text.contains("WrongRole") && !text.contains("Unknown") && !text.contains("NotAuthorised"),
                    "a bot gave a command outside its role: {text}");
            }
        }
    }
}

fn ttx(args: &[&str]) -> std::process::Output {
    Process::new(env!("CARGO_BIN_EXE_ttx"))
        .args(args)
        // Runs are journaled: into the test's scratch space, never the user's data folder.
        .env(
            "TTX_DATA_DIR",
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("bots-data"),
        )
        .output()
        .expect("ttx runs")
}

#[test]
fn simulate_prints_the_same_table_whatever_the_threads() {
    let a = ttx(&[
        "simulate",
        "dropper-0330",
        "--runs",
        "300",
        "--seed",
        "1",
        "--threads",
        "1",
    ]);
    let b = ttx(&[
        "simulate",
        "dropper-0330",
        "--runs",
        "300",
        "--seed",
        "1",
        "--threads",
        "2",
    ]);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout);
    let table = String::from_utf8_lossy(&a.stdout);
    for needle in [
        "Endings",
        "Score",
        "median",
        "authorised decision",
        "contained",
        "waiting on authority",
        "SLA breaches",
        "Best run:  seed",
        "Worst run: seed",
        "ttx run dropper-0330 --bots --seed",
    ] {
        assert!(table.contains(needle), "{needle:?} missing:\n{table}");
    }
    let json = ttx(&["simulate", "dropper-0330", "--runs", "50", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("valid JSON");
    assert_eq!(v["runs"], 50);
    assert!(v["endings"].as_array().is_some_and(|e| !e.is_empty()));
}

/// Runs ttx, which must fail, and checks its error names every one of `needles`.
fn refused(args: &[&str], needles: &[&str]) {
    let o = ttx(args);
    assert!(!o.status.success(), "{args:?} should fail");
    let err = String::from_utf8_lossy(&o.stderr);
    for needle in needles {
        assert!(err.contains(needle), "{needle:?} missing from: {err}");
    }
}

#[test]
fn a_bad_bot_names_the_valid_roles_and_policies() {
    refused(
        &[
            "simulate",
            "dropper-0330",
            "--runs",
            "10",
            "--bot",
            "ciso=deferrer",
        ],
        &[
            "unknown role `ciso`",
            "soc_analyst, oncall_manager, duty_exec",
        ],
    );
    refused(
        &[
            "run",
            "dropper-0330",
            "--seed",
            "1",
            "--bot",
            "duty_exec=lazy",
        ],
        &[
            "unknown policy `lazy`",
            "by-the-book, deferrer, decisive, random",
        ],
    );
    refused(
        &["simulate", "dropper-0330", "--bot", "duty_exec"],
        &["is not ROLE=POLICY"],
    );
}

#[test]
fn run_with_bots_is_byte_identical_across_processes() {
    let args = ["run", "franchise-crm", "--seed", "9", "--bots"];
    let a = ttx(&args);
    let b = ttx(&args);
    assert!(a.status.success());
    assert_eq!(a.stdout, b.stdout);
    // Bots did something: commands by roles appear.
    let text = String::from_utf8_lossy(&a.stdout);
    assert!(text.contains("\"type\":\"ActionTaken\""), "no bot acted");
}

/// Coverage holds against the runs themselves: what it says never happened happened in no
/// run (each run replayed on its own), every example seed reaches its ending, and the
/// figures do not depend on the number of threads.
#[test]
fn coverage_holds_against_the_runs() {
    use ttx::sim::coverage;
    let sc = common::scenario("dropper-0330.ron");
    let seats = simulate::crew_spec(&sc, &[]).expect("crew");
    let copy = || None;
    let runs = 60;
    let one = simulate::simulate(&sc, &copy, &seats, runs, 1, 1, &|_| {});
    let two = simulate::simulate(&sc, &copy, &seats, runs, 1, 2, &|_| {});
    let c = coverage::summary(&sc, &one.cover, one.runs);
    assert_eq!(
        c,
        coverage::summary(&sc, &two.cover, two.runs),
        "threads change nothing"
    );
    let mut delivered = vec![false; sc.injects.len()];
    let mut taken = vec![false; sc.actions.len()];
    for i in 0..runs {
        let ex = headless::run_with_bots(Arc::clone(&sc), simulate::run_seed(1, i), &[], &seats);
        for (d, s) in delivered.iter_mut().zip(&ex.state().injects) {
            *d |= s.first_delivered.is_some();
        }
        for (t, s) in taken.iter_mut().zip(&ex.state().actions) {
            *t |= s.first_taken.is_some();
        }
    }
    for (i, inj) in sc.injects.iter().enumerate() {
        let name = ttx::words::names::inject_name(&sc, inj.id.as_str());
        assert_eq!(c.never_injects.contains(&name), !delivered[i], "{name}");
    }
    for (a, action) in sc.actions.iter().enumerate() {
        assert_eq!(
            c.never_actions.contains(&action.name),
            !taken[a],
            "{}",
            action.name
        );
    }
    assert!(!c.example_seeds.is_empty());
    for (title, seed) in &c.example_seeds {
        let ex = headless::run_with_bots(Arc::clone(&sc), *seed, &[], &seats);
        let ended = ex
            .events()
            .iter()
            .rev()
            .find_map(|e| e.kind.ended_title(&sc));
        assert_eq!(ended, Some(title.as_str()), "seed {seed}");
    }
}

/// A persona's parameters can be swept from the command line, and a wrong one is named.
#[test]
fn bot_parameters_from_the_command_line() {
    let sc = common::scenario("dropper-0330.ron");
    let seats = simulate::crew_spec(
        &sc,
        &["oncall_manager=deferrer:patience=1:reaction=1-2:gives_in_at=05:00".into()],
    )
    .expect("parameters");
    let spec = seats[1].1;
    assert_eq!((spec.patience, spec.reaction), (1, (1, 2)));
    assert!(spec.gives_in_at.is_some());
    let e = simulate::crew_spec(&sc, &["oncall_manager=deferrer:reaction=9-2".into()])
        .expect_err("backwards");
    assert!(e.contains("runs backwards"), "{e}");
    let e =
        simulate::crew_spec(&sc, &["oncall_manager=deferrer:nerve=2".into()]).expect_err("unknown");
    assert!(e.contains("unknown parameter `nerve`"), "{e}");
}

/// Runs the judgement fixture, with `edits`, with its personas; what each role did.
fn judged_run(edits: &[(&str, &str)], seed: u64) -> (Vec<String>, Vec<String>, Option<String>) {
    let sc = common::edited_fixture("judgement", edits);
    let seats: Vec<(RoleIx, BotSpec)> = RoleIx::all(sc.roles.len())
        .map(|r| (r, sc.default_bot(r)))
        .collect();
    let ex = headless::run_with_bots(Arc::clone(&sc), seed, &[], &seats);
    let mut acted = Vec::new();
    let mut answered = Vec::new();
    for e in ex.events() {
        match &e.kind {
            EventKind::ActionTaken { action, .. } => acted.push(sc.action(*action).id.to_string()),
            EventKind::DecisionMade { inject, option, .. } => {
                answered.push(sc.option_id(*inject, *option).unwrap_or("").to_owned());
            }
            _ => {}
        }
    }
    (acted, answered, common::ending(&ex))
}

/// A persona's judgement in the file: what it avoids it never does; what it prefers while
/// an order holds it does first, even a disruptive step a by-the-book bot never takes on its
/// own; a preferred answer goes before the policy's choice. Without the judgement, the same
/// policies play as they always did.
#[test]
fn a_personas_judgement_in_the_file_steers_its_bot() {
    for seed in 0..10 {
        let (acted, answered, ending) = judged_run(&[], seed);
        assert!(!acted.contains(&"triage".to_owned()), "avoided: {acted:?}");
        assert_eq!(answered, ["approve"], "seed {seed}");
        assert!(
            acted.contains(&"wipe".to_owned()),
            "ordered, so preferred: {acted:?}"
        );
        assert_eq!(ending.as_deref(), Some("wiped"));

        // The executive's persona prefers to wait: no order, no wipe.
        let (acted, answered, ending) = judged_run(
            &[(
                "Bot(role: \"exec\", policy: ByTheBook)",
                "Bot(role: \"exec\", policy: ByTheBook, prefer: [Answer(\"exec_call\", \"wait\")])",
            )],
            seed,
        );
        assert_eq!(answered, ["wait"], "seed {seed}");
        assert!(!acted.contains(&"wipe".to_owned()), "{acted:?}");
        assert_eq!(ending.as_deref(), Some("time"));

        // No judgement: by the book, it triages and never wipes.
        let (acted, _, _) = judged_run(
            &[(
                "prefer: [ActWhen(\"wipe\", Chose(\"exec_call\", \"approve\"))], avoid: [Act(\"triage\")]",
                "",
            )],
            seed,
        );
        assert!(acted.contains(&"triage".to_owned()), "{acted:?}");
        assert!(!acted.contains(&"wipe".to_owned()), "{acted:?}");
    }
}

/// An answer with the `Inquire` stance (gather information first) is what a by-the-book
/// executive gives before a neutral or deferring one, and a deferrer gives its `Defer`; the
/// report counts only the deferral as a decision put off.
#[test]
fn gathering_information_first_is_not_deferring() {
    let options = "Choice(id: \"approve\", label: \"Wipe it\", stance: Act, authority: 3),\n                Choice(id: \"wait\", label: \"Wait for the morning\", stance: Defer),";
    let cautious = "Choice(id: \"log\", label: \"Log it\"),\n                Choice(id: \"wait\", label: \"Wait for the morning\", stance: Defer),\n                Choice(id: \"evidence\", label: \"Send me the evidence first\", stance: Inquire),";
    for (policy, expect, deferrals) in [("ByTheBook", "evidence", 0), ("Deferrer", "wait", 1)] {
        let persona = format!("Bot(role: \"exec\", policy: {policy})");
        let sc = common::edited_fixture(
            "judgement",
            &[
                (options, cautious),
                (
                    "prefer: [ActWhen(\"wipe\", Chose(\"exec_call\", \"approve\"))], ",
                    "",
                ),
                ("Bot(role: \"exec\", policy: ByTheBook)", &persona),
            ],
        );
        let seats: Vec<(RoleIx, BotSpec)> = RoleIx::all(sc.roles.len())
            .map(|r| (r, sc.default_bot(r)))
            .collect();
        let ex = headless::run_with_bots(Arc::clone(&sc), 3, &[], &seats);
        let answered: Vec<&str> = ex
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::DecisionMade { inject, option, .. } => sc.option_id(*inject, *option),
                _ => None,
            })
            .collect();
        assert_eq!(
            answered.first().copied(),
            Some(expect),
            "{policy}: {answered:?}"
        );
        let m = ttx::report::metrics::compute(&sc, ex.state());
        assert_eq!(m.deferrals.len(), deferrals, "{policy}");
    }
}

/// What a pre-approval lets a by-the-book bot do by default: once the authority has ordered a
/// disruptive step (or a playbook covers it), it is no longer the bot's own call, and a
/// by-the-book analyst carries it out; without the order it never does.
#[test]
fn a_by_the_book_bot_takes_a_disruptive_step_once_pre_approved() {
    let sc = common::scenario("supplier-update.ron");
    let seats = |manager: Policy| -> Vec<(RoleIx, BotSpec)> {
        RoleIx::all(sc.roles.len())
            .map(|r| match sc.role(r).id.as_str() {
                "analyst" => (r, BotSpec::new(Policy::ByTheBook)),
                "manager" => (r, BotSpec::new(manager)),
                // Slow to nothing: the takedown does not contain it first.
                "registrar" => (r, BotSpec::new(Policy::Deferrer)),
                _ => (r, sc.default_bot(r)),
            })
            .collect()
    };
    let isolated = |ex: &ttx::engine::Exercise| {
        ex.events().iter().find_map(|e| match &e.kind {
            EventKind::ActionTaken {
                action,
                preapproved,
                by,
                ..
            } if sc.action(*action).id.as_str() == "isolate_servers" => Some((*preapproved, *by)),
            _ => None,
        })
    };
    let analyst = ttx::engine::event::Actor::Role(sc.role_index("analyst").expect("analyst"));
    for seed in 0..10 {
        // The decisive manager approves isolation on the call: the analyst isolates.
        let ex = headless::run_with_bots(Arc::clone(&sc), seed, &[], &seats(Policy::Decisive));
        assert_eq!(isolated(&ex), Some((true, analyst)), "seed {seed}");
        // A deferring manager never orders it: the by-the-book analyst never isolates.
        let ex = headless::run_with_bots(Arc::clone(&sc), seed, &[], &seats(Policy::Deferrer));
        assert_eq!(isolated(&ex), None, "seed {seed}");
    }
}
