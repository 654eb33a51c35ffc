//! Rendering cost of the terminal game's busiest screen (the console mid-exercise, the
//! feed full) at 200×60, 120×40 and 80×24, drawn as the networked host draws a seat: into a
//! pane whose bytes go nowhere, every frame differing from the last as a pause changes it
//! (the header, the footer, a line at the top of the feed and, for the facilitator, the
//! detail), in parts (only the panels that changed: what the host draws after a change) and
//! whole on ratatui's frame (as it draws a screen with a dialog open); and the cost of
//! building a seat's screen snapshot, which a frame reuses until the exercise moves on.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ttx::engine::command::{Command, Issued};
use ttx::net::client::{Pane, Sink};
use ttx::scenario::{bundled, load_str};
use ttx::tui::app::{App, Entry, Game, Screen, Setup, Sitter};
use ttx::tui::config::{KeyMap, Theme};
use ttx::tui::draw::{draw, seat};
use ttx::tui::widgets::Looks as _;

/// The busiest console mid-exercise: every inject fired that does not end the exercise,
/// the clock run on for up to an hour (short of the end), the feed full; `paused` or
/// running.
fn busy_app(facilitator_view: bool, paused: bool) -> App {
    let b = bundled::find("dropper-0330").expect("bundled");
    let scenario = load_str(b.file, b.text).expect("valid").scenario;
    let setup = Setup {
        entry: 0,
        seed: 7,
        editing_seed: None,
        turn_mode: true,
        pace: 1,
        facilitator: true,
        evaluator: false,
        name: None,
        seats: vec![Sitter::Person; scenario.roles.len()],
        row: 0,
    };
    let mut g = Game::new(scenario.clone(), 7, &setup);
    // Fill the feed: injects fired (until one would end the exercise), the clock run on.
    for i in &scenario.injects {
        let before = g.session.ex.clone();
        g.session
            .ex
            .apply(&Issued::facilitator(Command::FireInject {
                inject: i.id.clone(),
            }));
        if g.session.ex.is_over() {
            g.session.ex = before;
        }
    }
    for _ in 0..60 {
        let before = g.session.ex.clone();
        g.session
            .ex
            .apply(&Issued::facilitator(Command::Tick { minutes: 1 }));
        if g.session.ex.is_over() {
            g.session.ex = before;
            break;
        }
    }
    if paused {
        g.session.ex.apply(&Issued::facilitator(Command::Pause));
    }
    assert!(!g.session.ex.is_over(), "mid-exercise");
    g.handover = false;
    if facilitator_view {
        g.console.at = ttx::engine::Seat::Facilitator;
    }
    let mut app = App::new(
        vec![Entry {
            source: "bundled".into(),
            scenario,
        }],
        Theme::builtin("default").expect("theme"),
        KeyMap::default_map(),
    );
    app.screen = Screen::Game(Box::new(g));
    app
}

/// Draws `app`'s seat in parts on `pane`, as the host draws a joined terminal.
fn seat_in_parts(pane: &mut Pane, app: &App) {
    let Screen::Game(g) = &app.screen else {
        unreachable!("a game")
    };
    let (seen, look) = (g.seen(), app.look());
    pane.frame_on(|e| seat(e, &look, &seen, None, None), false);
}

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_frame");
    for (name, fac) in [("facilitator", true), ("analyst", false)] {
        let apps = [busy_app(fac, false), busy_app(fac, true)];
        for (w, h) in [(200u16, 60u16), (120, 40), (80, 24)] {
            let mut pane = Pane::new((w, h), Sink::Nowhere);
            let mut n = 0usize;
            group.bench_function(format!("{name}_{w}x{h}"), |b| {
                b.iter(|| {
                    n += 1;
                    seat_in_parts(&mut pane, black_box(&apps[n % 2]));
                });
            });
            let mut pane = Pane::new((w, h), Sink::Nowhere);
            group.bench_function(format!("{name}_{w}x{h}_whole"), |b| {
                b.iter(|| {
                    n += 1;
                    pane.frame(|f| draw(f, black_box(&apps[n % 2])));
                });
            });
        }
    }
    group.finish();
    // Building a seat's screen (its view in words) is paid once per change to the
    // exercise, not per frame: measured on its own.
    let mut group = c.benchmark_group("seat_screen");
    for (name, fac) in [("facilitator", true), ("analyst", false)] {
        let app = busy_app(fac, false);
        let Screen::Game(g) = &app.screen else {
            unreachable!("a game")
        };
        group.bench_function(name, |b| {
            b.iter(|| g.session.screen(black_box(&g.console.at)));
        });
    }
    group.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
