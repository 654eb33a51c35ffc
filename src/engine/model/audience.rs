//! Who may see something: a set of roles, as a bit per role index.

use serde::{Deserialize, Serialize};

use super::RoleIx;

/// A set of roles that may see something, as a bit per role index (a scenario has at most
/// 32 roles). The facilitator sees everything and is never listed.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Audience(u32);

impl Audience {
    /// The most roles an audience can hold (and so a scenario may have).
    pub const MAX_ROLES: usize = 32;

    /// Nobody but the facilitator.
    pub fn facilitator_only() -> Self {
        Audience(0)
    }

    /// One role.
    pub fn of(role: RoleIx) -> Self {
        Audience(1u32.checked_shl(u32::from(role.0)).unwrap_or(0))
    }

    /// These roles (indices past [`Audience::MAX_ROLES`] are ignored).
    pub fn from_roles(roles: impl IntoIterator<Item = RoleIx>) -> Self {
        roles
            .into_iter()
            .fold(Audience(0), |a, r| a.union(Audience::of(r)))
    }

    pub fn includes(self, role: RoleIx) -> bool {
        Audience::of(role).0 & self.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    #[must_use]
    pub fn union(self, other: Audience) -> Audience {
        Audience(self.0 | other.0)
    }

    /// The roles, in index order.
    pub fn roles(self) -> impl Iterator<Item = RoleIx> {
        let bits = self.0;
        (0..32u16).filter(move |r| bits & (1 << r) != 0).map(RoleIx)
    }
}
