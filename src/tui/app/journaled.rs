//! Sessions in the terminal game: the header of a new session, creating its journal, and a
//! game continued from a journal (resumed or forked). The game applies commands through
//! its [`crate::session::Session`], which journals first.

use crate::engine::exercise::Exercise;
use crate::engine::ids::Seat;
use crate::engine::model::Scenario;
use crate::journal::record::{Header, Pacing};
use crate::journal::store::{self, Writer};
use crate::session::{Recording, Session};

use super::{Console, Entry, Game, Setup};

impl Game {
    /// Continues an exercise rebuilt from a journal: the bots are seated afresh and read
    /// the whole log; the clock waits (`held`) with `note` until someone starts it.
    pub fn resumed(
        ex: Exercise,
        header: Header,
        journal: Recording,
        note: String,
        reads: std::collections::BTreeMap<Seat, std::collections::BTreeSet<u32>>,
    ) -> Game {
        let mut session = Session::resumed(ex, header, journal, note);
        session.known_reads = reads;
        let seats = crate::session::screen::people(session.ex.scenario(), &session.seating);
        // The facilitator, when there is one, starts the clock again: the session lands there.
        let first = if seats.contains(&Seat::Facilitator) {
            Seat::Facilitator
        } else {
            seats.first().cloned().unwrap_or(Seat::Facilitator)
        };
        let mut console = Console::new(first);
        console.status = session.not_recorded.as_ref().map(super::not_recorded_words);
        // Everyone was briefed when the session started; the card stays on its key.
        console.briefed.extend(seats.iter().cloned());
        // What each seat had read, as the journal kept it.
        console.read.clone_from(&session.known_reads);
        Game {
            session,
            console,
            handover: seats.len() > 1,
        }
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
            name: setup.name.clone(),
        }
    }
}

/// Creates the journal of a new session in `dir` (none without a directory).
pub fn new_journal(
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
