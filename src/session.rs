//! A live exercise: the exercise, who sits where, the bots, the pacing and the hold, the
//! recorder, and the one driver of the loop that lets time pass, lets the bots act and
//! records every command before it is applied. Each seat's screen is made from it
//! (`screen.rs`), and so is the report's input (`debrief.rs`). The terminal game and headless runs (`ttx run`, `simulate`, the
//! report's by-the-book comparison) all drive a [`Session`]; none has a loop of its own.
//!
//! Depends on the engine, the journal (the recorder and the header's seats), the bots and
//! the report's input; nothing above it (`tests/layering.rs`).

pub mod bots;
pub mod debrief;
pub mod rerun;
pub mod screen;
pub mod seating;

use std::sync::Arc;

use crate::engine::command::{Command, Issued};
use crate::engine::event::Event;
use crate::engine::exercise::Exercise;
use crate::engine::ids::Seat;
use crate::engine::model::{BotSpec, RoleIx, Scenario};
use crate::engine::time::GameTime;
use crate::journal::record::{Header, Pacing};
use crate::journal::store::Writer;
use bots::Crew;

pub use seating::{Seating, Sitter};

/// Whether a session keeps a journal.
#[derive(Debug)]
pub enum Recording {
    /// No journal (tests, snapshots, `--no-journal`, headless runs whose caller records).
    Off,
    /// Every command is written and flushed to this journal before it is applied.
    On(Box<Writer>),
    /// A journal was wanted but could not be created: nothing is applied.
    Unavailable(String),
}

impl Recording {
    /// The session id, when recording.
    pub fn session(&self) -> Option<&str> {
        match self {
            Recording::On(w) => Some(w.session()),
            _ => None,
        }
    }

    /// What names this session to `ttx resume` or `ttx report`: its id, or the journal's
    /// path when the file is not named after the id (a copied or renamed journal).
    pub fn handle(&self) -> Option<String> {
        match self {
            Recording::On(w) => Some(if crate::journal::store::id_of(w.path()) == w.session() {
                w.session().to_owned()
            } else {
                w.path().display().to_string()
            }),
            _ => None,
        }
    }
}

/// A command that was not applied because it could not be recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotRecorded {
    /// The journal could not be created in the first place.
    Unavailable(String),
    /// Writing the record failed (the system's reason).
    Failed(String),
}

/// What a caller does around each command a headless run applies: `before` may record
/// it (a journal) and stop the run with an error before it is applied; `after` sees the
/// events it caused (to show them), and once at the start the events of the start.
pub trait Observer {
    type Error;
    fn before(&mut self, ex: &Exercise, issued: &Issued) -> Result<(), Self::Error>;
    fn after(&mut self, ex: &Exercise, new_events: &[Event]);
}

/// Observes nothing.
pub struct Unobserved;

impl Observer for Unobserved {
    type Error = std::convert::Infallible;
    fn before(&mut self, _: &Exercise, _: &Issued) -> Result<(), Self::Error> {
        Ok(())
    }
    fn after(&mut self, _: &Exercise, _: &[Event]) {}
}

/// A command given at a game time by a script (`ttx run --script`).
pub trait Timed {
    fn at(&self) -> GameTime;
    fn issued(&self) -> &Issued;
}

impl Timed for (GameTime, Issued) {
    fn at(&self) -> GameTime {
        self.0
    }
    fn issued(&self) -> &Issued {
        &self.1
    }
}

/// Game minutes per real second that the facilitator can choose from.
pub const PACES: [u32; 7] = [1, 2, 5, 10, 15, 30, 60];

/// An exercise being played.
#[derive(Debug)]
pub struct Session {
    pub ex: Exercise,
    /// Who sits where: people, bots, scripts, nobody.
    pub seating: Seating,
    /// The bots playing the roles a bot sits in.
    pub crew: Crew,
    /// Real time (so many game minutes a second) or turn by turn.
    pub pacing: Pacing,
    /// The pacing changed since the last record: the next one carries it.
    repaced: Option<Pacing>,
    /// Events each seat's screen marked read since the last record: the next one carries
    /// them.
    unsaved_reads: std::collections::BTreeMap<Seat, Vec<u32>>,
    /// Every read mark journaled or about to be.
    pub known_reads: std::collections::BTreeMap<Seat, std::collections::BTreeSet<u32>>,
    /// A resumed or forked session waits, clock stopped, with a note of where it left off,
    /// until someone with the clock starts it.
    pub held: Option<String>,
    pub recording: Recording,
    /// The journal's header (who sat where, for the report), when recording.
    pub header: Option<Header>,
    /// Why the last command could not be recorded (nothing was applied), until one is.
    pub not_recorded: Option<NotRecorded>,
    /// Commands given by each named person, by seat (networked seats).
    pub acted: Vec<(Seat, String, u32)>,
    /// Every command applied, in order, with the game time it was given at and whether the
    /// engine refused it: what a reloaded scenario replays (`ttx play --watch`). Kept only
    /// when `keep_given` is set (the terminal game); headless runs and simulations skip it.
    pub given: Vec<rerun::Given>,
    pub keep_given: bool,
}

impl Session {
    /// A session on `ex` with this seating (its bots seated) and pacing, recorded as
    /// `recording` says.
    pub fn new(ex: Exercise, seating: Seating, pacing: Pacing, recording: Recording) -> Session {
        let crew = Crew::new(&ex, &seating.bots());
        let not_recorded = match &recording {
            Recording::Unavailable(why) => Some(NotRecorded::Unavailable(why.clone())),
            _ => None,
        };
        Session {
            ex,
            seating,
            crew,
            pacing,
            repaced: None,
            unsaved_reads: std::collections::BTreeMap::new(),
            known_reads: std::collections::BTreeMap::new(),
            held: None,
            recording,
            header: None,
            not_recorded,
            acted: Vec::new(),
            given: Vec::new(),
            keep_given: false,
        }
    }

    /// A new exercise of `scenario` with `seed`, unrecorded, with bots in these seats and
    /// nobody in the others, moving from one event to the next.
    pub fn start(scenario: Arc<Scenario>, seed: u64, bots: &[(RoleIx, BotSpec)]) -> Session {
        let ex = Exercise::start(scenario, seed);
        let seating = Seating::headless(ex.scenario(), bots, |_| false);
        Session::new(ex, seating, Pacing::TURNS, Recording::Off)
    }

    /// A recorded session continued from its journal: the seats its header names (a
    /// person takes over a seat a script played), its pacing, its bots caught up with what
    /// happened, held with `note` until someone with the clock carries on.
    pub fn resumed(ex: Exercise, header: Header, recording: Recording, note: String) -> Session {
        let sc = Arc::clone(ex.scenario());
        let mut seating = Seating::from_header(&sc, &header);
        for s in seating.roles.iter_mut().chain([&mut seating.facilitator]) {
            if *s == Sitter::Script {
                *s = Sitter::Person;
            }
        }
        let pacing = header.pacing.unwrap_or(Pacing {
            turn_mode: false,
            pace: PACES[0],
        });
        let mut s = Session::new(ex, seating, pacing, recording);
        s.crew.observe(&s.ex);
        s.header = Some(header);
        s.held = (!s.ex.is_over()).then_some(note);
        s
    }

    /// True when real time moves this session's game clock (not in turn mode, not held,
    /// not after a failed record, not over, not paused).
    pub fn clock_runs(&self) -> bool {
        !self.pacing.turn_mode
            && self.held.is_none()
            && self.not_recorded.is_none()
            && !self.ex.is_over()
            && !self.ex.state().paused
    }

    /// Notes that `seat`'s screen marked event `seq` read (journaled with the next record,
    /// when recording).
    pub fn mark_read(&mut self, seat: &Seat, seq: u32) {
        if matches!(self.recording, Recording::On(_))
            && self
                .known_reads
                .entry(seat.clone())
                .or_default()
                .insert(seq)
        {
            self.unsaved_reads
                .entry(seat.clone())
                .or_default()
                .push(seq);
        }
    }

    /// What each seat's screen has marked read, as the journal knows it (resumed from it,
    /// or marked since).
    pub fn reads(&self) -> &std::collections::BTreeMap<Seat, std::collections::BTreeSet<u32>> {
        &self.known_reads
    }

    /// The next pace of [`PACES`] up (real time from then on) or down; returns it.
    pub fn change_pace(&mut self, faster: bool) -> u32 {
        let i = PACES
            .iter()
            .position(|p| *p == self.pacing.pace)
            .unwrap_or(0);
        self.pacing.pace = if faster {
            self.pacing.turn_mode = false;
            PACES[(i + 1).min(PACES.len() - 1)]
        } else {
            PACES[i.saturating_sub(1)]
        };
        // Journaled with the next command.
        self.repaced = Some(self.pacing);
        self.pacing.pace
    }

    /// Applies one command, the only way a session changes its exercise. With a journal,
    /// the command is written and flushed to disk first; if that fails, nothing is applied.
    /// Returns the events it caused.
    pub fn apply(&mut self, issued: &Issued) -> Result<&[Event], NotRecorded> {
        self.apply_by(issued, None)
    }

    /// Applies one command given by the person named `who` (recorded with it).
    pub fn apply_by(
        &mut self,
        issued: &Issued,
        who: Option<&str>,
    ) -> Result<&[Event], NotRecorded> {
        match &mut self.recording {
            Recording::Off => {}
            Recording::Unavailable(why) => {
                let e = NotRecorded::Unavailable(why.clone());
                self.not_recorded = Some(e.clone());
                return Err(e);
            }
            Recording::On(w) => match w.append_by(
                self.ex.now(),
                issued,
                who,
                self.repaced,
                self.unsaved_reads.clone(),
            ) {
                Ok(_) => {
                    self.not_recorded = None;
                    self.repaced = None;
                    self.unsaved_reads.clear();
                }
                Err(e) => {
                    let e = NotRecorded::Failed(e.to_string());
                    self.not_recorded = Some(e.clone());
                    return Err(e);
                }
            },
        }
        if let Some(w) = who {
            crate::journal::fold::count_participant(&mut self.acted, &issued.by, w);
        }
        let at = self.ex.now();
        let first = self.ex.events().len();
        self.ex.apply(issued);
        if self.keep_given {
            let refused = rerun::refused(&self.ex.events()[first..]);
            self.given.push(rerun::Given {
                at,
                issued: issued.clone(),
                refused,
            });
        }
        Ok(&self.ex.events()[first..])
    }

    /// Lets the bots read what happened and give the commands that are due now (never while
    /// the clock is paused).
    pub fn bots_now(&mut self) -> Result<(), NotRecorded> {
        // A bot gives at most one command a game minute; this bounds the loop as well.
        for _ in 0..1024 {
            if self.ex.is_over() || self.ex.state().paused {
                return Ok(());
            }
            self.crew.observe(&self.ex);
            let Some(issued) = self.crew.poll(&self.ex) else {
                return Ok(());
            };
            self.apply(&issued)?;
        }
        Ok(())
    }

    /// Lets game time pass up to `target`, stopping at each moment a bot wants to act (the
    /// shell's clock: a real second of real-time play, or turn mode's step).
    pub fn advance_to(&mut self, target: GameTime) -> Result<(), NotRecorded> {
        loop {
            self.bots_now()?;
            let now = self.ex.now();
            if self.ex.is_over() || self.ex.state().paused || now >= target {
                return Ok(());
            }
            let stop = self
                .crew
                .next_wake()
                .filter(|w| *w > now)
                .map_or(target, |w| w.min(target));
            self.apply(&Issued::facilitator(Command::AdvanceTo { at: stop }))?;
            if self.ex.now() == now {
                return Ok(());
            }
        }
    }

    /// Turn mode's "next event", the part that lets the bots move first: when a bot wants
    /// to act before anything else is due, time runs to its move. True when that made
    /// something happen; otherwise the caller carries on with `AdvanceToNextEvent`.
    pub fn bots_move_first(&mut self) -> Result<bool, NotRecorded> {
        // A paused clock lets no time pass: the caller's command says so.
        if self.ex.state().paused {
            return Ok(false);
        }
        let now = self.ex.now();
        let wake = self.crew.next_wake().filter(|w| *w > now);
        if wake.is_some_and(|w| w < self.ex.next_due()) {
            let first = self.ex.events().len();
            // Until a bot's move shows up, or something else happens.
            while let Some(w) = self.crew.next_wake().filter(|w| *w > self.ex.now()) {
                if w >= self.ex.next_due() || self.ex.is_over() {
                    break;
                }
                let before = self.ex.now();
                self.advance_to(w)?;
                if self.ex.events().len() > first {
                    return Ok(true);
                }
                if self.ex.now() == before {
                    break;
                }
            }
            if self.ex.events().len() > first {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// A headless run: the script's commands at their times, the bots' whenever they are
    /// due, and the clock running from one thing to the next, to the end (or until the
    /// exercise is paused). With no bots, the clock jumps straight from one script line to
    /// the next. `obs` sees every command before it is applied (and may stop the run) and
    /// the events after.
    pub fn run<S: Timed, O: Observer>(&mut self, steps: &[S], obs: &mut O) -> Result<(), O::Error> {
        // What the start delivered comes before any command.
        obs.after(&self.ex, self.ex.events());
        if self.crew.is_empty() {
            for step in steps {
                if self.ex.is_over() {
                    break;
                }
                if step.at() > self.ex.now() {
                    let advance = Issued::facilitator(Command::AdvanceTo { at: step.at() });
                    self.observed(obs, &advance)?;
                    if self.ex.is_over() {
                        break;
                    }
                }
                self.observed(obs, step.issued())?;
            }
            if !self.ex.is_over() && !self.ex.state().paused {
                let end = self.ex.scenario().end;
                self.observed(obs, &Issued::facilitator(Command::AdvanceTo { at: end }))?;
            }
            return Ok(());
        }
        let mut next_step = 0;
        while !self.ex.is_over() && !self.ex.state().paused {
            self.crew.observe(&self.ex);
            if let Some(step) = steps.get(next_step).filter(|s| s.at() <= self.ex.now()) {
                self.observed(obs, step.issued())?;
                next_step += 1;
                continue;
            }
            if let Some(issued) = self.crew.poll(&self.ex) {
                self.observed(obs, &issued)?;
                continue;
            }
            let now = self.ex.now();
            let mut target = self.ex.next_due();
            if let Some(w) = self.crew.next_wake() {
                target = target.min(w);
            }
            if let Some(s) = steps.get(next_step) {
                target = target.min(s.at());
            }
            let advance = Issued::facilitator(Command::AdvanceTo {
                at: target.max(now.plus(1)),
            });
            self.observed(obs, &advance)?;
            if self.ex.now() == now && !self.ex.is_over() {
                break;
            }
        }
        Ok(())
    }

    /// One command of a headless run, around the observer. A headless run records through
    /// its observer, so a failure there stops the run before the command is applied.
    fn observed<O: Observer>(&mut self, obs: &mut O, issued: &Issued) -> Result<(), O::Error> {
        obs.before(&self.ex, issued)?;
        let first = self.ex.events().len();
        // Unrecorded here (the observer records), so this cannot fail.
        let _ = self.apply(issued);
        obs.after(&self.ex, &self.ex.events()[first..]);
        Ok(())
    }
}
