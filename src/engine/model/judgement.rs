//! A bot persona's judgement, as the file gives it: what it does first and what it never
//! does, each while a condition holds (an order given, a playbook's pre-approval).

use super::{ActionIx, Cond, InjectIx};

/// What a persona prefers and avoids. A preferred action is taken before anything else the
/// policy would do, even a kind the policy never takes on its own; a preferred answer is given
/// before the policy's choice; an avoided action or answer is never taken. Each only while
/// its condition holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Judgement {
    pub prefer: Vec<Pick>,
    pub avoid: Vec<Pick>,
}

/// An action or an answer, while a condition holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Pick {
    pub what: Picked,
    pub when: Cond,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Picked {
    Act(ActionIx),
    /// An option (by its index) of an inject's question.
    Answer(InjectIx, u16),
}

impl Judgement {
    /// Where `what` stands among the preferred while `holds` says their conditions hold
    /// (0 first), if it is preferred now.
    pub fn preferred(&self, what: Picked, holds: impl Fn(&Cond) -> bool) -> Option<usize> {
        self.prefer
            .iter()
            .position(|p| p.what == what && holds(&p.when))
    }

    /// Whether `what` is avoided now.
    pub fn avoids(&self, what: Picked, holds: impl Fn(&Cond) -> bool) -> bool {
        self.avoid.iter().any(|p| p.what == what && holds(&p.when))
    }
}
