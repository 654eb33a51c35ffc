//! Sessions in the terminal game: the header of a new session, creating its journal, and a
//! game continued from a journal (resumed or forked). The game applies commands through
//! its [`crate::session::Session`], which journals first.

use std::sync::Arc;

use crate::engine::exercise::Exercise;
use crate::engine::model::Scenario;
use crate::journal::record::{Header, Pacing};
use crate::journal::store::{self, Writer};
use crate::session::{Recording, Seating, Sitter};

use super::{Entry, Game, PACES, Setup};

impl Game {
    /// Continues an exercise rebuilt from a journal: the bots are seated afresh and read
    /// the whole log; the clock waits (`held`) with `note` until someone starts it.
    pub fn resumed(ex: Exercise, header: Header, journal: Recording, note: String) -> Game {
        let sc = Arc::clone(ex.scenario());
        let mut seating = Seating::from_header(&sc, &header);
        // A person takes over the seat a script played.
        for s in seating.roles.iter_mut().chain([&mut seating.facilitator]) {
            if *s == Sitter::Script {
                *s = Sitter::Person;
            }
        }
        let pacing = header.pacing.unwrap_or(Pacing {
            turn_mode: false,
            pace: PACES[0],
        });
        let mut g = Game::with(ex, seating, pacing, journal);
        g.session.crew.observe(&g.session.ex);
        g.session.header = Some(header);
        g.session.held = (!g.session.ex.is_over()).then_some(note);
        g
    }

    /// The journal header of a new session with these seats.
    pub fn header_for(
        session: String,
        scenario: &Scenario,
        source: String,
        seed: u64,
        setup: &Setup,
        started: String,
    ) -> Header {
        let seats = setup.seating().records(scenario);
        Header {
            ttx_journal: crate::journal::FORMAT_VERSION,
            engine: env!("CARGO_PKG_VERSION").to_owned(),
            session,
            scenario: scenario.id.to_string(),
            content_hash: scenario.content_hash,
            scenario_source: source,
            seed,
            seats,
            parent: None,
            started,
            pacing: Some(Pacing {
                turn_mode: setup.turn_mode,
                pace: setup.pace,
            }),
        }
    }
}

/// Creates the journal of a new session in `dir` (none without a directory).
pub(super) fn new_journal(
    dir: Option<&std::path::Path>,
    entry: &Entry,
    setup: &Setup,
) -> (Recording, Option<Header>) {
    let Some(dir) = dir else {
        return (Recording::Off, None);
    };
    let sc = &entry.scenario;
    let file = (entry.source != "bundled").then(|| std::path::Path::new(&entry.source));
    let header = Game::header_for(
        store::new_session_id(sc.id.as_str()),
        sc,
        store::source_of(sc, file),
        setup.seed,
        setup,
        store::now_rfc3339(),
    );
    match Writer::create(dir, &header) {
        Ok(w) => (Recording::On(Box::new(w)), Some(header)),
        Err(e) => (
            Recording::Unavailable(crate::tui::text::journal_unavailable(dir, &e.to_string())),
            None,
        ),
    }
}
