//! Drawing every joined terminal: one seat's screen built once for all who show it, the
//! terminal that typed drawn first, and the rest shared among threads when there are many
//! (each is drawn from the session, which they only read).

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroUsize;
use std::sync::{Arc, OnceLock};

use rayon::iter::ParallelIterator as _;
use rayon::iter::{IndexedParallelIterator as _, IntoParallelRefMutIterator as _};

use super::{Phase, Plan, lobby};
use crate::engine::ids::Seat;
use crate::net::client::{Client, Shown, Version};
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
    /// The seats and codes: empty unless some terminal shows them (the lobby, or the
    /// roster open over the game).
    pub roster: &'a lobby::Roster,
    pub version: &'a Option<Version>,
}

impl Paint<'_> {
    /// Draws `first` (the terminal that typed), then the others. Terminals that would show
    /// exactly the same frame (the same seat, console state, size and colour: observers who
    /// never pressed a key, say) are drawn once, and the frame copied to the rest.
    pub fn all(&self, first: Option<&mut Client>, mut todo: Vec<&mut Client>) {
        // The seats' screens built so far, for the terminals that show the same seat.
        let mut built: BTreeMap<Seat, Arc<SeatScreen>> = BTreeMap::new();
        if let Some(c) = first {
            if let Phase::Play(s) = &self.phase {
                c.console.sync(s);
            }
            self.one(c, false);
            if let Phase::Play(s) = &self.phase
                && let Some(screen) = c.console.screen_held(s)
            {
                built.insert(c.console.at.clone(), screen);
            }
        }
        let Phase::Play(s) = &self.phase else {
            spread(&mut todo, |c| {
                self.one(c, false);
            });
            return;
        };
        spread(&mut todo, |c| c.console.sync(s));
        // One seat's screen is built once for all who show it (unless one of them holds it
        // already), the seats' screens side by side.
        for c in &todo {
            if let Some(screen) = c.console.screen_held(s) {
                built.entry(c.console.at.clone()).or_insert(screen);
            }
        }
        let mut missing: Vec<(Seat, Option<SeatScreen>)> = todo
            .iter()
            .map(|c| &c.console.at)
            .filter(|seat| !built.contains_key(seat))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .map(|seat| (seat.clone(), None))
            .collect();
        spread_by(&mut missing, 1, |(seat, screen)| {
            *screen = Some(s.screen(seat));
        });
        for (seat, screen) in missing {
            if let Some(screen) = screen {
                built.insert(seat, Arc::new(screen));
            }
        }
        for c in &mut todo {
            if let Some(screen) = built.get(&c.console.at) {
                c.console.adopt_screen(s, screen);
            }
        }
        // Terminals that show the same frame: the first of each kind is drawn.
        let mut leaders: Vec<(&mut Client, bool)> = Vec::new();
        let mut followers: Vec<(usize, &mut Client)> = Vec::new();
        for c in todo {
            match leaders.iter_mut().position(|(l, _)| same_frame(l, c)) {
                Some(i) => {
                    leaders[i].1 = true;
                    followers.push((i, c));
                }
                None => leaders.push((c, false)),
            }
        }
        let mut drawn: Vec<(&mut Client, bool, Option<Shown>)> = leaders
            .into_iter()
            .map(|(c, keep)| (c, keep, None))
            .collect();
        spread(&mut drawn, |(c, keep, kept)| *kept = self.one(c, *keep));
        let frames: Vec<Option<Shown>> = drawn.into_iter().map(|(_, _, b)| b).collect();
        spread(&mut followers, |(i, c)| match &frames[*i] {
            Some(shown) => {
                c.pane.follow(shown);
                c.dirty = false;
                c.drawn_at.clone_from(self.version);
            }
            None => {
                self.one(c, false);
            }
        });
    }

    /// Draws one terminal, and hands back its frame when `keep`.
    fn one(&self, c: &mut Client, keep: bool) -> Option<Shown> {
        let theme = if c.colour { self.colour } else { self.mono };
        let look = Look {
            theme,
            keys: self.keys,
        };
        let roster = self.roster;
        let kept = match self.phase {
            Phase::Lobby => {
                let (plan, seat, access) = (self.plan, &c.seat, c.access);
                let naming = c.naming.as_deref();
                c.pane.frame_kept(
                    |f| {
                        lobby::draw(f, &look, plan, roster, seat, access);
                        if let Some(name) = naming {
                            lobby::name_box(f, &look, name);
                        }
                    },
                    keep,
                )
            }
            Phase::Play(s) => {
                // (the console was brought up to date with the session before)
                let seen = Seen::of(&c.console, s, false, false);
                let (help, open) = (c.help, c.roster);
                let naming = c.naming.as_deref();
                let extra = own_keys(&c.seat, c.access);
                // The host's boxes over the screen: the seats and codes, the name box.
                let boxes = |f: &mut ratatui::Frame| {
                    if let Some(row) = open {
                        lobby::roster(f, &look, roster, row);
                    }
                    if let Some(name) = naming {
                        lobby::name_box(f, &look, name);
                    }
                };
                let over = (open.is_some() || naming.is_some())
                    .then_some(&boxes as crate::tui::draw::Boxes<'_>);
                c.pane.frame_on(
                    |e| crate::tui::draw::seat(e, &look, &seen, help.then_some(extra), over),
                    keep,
                )
            }
        };
        c.dirty = false;
        c.drawn_at.clone_from(self.version);
        kept
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

/// True when `a` and `b` show exactly the same frame: the same seat and console state, on a
/// terminal of the same size and colour, with the same overlays.
fn same_frame(a: &Client, b: &Client) -> bool {
    a.seat == b.seat
        && a.access == b.access
        && a.colour == b.colour
        && a.help == b.help
        && a.roster == b.roster
        && a.naming == b.naming
        && a.pane.size() == b.pane.size()
        && a.console.draws_like(&b.console)
}

/// Terminals a drawing thread takes at least (a frame costs a few hundred microseconds,
/// handing work to another thread some tens).
const PER_THREAD: usize = 8;

/// Layouts each drawing thread remembers: ratatui keeps its layout cache per thread, 500
/// by default, and a room of terminals of many sizes needs more than that (about eight a
/// terminal), or every frame solves its layouts again.
pub(super) const LAYOUTS: usize = 4096;

/// Runs `f` on every item, shared among the drawing threads when there are many.
fn spread<T: Send>(items: &mut [T], f: impl Fn(&mut T) + Sync) {
    spread_by(items, PER_THREAD, f);
}

/// Runs `f` on every item, shared among the drawing threads when each can take at least
/// `per_thread` of them.
fn spread_by<T: Send>(items: &mut [T], per_thread: usize, f: impl Fn(&mut T) + Sync) {
    match pool() {
        Some(pool) if items.len() >= 2 * per_thread => pool.install(|| {
            items.par_iter_mut().with_min_len(per_thread).for_each(&f);
        }),
        _ => items.iter_mut().for_each(f),
    }
}

/// The threads that draw: as many as the machine has cores, at most four, kept from one
/// change to the next so that each keeps its layout cache; none on a machine of one core
/// or where threads cannot be started (the host's own thread then draws every terminal).
fn pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        if cores < 2 {
            return None;
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(cores.min(4))
            .thread_name(|i| format!("ttx-draw-{i}"))
            .start_handler(|_| remember_layouts())
            .build()
            .ok()
    })
    .as_ref()
}

/// Makes ratatui's layout cache on this thread large enough for a room of terminals.
pub(super) fn remember_layouts() {
    if let Some(n) = NonZeroUsize::new(LAYOUTS) {
        ratatui::layout::Layout::init_cache(n);
    }
}
