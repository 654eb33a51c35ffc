//! The host: one session, many terminals. A single thread owns the session and every
//! participant's console; the SSH server (and the host's own keyboard) only hand it
//! messages. Every command is applied through the session, journal first, before any
//! screen shows it, so a dropped connection never loses a decision. Before play starts the
//! seats gather in a lobby; when the facilitator starts, roles nobody joined go to the
//! bots or to nobody, as planned, and the journal is created with that seating.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::client::{Client, ConnId, Sink, Version};
use super::codes::{Access, Passes};
use crate::engine::exercise::Exercise;
use crate::engine::ids::Seat;
use crate::engine::model::Scenario;
use crate::journal::record::Pacing;
use crate::session::{Session, Sitter};
use crate::tui::app::{Console, Dialog, Entry, Outcome, Setup, new_journal};
use crate::tui::config::{Command, KeyMap, Theme};

mod lobby;
mod paint;

pub use lobby::join_command;

/// What the server and the host's keyboard tell the host.
#[derive(Debug)]
pub enum ToHost {
    /// A connection proved a code (pass `pass`) and opened its terminal.
    Joined {
        conn: ConnId,
        pass: usize,
        size: (u16, u16),
        colour: bool,
        sink: Sink,
    },
    /// Bytes typed at a connection's terminal.
    Typed {
        conn: ConnId,
        bytes: Vec<u8>,
    },
    /// A key at the host's own terminal (connection 0).
    Key {
        conn: ConnId,
        key: KeyEvent,
    },
    Resized {
        conn: ConnId,
        size: (u16, u16),
    },
    Left {
        conn: ConnId,
    },
    /// Stop hosting (a signal).
    Stop,
}

/// The connection number of the host's own terminal.
pub const LOCAL: ConnId = 0;

/// Who is to play a role when play starts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RolePlan {
    /// Open for people; played by this (a bot or nobody) if no one has joined by the start.
    Open(Sitter),
    /// Not for people: a bot or nobody.
    Closed(Sitter),
}

/// What the facilitator set up: the exercise, its seed and pacing, who may sit where.
#[derive(Clone, Debug)]
pub struct Plan {
    pub entry: Entry,
    pub seed: u64,
    pub pacing: Pacing,
    /// One per role, in the scenario's order.
    pub roles: Vec<RolePlan>,
    /// Where the journal goes (none: unrecorded, for tests).
    pub journal_dir: Option<PathBuf>,
    /// What the session is called, for the lobby and the roster.
    pub name: String,
    /// The command that joins, with `{code}` where the code goes
    /// (`ssh -p 2222 {code}@host`).
    pub join: Option<String>,
}

impl Plan {
    /// The seats with a code to play: the open roles and the facilitator.
    pub fn play_seats(&self) -> Vec<Seat> {
        let sc = &self.entry.scenario;
        let mut v: Vec<Seat> = sc
            .roles
            .iter()
            .zip(&self.roles)
            .filter(|(_, p)| matches!(p, RolePlan::Open(_)))
            .map(|(r, _)| Seat::Role(r.id.clone()))
            .collect();
        v.push(Seat::Facilitator);
        v.push(Seat::Evaluator);
        v
    }

    /// The seats with a code to watch: every role and the facilitator.
    pub fn watch_seats(&self) -> Vec<Seat> {
        let sc = &self.entry.scenario;
        let mut v: Vec<Seat> = sc.roles.iter().map(|r| Seat::Role(r.id.clone())).collect();
        v.push(Seat::Facilitator);
        v
    }
}

/// Where the host is: gathering seats, or playing.
#[derive(Debug)]
pub enum Phase {
    Lobby,
    Play(Box<Session>),
}

/// The host: the plan, the codes, the session once started, every terminal.
#[derive(Debug)]
pub struct Host {
    pub plan: Plan,
    pub phase: Phase,
    pub passes: Arc<Mutex<Passes>>,
    /// Where the codes are kept once the journal exists.
    pub codes_path: Option<PathBuf>,
    pub clients: BTreeMap<ConnId, Client>,
    /// The console that moves the clock (its status line is the host's).
    house: Console,
    keys: KeyMap,
    colour: Theme,
    mono: Theme,
    last_tick: Instant,
    /// Changes to who is here and to the codes (for the roster's frames).
    roster_changes: u64,
    /// Names given so far (a participant who gives none is "Guest N").
    guests: u32,
    /// Who has seen their seat's briefing (a reconnection is not shown it again).
    briefed: std::collections::BTreeSet<(Seat, String)>,
    /// The terminal that typed last: drawn first, so that a key's own screen answers at once.
    typed_by: Option<ConnId>,
    pub stopped: bool,
    /// Said once on the host's standard output when hosting ends.
    pub farewell: Option<String>,
}

/// The longest the loop sleeps when nothing is due.
const IDLE_WAIT: Duration = Duration::from_millis(250);

/// Messages handled before the screens are drawn again (a burst is drawn once).
const BATCH: usize = 256;

impl Host {
    pub fn new(plan: Plan, passes: Arc<Mutex<Passes>>, keys: KeyMap) -> Host {
        Host {
            plan,
            phase: Phase::Lobby,
            passes,
            codes_path: None,
            clients: BTreeMap::new(),
            house: {
                let mut c = Console::new(Seat::Facilitator);
                c.brief(false);
                c
            },
            keys,
            colour: Theme::builtin("default").unwrap_or_else(Theme::monochrome),
            mono: Theme::monochrome(),
            last_tick: Instant::now(),
            roster_changes: 0,
            guests: 0,
            briefed: std::collections::BTreeSet::new(),
            typed_by: None,
            stopped: false,
            farewell: None,
        }
    }

    /// A host whose session is already under way (a resumed journal).
    pub fn resumed(
        plan: Plan,
        passes: Arc<Mutex<Passes>>,
        keys: KeyMap,
        session: Session,
        codes_path: Option<PathBuf>,
    ) -> Host {
        let mut h = Host::new(plan, passes, keys);
        h.phase = Phase::Play(Box::new(session));
        h.codes_path = codes_path;
        h
    }

    /// The session, once play has started.
    pub fn session(&self) -> Option<&Session> {
        match &self.phase {
            Phase::Play(s) => Some(s),
            Phase::Lobby => None,
        }
    }

    /// Runs until stopped: takes messages, moves the clock, draws what changed.
    pub fn run(&mut self, rx: &Receiver<ToHost>) {
        paint::remember_layouts();
        self.draw();
        while !self.stopped {
            match rx.recv_timeout(self.wait()) {
                Ok(m) => {
                    self.handle(m);
                    for m in rx.try_iter().take(BATCH) {
                        self.handle(m);
                    }
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => self.stopped = true,
            }
            self.tick();
            self.draw();
        }
        for c in self.clients.values_mut() {
            c.pane.close();
        }
    }

    /// How long until the clock next needs moving.
    fn wait(&self) -> Duration {
        match &self.phase {
            Phase::Play(s) if s.clock_runs() => Duration::from_secs(1)
                .saturating_sub(self.last_tick.elapsed())
                .min(IDLE_WAIT),
            _ => IDLE_WAIT,
        }
    }

    /// One real second of real-time play moves the game clock by the pace.
    fn tick(&mut self) {
        let second = Duration::from_secs(1);
        let Phase::Play(s) = &mut self.phase else {
            self.last_tick = Instant::now();
            return;
        };
        if !s.clock_runs() {
            self.last_tick = Instant::now();
            return;
        }
        if self.last_tick.elapsed() >= second {
            self.last_tick += second;
            let target = s.ex.now().plus(s.pacing.pace);
            self.house.advance_to(s, target);
        }
    }

    /// Handles one message.
    pub fn handle(&mut self, m: ToHost) {
        match m {
            ToHost::Joined {
                conn,
                pass,
                size,
                colour,
                sink,
            } => self.join(conn, pass, size, colour, sink),
            ToHost::Typed { conn, bytes } => {
                for key in super::input::keys(&bytes) {
                    self.key(conn, key);
                }
            }
            ToHost::Key { conn, key } => self.key(conn, key),
            ToHost::Resized { conn, size } => {
                if let Some(c) = self.clients.get_mut(&conn) {
                    c.pane.resize(size);
                    c.dirty = true;
                }
            }
            ToHost::Left { conn } => {
                if self.clients.remove(&conn).is_some() {
                    self.roster_changes += 1;
                }
            }
            ToHost::Stop => self.stopped = true,
        }
        self.clients.retain(|_, c| !c.pane.gone);
    }

    fn join(&mut self, conn: ConnId, pass: usize, size: (u16, u16), colour: bool, sink: Sink) {
        let Some(p) = self.pass(pass) else {
            return;
        };
        let mut c = Client::new(pass, p.seat.clone(), p.access, size, colour, sink);
        c.console.keys_hint = self.keys.first(Command::NextEvent);
        if let Phase::Play(s) = &self.phase {
            if let Seat::Role(id) = &c.seat
                && let Some(i) = s.ex.scenario().role_index(id.as_str())
                && s.seating.roles[usize::from(i)] != Sitter::Person
            {
                c.console.observer = true;
                c.console.status = Some(
                    "Nobody took this role before play started, so it is not played from here: you are watching."
                        .into(),
                );
            }
            c.console.sync(s);
        }
        self.clients.insert(conn, c);
        self.roster_changes += 1;
    }

    /// The pass at `i`, if still in force.
    fn pass(&self, i: usize) -> Option<super::codes::Pass> {
        let passes = self.passes.lock().ok()?;
        passes.passes.get(i).filter(|p| !p.revoked).cloned()
    }

    fn key(&mut self, conn: ConnId, key: KeyEvent) {
        self.typed_by = Some(conn);
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        c.dirty = true;
        if key.code == KeyCode::Char('l') && key.modifiers.contains(KeyModifiers::CONTROL) {
            c.pane.whole = true;
            return;
        }
        if c.naming.is_some() {
            let guests = self.guests;
            if let Some(name) = naming_key(c, key, guests) {
                self.guests += 1;
                if !self.briefed.insert((c.seat.clone(), name.clone()))
                    && c.console.reading_first_briefing()
                {
                    c.console.dialog = None;
                }
                c.console.person = Some(name);
                self.roster_changes += 1;
            }
            return;
        }
        if c.roster.is_some() {
            self.roster_key(conn, key);
            return;
        }
        let cmd = self.keys.command(key);
        let typing = c.console.dialog.as_ref().is_some_and(Dialog::typing);
        if !typing && c.console.dialog.is_none() && cmd.is_none() {
            match key.code {
                KeyCode::Char('c') => {
                    c.colour = !c.colour;
                    c.pane.whole = true;
                    return;
                }
                KeyCode::Char('w') if c.seat == Seat::Facilitator && c.access == Access::Play => {
                    c.roster = Some(0);
                    return;
                }
                _ => {}
            }
        }
        if !typing && cmd == Some(Command::Help) {
            c.help = !c.help;
            return;
        }
        if c.help {
            if matches!(cmd, Some(Command::Back | Command::Quit | Command::Select)) {
                c.help = false;
            }
            return;
        }
        match &mut self.phase {
            Phase::Lobby => self.lobby_key(conn, cmd),
            Phase::Play(s) => {
                let mut handover = false;
                match c.console.screen_key(s, &mut handover, key, cmd) {
                    Outcome::Stay => {}
                    Outcome::Quit if conn == LOCAL => {
                        self.farewell = s.recording.handle().map(|h| {
                            format!("The session is in its journal: continue it with `ttx host --resume {h}`.")
                        });
                        self.stopped = true;
                    }
                    Outcome::Quit => c.pane.close(),
                    Outcome::SwitchSeat => {
                        c.console.status =
                            Some("Each seat has its own screen here: this one is yours.".into());
                    }
                }
            }
        }
    }

    /// The lobby's keys: the facilitator starts; anyone may leave.
    fn lobby_key(&mut self, conn: ConnId, cmd: Option<Command>) {
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        let fac = c.seat == Seat::Facilitator && c.access == Access::Play;
        match cmd {
            Some(Command::Select) if fac => self.start(),
            Some(Command::Quit) if conn == LOCAL => self.stopped = true,
            Some(Command::Quit) => c.pane.close(),
            _ => {}
        }
    }

    /// Starts play: each open role goes to the people who joined it, or to its fallback;
    /// the journal is created with that seating and the codes are kept beside it.
    pub fn start(&mut self) {
        if !matches!(self.phase, Phase::Lobby) {
            return;
        }
        let sc: Arc<Scenario> = Arc::clone(&self.plan.entry.scenario);
        let joined = |id: &str| {
            self.clients.values().any(|c| {
                c.access == Access::Play && matches!(&c.seat, Seat::Role(r) if r.as_str() == id)
            })
        };
        let seats: Vec<Sitter> = sc
            .roles
            .iter()
            .zip(&self.plan.roles)
            .map(|(r, p)| match p {
                RolePlan::Open(_) if joined(r.id.as_str()) => Sitter::Person,
                RolePlan::Open(fallback) | RolePlan::Closed(fallback) => *fallback,
            })
            .collect();
        let setup = Setup {
            entry: 0,
            seed: self.plan.seed,
            editing_seed: None,
            turn_mode: self.plan.pacing.turn_mode,
            pace: self.plan.pacing.pace,
            facilitator: true,
            name: Some(self.plan.name.clone()),
            evaluator: self
                .clients
                .values()
                .any(|c| c.access == Access::Play && c.seat == Seat::Evaluator),
            seats: seats.clone(),
            row: 0,
        };
        let (journal, header) =
            new_journal(self.plan.journal_dir.as_deref(), &self.plan.entry, &setup);
        if let crate::session::Recording::On(w) = &journal {
            let path = Passes::path_for(w.path());
            if let Ok(p) = self.passes.lock()
                && let Err(e) = p.save(&path)
            {
                self.house.status = Some(format!(
                    "The join codes could not be kept beside the journal: {e}"
                ));
            }
            self.codes_path = Some(path);
        }
        let seating = setup.seating();
        let mut s = Session::new(
            Exercise::start(sc, self.plan.seed),
            seating,
            self.plan.pacing,
            journal,
        );
        s.header = header;
        self.house.bots_now(&mut s);
        for c in self.clients.values_mut() {
            if let Seat::Role(id) = &c.seat
                && let Some(i) = s.ex.scenario().role_index(id.as_str())
                && s.seating.roles[usize::from(i)] != Sitter::Person
            {
                c.console.observer = true;
            }
            c.console.status = Some(if c.seat == Seat::Facilitator && c.access == Access::Play {
                "The exercise has started. w: the seats, their codes and who is here.".into()
            } else {
                "The exercise has started.".into()
            });
            c.console.sync(&s);
            c.pane.whole = true;
        }
        self.last_tick = Instant::now();
        self.phase = Phase::Play(Box::new(s));
    }

    /// What every screen depends on now.
    fn version(&self) -> Option<Version> {
        let Phase::Play(s) = &self.phase else {
            return None;
        };
        Some(Version {
            events: s.ex.events().len(),
            now: s.ex.now(),
            paused: s.ex.state().paused,
            status: s.status(),
            roster: self.roster_changes,
        })
    }

    /// Draws every terminal whose screen may have changed. With many to draw, the work is
    /// shared among threads (each terminal is drawn from the session, which they only read).
    pub fn draw(&mut self) {
        let version = self.version();
        // The seats and codes are drawn in the lobby and in a roster open over the game;
        // they are gathered only then (each seat's row asks its screen what it waits on).
        let shown =
            matches!(self.phase, Phase::Lobby) || self.clients.values().any(|c| c.roster.is_some());
        let roster = if shown {
            lobby::Roster::of(self)
        } else {
            lobby::Roster::default()
        };
        let typed_by = self.typed_by.take();
        let mut first = None;
        let mut todo: Vec<&mut Client> = Vec::with_capacity(self.clients.len());
        for (conn, c) in &mut self.clients {
            if c.pane.gone
                || !(c.dirty || c.pane.whole || version.is_none() || c.drawn_at != version)
            {
                continue;
            }
            if Some(*conn) == typed_by {
                first = Some(c);
            } else {
                todo.push(c);
            }
        }
        let paint = paint::Paint {
            keys: &self.keys,
            colour: &self.colour,
            mono: &self.mono,
            phase: &self.phase,
            plan: &self.plan,
            roster: &roster,
            version: &version,
        };
        paint.all(first, todo);
    }

    /// The facilitator's roster: move, re-issue a code, revoke one, close.
    fn roster_key(&mut self, conn: ConnId, key: KeyEvent) {
        let cmd = self.keys.command(key);
        let rows = lobby::Roster::of(self).rows.len();
        let Some(c) = self.clients.get_mut(&conn) else {
            return;
        };
        let Some(row) = c.roster else {
            return;
        };
        match (cmd, key.code) {
            (Some(Command::Up), _) => c.roster = Some(row.saturating_sub(1)),
            (Some(Command::Down), _) => c.roster = Some((row + 1).min(rows.saturating_sub(1))),
            (Some(Command::Back | Command::Quit), _) | (_, KeyCode::Char('w')) => c.roster = None,
            (_, KeyCode::Char('g')) => self.reissue(row),
            (_, KeyCode::Char('x')) => self.revoke(row),
            _ => {}
        }
    }

    /// Gives the seat at roster row `row` a new code; whoever holds the old one is let go.
    fn reissue(&mut self, row: usize) {
        let Some(i) = lobby::Roster::of(self).rows.get(row).map(|r| r.pass) else {
            return;
        };
        if let Ok(mut p) = self.passes.lock() {
            p.reissue(i, &mut super::codes::os_fill);
        }
        self.after_code_change(i);
    }

    /// Revokes the code at roster row `row` (the facilitator's own cannot be).
    fn revoke(&mut self, row: usize) {
        let Some(r) = lobby::Roster::of(self).rows.get(row).cloned() else {
            return;
        };
        if r.seat == Seat::Facilitator && r.access == Access::Play {
            return;
        }
        if let Ok(mut p) = self.passes.lock()
            && let Some(x) = p.passes.get_mut(r.pass)
        {
            x.revoked = true;
        }
        self.after_code_change(r.pass);
    }

    fn after_code_change(&mut self, old: usize) {
        for (id, c) in &mut self.clients {
            if c.pass == old && *id != LOCAL {
                c.pane.close();
            }
        }
        if let (Some(path), Ok(p)) = (&self.codes_path, self.passes.lock())
            && let Err(e) = p.save(path)
        {
            self.house.status = Some(format!("The join codes could not be saved: {e}"));
        }
        self.roster_changes += 1;
    }
}

/// The longest name a participant may give.
pub const MAX_NAME: usize = 40;

/// A key while the participant types their name. Returns the name once given (Enter).
fn naming_key(c: &mut Client, key: KeyEvent, guests: u32) -> Option<String> {
    let text = c.naming.as_mut()?;
    match key.code {
        KeyCode::Char(ch)
            if !key.modifiers.contains(KeyModifiers::CONTROL)
                && (ch.is_alphanumeric() || " .-'_".contains(ch))
                && text.chars().count() < MAX_NAME =>
        {
            text.push(ch);
            None
        }
        KeyCode::Backspace => {
            text.pop();
            None
        }
        KeyCode::Enter => {
            let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
            c.naming = None;
            c.pane.whole = true;
            Some(if name.is_empty() {
                format!("Guest {}", guests + 1)
            } else {
                name
            })
        }
        KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            c.pane.close();
            None
        }
        _ => None,
    }
}
