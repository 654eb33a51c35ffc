//! Rendering cost of the terminal game's busiest screen (the facilitator's console late in
//! an exercise, every event in the feed) at 200×60 and 80×24, drawn into a `TestBackend`;
//! and the cost of building a seat's screen snapshot, which a frame reuses until the
//! exercise moves on.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ttx::engine::command::{Command, Issued};
use ttx::scenario::{bundled, load_str};
use ttx::tui::app::{App, Entry, Game, Screen, Setup, Sitter};
use ttx::tui::config::{KeyMap, Theme};
use ttx::tui::draw::draw;

fn busy_app(facilitator_view: bool) -> App {
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
    // Fill the feed: every inject fired, and the clock run on a while.
    for i in &scenario.injects {
        g.session
            .ex
            .apply(&Issued::facilitator(Command::FireInject {
                inject: i.id.clone(),
            }));
    }
    g.session
        .ex
        .apply(&Issued::facilitator(Command::Tick { minutes: 60 }));
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

fn render(c: &mut Criterion) {
    let mut group = c.benchmark_group("render_frame");
    for (name, fac) in [("facilitator", true), ("analyst", false)] {
        let app = busy_app(fac);
        for (w, h) in [(200u16, 60u16), (80, 24)] {
            let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
            group.bench_function(format!("{name}_{w}x{h}"), |b| {
                b.iter(|| {
                    term.draw(|f| draw(f, black_box(&app))).expect("draws");
                });
            });
        }
    }
    group.finish();
    // Building a seat's screen (its view in words) is paid once per change to the
    // exercise, not per frame: measured on its own.
    let mut group = c.benchmark_group("seat_screen");
    for (name, fac) in [("facilitator", true), ("analyst", false)] {
        let app = busy_app(fac);
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
