//! Names and numbers in words: role, action, option and inject names from their ids,
//! durations (`4 h 02 min`), clock faces, lists. Scenario text stays scenario text; no id is
//! shown where the scenario gives a name.

use crate::engine::event::Actor;
use crate::engine::ids::{RoleId, Seat, SlaId};
use crate::engine::model::{InjectIx, Outcome, Rating, Scenario};
use crate::engine::time::GameTime;

/// A duration in game minutes: `9 min`, `1 h 05 min`, `2 d 3 h 10 min`.
pub fn dur(minutes: u32) -> String {
    let (d, h, m) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match (d, h) {
        (0, 0) => format!("{m} min"),
        (0, _) => format!("{h} h {m:02} min"),
        _ => format!("{d} d {h} h {m:02} min"),
    }
}

/// `+1:05`: game time since the start.
pub fn elapsed(t: GameTime) -> String {
    let m = t.minutes();
    format!("+{}:{:02}", m / 60, m % 60)
}

pub fn clock(sc: &Scenario, t: GameTime) -> String {
    sc.start.clock(t).to_string()
}

/// `Sat 03:39 (+0:09)`.
pub fn when(sc: &Scenario, t: GameTime) -> String {
    format!("{} ({})", clock(sc, t), elapsed(t))
}

pub fn role_name(sc: &Scenario, r: &RoleId) -> String {
    sc.role_index(r.as_str())
        .map_or_else(|| r.to_string(), |i| sc.role(i).name.clone())
}

/// Who did something, by name (`Facilitator`, or the role's name).
pub fn actor_name(sc: &Scenario, a: Actor) -> String {
    match a {
        Actor::Facilitator => "Facilitator".into(),
        Actor::Evaluator => "Evaluator".into(),
        Actor::Role(r) => sc.role(r).name.clone(),
    }
}

pub fn seat_name(sc: &Scenario, s: &Seat) -> String {
    match s {
        Seat::Facilitator => "Facilitator".into(),
        Seat::Evaluator => "Evaluator".into(),
        Seat::Role(r) => role_name(sc, r),
    }
}

/// Role names joined: `A`, `A and B`, `A, B and C`.
pub fn names(sc: &Scenario, roles: &[RoleId]) -> String {
    list(&roles.iter().map(|r| role_name(sc, r)).collect::<Vec<_>>())
}

pub fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [a] => a.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

pub fn action_name(sc: &Scenario, a: &str) -> String {
    sc.action_index(a)
        .map_or_else(|| a.to_owned(), |i| sc.action(i).name.clone())
}

/// An option's label in quotes (labels that are already a quotation keep their own).
pub fn option_label(sc: &Scenario, inject: InjectIx, option: u16) -> String {
    let label = sc
        .inject(inject)
        .prompt
        .as_ref()
        .and_then(|p| p.options.get(usize::from(option)))
        .map_or("", |o| &o.label);
    quoted(label)
}

/// An option's label in quotes, from the ids a metric keeps.
pub fn option_label_of(sc: &Scenario, inject: &str, option: &str) -> String {
    let label = sc
        .inject_index(inject)
        .and_then(|i| sc.inject(i).prompt.as_ref())
        .and_then(|p| p.options.iter().find(|o| o.id.as_str() == option))
        .map_or_else(|| option.to_owned(), |o| o.label.to_string());
    quoted(&label)
}

/// `“text”`, unless the text already opens with a quotation mark.
pub fn quoted(s: &str) -> String {
    if s.starts_with(['"', '\u{201c}']) {
        s.to_owned()
    } else {
        format!("\u{201c}{s}\u{201d}")
    }
}

/// `the Duty executive`: role names are titles and read better with an article.
pub fn the(name: &str) -> String {
    format!("the {name}")
}

/// `The Duty executive`, at the start of a sentence.
pub fn the_cap(name: &str) -> String {
    format!("The {name}")
}

pub fn question(sc: &Scenario, inject: &str) -> String {
    sc.inject_index(inject)
        .and_then(|i| sc.inject(i).prompt.as_ref())
        .map_or_else(|| inject.to_owned(), |p| p.question.to_string())
}

pub fn sla_name(sc: &Scenario, id: &SlaId) -> String {
    sc.slas
        .iter()
        .find(|s| s.id == *id)
        .map_or_else(|| id.to_string(), |s| s.name.clone())
}

/// A message's headline: its subject, else the first line of its text.
pub fn headline(subject: &str, text: &str) -> String {
    if subject.is_empty() {
        text.lines().next().unwrap_or("").to_owned()
    } else {
        subject.to_owned()
    }
}

/// An inject as a person names it: its subject, else the start of its text (never its id).
pub fn inject_name(sc: &Scenario, inject: &str) -> String {
    sc.inject_index(inject).map_or_else(
        || inject.to_owned(),
        |i| {
            let inj = sc.inject(i);
            if inj.subject.is_empty() {
                short(&sc.inject_text_unsent(i), 60)
            } else {
                inj.subject.to_string()
            }
        },
    )
}

/// A seeded draw and its value, value first, then the words of its note ("yes · Dave picks
/// up (rolled again on every call)", "19 · Minutes until the dropper pulls …"), cut to `max`
/// characters; the id only when the scenario gives no note.
pub fn draw_value(sc: &Scenario, draw: &str, value: i32, max: usize) -> String {
    let Some(ix) = sc
        .draws
        .iter()
        .position(|d| d.id.as_str() == draw)
        .and_then(crate::engine::model::DrawIx::at)
    else {
        return short(&format!("{value} · {draw}"), max);
    };
    let d = &sc.draws[ix];
    let what = if d.note.is_empty() {
        d.id.as_str()
    } else {
        d.note.trim_end_matches('.')
    };
    let value = match d.kind {
        _ if !d.labels.is_empty() => {
            sc.value_words(crate::engine::model::ValueRef::Draw(ix), value)
        }
        crate::engine::model::DrawKind::Chance { .. } => {
            if value != 0 { "yes" } else { "no" }.to_owned()
        }
        crate::engine::model::DrawKind::Range { .. }
        | crate::engine::model::DrawKind::Deck { .. } => value.to_string(),
    };
    short(&format!("{value} · {what}"), max)
}

pub fn stage_name(sc: &Scenario, i: usize) -> String {
    sc.threat
        .as_ref()
        .and_then(|t| t.stages.get(i))
        .map_or_else(String::new, |s| s.name.clone())
}

pub fn outcome_word(o: Option<Outcome>) -> &'static str {
    match o {
        Some(Outcome::Good) => "a good outcome",
        Some(Outcome::Mixed) => "a mixed outcome",
        Some(Outcome::Bad) => "a bad outcome",
        None => "no scored outcome",
    }
}

/// HSEEP's wording of a rating.
pub fn rating_text(r: Rating) -> &'static str {
    match r {
        Rating::P => "Performed without challenges",
        Rating::S => "Performed with some challenges",
        Rating::M => "Performed with major challenges",
        Rating::U => "Unable to be performed",
        Rating::N => "Not evaluated: the facilitator ended the exercise before the play got to it",
    }
}

/// `1 call`, `2 calls`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A side of the boundary, in the report's words.
pub fn side(s: crate::engine::model::Side) -> &'static str {
    use crate::engine::model::Side;
    match s {
        Side::Management => "Management (business)",
        Side::Response => "Response (technical)",
        Side::Other => "Other",
    }
}

/// `s` in at most `n` characters, cut with an ellipsis.
pub fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{}\u{2026}", cut.trim_end())
    }
}

/// A variable's value as a seat reads it: its label when it has labels (`York`), else as
/// [`var_value`] writes it.
pub fn var_shown(sc: &Scenario, v: &crate::engine::view::VarView) -> String {
    let labelled = sc
        .variables
        .iter()
        .position(|x| x.id == v.id && !x.labels.is_empty())
        .and_then(crate::engine::model::VarIx::at);
    match labelled {
        Some(i) => sc.value_words(crate::engine::model::ValueRef::Var(i), v.value),
        None => var_value(v.value, v.min, v.max),
    }
}

/// A variable's value as a seat reads it: `yes`/`no` for a flag, `3/5` from zero, else
/// `3 (1–5)`.
pub fn var_value(value: i32, min: i32, max: i32) -> String {
    if min == 0 && max == 1 {
        (if value == 1 { "yes" } else { "no" }).to_owned()
    } else if min == 0 {
        format!("{value}/{max}")
    } else {
        format!("{value} ({min}–{max})")
    }
}
