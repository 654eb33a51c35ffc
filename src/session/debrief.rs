//! What a session's report is given, made in one place for every caller (the terminal's
//! report screen, `ttx report` on a journal, `ttx run --report`): who played each seat, from
//! the seating, and what could have been: the same seed played by by-the-book bots.

use std::sync::Arc;

use crate::engine::command::Issued;
use crate::engine::event::EventKind;
use crate::engine::model::{BotSpec, Policy, RoleIx, Scenario};
use crate::engine::time::GameTime;
use crate::report::{Comparison, ReportInput};

use super::{Seating, Session, Unobserved};

/// The report's input for a session of `scenario` with `seed` and this seating.
pub fn report_input(
    scenario: &Arc<Scenario>,
    seating: &Seating,
    seed: u64,
    date: Option<String>,
) -> ReportInput {
    let mut input = seating.report_input(scenario, date);
    input.comparison = Some(by_the_book(scenario, seed));
    input
}

/// What could have been: the run of the same seed with by-the-book bots in every role.
pub fn by_the_book(scenario: &Arc<Scenario>, seed: u64) -> Comparison {
    let seats: Vec<(RoleIx, BotSpec)> = RoleIx::all(scenario.roles.len())
        .map(|r| (r, BotSpec::new(Policy::ByTheBook)))
        .collect();
    let mut session = Session::start(Arc::clone(scenario), seed, &seats);
    let no_steps: &[(GameTime, Issued)] = &[];
    match session.run(no_steps, &mut Unobserved) {
        Ok(()) => {}
        Err(never) => match never {},
    }
    let ended = session
        .ex
        .events()
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::ExerciseEnded { outcome, score, .. } => Some((
                e.kind.ended_title(scenario).unwrap_or_default().to_owned(),
                *outcome,
                *score,
            )),
            _ => None,
        });
    let (ending_title, outcome, score) = ended.unwrap_or_else(|| ("no ending".into(), None, 0));
    let st = session.ex.state();
    let m = crate::report::metrics::compute(scenario, st);
    Comparison {
        ending_title,
        outcome,
        score,
        path: crate::report::debrief::path_of(scenario, st, &m),
    }
}

impl Session {
    /// The report's input for this session: a recorded session is reported as its journal
    /// records its seats.
    pub fn report_input(&self, date: Option<String>) -> ReportInput {
        let sc = self.ex.scenario();
        let seating = self
            .header
            .as_ref()
            .map_or_else(|| self.seating.clone(), |h| Seating::from_header(sc, h));
        let mut input = report_input(sc, &seating, self.ex.state().seed, date);
        input.participants.clone_from(&self.acted);
        input.session_name = self.header.as_ref().and_then(|h| h.name.clone());
        input
    }
}
