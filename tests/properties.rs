//! Property tests of the engine over random command sequences on the bundled scenario:
//! determinism, save/restore, restart, no events after the ending, meters within bounds,
//! and per-role visibility.

mod common;

use std::sync::Arc;

use proptest::prelude::*;
use ttx::engine::command::{Command, Issued};
use ttx::engine::event::{Event, EventKind, Rejection};
use ttx::engine::exercise::Exercise;
use ttx::engine::ids::Seat;
use ttx::engine::model::Scenario;
use ttx::engine::state::State;

fn dropper() -> Arc<Scenario> {
    common::scenario("dropper-0330.ron")
}

/// A random command from what the scenario offers (and some nonsense).
fn command(sc: &Scenario) -> impl Strategy<Value = Issued> + use<> {
    let seats: Vec<Seat> = sc
        .roles
        .iter()
        .map(|r| Seat::Role(r.id.clone()))
        .chain([Seat::Facilitator])
        .collect();
    let actions: Vec<String> = sc
        .actions
        .iter()
        .map(|a| a.id.to_string())
        .chain(["bogus".to_owned()])
        .collect();
    let choices: Vec<(String, String)> = sc
        .injects
        .iter()
        .filter_map(|i| i.prompt.as_ref().map(|p| (i.id.to_string(), p)))
        .flat_map(|(i, p)| p.options.iter().map(move |o| (i.clone(), o.id.to_string())))
        .collect();
    let injects: Vec<String> = sc.injects.iter().map(|i| i.id.to_string()).collect();
    let cmd = prop_oneof![
        6 => (1u32..40).prop_map(|minutes| Command::Tick { minutes }),
        1 => Just(Command::AdvanceToNextEvent),
        6 => prop::sample::select(actions).prop_map(|a| Command::Act { action: a.as_str().into() }),
        4 => prop::sample::select(choices).prop_map(|(i, o)| Command::Choose { inject: i.as_str().into(), option: o.as_str().into() }),
        2 => (0u32..3).prop_map(|request| Command::Approve { request }),
        1 => (0u32..3).prop_map(|request| Command::Deny { request }),
        1 => Just(Command::Pause),
        2 => Just(Command::Resume),
        1 => prop::sample::select(injects).prop_map(|i| Command::FireInject { inject: i.as_str().into() }),
        1 => Just(Command::EndExercise { ending: None }),
    ];
    (prop::sample::select(seats), cmd).prop_map(|(by, command)| Issued::new(by, command))
}

fn commands() -> impl Strategy<Value = (u64, Vec<Issued>)> {
    let sc = dropper();
    (any::<u64>(), prop::collection::vec(command(&sc), 0..60))
}

fn play(sc: &Arc<Scenario>, seed: u64, cmds: &[Issued]) -> Exercise {
    let mut ex = Exercise::start(Arc::clone(sc), seed);
    for c in cmds {
        ex.apply(c);
    }
    ex
}

fn check_bounds(sc: &Scenario, ex: &Exercise) -> Result<(), TestCaseError> {
    for (v, value) in sc.variables.iter().zip(&ex.state().vars) {
        prop_assert!((v.min..=v.max).contains(value), "{} = {value}", v.id);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn same_seed_and_commands_give_identical_events((seed, cmds) in commands()) {
        let sc = dropper();
        let a = play(&sc, seed, &cmds);
        let b = play(&sc, seed, &cmds);
        prop_assert_eq!(a.events(), b.events());
        prop_assert_eq!(a.state(), b.state());
    }

    #[test]
    fn save_restore_mid_run_continues_identically((seed, cmds) in commands(), split in 0usize..60) {
        let sc = dropper();
        let split = split.min(cmds.len());
        let whole = play(&sc, seed, &cmds);
        let first = play(&sc, seed, &cmds[..split]);
        let saved = serde_json::to_string(first.state()).expect("state serialises");
        let state: State = serde_json::from_str(&saved).expect("state deserialises");
        let mut resumed = Exercise::restore(Arc::clone(&sc), state).expect("same scenario");
        for c in &cmds[split..] {
            resumed.apply(c);
        }
        prop_assert_eq!(whole.events(), resumed.events());
        prop_assert_eq!(whole.state(), resumed.state());
    }

    #[test]
    fn a_restarted_exercise_is_a_new_one((seed, cmds) in commands(), (seed2, more) in commands()) {
        let sc = dropper();
        let mut reused = play(&sc, seed, &cmds);
        reused.restart(seed2);
        let started = Exercise::start(Arc::clone(&sc), seed2);
        prop_assert_eq!(reused.state(), started.state());
        let fresh = play(&sc, seed2, &more);
        for c in &more {
            reused.apply(c);
        }
        prop_assert_eq!(reused.events(), fresh.events());
        prop_assert_eq!(reused.state(), fresh.state());
    }

    #[test]
    fn invariants_hold_after_every_command((seed, cmds) in commands()) {
        let sc = dropper();
        let mut ex = Exercise::start(Arc::clone(&sc), seed);
        check_bounds(&sc, &ex)?;
        for c in &cmds {
            let before = ex.now();
            ex.apply(c);
            prop_assert!(ex.now() >= before, "time went backwards");
            prop_assert!(ex.now() <= sc.end, "time past the end");
            check_bounds(&sc, &ex)?;
        }
        let events = ex.events();
        for (i, e) in events.iter().enumerate() {
            prop_assert_eq!(e.seq as usize, i);
            if i > 0 {
                prop_assert!(e.at >= events[i - 1].at, "events out of time order");
            }
        }
        // Nothing happens after the ending but refusals of late commands.
        if let Some(end) = events.iter().position(|e| matches!(e.kind, EventKind::ExerciseEnded { .. })) {
            for e in &events[end + 1..] {
                let late = matches!(&e.kind, EventKind::CommandRejected(r) if r.rejection == Rejection::ExerciseOver);
                prop_assert!(late, "event after the ending: {:?}", e.kind);
            }
        }
        // Timers never fire early: a deadline expires exactly when it said.
        for e in events {
            if let EventKind::PromptExpired { inject, .. } = &e.kind {
                let delivered = events.iter().rev().filter(|d| d.seq < e.seq).find_map(|d| match &d.kind {
                    EventKind::InjectDelivered { inject: i, expires_at, .. } if i == inject => *expires_at,
                    _ => None,
                });
                prop_assert_eq!(delivered, Some(e.at));
            }
        }
    }

    #[test]
    fn views_hold_exactly_what_a_role_may_see((seed, cmds) in commands()) {
        let sc = dropper();
        let ex = play(&sc, seed, &cmds);
        for (role, r) in sc.roles.iter().zip(ttx::engine::model::RoleIx::all(sc.roles.len())) {
            let seat = Seat::Role(role.id.clone());
            let view = ex.view_for(&seat);
            let expected: Vec<&Event> = ex.events().iter().filter(|e| e.audience.includes(r)).collect();
            prop_assert_eq!(&view.events, &expected);
            for e in &view.events {
                prop_assert!(e.audience.includes(r));
            }
            prop_assert!(view.hidden.is_none());
            for v in &view.variables {
                let var = sc.variables.iter().find(|x| x.id == v.id).expect("declared");
                prop_assert!(var.audience.includes(r));
            }
        }
        let all = ex.view_for(&Seat::Facilitator);
        prop_assert_eq!(all.events.len(), ex.events().len());
        prop_assert!(all.hidden.is_some());
    }
}
