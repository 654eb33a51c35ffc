//! The notes a console writes: the facilitator's discussion break, an observation (the
//! facilitator's or the evaluator's), a seat's hot wash after the ending. Each becomes the
//! engine's `Note` command, journaled like any other.

use super::{Command, Console, Dialog, EngineCommand, KeyCode, KeyEvent, Seat, Session};
use crate::engine::model::{NoteKind, Rating};

/// The ratings an observation may give, after "none".
const RATINGS: [Rating; 4] = [Rating::P, Rating::S, Rating::M, Rating::U];

impl Console {
    /// Opens a discussion break: the clock waits until it ends.
    pub(super) fn discussion_break(&mut self, session: &mut Session) {
        if session.ex.is_over() {
            self.status =
                Some("The exercise is over: the hot wash is for what comes after.".into());
            return;
        }
        let resume = !session.ex.state().paused;
        if resume {
            self.issue(session, Seat::Facilitator, EngineCommand::Pause);
        }
        self.dialog = Some(Dialog::Discussion {
            text: String::new(),
            resume,
        });
    }

    pub(super) fn hot_wash(&mut self) {
        self.dialog = Some(Dialog::HotWash {
            text: String::new(),
            improvement: false,
        });
    }

    /// A key in the discussion break or the hot wash: text typed, a note given on Enter,
    /// Tab switching a hot-wash note between a strength and an area to improve, Esc closing
    /// (a break lets the clock run again).
    pub(super) fn note_key(
        &mut self,
        session: &mut Session,
        key: KeyEvent,
        mut text: String,
        resume: bool,
        hot_wash: Option<bool>,
    ) {
        let reopen = |text: String, improvement: Option<bool>| match improvement {
            Some(improvement) => Dialog::HotWash { text, improvement },
            None => Dialog::Discussion { text, resume },
        };
        let mut improvement = hot_wash;
        match key.code {
            KeyCode::Esc => {
                self.dialog = None;
                if resume && !session.ex.is_over() {
                    self.issue(session, Seat::Facilitator, EngineCommand::Resume);
                }
                return;
            }
            KeyCode::Tab => improvement = improvement.map(|i| !i),
            KeyCode::Enter if !text.trim().is_empty() => {
                let kind = match improvement {
                    None => NoteKind::Discussion,
                    Some(false) => NoteKind::Strength,
                    Some(true) => NoteKind::Improvement,
                };
                let at = self.at.clone();
                self.status = None;
                self.issue(
                    session,
                    at,
                    EngineCommand::Note {
                        kind,
                        text: std::mem::take(&mut text),
                        objective: None,
                        rating: None,
                    },
                );
                if self.status.is_none() {
                    self.status = Some(format!("Noted ({}).", kind.label()));
                }
            }
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c) if text.chars().count() < 500 => text.push(c),
            _ => {}
        }
        self.dialog = Some(reopen(text, improvement));
    }

    /// The hot wash, once the exercise has ended.
    pub(super) fn hot_wash_if_over(&mut self, session: &Session) {
        if session.ex.is_over() {
            self.hot_wash();
        } else {
            self.status = Some("The hot wash comes after the ending.".into());
        }
    }

    /// The observation form, for the facilitator's and the evaluator's seats.
    pub(super) fn observe(&mut self) {
        if !matches!(self.at, Seat::Facilitator | Seat::Evaluator) {
            self.status = Some("That is for the facilitator's or the evaluator's seat.".into());
            return;
        }
        self.dialog = Some(Dialog::Observe {
            row: 2,
            objective: 0,
            rating: 0,
            text: String::new(),
        });
    }

    /// A key in the observation form: Up/Down between the objective, the rating and the
    /// text; Enter or Space on the first two cycles them (Left back); text typed on the
    /// third, Enter notes it.
    pub(super) fn observe_key(
        &mut self,
        session: &mut Session,
        key: KeyEvent,
        cmd: Option<Command>,
        form: (usize, usize, usize, String),
    ) {
        let (mut row, mut objective, mut rating, mut text) = form;
        let objectives = self
            .screen(session)
            .board
            .as_ref()
            .map(|b| b.objectives.clone())
            .unwrap_or_default();
        let cycle = |v: usize, n: usize, back: bool| {
            if back { (v + n - 1) % n } else { (v + 1) % n }
        };
        match (key.code, cmd) {
            (KeyCode::Esc, _) => {
                self.dialog = None;
                return;
            }
            (KeyCode::Up, _) => row = row.saturating_sub(1),
            (KeyCode::Down, _) => row = (row + 1).min(2),
            (KeyCode::Char(c), _) if row == 2 && text.chars().count() < 500 => text.push(c),
            (KeyCode::Backspace, _) if row == 2 => {
                text.pop();
            }
            (KeyCode::Enter, _) if row == 2 => {
                if text.trim().is_empty() {
                    self.status = Some("Type what you observed first.".into());
                } else {
                    let objective = objective
                        .checked_sub(1)
                        .and_then(|i| objectives.get(i))
                        .map(|(id, _)| id.clone());
                    let rating = rating.checked_sub(1).and_then(|i| RATINGS.get(i)).copied();
                    let at = self.at.clone();
                    self.status = None;
                    self.issue(
                        session,
                        at,
                        EngineCommand::Note {
                            kind: NoteKind::Observation,
                            text: std::mem::take(&mut text),
                            objective,
                            rating,
                        },
                    );
                    if self.status.is_none() {
                        self.status = Some("Observation noted.".into());
                    }
                }
            }
            (KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Right | KeyCode::Left, _) => {
                let back = key.code == KeyCode::Left;
                if row == 0 {
                    objective = cycle(objective, objectives.len() + 1, back);
                } else {
                    rating = cycle(rating, RATINGS.len() + 1, back);
                }
                // A rating is given about an objective.
                if objective == 0 {
                    rating = 0;
                }
            }
            _ => {}
        }
        self.dialog = Some(Dialog::Observe {
            row,
            objective,
            rating,
            text,
        });
    }
}
