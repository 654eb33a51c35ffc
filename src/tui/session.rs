//! Sessions in the terminal game: whether a game keeps a journal, the header of a new
//! session, creating its journal, and a game continued from a journal (resumed or forked).
//! The game applies commands through `Game::apply` (in `app.rs`), which journals first.

use std::sync::Arc;

use crate::engine::exercise::Exercise;
use crate::engine::model::Scenario;
use crate::journal::record::{Header, Pacing, SeatPlay, SeatRecord};
use crate::journal::store::{self, Writer};

use super::app::{Entry, Game, PACES, SeatKind, Setup};

/// Whether the game keeps a journal.
#[derive(Debug)]
pub enum Recording {
    /// No journal (tests, snapshots, `--no-journal`).
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

impl Game {
    /// Continues an exercise rebuilt from a journal: the bots are seated afresh and read
    /// the whole log; the clock waits (`held`) with `note` until someone starts it.
    pub fn resumed(ex: Exercise, header: Header, journal: Recording, note: String) -> Game {
        let sc = Arc::clone(ex.scenario());
        let mut seats = vec![SeatKind::Unplayed; sc.roles.len()];
        let mut facilitator = false;
        for s in &header.seats {
            let kind = match s.play() {
                // A person takes over the seat a script played.
                Ok(SeatPlay::Person | SeatPlay::Script) => SeatKind::Person,
                Ok(SeatPlay::Bot(spec)) => SeatKind::Bot(spec),
                Ok(SeatPlay::Nobody) | Err(_) => SeatKind::Unplayed,
            };
            if s.role == crate::engine::ids::FACILITATOR {
                facilitator = kind == SeatKind::Person;
            } else if let Some(i) = sc.role_index(&s.role) {
                seats[usize::from(i)] = kind;
            }
        }
        let pacing = header.pacing.unwrap_or(Pacing {
            turn_mode: false,
            pace: PACES[0],
        });
        let mut g = Game::with(ex, seats, facilitator, pacing, journal);
        g.crew.observe(&g.ex);
        g.header = Some(header);
        g.held = (!g.ex.is_over()).then_some(note);
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
        let mut seats: Vec<SeatRecord> = scenario
            .roles
            .iter()
            .zip(&setup.seats)
            .map(|(r, k)| {
                let play = match k {
                    SeatKind::Person => SeatPlay::Person,
                    SeatKind::Bot(spec) => SeatPlay::Bot(*spec),
                    SeatKind::Unplayed => SeatPlay::Nobody,
                };
                SeatRecord::new(r.id.as_str(), play)
            })
            .collect();
        seats.push(SeatRecord::new(
            crate::engine::ids::FACILITATOR,
            if setup.facilitator {
                SeatPlay::Person
            } else {
                SeatPlay::Nobody
            },
        ));
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
            Recording::Unavailable(super::text::journal_unavailable(dir, &e.to_string())),
            None,
        ),
    }
}
