//! `ttx explain`: why a run or a session ended as it did. Each ending's condition is shown
//! part by part with whether it held and the value or moment it read; each action a bot
//! could have taken and did not is given its reason: the bot's policy declines that kind of
//! step, it was never open to the role (and why not, part by part), or it was open and the
//! bot preferred other steps (which).

use std::fmt::Write as _;

use crate::engine::event::{Event, EventKind};
use crate::engine::exercise::Exercise;
use crate::engine::model::{BotSpec, Cond, Mark, RoleIx, Scenario, ValueRef, WithoutAuthority};
use crate::engine::view::Avail;
use crate::engine::{Actor, GameTime, Issued};
use crate::session::bots;
use crate::words::cond::cond as words;

/// What one role could do with one action over a run.
#[derive(Clone, Debug, Default)]
struct Track {
    /// When it was first open to the role (could be taken or requested).
    first_open: Option<GameTime>,
    /// What the role did while this was open and it had not taken this, in words.
    instead: Vec<String>,
}

/// Watches a run command by command: when each action was open to each role, and what
/// the role did instead.
pub struct Watch {
    tracks: Vec<Vec<Track>>,
}

impl Watch {
    pub fn new(sc: &Scenario) -> Watch {
        Watch {
            tracks: vec![vec![Track::default(); sc.actions.len()]; sc.roles.len()],
        }
    }

    /// Looks at the exercise after a command and the events it caused.
    pub fn look(&mut self, ex: &Exercise, new_events: &[Event]) {
        let sc = ex.scenario();
        for e in new_events {
            let (r, skip, did) = match &e.kind {
                EventKind::ActionTaken {
                    action,
                    by: Actor::Role(r),
                    ..
                } => (
                    r,
                    Some(action.ix()),
                    format!("took “{}”", sc.action(*action).name),
                ),
                EventKind::DecisionMade {
                    inject,
                    option,
                    by: Actor::Role(r),
                } => {
                    let label = sc
                        .inject(*inject)
                        .prompt
                        .as_ref()
                        .and_then(|p| p.options.get(usize::from(*option)))
                        .map_or_else(String::new, |o| o.label.to_string());
                    (r, None, format!("answered “{label}”"))
                }
                _ => continue,
            };
            for (a, t) in self.tracks[r.ix()].iter_mut().enumerate() {
                if t.first_open.is_some() && Some(a) != skip && !t.instead.contains(&did) {
                    t.instead.push(did.clone());
                }
            }
        }
        if ex.is_over() {
            return;
        }
        for r in RoleIx::all(sc.roles.len()) {
            for (a, _, avail) in ex.lens(r).actions() {
                if avail != Avail::Unavailable {
                    self.tracks[r.ix()][a.ix()]
                        .first_open
                        .get_or_insert(ex.now());
                }
            }
        }
    }
}

impl crate::session::Observer for Watch {
    type Error = std::convert::Infallible;
    fn before(&mut self, _: &Exercise, _: &Issued) -> Result<(), Self::Error> {
        Ok(())
    }
    fn after(&mut self, ex: &Exercise, new_events: &[Event]) {
        self.look(ex, new_events);
    }
}

fn clock(sc: &Scenario, t: GameTime) -> String {
    sc.start.clock(t).to_string()
}

/// When a moment happened, if it did.
fn when(ex: &Exercise, m: Mark) -> Option<GameTime> {
    let st = ex.state();
    match m {
        Mark::Start => Some(GameTime::ZERO),
        Mark::Delivered(i) => st.injects[i].first_delivered,
        Mark::Taken(a) => st.actions[a].first_taken,
        Mark::Completed(a) => st.actions[a].first_completed,
        Mark::Chose(i, o) => st
            .choices
            .iter()
            .find(|c| c.inject == i && c.option == o)
            .map(|c| c.at),
        Mark::Stage(s) => st.threat.entered_at.get(s.ix()).copied().flatten(),
    }
}

/// What a part of a condition read, in words: a value, or when a moment happened.
fn reading(ex: &Exercise, c: &Cond) -> String {
    let sc = ex.scenario();
    let st = ex.state();
    let value = |v: &ValueRef| match v {
        ValueRef::Var(x) => format!("it is {}", st.vars[*x]),
        ValueRef::Draw(d) => format!("drawn: {}", st.draws[d.ix()].value),
    };
    let at = |m: &Mark| {
        when(ex, *m).map_or_else(
            || " (it has not happened)".to_owned(),
            |t| format!(" (at {})", clock(sc, t)),
        )
    };
    match c {
        Cond::Is(v) | Cond::AtLeast(v, _) | Cond::AtMost(v, _) | Cond::Equals(v, _) => {
            format!(" ({})", value(v))
        }
        Cond::Compare(a, _, b) => format!(" ({} and {})", value(a), value(b)),
        Cond::Happened(m) => at(m),
        Cond::Within { from, to, .. } => match (when(ex, *from), when(ex, *to)) {
            (Some(a), Some(b)) => format!(" ({} and {})", clock(sc, a), clock(sc, b)),
            (Some(a), None) => format!(" (from {}; the other has not happened)", clock(sc, a)),
            _ => " (it has not happened)".to_owned(),
        },
        Cond::Before(_) | Cond::NotBefore(_) | Cond::TimeOfDay { .. } | Cond::Weekdays(_) => {
            format!(" (it was {})", clock(sc, st.now))
        }
        Cond::Not(inner) => reading(ex, inner),
        _ => String::new(),
    }
}

/// A condition, part by part, each with whether it holds now and what it read.
pub fn tree(ex: &Exercise, c: &Cond, actor: Option<RoleIx>, depth: usize, out: &mut String) {
    let sc = ex.scenario();
    let mark = if ex.holds_for(c, actor) { "yes" } else { "no " };
    let pad = "  ".repeat(depth);
    let (head, parts): (String, Vec<&Cond>) = match c {
        Cond::All(cs) => ("all of these:".to_owned(), cs.iter().collect()),
        Cond::Any(cs) => ("any of these:".to_owned(), cs.iter().collect()),
        Cond::Not(inner) if matches!(**inner, Cond::All(_) | Cond::Any(_)) => {
            ("not this:".to_owned(), vec![&**inner])
        }
        leaf => (
            format!("{}{}", words(sc, leaf), reading(ex, leaf)),
            Vec::new(),
        ),
    };
    let _ = writeln!(out, "{pad}[{mark}] {head}");
    for p in parts {
        tree(ex, p, actor, depth + 1, out);
    }
}

/// Why the run ended as it did: each ending in order, part by part.
fn endings(ex: &Exercise, out: &mut String) {
    let sc = ex.scenario();
    let st = ex.state();
    let _ = writeln!(
        out,
        "Endings (checked in this order; the first that holds ends the exercise)"
    );
    let ended = st.ended;
    let fired = ended.and_then(|e| e.ending);
    let by_facilitator = st.log.iter().any(|e| {
        matches!(
            e.kind,
            EventKind::ExerciseEnded {
                by_facilitator: true,
                ..
            }
        )
    });
    match ended {
        None => {
            let _ = writeln!(
                out,
                "  The exercise has not ended (at {}).",
                clock(sc, st.now)
            );
        }
        Some(e) if by_facilitator => {
            let _ = writeln!(
                out,
                "  The facilitator ended the exercise at {}.",
                clock(sc, e.at)
            );
        }
        Some(e) if fired.is_none() => {
            let _ = writeln!(
                out,
                "  Time ran out at {} and no ending's condition held.",
                clock(sc, e.at)
            );
        }
        Some(_) => {}
    }
    for (i, ending) in sc.endings.iter().enumerate() {
        let holds = ex.holds(&ending.when);
        let verdict = match fired {
            Some(f) if f.ix() == i => format!(
                "ended the exercise at {}",
                clock(sc, ended.map_or(st.now, |e| e.at))
            ),
            Some(f) if i > f.ix() && holds => format!(
                "held too, but “{}” is listed above it",
                sc.endings[f.ix()].title
            ),
            _ if holds => "holds now".to_owned(),
            _ => "did not hold".to_owned(),
        };
        let _ = writeln!(
            out,
            "\n  {}. “{}” ({:?}): {verdict}",
            i + 1,
            ending.title,
            ending.outcome
        );
        tree(ex, &ending.when, None, 2, out);
    }
}

/// Why each bot did not take each action it could have.
fn bot_actions(ex: &Exercise, watch: &Watch, seats: &[(RoleIx, BotSpec)], out: &mut String) {
    let sc = ex.scenario();
    let st = ex.state();
    if seats.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nWhat the bots did not do");
    for (role, spec) in seats {
        let r = sc.role(*role);
        let pushes: u32 = st
            .log
            .iter()
            .filter(|e| e.audience.includes(*role))
            .filter_map(|e| match e.kind {
                EventKind::InjectDelivered { inject, .. } => Some(bots::pushes(sc, *role, inject)),
                _ => None,
            })
            .sum();
        let given_in = bots::gives_in(spec, pushes, st.now);
        let mut lines = Vec::new();
        for (a, act) in sc.actions.iter().enumerate() {
            if !act.by.contains(role) {
                continue;
            }
            let taken_by_it = st.log.iter().any(|e| {
                matches!(&e.kind, EventKind::ActionTaken { action, by: Actor::Role(b), .. }
                    if action.ix() == a && b == role)
            });
            if taken_by_it {
                continue;
            }
            let track = &watch.tracks[role.ix()][a];
            let judged = sc
                .bots
                .iter()
                .find(|b| b.role == *role && b.spec.policy == spec.policy)
                .map(|b| &b.judgement);
            let picked = crate::engine::model::Picked::Act(
                crate::engine::model::ActionIx::at(a).expect("an action"),
            );
            let avoided = judged.and_then(|j| j.avoid.iter().find(|p| p.what == picked));
            let preferred = judged.and_then(|j| j.prefer.iter().find(|p| p.what == picked));
            let why = if let Some(p) = avoided {
                if p.when == Cond::Always {
                    "its persona avoids it (`avoid` in the file).".to_owned()
                } else {
                    format!(
                        "its persona avoids it while {} (`avoid` in the file).",
                        words(sc, &p.when)
                    )
                }
            } else if let Some(p) = preferred.filter(|p| !ex.holds_for(&p.when, Some(*role))) {
                format!(
                    "its persona takes it first only while {}, which did not hold at the end.",
                    words(sc, &p.when)
                )
            } else if let Some(w) = bots::declines(
                spec,
                act.kind,
                pushes > 0,
                given_in,
                ex.holds_for(&act.preapproved, Some(*role)),
            )
            .filter(|_| preferred.is_none())
            {
                format!("{w}.")
            } else if !act.repeatable && st.actions[a].first_taken.is_some() {
                "someone else took it first.".to_owned()
            } else if let Some(open) = track.first_open {
                if track.instead.is_empty() {
                    format!(
                        "it was open from {}, and the bot did nothing else before the end: it looks again {}–{} min after news, and the exercise ended first.",
                        clock(sc, open),
                        spec.reaction.0,
                        spec.reaction.1
                    )
                } else {
                    format!(
                        "it was open from {}, and the bot did what its policy puts first: {}.",
                        clock(sc, open),
                        track.instead.join("; ")
                    )
                }
            } else if r.level(act.domain) < act.authority
                && matches!(act.without_authority, WithoutAuthority::Refuse)
                && !ex.holds(&act.preapproved)
            {
                format!(
                    "it needs {} and {} has {}.",
                    sc.authority_words(act.domain, act.authority),
                    r.name,
                    r.level(act.domain)
                )
            } else {
                let mut t =
                    String::from("it was never open to the role; its condition at the end:\n");
                tree(ex, &act.available, Some(*role), 3, &mut t);
                t.trim_end().to_owned()
            };
            lines.push(format!("  - “{}”: {why}", act.name));
        }
        let _ = writeln!(
            out,
            "\n  {} (a {} bot){}",
            r.name,
            spec.policy.name(),
            if lines.is_empty() {
                ": took every step it could."
            } else {
                ""
            }
        );
        for l in lines {
            let _ = writeln!(out, "{l}");
        }
    }
}

/// The whole explanation of a finished (or stopped) run.
pub fn explain(ex: &Exercise, watch: &Watch, seats: &[(RoleIx, BotSpec)]) -> String {
    let mut out = String::new();
    endings(ex, &mut out);
    bot_actions(ex, watch, seats, &mut out);
    out
}
