//! The terminal game's model and its update function: every key press becomes a
//! [`Command`] (or raw text in a text field), and only `update` changes the model. Drawing
//! reads the model (see `draw`); the engine is reached only through commands and
//! `view_for`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent};

use crate::engine::GameTime;
use crate::engine::command::{Command as EngineCommand, Issued};
use crate::engine::event::{Event, EventKind};
use crate::engine::exercise::Exercise;
use crate::engine::ids::{InjectId, RoleId, Seat};
use crate::engine::model::{BotSpec, Channel, Policy, RoleIx, Scenario};
use crate::engine::view::Availability;

use super::config::{Command, KeyMap, Theme};
use crate::journal::record::{Header, Pacing};
pub use crate::session::Recording;
use crate::session::screen::SeatScreen;
use crate::session::{NotRecorded, Seating, Session};
pub use journaled::new_journal;

/// A scenario the launcher offers, and where it came from.
#[derive(Clone, Debug)]
pub struct Entry {
    pub source: String,
    pub scenario: Arc<Scenario>,
}

pub use crate::session::Sitter;

mod console;
mod journaled;
mod keys;
mod notes;
mod screen;

pub use screen::Seen;

pub use crate::session::PACES;

mod setup;
mod watch;
pub use setup::{Setup, next_sitter};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    Feed,
    Actions,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dialog {
    /// Facilitator: pick an inject to fire now.
    Fire {
        sel: usize,
    },
    /// Facilitator: write a free-text inject, then pick who receives it.
    FreeText {
        text: String,
    },
    /// Who gets it, from whom, by which channel, with which answers.
    FreeTo(FreeForm),
    ConfirmEnd,
    ConfirmQuit,
    /// Facilitator: a discussion break; the clock waits (and runs again afterwards when
    /// `resume`); Enter notes what the room said.
    Discussion {
        text: String,
        resume: bool,
    },
    /// After the ending: a hot-wash note, a strength or (`improvement`) an area to improve.
    HotWash {
        text: String,
        improvement: bool,
    },
    /// An observation: the objective it is about (0: none, else its number), a rating (0:
    /// none, then P, S, M, U), its text; `row` picks which (0, 1, 2).
    Observe {
        row: usize,
        objective: usize,
        rating: usize,
        text: String,
    },
    /// The seat's briefing card, scrolled by `scroll` lines. `first`: shown by itself the
    /// first time the seat is on screen (the clock of local play waits until it is closed).
    Briefing {
        scroll: u16,
        first: bool,
        /// The name and organisation being typed by the person who takes the seat (its
        /// first briefing at a shared keyboard), for the journal and the report.
        name: Option<String>,
    },
}

/// The free-text inject's form: rows From, Channel, Answers, Everyone, each role, Send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreeForm {
    pub text: String,
    /// The row picked.
    pub sel: usize,
    /// Per role: ticked.
    pub to: Vec<bool>,
    pub from: String,
    /// Its index in [`FREE_CHANNELS`].
    pub channel: usize,
    /// Answers the recipients may give, separated by `/` (none: a message to read).
    pub answers: String,
}

/// The channels a free-text inject can come by, in the order the form offers them.
pub const FREE_CHANNELS: [Channel; 8] = [
    Channel::InPerson,
    Channel::Phone,
    Channel::Email,
    Channel::Chat,
    Channel::Sms,
    Channel::Ticket,
    Channel::News,
    Channel::Alert,
];

impl Dialog {
    /// Keys go into a text field: the free-text inject's text, or its sender.
    pub fn typing(&self) -> bool {
        matches!(
            self,
            Dialog::FreeText { .. }
                | Dialog::FreeTo(FreeForm { sel: 0 | 2, .. })
                | Dialog::Discussion { .. }
                | Dialog::HotWash { .. }
                | Dialog::Observe { row: 2, .. }
                | Dialog::Briefing { name: Some(_), .. }
        )
    }
}

/// An exercise under way in the terminal: the session, the console of the seat at the
/// keyboard, and the hand-over between the people who share it.
#[derive(Debug)]
pub struct Game {
    /// The exercise, who sits where, its bots, its journal, its pacing and hold.
    pub session: Session,
    /// What the seat at the keyboard has on its screen.
    pub console: Console,
    /// The hand-over screen is up: nothing of the seat's is visible until they confirm.
    pub handover: bool,
}

/// One seat's terminal: whose screen it is, focus, selection, dialogs, read marks, the
/// status line, the report when open. It holds no exercise: it draws from the seat's
/// screen and its keys act on a session it is handed, so a seat at another terminal needs
/// nothing but its own console.
#[derive(Debug)]
pub struct Console {
    /// Whose screen is shown.
    pub at: Seat,
    pub read: BTreeMap<Seat, BTreeSet<u32>>,
    pub focus: Focus,
    /// The feed row picked, as an index from the newest (0 follows the newest event).
    pub feed_sel: usize,
    /// The event picked, so that new events do not move the selection.
    pub feed_pick: Option<u32>,
    /// Turn mode: `n` was pressed once with the player's own decision still open.
    pub skip_armed: bool,
    /// The key for "next event", for messages.
    pub keys_hint: String,
    /// Lines scrolled in the detail pane (reset when the selection changes).
    pub detail_scroll: u16,
    pub action_sel: usize,
    pub status: Option<String>,
    pub dialog: Option<Dialog>,
    /// The exercise ended and its ending screen is up.
    pub ending_seen: bool,
    /// The after-action report, open over the game once the exercise has ended.
    pub report: Option<ReportView>,
    /// The seats whose briefing this console has shown by itself (once each).
    pub briefed: BTreeSet<Seat>,
    /// The names the people at this keyboard gave, seat by seat (hot seat): their commands
    /// are recorded with them.
    pub names: BTreeMap<Seat, String>,
    /// The person at this console, by the name they gave (networked seats): every command
    /// they give is recorded with it.
    pub person: Option<String>,
    /// This console only watches: it reads everything its seat sees and gives no command
    /// (an observer joined with an observer's code).
    pub observer: bool,
    /// What leaving this console does (asked before it does it).
    pub leaving: Leaving,
    /// The last seat screen built, with what it was built from: a frame redrawn with
    /// nothing changed (a key that only moves the selection) reuses it.
    pub(super) screen_cache: std::cell::RefCell<Option<(ScreenKey, std::sync::Arc<SeatScreen>)>>,
}

pub use super::text::Leaving;

/// What a key did beyond the console.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    /// The player asked to quit and confirmed.
    Quit,
    /// The next seat played at this keyboard, after a hand-over.
    SwitchSeat,
}

impl Console {
    /// A console for `at`, nothing picked, nothing read.
    pub fn new(at: Seat) -> Console {
        Console {
            at,
            read: BTreeMap::new(),
            focus: Focus::Feed,
            feed_sel: 0,
            feed_pick: None,
            skip_armed: false,
            keys_hint: "n".into(),
            detail_scroll: 0,
            action_sel: 0,
            status: None,
            dialog: None,
            ending_seen: false,
            report: None,
            observer: false,
            leaving: Leaving::Game,
            person: None,
            names: BTreeMap::new(),
            briefed: BTreeSet::new(),
            screen_cache: std::cell::RefCell::new(None),
        }
    }

    /// Opens the seat's briefing card if this console has not shown it yet; at a keyboard
    /// where nobody gave a name yet (`ask_name`), it asks for the person's name too.
    pub fn brief(&mut self, ask_name: bool) {
        if self.briefed.insert(self.at.clone()) {
            self.dialog = Some(Dialog::Briefing {
                scroll: 0,
                first: true,
                name: (ask_name && self.person.is_none()).then(String::new),
            });
        }
    }

    /// The seat's first briefing is open: local play's clock waits for it.
    pub fn reading_first_briefing(&self) -> bool {
        matches!(self.dialog, Some(Dialog::Briefing { first: true, .. }))
    }
}

/// What a seat's screen depends on besides the seat: every change to the exercise is an
/// event or a moment passing, so the log's length, the time and the pause say whether the
/// screen is still true; and how the session moves (pacing, hold, recording).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ScreenKey {
    pub seat: Seat,
    pub events: usize,
    pub now: GameTime,
    pub paused: bool,
    pub status: crate::session::screen::Status,
}

/// The after-action report as the terminal shows it: built once when opened.
#[derive(Clone, Debug)]
pub struct ReportView {
    pub report: Box<crate::report::Report>,
    /// Lines scrolled.
    pub scroll: u16,
    /// The recorded session's id or path, for `ttx report` (none when unrecorded).
    pub session: Option<String>,
}

/// One selectable line of the actions panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionItem {
    Act {
        action: String,
        ready: bool,
    },
    Approve(u32),
    Deny(u32),
    /// A request this seat would decide but cannot now (it cannot be reached): its approve
    /// (true) and deny rows, greyed with the reason and never offered, so that the rows keep
    /// their places when it can be reached again.
    CannotDecide(u32, bool),
}

impl Game {
    /// A new exercise without a journal.
    pub fn new(scenario: Arc<Scenario>, seed: u64, setup: &Setup) -> Game {
        Game::recorded(scenario, seed, setup, Recording::Off, None)
    }

    /// A new exercise, recorded in `journal` (whose header is `header`) from its first
    /// command on.
    pub fn recorded(
        scenario: Arc<Scenario>,
        seed: u64,
        setup: &Setup,
        journal: Recording,
        header: Option<Header>,
    ) -> Game {
        let ex = Exercise::start(scenario, seed);
        let mut g = Game::with(
            ex,
            setup.seating(),
            Pacing {
                turn_mode: setup.turn_mode,
                pace: setup.pace,
            },
            journal,
        );
        g.session.header = header;
        g.bots_now();
        g
    }

    pub(super) fn with(ex: Exercise, seating: Seating, pacing: Pacing, journal: Recording) -> Game {
        let mut session = Session::new(ex, seating, pacing, journal);
        // What a saved edit of the file replays (`ttx play --watch`).
        session.keep_given = true;
        let status = session.not_recorded.as_ref().map(not_recorded_words);
        let seats = crate::session::screen::people(session.ex.scenario(), &session.seating);
        let mut console = Console::new(seats.first().cloned().unwrap_or(Seat::Facilitator));
        console.status = status;
        let handover = seats.len() > 1;
        // Behind a hand-over the briefing waits until the seat is confirmed (it may change).
        if !handover {
            console.brief(true);
        }
        Game {
            session,
            console,
            handover,
        }
    }

    /// Why the last command could not be recorded, in words; the clock stands still until
    /// one is.
    pub fn journal_error(&self) -> Option<String> {
        self.session.not_recorded.as_ref().map(not_recorded_words)
    }

    /// Lets the bots give the commands that are due now.
    pub fn bots_now(&mut self) {
        self.console.bots_now(&mut self.session);
    }

    /// Applies one engine command as the console at the keyboard would.
    pub fn apply(&mut self, issued: &Issued) -> Option<&[Event]> {
        self.console.apply(&mut self.session, issued)
    }

    /// Applies one key on the game screen (the report, the ending, the game and its
    /// dialogs). Returns true when the player asked to quit and confirmed.
    pub fn key(&mut self, key: KeyEvent, cmd: Option<Command>) -> bool {
        let out = self
            .console
            .screen_key(&mut self.session, &mut self.handover, key, cmd);
        self.save_reads();
        match out {
            Outcome::Stay => false,
            Outcome::Quit => true,
            Outcome::SwitchSeat => {
                self.switch_seat();
                false
            }
        }
    }

    /// Keeps the picked event picked and marks what is shown as read (not behind the
    /// hand-over screen).
    pub fn sync(&mut self) {
        if !self.handover {
            self.console.sync(&self.session);
        }
        self.save_reads();
    }

    /// Hands what this keyboard's seats have read to the session, which journals it with
    /// the next record.
    fn save_reads(&mut self) {
        for (seat, seqs) in &self.console.read {
            for seq in seqs {
                self.session.mark_read(seat, *seq);
            }
        }
    }

    /// What the seat at the keyboard sees now.
    pub fn screen(&self) -> std::sync::Arc<SeatScreen> {
        self.console.screen(&self.session)
    }

    /// True when the shell itself may pause and pace.
    pub fn may_control(&self) -> bool {
        self.console.may_control(&self.session)
    }

    /// Opens the after-action report of the ended exercise.
    pub fn open_report(&mut self) {
        self.console.open_report(&self.session);
    }

    /// The seats people play here, in turn order: roles first, then the facilitator.
    pub fn human_seats(&self) -> Vec<Seat> {
        crate::session::screen::people(self.session.ex.scenario(), &self.session.seating)
    }

    /// The clock, as the shell drives it: one real second of real-time play.
    pub fn tick(&mut self) {
        // The clock waits while the keyboard changes hands, while a resumed session is held
        // and while the journal cannot record.
        if !self.clock_runs() {
            return;
        }
        let target = self.session.ex.now().plus(self.session.pacing.pace);
        self.console.advance_to(&mut self.session, target);
    }

    /// True when real time moves the game clock.
    pub fn clock_runs(&self) -> bool {
        !self.handover && !self.console.reading_first_briefing() && self.session.clock_runs()
    }
}

/// Why a command could not be recorded, as the status line says it.
fn not_recorded_words(e: &NotRecorded) -> String {
    match e {
        NotRecorded::Unavailable(why) => why.clone(),
        NotRecorded::Failed(why) => super::text::journal_failed(why),
    }
}

/// What the terminal shows.
#[derive(Debug)]
pub enum Screen {
    Launcher {
        sel: usize,
    },
    Setup(Setup),
    Game(Box<Game>),
    /// A recorded session, stepped through (`ttx replay`).
    Replay(Box<super::replay::ReplayView>),
}

/// The whole terminal application.
pub struct App {
    pub entries: Vec<Entry>,
    pub screen: Screen,
    pub help: bool,
    pub theme: Theme,
    pub keys: KeyMap,
    pub quit: bool,
    /// Messages about files that did not load (shown on the launcher).
    pub problems: Vec<String>,
    /// Where new session journals go; `None` plays unrecorded (tests, `--no-journal`).
    pub journal_dir: Option<std::path::PathBuf>,
    /// The name the sessions started here get (`ttx play --session-name`).
    pub session_name: Option<String>,
    /// The scenario file `ttx play --watch` follows, and its entry: a saved edit is played
    /// at once ([`App::reload`]).
    pub watch: Option<(usize, std::path::PathBuf)>,
}

impl crate::tui::widgets::Looks for App {
    fn look(&self) -> crate::tui::widgets::Look<'_> {
        crate::tui::widgets::Look {
            theme: &self.theme,
            keys: &self.keys,
        }
    }
}

impl App {
    pub fn new(entries: Vec<Entry>, theme: Theme, keys: KeyMap) -> App {
        App {
            entries,
            screen: Screen::Launcher { sel: 0 },
            help: false,
            theme,
            keys,
            quit: false,
            watch: None,
            problems: Vec::new(),
            journal_dir: None,
            session_name: None,
        }
    }

    /// Opens the set-up screen for entry `entry` with a seed.
    pub fn setup(&mut self, entry: usize, seed: u64) {
        let roles = self
            .entries
            .get(entry)
            .map_or(0, |e| e.scenario.roles.len());
        self.screen = Screen::Setup(Setup {
            entry,
            seed,
            editing_seed: None,
            turn_mode: false,
            pace: 1,
            facilitator: false,
            name: self.session_name.clone(),
            evaluator: false,
            // Solo training by default: the first role is yours, bots play the others.
            seats: (0..roles)
                .map(|r| match (r, self.entries.get(entry)) {
                    (0, _) | (_, None) => Sitter::Person,
                    (r, Some(e)) => Sitter::Bot(
                        e.scenario
                            .default_bot(RoleIx::try_from(r).unwrap_or_default()),
                    ),
                })
                .collect(),
            row: 3 + roles,
        });
    }

    /// One real second passed.
    pub fn tick(&mut self) {
        if let Screen::Game(g) = &mut self.screen {
            g.tick();
            g.sync();
        }
    }

    /// True when the clock should be driven in real time (the run loop then wakes every second).
    pub fn clock_running(&self) -> bool {
        match &self.screen {
            Screen::Game(g) => g.clock_runs(),
            _ => false,
        }
    }

    /// Handles a key press. `fresh_seed` supplies a random seed when the player asks for one.
    pub fn key(&mut self, key: KeyEvent, fresh_seed: &mut dyn FnMut() -> u64) {
        let cmd = self.keys.command(key);
        let typing = match &self.screen {
            Screen::Game(g) => g.console.dialog.as_ref().is_some_and(Dialog::typing),
            Screen::Setup(s) => s.editing_seed.is_some(),
            Screen::Launcher { .. } | Screen::Replay(_) => false,
        };
        if !typing && cmd == Some(Command::Help) {
            self.help = !self.help;
            return;
        }
        if self.help {
            if matches!(cmd, Some(Command::Back | Command::Quit | Command::Select)) {
                self.help = false;
            }
            return;
        }
        let n = self.entries.len();
        let mut next: Option<Screen> = None;
        match &mut self.screen {
            Screen::Launcher { sel } => match cmd {
                Some(Command::Quit | Command::Back) => self.quit = true,
                Some(Command::Up) => *sel = sel.saturating_sub(1),
                Some(Command::Down) => *sel = (*sel + 1).min(n.saturating_sub(1)),
                Some(Command::Select) if n > 0 => {
                    let entry = *sel;
                    let seed = fresh_seed();
                    self.setup(entry, seed);
                    return;
                }
                _ => {}
            },
            Screen::Setup(s) => {
                if let Some(text) = &mut s.editing_seed {
                    match key.code {
                        KeyCode::Char(c) if c.is_ascii_digit() && text.len() < 19 => text.push(c),
                        KeyCode::Backspace => {
                            text.pop();
                        }
                        KeyCode::Enter => {
                            if let Ok(v) = text.parse() {
                                s.seed = v;
                            }
                            s.editing_seed = None;
                        }
                        KeyCode::Esc => s.editing_seed = None,
                        _ => {}
                    }
                    return;
                }
                let rows = s.rows();
                match cmd {
                    Some(Command::Quit) => self.quit = true,
                    Some(Command::Back) => next = Some(Screen::Launcher { sel: s.entry }),
                    Some(Command::Up) => s.row = s.row.saturating_sub(1),
                    Some(Command::Down) => s.row = (s.row + 1).min(rows - 1),
                    Some(Command::Select) => match s.row {
                        0 => s.editing_seed = Some(String::new()),
                        1 => {
                            // real time at 1, 2, 5 … min/s, then turn mode, then around again.
                            if s.turn_mode {
                                s.turn_mode = false;
                                s.pace = PACES[0];
                            } else if let Some(i) = PACES
                                .iter()
                                .position(|p| *p == s.pace)
                                .filter(|i| *i + 1 < 4)
                            {
                                s.pace = PACES[i + 1];
                            } else {
                                s.turn_mode = true;
                            }
                        }
                        // No one, a facilitator, a facilitator and an evaluator, an
                        // evaluator alone, and round again.
                        2 => {
                            (s.facilitator, s.evaluator) = match (s.facilitator, s.evaluator) {
                                (false, false) => (true, false),
                                (true, false) => (true, true),
                                (true, true) => (false, true),
                                (false, true) => (false, false),
                            };
                        }
                        r if r < 3 + s.seats.len() => {
                            let default = self.entries.get(s.entry).map_or(
                                BotSpec::new(Policy::ByTheBook),
                                |e| {
                                    e.scenario
                                        .default_bot(RoleIx::try_from(r - 3).unwrap_or_default())
                                },
                            );
                            let k = &mut s.seats[r - 3];
                            *k = next_sitter(*k, default);
                        }
                        _ => {
                            if let Some(e) = self.entries.get(s.entry) {
                                let (journal, header) =
                                    new_journal(self.journal_dir.as_deref(), e, s);
                                let mut g = Game::recorded(
                                    Arc::clone(&e.scenario),
                                    s.seed,
                                    s,
                                    journal,
                                    header,
                                );
                                g.console.keys_hint = self.keys.first(Command::NextEvent);
                                g.sync();
                                next = Some(Screen::Game(Box::new(g)));
                            }
                        }
                    },
                    _ => {
                        if key.code == KeyCode::Char('r') && s.row == 0 {
                            s.seed = fresh_seed();
                        }
                    }
                }
            }
            Screen::Replay(r) => match r.key(key, cmd) {
                super::replay::Outcome::Stay => {}
                super::replay::Outcome::Quit => self.quit = true,
                super::replay::Outcome::Fork => match r.fork(self.journal_dir.as_deref()) {
                    Ok(f) => {
                        let mut g = Game::resumed(f.ex, f.header, f.journal, f.note, f.reads);
                        g.console.keys_hint = self.keys.first(Command::NextEvent);
                        g.sync();
                        next = Some(Screen::Game(Box::new(g)));
                    }
                    Err(e) => r.status = Some(e),
                },
            },
            Screen::Game(g) => {
                if g.key(key, cmd) {
                    self.quit = true;
                }
            }
        }
        if let Some(s) = next {
            self.screen = s;
        }
    }
}
