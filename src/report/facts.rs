//! The facts a finding rests on, and a check of each against the event log alone: a
//! finding declares what it claims (a moment, a wait, that nothing crossed, that a call went
//! unanswered), and a property test holds every declared fact against the log of the run
//! it was written about. The checks read the log, never the report's metrics, so a metric
//! that drifts from the play is caught.

use crate::engine::event::{Actor, EventKind};
use crate::engine::model::{
    ActionIx, InjectIx, Milestone, ObjectiveIx, Rating, RoleIx, Scenario, SlaIx, StageIx,
};
use crate::engine::state::State;
use crate::engine::time::GameTime;

/// One thing a finding says happened (or did not).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    /// The inject was first delivered at this time.
    Delivered(InjectIx, GameTime),
    /// A milestone the scenario declares was first reached at this time (`None`: never).
    Milestone(Milestone, Option<GameTime>),
    /// The threat reached the stage at this time (`None`: never).
    Stage(StageIx, Option<GameTime>),
    /// No action of one side's role sent anything to a role of the other side.
    NothingCrossed,
    /// Something crossed the boundary at this time: an action was taken then.
    Crossed(GameTime),
    /// Nobody of these roles gave any command from this time until the next call to them
    /// (`None`: the end): the call rang out.
    Unanswered(GameTime, Option<GameTime>, Vec<RoleIx>),
    /// The role spent part of this span waiting, not all of it busy with an action of its
    /// own: a delay blamed on waiting is not an action's own duration.
    Waited(RoleIx, GameTime, GameTime),
    /// The role gave no command at all.
    NeverActed(RoleIx),
    /// The exercise ended at this time.
    Ended(GameTime),
    /// The question ran out of time, unanswered, at this time.
    Expired(InjectIx, GameTime),
    /// The action was first taken at this time (`None`: never).
    Taken(ActionIx, Option<GameTime>),
    /// The SLA was breached (true) or not (false).
    SlaBreached(SlaIx, bool),
    /// The objective was rated so at the end.
    Rated(ObjectiveIx, Rating),
    /// The role itself first took the action at this time (`None`: it never did).
    TookBy(RoleIx, ActionIx, Option<GameTime>),
    /// The role answered the question with this option at this time.
    Answered(RoleIx, InjectIx, u16, GameTime),
}

/// When the role gave commands: actions it took (not those an approval started for it),
/// answers, requests, approvals and denials, and commands the engine refused.
fn commands_of<'s>(
    sc: &'s Scenario,
    st: &'s State,
    r: RoleIx,
) -> impl Iterator<Item = GameTime> + 's {
    st.log.iter().filter_map(move |e| {
        let mine = match &e.kind {
            EventKind::ActionTaken {
                by, approved_by, ..
            } => approved_by.is_none() && *by == Actor::Role(r),
            EventKind::DecisionMade { by, .. }
            | EventKind::ApprovalRequested { by, .. }
            | EventKind::ApprovalGranted { by, .. }
            | EventKind::ApprovalDenied { by, .. } => *by == Actor::Role(r),
            EventKind::CommandRejected(x) => {
                matches!(&x.by, crate::engine::ids::Seat::Role(id) if *id == sc.role(r).id)
            }
            _ => false,
        };
        mine.then_some(e.at)
    })
}

/// Minutes of `[from, to)` in which the role was busy with an action of its own.
fn busy_minutes(st: &State, r: RoleIx, from: GameTime, to: GameTime) -> u32 {
    st.log
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ActionTaken {
                by, completes_at, ..
            } if *by == Actor::Role(r) => Some((e.at, *completes_at)),
            _ => None,
        })
        .map(|(a, b)| {
            let (a, b) = (a.max(from), b.min(to));
            b.minutes().saturating_sub(a.minutes())
        })
        .sum()
}

/// When an action of a role first sent something to a role of another side.
fn crossed_at(sc: &Scenario, st: &State) -> Option<GameTime> {
    st.log.iter().find_map(|e| match &e.kind {
        EventKind::ActionTaken {
            action,
            by: Actor::Role(r),
            ..
        } => {
            let side = sc.role(*r).side;
            sc.action(*action)
                .to
                .roles()
                .any(|x| sc.role(x).side != side)
                .then_some(e.at)
        }
        _ => None,
    })
}

/// When the log first has an event of this kind.
fn first_at(st: &State, pred: impl Fn(&EventKind) -> bool) -> Option<GameTime> {
    st.log.iter().find(|e| pred(&e.kind)).map(|e| e.at)
}

/// Whether the fact holds for the run whose final state is `st`; if not, what the log
/// says instead.
pub fn check(sc: &Scenario, st: &State, fact: &Fact) -> Result<(), String> {
    let log = &st.log;
    let fail = |what: String| Err(format!("{fact:?}: {what}"));
    let same = |first: Option<GameTime>, want: Option<GameTime>, what: &str| {
        if first == want {
            Ok(())
        } else {
            Err(format!("{fact:?}: {what} {first:?}"))
        }
    };
    match fact {
        Fact::Delivered(i, t) => {
            let first = first_at(
                st,
                |k| matches!(k, EventKind::InjectDelivered { inject, .. } if inject == i),
            );
            same(first, Some(*t), "first delivered at")
        }
        Fact::Milestone(m, t) => {
            if !sc.milestones.iter().any(|(x, _)| x == m) {
                return Ok(()); // found by the report from actions: nothing in the log to hold
            }
            let first = first_at(
                st,
                |k| matches!(k, EventKind::MilestoneReached { milestone } if milestone == m),
            );
            same(first, *t, "the log has it at")
        }
        Fact::Stage(s, t) => {
            let first = first_at(
                st,
                |k| matches!(k, EventKind::ThreatAdvanced { stage } if stage == s),
            );
            // The first stage is where the threat starts: it may have no event.
            if first == *t || (s.ix() == 0 && *t == Some(GameTime::ZERO) && first.is_none()) {
                Ok(())
            } else {
                fail(format!("the log has it at {first:?}"))
            }
        }
        Fact::NothingCrossed => match crossed_at(sc, st) {
            None => Ok(()),
            Some(t) => fail(format!("an action sent something across at {t:?}")),
        },
        Fact::Crossed(t) => {
            if log
                .iter()
                .any(|e| e.at == *t && matches!(e.kind, EventKind::ActionTaken { .. }))
            {
                Ok(())
            } else {
                fail("no action was taken then".into())
            }
        }
        Fact::Unanswered(t, until, roles) => {
            for r in roles {
                if let Some(a) =
                    commands_of(sc, st, *r).find(|a| a >= t && until.is_none_or(|u| *a < u))
                {
                    return fail(format!("{} gave a command at {a:?}", sc.role(*r).id));
                }
            }
            Ok(())
        }
        Fact::Waited(r, from, to) => {
            let span = to.minutes().saturating_sub(from.minutes());
            if span == 0 || busy_minutes(st, *r, *from, *to) < span {
                Ok(())
            } else {
                fail("the role was busy with its own action the whole time".into())
            }
        }
        Fact::NeverActed(r) => match commands_of(sc, st, *r).next() {
            None => Ok(()),
            Some(t) => fail(format!("it acted at {t:?}")),
        },
        Fact::Ended(t) => match st.ended {
            Some(e) if e.at == *t => Ok(()),
            None if st.now == *t => Ok(()), // an interim report, at the time it was made
            other => fail(format!("ended {other:?}")),
        },
        Fact::Expired(i, t) => {
            if log.iter().any(|e| {
                e.at == *t
                    && matches!(e.kind, EventKind::PromptExpired { inject, .. } if inject == *i)
            }) {
                Ok(())
            } else {
                fail("no such expiry in the log".into())
            }
        }
        Fact::Taken(a, t) => {
            let first = first_at(
                st,
                |k| matches!(k, EventKind::ActionTaken { action, .. } if action == a),
            );
            same(first, *t, "first taken at")
        }
        Fact::SlaBreached(s, yes) => {
            let breached = log
                .iter()
                .any(|e| matches!(e.kind, EventKind::SlaBreached { sla, .. } if sla == *s));
            if breached == *yes {
                Ok(())
            } else {
                fail(format!("breached: {breached}"))
            }
        }
        Fact::TookBy(r, a, t) => {
            let first = first_at(st, |k| {
                matches!(k, EventKind::ActionTaken { action, by, approved_by: None, .. }
                    if action == a && *by == Actor::Role(*r))
            });
            same(first, *t, "the role first took it at")
        }
        Fact::Answered(r, i, o, t) => {
            if log.iter().any(|e| {
                e.at == *t
                    && matches!(e.kind, EventKind::DecisionMade { inject, option, by }
                        if inject == *i && option == *o && by == Actor::Role(*r))
            }) {
                Ok(())
            } else {
                fail("no such answer in the log".into())
            }
        }
        Fact::Rated(o, r) => {
            let given = log.iter().rev().find_map(|e| match e.kind {
                EventKind::ObjectiveRated { objective, rating } if objective == *o => Some(rating),
                _ => None,
            });
            // Not rated in the log: the report's own "not evaluated" (an interim report).
            if given.is_none_or(|g| g == *r) {
                Ok(())
            } else {
                fail(format!("rated {given:?} in the log"))
            }
        }
    }
}
