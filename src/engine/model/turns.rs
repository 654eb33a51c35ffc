//! Play in turns, as at a table: game time is cut into turns of so many minutes, and in each
//! a role may take actions up to its budget (an action's `cost`, 1 unless the file says
//! otherwise; answers and approvals are free).

use super::{RoleIx, Scenario};
use crate::engine::time::GameTime;

/// The file's `turns: Turns(minutes: 60, actions: 2)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Turns {
    /// Minutes of game time in a turn (at least 1).
    pub minutes: u32,
    /// Actions each role may take in a turn, unless the role says otherwise.
    pub actions: u16,
}

impl Scenario {
    /// The turn `t` falls in, from 1 (the end's minute counts to the last turn); `None` when
    /// the scenario is not played in turns.
    pub fn turn_of(&self, t: GameTime) -> Option<u32> {
        let last = self.turn_count()?;
        self.turns.map(|x| (t.minutes() / x.minutes + 1).min(last))
    }

    /// When the turn after the one `t` falls in begins; `None` in the last turn (or without
    /// turns).
    pub fn next_turn_at(&self, t: GameTime) -> Option<GameTime> {
        let next = self.turn_start(self.turn_of(t)?.saturating_add(1))?;
        (next < self.end).then_some(next)
    }

    /// When turn `n` (from 1) starts.
    pub fn turn_start(&self, n: u32) -> Option<GameTime> {
        self.turns
            .map(|x| GameTime(n.saturating_sub(1).saturating_mul(x.minutes)))
    }

    /// How many turns the exercise has.
    pub fn turn_count(&self) -> Option<u32> {
        self.turns
            .map(|x| self.end.minutes().saturating_sub(1) / x.minutes + 1)
    }

    /// What role `r` may spend on actions in a turn; `None`: no turns, no limit.
    pub fn budget(&self, r: RoleIx) -> Option<u16> {
        self.turns
            .map(|x| self.role(r).actions_per_turn.unwrap_or(x.actions))
    }
}
