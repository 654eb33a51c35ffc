//! `ttx lint`: what a scenario says that no play can bear out, found by reading the file
//! ([`statics`]) and by a bounded exploration of its decision space ([`explore`]). Each
//! finding points at the place in the file it concerns, as a warning with a help line.

mod explore;
mod places;
mod statics;

use serde::Serialize;

use crate::engine::model::{Scenario, Trigger};
use crate::scenario::Diagnostic;
use crate::scenario::Severity;
use crate::scenario::locate::Seg;
use crate::scenario::locator::Locator;

pub use explore::Explored;

/// The kinds of warning, each with the name a facilitator can look up in the
/// documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Kind {
    NeverHolds,
    ReadNeverSet,
    SetNeverRead,
    NeverFires,
    Shadowed,
    Unreached,
    Reopened,
    OfferedEarly,
    HearsNothing,
    NeverP,
    AlwaysP,
    FixedBranch,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::NeverHolds,
        Kind::ReadNeverSet,
        Kind::SetNeverRead,
        Kind::NeverFires,
        Kind::Shadowed,
        Kind::Unreached,
        Kind::Reopened,
        Kind::OfferedEarly,
        Kind::HearsNothing,
        Kind::NeverP,
        Kind::AlwaysP,
        Kind::FixedBranch,
    ];

    /// The warning's name, as printed after it and documented.
    pub fn code(self) -> &'static str {
        match self {
            Kind::NeverHolds => "never-holds",
            Kind::ReadNeverSet => "never-set",
            Kind::SetNeverRead => "never-read",
            Kind::NeverFires => "never-fires",
            Kind::Shadowed => "shadowed-ending",
            Kind::Unreached => "unreached",
            Kind::Reopened => "reopened-prompt",
            Kind::OfferedEarly => "offered-early",
            Kind::HearsNothing => "hears-nothing",
            Kind::NeverP => "never-p",
            Kind::AlwaysP => "always-p",
            Kind::FixedBranch => "fixed-branch",
        }
    }
}

/// One thing the linter found, where it was written.
#[derive(Clone, Debug)]
pub struct Finding {
    pub kind: Kind,
    pub at: Vec<Seg>,
    pub message: String,
    pub help: String,
}

impl Finding {
    fn new(kind: Kind, at: Vec<Seg>, message: String, help: &str) -> Finding {
        Finding {
            kind,
            at,
            message,
            help: help.to_owned(),
        }
    }
}

/// How many plays `ttx lint` explores unless told otherwise: every bundled scenario in about
/// a second on two cores (docs/performance.md).
pub const DEFAULT_PLAYS: u64 = 10_000;

/// What `lint` found, and how much of the decision space it explored.
#[derive(Debug)]
pub struct Linted {
    pub findings: Vec<Finding>,
    pub explored: Explored,
}

/// Lints a scenario: everything its text shows, then `plays` explored plays from `seed`.
pub fn lint(sc: &std::sync::Arc<Scenario>, plays: u64, seed: u64) -> Linted {
    let facts = statics::Facts::of(sc);
    let mut findings = Vec::new();
    statics::check(sc, &facts, &mut findings);
    let explored = explore::explore(sc, plays, seed);
    dynamic(sc, &explored, &mut findings);
    Linted { findings, explored }
}

/// What the plays show: what none reached, and what went wrong on the way. Nothing is said
/// twice: what the text alone already shows is not reported again.
fn dynamic(sc: &Scenario, x: &Explored, out: &mut Vec<Finding>) {
    use Seg::{Field as F, Index as I};
    let flagged = |out: &Vec<Finding>, kind: Kind, at: &[Seg]| {
        out.iter().any(|f| f.kind == kind && f.at.starts_with(at))
    };
    let plays = x.plays;
    for (i, inj) in sc.injects.iter().enumerate() {
        let place = vec![F("injects"), I(i)];
        if x.cover.injects()[i] == 0 {
            if let Trigger::When(..) = inj.trigger {
                if !flagged(out, Kind::NeverFires, &place) {
                    out.push(Finding::new(
                        Kind::NeverFires,
                        vec![F("injects"), I(i), F("when")],
                        format!("inject `{}` never fired in {plays} explored plays: its `when` never held", inj.id),
                        "check what its condition waits for: is it set, taken or delivered in some play?",
                    ));
                }
            } else {
                out.push(Finding::new(
                    Kind::Unreached,
                    vec![F("injects"), I(i), F("id")],
                    format!(
                        "inject `{}` was never delivered in {plays} explored plays",
                        inj.id
                    ),
                    "check what schedules it, and that it is scheduled before the exercise ends",
                ));
            }
            continue;
        }
        if let Some(p) = &inj.prompt {
            for (o, opt) in p.options.iter().enumerate() {
                if x.cover.options()[i][o] == 0 {
                    let most =
                        p.by.iter()
                            .map(|r| sc.role(*r).level(opt.domain))
                            .max()
                            .unwrap_or(0);
                    let why = if opt.authority > most {
                        format!(
                            "it needs {} and those who may answer have at most {most}",
                            sc.authority_words(opt.domain, opt.authority)
                        )
                    } else {
                        "no role that may answer chose it".to_owned()
                    };
                    out.push(Finding::new(
                        Kind::Unreached,
                        vec![F("injects"), I(i), F("prompt"), F("options"), I(o), F("id")],
                        format!("answer `{}` to inject `{}` was never given in {plays} explored plays: {why}", opt.id, inj.id),
                        "if the answer is there to show what the role may not decide, say so with `// lint: allow(unreached)` above it; else check its `authority` and who may answer (`by:`)",
                    ));
                }
            }
            if let Some((first, again)) = x.reopened[i] {
                out.push(Finding::new(
                    Kind::Reopened,
                    vec![F("injects"), I(i), F("prompt")],
                    format!(
                        "inject `{}` can be delivered again while its question is still open: in an explored play it was asked at {} and again at {}, which replaced the open question",
                        inj.id,
                        sc.start.clock(first),
                        sc.start.clock(again)
                    ),
                    "schedule it once, or `Cancel` it before it is scheduled again",
                ));
            }
        }
    }
    for (a, act) in sc.actions.iter().enumerate() {
        if x.cover.actions()[a] == 0 {
            out.push(Finding::new(
                Kind::Unreached,
                vec![F("actions"), I(a), F("id")],
                format!("action `{}` was never taken in {plays} explored plays: it was never available to a role that could take it", act.id),
                "check its `available` condition, its roles' `reachable` and the authority it needs",
            ));
        }
        if let Some((r, t)) = x.offered_early[a] {
            out.push(Finding::new(
                Kind::OfferedEarly,
                vec![F("actions"), I(a), F("available")],
                format!(
                    "action `{}` is offered to `{}` at {}, before anything has reached that role: a bot may take it before any alert, and a player wonders why",
                    act.id,
                    sc.role(r).id,
                    sc.start.clock(t)
                ),
                "gate it on what tells the role, e.g. `available: Delivered(\"first_alert\")`",
            ));
        }
    }
    for (e, end) in sc.endings.iter().enumerate() {
        let place = vec![F("endings"), I(e)];
        let explained =
            flagged(out, Kind::Shadowed, &place) || flagged(out, Kind::NeverHolds, &place);
        if !x.cover.reached(e) && !explained {
            out.push(Finding::new(
                Kind::Unreached,
                vec![F("endings"), I(e), F("id")],
                format!(
                    "ending `{}` was never reached in {plays} explored plays",
                    end.id
                ),
                "check its condition, and that no ending above it holds first",
            ));
        }
    }
    for (o, obj) in sc.objectives.iter().enumerate() {
        let place = vec![F("objectives"), I(o)];
        if flagged(out, Kind::NeverP, &place) || flagged(out, Kind::AlwaysP, &place) {
            continue;
        }
        if x.rated_p[o] == 0 {
            out.push(Finding::new(
                Kind::NeverP,
                vec![F("objectives"), I(o), F("id")],
                format!(
                    "objective `{}` was rated P in none of {plays} explored plays",
                    obj.id
                ),
                "check that its P condition can be met before the exercise ends",
            ));
        } else if x.rated_p[o] == plays {
            out.push(Finding::new(
                Kind::AlwaysP,
                vec![F("objectives"), I(o), F("id")],
                format!("objective `{}` was rated P in all {plays} explored plays, including one where nobody did anything: it cannot be missed", obj.id),
                "rate it on what the players did, so that some play misses it",
            ));
        }
    }
}

/// The findings as warnings at their places in the file, each with its kind, in the order
/// of the file; and how many the file allows where they are.
///
/// A finding is allowed by a comment `// lint: allow(KIND)` on the line it points at or
/// the line above (several kinds: `allow(unreached, never-p)`): the author says the thing
/// is meant.
pub fn diagnostics(file: &str, text: &str, linted: &Linted) -> (Vec<(Kind, Diagnostic)>, usize) {
    let at = Locator::new(file, text);
    let mut allowed = 0;
    let mut out: Vec<(Kind, Diagnostic)> = Vec::new();
    for f in &linted.findings {
        let d = at.diagnostic(
            Severity::Warning,
            &f.at,
            format!("{} [{}]", f.message, f.kind.code()),
            Some(f.help.clone()),
        );
        let lines = at.lines();
        let here = [d.line.saturating_sub(1), d.line]
            .iter()
            .filter(|l| **l > 0)
            .any(|l| allows(lines.line(text, *l), f.kind));
        if here {
            allowed += 1;
        } else {
            out.push((f.kind, d));
        }
    }
    out.sort_by(|(_, a), (_, b)| (a.line, a.col, &a.message).cmp(&(b.line, b.col, &b.message)));
    (out, allowed)
}

/// Whether a line's comment allows a kind of finding: `// lint: allow(unreached)`.
fn allows(line: &str, kind: Kind) -> bool {
    let Some((_, comment)) = line.split_once("//") else {
        return false;
    };
    let Some((_, rest)) = comment.split_once("lint: allow(") else {
        return false;
    };
    rest.split(')')
        .next()
        .is_some_and(|list| list.split(',').any(|k| k.trim() == kind.code()))
}

/// How much the exploration covered, in one paragraph.
pub fn coverage(sc: &Scenario, x: &Explored) -> String {
    let reached = |v: &[u64]| v.iter().filter(|n| **n > 0).count();
    let options = x.cover.options();
    let answers: usize = options.iter().map(Vec::len).sum();
    let given: usize = options.iter().map(|o| reached(o)).sum();
    format!(
        "explored {} plays ({} decisions, {} distinct paths): reached {} of {} injects, {} of {} answers, {} of {} actions, {} of {} endings",
        x.plays,
        x.decisions,
        x.paths(),
        reached(x.cover.injects()),
        sc.injects.len(),
        given,
        answers,
        reached(x.cover.actions()),
        sc.actions.len(),
        (0..sc.endings.len())
            .filter(|e| x.cover.reached(*e))
            .count(),
        sc.endings.len()
    )
}
