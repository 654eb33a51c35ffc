//! What conditions and effects are made of: the values and moments they read, conditions,
//! delays and effects. Data, total and bounded; nothing here runs code.

use super::{ActionIx, DrawIx, EndingIx, GameTime, InjectIx, RoleIx, SlaIx, StageIx, VarIx};

/// Something a condition or effect reads: a variable or a draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueRef {
    Var(VarIx),
    Draw(DrawIx),
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
    SlaMet(SlaIx),
    SlaBreached(SlaIx),
    /// The role can be reached now (its `reachable` condition holds).
    Reachable(RoleIx),
    /// The inject's prompt expired without an answer at least once.
    Expired(InjectIx),
    /// The inject's question is open now: asked, and not yet answered or run out of time.
    Open(InjectIx),
    /// A request to approve the action is waiting for a decision now.
    Requested(ActionIx),
    /// Two values compared: `Compare("attacker", ">=", "defender")`.
    Compare(ValueRef, Cmp, ValueRef),
    /// The role has been told of the inject (it was among those it was delivered to); with
    /// no role, the role acting (in an action's or an answer's `available`).
    Knows(Option<RoleIx>, InjectIx),
}

/// How [`Cond::Compare`] compares its two values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    AtLeast,
    AtMost,
    Equals,
    Above,
    Below,
    Differs,
}

impl Cmp {
    /// The operator as the file writes it.
    pub const ALL: [(&'static str, Cmp); 6] = [
        (">=", Cmp::AtLeast),
        ("<=", Cmp::AtMost),
        ("==", Cmp::Equals),
        (">", Cmp::Above),
        ("<", Cmp::Below),
        ("!=", Cmp::Differs),
    ];

    pub fn holds(self, a: i32, b: i32) -> bool {
        match self {
            Cmp::AtLeast => a >= b,
            Cmp::AtMost => a <= b,
            Cmp::Equals => a == b,
            Cmp::Above => a > b,
            Cmp::Below => a < b,
            Cmp::Differs => a != b,
        }
    }

    /// In words: `is at least`.
    pub fn words(self) -> &'static str {
        match self {
            Cmp::AtLeast => "is at least",
            Cmp::AtMost => "is at most",
            Cmp::Equals => "equals",
            Cmp::Above => "is more than",
            Cmp::Below => "is less than",
            Cmp::Differs => "differs from",
        }
    }
}

/// A delay: fixed, read from a draw (its current value, in minutes), or up to a time on
/// the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delay {
    Minutes(u32),
    Draw(DrawIx),
    /// Until this moment of the exercise (at once when it has passed).
    Until(GameTime),
    /// Until the clock next shows this minute of the day (at once when it shows it now).
    NextTimeOfDay(u32),
}

/// An effect: data, applied in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Set(VarIx, i32),
    Add(VarIx, i32),
    /// Set the variable to another value (a draw made visible, a copy).
    Copy(VarIx, ValueRef),
    /// Add another value to the variable (a die roll to a score).
    AddFrom(VarIx, ValueRef),
    Schedule(InjectIx, Delay),
    Cancel(InjectIx),
    /// Pass the inject's message on to the role (the analyst forwards the alert).
    Tell(RoleIx, InjectIx),
    /// Draw the value again (the next phone call may be answered).
    Roll(DrawIx),
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

impl Cond {
    /// Calls `f` on this condition and on every condition inside it (`All`, `Any`, `Not`),
    /// parents first. A role's `reachable` named by `Reachable` is another tree: not walked.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Cond)) {
        f(self);
        match self {
            Cond::All(cs) | Cond::Any(cs) => {
                for c in cs {
                    c.walk(f);
                }
            }
            Cond::Not(c) => c.walk(f),
            _ => {}
        }
    }

    /// Whether this condition or one inside it is one `pred` says yes to.
    pub fn any(&self, pred: impl Fn(&Cond) -> bool) -> bool {
        let mut found = false;
        self.walk(&mut |c| found = found || pred(c));
        found
    }
}

impl Effect {
    /// Calls `f` on every effect of a list and on every effect inside their `If`s (both
    /// branches), in order, parents first.
    pub fn walk<'a>(effects: &'a [Effect], f: &mut impl FnMut(&'a Effect)) {
        for e in effects {
            f(e);
            if let Effect::If(b) = e {
                Effect::walk(&b.then, f);
                Effect::walk(&b.otherwise, f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_visit_every_part_parents_first() {
        let c = Cond::All(vec![
            Cond::Not(Box::new(Cond::Is(ValueRef::Var(VarIx(1))))),
            Cond::Any(vec![Cond::TimeUp, Cond::Is(ValueRef::Var(VarIx(2)))]),
        ]);
        let mut seen = Vec::new();
        c.walk(&mut |c| seen.push(std::mem::discriminant(c)));
        assert_eq!(seen.len(), 6);
        assert_eq!(seen[0], std::mem::discriminant(&c));
        assert!(c.any(|c| matches!(c, Cond::Is(ValueRef::Var(VarIx(2))))));
        assert!(!c.any(|c| matches!(c, Cond::Is(ValueRef::Var(VarIx(3))))));
        let effects = vec![
            Effect::Set(VarIx(0), 1),
            Effect::If(Box::new(Branch {
                cond: Cond::TimeUp,
                then: vec![Effect::Schedule(InjectIx(4), Delay::Minutes(0))],
                otherwise: vec![Effect::Add(VarIx(1), 2), Effect::HaltThreat],
            })),
        ];
        let mut n = 0;
        Effect::walk(&effects, &mut |_| n += 1);
        assert_eq!(n, 5);
    }
}
