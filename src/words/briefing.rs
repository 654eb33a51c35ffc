//! A seat's briefing card in words: who the role is, its brief, its authority, whom it can
//! reach and how, and what it can do. The card a seat sees at the start and on a key, and
//! the heart of a participant's handout. Only text the role may read goes in: its own
//! briefing and actions, role names and channels, and the scenario's public summary (never
//! its facilitator notes, another role's brief or another role's actions by name).

use serde::Serialize;

use crate::engine::ids::Seat;
use crate::engine::model::{Cond, Domain, RoleIx, Scenario, Side, WithoutAuthority};

use super::names::{dur, list};

/// A briefing card: a heading, a line under it, and sections of text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Briefing {
    /// The role's name (or `Facilitator`).
    pub name: String,
    /// The persona (or what the facilitator does).
    pub persona: String,
    pub sections: Vec<Section>,
}

/// A part of a card: a heading, paragraphs, then a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub items: Vec<String>,
}

impl Section {
    fn new(heading: &str) -> Section {
        Section {
            heading: heading.to_owned(),
            paragraphs: Vec::new(),
            items: Vec::new(),
        }
    }

    fn para(mut self, text: impl Into<String>) -> Section {
        let text = text.into();
        if !text.trim().is_empty() {
            self.paragraphs.push(text);
        }
        self
    }

    fn is_empty(&self) -> bool {
        self.paragraphs.is_empty() && self.items.is_empty()
    }
}

/// The card of `seat`; a role the scenario does not have gets its name alone.
pub fn card(sc: &Scenario, seat: &Seat) -> Briefing {
    match seat {
        Seat::Facilitator => facilitator(sc),
        Seat::Evaluator => evaluator(sc),
        Seat::Role(id) => match sc.role_index(id.as_str()) {
            Some(r) => role(sc, r),
            None => Briefing {
                name: id.to_string(),
                persona: String::new(),
                sections: Vec::new(),
            },
        },
    }
}

/// The exercise as everyone may read it: its title and public summary.
fn exercise(sc: &Scenario) -> Section {
    Section::new("The exercise")
        .para(sc.title.clone())
        .para(sc.summary.clone())
}

fn role(sc: &Scenario, r: RoleIx) -> Briefing {
    let role = sc.role(r);
    let mut sections = vec![exercise(sc)];
    let mut brief = Section::new("Your brief").para(role.briefing.clone());
    if sc.has_boundary() {
        brief = brief.para(side_words(role.side));
    }
    if role.reachable != Cond::Always {
        brief = brief.para(
            "At times nobody can reach you (asleep, off shift, in the air): the others \
             must get hold of you first, and until they do you cannot act.",
        );
    }
    sections.push(brief);
    sections.push(authority(sc, r));
    if let Some(s) = turns(sc, r) {
        sections.push(s);
    }
    sections.push(reach(sc, r, Direction::From));
    sections.push(reach(sc, r, Direction::To));
    sections.push(actions(sc, r));
    sections.retain(|s| !s.is_empty());
    Briefing {
        name: role.name.clone(),
        persona: role.persona.clone(),
        sections,
    }
}

fn side_words(side: Side) -> &'static str {
    match side {
        Side::Management => {
            "You are on the business side: incident management, priorities, and the \
             authority to accept risk."
        }
        Side::Response => {
            "You are on the response side: the hands-on technical work, across the \
             commercial boundary from the business you protect."
        }
        Side::Other => "You are neither the business nor its responders: another party.",
    }
}

/// The rules of a scenario played in turns, for this role: how long a turn is, how many, and
/// what the role may spend in each.
fn turns(sc: &Scenario, r: RoleIx) -> Option<Section> {
    let t = sc.turns?;
    let budget = sc.budget(r)?;
    let count = sc.turn_count()?;
    let unit = if budget == 1 { "action" } else { "actions" };
    Some(Section::new("Turns").para(format!(
        "Played in {count} turns of {}. In each turn you may take {budget} {unit}; an \
         action costs one unless the list below says otherwise. Answering a question and \
         approving or denying a request are free. What you do not spend is not carried over.",
        dur(t.minutes)
    )))
}

/// The role's authority against the others', and whether others may ask for its approval.
fn authority(sc: &Scenario, r: RoleIx) -> Section {
    let mine = sc.role(r).authority;
    let higher: Vec<String> = sc
        .roles
        .iter()
        .filter(|o| o.authority > mine)
        .map(|o| format!("{} ({})", o.name, o.authority))
        .collect();
    let top = sc.roles.iter().map(|o| o.authority).max().unwrap_or(mine);
    let mut s = Section::new("Your authority");
    // With other scales, this one is named too.
    let level = if sc.domains.is_empty() {
        "Level"
    } else {
        "On business risk, level"
    };
    s = if sc.roles.iter().all(|o| o.authority == mine) {
        s.para(format!(
            "{level} {mine}, the same as everyone else here: an action that needs more \
             cannot be taken by anyone without a playbook."
        ))
    } else if higher.is_empty() {
        s.para(format!(
            "{level} {mine} of {top}: nobody here has more. The business risk is yours to \
             accept or refuse."
        ))
    } else {
        s.para(format!(
            "{level} {mine} of {top}. More than yours: {}. An action that needs more than \
             your level must be approved by someone who has it, or is refused.",
            list(&higher)
        ))
    };
    for (k, name) in sc.domains.iter().enumerate() {
        let d = Domain(u8::try_from(k + 1).unwrap_or(u8::MAX));
        let mine = sc.role(r).level(d);
        let top = sc.roles.iter().map(|o| o.level(d)).max().unwrap_or(mine);
        let higher: Vec<String> = sc
            .roles
            .iter()
            .filter(|o| o.level(d) > mine)
            .map(|o| format!("{} ({})", o.name, o.level(d)))
            .collect();
        let more = if higher.is_empty() {
            String::new()
        } else {
            format!(" More than yours: {}.", list(&higher))
        };
        s = s.para(format!(
            "On {name}, a separate scale: level {mine} of {top}.{more}"
        ));
    }
    let approver = sc.actions.iter().any(|a| {
        !a.by.contains(&r)
            && matches!(&a.without_authority, WithoutAuthority::Approval(who) if who.contains(&r))
    });
    if approver {
        s = s.para(
            "Others may ask you to approve what their own authority does not cover: their \
             requests appear on your screen to approve or deny.",
        );
    }
    s
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Whom the role reaches with its own actions.
    From,
    /// Who reaches the role with theirs.
    To,
}

/// Who the role reaches (or who reaches it) by an action, and by which channels.
fn reach(sc: &Scenario, r: RoleIx, dir: Direction) -> Section {
    let mut lines = Vec::new();
    for (o, other) in RoleIx::all(sc.roles.len()).zip(&sc.roles) {
        if o == r {
            continue;
        }
        let (from, to) = match dir {
            Direction::From => (r, o),
            Direction::To => (o, r),
        };
        let mut channels: Vec<&str> = Vec::new();
        let mut any = false;
        for a in sc
            .actions
            .iter()
            .filter(|a| a.by.contains(&from) && a.to.includes(to))
        {
            any = true;
            if let Some(c) = a.channel
                && !channels.contains(&c.label())
            {
                channels.push(c.label());
            }
        }
        if any {
            lines.push(if channels.is_empty() {
                other.name.clone()
            } else {
                format!("{} — by {}", other.name, list_or(&channels))
            });
        }
    }
    let heading = match dir {
        Direction::From => "Whom you can reach",
        Direction::To => "Who can reach you",
    };
    let mut s = Section::new(heading);
    if lines.is_empty() {
        s = s.para(match dir {
            Direction::From => "Nobody directly: none of your actions is a call or a message.",
            Direction::To => {
                "Nobody by a call or a message of their own; you hear of the \
                              incident as it reaches you."
            }
        });
    }
    s.items = lines;
    s
}

fn list_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [a] => (*a).to_owned(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}

/// The role's actions: how long each takes, and what authority it needs.
fn actions(sc: &Scenario, r: RoleIx) -> Section {
    let role = sc.role(r);
    let mut s = Section::new("What you can do");
    let mut later = false;
    for a in sc.actions.iter().filter(|a| a.by.contains(&r)) {
        later |= a.available != Cond::Always;
        let mut line = a.name.clone();
        let mut notes = Vec::new();
        if a.duration > 0 {
            notes.push(format!("takes {}", dur(a.duration)));
        }
        if a.authority > role.level(a.domain) {
            let approvers = match &a.without_authority {
                WithoutAuthority::Approval(who) if !who.is_empty() => format!(
                    "approval from {}",
                    list_or(
                        &who.iter()
                            .map(|w| sc.role(*w).name.as_str())
                            .collect::<Vec<_>>()
                    )
                ),
                _ => "authority you do not have: refused".to_owned(),
            };
            let unless = if a.preapproved == Cond::Never {
                ""
            } else {
                " unless a playbook covers it"
            };
            let over = sc
                .domain_name(a.domain)
                .map(|d| format!(" ({d} {})", a.authority))
                .unwrap_or_default();
            notes.push(format!("needs {approvers}{over}{unless}"));
        }
        if sc.turns.is_some() {
            match a.cost {
                0 => notes.push("free: costs no action".to_owned()),
                1 => {}
                n => notes.push(format!("costs {n} actions")),
            }
        }
        if a.repeatable {
            notes.push("can be repeated".to_owned());
        }
        if !notes.is_empty() {
            line = format!("{line} — {}", notes.join("; "));
        }
        s.items.push(line);
    }
    if s.items.is_empty() {
        s = s.para("Nothing in this exercise is yours to act on: you answer what reaches you.");
    } else if later {
        s = s.para("Some become possible only as the incident unfolds.");
    }
    s
}

/// The facilitator's card: the exercise, the notes only the facilitator reads, the roles
/// and what the exercise is judged on.
fn facilitator(sc: &Scenario) -> Briefing {
    let mut sections = vec![
        exercise(sc),
        Section::new("Notes for the facilitator").para(sc.notes.clone()),
    ];
    let mut roles = Section::new("The roles");
    roles.items = sc
        .roles
        .iter()
        .map(|r| {
            let persona = if r.persona.is_empty() {
                String::new()
            } else {
                format!(": {}", r.persona)
            };
            format!("{}{persona} ({})", r.name, sc.levels_words(r))
        })
        .collect();
    sections.push(roles);
    let mut objectives = Section::new("Objectives");
    objectives.items = sc.objectives.iter().map(|o| o.text.clone()).collect();
    sections.push(objectives);
    sections.push(Section::new("Time").para(format!(
        "The exercise starts at {} and runs for at most {}.",
        sc.start.clock(crate::engine::time::GameTime::ZERO),
        dur(sc.end.minutes())
    )));
    sections.retain(|s| !s.is_empty());
    Briefing {
        name: "Facilitator".to_owned(),
        persona: "You run the exercise: the clock, the injects, the ending.".to_owned(),
        sections,
    }
}

/// The evaluator's card: the exercise, what to note, the objectives, the roles.
fn evaluator(sc: &Scenario) -> Briefing {
    let f = facilitator(sc);
    let mut sections = vec![
        exercise(sc),
        Section::new("Your task").para(
            "You watch and note; you give no command. You see what the facilitator sees: every \
         role's messages, decisions and actions, and the hidden state. Note what you observe \
         when you observe it, against an objective where you can, with a rating (P, S, M, U) \
         and its reason: the report prints your notes and puts your rating beside the one \
         the scenario computes.",
        ),
    ];
    sections.extend(
        f.sections
            .into_iter()
            .filter(|s| s.heading == "Objectives" || s.heading == "The roles"),
    );
    Briefing {
        name: "Evaluator".to_owned(),
        persona: "You observe the exercise and note what you see against its objectives."
            .to_owned(),
        sections,
    }
}

/// The card as plain lines (for a terminal that shows text, and for tests).
pub fn lines(b: &Briefing) -> Vec<String> {
    let mut out = vec![b.name.clone()];
    if !b.persona.is_empty() {
        out.push(b.persona.clone());
    }
    for s in &b.sections {
        out.push(String::new());
        out.push(s.heading.clone());
        out.extend(s.paragraphs.iter().cloned());
        out.extend(s.items.iter().map(|i| format!("· {i}")));
    }
    out
}
