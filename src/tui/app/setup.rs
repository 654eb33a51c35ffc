//! The set-up screen's model: the seed, the pacing, who sits where.

use crate::engine::model::{BotSpec, Policy};
use crate::session::{Seating, Sitter};

/// The next choice on the set-up screen for a role: a person, the scenario's bot for the
/// role, the other bot policies, nobody, and round again.
pub fn next_sitter(current: Sitter, default_bot: BotSpec) -> Sitter {
    let others: Vec<Policy> = Policy::ALL
        .into_iter()
        .filter(|p| *p != default_bot.policy)
        .collect();
    match current {
        Sitter::Person | Sitter::Script => Sitter::Bot(default_bot),
        Sitter::Bot(b) => {
            let next = if b.policy == default_bot.policy {
                others.first()
            } else {
                others
                    .iter()
                    .position(|p| *p == b.policy)
                    .and_then(|i| others.get(i + 1))
            };
            next.map_or(Sitter::Nobody, |p| Sitter::Bot(BotSpec::new(*p)))
        }
        Sitter::Nobody => Sitter::Person,
    }
}

#[derive(Clone, Debug)]
pub struct Setup {
    pub entry: usize,
    pub seed: u64,
    pub editing_seed: Option<String>,
    pub turn_mode: bool,
    pub pace: u32,
    pub facilitator: bool,
    /// The session's name, when it is given one (the report prints it).
    pub name: Option<String>,
    /// An evaluator's seat is played here too (it watches and notes).
    pub evaluator: bool,
    pub seats: Vec<Sitter>,
    /// The selected row: 0 seed, 1 pacing, 2 facilitator, 3.. roles, last: start.
    pub row: usize,
}

impl Setup {
    pub fn rows(&self) -> usize {
        3 + self.seats.len() + 1
    }

    /// The seats chosen, as the session's seating.
    pub fn seating(&self) -> Seating {
        Seating {
            roles: self.seats.clone(),
            facilitator: if self.facilitator {
                Sitter::Person
            } else {
                Sitter::Nobody
            },
            evaluator: if self.evaluator {
                Sitter::Person
            } else {
                Sitter::Nobody
            },
        }
    }
}
