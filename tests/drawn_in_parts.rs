//! A seat's screen drawn in parts (only the panels that changed since the frame before, as
//! the host draws every joined terminal) shows exactly what the same screen drawn whole
//! shows, after any keys, clock ticks and window sizes: a terminal emulator fed the bytes
//! of each is compared, cell for cell and style for style, after every step.

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use tokio::sync::mpsc::{Receiver, channel};
use ttx::net::client::{Out, Pane, Sink};
use ttx::tui::app::{App, Screen, Sitter};
use ttx::tui::config::Theme;
use ttx::tui::parts::Drawn;
use ttx::tui::widgets::Looks as _;

/// A terminal at the host and the emulator its bytes go to.
struct Terminal {
    pane: Pane,
    rx: Receiver<Out>,
    vt: vt100::Parser,
}

impl Terminal {
    fn new((w, h): (u16, u16)) -> Terminal {
        let (tx, rx) = channel(4096);
        Terminal {
            pane: Pane::new((w, h), Sink::Remote(tx)),
            rx,
            vt: vt100::Parser::new(rows(h), rows(w), 0),
        }
    }

    /// Draws `app`'s seat as the host does, and feeds the emulator what was sent.
    fn draw(&mut self, app: &App) {
        self.draw_as(app, false);
    }

    /// Draws `app`'s seat as the host does, or (`whole`) whole on ratatui's frame, as the
    /// host draws a screen with something over it; and feeds the emulator what was sent.
    fn draw_as(&mut self, app: &App, whole: bool) {
        let Screen::Game(g) = &app.screen else {
            panic!("a game")
        };
        let seen = g.seen();
        let look = app.look();
        let help: Option<ttx::tui::draw::ExtraKeys<'_>> = app.help.then_some(&[]);
        // Nothing, drawn over the screen: the screen is drawn whole.
        let nothing = |_: &mut ratatui::Frame| {};
        let over = whole.then_some(&nothing as ttx::tui::draw::Boxes<'_>);
        self.pane
            .frame_on(|e| ttx::tui::draw::seat(e, &look, &seen, help, over), false);
        if whole {
            assert_eq!(self.pane.drawn(), &Drawn::Whole, "drawn whole");
        }
        while let Ok(out) = self.rx.try_recv() {
            if let Out::Bytes(b) = out {
                self.vt.process(&b);
            }
        }
    }

    fn resize(&mut self, (w, h): (u16, u16)) {
        self.pane.resize((w, h));
        self.vt.set_size(rows(h), rows(w));
    }

    /// The screen: every cell's text, colours and attributes, row by row.
    fn shows(&self) -> Vec<String> {
        common::cells(self.vt.screen())
    }
}

fn rows(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).expect("not zero")
}

/// What happens between two frames.
#[derive(Clone, Debug)]
enum Step {
    Key(KeyCode),
    /// A real second of the clock.
    Tick,
    /// The window's new size.
    Size(u16, u16),
}

fn step() -> impl Strategy<Value = Step> {
    use KeyCode::{BackTab, Char, Down, End, Enter, Esc, Home, PageDown, PageUp, Tab, Up};
    let keys = prop::sample::select(vec![
        Tab,
        BackTab,
        Up,
        Down,
        Enter,
        Esc,
        PageDown,
        PageUp,
        Home,
        End,
        Char('1'),
        Char('2'),
        Char('3'),
        Char('p'),
        Char('+'),
        Char('-'),
        Char('n'),
        Char('?'),
        Char('r'),
        Char('b'),
        Char('f'),
        Char('d'),
        Char('o'),
        Char('x'),
    ]);
    prop_oneof![
        12 => keys.prop_map(Step::Key),
        4 => Just(Step::Tick),
        1 => (80u16..140, 24u16..50).prop_map(|(w, h)| Step::Size(w, h)),
    ]
}

/// The high-contrast theme (a background colour on every cell), or none.
fn theme(contrast: bool) -> Theme {
    if contrast {
        Theme::builtin("high-contrast").expect("theme")
    } else {
        Theme::monochrome()
    }
}

/// Launcher → set-up (seed 7, scenario `entry`) → a game with one seat here, `role` or the
/// facilitator's console, its briefing closed.
fn game(entry: usize, role: Option<usize>, theme: Theme) -> App {
    let mut a = common::app();
    a.theme = theme;
    for _ in 0..entry {
        a.key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE), &mut || 7);
    }
    a.key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), &mut || 7);
    let Screen::Setup(s) = &mut a.screen else {
        panic!("set-up")
    };
    s.facilitator = role.is_none();
    s.turn_mode = false;
    // Bots play the other roles (the first is a person by default).
    let role = role.map(|r| r % s.seats.len());
    let bot = s.seats.last().copied().filter(|k| *k != Sitter::Person);
    for (i, k) in s.seats.iter_mut().enumerate() {
        if Some(i) == role {
            *k = Sitter::Person;
        } else if *k == Sitter::Person {
            *k = bot.unwrap_or(Sitter::Nobody);
        }
    }
    a.key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), &mut || 7);
    a.key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), &mut || 7);
    assert!(matches!(a.screen, Screen::Game(_)), "in the game");
    a
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_screen_drawn_in_parts_shows_what_it_shows_drawn_whole(
        entry in 0usize..6,
        role in prop::option::of(0usize..3),
        contrast in any::<bool>(),
        steps in prop::collection::vec(step(), 1..60),
    ) {
        let theme = theme(contrast);
        let mut app = game(entry, role, theme);
        let mut size = (120, 40);
        let mut parts = Terminal::new(size);
        parts.draw(&app);
        for (n, s) in steps.iter().enumerate() {
            match s {
                Step::Key(k) => app.key(KeyEvent::new(*k, KeyModifiers::NONE), &mut || 7),
                Step::Tick => app.tick(),
                Step::Size(w, h) => {
                    size = (*w, *h);
                    parts.resize(size);
                }
            }
            if !matches!(app.screen, Screen::Game(_)) {
                break;
            }
            parts.draw(&app);
            let mut whole = Terminal::new(size);
            whole.draw_as(&app, true);
            let (a, b) = (parts.shows(), whole.shows());
            let differ: Vec<(usize, (&String, &String))> =
                a.iter().zip(&b).enumerate().filter(|(_, (a, b))| a != b).take(3).collect();
            prop_assert!(
                a == b,
                "after step {n} ({s:?}), rows differ (row, (in parts, whole)): {differ:?}\nin parts:\n{}",
                parts.vt.screen().contents(),
            );
        }
    }
}

/// Where the areas `t`'s last frame drew in start, top to bottom (none: drawn whole).
fn rows_drawn(t: &Terminal) -> Option<Vec<(u16, u16)>> {
    match t.pane.drawn() {
        Drawn::Whole => None,
        Drawn::Parts(d) => Some(d.iter().map(|r| (r.x, r.y)).collect()),
    }
}

/// What the host saves: a frame with nothing changed draws nothing; a pause (the header,
/// the footer, a line in the feed and, for the facilitator who follows the feed, the
/// detail) leaves the panels on the right as they are; the help over the panels is drawn
/// whole, and the frame after it draws every panel.
#[test]
fn a_pause_draws_only_the_panels_it_changes() {
    let key = |app: &mut App, k| app.key(KeyEvent::new(k, KeyModifiers::NONE), &mut || 7);
    // Draws a frame and tells where it was drawn (`None`: whole).
    let drawn = |t: &mut Terminal, app: &App| {
        t.draw(app);
        rows_drawn(t)
    };
    let (all, nothing) = (Some(vec![(0, 0)]), Some(vec![]));
    for (role, contrast) in [(None, false), (Some(0), true)] {
        let theme = theme(contrast);
        let mut app = game(0, role, theme);
        let mut t = Terminal::new((120, 40));
        assert_eq!(drawn(&mut t, &app), all, "the first frame: all of it");
        assert_eq!(
            drawn(&mut t, &app),
            nothing,
            "nothing changed, nothing drawn"
        );
        key(&mut app, KeyCode::Char('p'));
        let paused = drawn(&mut t, &app).expect("in parts");
        assert!(
            paused.contains(&(0, 0)) && paused.contains(&(0, 39)),
            "{role:?}: {paused:?}"
        );
        assert!(paused.iter().all(|(x, _)| *x == 0), "{role:?}: {paused:?}");
        key(&mut app, KeyCode::Char('?'));
        assert_eq!(drawn(&mut t, &app), None, "the help over the screen");
        key(&mut app, KeyCode::Char('?'));
        assert_eq!(drawn(&mut t, &app), all, "after the help: all of it");
        assert_eq!(drawn(&mut t, &app), nothing, "{role:?}");
    }
}

/// Drawing threads draw every terminal's parts on one sheet: a seat's screen drawn right
/// after the facilitator's, again and again, shows nothing of the facilitator's console
/// and exactly what it shows drawn on its own.
#[test]
fn a_seat_drawn_after_the_facilitator_shows_nothing_of_the_console() {
    let key = |app: &mut App, k| app.key(KeyEvent::new(k, KeyModifiers::NONE), &mut || 7);
    let mut console = game(0, None, Theme::monochrome());
    let mut analyst = game(0, Some(0), Theme::monochrome());
    let (mut f, mut a) = (Terminal::new((120, 40)), Terminal::new((120, 40)));
    let facilitator_only = [
        "Hidden state",
        "Coming up",
        "Facilitator controls",
        "Drawn:",
    ];
    for n in 0..30 {
        match n % 3 {
            0 => {
                console.tick();
                analyst.tick();
            }
            1 => key(&mut analyst, KeyCode::Down),
            _ => key(&mut console, KeyCode::Down),
        }
        f.draw(&console);
        a.draw(&analyst);
        let shown = a.vt.screen().contents();
        for text in facilitator_only {
            assert!(
                f.vt.screen().contents().contains(text) || text == "Drawn:",
                "the console shows {text}"
            );
            assert!(
                !shown.contains(text),
                "step {n}: the analyst's screen shows {text}"
            );
        }
        let mut alone = Terminal::new((120, 40));
        alone.draw_as(&analyst, true);
        assert!(a.shows() == alone.shows(), "step {n}: as drawn on its own");
    }
}
