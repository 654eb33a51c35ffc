//! Drawing every joined terminal: one seat's screen built once for all who show it, the
//! terminal that typed drawn first, and the rest shared among threads when there are many
//! (each is drawn from the session, which they only read).

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Phase, Plan, lobby};
use crate::engine::ids::Seat;
use crate::net::client::{Client, Version};
use crate::net::codes::Access;
use crate::session::screen::SeatScreen;
use crate::tui::app::Seen;
use crate::tui::config::{KeyMap, Theme};
use crate::tui::widgets::Look;

/// What every terminal is drawn from, shared (read-only) by the drawing threads.
pub(super) struct Paint<'a> {
    pub keys: &'a KeyMap,
    pub colour: &'a Theme,
    pub mono: &'a Theme,
    pub phase: &'a Phase,
    pub plan: &'a Plan,
    pub roster: &'a lobby::Roster,
    pub version: &'a Option<Version>,
}

impl Paint<'_> {
    /// Draws `first` (the terminal that typed), then the others.
    pub fn all(&self, first: Option<&mut Client>, mut todo: Vec<&mut Client>) {
        if let Some(c) = first {
            self.one(c);
        }
        if let Phase::Play(s) = &self.phase {
            // One seat's screen is built once for all who show it.
            let mut built: BTreeMap<Seat, Arc<SeatScreen>> = BTreeMap::new();
            for c in &mut todo {
                match built.get(&c.console.at) {
                    Some(screen) => c.console.adopt_screen(s, screen),
                    None => {
                        built.insert(c.console.at.clone(), c.console.screen(s));
                    }
                }
            }
        }
        let threads = drawing_threads(todo.len());
        if threads <= 1 {
            for c in &mut todo {
                self.one(c);
            }
            return;
        }
        let per = todo.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let mut parts = todo.chunks_mut(per);
            let mine = parts.next();
            for part in parts {
                let paint = self;
                scope.spawn(move || {
                    for c in part {
                        paint.one(c);
                    }
                });
            }
            for c in mine.into_iter().flatten() {
                self.one(c);
            }
        });
    }

    /// Draws one terminal.
    fn one(&self, c: &mut Client) {
        let theme = if c.colour { self.colour } else { self.mono };
        let look = Look {
            theme,
            keys: self.keys,
        };
        let roster = self.roster;
        match self.phase {
            Phase::Lobby => {
                let (plan, seat, access) = (self.plan, &c.seat, c.access);
                let naming = c.naming.as_deref();
                c.pane.frame(|f| {
                    lobby::draw(f, &look, plan, roster, seat, access);
                    if let Some(name) = naming {
                        lobby::name_box(f, &look, name);
                    }
                });
            }
            Phase::Play(s) => {
                c.console.sync(s);
                let seen = Seen::of(&c.console, s, false, false);
                let (help, open) = (c.help, c.roster);
                let naming = c.naming.as_deref();
                let extra = own_keys(&c.seat, c.access);
                c.pane.frame(|f| {
                    crate::tui::draw::seat(f, &look, &seen, help.then_some(extra));
                    if let Some(row) = open {
                        lobby::roster(f, &look, roster, row);
                    }
                    if let Some(name) = naming {
                        lobby::name_box(f, &look, name);
                    }
                });
            }
        }
        c.dirty = false;
        c.drawn_at.clone_from(self.version);
    }
}

/// The keys a joined seat has besides the game's, for its help.
fn own_keys(seat: &Seat, access: Access) -> &'static [(&'static str, &'static str)] {
    const ALL: [(&str, &str); 3] = [
        ("c", "colour on or off"),
        ("Ctrl-L", "draw the whole screen again"),
        ("w", "facilitator: the seats, their codes and who is here"),
    ];
    if *seat == Seat::Facilitator && access == Access::Play {
        &ALL
    } else {
        &ALL[..2]
    }
}

/// How many threads draw `n` terminals: one for a few; for many, as many as the machine
/// has cores, at most four (a thread costs tens of microseconds to start, a frame a few
/// hundred).
fn drawing_threads(n: usize) -> usize {
    const PER_THREAD: usize = 8;
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    (n / PER_THREAD).clamp(1, cores.min(4))
}
