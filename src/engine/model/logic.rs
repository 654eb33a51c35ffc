//! What conditions and effects are made of: the values and moments they read, conditions,
//! delays and effects. Data, total and bounded; nothing here runs code.

use super::{ActionIx, EndingIx, GameTime, InjectIx, RoleIx, StageIx};

/// Something a condition or effect reads: a variable or a draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueRef {
    Var(u32),
    Draw(u32),
}

/// A moment a condition can measure from or to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Start,
    Delivered(InjectIx),
    Taken(ActionIx),
    Completed(ActionIx),
    Chose(InjectIx, u16),
    Stage(StageIx),
}

/// A condition: data, total, bounded. Evaluated against the state; never runs code.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Always,
    Never,
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    /// The value is not zero.
    Is(ValueRef),
    AtLeast(ValueRef, i32),
    AtMost(ValueRef, i32),
    Equals(ValueRef, i32),
    /// The moment has happened.
    Happened(Mark),
    /// Both moments happened, the second at most `minutes` after the first.
    Within {
        from: Mark,
        to: Mark,
        minutes: u32,
    },
    ThreatHalted,
    /// Game time is before this moment.
    Before(GameTime),
    /// Game time is at or after this moment.
    NotBefore(GameTime),
    /// Time of day in `[from, to)` minutes, wrapping midnight when `from > to`.
    TimeOfDay {
        from: u32,
        to: u32,
    },
    /// The current weekday is one of these (bit i = weekday i, Mon = 0).
    Weekdays(u8),
    /// The scenario's time has run out (only true while endings are chosen at the end).
    TimeUp,
    /// The SLA was met / breached.
    SlaMet(u32),
    SlaBreached(u32),
    /// The role can be reached now (its `reachable` condition holds).
    Reachable(RoleIx),
    /// The inject's prompt expired without an answer at least once.
    Expired(InjectIx),
}

/// A delay: fixed, or read from a draw (its current value, in minutes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delay {
    Minutes(u32),
    Draw(u32),
}

/// An effect: data, applied in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Set(u32, i32),
    Add(u32, i32),
    Schedule(InjectIx, Delay),
    Cancel(InjectIx),
    /// Draw the value again (the next phone call may be answered).
    Roll(u32),
    AdvanceThreat,
    HaltThreat,
    ResumeThreat,
    End(EndingIx),
    /// Boxed: the branch is rare and large, and an effect list is walked on every step.
    If(Box<Branch>),
}

/// The branches of [`Effect::If`].
#[derive(Clone, Debug, PartialEq)]
pub struct Branch {
    pub cond: Cond,
    pub then: Vec<Effect>,
    pub otherwise: Vec<Effect>,
}
