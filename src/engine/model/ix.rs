//! Indices into the scenario's lists, one type per list: a `VarIx` cannot name an inject
//! and an `InjectIx` cannot index the roles. Each is its integer underneath (serialised as
//! the bare number) and indexes a `Vec` or slice directly (`sc.injects[i]`).
//!
//! An effect that sets a variable takes a variable's index:
//!
//! ```
//! use ttx::engine::model::{Effect, VarIx};
//! let _ = Effect::Set(VarIx(3), 1);
//! ```
//!
//! and refuses an inject's:
//!
//! ```compile_fail
//! use ttx::engine::model::{Effect, InjectIx};
//! let _ = Effect::Set(InjectIx(3), 1);
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! index {
    ($(#[$doc:meta])* $name:ident($int:ty)) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Default, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub $int);

        impl $name {
            /// As a position in its list.
            #[inline]
            pub fn ix(self) -> usize {
                usize::try_from(self.0).unwrap_or(usize::MAX)
            }

            /// The index of position `i`; `None` past what the type holds.
            pub fn at(i: usize) -> Option<Self> {
                <$int>::try_from(i).ok().map(Self)
            }

            /// Every index of a list of `n` items, in order.
            pub fn all(n: usize) -> impl Iterator<Item = Self> {
                (0..n).map_while(Self::at)
            }
        }

        impl TryFrom<usize> for $name {
            type Error = std::num::TryFromIntError;
            fn try_from(i: usize) -> Result<Self, Self::Error> {
                <$int>::try_from(i).map(Self)
            }
        }

        impl From<$name> for usize {
            #[inline]
            fn from(i: $name) -> usize {
                i.ix()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl<T> std::ops::Index<$name> for [T] {
            type Output = T;
            #[inline]
            fn index(&self, i: $name) -> &T {
                &self[i.ix()]
            }
        }

        impl<T> std::ops::IndexMut<$name> for [T] {
            #[inline]
            fn index_mut(&mut self, i: $name) -> &mut T {
                &mut self[i.ix()]
            }
        }

        impl<T> std::ops::Index<$name> for Vec<T> {
            type Output = T;
            #[inline]
            fn index(&self, i: $name) -> &T {
                &self[i.ix()]
            }
        }

        impl<T> std::ops::IndexMut<$name> for Vec<T> {
            #[inline]
            fn index_mut(&mut self, i: $name) -> &mut T {
                &mut self[i.ix()]
            }
        }
    };
}

index!(
    /// Index of a role in `Scenario::roles` (at most `Audience::MAX_ROLES`).
    RoleIx(u16)
);
index!(
    /// Index of an inject in `Scenario::injects`.
    InjectIx(u32)
);
index!(
    /// Index of an action in `Scenario::actions`.
    ActionIx(u32)
);
index!(
    /// Index of a stage in `Threat::stages`.
    StageIx(u16)
);
index!(
    /// Index of an ending in `Scenario::endings`.
    EndingIx(u16)
);
index!(
    /// Index of a variable in `Scenario::variables`.
    VarIx(u32)
);
index!(
    /// Index of a seeded draw in `Scenario::draws`.
    DrawIx(u32)
);
index!(
    /// Index of an SLA in `Scenario::slas`.
    SlaIx(u32)
);
index!(
    /// Index of an objective in `Scenario::objectives`.
    ObjectiveIx(u32)
);
index!(
    /// Index of a rubric criterion in `Scenario::rubric`.
    CriterionIx(u32)
);
