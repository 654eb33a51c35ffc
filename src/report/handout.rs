//! Handouts, made from the scenario alone before anyone plays: a participant's packet
//! (`ttx handout SCENARIO --role ROLE`: the role's briefing card, its authority, its
//! contacts, a glossary of the terms it uses) and the facilitator's situation manual
//! (`--facilitator`: objectives and how they are rated, the roles, the timeline of injects,
//! the decisions, every action, the threat, every ending, the draws, the contingency injects
//! and what sets each message off). A participant's packet holds only text of that role's
//! audience (`tests/handouts.rs` tags every text to hold it).

use serde::Serialize;

use crate::engine::ids::Seat;
use crate::engine::model::{Cond, RoleIx, Scenario, Trigger, WithoutAuthority};
use crate::words::briefing::{self, Briefing};
use crate::words::cond::{cond, delay, effects, later};
use crate::words::glossary;
use crate::words::names::{dur, list, outcome_word, quoted, side, when};

mod render;
pub use render::{html, markdown};

/// A handout: a title, what it is and who may read it, and its parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Handout {
    /// The scenario's title.
    pub title: String,
    /// What the handout is (`Participant packet: MSSP SOC analyst`).
    pub kind: String,
    /// Who may read it.
    pub marking: String,
    pub parts: Vec<Part>,
}

/// A part of a handout: a heading, paragraphs, a list, then a table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Part {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub items: Vec<String>,
    pub table: Option<Table>,
}

/// A table with a header row.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Part {
    fn new(heading: &str) -> Part {
        Part {
            heading: heading.to_owned(),
            ..Part::default()
        }
    }

    fn para(mut self, text: impl Into<String>) -> Part {
        let text = text.into();
        if !text.trim().is_empty() {
            self.paragraphs.push(text);
        }
        self
    }

    fn table(mut self, headers: &[&str], rows: Vec<Vec<String>>) -> Part {
        if !rows.is_empty() {
            self.table = Some(Table {
                headers: headers.iter().map(|h| (*h).to_owned()).collect(),
                rows,
            });
        }
        self
    }

    fn is_empty(&self) -> bool {
        self.paragraphs.is_empty() && self.items.is_empty() && self.table.is_none()
    }
}

/// The packet of role `r`: its briefing card and a glossary of the terms it uses.
pub fn participant(sc: &Scenario, r: RoleIx) -> Handout {
    let role = sc.role(r);
    let card = briefing::card(sc, &Seat::Role(role.id.clone()));
    let mut parts: Vec<Part> = card_parts(&card, &sc.title);
    let text = briefing::lines(&card).join("\n");
    let terms = glossary::used_in(&text);
    parts.push(
        Part::new("Glossary").table(
            &["Term", "Meaning"],
            terms
                .iter()
                .map(|t| vec![t.term.to_owned(), t.meaning.to_owned()])
                .collect(),
        ),
    );
    parts.push(Part::new("Notes").para(
        "Keep this packet to yourself until the exercise is over: the other roles have \
         their own, and part of the exercise is what each side does not know.",
    ));
    parts.retain(|p| !p.is_empty());
    Handout {
        title: sc.title.clone(),
        kind: format!("Participant packet: {}", role.name),
        marking: format!("For the {} only.", role.name),
        parts,
    }
}

fn card_parts(card: &Briefing, title: &str) -> Vec<Part> {
    let mut who = Part::new(&card.name).para(card.persona.clone());
    who.heading = format!("You are: {}", card.name);
    std::iter::once(who)
        .chain(card.sections.iter().map(|s| {
            Part {
                heading: s.heading.clone(),
                // The title heads the page already.
                paragraphs: s
                    .paragraphs
                    .iter()
                    .filter(|p| **p != title)
                    .cloned()
                    .collect(),
                items: s.items.clone(),
                table: None,
            }
        }))
        .collect()
}

/// The facilitator's situation manual: everything in the scenario, in words.
pub fn facilitator(sc: &Scenario) -> Handout {
    let mut parts = vec![
        overview(sc),
        roles(sc),
        objectives(sc),
        modules(sc),
        timeline(sc),
        decisions(sc),
        actions(sc),
        threat(sc),
        endings(sc),
        draws(sc),
    ];
    parts.retain(|p| !p.is_empty());
    Handout {
        title: sc.title.clone(),
        kind: "Situation manual".to_owned(),
        marking: "For the facilitator only: it holds every role's secrets, the injects to \
                  come and how the exercise ends."
            .to_owned(),
        parts,
    }
}

fn overview(sc: &Scenario) -> Part {
    let threat = sc.threat.as_ref().map_or_else(
        || "none".to_owned(),
        |t| format!("{} ({} stages)", t.name, t.stages.len()),
    );
    Part::new("Overview")
        .para(sc.summary.clone())
        .para(if sc.notes.is_empty() {
            String::new()
        } else {
            format!("Notes for the facilitator: {}", sc.notes)
        })
        .table(
            &["", ""],
            vec![
                vec![
                    "Starts".into(),
                    when(sc, crate::engine::time::GameTime::ZERO),
                ],
                vec![
                    "Runs for".into(),
                    format!("at most {}", dur(sc.end.minutes())),
                ],
                vec![
                    "Roles".into(),
                    list(&sc.roles.iter().map(|r| r.name.clone()).collect::<Vec<_>>()),
                ],
                vec!["Threat".into(), threat],
                vec![
                    "Seeds".into(),
                    "Every run is seeded: the same seed and the same decisions replay the \
                     same exercise, draws included."
                        .into(),
                ],
            ],
        )
}

fn roles(sc: &Scenario) -> Part {
    let rows = sc
        .roles
        .iter()
        .zip(RoleIx::all(sc.roles.len()))
        .map(|(r, ix)| {
            let reach = if r.reachable == Cond::Always {
                "always".to_owned()
            } else if r.unreachable_note.is_empty() {
                format!("when {}", cond(sc, &r.reachable))
            } else {
                format!("when {} ({})", cond(sc, &r.reachable), r.unreachable_note)
            };
            vec![
                r.name.clone(),
                r.persona.clone(),
                side(r.side).to_owned(),
                sc.levels(r),
                reach,
                sc.default_bot(ix).policy.name().to_owned(),
            ]
        })
        .collect();
    Part::new("Roles")
        .para(
            "Each role's own packet (ttx handout SCENARIO --role ROLE) has its brief, \
             authority, contacts and actions. A role nobody plays is played by its bot, or by \
             nobody.",
        )
        .table(
            &[
                "Role",
                "Persona",
                "Side",
                "Authority",
                "Can be reached",
                "Bot when nobody plays it",
            ],
            rows,
        )
}

fn objectives(sc: &Scenario) -> Part {
    let rows = sc
        .objectives
        .iter()
        .map(|o| {
            let mut rules: Vec<String> = o
                .ratings
                .iter()
                .map(|(r, c)| format!("{r:?} when {}", cond(sc, c)))
                .collect();
            rules.push("otherwise U".into());
            if let Some(a) = &o.applies {
                rules.push(format!("N (not evaluated) unless {}", cond(sc, a)));
            }
            vec![o.text.clone(), rules.join("; ")]
        })
        .collect();
    Part::new("Objectives")
        .para(
            "Rated on the HSEEP scale at the end: P performed, S with some challenges, M with \
             major challenges, U unable to be performed; N not evaluated when the \
             facilitator ends the exercise early, or when the situation an objective is about \
             never arose.",
        )
        .table(&["Objective", "How it is rated"], rows)
}

fn modules(sc: &Scenario) -> Part {
    if sc.modules.is_empty() {
        return Part::new("Modules and discussion questions");
    }
    let rows = sc
        .modules
        .iter()
        .map(|m| {
            let questions: Vec<String> = m
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| format!("{}. {q}", i + 1))
                .collect();
            vec![m.title.clone(), when(sc, m.at), questions.join(" ")]
        })
        .collect();
    Part::new("Modules and discussion questions")
        .para(
            "Call a discussion break in each module (d on the facilitator's console: the \
             clock waits); what the room says goes into the report under the module.",
        )
        .table(&["Module", "Begins", "Questions for the room"], rows)
}

fn recipients(sc: &Scenario, to: crate::engine::model::Audience) -> String {
    let names: Vec<String> = to.roles().map(|r| sc.role(r).name.clone()).collect();
    if names.is_empty() {
        "facilitator only".into()
    } else {
        list(&names)
    }
}

/// What sends each inject: its time, its condition, or the effects that schedule it.
fn sent_by(sc: &Scenario, i: usize) -> String {
    let ix = crate::engine::model::InjectIx::at(i).unwrap_or_default();
    let inj = &sc.injects[i];
    match &inj.trigger {
        Trigger::At(t) => when(sc, *t),
        Trigger::When(c, d) => {
            let after = match d {
                crate::engine::model::Delay::Minutes(0) => String::new(),
                d @ (crate::engine::model::Delay::Until(_)
                | crate::engine::model::Delay::NextTimeOfDay(_)) => format!(", {}", later(sc, *d)),
                d => format!(", {} later", delay(sc, *d)),
            };
            format!("when {}{after}", cond(sc, c))
        }
        Trigger::Manual => {
            let by = schedulers(sc, ix);
            match (by.is_empty(), inj.contingency) {
                (_, true) => "contingency: fired by the facilitator if needed".to_owned(),
                (true, false) => "only when the facilitator fires it".to_owned(),
                (false, false) => format!("set off by {}", list(&by)),
            }
        }
    }
}

/// What schedules inject `ix`: actions, answers, stages, other injects.
fn schedulers(sc: &Scenario, ix: crate::engine::model::InjectIx) -> Vec<String> {
    use crate::engine::model::Effect;
    let schedules = |es: &[Effect]| {
        let mut found = false;
        Effect::walk(es, &mut |e| {
            found |= matches!(e, Effect::Schedule(i, _) if *i == ix);
        });
        found
    };
    let mut by = Vec::new();
    for a in sc.actions.iter().filter(|a| schedules(&a.effects)) {
        by.push(quoted(&a.name));
    }
    for inj in &sc.injects {
        if schedules(&inj.effects) {
            by.push(quoted(&crate::words::names::inject_name(
                sc,
                inj.id.as_str(),
            )));
        }
        for o in inj.prompt.iter().flat_map(|p| &p.options) {
            if schedules(&o.effects) {
                by.push(format!("the answer {}", quoted(&o.label)));
            }
        }
    }
    for s in sc.threat.iter().flat_map(|t| &t.stages) {
        if schedules(&s.effects) {
            by.push(format!("the threat stage {}", quoted(&s.name)));
        }
    }
    by
}

fn timeline(sc: &Scenario) -> Part {
    let mut order: Vec<usize> = (0..sc.injects.len()).collect();
    // Timed injects first, by time; then the rest in file order.
    order.sort_by_key(|i| match sc.injects[*i].trigger {
        Trigger::At(t) => (0, t.minutes(), *i),
        Trigger::When(..) => (1, 0, *i),
        Trigger::Manual => (2, 0, *i),
    });
    let rows = order
        .into_iter()
        .map(|i| {
            let inj = &sc.injects[i];
            vec![
                sent_by(sc, i),
                inj.channel.label().to_owned(),
                inj.from.to_string(),
                recipients(sc, inj.to),
                crate::words::names::inject_name(sc, inj.id.as_str()),
                effects(sc, &inj.effects).join("; "),
            ]
        })
        .collect();
    Part::new("Injects")
        .para(
            "Every message of the exercise: timed ones first, then those a condition sends, \
             then those something sets off or the facilitator fires (contingency injects are \
             for a room that needs a push).",
        )
        .table(
            &["Sent", "Channel", "From", "To", "Subject", "Effects"],
            rows,
        )
}

fn decisions(sc: &Scenario) -> Part {
    let rows = sc
        .injects
        .iter()
        .filter_map(|inj| inj.prompt.as_ref().map(|p| (inj, p)))
        .map(|(inj, p)| {
            let by = if p.by.is_empty() {
                recipients(sc, inj.to)
            } else {
                list(
                    &p.by
                        .iter()
                        .map(|r| sc.role(*r).name.clone())
                        .collect::<Vec<_>>(),
                )
            };
            let options: Vec<String> = p
                .options
                .iter()
                .enumerate()
                .map(|(k, o)| {
                    let authority = if o.authority > 0 {
                        format!(" ({})", sc.authority_words(o.domain, o.authority))
                    } else {
                        String::new()
                    };
                    let fx = effects(sc, &o.effects).join(", ");
                    let fx = if fx.is_empty() {
                        String::new()
                    } else {
                        format!(": {fx}")
                    };
                    let when = match &o.available {
                        crate::engine::model::Cond::Always => String::new(),
                        c => format!(" (offered only when {})", cond(sc, c)),
                    };
                    format!("{}. {}{when}{authority}{fx}", k + 1, o.label)
                })
                .collect();
            let limit = match (p.deadline, p.default) {
                (Some(m), Some(d)) => format!(
                    "{}; then {}",
                    dur(m),
                    p.options
                        .get(usize::from(d))
                        .map_or_else(String::new, |o| quoted(&o.label))
                ),
                (Some(m), None) => format!("{}; then it lapses", dur(m)),
                _ => "none".to_owned(),
            };
            vec![p.question.to_string(), by, options.join(" · "), limit]
        })
        .collect();
    Part::new("Decisions").table(&["Question", "Answered by", "Options", "Time limit"], rows)
}

fn actions(sc: &Scenario) -> Part {
    let rows = sc
        .actions
        .iter()
        .map(|a| {
            let by = list(
                &a.by
                    .iter()
                    .map(|r| sc.role(*r).name.clone())
                    .collect::<Vec<_>>(),
            );
            let n = match sc.domain_name(a.domain) {
                None => a.authority.to_string(),
                Some(d) => format!("{} ({d})", a.authority),
            };
            let authority = match (&a.without_authority, a.authority) {
                (_, 0) => "none".to_owned(),
                (WithoutAuthority::Refuse, _) => format!("{n}; refused without it"),
                (WithoutAuthority::Approval(who), _) => format!(
                    "{n}; else approval from {}",
                    list(
                        &who.iter()
                            .map(|r| sc.role(*r).name.clone())
                            .collect::<Vec<_>>()
                    )
                ),
            };
            let authority = if a.preapproved == Cond::Never {
                authority
            } else {
                format!(
                    "{authority}; pre-approved when {}",
                    cond(sc, &a.preapproved)
                )
            };
            let available = if a.available == Cond::Always {
                "always".to_owned()
            } else {
                cond(sc, &a.available)
            };
            vec![
                by,
                a.name.clone(),
                if a.duration == 0 {
                    "at once".to_owned()
                } else {
                    dur(a.duration)
                },
                authority,
                available,
                effects(sc, &a.effects).join("; "),
            ]
        })
        .collect();
    Part::new("Actions").table(
        &[
            "By",
            "Action",
            "Takes",
            "Authority",
            "Possible when",
            "Effects",
        ],
        rows,
    )
}

fn threat(sc: &Scenario) -> Part {
    let Some(t) = &sc.threat else {
        return Part::new("The threat");
    };
    let rows = t
        .stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // The stage it follows, by name when it is not simply the one before.
            let before = match s.from {
                Some(f) if f.ix() + 1 != i => format!("“{}”", t.stages[usize::from(f)].name),
                _ => "the stage before".to_owned(),
            };
            let when = match &s.when {
                Cond::Always => String::new(),
                c => format!(", only if {}", cond(sc, c)),
            };
            vec![
                s.name.clone(),
                if i == 0 {
                    "at the start".to_owned()
                } else {
                    let at = match s.after {
                        crate::engine::model::Delay::Until(_)
                        | crate::engine::model::Delay::NextTimeOfDay(_) => {
                            format!("{}, after {before}", later(sc, s.after))
                        }
                        d => format!("{} in {before}", later(sc, d)),
                    };
                    format!("{at}{when}")
                },
                effects(sc, &s.effects).join("; "),
            ]
        })
        .collect();
    Part::new("The threat")
        .para(format!(
            "{}. Halted when {}. Seen by: {}.",
            t.name,
            cond(sc, &t.halted_when),
            recipients(sc, t.audience)
        ))
        .table(&["Stage", "Reached", "Effects"], rows)
}

fn endings(sc: &Scenario) -> Part {
    let rows = sc
        .endings
        .iter()
        .map(|e| {
            vec![
                e.title.clone(),
                outcome_word(Some(e.outcome)).to_owned(),
                cond(sc, &e.when),
                if e.epilogue > 0 {
                    format!("the story runs on {}", dur(e.epilogue))
                } else {
                    "ends at once".to_owned()
                },
                e.text.clone(),
            ]
        })
        .collect();
    Part::new("Endings")
        .para(
            "Checked in this order after every moment; the first whose condition holds ends \
             the exercise.",
        )
        .table(
            &["Ending", "Outcome", "When", "Then", "What the players read"],
            rows,
        )
}

fn draws(sc: &Scenario) -> Part {
    use crate::engine::model::DrawKind;
    let rows = sc
        .draws
        .iter()
        .map(|d| {
            let kind = match d.kind {
                DrawKind::Chance { percent } => format!("yes {percent}% of the time"),
                DrawKind::Range { min, max } => format!("a whole number from {min} to {max}"),
                DrawKind::Deck { size } => {
                    format!("a card from 1 to {size}, dealt without replacement")
                }
            };
            vec![d.note.clone(), kind]
        })
        .collect();
    Part::new("The draws")
        .para("Drawn from the seed at the start (and again where an effect says so).")
        .table(&["What is drawn", "Values"], rows)
}
