//! A console's part in the session: applying its seat's commands through the session
//! (journal first), letting the bots and the clock move, and opening the report. The
//! session is handed in; the console holds none.

use super::{
    Console, EngineCommand, Event, EventKind, GameTime, Issued, NotRecorded, ReportView, Seat,
    Session, Sitter, not_recorded_words,
};

impl Console {
    /// Applies one engine command through the session (journal first). If it could not be
    /// recorded, nothing is applied, the clock stops and the status line says why. Returns
    /// the events caused.
    pub fn apply<'s>(&mut self, session: &'s mut Session, issued: &Issued) -> Option<&'s [Event]> {
        let first = session.ex.events().len();
        // A command is recorded with the name of who gave it: the person at this console
        // (networked), or the one who took this seat at a shared keyboard. Time is nobody's.
        let who = self.person.as_deref().or_else(|| {
            (!issued.command.is_time())
                .then(|| self.names.get(&issued.by).map(String::as_str))
                .flatten()
        });
        match session.apply_by(issued, who) {
            Ok(_) => Some(&session.ex.events()[first..]),
            Err(e) => {
                self.not_recorded(&e);
                None
            }
        }
    }

    /// Shows why a command could not be recorded (the session keeps the clock stopped).
    pub(super) fn not_recorded(&mut self, e: &NotRecorded) {
        self.status = Some(not_recorded_words(e));
    }

    /// Keeps the status line true to the session after a driver step.
    pub(super) fn driven(&mut self, r: Result<(), NotRecorded>) {
        if let Err(e) = r {
            self.not_recorded(&e);
        }
    }

    /// Lets the bots read what happened and give the commands that are due now (never while
    /// the clock is paused).
    pub fn bots_now(&mut self, session: &mut Session) {
        let r = session.bots_now();
        self.driven(r);
    }

    /// Lets game time pass up to `target`, stopping at each moment a bot wants to act.
    pub fn advance_to(&mut self, session: &mut Session, target: GameTime) {
        let r = session.advance_to(target);
        self.driven(r);
    }

    /// Turn mode's "next event": the next moment something happens, a bot's move included.
    pub(super) fn next_event(&mut self, session: &mut Session) {
        // Moving time on is carrying on: a resumed session's hold ends here too.
        session.held = None;
        match session.bots_move_first() {
            Ok(true) => {}
            Ok(false) => self.issue(
                session,
                Seat::Facilitator,
                EngineCommand::AdvanceToNextEvent,
            ),
            Err(e) => self.not_recorded(&e),
        }
    }

    /// True when this console may pause and pace: it is the facilitator's, or nobody sits
    /// in the facilitator's seat.
    pub fn may_control(&self, session: &Session) -> bool {
        !self.observer && matches!(self.at, Seat::Facilitator)
            || session.seating.facilitator != Sitter::Person
    }

    pub(super) fn issue(&mut self, session: &mut Session, by: Seat, command: EngineCommand) {
        if self.observer {
            self.status = Some(super::super::text::OBSERVING.into());
            return;
        }
        let first = session.ex.events().len();
        if self.apply(session, &Issued::new(by, command)).is_none() {
            return;
        }
        let sc = session.ex.scenario();
        if let Some(r) = session.ex.events()[first..]
            .iter()
            .find_map(|e| match &e.kind {
                EventKind::CommandRejected(r) => {
                    Some(crate::words::refusal::to_player(sc, &r.rejection))
                }
                _ => None,
            })
        {
            self.status = Some(r);
        }
        self.bots_now(session);
    }

    /// Opens the after-action report of the ended exercise.
    pub fn open_report(&mut self, session: &Session) {
        let sc = session.ex.scenario();
        let input = session.report_input(None);
        let report = crate::report::build(sc, session.ex.state(), &input);
        self.report = Some(ReportView {
            report: Box::new(report),
            scroll: 0,
            session: session.recording.handle(),
        });
    }
}
