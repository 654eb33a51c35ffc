//! Drawing: a pure function of the model. The game screen renders from the seat's
//! [`SeatScreen`] (what the seat at the keyboard may see, in words) and the terminal's own
//! state, never from the exercise, its state or its scenario (`tests/layering.rs` holds it).

// `f` (frame), `t` (theme), `g` (game), `a` (action) are this module's idiom.
#![allow(clippy::many_single_char_names)]

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph, Wrap};

use crate::engine::model::{Outcome, Rating, Scenario};
use crate::engine::view::Availability;
use crate::session::screen::{
    ActionLine, Board, Detail, Fireable, RequestLine, SeatScreen, SeatState, ThreatLine, VarLine,
};

use super::app::{ActionItem, App, Console, Dialog, Focus, Leaving, Screen, Seen, Setup, Sitter};
use super::config::{Command, Theme};
use super::text;

mod dialogs;
mod game;
mod menu;
mod notes;
mod panels;

pub(super) use super::parts::Canvas;
use super::parts::Easel;
pub(super) use super::plain::{Lines, Rows};
pub(super) use super::widgets::{
    Look, Looks, Marks, Over, block, boxed, centered, footer, footer_line, wrap_words,
};
use crate::tui::plain::Wrapped;
use dialogs::{dialog, ending};
use game::game;
use menu::{launcher, setup};
use panels::{
    ActionsOf, StateOf, actions, facilitator_panel, prompt, prompt_panel_height, state_panel,
};

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    if !room(f, &app.theme) {
        return;
    }
    match &app.screen {
        Screen::Launcher { sel } => launcher(f, app, *sel, area),
        Screen::Setup(s) => setup(f, app, s, area),
        Screen::Game(g) => game(f, &app.look(), &g.seen(), area),
        Screen::Replay(rv) => super::replay::draw(f, app, rv, area),
    }
    if app.help {
        help(f, app, area);
    }
}

/// Boxes the host draws over a seat's screen.
pub type Boxes<'a> = &'a dyn Fn(&mut Frame);

/// One seat's game screen as any terminal shows it, the host's own or a participant's
/// over the network: the game, the help over it when open, and `over` last. The game's
/// panels with nothing over them are drawn in parts: only those that changed.
pub fn seat(
    e: Easel<'_, '_>,
    look: &Look<'_>,
    seen: &Seen<'_>,
    help_open: Option<ExtraKeys<'_>>,
    over: Option<Boxes<'_>>,
) {
    let area = e.area();
    if over.is_none() && help_open.is_none() && fits(area) && game::only_panels(seen) {
        let s = seen.screen();
        e.parts(background(look.theme), game::panels(look, seen, &s, area));
        return;
    }
    let f = e.whole();
    if room(f, look.theme) {
        game(f, look, seen, area);
        if let Some(extra) = help_open {
            help_joined(f, look, area, extra, seen.console.leaving);
        }
    }
    if let Some(over) = over {
        over(f);
    }
}

/// The style every cell has before anything is drawn, when the theme has a background.
fn background(t: &Theme) -> Option<Style> {
    // Only then: styling every cell of a large screen is a large share of a frame's cost.
    t.text
        .bg
        .is_some_and(|c| c != ratatui::style::Color::Reset)
        .then_some(t.text)
}

/// True when a screen fits in `area`.
fn fits(area: Rect) -> bool {
    area.width >= text::MIN_WIDTH && area.height >= text::MIN_HEIGHT
}

/// Paints the background, and says so instead when the terminal is too small for a
/// screen (returning false).
pub fn room(f: &mut Frame, t: &Theme) -> bool {
    let area = f.area();
    if let Some(bg) = background(t) {
        super::plain::restyle(f.buffer_mut(), area, bg);
    }
    if !fits(area) {
        let p = Paragraph::new(text::too_small(area.width, area.height))
            .alignment(Alignment::Center)
            .style(t.alert)
            .wrap(Wrap { trim: true });
        let h = 6.min(area.height);
        let y = area.y + area.height.saturating_sub(h) / 2;
        f.render_widget(Wrapped(p), Rect::new(area.x, y, area.width, h));
        return false;
    }
    true
}

fn outcome_style(t: &Theme, o: Option<Outcome>) -> Style {
    match o {
        Some(Outcome::Good) => t.good,
        Some(Outcome::Mixed) | None => t.mixed,
        Some(Outcome::Bad) => t.bad,
    }
}

/// Commands whose keys share one line of the help, with what the pair does.
const PAIRS: [(Command, Command, &str); 4] = [
    (Command::Up, Command::Down, "move up and down in a list"),
    (
        Command::Faster,
        Command::Slower,
        "facilitator: more or fewer game minutes per second",
    ),
    (
        Command::FireInject,
        Command::FreeInject,
        "facilitator: fire an inject now, or write a free-text one",
    ),
    (
        Command::ScrollUp,
        Command::ScrollDown,
        "scroll the detail pane",
    ),
];

/// Keys a seat joined over the network has besides the game's: (the keys, what they do).
pub type ExtraKeys<'a> = &'a [(&'a str, &'a str)];

/// The help over any screen at this terminal: every command and its keys.
pub fn help<L: Looks + ?Sized>(f: &mut Frame, app: &L, area: Rect) {
    help_over(f, &app.look(), area, None);
}

/// The help on a seat joined over the network: its own keys are added, the hot-seat key
/// (one keyboard, several seats) means nothing there, and the key map is the host's.
/// `leaving` says what its quit key does (stop hosting, at the host's own console).
pub fn help_joined(
    f: &mut Frame,
    look: &Look<'_>,
    area: Rect,
    extra: ExtraKeys<'_>,
    leaving: Leaving,
) {
    help_over(f, look, area, Some((extra, leaving)));
}

fn help_over(f: &mut Frame, app: &Look<'_>, area: Rect, joined: Option<(ExtraKeys<'_>, Leaving)>) {
    let t = app.theme;
    let r = centered(area, 76, 26);
    f.render_widget(Clear, r);
    let mut lines = Vec::new();
    for (_, cmd, what) in Command::ALL {
        // Pairs and series share a line, so the whole list fits at 80×24.
        let (keys, what) = match cmd {
            Command::Option(1) => (
                (1..=6)
                    .map(|n| app.keys.first(Command::Option(n)))
                    .collect::<Vec<_>>()
                    .join(" "),
                "answer a decision prompt with that option",
            ),
            // A pair on one line: the first key of each for the detail pane, all for the rest.
            _ if let Some((first, second, what)) = PAIRS.iter().find(|p| p.0 == cmd) => {
                let keys = |c| {
                    if cmd == Command::ScrollUp {
                        app.keys.first(c)
                    } else {
                        app.keys.label(c)
                    }
                };
                (format!("{} {}", keys(*first), keys(*second)), *what)
            }
            _ if PAIRS.iter().any(|p| p.1 == cmd) => continue,
            Command::Option(_) => continue,
            Command::SwitchSeat if joined.is_some() => continue,
            Command::Quit if joined.is_some_and(|(_, l)| l == Leaving::Host) => (
                app.keys.label(cmd),
                "stop hosting: every seat is disconnected (asks first)",
            ),
            Command::Quit if joined.is_some() => (
                app.keys.label(cmd),
                "leave the session (asks first during an exercise)",
            ),
            _ => (app.keys.label(cmd), what),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{keys:<16}"), t.focus),
            Span::raw(what),
        ]));
    }
    for (keys, what) in joined.map_or(&[][..], |(extra, _)| extra) {
        lines.push(Line::from(vec![
            Span::styled(format!("{keys:<16}"), t.focus),
            Span::raw(*what),
        ]));
    }
    let note = if joined.is_some() {
        "The host chose these keys."
    } else {
        "Keys come from assets/keys.ron; load your own with --keys FILE."
    };
    lines.push(Line::from(Span::styled(note, t.dim)));
    f.render_widget(
        Paragraph::new(lines).block(block(text::HELP_TITLE, t, true)),
        r,
    );
}
