//! The debrief that teaches (report section 9): the turning points, where the people's
//! choice differed from what the by-the-book bots did on the same seed, with where each
//! path led; the attack path revealed stage by stage, with what would have halted it; and
//! a word of advice to each role the people played.

use crate::engine::event::{Actor, EventKind};
use crate::engine::ids::RoleId;
use crate::engine::model::{Milestone, Scenario};
use crate::engine::state::State;

use super::document::{
    Advice, Debrief, Finding, Move, Moved, Path, PlayedBy, StageRow, TurningPoint,
};
use super::facts::Fact;
use super::metrics::Metrics;
use super::words::{
    action_name, clock, dur, option_label_of, outcome_word, question, quoted, stage_name,
};

/// The moves of a run (answers given and actions taken by the roles themselves, not those
/// an approval started for them), and where it led.
pub fn path_of(sc: &Scenario, st: &State, m: &Metrics) -> Path {
    let moves = st
        .log
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::DecisionMade {
                inject,
                option,
                by: Actor::Role(r),
            } => {
                let p = sc.inject(*inject).prompt.as_ref()?;
                Some(Moved {
                    at: e.at,
                    role: sc.role(*r).id.clone(),
                    what: Move::Answer {
                        inject: sc.inject(*inject).id.clone(),
                        option: p.options.get(usize::from(*option))?.id.clone(),
                    },
                })
            }
            EventKind::ActionTaken {
                action,
                by: Actor::Role(r),
                approved_by: None,
                ..
            } => Some(Moved {
                at: e.at,
                role: sc.role(*r).id.clone(),
                what: Move::Action {
                    action: sc.action(*action).id.clone(),
                },
            }),
            _ => None,
        })
        .collect();
    Path {
        moves,
        contained_at: m.milestones[Milestone::Contained.index()].at,
        stage: m
            .threat
            .as_ref()
            .map(|t| stage_name(sc, usize::from(t.index))),
        ended_at: m.ended_at,
    }
}

/// The most turning points the debrief lists (the earliest).
const TURNING_POINTS: usize = 8;

fn move_words(sc: &Scenario, m: &Move) -> String {
    match m {
        Move::Answer { inject, option } => format!(
            "answered {} with {}",
            quoted(&question(sc, inject.as_str())),
            quoted(&option_label_of(sc, inject.as_str(), option.as_str()))
        ),
        Move::Action { action } => format!("took {}", quoted(&action_name(sc, action.as_str()))),
    }
}

fn led_to(
    sc: &Scenario,
    p: &Path,
    ending: &str,
    outcome: Option<crate::engine::model::Outcome>,
) -> String {
    let contained = p.contained_at.map_or_else(
        || "never contained".to_owned(),
        |t| format!("contained at {} ({} in)", clock(sc, t), dur(t.minutes())),
    );
    let stage = p.stage.as_ref().map_or_else(String::new, |s| {
        format!("; the attacker reached {}", quoted(s))
    });
    format!(
        "{contained}{stage}; ended {} ({}) at {}",
        quoted(ending),
        outcome_word(outcome),
        clock(sc, p.ended_at)
    )
}

/// What a move of this run claims, as a fact about its log.
fn fact_of(sc: &Scenario, m: &Moved, mine: &Path) -> Option<Fact> {
    let r = sc.role_index(m.role.as_str())?;
    match &m.what {
        Move::Answer { inject, option } => {
            let i = sc.inject_index(inject.as_str())?;
            let o = sc
                .inject(i)
                .prompt
                .as_ref()?
                .options
                .iter()
                .position(|x| x.id == *option)?;
            Some(Fact::Answered(r, i, u16::try_from(o).ok()?, m.at))
        }
        Move::Action { action } => {
            let a = sc.action_index(action.as_str())?;
            let first = mine
                .moves
                .iter()
                .find(|x| x.role == m.role && x.what == m.what)
                .map(|x| x.at);
            Some(Fact::TookBy(r, a, first))
        }
    }
}

/// The turning points: the people's moves the bots did not make (or made otherwise), and
/// the bots' moves in the people's roles that the people did not make; earliest first;
/// with what each claims about this run.
fn turning_points(
    sc: &Scenario,
    mine: &Path,
    theirs: &Path,
    people: &[RoleId],
) -> Vec<(TurningPoint, Option<Fact>)> {
    let mut out: Vec<(TurningPoint, Option<Fact>)> = Vec::new();
    let name = |r: &RoleId| super::words::role_name(sc, r);
    for mv in mine.moves.iter().filter(|m| people.contains(&m.role)) {
        let differs = match &mv.what {
            Move::Answer { inject, option } => {
                let bot = theirs
                    .moves
                    .iter()
                    .find(|b| matches!(&b.what, Move::Answer { inject: i, .. } if i == inject));
                match bot {
                    Some(b) if matches!(&b.what, Move::Answer { option: o, .. } if o == option) => {
                        None
                    }
                    Some(b) => Some(format!(
                        "{} at {}",
                        move_words(sc, &b.what),
                        clock(sc, b.at)
                    )),
                    None => Some("were never asked this question".to_owned()),
                }
            }
            Move::Action { action } => {
                let took = theirs.moves.iter().any(|b| {
                    b.role == mv.role
                        && matches!(&b.what, Move::Action { action: a } if a == action)
                });
                (!took).then(|| "never took it".to_owned())
            }
        };
        if let Some(by_the_book) = differs {
            out.push((
                TurningPoint {
                    at: mv.at,
                    clock: clock(sc, mv.at),
                    role: name(&mv.role),
                    played: move_words(sc, &mv.what),
                    by_the_book,
                },
                fact_of(sc, mv, mine),
            ));
        }
    }
    // What the bots did in the people's roles that the people never did.
    for b in theirs.moves.iter().filter(|m| people.contains(&m.role)) {
        if let Move::Action { action } = &b.what {
            let done = mine.moves.iter().any(|m| {
                m.role == b.role && matches!(&m.what, Move::Action { action: a } if a == action)
            });
            if !done {
                out.push((
                    TurningPoint {
                        at: b.at,
                        clock: clock(sc, b.at),
                        role: name(&b.role),
                        played: format!("never took {}", quoted(&action_name(sc, action.as_str()))),
                        by_the_book: format!("took it at {}", clock(sc, b.at)),
                    },
                    fact_of(sc, b, mine),
                ));
            }
        }
    }
    out.sort_by_key(|(t, _)| t.at);
    out.dedup_by(|a, b| a.0.role == b.0.role && a.0.played == b.0.played);
    out.truncate(TURNING_POINTS);
    out
}

/// Section 9 of the report of the run whose state is `st`.
pub fn build(
    sc: &Scenario,
    st: &State,
    m: &Metrics,
    input: &super::ReportInput,
    improvements: &[Finding],
) -> Debrief {
    let mine = path_of(sc, st, m);
    let ending = m
        .ending_title
        .clone()
        .unwrap_or_else(|| "no ending".to_owned());
    let this_run = format!("This run: {}.", led_to(sc, &mine, &ending, m.outcome));
    let people: Vec<RoleId> = sc
        .roles
        .iter()
        .filter(|r| matches!(input.played_by(&r.id), PlayedBy::Person | PlayedBy::Script))
        .map(|r| r.id.clone())
        .collect();
    let (by_the_book_run, points) = match &input.comparison {
        Some(c) => (
            format!(
                "Played by the book from the same seed: {}.",
                led_to(sc, &c.path, &c.ending_title, c.outcome)
            ),
            turning_points(sc, &mine, &c.path, &people),
        ),
        None => (String::new(), Vec::new()),
    };
    let attack_path = sc
        .threat
        .as_ref()
        .map(|t| {
            t.stages
                .iter()
                .enumerate()
                .map(|(i, s)| StageRow {
                    stage: s.name.clone(),
                    reached: m
                        .threat
                        .as_ref()
                        .and_then(|x| x.entered.get(i))
                        .and_then(|(_, at)| *at)
                        .map(|at| clock(sc, at)),
                    description: s.description.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let halted_by = sc
        .threat
        .as_ref()
        .map(|t| crate::words::cond::cond(sc, &t.halted_when))
        .filter(|s| s != "never")
        .map_or_else(String::new, |s| format!("The attack stops when {s}."));
    let facts = points.iter().filter_map(|(_, f)| f.clone()).collect();
    let turning_points: Vec<TurningPoint> = points.into_iter().map(|(t, _)| t).collect();
    let advice = people
        .iter()
        .map(|r| {
            let name = super::words::role_name(sc, r);
            let mut parts = Vec::new();
            // For the player: the first place their path left the by-the-book one.
            if let Some(t) = turning_points.iter().find(|t| t.role == name) {
                parts.push(format!(
                    "In play, your path first left the by-the-book one at {}: you {}, where the bots {}.",
                    t.clock, t.played, t.by_the_book
                ));
            }
            // For the organisation: the first area for improvement this role owns.
            if let Some(f) = improvements.iter().find(|f| f.owner.as_ref() == Some(r)) {
                parts.push(format!(
                    "For the organisation: {}; the area for improvement behind it: {}.",
                    f.corrective_action.trim_end_matches('.'),
                    f.title.trim_end_matches('.')
                ));
            }
            if parts.is_empty() {
                parts.push("Nothing in this run asks you to play this role differently: keep what worked, and try it from another seat next time.".to_owned());
            }
            Advice {
                role: name,
                text: parts.join(" "),
            }
        })
        .collect();
    Debrief {
        this_run,
        by_the_book_run,
        turning_points,
        attack_path,
        halted_by,
        advice,
        facts,
    }
}

/// A part of the debrief as every format prints it: a heading, paragraphs and a list.
pub struct Block {
    pub heading: &'static str,
    pub paragraphs: Vec<String>,
    pub items: Vec<String>,
}

/// The debrief as blocks of text, the same in every format.
pub fn blocks(d: &Debrief) -> Vec<Block> {
    let mut paths = vec![d.this_run.clone()];
    let items: Vec<String> = d
        .turning_points
        .iter()
        .map(|t| {
            format!(
                "{}, the {}: {}; by the book, the bots {}.",
                t.clock, t.role, t.played, t.by_the_book
            )
        })
        .collect();
    if d.by_the_book_run.is_empty() {
        paths.push("No by-the-book run of the same seed was made to compare with.".to_owned());
    } else {
        paths.push(d.by_the_book_run.clone());
        if items.is_empty() {
            paths.push("The people made no move the by-the-book bots did not make, and left none they made.".to_owned());
        } else {
            paths.push(
                "Where the people's moves and the by-the-book bots' parted, earliest first:"
                    .to_owned(),
            );
        }
    }
    let stages: Vec<String> = d
        .attack_path
        .iter()
        .map(|s| {
            let when = s
                .reached
                .as_ref()
                .map_or_else(|| "not reached".to_owned(), |t| format!("reached at {t}"));
            if s.description.trim().is_empty() {
                format!("{}: {when}.", s.stage)
            } else {
                format!("{}: {when}. {}", s.stage, s.description.trim())
            }
        })
        .collect();
    let mut attack = Vec::new();
    if stages.is_empty() {
        attack.push("This exercise has no scripted attacker.".to_owned());
    } else if !d.halted_by.is_empty() {
        attack.push(d.halted_by.clone());
    }
    let advice: Vec<String> = d
        .advice
        .iter()
        .map(|a| format!("For the {}: {}", a.role, a.text))
        .collect();
    let advice_intro = if advice.is_empty() {
        vec![
            "Nobody played a role in person: the areas for improvement speak to the organisation."
                .to_owned(),
        ]
    } else {
        Vec::new()
    };
    vec![
        Block {
            heading: "Where the paths parted",
            paragraphs: paths,
            items,
        },
        Block {
            heading: "The attack path, revealed",
            paragraphs: attack,
            items: stages,
        },
        Block {
            heading: "Advice to the players",
            paragraphs: advice_intro,
            items: advice,
        },
    ]
}
