//! Whole runs of the bundled dropper scenario through the library: determinism, seeded
//! variety, endings, and rejected commands as events.

mod common;

use std::collections::BTreeSet;

use common::{draw, ending, run_script, scenario};
use ttx::engine::command::{Command, Issued};
use ttx::engine::event::{EventKind, Rejection};
use ttx::engine::exercise::Exercise;
use ttx::engine::ids::Seat;
use ttx::sim::headless::transcript;

#[test]
fn same_seed_gives_byte_identical_transcripts() {
    let sc = scenario("dropper-0330.ron");
    for script in [None, Some("dropper-0330/by-the-book.txt")] {
        let a = transcript(&run_script(&sc, 7, script));
        let b = transcript(&run_script(&sc, 7, script));
        assert_eq!(a, b);
        assert!(!a.is_empty());
    }
}

#[test]
fn seeds_change_the_story() {
    let sc = scenario("dropper-0330.ron");
    let distinct: BTreeSet<String> = (1..=20)
        .map(|seed| transcript(&run_script(&sc, seed, None)))
        .collect();
    assert!(
        distinct.len() >= 3,
        "only {} distinct transcripts",
        distinct.len()
    );
}

#[test]
fn nobody_acting_ends_in_ransomware() {
    let sc = scenario("dropper-0330.ron");
    for seed in 1..=20 {
        let ex = run_script(&sc, seed, None);
        assert_eq!(ending(&ex).as_deref(), Some("ransomware"), "seed {seed}");
    }
}

#[test]
fn isolating_early_under_a_playbook_contains_the_dropper() {
    let sc = scenario("dropper-0330.ron");
    let ex = run_script(&sc, 7, Some("dropper-0330/isolate-early.txt"));
    assert_eq!(draw(&ex, "playbook_on_file"), 1, "seed 7 has the playbook");
    assert_eq!(ending(&ex).as_deref(), Some("contained_early"));
    let preapproved = ex.events().iter().any(|e| {
        matches!(e.kind, EventKind::ActionTaken { action, preapproved: true, .. } if sc.action(action).id.as_str() == "isolate_host")
    });
    assert!(preapproved);
}

#[test]
fn without_a_playbook_isolation_waits_for_approval() {
    let sc = scenario("dropper-0330.ron");
    let seed = (1..100)
        .find(|s| draw(&Exercise::start(sc.clone(), *s), "playbook_on_file") == 0)
        .expect("some seed has no playbook");
    let ex = run_script(&sc, seed, Some("dropper-0330/isolate-early.txt"));
    assert!(
        ex.events()
            .iter()
            .any(|e| matches!(&e.kind, EventKind::ApprovalRequested { needed: 3, .. }))
    );
    assert_eq!(ending(&ex).as_deref(), Some("ransomware"));
}

#[test]
fn isolating_outside_the_contract_is_a_mixed_ending() {
    let sc = scenario("dropper-0330.ron");
    for seed in 1..=10 {
        let ex = run_script(&sc, seed, Some("dropper-0330/outside-contract.txt"));
        assert_eq!(
            ending(&ex).as_deref(),
            Some("contained_outside_contract"),
            "seed {seed}"
        );
    }
}

#[test]
fn the_escalation_path_works_when_people_answer() {
    let sc = scenario("dropper-0330.ron");
    // Draws are rolled again on each call; find a seed where both phones are answered first time.
    let seed = (1..500)
        .find(|s| {
            let ex = run_script(&sc, *s, Some("dropper-0330/by-the-book.txt"));
            draw(&ex, "playbook_on_file") == 0 && ending(&ex).as_deref() == Some("contained_early")
        })
        .expect("a seed where the escalation path works");
    let ex = run_script(&sc, seed, Some("dropper-0330/by-the-book.txt"));
    let approved = ex.events().iter().any(|e| {
        matches!(e.kind, EventKind::DecisionMade { inject, option, .. } if sc.inject(inject).id.as_str() == "exec_briefing" && sc.option_id(inject, option) == Some("approve"))
    });
    assert!(approved);
}

fn rejection(ex: &mut Exercise, by: Seat, command: Command) -> Rejection {
    let events = ex.apply(&Issued::new(by, command));
    match events {
        [e] => match &e.kind {
            EventKind::CommandRejected(r) => r.rejection.clone(),
            other => panic!("expected a rejection, got {other:?}"),
        },
        other => panic!("expected one event, got {other:?}"),
    }
}

#[test]
fn bad_commands_become_rejection_events() {
    let sc = scenario("dropper-0330.ron");
    let mut ex = Exercise::start(sc, 3);
    let analyst = Seat::role("soc_analyst");
    let manager = Seat::role("oncall_manager");
    assert_eq!(
        rejection(
            &mut ex,
            analyst.clone(),
            Command::Act {
                action: "nope".into()
            }
        ),
        Rejection::UnknownAction
    );
    assert_eq!(
        rejection(
            &mut ex,
            Seat::role("ghost"),
            Command::Act {
                action: "triage".into()
            }
        ),
        Rejection::UnknownRole
    );
    assert_eq!(
        rejection(
            &mut ex,
            manager.clone(),
            Command::Act {
                action: "triage".into()
            }
        ),
        Rejection::WrongRole
    );
    assert_eq!(
        rejection(&mut ex, analyst.clone(), Command::Pause),
        Rejection::FacilitatorOnly
    );
    assert_eq!(
        rejection(
            &mut ex,
            Seat::role("duty_exec"),
            Command::Act {
                action: "approve_isolation".into()
            }
        ),
        Rejection::Unreachable {
            note: "Sarah is asleep; someone has to phone her first.".into()
        }
    );
    assert_eq!(
        rejection(
            &mut ex,
            manager.clone(),
            Command::Choose {
                inject: "oncall_call".into(),
                option: "defer".into()
            }
        ),
        Rejection::NoOpenPrompt
    );
    ex.apply(&Issued::new(
        analyst.clone(),
        Command::Act {
            action: "triage".into(),
        },
    ));
    assert!(matches!(
        rejection(
            &mut ex,
            analyst.clone(),
            Command::Act {
                action: "open_ticket".into()
            }
        ),
        Rejection::Busy { .. }
    ));
    ex.apply(&Issued::facilitator(Command::Tick { minutes: 10 }));
    assert_eq!(
        rejection(
            &mut ex,
            analyst.clone(),
            Command::Act {
                action: "triage".into()
            }
        ),
        Rejection::AlreadyTaken
    );
    assert_eq!(
        rejection(
            &mut ex,
            analyst.clone(),
            Command::AdvanceTo {
                at: ttx::engine::GameTime(1)
            }
        ),
        Rejection::TimeInPast
    );
    ex.apply(&Issued::facilitator(Command::EndExercise { ending: None }));
    assert_eq!(
        rejection(
            &mut ex,
            analyst,
            Command::Act {
                action: "call_oncall".into()
            }
        ),
        Rejection::ExerciseOver
    );
}

#[test]
fn the_on_call_manager_is_not_authorised_to_approve() {
    let sc = scenario("dropper-0330.ron");
    let mut ex = Exercise::start(sc, 1);
    ex.apply(&Issued::facilitator(Command::Tick { minutes: 2 }));
    let manager = Seat::role("oncall_manager");
    ex.apply(&Issued::facilitator(Command::FireInject {
        inject: "oncall_call".into(),
    }));
    assert_eq!(
        rejection(
            &mut ex,
            manager.clone(),
            Command::Choose {
                inject: "oncall_call".into(),
                option: "approve".into()
            }
        ),
        Rejection::NotAuthorised {
            needed: 3,
            has: 2,
            domain: ttx::engine::model::Domain::MAIN
        }
    );
    // The prompt is still open, and expires into its default.
    ex.apply(&Issued::facilitator(Command::Tick { minutes: 10 }));
    assert!(ex.events().iter().any(|e| matches!(&e.kind, EventKind::PromptExpired { inject, default: Some(d) } if ex.scenario().option_id(*inject, *d) == Some("defer"))));
}

#[test]
fn pause_freezes_the_clock_until_resumed() {
    let sc = scenario("dropper-0330.ron");
    let mut ex = Exercise::start(sc, 1);
    ex.apply(&Issued::facilitator(Command::Pause));
    assert_eq!(
        rejection(&mut ex, Seat::Facilitator, Command::Tick { minutes: 5 }),
        Rejection::Paused
    );
    ex.apply(&Issued::facilitator(Command::Resume));
    ex.apply(&Issued::facilitator(Command::Tick { minutes: 5 }));
    assert_eq!(ex.now(), ttx::engine::GameTime(5));
}

#[test]
fn advance_to_next_event_stops_at_the_next_thing() {
    let sc = scenario("dropper-0330.ron");
    let mut ex = Exercise::start(sc, 7);
    let before = ex.events().len();
    ex.apply(&Issued::facilitator(Command::AdvanceToNextEvent));
    assert!(ex.events().len() > before);
    assert_eq!(ex.now(), ex.events().last().expect("events").at);
}

#[test]
fn conditions_read_slas_reachability_and_expired_prompts() {
    let text = r#"Scenario(
    format: 1, id: "conds", title: "Conditions", start: "Mon 09:00", end: "+120",
    roles: [
        Role(id: "soc", name: "SOC", side: Response, authority: 1),
        Role(id: "boss", name: "Boss", side: Management, authority: 3, reachable: After("09:30")),
    ],
    variables: [Variable(id: "sev", min: 1, max: 2, initial: 2), Variable(id: "acked", max: 1)],
    injects: [
        Inject(id: "ask", at: "09:05", to: ["soc"], channel: Phone, text: "Well?",
            prompt: Prompt(question: "?", options: [Choice(id: "yes", label: "Yes"), Choice(id: "no", label: "No")], deadline: 5, default: "no")),
        Inject(id: "breach_note", when: SlaBreached("ack"), to: ["soc"], channel: Email, text: "Breached."),
        Inject(id: "boss_up", when: Reachable("boss"), to: ["soc"], channel: Chat, text: "Boss is in."),
        Inject(id: "expired_note", when: Expired("ask"), to: ["soc"], channel: Chat, text: "Nobody answered."),
    ],
    slas: [Sla(id: "ack", name: "Ack", severity: "sev", starts: Always, met: Is("acked"), targets: [(1, 10), (2, 20)])],
    endings: [
        Ending(id: "done", title: "Done", outcome: Good, when: All([SlaBreached("ack"), Delivered("boss_up"), Delivered("expired_note")])),
        Ending(id: "late", title: "Late", outcome: Bad, when: TimeUp),
    ],
)"#;
    let sc = ttx::scenario::load_str("conds.ron", text)
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario;
    let mut ex = Exercise::start(sc, 1);
    ex.apply(&Issued::facilitator(Command::AdvanceTo {
        at: ttx::engine::GameTime(120),
    }));
    let at = |id: &str| {
        ex.events().iter().find_map(|e| match &e.kind {
            EventKind::InjectDelivered { inject, .. }
                if ex.scenario().inject(*inject).id.as_str() == id =>
            {
                Some(e.at.minutes())
            }
            _ => None,
        })
    };
    assert_eq!(at("expired_note"), Some(10), "the prompt expires at 09:10");
    assert_eq!(
        at("breach_note"),
        Some(21),
        "the breach is the minute after the 20-minute target"
    );
    assert_eq!(
        at("boss_up"),
        Some(30),
        "the boss becomes reachable at 09:30"
    );
    assert_eq!(ending(&ex).as_deref(), Some("done"));
    let bad = ttx::scenario::load_str(
        "loop.ron",
        &text.replace(
            r#"reachable: After("09:30")"#,
            r#"reachable: Reachable("soc")"#,
        ),
    )
    .expect_err("Reachable inside reachable");
    assert!(
        bad.diagnostics[0]
            .message
            .contains("`Reachable` cannot be used inside")
    );
}

/// The named form of the kinds of event the golden transcripts never reach: each puts the
/// scenario's ids back where the event holds indices.
#[test]
fn events_serialise_with_their_names() {
    use ttx::engine::event::{Actor, AdHoc, Event};
    use ttx::engine::model::{ActionIx, RoleIx, StageIx};
    use ttx::engine::model::{Audience, Channel};
    use ttx::engine::time::GameTime;

    let sc = scenario("dropper-0330.ron");
    let line = |kind: EventKind| {
        let e = Event {
            seq: 7,
            at: GameTime(12),
            audience: Audience::of(RoleIx(0)).union(Audience::of(RoleIx(2))),
            kind,
        };
        serde_json::to_string(&e.named(&sc)).expect("serialises")
    };
    let (r0, r1, r2) = (
        sc.roles[0].id.as_str(),
        sc.roles[1].id.as_str(),
        sc.roles[2].id.as_str(),
    );
    assert_eq!(
        line(EventKind::Paused),
        format!(r#"{{"seq":7,"at":12,"audience":["{r0}","{r2}"],"type":"Paused"}}"#)
    );
    assert!(line(EventKind::Resumed).ends_with(r#""type":"Resumed"}"#));
    let adhoc = line(EventKind::AdHocInjectDelivered(Box::new(AdHoc {
        channel: Channel::Phone,
        from: "Duty desk".into(),
        text: "Call me.".into(),
        options: Vec::new(),
    })));
    assert!(
        adhoc.ends_with(
            r#""type":"AdHocInjectDelivered","channel":"Phone","from":"Duty desk","text":"Call me."}"#
        ),
        "{adhoc}"
    );
    let denied = line(EventKind::ApprovalDenied {
        request: 3,
        action: ActionIx(1),
        by: Actor::Role(RoleIx(1)),
    });
    let action = sc.actions[1].id.as_str();
    assert!(
        denied.ends_with(&format!(
            r#""type":"ApprovalDenied","request":3,"action":"{action}","by":"{r1}"}}"#
        )),
        "{denied}"
    );
    let threat = sc.threat.as_ref().expect("the dropper has a threat");
    let resumed = line(EventKind::ThreatResumed { stage: StageIx(1) });
    assert!(
        resumed.ends_with(&format!(
            r#""type":"ThreatResumed","stage":"{}"}}"#,
            threat.stages[1].id
        )),
        "{resumed}"
    );
    let by_facilitator = line(EventKind::ApprovalGranted {
        request: 0,
        action: ActionIx(0),
        by: Actor::Facilitator,
    });
    assert!(
        by_facilitator.contains(r#""by":"facilitator""#),
        "{by_facilitator}"
    );
}

/// A seat that is none of the scenario's roles sees nothing: no events, values, prompts or
/// approval requests (only the facilitator sees everything).
#[test]
fn a_seat_that_is_no_role_sees_nothing() {
    let sc = scenario("dropper-0330.ron");
    // The start of `exec-calls-back.txt`: the analyst's isolation request stays pending.
    let text = "at 03:31 soc_analyst triage\nat 03:39 soc_analyst call_oncall\n\
                at 03:43 oncall_manager choose oncall_call wake_exec\n\
                at 03:43 soc_analyst isolate_host\n";
    let steps = ttx::sim::script::parse("start.txt", text, sc.start).expect("script parses");
    let ex = ttx::sim::headless::run(sc, 8, &steps);
    let everyone = ex.view_for(&Seat::Facilitator);
    assert!(
        !everyone.requests.is_empty(),
        "the isolation waits for approval"
    );
    let nobody = ex.view_for(&Seat::role("auditor"));
    assert!(nobody.events.is_empty());
    assert!(nobody.variables.is_empty());
    assert!(nobody.prompts.is_empty());
    assert!(nobody.requests.is_empty());
    assert!(nobody.threat.is_none() && nobody.hidden.is_none());
}

/// Whether the checks the engine repeats after every moment read the clock: when none does
/// (the dropper's), they are repeated only after an event.
#[test]
fn which_scenarios_checks_read_the_clock() {
    assert!(!scenario("dropper-0330.ron").checks_read_clock);
    assert!(scenario("bob-saas-weekend.ron").checks_read_clock);
}

/// An approver who cannot be reached is not offered Approve or Deny: their screen shows the
/// request greyed with the reason; the requester's screen names whom it waits for.
#[test]
fn an_unreachable_approver_is_not_offered_the_request() {
    use ttx::session::screen::{Status, screen};
    use ttx::session::{Seating, Sitter};
    use ttx::tui::app::{ActionItem, Console};
    let sc = scenario("dropper-0330.ron");
    let seed = (1..100)
        .find(|s| draw(&Exercise::start(sc.clone(), *s), "playbook_on_file") == 0)
        .expect("some seed has no playbook");
    let mut ex = Exercise::start(sc.clone(), seed);
    let analyst = Seat::role("soc_analyst");
    let exec = Seat::role("duty_exec");
    for (minutes, action) in [(1, "triage"), (9, "isolate_host")] {
        ex.apply(&Issued::facilitator(Command::Tick { minutes }));
        ex.apply(&Issued {
            by: analyst.clone(),
            command: Command::Act {
                action: action.into(),
            },
        });
    }
    assert!(
        ex.events()
            .iter()
            .any(|e| matches!(&e.kind, EventKind::ApprovalRequested { .. })),
        "the isolation asked for approval"
    );
    let seating = Seating {
        roles: vec![Sitter::Person; sc.roles.len()],
        facilitator: Sitter::Person,
        evaluator: Sitter::Nobody,
    };
    // The duty executive is asleep: the request is shown, greyed, with why.
    let s = screen(&ex, &seating, Status::default(), &exec);
    let line = s
        .requests
        .first()
        .expect("the request is on the exec's screen");
    assert!(!line.can_decide);
    assert!(
        line.why_not
            .as_deref()
            .is_some_and(|w| w.contains("asleep")),
        "{line:?}"
    );
    let items = Console::action_items_of(&s);
    assert!(
        items
            .iter()
            .all(|i| !matches!(i, ActionItem::Approve(_) | ActionItem::Deny(_))),
        "{items:?}"
    );
    // Greyed approve and deny rows: the list keeps its rows when the exec can be reached.
    assert!(items.contains(&ActionItem::CannotDecide(line.request, true)));
    assert!(items.contains(&ActionItem::CannotDecide(line.request, false)));
    // The analyst's screen says whose approval it waits for.
    let s = screen(&ex, &seating, Status::default(), &analyst);
    let isolate = s
        .actions
        .iter()
        .find(|a| a.id.as_str() == "isolate_host")
        .expect("isolation");
    assert_eq!(isolate.approvers.as_deref(), Some("Duty executive"));
    // The engine view agrees.
    let view = ex.view_for(&exec);
    assert!(
        view.requests
            .iter()
            .all(|r| !r.can_decide && r.unreachable.is_some())
    );
}

/// A request is withdrawn when its action is taken another way, and never answered after:
/// over seeded runs of every policy in every bundled scenario, no approval or denial
/// follows the start of its (non-repeatable) action, and the withdrawals happen.
#[test]
fn a_request_is_withdrawn_when_its_action_is_taken_another_way() {
    use std::collections::BTreeMap;
    use ttx::engine::model::{BotSpec, Policy, RoleIx};
    use ttx::sim::headless;
    let mut withdrawn = 0;
    for name in common::BUNDLED {
        let sc = scenario(name);
        for seed in 1..=60u64 {
            let policy = Policy::ALL[usize::try_from(seed).unwrap_or(0) % Policy::ALL.len()];
            let seats: Vec<(RoleIx, BotSpec)> = RoleIx::all(sc.roles.len())
                .map(|r| (r, BotSpec::new(policy)))
                .collect();
            let ex = headless::run_with_bots(sc.clone(), seed, &[], &seats);
            let mut started = BTreeMap::new();
            for e in ex.events() {
                match &e.kind {
                    EventKind::ActionTaken { action, .. } => {
                        started.entry(*action).or_insert(e.at);
                    }
                    EventKind::ApprovalGranted { action, .. }
                    | EventKind::ApprovalDenied { action, .. } => {
                        let a = sc.action(*action);
                        assert!(
                            a.repeatable || !started.contains_key(action),
                            "{name} seed {seed}: {} answered after it was taken",
                            a.id
                        );
                    }
                    EventKind::ApprovalWithdrawn { .. } => withdrawn += 1,
                    _ => {}
                }
            }
        }
    }
    assert!(withdrawn > 0, "some run withdrew a request");
}

/// A contained dropper's story runs on for its half-hour epilogue: the analyst can still
/// phone the on-call manager as the runbook asks, and that call is rated; the exercise
/// ends with the ending reached, at the epilogue's end; a facilitator who ends it during
/// the epilogue keeps that ending.
#[test]
fn an_ending_with_an_epilogue_lets_the_story_run_on() {
    use ttx::engine::model::Rating;
    let sc = scenario("dropper-0330.ron");
    let analyst = Seat::role("soc_analyst");
    let act = |ex: &mut Exercise, action: &str| {
        ex.apply(&Issued {
            by: analyst.clone(),
            command: Command::Act {
                action: action.into(),
            },
        });
    };
    let tick = |ex: &mut Exercise, minutes: u32| {
        ex.apply(&Issued::facilitator(Command::Tick { minutes }));
    };
    let escalate_rating = |ex: &Exercise| {
        let o = ex
            .scenario()
            .objectives
            .iter()
            .position(|o| o.id.as_str() == "escalate")
            .expect("objective");
        ex.events().iter().find_map(|e| match &e.kind {
            EventKind::ObjectiveRated { objective, rating } if usize::from(*objective) == o => {
                Some(*rating)
            }
            _ => None,
        })
    };
    let contained = |call: bool, end_early: bool| {
        let mut ex = Exercise::start(sc.clone(), 7);
        tick(&mut ex, 1);
        act(&mut ex, "triage");
        tick(&mut ex, 9);
        act(&mut ex, "isolate_host");
        tick(&mut ex, 2);
        let started = ex
            .events()
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::EpilogueStarted { until, .. } => Some((e.at, *until)),
                _ => None,
            })
            .expect("the epilogue began when the host was contained");
        assert_eq!(started.1.0, started.0.0 + 30);
        assert!(!ex.is_over(), "the story runs on");
        if call {
            act(&mut ex, "call_oncall");
            assert!(
                ex.events()
                    .iter()
                    .any(|e| matches!(&e.kind, EventKind::ActionTaken { .. }) && e.at >= started.0),
                "an action during the epilogue"
            );
        }
        if end_early {
            ex.apply(&Issued::facilitator(Command::EndExercise { ending: None }));
        } else {
            tick(&mut ex, 29);
            assert!(!ex.is_over(), "one minute before the epilogue's end");
            tick(&mut ex, 5);
        }
        assert!(ex.is_over());
        assert_eq!(ending(&ex).as_deref(), Some("contained_early"));
        let end_at = ex.events().last().expect("the end").at;
        if !end_early {
            assert_eq!(end_at, started.1, "it ends at the epilogue's end");
        }
        ex
    };
    let called = contained(true, false);
    let silent = contained(false, false);
    assert_ne!(
        escalate_rating(&called),
        Some(Rating::U),
        "the call was rated"
    );
    assert_eq!(escalate_rating(&silent), Some(Rating::U));
    let _ = contained(true, true);
}

/// What is due at an epilogue's last minute still happens before the exercise ends: a call
/// begun three minutes before the end completes, and counts.
#[test]
fn the_epilogue_s_last_minute_is_played() {
    let sc = scenario("dropper-0330.ron");
    let analyst = Seat::role("soc_analyst");
    let mut ex = Exercise::start(sc, 7);
    let act = |ex: &mut Exercise, action: &str| {
        ex.apply(&Issued {
            by: analyst.clone(),
            command: Command::Act {
                action: action.into(),
            },
        });
    };
    ex.apply(&Issued::facilitator(Command::Tick { minutes: 1 }));
    act(&mut ex, "triage");
    ex.apply(&Issued::facilitator(Command::Tick { minutes: 9 }));
    act(&mut ex, "isolate_host");
    ex.apply(&Issued::facilitator(Command::Tick { minutes: 2 }));
    let until = ex
        .events()
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::EpilogueStarted { until, .. } => Some(*until),
            _ => None,
        })
        .expect("an epilogue");
    // The call takes 3 minutes: begun 3 minutes before the end, it ends with the epilogue.
    ex.apply(&Issued::facilitator(Command::AdvanceTo {
        at: ttx::engine::GameTime(until.0 - 3),
    }));
    act(&mut ex, "call_oncall");
    ex.apply(&Issued::facilitator(Command::Tick { minutes: 10 }));
    assert!(ex.is_over());
    let done = ex.events().iter().position(|e| {
        matches!(&e.kind, EventKind::ActionCompleted { action, .. }
            if ex.scenario().action(*action).id.as_str() == "call_oncall")
    });
    let end = ex
        .events()
        .iter()
        .position(|e| matches!(&e.kind, EventKind::ExerciseEnded { .. }));
    assert!(done.is_some() && done < end, "completed before the end");
    assert_eq!(ex.events()[end.expect("ended")].at, until);
}

/// Notes: the room's discussion and observations are the facilitator's, tied to the module
/// under way; the hot wash is anyone's and is taken after the end too; a note needs text,
/// and a rating needs an objective the scenario has.
#[test]
fn notes_are_checked_tied_to_their_module_and_taken_after_the_end() {
    use ttx::engine::event::{EventKind, Rejection};
    use ttx::engine::model::{NoteKind, Rating};
    use ttx::engine::{Command, Issued};
    let sc = common::scenario("dropper-0330.ron");
    let mut ex = Exercise::start(std::sync::Arc::clone(&sc), 3);
    let note = |kind, text: &str, objective: Option<&str>, rating| Command::Note {
        kind,
        text: text.into(),
        objective: objective.map(Into::into),
        rating,
    };
    let last = |ex: &Exercise| ex.events().last().expect("an event").kind.clone();
    ex.apply(&Issued::new(
        Seat::role("soc_analyst"),
        note(NoteKind::Discussion, "mine", None, None),
    ));
    assert!(
        matches!(last(&ex), EventKind::CommandRejected(r) if r.rejection == Rejection::FacilitatorOnly)
    );
    ex.apply(&Issued::facilitator(note(
        NoteKind::Observation,
        "  ",
        None,
        None,
    )));
    assert!(
        matches!(last(&ex), EventKind::CommandRejected(r) if r.rejection == Rejection::BadNote)
    );
    ex.apply(&Issued::facilitator(note(
        NoteKind::Observation,
        "good",
        None,
        Some(Rating::S),
    )));
    assert!(
        matches!(last(&ex), EventKind::CommandRejected(r) if r.rejection == Rejection::BadNote)
    );
    ex.apply(&Issued::facilitator(note(
        NoteKind::Observation,
        "good",
        Some("nosuch"),
        None,
    )));
    assert!(
        matches!(last(&ex), EventKind::CommandRejected(r) if r.rejection == Rejection::BadNote)
    );
    let objective = sc.objectives[0].id.to_string();
    ex.apply(&Issued::facilitator(note(
        NoteKind::Observation,
        " Priya escalated at once ",
        Some(&objective),
        Some(Rating::P),
    )));
    let EventKind::Noted(n) = last(&ex) else {
        panic!("noted")
    };
    assert_eq!(n.text, "Priya escalated at once");
    assert_eq!(n.rating, Some(Rating::P));
    assert_eq!(
        n.module,
        sc.module_at(ex.now()).and_then(|m| u16::try_from(m).ok())
    );
    assert!(
        ex.events().last().expect("event").audience.is_empty(),
        "the facilitator's"
    );
    ex.apply(&Issued::facilitator(Command::EndExercise { ending: None }));
    assert!(ex.is_over());
    ex.apply(&Issued::new(
        Seat::role("soc_analyst"),
        note(NoteKind::Strength, "We called early", None, None),
    ));
    let e = ex.events().last().expect("event");
    assert!(matches!(&e.kind, EventKind::Noted(n) if n.kind == NoteKind::Strength));
    assert_eq!(e.audience.roles().count(), 1, "its writer's");
    ex.apply(&Issued::facilitator(Command::Pause));
    assert!(
        matches!(last(&ex), EventKind::CommandRejected(r) if r.rejection == Rejection::ExerciseOver)
    );
}

/// The evaluator sees everything and moves nothing: its observations are taken, every
/// other command is refused.
#[test]
fn the_evaluator_notes_and_moves_nothing() {
    use ttx::engine::event::{EventKind, Rejection};
    use ttx::engine::model::{NoteKind, Rating};
    use ttx::engine::{Command, Issued};
    let sc = common::scenario("dropper-0330.ron");
    let mut ex = Exercise::start(std::sync::Arc::clone(&sc), 3);
    let refused = |ex: &mut Exercise, c: Command| {
        ex.apply(&Issued::new(Seat::Evaluator, c));
        match &ex.events().last().expect("event").kind {
            EventKind::CommandRejected(r) => r.rejection.clone(),
            other => panic!("taken: {other:?}"),
        }
    };
    assert_eq!(
        refused(&mut ex, Command::Tick { minutes: 5 }),
        Rejection::WrongRole
    );
    assert_eq!(
        refused(
            &mut ex,
            Command::Act {
                action: "triage".into()
            }
        ),
        Rejection::WrongRole
    );
    assert_eq!(refused(&mut ex, Command::Pause), Rejection::WrongRole);
    assert_eq!(
        refused(
            &mut ex,
            Command::Note {
                kind: NoteKind::Discussion,
                text: "the room".into(),
                objective: None,
                rating: None,
            }
        ),
        Rejection::FacilitatorOnly
    );
    ex.apply(&Issued::new(
        Seat::Evaluator,
        Command::Note {
            kind: NoteKind::Observation,
            text: "Priya triaged at once".into(),
            objective: Some(sc.objectives[0].id.clone()),
            rating: Some(Rating::S),
        },
    ));
    let e = ex.events().last().expect("event");
    assert!(matches!(&e.kind, EventKind::Noted(n) if n.by == ttx::engine::event::Actor::Evaluator));
    assert!(
        e.audience.is_empty(),
        "the facilitator's and the evaluator's"
    );
    let view = ex.view_for(&Seat::Evaluator);
    assert_eq!(view.events.len(), ex.events().len(), "it sees everything");
    assert!(view.hidden.is_some());
}

/// A free-text inject with answers: each recipient answers once, with an answer offered;
/// a role it did not reach may not answer; the answer is logged with its words.
#[test]
fn a_free_text_inject_is_answered_once_by_each_recipient() {
    use ttx::engine::event::{EventKind, Rejection};
    use ttx::engine::model::Channel;
    use ttx::engine::{Command, Issued};
    let sc = common::scenario("dropper-0330.ron");
    let mut ex = Exercise::start(std::sync::Arc::clone(&sc), 3);
    ex.apply(&Issued::facilitator(Command::AdHocInject {
        to: vec!["soc_analyst".into()],
        channel: Channel::Phone,
        from: "Reporter".into(),
        text: "A statement?".into(),
        options: vec!["Yes".into(), "No comment".into()],
    }));
    let seq = ex.events().last().expect("delivered").seq;
    let answer = |ex: &mut Exercise, role: &str, option: u16| {
        ex.apply(&Issued::new(
            Seat::role(role),
            Command::AnswerAdHoc { seq, option },
        ));
        ex.events().last().expect("event").kind.clone()
    };
    let rejected = |k: EventKind| match k {
        EventKind::CommandRejected(r) => Some(r.rejection),
        _ => None,
    };
    assert_eq!(
        rejected(answer(&mut ex, "duty_exec", 0)),
        Some(Rejection::WrongRole)
    );
    assert_eq!(
        rejected(answer(&mut ex, "soc_analyst", 2)),
        Some(Rejection::UnknownOption)
    );
    assert!(matches!(
        answer(&mut ex, "soc_analyst", 1),
        EventKind::AdHocAnswered(a) if a.answer == "No comment"
    ));
    assert_eq!(
        rejected(answer(&mut ex, "soc_analyst", 0)),
        Some(Rejection::NoOpenPrompt)
    );
}

/// Delays up to a time on the clock: `At("05:00")` is the next 05:00 after the effect runs,
/// `At("+0:50")` that moment of the exercise (at once when it has passed), and a stage
/// `after: At("05:30")` comes at 05:30 whatever the stage before.
#[test]
fn delays_up_to_a_time_on_the_clock() {
    use ttx::engine::GameTime;
    use ttx::engine::event::EventKind;
    let sc = valid_fixture("clock-delays");
    let delivered = |ex: &ttx::engine::Exercise, id: &str| {
        let i = sc.inject_index(id).expect("inject");
        ex.events().iter().find_map(|e| match e.kind {
            EventKind::InjectDelivered { inject, .. } if inject == i => Some(e.at),
            _ => None,
        })
    };
    for (take_at, reminder_at) in [(10, 50), (70, 73)] {
        let mut ex = ttx::engine::Exercise::start(std::sync::Arc::clone(&sc), 3);
        advance(&mut ex, GameTime(take_at));
        act(&mut ex, "analyst", "escalate");
        advance(&mut ex, GameTime(200));
        // The action completes 3 minutes after it is taken; its effects run then.
        assert_eq!(
            delivered(&ex, "followup"),
            Some(GameTime(90)),
            "the next 05:00"
        );
        assert_eq!(
            delivered(&ex, "reminder"),
            Some(GameTime(reminder_at)),
            "+0:50, or at once"
        );
        let lateral = sc
            .threat
            .as_ref()
            .and_then(|t| t.stages.iter().position(|s| s.id.as_str() == "lateral"))
            .expect("stage");
        let reached = ex.events().iter().find_map(|e| match e.kind {
            EventKind::ThreatAdvanced { stage } if stage.ix() == lateral => Some(e.at),
            _ => None,
        });
        assert_eq!(reached, Some(GameTime(120)), "05:30");
    }
}

/// SLA clocks: `restart: true` starts the clock again, with the new severity's target, when
/// the ticket is re-scored; `target: 45` is 45 minutes whatever the severity.
#[test]
fn an_sla_restarts_when_re_scored_and_a_fixed_target_stays() {
    use ttx::engine::GameTime;
    use ttx::engine::event::EventKind;
    let sc = valid_fixture("sla-clocks");
    let mut ex = ttx::engine::Exercise::start(std::sync::Arc::clone(&sc), 3);
    advance(&mut ex, GameTime(10));
    act(&mut ex, "analyst", "rescore");
    advance(&mut ex, GameTime(100));
    let events = |kind: &str| -> Vec<(u32, u32, Option<u32>)> {
        ex.events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::SlaStarted { sla, due_at, .. } if kind == "started" => {
                    Some((sla.0, e.at.minutes(), due_at.map(GameTime::minutes)))
                }
                EventKind::SlaBreached { sla, due_at, .. } if kind == "breached" => {
                    Some((sla.0, e.at.minutes(), Some(due_at.minutes())))
                }
                _ => None,
            })
            .collect()
    };
    // The severity starts at 2 (30 min); re-scored to 1 at 03:41 (the action takes a
    // minute), the clock starts again with 15 min; the fixed one keeps its 45.
    assert_eq!(
        events("started"),
        vec![(0, 0, Some(30)), (1, 0, Some(45)), (0, 11, Some(26))]
    );
    assert_eq!(
        events("breached"),
        vec![(0, 27, Some(26)), (1, 46, Some(45))]
    );
}

/// `Requested("action")` holds while a request to approve the action waits, and not once
/// it is decided.
#[test]
fn a_pending_request_is_a_condition() {
    use ttx::engine::model::Cond;
    use ttx::engine::{Command, GameTime, Issued, Seat};
    let sc = valid_fixture("clock-delays");
    let isolate = Cond::Requested(sc.action_index("isolate").expect("isolate"));
    let mut ex = ttx::engine::Exercise::start(std::sync::Arc::clone(&sc), 3);
    advance(&mut ex, GameTime(5));
    assert!(!ex.holds(&isolate));
    act(&mut ex, "analyst", "isolate");
    assert!(ex.holds(&isolate), "asked");
    let request = ex.state().requests[0].id;
    ex.apply(&Issued::new(Seat::role("exec"), Command::Deny { request }));
    assert!(!ex.holds(&isolate), "decided");
}

/// An objective that `applies` only in some situations is rated N (not evaluated) when its
/// situation never arose, and the report says why; when it arose, it is rated as usual.
#[test]
fn an_objective_whose_situation_never_arose_is_not_evaluated() {
    use ttx::engine::model::Rating;
    let sc = common::edited_fixture(
        "clock-delays",
        &[(
            "objectives: [",
            "objectives: [\n        Objective(id: \"calm_exec\", text: \"Calm the woken executive.\", applies: Delivered(\"nudge\"),\n            ratings: [P(Taken(\"escalate\"))]),",
        )],
    );
    let rated = |ex: &ttx::engine::Exercise| {
        ex.events().iter().find_map(|e| match e.kind {
            ttx::engine::event::EventKind::ObjectiveRated { objective, rating }
                if objective.ix() == 0 =>
            {
                Some(rating)
            }
            _ => None,
        })
    };
    // Nobody acts: the nudge never goes out, so the objective never applied.
    let ex = ttx::sim::headless::run(std::sync::Arc::clone(&sc), 1, &[]);
    assert_eq!(rated(&ex), Some(Rating::N));
    let input = ttx::sim::headless::report_input(&ex, &[], &[], None);
    let r = ttx::report::build(ex.scenario(), ex.state(), &input);
    assert_eq!(
        r.objectives[0].rating_text,
        "Not evaluated: the situation it is about did not arise in this run"
    );
    let md = ttx::report::render(&r, ttx::report::Format::Markdown);
    assert!(
        md.contains("not evaluated (the situation did not arise)"),
        "{md}"
    );
    // The facilitator fires the nudge: now it applies, and nobody escalated: U.
    let mut ex = ttx::engine::Exercise::start(std::sync::Arc::clone(&sc), 1);
    ex.apply(&ttx::engine::Issued::facilitator(
        ttx::engine::Command::FireInject {
            inject: "nudge".into(),
        },
    ));
    ex.apply(&ttx::engine::Issued::facilitator(
        ttx::engine::Command::AdvanceTo { at: sc.end },
    ));
    assert_eq!(rated(&ex), Some(Rating::U));
}

/// Arithmetic with values: `Copy` a draw into a variable, `AddFrom` another value, and
/// `Compare` two values: "d20 + 3 >= 11" is one condition, not a chain of twenty.
#[test]
fn values_are_copied_added_and_compared() {
    use ttx::engine::event::EventKind;
    let sc = valid_fixture("arithmetic");
    let (mut hits, mut misses) = (0, 0);
    for seed in 0..60 {
        let ex = ttx::sim::headless::run(std::sync::Arc::clone(&sc), seed, &[]);
        let draws: Vec<i32> = ex
            .events()
            .iter()
            .filter_map(|e| match e.kind {
                EventKind::ValueDrawn { value, .. } => Some(value),
                _ => None,
            })
            .collect();
        let first = draws[draws.len() - 2];
        let second = draws[draws.len() - 1];
        let var = |id: &str| {
            ex.state().vars[sc
                .variables
                .iter()
                .position(|v| v.id.as_str() == id)
                .expect("var")]
        };
        assert_eq!(var("total"), first + 3, "seed {seed}");
        // Clamped to the variable's range, like every change to it.
        assert_eq!(var("roll"), (first + second).min(20), "seed {seed}");
        let ending = common::ending(&ex);
        if first + 3 >= 11 {
            hits += 1;
            assert_eq!(ending.as_deref(), Some("hit"), "seed {seed}: {first}");
        } else {
            misses += 1;
            assert_eq!(ending.as_deref(), Some("miss"), "seed {seed}: {first}");
        }
    }
    assert!(hits > 0 && misses > 0, "{hits} hits, {misses} misses");
}

/// An answer offered only in some states: not on the screen, and refused, while its
/// `available` does not hold; offered once it does.
#[test]
fn an_answer_is_offered_only_while_its_condition_holds() {
    use ttx::engine::event::{EventKind, Rejection};
    use ttx::engine::{Command, GameTime, Issued, Seat};
    let sc = common::edited_fixture(
        "clock-delays",
        &[(
            "Choice(id: \"approve\", label: \"Yes\", authority: 2,",
            "Choice(id: \"approve\", label: \"Yes\", available: Delivered(\"reminder\"), authority: 2,",
        )],
    );
    let mut ex = ttx::engine::Exercise::start(std::sync::Arc::clone(&sc), 3);
    advance(&mut ex, GameTime(5));
    act(&mut ex, "analyst", "escalate");
    // The call reaches the manager at 03:40; the reminder comes only at 04:20.
    advance(&mut ex, GameTime(12));
    let manager = Seat::role("manager");
    let offered = |ex: &ttx::engine::Exercise| -> Vec<String> {
        ex.view_for(&manager)
            .prompts
            .iter()
            .flat_map(|p| p.options.iter().map(|(id, _)| id.clone()))
            .collect()
    };
    assert_eq!(offered(&ex), vec!["wait".to_owned()]);
    let events = ex
        .apply(&Issued::new(
            manager.clone(),
            Command::Choose {
                inject: "call".into(),
                option: "approve".into(),
            },
        ))
        .to_vec();
    assert!(
        events.iter().any(|e| matches!(&e.kind,
            EventKind::CommandRejected(r) if r.rejection == Rejection::NotAvailable)),
        "{events:?}"
    );
}

/// A deck draw deals without replacement: each run of `size` rolls is a permutation of 1 to
/// `size`, the next shuffle another; its values depend on the seed and its own name only,
/// so adding another draw moves nothing.
#[test]
fn a_deck_deals_without_replacement_and_stays_stable() {
    use ttx::engine::model::DrawKind;
    use ttx::engine::rng::sample;
    let deck = DrawKind::Deck { size: 5 };
    let mut orders = std::collections::BTreeSet::new();
    for seed in 0..20 {
        let dealt: Vec<i32> = (0..10).map(|n| sample(seed, "cards", n, deck)).collect();
        for hand in dealt.chunks(5) {
            let mut sorted = hand.to_vec();
            sorted.sort_unstable();
            assert_eq!(sorted, vec![1, 2, 3, 4, 5], "seed {seed}: {dealt:?}");
        }
        orders.insert(dealt[..5].to_vec());
    }
    assert!(
        orders.len() > 10,
        "the seed shuffles: {} orders",
        orders.len()
    );
    // In a scenario: five rolls of the deck, the values as the stream says, whatever other
    // draws the file declares.
    let sc = common::edited_fixture(
        "arithmetic",
        &[
            (
                "draws: [",
                "draws: [Deck(id: \"cards\", size: 5, note: \"Five site cards.\"), Range(id: \"other\", min: 1, max: 6), ",
            ),
            (
                "effects: [Roll(\"d20\"), Copy(\"roll\", \"d20\"),",
                "effects: [Roll(\"cards\"), Roll(\"cards\"), Roll(\"cards\"), Roll(\"d20\"), Copy(\"roll\", \"d20\"),",
            ),
        ],
    );
    let ex = ttx::sim::headless::run(std::sync::Arc::clone(&sc), 9, &[]);
    let cards: Vec<i32> = ex
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            ttx::engine::event::EventKind::ValueDrawn { draw, value, .. } if draw.ix() == 0 => {
                Some(value)
            }
            _ => None,
        })
        .collect();
    let expected: Vec<i32> = (0..u32::try_from(cards.len()).expect("few"))
        .map(|n| sample(9, "cards", n, deck))
        .collect();
    assert_eq!(cards, expected);
    assert!(cards.len() >= 3);
}

/// Runs the clock of `ex` to `at`.
fn advance(ex: &mut ttx::engine::Exercise, at: ttx::engine::GameTime) {
    ex.apply(&ttx::engine::command::Issued::facilitator(
        ttx::engine::Command::AdvanceTo { at },
    ));
}

/// Role `role` takes action `action`; the events that caused.
fn act(ex: &mut ttx::engine::Exercise, role: &str, action: &str) -> Vec<ttx::engine::event::Event> {
    ex.apply(&ttx::engine::command::Issued::new(
        ttx::engine::Seat::role(role),
        ttx::engine::Command::Act {
            action: action.into(),
        },
    ))
    .to_vec()
}

/// A scenario of `tests/fixtures/valid/`, loaded.
fn valid_fixture(name: &str) -> std::sync::Arc<ttx::engine::Scenario> {
    common::edited_fixture(name, &[])
}

/// A cooldown: a repeatable action may be taken again only so many minutes after it was
/// last taken; before that the screen says from when, and the engine refuses it.
#[test]
fn a_repeatable_action_cools_down() {
    use ttx::engine::event::{EventKind, Rejection};
    use ttx::engine::{Command, GameTime, Issued, Seat};
    let sc = common::edited_fixture(
        "clock-delays",
        &[(
            "Action(id: \"escalate\", name: \"Call the manager\", by: [\"analyst\"],",
            "Action(id: \"escalate\", name: \"Call the manager\", by: [\"analyst\"], repeatable: true, cooldown: 20,",
        )],
    );
    let mut ex = ttx::engine::Exercise::start(std::sync::Arc::clone(&sc), 3);
    let analyst = Seat::role("analyst");
    let call = Issued::new(
        analyst.clone(),
        Command::Act {
            action: "escalate".into(),
        },
    );
    advance(&mut ex, GameTime(5));
    ex.apply(&call);
    advance(&mut ex, GameTime(10));
    let shown = ex
        .view_for(&analyst)
        .actions
        .iter()
        .find(|a| a.id.as_str() == "escalate")
        .map(|a| format!("{:?}", a.availability))
        .unwrap_or_default();
    assert!(shown.contains("again from Sat 03:55"), "{shown}");
    let refused = ex.apply(&call).to_vec();
    assert!(
        refused.iter().any(|e| matches!(&e.kind,
            EventKind::CommandRejected(r) if r.rejection == Rejection::CoolingDown { until: GameTime(25) })),
        "{refused:?}"
    );
    advance(&mut ex, GameTime(25));
    let taken = ex.apply(&call).to_vec();
    assert!(
        taken
            .iter()
            .any(|e| matches!(e.kind, EventKind::ActionTaken { .. })),
        "{taken:?}"
    );
}

/// Text that names values: an inject says the value each names when it is delivered (a
/// label where there are labels, else the number), keeps saying it after the value changes,
/// and a later inject says the new value; the same seed says the same.
#[test]
fn text_names_the_values_of_the_run() {
    use ttx::engine::event::EventKind;
    let sc = valid_fixture("said");
    let mut sites = std::collections::BTreeSet::new();
    for seed in 0..30 {
        let ex = ttx::sim::headless::run(std::sync::Arc::clone(&sc), seed, &[]);
        let drawn = |id: &str| {
            let d = sc
                .draws
                .iter()
                .position(|d| d.id.as_str() == id)
                .expect("draw");
            ex.events()
                .iter()
                .rev()
                .find_map(|e| match &e.kind {
                    EventKind::ValueDrawn { draw, value, .. } if draw.ix() == d => Some(*value),
                    _ => None,
                })
                .expect("drawn")
        };
        let texts: Vec<String> = ex
            .events()
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::InjectDelivered { inject, values, .. } => {
                    Some(sc.inject_text(*inject, values).into_owned())
                }
                _ => None,
            })
            .collect();
        let site = ["Leeds", "York", "Hull"][usize::try_from(drawn("site") - 1).expect("1 to 3")];
        sites.insert(site);
        assert_eq!(
            texts,
            [
                format!(
                    "A ransom note at the {site} office; the ticket is Sev 5; the die shows {} {{not a value}}.",
                    drawn("d6")
                ),
                "Re-scored: the ticket is now Sev 2.".to_owned(),
            ],
            "seed {seed}"
        );
        let again = ttx::sim::headless::run(std::sync::Arc::clone(&sc), seed, &[]);
        assert_eq!(again.events(), ex.events(), "seed {seed}: the same run");
    }
    assert_eq!(sites.len(), 3, "every site is dealt under some seed");
    // The screens show a labelled value by its label: the analyst's panel, the facilitator's
    // list of draws.
    let ex = ttx::sim::headless::run(std::sync::Arc::clone(&sc), 0, &[]);
    let view = ex.view_for(&ttx::engine::Seat::role("analyst"));
    let shown: Vec<String> = view
        .variables
        .iter()
        .map(|v| ttx::words::names::var_shown(&sc, v))
        .collect();
    assert_eq!(shown, ["Sev 2"]);
    let site = ex.state().draws[0].value;
    let drawn = ttx::words::names::draw_value(&sc, "site", site, usize::MAX);
    let label = ["Leeds", "York", "Hull"][usize::try_from(site - 1).expect("1 to 3")];
    assert_eq!(drawn, format!("{label} · Which site is hit"));
    // Before it is sent, the facilitator reads what each value stands for.
    let alert = sc.inject_index("alert").expect("alert");
    assert_eq!(
        sc.inject_text_unsent(alert),
        "A ransom note at the [Which site is hit] office; the ticket is [Ticket severity]; the die shows [A six-sided die] {not a value}."
    );
}

/// Who knows what: an action's `available` may read what the role acting has been told
/// (`Knows`). The manager may not act on an alert only the analyst received: the screen
/// does not offer it and the engine refuses it; once told (the escalation), it may; and an
/// ending can ask whether a named role was told (`RoleKnows`).
#[test]
fn a_role_acts_only_on_what_it_was_told() {
    use ttx::engine::GameTime;
    use ttx::engine::event::{EventKind, Rejection};
    let sc = valid_fixture("knows");
    let mut ex = ttx::engine::Exercise::start(std::sync::Arc::clone(&sc), 1);
    advance(&mut ex, GameTime(2));
    assert!(offered(&ex, "analyst", "isolate"), "the analyst was told");
    assert!(!offered(&ex, "manager", "isolate"), "the manager was not");
    let refused = act(&mut ex, "manager", "isolate");
    assert!(
        refused.iter().any(|e| matches!(&e.kind,
            EventKind::CommandRejected(r) if r.rejection == Rejection::NotAvailable)),
        "{refused:?}"
    );
    act(&mut ex, "analyst", "escalate");
    advance(&mut ex, GameTime(10));
    assert!(offered(&ex, "manager", "isolate"), "told by the escalation");
    act(&mut ex, "manager", "isolate");
    advance(&mut ex, sc.end);
    assert_eq!(common::ending(&ex).as_deref(), Some("told"));
    // The analyst isolating alone, the manager never told: the lesser ending.
    let mut ex = ttx::engine::Exercise::start(std::sync::Arc::clone(&sc), 1);
    advance(&mut ex, GameTime(2));
    act(&mut ex, "analyst", "isolate");
    advance(&mut ex, sc.end);
    assert_eq!(common::ending(&ex).as_deref(), Some("contained"));
}

/// Whether `role`'s screen offers `action` now (not greyed out).
fn offered(ex: &ttx::engine::Exercise, role: &str, action: &str) -> bool {
    ex.view_for(&ttx::engine::Seat::role(role))
        .actions
        .iter()
        .find(|a| a.id.as_str() == action)
        .is_some_and(|a| {
            !matches!(
                a.availability,
                ttx::engine::view::Availability::Unavailable(_)
            )
        })
}

/// `Tell` passes an inject's message on to a role: it arrives in that role's feed alone,
/// saying what it said, and the role then knows of it (what `Knows` reads).
#[test]
fn tell_passes_a_message_on() {
    use ttx::engine::GameTime;
    use ttx::engine::event::EventKind;
    let sc = common::edited_fixture(
        "knows",
        &[
            (
                "effects: [Schedule(\"escalated\", Minutes(0))]",
                "effects: [Tell(\"manager\", \"site_alert\"), Schedule(\"escalated\", Minutes(30))]",
            ),
            (
                "RoleKnows(\"manager\", \"escalated\")",
                "RoleKnows(\"manager\", \"site_alert\")",
            ),
        ],
    );
    let mut ex = ttx::engine::Exercise::start(std::sync::Arc::clone(&sc), 1);
    advance(&mut ex, GameTime(2));
    let told = act(&mut ex, "analyst", "escalate");
    advance(&mut ex, GameTime(10));
    let passed: Vec<_> = ex
        .events()
        .iter()
        .filter(|e| matches!(e.kind, EventKind::InjectPassedOn { .. }))
        .collect();
    assert_eq!(passed.len(), 1, "{told:?}");
    let manager_ix = sc.role_index("manager").expect("manager");
    assert_eq!(passed[0].audience.roles().collect::<Vec<_>>(), [manager_ix]);
    let words = ttx::words::event::said(&sc, passed[0]);
    assert_eq!(words.line, "passed on: Site B alert");
    let row = words.row.expect("on the timeline").text;
    assert!(row.ends_with("passed on to the Manager"), "{row}");
    // The manager's screen: the message in the feed, marked as passed on, in full.
    let screen = ttx::session::screen::screen(
        &ex,
        &ttx::session::Seating::empty(&sc),
        ttx::session::screen::Status::default(),
        &ttx::engine::Seat::role("manager"),
    );
    let line = screen
        .feed
        .iter()
        .find(|l| l.line.starts_with("passed on"))
        .expect("in the manager's feed");
    match &line.detail {
        ttx::session::screen::Detail::Message { head, text, .. } => {
            assert!(head.contains("passed on"), "{head}");
            assert_eq!(text, "Beaconing from site B.");
        }
        other => panic!("{other:?}"),
    }
    assert!(offered(&ex, "manager", "isolate"), "the manager knows now");
    act(&mut ex, "manager", "isolate");
    advance(&mut ex, sc.end);
    assert_eq!(common::ending(&ex).as_deref(), Some("told"));
}

/// Authority on separate scales: business risk (a role's `authority`) does not give legal
/// sign-off, and legal sign-off does not give business risk. The engine refuses, queues and
/// approves by the scale the action or answer names, and says which in words.
#[test]
fn authority_is_weighed_on_the_scale_the_action_names() {
    use ttx::engine::model::Domain;
    use ttx::engine::view::Avail;
    let sc = valid_fixture("domains");
    let legal = Domain(1);
    assert_eq!(sc.domain_name(legal), Some("legal sign-off"));
    assert_eq!(sc.domain_name(Domain(2)), Some("domain takedown"));
    let exec = sc.role_index("exec").expect("exec");
    let counsel = sc.role_index("counsel").expect("counsel");
    assert_eq!(
        (
            sc.role(exec).level(Domain::MAIN),
            sc.role(exec).level(legal)
        ),
        (3, 0)
    );
    assert_eq!(
        (
            sc.role(counsel).level(Domain::MAIN),
            sc.role(counsel).level(legal)
        ),
        (1, 2)
    );

    let mut ex = Exercise::start(std::sync::Arc::clone(&sc), 1);
    advance(&mut ex, ttx::engine::GameTime(5));
    // The executive's business authority (3) is no legal sign-off: the answer is refused,
    // and the words name the scale.
    let refused = rejection(
        &mut ex,
        Seat::role("exec"),
        Command::Choose {
            inject: "extortion".into(),
            option: "notify".into(),
        },
    );
    assert_eq!(
        refused,
        Rejection::NotAuthorised {
            needed: 2,
            has: 0,
            domain: legal
        }
    );
    assert_eq!(
        ttx::words::refusal::to_player(&sc, &refused),
        "Not authorised: this needs legal sign-off authority 2, you have 0."
    );
    // Business risk's refusal reads as it always did.
    let plain = Rejection::NotAuthorised {
        needed: 3,
        has: 1,
        domain: Domain::MAIN,
    };
    assert_eq!(
        ttx::words::refusal::to_player(&sc, &plain),
        "Not authorised: this needs authority 3, you have 1."
    );
    // The executive's statement needs the counsel's sign-off: a request, not an action.
    let offered = |ex: &Exercise, role: &str, action: &str| {
        let r = sc.role_index(role).expect("role");
        ex.lens(r)
            .actions()
            .find(|(_, a, _)| a.id.as_str() == action)
            .map(|(_, _, avail)| avail)
    };
    assert_eq!(
        offered(&ex, "exec", "statement"),
        Some(Avail::NeedsApproval)
    );
    assert_eq!(offered(&ex, "liaison", "takedown"), Some(Avail::Ready));
    assert_eq!(
        offered(&ex, "analyst", "takedown"),
        Some(Avail::Unavailable)
    );
    let events = act(&mut ex, "exec", "statement");
    let request = events
        .iter()
        .find_map(|e| match &e.kind {
            EventKind::ApprovalRequested { request, .. } => Some(*request),
            _ => None,
        })
        .expect("a request for the counsel's sign-off");
    let line = events
        .iter()
        .find(|e| matches!(e.kind, EventKind::ApprovalRequested { .. }))
        .map(|e| ttx::words::event::said(&sc, e).line)
        .expect("said");
    assert!(
        line.contains("needs legal sign-off authority 2"),
        "the request says what it needs: {line}"
    );
    // The counsel signs off on legal (2), though its business authority is 1.
    let events = ex.apply(&Issued::new(
        Seat::role("counsel"),
        Command::Approve { request },
    ));
    assert!(
        events
            .iter()
            .any(|e| matches!(e.kind, EventKind::ApprovalGranted { .. }))
    );
    // The counsel may give the answer the executive could not.
    let events = ex.apply(&Issued::new(
        Seat::role("counsel"),
        Command::Choose {
            inject: "extortion".into(),
            option: "notify".into(),
        },
    ));
    assert!(
        events
            .iter()
            .any(|e| matches!(e.kind, EventKind::DecisionMade { .. }))
    );
    // The analyst has no takedown authority and no approver: refused, on that scale.
    assert_eq!(
        rejection(
            &mut ex,
            Seat::role("analyst"),
            Command::Act {
                action: "takedown".into()
            }
        ),
        Rejection::NotAuthorised {
            needed: 1,
            has: 0,
            domain: Domain(2)
        }
    );
    // The transcript names the scale of a refusal and of a request, not its number alone.
    let transcript = transcript(&ex);
    assert!(
        transcript.contains(r#""type":"ApprovalRequested","request":0,"action":"statement","by":"exec","approvers":["counsel"],"needed":2,"scale":"legal sign-off""#),
        "{transcript}"
    );
    assert!(
        transcript.contains(
            r#""reason":"NotAuthorised","needed":1,"has":0,"domain":2,"scale":"domain takedown""#
        ),
        "{transcript}"
    );
}

/// Bots weigh answers and approvals on the scale they name: a by-the-book executive never
/// answers on legal sign-off it lacks, and the counsel approves the statement it may sign.
#[test]
fn bots_weigh_authority_on_its_scale() {
    use ttx::engine::model::RoleIx;
    let sc = valid_fixture("domains");
    for seed in 0..10 {
        let seats: Vec<_> = RoleIx::all(sc.roles.len())
            .map(|r| (r, sc.default_bot(r)))
            .collect();
        let ex = ttx::sim::headless::run_with_bots(std::sync::Arc::clone(&sc), seed, &[], &seats);
        for e in ex.events() {
            match &e.kind {
                EventKind::DecisionMade {
                    inject,
                    option,
                    by: ttx::engine::event::Actor::Role(r),
                } => {
                    let o = &sc.inject(*inject).prompt.as_ref().expect("prompt").options
                        [usize::from(*option)];
                    assert!(
                        sc.role(*r).level(o.domain) >= o.authority,
                        "seed {seed}: {} answered {} without the authority",
                        sc.role(*r).name,
                        o.label
                    );
                }
                EventKind::CommandRejected(r) => {
                    assert!(
                        !matches!(r.rejection, Rejection::NotAuthorised { .. }),
                        "seed {seed}: a bot tried what it may not: {r:?}"
                    );
                }
                _ => {}
            }
        }
        assert_eq!(
            common::ending(&ex).as_deref(),
            Some("handled"),
            "seed {seed}"
        );
    }
}

/// Play in turns: each role may spend its budget of actions in a turn (the hunter its own
/// 3, the lead the scenario's 2); a call costs nothing, a sweep 2; a new turn makes the
/// budget whole, and every turn is announced to everyone.
#[test]
fn a_turn_s_budget_of_actions_is_spent_and_renewed() {
    use ttx::engine::GameTime;
    let sc = valid_fixture("turns");
    let mut ex = Exercise::start(std::sync::Arc::clone(&sc), 1);
    let hunter = sc.role_index("hunter").expect("hunter");
    assert_eq!(ex.lens(hunter).budget_left(), Some(3));
    // The sweep (2) and a search (1) spend the hunter's 3; calls stay free.
    assert!(
        act(&mut ex, "hunter", "sweep")
            .iter()
            .any(|e| matches!(e.kind, EventKind::ActionTaken { .. }))
    );
    assert!(
        act(&mut ex, "hunter", "search")
            .iter()
            .any(|e| matches!(e.kind, EventKind::ActionTaken { .. }))
    );
    assert_eq!(ex.lens(hunter).budget_left(), Some(0));
    assert!(
        act(&mut ex, "hunter", "call")
            .iter()
            .any(|e| matches!(e.kind, EventKind::ActionTaken { .. }))
    );
    let refused = rejection(
        &mut ex,
        Seat::role("hunter"),
        Command::Act {
            action: "search".into(),
        },
    );
    assert_eq!(
        refused,
        Rejection::NoActionsLeft {
            until: Some(GameTime(60))
        }
    );
    assert_eq!(
        ttx::words::refusal::to_player(&sc, &refused),
        "No actions left this turn: the next turn begins at Mon 10:00 (+1:00)."
    );
    // The screen says why, and where the turn stands.
    let seat = Seat::role("hunter");
    let screen = ttx::session::screen::screen(
        &ex,
        &ttx::session::Seating::empty(&sc),
        ttx::session::screen::Status::default(),
        &seat,
    );
    assert_eq!(
        screen.turn.as_deref(),
        Some("turn 1 of 3 · 0 of 3 actions left")
    );
    let search = screen
        .actions
        .iter()
        .find(|a| a.id.as_str() == "search")
        .expect("search");
    assert_eq!(
        search.availability,
        ttx::engine::view::Availability::Unavailable(
            "no actions left this turn; the next begins at Mon 10:00".into()
        )
    );
    // The lead's budget is its own: the scenario's 2.
    let lead = sc.role_index("lead").expect("lead");
    assert_eq!(ex.lens(lead).budget_left(), Some(2));
    act(&mut ex, "lead", "search");
    act(&mut ex, "lead", "search");
    assert_eq!(ex.lens(lead).budget_left(), Some(0));
    // A new turn: the budget is whole again, and everyone is told.
    advance(&mut ex, GameTime(60));
    assert_eq!(ex.lens(hunter).budget_left(), Some(3));
    assert_eq!(ex.lens(lead).budget_left(), Some(2));
    let turns: Vec<(u32, u32)> = ex
        .events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::TurnStarted { turn } => Some((turn, e.at.minutes())),
            _ => None,
        })
        .collect();
    assert_eq!(turns, [(1, 0), (2, 60)]);
    let said = ex
        .events()
        .iter()
        .find(|e| matches!(e.kind, EventKind::TurnStarted { turn: 2 }))
        .map(|e| ttx::words::event::said(&sc, e).line)
        .expect("turn 2");
    assert_eq!(
        said,
        "Turn 2 of 3 begins: each role its own budget of actions until Mon 11:00"
    );
    assert!(
        act(&mut ex, "hunter", "search")
            .iter()
            .any(|e| matches!(e.kind, EventKind::ActionTaken { .. }))
    );
    // The last turn says so, and a spent budget there has no next turn to wait for.
    advance(&mut ex, GameTime(120));
    let last = ex
        .events()
        .iter()
        .find(|e| matches!(e.kind, EventKind::TurnStarted { turn: 3 }))
        .map(|e| ttx::words::event::said(&sc, e).line)
        .expect("turn 3");
    assert_eq!(
        last,
        "Turn 3 of 3 begins: each role its own budget of actions until Mon 12:00, the last turn"
    );
    act(&mut ex, "lead", "search");
    act(&mut ex, "lead", "search");
    let refused = rejection(
        &mut ex,
        Seat::role("lead"),
        Command::Act {
            action: "search".into(),
        },
    );
    assert_eq!(refused, Rejection::NoActionsLeft { until: None });
    assert_eq!(
        ttx::words::refusal::to_player(&sc, &refused),
        "No actions left, and this is the last turn."
    );
    // At the end the header still names the last turn, and no budget.
    advance(&mut ex, GameTime(180));
    assert!(ex.is_over());
    let screen = ttx::session::screen::screen(
        &ex,
        &ttx::session::Seating::empty(&sc),
        ttx::session::screen::Status::default(),
        &Seat::role("lead"),
    );
    assert_eq!(screen.turn.as_deref(), Some("turn 3 of 3"));
}

/// Bots spend their turns: by-the-book bots take a repeatable action again in a new turn
/// (the budget bounds repeats), never beyond the budget, and the hunt is won in time.
#[test]
fn bots_play_in_turns_within_their_budget() {
    use ttx::engine::model::RoleIx;
    let sc = valid_fixture("turns");
    for seed in 0..10 {
        let seats: Vec<_> = RoleIx::all(sc.roles.len())
            .map(|r| (r, sc.default_bot(r)))
            .collect();
        let ex = ttx::sim::headless::run_with_bots(std::sync::Arc::clone(&sc), seed, &[], &seats);
        let mut spent = std::collections::BTreeMap::<(u32, String), u16>::new();
        for e in ex.events() {
            if let EventKind::ActionTaken {
                action,
                by: ttx::engine::event::Actor::Role(r),
                ..
            } = &e.kind
            {
                let turn = sc.turn_of(e.at).expect("turns");
                *spent.entry((turn, sc.role(*r).id.to_string())).or_default() +=
                    sc.action(*action).cost;
            }
            if let EventKind::CommandRejected(r) = &e.kind {
                panic!("seed {seed}: a bot tried what it may not: {r:?}");
            }
        }
        for ((turn, role), n) in &spent {
            let r = sc.role_index(role).expect("role");
            assert!(
                *n <= sc.budget(r).expect("budget"),
                "seed {seed}: {role} spent {n} in turn {turn}"
            );
        }
        assert!(
            spent.keys().any(|(t, _)| *t > 1),
            "seed {seed}: nobody acted after the first turn"
        );
        assert_eq!(common::ending(&ex).as_deref(), Some("found"), "seed {seed}");
    }
}

/// The stages the attacker reached, each with its minute: the threat's path through a run.
fn stages_reached(ex: &Exercise) -> Vec<(String, u32)> {
    let sc = ex.scenario();
    let threat = sc.threat.as_ref().expect("a threat");
    ex.events()
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::ThreatAdvanced { stage } => Some((
                threat.stages[usize::from(stage)].id.to_string(),
                e.at.minutes(),
            )),
            _ => None,
        })
        .collect()
}

/// Which of the tracks fixture's branches after site A its draw opens: exfiltration when
/// the data is worth stealing, else encryption.
fn branch_taken(ex: &Exercise) -> &'static str {
    if common::draw(ex, "data_rich") == 1 {
        "exfil"
    } else {
        "encrypt"
    }
}

/// The attacker's paths: two stages following one run in parallel, each on its own clock;
/// two following one with conditions that exclude each other are a branch, read when their
/// time comes; the path a `when` closes ends there.
#[test]
fn threat_stages_run_in_parallel_and_branch() {
    let sc = valid_fixture("tracks");
    let mut branches = BTreeSet::new();
    for seed in 0..20 {
        let ex = ttx::sim::headless::run(std::sync::Arc::clone(&sc), seed, &[]);
        let branch = branch_taken(&ex);
        assert_eq!(
            stages_reached(&ex),
            [
                ("foothold".to_owned(), 0),
                ("site_a".to_owned(), 20),
                ("site_b".to_owned(), 30),
                (branch.to_owned(), 35),
            ],
            "seed {seed}"
        );
        branches.insert(branch);
    }
    assert_eq!(branches.len(), 2, "both branches over 20 seeds");
    // No "stage 3 of 5" where the stages branch: the count is 0, and the screens leave it out.
    let ex = ttx::sim::headless::run(std::sync::Arc::clone(&sc), 1, &[]);
    let view = ex.view_for(&Seat::Facilitator);
    assert_eq!(view.threat.as_ref().map(|t| t.of), Some(0));
    // A single path keeps its count.
    let dropper = scenario("dropper-0330.ron");
    let threat = dropper.threat.as_ref().expect("a threat");
    assert_eq!(usize::from(threat.stage_count()), threat.stages.len());
}

/// A halt stops every path at once; on resume each pending stage's clock starts again from
/// zero, as a single path's always did.
#[test]
fn a_halt_stops_every_path_and_a_resume_restarts_each_clock() {
    use ttx::engine::GameTime;
    let sc = valid_fixture("tracks");
    let mut ex = Exercise::start(std::sync::Arc::clone(&sc), 3);
    advance(&mut ex, GameTime(25));
    // Site A reached at 20; site B (due at 30) and site A's branch (due at 35) pending.
    act(&mut ex, "analyst", "block");
    advance(&mut ex, GameTime(60));
    assert_eq!(
        stages_reached(&ex),
        [("foothold".to_owned(), 0), ("site_a".to_owned(), 20)]
    );
    act(&mut ex, "analyst", "unblock");
    advance(&mut ex, GameTime(119));
    let branch = branch_taken(&ex);
    // From 60: site B 30 minutes on, the branch 15.
    assert_eq!(
        stages_reached(&ex),
        [
            ("foothold".to_owned(), 0),
            ("site_a".to_owned(), 20),
            (branch.to_owned(), 75),
            ("site_b".to_owned(), 90),
        ]
    );
}

/// Two stages due at the same minute: when the first halts the attacker (its effects block
/// it), the second waits with every other path, and both clocks restart on resume.
#[test]
fn a_stage_that_halts_the_attacker_stops_the_others_due_with_it() {
    use ttx::engine::GameTime;
    let sc = common::edited_fixture(
        "tracks",
        &[
            (
                r#"Stage(id: "site_a", name: "Site A servers", after: Minutes(20)),"#,
                r#"Stage(id: "site_a", name: "Site A servers", after: Minutes(20), effects: [Set("blocked", 1)]),"#,
            ),
            (
                r#"after: Minutes(30), from: "foothold")"#,
                r#"after: Minutes(20), from: "foothold")"#,
            ),
        ],
    );
    let mut ex = Exercise::start(std::sync::Arc::clone(&sc), 3);
    advance(&mut ex, GameTime(40));
    assert_eq!(
        stages_reached(&ex),
        [("foothold".to_owned(), 0), ("site_a".to_owned(), 20)],
        "site B, due at 20 too, waits behind the halt"
    );
    act(&mut ex, "analyst", "unblock");
    advance(&mut ex, GameTime(119));
    let branch = branch_taken(&ex);
    assert_eq!(
        stages_reached(&ex),
        [
            ("foothold".to_owned(), 0),
            ("site_a".to_owned(), 20),
            (branch.to_owned(), 55),
            ("site_b".to_owned(), 60),
        ]
    );
}
