//! The seats at the table: a role, its side of the commercial boundary, and its authority
//! on each of the scenario's scales (business risk, and any the file names: legal sign-off, a
//! registry's takedown).

use serde::{Deserialize, Serialize};

use super::{Cond, RoleId, Scenario};

/// Which side of the commercial boundary a role sits on.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Side {
    /// The business: priorities, authority to accept risk (customer side).
    Management,
    /// The hands-on technical work (MSSP / MDR / SOC side).
    Response,
    /// Anyone else: an IT outsourcer, DFIR retainer, comms.
    Other,
}

#[derive(Clone, Debug)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    pub persona: String,
    pub side: Side,
    /// Higher means more authority to accept business risk (the scale an action or answer
    /// with no `domain` is weighed on).
    pub authority: u8,
    /// The role's authority on the scenario's other scales (`authority_in`); 0 on any not
    /// listed.
    pub authority_in: Vec<(Domain, u8)>,
    /// Its own budget of actions per turn, instead of the scenario's (`actions_per_turn`).
    pub actions_per_turn: Option<u16>,
    pub briefing: String,
    /// While false, the role cannot be reached: its commands are refused (asleep, off shift).
    pub reachable: Cond,
    /// Explains `reachable` to the player when it is false.
    pub unreachable_note: String,
}

/// A scale of authority: [`Domain::MAIN`] is business risk (a role's `authority`); the
/// others are named in the file and listed in [`Scenario::domains`] (domain `k` is
/// `domains[k - 1]`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Domain(pub u8);

impl Domain {
    pub const MAIN: Domain = Domain(0);

    /// Business risk (for serde's `skip_serializing_if`: records made before scales existed
    /// read the same).
    pub fn is_main(&self) -> bool {
        *self == Domain::MAIN
    }

    /// Its name among the file's scales (`domains`); `None` for business risk.
    pub fn name_in(self, domains: &[String]) -> Option<&str> {
        usize::from(self.0)
            .checked_sub(1)
            .and_then(|k| domains.get(k))
            .map(String::as_str)
    }

    /// The level on this scale, given the level on business risk and those on the others.
    pub fn level_in(self, main: u8, others: &[(Domain, u8)]) -> u8 {
        if self == Domain::MAIN {
            return main;
        }
        others
            .iter()
            .find(|(x, _)| *x == self)
            .map_or(0, |(_, n)| *n)
    }
}

/// "authority 3", or "legal sign-off authority 2" on a named scale.
pub fn authority_words(scale: Option<&str>, level: u8) -> String {
    match scale {
        None => format!("authority {level}"),
        Some(name) => format!("{name} authority {level}"),
    }
}

/// Levels on every scale held: "3", "1; legal sign-off 2".
pub fn levels_words<'a>(main: u8, others: impl IntoIterator<Item = (&'a str, u8)>) -> String {
    let mut out = main.to_string();
    for (name, n) in others {
        out = format!("{out}; {name} {n}");
    }
    out
}

impl Role {
    /// The role's authority on scale `d`.
    pub fn level(&self, d: Domain) -> u8 {
        d.level_in(self.authority, &self.authority_in)
    }
}

impl Scenario {
    /// The name of scale `d` as the file wrote it; `None` for business risk.
    pub fn domain_name(&self, d: Domain) -> Option<&str> {
        d.name_in(&self.domains)
    }

    /// A role's levels on every scale it holds: "3", "1; legal sign-off 2".
    pub fn levels(&self, r: &Role) -> String {
        levels_words(
            r.authority,
            r.authority_in
                .iter()
                .filter_map(|(d, n)| self.domain_name(*d).map(|name| (name, *n))),
        )
    }

    /// "authority 3", "authority 1; legal sign-off 2".
    pub fn levels_words(&self, r: &Role) -> String {
        format!("authority {}", self.levels(r))
    }

    /// "authority 3", or "legal sign-off authority 2" on a named scale.
    pub fn authority_words(&self, d: Domain, level: u8) -> String {
        authority_words(self.domain_name(d), level)
    }
}
