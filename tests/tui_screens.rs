//! Every screen of the terminal game, drawn into a `TestBackend` and compared with its
//! snapshot: launcher, set-up, each role's play view, hand-over, facilitator, help,
//! too-small, ending, and the facilitator's dialogs. The game is driven through keys, as a
//! player would; the clock is driven by calling `tick` (one real second each).

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ttx::scenario::{bundled, load_str};
use ttx::tui::app::{App, Screen};
use ttx::tui::draw::draw;

use common::app;

fn press(app: &mut App, keys: &[KeyCode]) {
    for k in keys {
        app.key(KeyEvent::new(*k, KeyModifiers::NONE), &mut || 7);
    }
}

fn screen(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| draw(f, app)).expect("draws");
    format!("{}", t.backend())
}

use KeyCode::{Char, Down, Enter, Tab, Up};

/// Launcher → set-up (seed 7) → game with the given seats played by people.
fn game(people: &[bool], facilitator: bool, turn: bool) -> App {
    let mut a = app();
    press(&mut a, &[Enter]);
    let Screen::Setup(s) = &mut a.screen else {
        panic!("set-up")
    };
    s.facilitator = facilitator;
    s.turn_mode = turn;
    for (k, p) in s.seats.iter_mut().zip(people) {
        *k = if *p {
            ttx::tui::app::Sitter::Person
        } else {
            ttx::tui::app::Sitter::Nobody
        };
    }
    press(&mut a, &[Enter]);
    // One seat here: its briefing is open first (its own test below); close it.
    if people.iter().filter(|p| **p).count() + usize::from(facilitator) == 1 {
        press(&mut a, &[Enter]);
    }
    a
}

#[test]
fn launcher_and_setup() {
    let mut a = app();
    insta::assert_snapshot!("launcher_80x24", screen(&a, 80, 24));
    insta::assert_snapshot!("launcher_120x40", screen(&a, 120, 40));
    press(&mut a, &[Enter]);
    insta::assert_snapshot!("setup_80x24", screen(&a, 80, 24));
    // A seed too long for the keys' full words gets the short ones, not a cut at the border.
    let Screen::Setup(s) = &mut a.screen else {
        panic!("the setup")
    };
    s.seed = 847_222_000_123;
    let shown = screen(&a, 80, 24);
    assert!(
        shown.contains("847222000123  (Enter: type one · r: random)"),
        "{shown}"
    );
    let wide = screen(&a, 120, 40);
    assert!(
        wide.contains("847222000123  (Enter to type one, r for a new random seed)"),
        "{wide}"
    );
    // A role's name longer than the label column is cut there, and its row still ends at
    // the border.
    let Screen::Setup(s) = &a.screen else {
        panic!("the setup")
    };
    let entry = s.entry;
    let mut renamed = (*a.entries[entry].scenario).clone();
    renamed.roles[0].name =
        "MSSP SOC analyst on the NightWatch MDR night shift, second line".into();
    a.entries[entry].scenario = std::sync::Arc::new(renamed);
    let shown = screen(&a, 80, 24);
    let row = shown
        .lines()
        .find(|l| l.contains("MSSP SOC analyst on the"))
        .expect("the role's row");
    assert!(row.contains("MSSP SOC analyst on the NightWa…"), "{row}");
    assert!(row.contains("played by a person here"), "{row}");
    assert!(row.trim_end_matches('"').ends_with('│'), "{row}");
}

#[test]
fn too_small() {
    let a = app();
    insta::assert_snapshot!("too_small_60x20", screen(&a, 60, 20));
}

#[test]
fn help_overlay() {
    let mut a = app();
    press(&mut a, &[Char('?')]);
    insta::assert_snapshot!("help_80x24", screen(&a, 80, 24));
    press(&mut a, &[Char('?')]);
    assert!(!a.help);
}

#[test]
fn each_role_sees_its_own_screen_through_a_hand_over() {
    let mut a = game(&[true, true, true], false, true);
    insta::assert_snapshot!("handover_analyst_80x24", screen(&a, 80, 24));
    // Past the hand-over, the seat's briefing comes first.
    press(&mut a, &[Enter]);
    insta::assert_snapshot!("briefing_analyst_80x24", screen(&a, 80, 24));
    press(&mut a, &[Enter]);
    insta::assert_snapshot!("play_analyst_80x24", screen(&a, 80, 24));
    // Triage, then hand over to the on-call manager.
    press(&mut a, &[Tab, Enter]);
    press(&mut a, &[Char('n'), Char('n')]);
    insta::assert_snapshot!("play_analyst_after_triage_120x40", screen(&a, 120, 40));
    press(&mut a, &[Char('s')]);
    let handover = screen(&a, 80, 24);
    assert!(handover.contains("Customer on-call manager"));
    assert!(
        !handover.contains("NightWatch EDR"),
        "the hand-over screen hides the last seat's feed"
    );
    press(&mut a, &[Enter]);
    assert!(screen(&a, 80, 24).contains("Your briefing"));
    press(&mut a, &[Enter]);
    insta::assert_snapshot!("play_oncall_80x24", screen(&a, 80, 24));
    press(&mut a, &[Char('s'), Enter, Enter]);
    insta::assert_snapshot!("play_exec_80x24", screen(&a, 80, 24));
    // Round again: each seat has been briefed, so the game comes straight after the
    // hand-over.
    press(&mut a, &[Char('s'), Enter]);
    assert!(!screen(&a, 80, 24).contains("Your briefing"));
}

#[test]
fn a_decision_prompt_with_its_countdown() {
    let mut a = game(&[false, true, false], false, false);
    let Screen::Game(g) = &mut a.screen else {
        panic!("game")
    };
    g.session.ex.apply(&ttx::engine::Issued::facilitator(
        ttx::engine::Command::FireInject {
            inject: "oncall_call".into(),
        },
    ));
    a.tick();
    a.tick();
    insta::assert_snapshot!("prompt_oncall_80x24", screen(&a, 80, 24));
    press(&mut a, &[Char('1')]);
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("Not authorised: this needs authority 3, you have 2."),
        "{s}"
    );
    press(&mut a, &[Char('2')]);
    let s = screen(&a, 80, 24);
    assert!(s.contains("DECIDED"), "{s}");
}

#[test]
fn facilitator_console_and_dialogs() {
    let mut a = game(&[true, false, false], true, false);
    press(&mut a, &[Enter, Enter, Char('s'), Enter]);
    insta::assert_snapshot!("briefing_facilitator_80x24", screen(&a, 80, 24));
    press(&mut a, &[Enter]);
    insta::assert_snapshot!("facilitator_80x24", screen(&a, 80, 24));
    press(&mut a, &[Char('p')]);
    assert!(screen(&a, 80, 24).contains("paused"));
    press(&mut a, &[Char('f')]);
    insta::assert_snapshot!("facilitator_fire_80x24", screen(&a, 80, 24));
    press(&mut a, &[Enter]);
    press(&mut a, &[Char('i')]);
    for c in "Press is calling".chars() {
        press(&mut a, &[Char(c)]);
    }
    press(&mut a, &[Enter]);
    // The form: the sender (typed on its row), the channel, the answers they may give, and
    // any set of roles.
    press(&mut a, &[Up, Up, Up]);
    for _ in 0.."Facilitator".len() {
        press(&mut a, &[KeyCode::Backspace]);
    }
    for c in "Reporter".chars() {
        press(&mut a, &[Char(c)]);
    }
    press(&mut a, &[Down, Enter, Down]);
    for c in "Comment now / No comment".chars() {
        press(&mut a, &[Char(c)]);
    }
    press(&mut a, &[Down, Down, Char(' '), Down, Char(' ')]);
    insta::assert_snapshot!("facilitator_free_inject_to_80x24", screen(&a, 80, 24));
    press(&mut a, &[Down, Down, Enter]);
    let s = screen(&a, 120, 40);
    assert!(s.contains("Reporter: Press is calling"), "{s}");
    assert!(
        s.contains("Sent to MSSP SOC analyst and Customer on-call manager."),
        "{s}"
    );
    let Screen::Game(g) = &a.screen else {
        panic!("game")
    };
    let last = g
        .session
        .ex
        .events()
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            ttx::engine::event::EventKind::AdHocInjectDelivered(d) => Some((e.audience, d.clone())),
            _ => None,
        });
    let (audience, d) = last.expect("delivered");
    assert_eq!(
        audience.roles().collect::<Vec<_>>(),
        [ttx::engine::model::RoleIx(0), ttx::engine::model::RoleIx(1)]
    );
    assert_eq!(d.channel, ttx::engine::model::Channel::Phone);
    assert_eq!(d.options, ["Comment now", "No comment"]);
    // The analyst answers it with a number key; the answer is logged.
    press(&mut a, &[Char('s'), Enter]);
    let s = screen(&a, 80, 24);
    assert!(s.contains("Reporter: Press is calling"), "{s}");
    press(&mut a, &[Char('2')]);
    let Screen::Game(g) = &a.screen else {
        panic!("game")
    };
    assert!(g.session.ex.events().iter().any(|e| matches!(
        &e.kind,
        ttx::engine::event::EventKind::AdHocAnswered(a) if a.answer == "No comment"
    )));
    press(&mut a, &[Char('s'), Enter]);
    press(&mut a, &[Char('e'), Char('y')]);
    insta::assert_snapshot!("ending_by_facilitator_80x24", screen(&a, 80, 24));
}

#[test]
fn ending_screen_after_ransomware() {
    let mut a = game(&[true, false, false], false, true);
    for _ in 0..40 {
        press(&mut a, &[Char('n')]);
    }
    let Screen::Game(g) = &a.screen else {
        panic!("game")
    };
    assert!(g.session.ex.is_over());
    insta::assert_snapshot!("ending_ransomware_80x24", screen(&a, 80, 24));
    press(&mut a, &[Enter]);
    let s = screen(&a, 80, 24);
    assert!(s.contains("END"), "{s}");
    press(&mut a, &[Up, Char('q')]);
    assert!(a.quit);
}

#[test]
fn the_after_action_report_after_the_ending() {
    let mut a = game(&[true, false, false], false, true);
    for _ in 0..40 {
        press(&mut a, &[Char('n')]);
    }
    let ending = screen(&a, 80, 24);
    assert!(ending.contains("r after-action report"), "{ending}");
    press(&mut a, &[Char('r')]);
    insta::assert_snapshot!("report_80x24", screen(&a, 80, 24));
    insta::assert_snapshot!("report_120x40", screen(&a, 120, 40));
    let top = screen(&a, 120, 40);
    press(&mut a, &[KeyCode::PageDown]);
    let scrolled = screen(&a, 120, 40);
    assert_ne!(top, scrolled, "the report scrolls");
    insta::assert_snapshot!("report_scrolled_120x40", scrolled);
    // Esc goes back to the ending screen; Enter then reviews the exercise as before.
    press(&mut a, &[KeyCode::Esc]);
    assert!(screen(&a, 80, 24).contains("The exercise has ended"));
    press(&mut a, &[Enter, Char('r')]);
    assert!(screen(&a, 80, 24).contains("After-action report"));
}

#[test]
fn an_approval_nobody_can_give_is_flagged() {
    let mut a = app();
    press(&mut a, &[Enter]);
    let Screen::Setup(s) = &mut a.screen else {
        panic!("set-up")
    };
    s.seed = 2; // no pre-approved playbook with this seed
    s.turn_mode = true;
    for k in s.seats.iter_mut().skip(1) {
        *k = ttx::tui::app::Sitter::Nobody;
    }
    press(&mut a, &[Enter, Enter, Tab]);
    let shown = screen(&a, 140, 70);
    assert!(
        shown.contains("from Duty executive, whom nobody plays"),
        "{shown}"
    );
}

/// A recorded session (the dropper's by-the-book script on seed 12), its journal built in
/// memory with a fixed id so the snapshots do not change from run to run.
fn recorded_session() -> ttx::journal::Journal {
    use ttx::engine::Issued;
    use ttx::engine::exercise::Exercise;
    use ttx::journal::record::{FORMAT_VERSION, Header, Record, SeatPlay, SeatRecord};
    struct Collect(Vec<Record>);
    impl ttx::sim::headless::Observer for Collect {
        type Error = std::convert::Infallible;
        fn before(&mut self, ex: &Exercise, issued: &Issued) -> Result<(), Self::Error> {
            self.0
                .push(Record::new(self.0.len() as u64 + 1, ex.now(), issued));
            Ok(())
        }
        fn after(&mut self, _: &Exercise, _: &[ttx::engine::Event]) {}
    }
    let b = bundled::find("dropper-0330").expect("bundled");
    let sc = load_str(b.file, b.text).expect("valid").scenario;
    let text = include_str!("scripts/dropper-0330/by-the-book.txt");
    let steps = ttx::sim::script::parse("by-the-book", text, sc.start).expect("parses");
    let mut c = Collect(Vec::new());
    let Ok(_) = ttx::sim::headless::run_observed(sc.clone(), 12, &steps, &[], &mut c);
    let seat = |r: &str, p| SeatRecord::new(r, p);
    ttx::journal::Journal {
        header: Header {
            ttx_journal: FORMAT_VERSION,
            engine: "0.1.0".into(),
            session: "dropper-0330-20261128-190000-abcd".into(),
            scenario: sc.id.to_string(),
            content_hash: sc.content_hash,
            scenario_source: "bundled:dropper-0330".into(),
            seed: 12,
            seats: vec![
                seat("soc_analyst", SeatPlay::Script),
                seat("oncall_manager", SeatPlay::Script),
                seat("duty_exec", SeatPlay::Script),
                seat("facilitator", SeatPlay::Nobody),
            ],
            parent: None,
            started: "2026-11-28T19:00:00Z".into(),
            pacing: None,
            name: None,
        },
        records: c.0,
        torn: None,
        valid_len: 0,
    }
}

#[test]
fn replay_timeline_and_the_fork_flow() {
    use ttx::tui::replay::ReplayView;
    let j = recorded_session();
    let b = bundled::find("dropper-0330").expect("bundled");
    let sc = load_str(b.file, b.text).expect("valid").scenario;
    let replay = ttx::journal::Replay::new(sc, &j, false).expect("replays");
    let mut a = app();
    a.screen = Screen::Replay(Box::new(ReplayView::new(replay, Vec::new())));
    insta::assert_snapshot!("replay_start_80x24", screen(&a, 80, 24));
    // Step past the draws to the on-call manager's answer.
    press(&mut a, &[KeyCode::PageDown, Down, Down, Down, Down, Down]);
    let Screen::Replay(rv) = &a.screen else {
        panic!("replay")
    };
    assert!(rv.records > 0, "stepped into the recorded commands");
    insta::assert_snapshot!("replay_120x40", screen(&a, 120, 40));
    insta::assert_snapshot!("replay_80x24", screen(&a, 80, 24));
    // Every record of the replay is told in names, never ids.
    let ids: Vec<String> = {
        let b = bundled::find("dropper-0330").expect("bundled");
        let sc = load_str(b.file, b.text).expect("valid").scenario;
        let mut ids: Vec<String> = sc.actions.iter().map(|x| x.id.to_string()).collect();
        ids.extend(sc.injects.iter().map(|x| x.id.to_string()));
        ids.extend(sc.roles.iter().map(|x| x.id.to_string()));
        ids.retain(|i| i.contains('_'));
        ids
    };
    for _ in 0..40 {
        let s = screen(&a, 120, 40);
        for id in &ids {
            assert!(!s.contains(id.as_str()), "the replay shows `{id}`:\n{s}");
        }
        press(&mut a, &[Down]);
    }
    for _ in 0..40 {
        press(&mut a, &[Up]);
    }
    press(&mut a, &[Char('f')]);
    insta::assert_snapshot!("replay_fork_confirm_80x24", screen(&a, 80, 24));
    // n cancels; f then y forks into a live game, held where the fork was made.
    press(&mut a, &[Char('n')]);
    assert!(matches!(&a.screen, Screen::Replay(rv) if !rv.confirm));
    press(&mut a, &[Char('f'), Char('y')]);
    let Screen::Game(g) = &a.screen else {
        panic!("forked into a game")
    };
    assert!(
        g.session
            .held
            .as_deref()
            .is_some_and(|n| n.contains("Forked, paused"))
    );
    // The three seats the script played are people's now: the hand-over comes first.
    press(&mut a, &[Enter]);
    assert!(!a.clock_running(), "held until started");
    insta::assert_snapshot!("forked_game_120x40", screen(&a, 120, 40));
    // The pause key starts the clock.
    press(&mut a, &[Char('p')]);
    assert!(a.clock_running());
}

/// After the ending the seats still hand over: reviewing the exercise, the next person does
/// not see the last one's screen.
#[test]
fn the_hand_over_holds_after_the_ending() {
    let mut a = game(&[true, true, false], false, true);
    press(&mut a, &[Enter, Enter]);
    for _ in 0..40 {
        press(&mut a, &[Char('n')]);
    }
    let Screen::Game(g) = &a.screen else {
        panic!("game")
    };
    assert!(g.session.ex.is_over());
    press(&mut a, &[Enter]);
    let analyst = screen(&a, 80, 24);
    assert!(analyst.contains("NightWatch EDR"), "{analyst}");
    press(&mut a, &[Char('s')]);
    let handover = screen(&a, 80, 24);
    assert!(handover.contains("Customer on-call manager"), "{handover}");
    assert!(
        !handover.contains("NightWatch EDR"),
        "the hand-over hides the last seat's screen after the ending too:\n{handover}"
    );
    press(&mut a, &[Enter]);
    let next = screen(&a, 80, 24);
    assert!(!next.contains("Pass the keyboard"), "{next}");
    assert!(
        !next.contains("Your briefing"),
        "no briefing by itself once the exercise is over:\n{next}"
    );
}

/// A seat's briefing comes first, holding local play's clock until it is closed, scrolls,
/// and comes back on its key without holding the clock.
#[test]
fn the_briefing_comes_first_and_on_its_key() {
    let mut a = app();
    press(&mut a, &[Enter]);
    press(&mut a, &[Enter]);
    let first = screen(&a, 80, 24);
    assert!(
        first.contains("Your briefing: read it, then Enter to play"),
        "{first}"
    );
    assert!(first.contains("⏸ briefing"), "{first}");
    assert!(first.contains("▼"), "more below:\n{first}");
    assert!(!a.clock_running(), "the clock waits for the briefing");
    a.tick();
    assert!(screen(&a, 80, 24).contains("Sat 03:30 (+0:00)"));
    // It scrolls to its end and no further.
    press(
        &mut a,
        &[KeyCode::PageDown, KeyCode::PageDown, KeyCode::PageDown],
    );
    let end = screen(&a, 80, 24);
    insta::assert_snapshot!("briefing_analyst_end_80x24", end);
    press(&mut a, &[Down]);
    assert_eq!(screen(&a, 80, 24), end, "scrolled to the end");
    press(&mut a, &[Up]);
    assert_ne!(screen(&a, 80, 24), end, "one line back up");
    press(&mut a, &[Enter]);
    assert!(a.clock_running());
    a.tick();
    let s = screen(&a, 80, 24);
    assert!(s.contains("Sat 03:31 (+0:01)"), "{s}");
    // The START item shows the seat's own brief.
    press(&mut a, &[Down]);
    let s = screen(&a, 80, 24);
    assert!(s.contains("Your brief"), "{s}");
    assert!(s.contains("You watch Harbour & Finch's"), "{s}");
    // On its key it opens again and the clock keeps running.
    press(&mut a, &[Char('b')]);
    let s = screen(&a, 80, 24);
    assert!(s.contains("Briefing (Enter closes)"), "{s}");
    assert!(a.clock_running());
    press(&mut a, &[KeyCode::Esc]);
    assert!(!screen(&a, 80, 24).contains("Briefing (Enter closes)"));
}

/// The quit dialog says whether the game is kept: an unrecorded game cannot be resumed.
#[test]
fn the_quit_dialog_says_whether_the_game_is_kept() {
    let mut a = game(&[true, false, false], false, true);
    press(&mut a, &[Enter, Char('q')]);
    let s = screen(&a, 80, 24);
    assert!(s.contains("This game is not recorded, so it"), "{s}");
    assert!(s.contains("cannot be resumed. y / n"), "{s}");
    assert!(!s.contains("not saved yet"), "{s}");
}

/// The report screen's last line says where the full report comes from: for a game that
/// was not recorded, that it cannot be made again (never a made-up `ttx run` command).
#[test]
fn the_report_screen_says_where_the_full_report_comes_from() {
    let mut a = game(&[true, false, false], false, true);
    for _ in 0..40 {
        press(&mut a, &[Char('n')]);
    }
    press(&mut a, &[Char('r')]);
    for _ in 0..30 {
        press(&mut a, &[KeyCode::PageDown]);
    }
    let s = screen(&a, 120, 40);
    assert!(s.contains("This game was not recorded"), "{s}");
    assert!(!s.contains("--script FILE"), "{s}");
}

/// In turn mode `n` does not run past another person's open decision without asking.
#[test]
fn turn_mode_asks_before_running_past_another_seats_decision() {
    let mut a = game(&[true, true, false], false, true);
    press(&mut a, &[Enter, Enter]);
    let Screen::Game(g) = &mut a.screen else {
        panic!("game")
    };
    g.session.ex.apply(&ttx::engine::Issued::facilitator(
        ttx::engine::Command::FireInject {
            inject: "oncall_call".into(),
        },
    ));
    let before = g.session.ex.now();
    press(&mut a, &[Char('n')]);
    let s = screen(&a, 120, 40);
    assert!(
        s.contains(
            "A decision is waiting for the Customer on-call manager: answer it, or press n again"
        ),
        "{s}"
    );
    let Screen::Game(g) = &a.screen else {
        panic!("game")
    };
    assert_eq!(g.session.ex.now(), before, "time waited");
    press(&mut a, &[Char('n')]);
    let Screen::Game(g) = &a.screen else {
        panic!("game")
    };
    assert!(g.session.ex.now() > before, "asked twice, time runs on");
}

/// A resumed session with a facilitator seat lands on it (the facilitator starts the clock).
#[test]
fn a_resumed_session_lands_on_the_facilitator() {
    use std::sync::Arc;
    use ttx::engine::exercise::Exercise;
    use ttx::engine::ids::Seat;
    use ttx::tui::app::{Game, Recording, Setup, Sitter};
    let b = bundled::find("dropper-0330").expect("bundled");
    let sc = load_str(b.file, b.text).expect("valid").scenario;
    let setup = Setup {
        entry: 0,
        seed: 7,
        editing_seed: None,
        turn_mode: true,
        pace: 1,
        facilitator: true,
        evaluator: false,
        name: None,
        seats: vec![Sitter::Person, Sitter::Person, Sitter::Nobody],
        row: 0,
    };
    let header = Game::header_for(
        "resumed".into(),
        &sc,
        "bundled:dropper-0330".into(),
        7,
        &setup,
        "2026-12-07T00:00:00Z".into(),
    );
    let g = Game::resumed(
        Exercise::start(Arc::clone(&sc), 7),
        header,
        Recording::Off,
        "Resumed, paused".into(),
        std::collections::BTreeMap::default(),
    );
    assert_eq!(g.console.at, Seat::Facilitator);
    assert!(g.console.dialog.is_none(), "no briefing again on resume");
}

/// The facilitator's board says what each seat is doing or waiting on: a question it was
/// asked, a request to approve, a request waiting for approval, out of reach.
#[test]
fn the_facilitators_board_says_who_waits_on_what() {
    use std::sync::Arc;
    use ttx::engine::exercise::Exercise;
    use ttx::engine::ids::Seat;
    use ttx::engine::{Command, Issued};
    use ttx::session::screen::{Status, screen};
    use ttx::session::{Seating, Sitter};
    let b = bundled::find("dropper-0330").expect("bundled");
    let sc = load_str(b.file, b.text).expect("valid").scenario;
    let mut ex = Exercise::start(Arc::clone(&sc), 2);
    let seating = Seating {
        roles: vec![Sitter::Person, Sitter::Person, Sitter::Person],
        facilitator: Sitter::Person,
        evaluator: Sitter::Nobody,
    };
    let board = |ex: &Exercise| {
        screen(ex, &seating, Status::default(), &Seat::Facilitator)
            .board
            .expect("the facilitator's board")
            .seats
    };
    let seats = board(&ex);
    assert_eq!(seats[0].lines, ["free"]);
    assert_eq!(seats[2].lines, ["cannot be reached yet"]);
    ex.apply(&Issued::facilitator(Command::FireInject {
        inject: "oncall_call".into(),
    }));
    ex.apply(&Issued::new(
        Seat::role("soc_analyst"),
        Command::Act {
            action: "isolate_host".into(),
        },
    ));
    let seats = board(&ex);
    assert!(
        seats[1].lines.iter().any(|l| l.starts_with(
            "asked: The MSSP wants to isolate a finance workstation now. What do you tell Priya? (until Sat 03:40)"
        )),
        "{:?}",
        seats[1]
    );
    assert!(seats[1].waiting, "a person's open question stands out");
    assert!(
        seats[0]
            .lines
            .contains(&"awaits approval: Network-isolate FIN-WS-042".to_owned()),
        "{:?}",
        seats[0]
    );
    assert!(
        seats[2]
            .lines
            .contains(&"to approve: Network-isolate FIN-WS-042 (MSSP SOC analyst)".to_owned()),
        "{:?}",
        seats[2]
    );
}

/// The hand-over picks the next seat directly: the seat chosen there is briefed when
/// confirmed, and the one passed over still is when its turn comes.
#[test]
fn the_hand_over_picks_any_seat() {
    let mut a = game(&[true, true, true], false, true);
    press(&mut a, &[Down, Down]);
    let s = screen(&a, 80, 24);
    assert!(s.contains("Pass the keyboard to the"), "{s}");
    assert!(s.contains("▸ Duty executive"), "{s}");
    press(&mut a, &[Enter]);
    let s = screen(&a, 80, 24);
    assert!(s.contains("Your briefing"), "{s}");
    assert!(s.contains("Sarah Lind"), "{s}");
    press(&mut a, &[Enter, Char('s'), Enter]);
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("Your briefing") && s.contains("Priya Raman"),
        "{s}"
    );
}

/// A discussion break holds the clock and notes what the room says under the module; the
/// hot wash after the ending notes a strength and an area to improve (typed text may hold
/// any letter, `r` too); the report's room section has them all.
#[test]
fn a_discussion_break_and_the_hot_wash_are_noted_for_the_report() {
    use ttx::engine::event::EventKind;
    use ttx::engine::model::NoteKind;
    let mut a = game(&[true, false, false], true, false);
    press(&mut a, &[Enter, Enter, Char('s'), Enter, Enter]);
    press(&mut a, &[Char('d')]);
    insta::assert_snapshot!("discussion_break_80x24", screen(&a, 80, 24));
    let type_in = |a: &mut App, text: &str| {
        for c in text.chars() {
            press(a, &[Char(c)]);
        }
        press(a, &[Enter]);
    };
    type_in(&mut a, "Dave would not answer: no deputy on the rota");
    let Screen::Game(g) = &a.screen else {
        panic!("game")
    };
    assert!(
        g.session.ex.state().paused,
        "the clock waits during the break"
    );
    press(&mut a, &[KeyCode::Esc]);
    let Screen::Game(g) = &a.screen else {
        panic!("game")
    };
    assert!(!g.session.ex.state().paused, "and runs again after it");
    press(&mut a, &[Char('e'), Char('y'), Char('h')]);
    type_in(&mut a, "The runbook was clear");
    press(&mut a, &[Tab]);
    type_in(&mut a, "Nobody knew who could approve");
    press(&mut a, &[KeyCode::Esc]);
    let Screen::Game(g) = &a.screen else {
        panic!("game")
    };
    let notes: Vec<(NoteKind, String, Option<u16>)> = g
        .session
        .ex
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::Noted(n) => Some((n.kind, n.text.clone(), n.module)),
            _ => None,
        })
        .collect();
    assert_eq!(
        notes,
        [
            (
                NoteKind::Discussion,
                "Dave would not answer: no deputy on the rota".to_owned(),
                Some(0)
            ),
            (
                NoteKind::Strength,
                "The runbook was clear".to_owned(),
                Some(0)
            ),
            (
                NoteKind::Improvement,
                "Nobody knew who could approve".to_owned(),
                Some(0)
            ),
        ]
    );
    press(&mut a, &[Char('r')]);
    // Page down until the room's notes are on the screen (the debrief follows them).
    let mut s = screen(&a, 120, 40);
    for _ in 0..30 {
        if s.contains("The room: discussion, observations and hot wash") {
            break;
        }
        press(&mut a, &[KeyCode::PageDown]);
        s = screen(&a, 120, 40);
    }
    assert!(
        s.contains("The room: discussion, observations and hot wash"),
        "{s}"
    );
    assert!(
        s.contains("Dave would not answer: no deputy on the rota"),
        "{s}"
    );
    assert!(
        s.contains("Strength Facilitator: The runbook was clear"),
        "{s}"
    );
}

/// The set-up's facilitator row brings an evaluator: a seat of the hand-over that sees the
/// facilitator's view, notes observations against an objective with a rating, and whose
/// rating the report puts beside the computed one.
#[test]
fn an_evaluator_seat_notes_observations() {
    use ttx::engine::event::EventKind;
    use ttx::engine::model::Rating;
    let mut a = app();
    press(&mut a, &[Enter]);
    let Screen::Setup(s) = &mut a.screen else {
        panic!("set-up")
    };
    s.turn_mode = true;
    for k in s.seats.iter_mut().skip(1) {
        *k = ttx::tui::app::Sitter::Nobody;
    }
    s.row = 2;
    press(&mut a, &[Enter, Enter, Enter]);
    let set_up = screen(&a, 100, 30);
    assert!(
        set_up.contains("no; an evaluator watches and notes"),
        "{set_up}"
    );
    press(&mut a, &[Down, Down, Down, Down, Enter]);
    // The analyst first, then the evaluator.
    press(&mut a, &[Enter, Enter, Char('s'), Enter]);
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("Your briefing") && s.contains("You watch and note"),
        "{s}"
    );
    press(&mut a, &[Enter, Char('o')]);
    insta::assert_snapshot!("evaluator_observation_80x24", screen(&a, 80, 24));
    press(&mut a, &[Up, Up, Enter, Down, Enter, Enter, Down]);
    for c in "Priya triaged at once".chars() {
        press(&mut a, &[Char(c)]);
    }
    press(&mut a, &[Enter, KeyCode::Esc]);
    let Screen::Game(g) = &a.screen else {
        panic!("game")
    };
    let noted = g.session.ex.events().iter().find_map(|e| match &e.kind {
        EventKind::Noted(n) => Some(n.clone()),
        _ => None,
    });
    let n = noted.expect("an observation");
    assert_eq!(n.by, ttx::engine::event::Actor::Evaluator);
    assert_eq!(n.rating, Some(Rating::S));
    assert_eq!(n.objective, Some(ttx::engine::model::ObjectiveIx(0)));
    assert_eq!(n.text, "Priya triaged at once");
    // The evaluator gives no other command.
    press(&mut a, &[Char('n'), Char('n')]);
    let s = screen(&a, 120, 40);
    assert!(s.contains("Evaluator"), "{s}");
}

/// At a shared keyboard the person who takes a seat may give their name and organisation
/// on its first briefing: their commands are recorded with it and the report names them.
#[test]
fn a_seat_at_a_shared_keyboard_is_named_for_the_report() {
    let mut a = app();
    press(&mut a, &[Enter, Enter]);
    for c in "Priya Raman, NightWatch".chars() {
        press(&mut a, &[Char(c)]);
    }
    let s = screen(&a, 80, 24);
    assert!(
        s.contains("Your name and organisation, for the report"),
        "{s}"
    );
    assert!(s.contains("Priya Raman, NightWatch▏"), "{s}");
    press(&mut a, &[Enter, Tab, Enter]);
    let Screen::Game(g) = &a.screen else {
        panic!("game")
    };
    let input = g.session.report_input(None);
    assert_eq!(
        input.participants,
        [(
            ttx::engine::ids::Seat::role("soc_analyst"),
            "Priya Raman, NightWatch".to_owned(),
            1
        )]
    );
}

/// `ttx play --session-name` names the session: the set-up carries it into the journal's
/// header, which the report prints.
#[test]
fn a_named_local_session_keeps_its_name() {
    let mut a = app();
    a.session_name = Some("Spring drill".into());
    press(&mut a, &[Enter]);
    let Screen::Setup(s) = &a.screen else {
        panic!("set-up")
    };
    assert_eq!(s.name.as_deref(), Some("Spring drill"));
    let header = ttx::tui::app::Game::header_for(
        "id".into(),
        &a.entries[0].scenario,
        "bundled:dropper-0330".into(),
        7,
        s,
        "2026-12-07T00:00:00Z".into(),
    );
    assert_eq!(header.name.as_deref(), Some("Spring drill"));
}

/// The game's report screen carries the debrief: the debrief notes, where this run and the
/// by-the-book run parted, the attack path revealed, advice to the player.
#[test]
fn the_report_screen_has_the_debrief() {
    let mut a = game(&[true, false, false], false, true);
    for _ in 0..300 {
        let Screen::Game(g) = &a.screen else {
            panic!("a game")
        };
        if g.session.ex.is_over() {
            break;
        }
        press(&mut a, &[Char('n')]);
    }
    press(&mut a, &[Char('r')]);
    let mut all = String::new();
    for _ in 0..40 {
        all.push_str(&screen(&a, 120, 40));
        press(&mut a, &[KeyCode::PageDown]);
    }
    for heading in [
        "Debrief notes",
        "Where the paths parted",
        "Played by the book from the same seed",
        "The attack path, revealed",
        "Advice to the players",
        "For the MSSP SOC analyst",
    ] {
        assert!(all.contains(heading), "{heading} missing");
    }
}

/// A scenario's text with wide characters and a combining mark (a variable's name: a long
/// word of emoji and CJK among letters, wrapped in the facilitator's panel at the screen's
/// right edge) is drawn at every width from 80 to 140 columns without crashing. (The input
/// that makes ratatui's own wrapping write past its area is reproduced in `tui::plain`.)
#[test]
fn wide_and_joined_text_is_drawn_at_every_width() {
    let b = bundled::find("dropper-0330").expect("bundled");
    let from = "name: \"Strain between MSSP and customer\"";
    assert!(b.text.contains(from));
    let text = b.text.replacen(
        from,
        "name: \"Strain🙂Strain漢Strain🙂Strain漢Strain🙂Strain漢Strain🙂Strain漢 e\u{301}\"",
        1,
    );
    let scenario = load_str(b.file, &text).expect("valid").scenario;
    let mut a = App::new(
        vec![ttx::tui::app::Entry {
            source: "bundled".into(),
            scenario,
        }],
        ttx::tui::config::Theme::monochrome(),
        ttx::tui::config::KeyMap::default_map(),
    );
    press(&mut a, &[Enter]);
    let Screen::Setup(s) = &mut a.screen else {
        panic!("set-up")
    };
    s.facilitator = true;
    for k in &mut s.seats {
        *k = ttx::tui::app::Sitter::Nobody;
    }
    press(&mut a, &[Enter, Enter]);
    let mut with_it = 0;
    for w in 80..=140 {
        for h in [24, 31, 40] {
            let shown = screen(&a, w, h);
            assert!(shown.contains("Hidden state"), "{w}×{h}:\n{shown}");
            with_it += usize::from(shown.contains("Strain"));
        }
    }
    assert!(with_it >= 61, "the name is on {with_it} screens of 183");
}
