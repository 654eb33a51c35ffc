//! The replay screen's model: a recorded session as a timeline of every event (for every
//! role, as the facilitator saw it), a selection that can be stepped and scrubbed, the
//! exercise rebuilt at the selected point, and the fork that turns that point into a new
//! live session with its own journal naming its parent. Drawing is in `replay/draw.rs`.

mod draw;

use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent};

use crate::engine::command::Command as EngineCommand;
use crate::engine::exercise::Exercise;
use crate::engine::ids::Seat;
use crate::journal::Replay;
use crate::journal::record::{FORMAT_VERSION, Parent};
use crate::journal::store::{self, Writer};

use super::config::Command;
use super::text;
use crate::session::Recording;

pub use draw::draw;

/// How many events a page key moves.
pub const SCRUB: usize = 20;

/// A session being replayed.
#[derive(Debug)]
pub struct ReplayView {
    pub replay: Replay,
    /// The selected event (its position in the log).
    pub sel: usize,
    /// How many records were applied when the selected event happened.
    pub records: usize,
    /// The exercise after those records.
    pub at: Exercise,
    /// The fork dialog is up.
    pub confirm: bool,
    pub status: Option<String>,
    /// Notices from reading the journal (a torn last record recovered, a forced fold).
    pub notices: Vec<String>,
    /// The pause key, for the note a forked session shows.
    pub pause_key: String,
}

/// What a key did on the replay screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Stay,
    Quit,
    /// The fork was confirmed.
    Fork,
}

impl ReplayView {
    pub fn new(replay: Replay, notices: Vec<String>) -> ReplayView {
        let at = replay.after(0);
        let mut v = ReplayView {
            replay,
            sel: 0,
            records: 0,
            at,
            confirm: false,
            status: None,
            notices,
            pause_key: "p".into(),
        };
        v.select(0);
        v
    }

    /// How many events the timeline holds.
    pub fn len(&self) -> usize {
        self.replay.full.events().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Selects an event and rebuilds the exercise at it.
    pub fn select(&mut self, sel: usize) {
        self.sel = sel.min(self.len().saturating_sub(1));
        let records = self.replay.record_of_event(self.sel);
        if records != self.records || self.at.events().len() <= self.sel {
            self.records = records;
            self.at = self.replay.after(records);
        }
    }

    /// The record whose command caused the selected event (`None`: the start).
    pub fn record(&self) -> Option<&crate::journal::Record> {
        self.records
            .checked_sub(1)
            .and_then(|i| self.replay.records.get(i))
    }

    pub fn key(&mut self, key: KeyEvent, cmd: Option<Command>) -> Outcome {
        if self.confirm {
            match key.code {
                KeyCode::Char('y' | 'Y') => {
                    self.confirm = false;
                    return Outcome::Fork;
                }
                KeyCode::Char('n' | 'N') | KeyCode::Esc => self.confirm = false,
                _ if cmd == Some(Command::Back) => self.confirm = false,
                _ => {}
            }
            return Outcome::Stay;
        }
        self.status = None;
        match key.code {
            KeyCode::Home => {
                self.select(0);
                return Outcome::Stay;
            }
            KeyCode::End => {
                self.select(self.len());
                return Outcome::Stay;
            }
            KeyCode::Char('f' | 'F') => {
                self.confirm = true;
                return Outcome::Stay;
            }
            _ => {}
        }
        match cmd {
            Some(Command::Quit | Command::Back) => return Outcome::Quit,
            Some(Command::Up) => self.select(self.sel.saturating_sub(1)),
            Some(Command::Down) => self.select(self.sel + 1),
            Some(Command::ScrollUp) => self.select(self.sel.saturating_sub(SCRUB)),
            Some(Command::ScrollDown) => self.select(self.sel + SCRUB),
            _ => {}
        }
        Outcome::Stay
    }

    /// A new live session from the selected point: the records up to it copied into a new
    /// journal in `dir` (unrecorded without one) whose header names this session as its
    /// parent; the game continues from there (`Game::resumed`), held until the clock is
    /// started.
    pub fn fork(&self, dir: Option<&Path>) -> Result<Forked, String> {
        let parent = self.replay.header.session.clone();
        let ex = self.at.clone();
        let sc = ex.scenario();
        let mut header = self.replay.header.clone();
        header.ttx_journal = FORMAT_VERSION;
        env!("CARGO_PKG_VERSION").clone_into(&mut header.engine);
        // The copied records fold into this state under the scenario as it is now.
        header.content_hash = sc.content_hash;
        header.parent = Some(Parent {
            session: parent.clone(),
            at_record: self.records as u64,
        });
        let journal = match dir {
            None => Recording::Off,
            Some(dir) => {
                header.session = store::new_session_id(sc.id.as_str());
                header.started = store::now_rfc3339();
                let mut w = Writer::create(dir, &header)
                    .map_err(|e| format!("Could not create the fork's journal: {e}"))?;
                w.append_all(&self.replay.records[..self.records])
                    .map_err(|e| format!("Could not write the fork's journal: {e}"))?;
                Recording::On(Box::new(w))
            }
        };
        let clock = sc.start.clock(ex.now()).to_string();
        let note = text::forked_note(&parent, &clock, self.records, &self.pause_key);
        Ok(Forked {
            ex,
            header,
            journal,
            note,
            reads: crate::journal::fold::reads(&self.replay.records[..self.records]),
        })
    }
}

/// A session forked from a replay, ready to be played on.
pub struct Forked {
    pub ex: Exercise,
    pub header: crate::journal::record::Header,
    pub journal: Recording,
    /// Where it left off, for the held game's status line.
    pub note: String,
    /// What each seat had read by then.
    pub reads: std::collections::BTreeMap<Seat, std::collections::BTreeSet<u32>>,
}

/// A command as the replay names it: who, and what, in the scenario's names.
pub fn describe(sc: &crate::engine::model::Scenario, by: &Seat, command: &EngineCommand) -> String {
    use crate::words::names::{action_name, inject_name, option_label_of, quoted, seat_name};
    let start = sc.start;
    let what = match command {
        EngineCommand::Tick { minutes } => return format!("the clock runs on {minutes} min"),
        EngineCommand::AdvanceTo { at } => {
            return format!("the clock runs to {}", start.clock(*at));
        }
        EngineCommand::AdvanceToNextEvent => return "the clock runs to the next event".into(),
        EngineCommand::Act { action } => quoted(&action_name(sc, action.as_str())),
        EngineCommand::Choose { inject, option } => format!(
            "answers {} with {}",
            quoted(&inject_name(sc, inject.as_str())),
            option_label_of(sc, inject.as_str(), option.as_str())
        ),
        EngineCommand::Approve { request } => format!("approve request {request}"),
        EngineCommand::Deny { request } => format!("deny request {request}"),
        EngineCommand::Pause => "pause".into(),
        EngineCommand::Resume => "resume".into(),
        EngineCommand::FireInject { inject } => {
            format!("fires {}", quoted(&inject_name(sc, inject.as_str())))
        }
        EngineCommand::AdHocInject { text, .. } => format!("free-text inject \"{text}\""),
        EngineCommand::AnswerAdHoc { option, .. } => {
            format!("answer {} to a free-text inject", option + 1)
        }
        EngineCommand::Note { kind, text, .. } => format!("{} note \"{text}\"", kind.label()),
        EngineCommand::EndExercise { ending } => {
            match ending.as_ref().and_then(|e| sc.ending_index(e.as_str())) {
                Some(e) => format!(
                    "ends the exercise ({})",
                    quoted(&sc.endings[usize::from(e)].title)
                ),
                None => "ends the exercise".into(),
            }
        }
    };
    format!("{}: {what}", seat_name(sc, by))
}
