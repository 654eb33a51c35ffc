//! Who sits where: one seat per role and the facilitator's, each played by a person here,
//! a bot with its persona, a script, or nobody. This is the one seating type; the journal's
//! header, the bots to seat and the report's input are all made from it here, and nowhere
//! else. (Remote, observer and evaluator seats will be kinds of it.)

use crate::engine::ids::{EVALUATOR, FACILITATOR, RoleId};
use crate::engine::model::{BotSpec, RoleIx, Scenario};
use crate::journal::record::{Header, SeatRecord};
use crate::report::{PlayedBy, ReportInput};

/// Who plays a seat: the journal's own word for it.
pub use crate::journal::record::SeatPlay as Sitter;

/// The seats of a session.
#[derive(Clone, Debug, PartialEq)]
pub struct Seating {
    /// One per role, in the scenario's order.
    pub roles: Vec<Sitter>,
    pub facilitator: Sitter,
    /// The evaluator's seat: a person who watches and notes, or nobody.
    pub evaluator: Sitter,
}

impl Seating {
    /// Nobody in any seat.
    pub fn empty(sc: &Scenario) -> Seating {
        Seating {
            roles: vec![Sitter::Nobody; sc.roles.len()],
            facilitator: Sitter::Nobody,
            evaluator: Sitter::Nobody,
        }
    }

    /// The seats a journal's header records (a seat it does not name, or names in a way
    /// this ttx does not know, is nobody's).
    pub fn from_header(sc: &Scenario, header: &Header) -> Seating {
        let mut seating = Seating::empty(sc);
        for s in &header.seats {
            let play = s.play().unwrap_or(Sitter::Nobody);
            if s.role == FACILITATOR {
                seating.facilitator = play;
            } else if s.role == EVALUATOR {
                seating.evaluator = play;
            } else if let Some(i) = sc.role_index(&s.role) {
                seating.roles[usize::from(i)] = play;
            }
        }
        seating
    }

    /// The seats as a journal's header records them: the roles in order, then the
    /// facilitator.
    pub fn records(&self, sc: &Scenario) -> Vec<SeatRecord> {
        let mut seats: Vec<SeatRecord> = sc
            .roles
            .iter()
            .zip(&self.roles)
            .map(|(r, p)| SeatRecord::new(r.id.as_str(), *p))
            .collect();
        seats.push(SeatRecord::new(FACILITATOR, self.facilitator));
        // Only when someone sits there: a journal without an evaluator stays as it was.
        if self.evaluator != Sitter::Nobody {
            seats.push(SeatRecord::new(EVALUATOR, self.evaluator));
        }
        seats
    }

    /// The bots to seat, with their personas.
    pub fn bots(&self) -> Vec<(RoleIx, BotSpec)> {
        self.roles
            .iter()
            .enumerate()
            .filter_map(|(r, p)| match p {
                Sitter::Bot(spec) => RoleIx::try_from(r).ok().map(|r| (r, *spec)),
                _ => None,
            })
            .collect()
    }

    /// Who played each seat, as the report says it.
    pub fn report_input(&self, sc: &Scenario, date: Option<String>) -> ReportInput {
        let played = |p: Sitter| match p {
            Sitter::Person => PlayedBy::Person,
            Sitter::Script => PlayedBy::Script,
            Sitter::Bot(spec) => PlayedBy::Bot {
                policy: spec.policy,
            },
            Sitter::Nobody => PlayedBy::Nobody,
        };
        ReportInput {
            seats: sc
                .roles
                .iter()
                .zip(&self.roles)
                .map(|(r, p)| (r.id.clone(), played(*p)))
                .collect(),
            facilitator: (self.facilitator != Sitter::Nobody).then(|| played(self.facilitator)),
            date,
            comparison: None,
            participants: Vec::new(),
            session_name: None,
        }
    }

    /// The seating of a headless run: bots where they sit; a seat whose script gives at
    /// least one command that is not the clock's is the script's; nobody elsewhere.
    pub fn headless(
        sc: &Scenario,
        bots: &[(RoleIx, BotSpec)],
        scripted: impl Fn(&crate::engine::ids::Seat) -> bool,
    ) -> Seating {
        let mut seating = Seating::empty(sc);
        for (i, r) in sc.roles.iter().enumerate() {
            seating.roles[i] =
                if let Some((_, spec)) = bots.iter().find(|(b, _)| usize::from(*b) == i) {
                    Sitter::Bot(*spec)
                } else if scripted(&crate::engine::ids::Seat::Role(r.id.clone())) {
                    Sitter::Script
                } else {
                    Sitter::Nobody
                };
        }
        if scripted(&crate::engine::ids::Seat::Facilitator) {
            seating.facilitator = Sitter::Script;
        }
        seating
    }

    /// The seat of a role, by id.
    pub fn of(&self, sc: &Scenario, role: &RoleId) -> Sitter {
        sc.role_index(role.as_str())
            .and_then(|i| self.roles.get(usize::from(i)).copied())
            .unwrap_or(Sitter::Nobody)
    }
}
