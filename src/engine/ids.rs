//! Typed identifiers for scenario content (roles, injects, actions …) and the seat that
//! issues a command.
//!
//! Commands name what they are about by id, as a player or a journal does; ids are
//! `Arc<str>`, cheap to clone. Events name it by index into the scenario instead (see
//! [`super::event`]).

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Arc<str>);

        impl $name {
            pub fn new(s: &str) -> Self {
                Self(Arc::from(s))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The id over a text already shared elsewhere (no copy).
            pub fn shared(s: Arc<str>) -> Self {
                Self(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:?}", &*self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::new(s)
            }
        }
    };
}

id_type!(
    /// A role in the exercise (`soc_analyst`, `oncall_manager`).
    RoleId
);
id_type!(
    /// An inject of the MSEL.
    InjectId
);
id_type!(
    /// An action a role can take.
    ActionId
);
id_type!(
    /// One option of a decision prompt.
    OptionId
);
id_type!(
    /// A variable / meter, or a random draw (they share one namespace).
    VarId
);
id_type!(
    /// A stage of the threat progression.
    StageId
);
id_type!(
    /// An ending of the scenario.
    EndingId
);
id_type!(
    /// A learning objective.
    ObjectiveId
);
id_type!(
    /// A service-level agreement clock.
    SlaId
);
id_type!(
    /// A scoring criterion of the rubric.
    CriterionId
);
id_type!(
    /// The scenario itself.
    ScenarioId
);

/// The reserved name of the facilitator seat; no scenario role may use it.
pub const FACILITATOR: &str = "facilitator";

/// The reserved name of the evaluator's seat (HSEEP's evaluator: sees everything, notes
/// observations, gives no other command); no scenario role may use it.
pub const EVALUATOR: &str = "evaluator";

/// Who issues a command or may see an event: a scenario role, or the facilitator who
/// sees and may do everything.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum Seat {
    Facilitator,
    Evaluator,
    Role(RoleId),
}

impl Seat {
    pub fn role(id: &str) -> Self {
        match id {
            FACILITATOR => Seat::Facilitator,
            EVALUATOR => Seat::Evaluator,
            _ => Seat::Role(RoleId::new(id)),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Seat::Facilitator => FACILITATOR,
            Seat::Evaluator => EVALUATOR,
            Seat::Role(r) => r.as_str(),
        }
    }
}

impl From<String> for Seat {
    fn from(s: String) -> Self {
        Seat::role(&s)
    }
}

impl From<Seat> for String {
    fn from(s: Seat) -> Self {
        s.as_str().to_owned()
    }
}

impl fmt::Display for Seat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Seat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}
