//! No seat's screen holds another audience's text. Every bundled scenario is played over
//! many seeds with its texts tagged (each inject's sender, subject, text and question, each
//! option's label, each variable's name, each draw's note, each action's description, each
//! threat stage's name, each role's briefing, each ending's text and each objective's
//! text carry a tag of their own), and after every command each role's `SeatScreen` is
//! serialised and read for tags: a tag may appear only when the event log says that text
//! reached the role.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use proptest::prelude::*;
use ttx::engine::event::{Event, EventKind};
use ttx::engine::exercise::Exercise;
use ttx::engine::ids::Seat;
use ttx::engine::model::{RoleIx, Scenario};
use ttx::session::screen::{Status, screen};
use ttx::session::{Seating, Sitter};

/// `qzx` + kind + number + `zq`: a tag no scenario text contains.
fn tag(kind: &str, n: impl std::fmt::Display) -> String {
    format!("qzx{kind}{n}zq")
}

fn tagged(text: &str, t: &str) -> String {
    // At the start, so a text cut short keeps its tag.
    format!("{t} {text}")
}

fn tag_arc(text: &Arc<str>, t: &str) -> Arc<str> {
    Arc::from(tagged(text, t))
}

/// The scenario with every audience-bound text tagged.
fn tag_scenario(sc: &Scenario) -> Scenario {
    let mut sc = sc.clone();
    for (i, inj) in sc.injects.iter_mut().enumerate() {
        let t = tag("i", i);
        inj.from = tag_arc(&inj.from, &t);
        inj.subject = tag_arc(&inj.subject, &t);
        inj.text = tag_arc(&inj.text, &t);
        if let Some(p) = &mut inj.prompt {
            p.question = tag_arc(&p.question, &t);
            for (k, o) in p.options.iter_mut().enumerate() {
                o.label = tag_arc(&o.label, &tag("o", format!("{i}x{k}")));
            }
        }
    }
    for (v, var) in sc.variables.iter_mut().enumerate() {
        var.name = tagged(&var.name, &tag("v", v));
    }
    for (d, draw) in sc.draws.iter_mut().enumerate() {
        draw.note = tagged(&draw.note, &tag("d", d));
    }
    for (a, action) in sc.actions.iter_mut().enumerate() {
        action.description = tagged(&action.description, &tag("a", a));
    }
    if let Some(th) = &mut sc.threat {
        for s in &mut th.stages {
            s.name = tagged(&s.name, &tag("s", 0));
        }
    }
    for (r, role) in sc.roles.iter_mut().enumerate() {
        role.briefing = tagged(&role.briefing, &tag("b", r));
    }
    for (e, ending) in sc.endings.iter_mut().enumerate() {
        ending.text = tagged(&ending.text, &tag("e", e));
    }
    for (j, o) in sc.objectives.iter_mut().enumerate() {
        o.text = tagged(&o.text, &tag("j", j));
    }
    sc
}

/// The tags whose text has reached role `r`, by the event log and the scenario's audiences.
fn allowed(sc: &Scenario, log: &[Event], r: RoleIx) -> BTreeSet<String> {
    let mut ok = BTreeSet::new();
    for e in log.iter().filter(|e| e.audience.includes(r)) {
        match &e.kind {
            EventKind::InjectDelivered { inject, .. } => {
                ok.insert(tag("i", inject));
                let n = sc
                    .inject(*inject)
                    .prompt
                    .as_ref()
                    .map_or(0, |p| p.options.len());
                for k in 0..n {
                    ok.insert(tag("o", format!("{inject}x{k}")));
                }
            }
            EventKind::DecisionMade { inject, option, .. } => {
                ok.insert(tag("o", format!("{inject}x{option}")));
            }
            EventKind::PromptExpired {
                inject,
                default: Some(k),
            } => {
                ok.insert(tag("o", format!("{inject}x{k}")));
            }
            EventKind::ExerciseEnded { ending, .. } => {
                if let Some(k) = ending {
                    ok.insert(tag("e", k));
                }
                // The debrief at the end is everyone's: the objectives and their ratings.
                for j in 0..sc.objectives.len() {
                    ok.insert(tag("j", j));
                }
            }
            _ => {}
        }
    }
    for (v, var) in sc.variables.iter().enumerate() {
        if var.audience.includes(r) {
            ok.insert(tag("v", v));
        }
    }
    for (a, action) in sc.actions.iter().enumerate() {
        if action.by.contains(&r) {
            ok.insert(tag("a", a));
        }
    }
    if sc.threat.as_ref().is_some_and(|t| t.audience.includes(r)) {
        ok.insert(tag("s", 0));
    }
    ok.insert(tag("b", r));
    ok
}

/// Every tag in `text`.
fn tags_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("qzx") {
        let after = &rest[i..];
        match after.find("zq") {
            Some(j) => {
                out.push(after[..j + 2].to_owned());
                rest = &after[j + 2..];
            }
            None => break,
        }
    }
    out
}

struct Watch {
    seating: Seating,
    /// Tags seen on screens where they belong (the check is not vacuous).
    seen: usize,
    screens: usize,
}

impl ttx::session::Observer for Watch {
    type Error = std::convert::Infallible;
    fn before(&mut self, _: &Exercise, _: &ttx::engine::Issued) -> Result<(), Self::Error> {
        Ok(())
    }
    fn after(&mut self, ex: &Exercise, _: &[Event]) {
        let sc = ex.scenario();
        for (role, r) in sc.roles.iter().zip(RoleIx::all(sc.roles.len())) {
            let seat = Seat::Role(role.id.clone());
            let json = serde_json::to_string(&screen(ex, &self.seating, Status::default(), &seat))
                .expect("json");
            let ok = allowed(sc, ex.events(), r);
            for t in tags_in(&json) {
                assert!(
                    ok.contains(&t),
                    "{}: at minute {} the {}'s screen holds {t}, which never reached it:\n{json}",
                    sc.id,
                    ex.now().minutes(),
                    role.name
                );
                self.seen += 1;
            }
            self.screens += 1;
        }
        // The facilitator sees everything; its screen is built without fault too.
        let _ = screen(ex, &self.seating, Status::default(), &Seat::Facilitator);
    }
}

fn play(sc: &Arc<Scenario>, seed: u64, random: bool) -> Watch {
    let mut watch = Watch {
        seating: Seating {
            roles: vec![Sitter::Person; sc.roles.len()],
            facilitator: Sitter::Person,
        },
        seen: 0,
        screens: 0,
    };
    let overrides: Vec<String> = if random {
        sc.roles
            .iter()
            .map(|r| format!("{}=random", r.id))
            .collect()
    } else {
        Vec::new()
    };
    let seats = ttx::sim::simulate::crew_spec(sc, &overrides).expect("bots");
    let _ = ttx::sim::headless::run_observed(Arc::clone(sc), seed, &[], &seats, &mut watch);
    watch
}

fn scenarios() -> Vec<Arc<Scenario>> {
    ttx::scenario::bundled::ALL
        .iter()
        .map(|b| Arc::new(tag_scenario(&common::scenario(b.file))))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("TTX_FUZZ_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(16, |n: u32| (n / 50).max(16)),
        ..ProptestConfig::default()
    })]

    /// Over seeded runs of every bundled scenario, with the personas and with random bots,
    /// no role's screen ever holds a tagged text that has not reached that role.
    #[test]
    fn no_seat_screen_holds_another_audiences_text(seed in any::<u64>(), random in any::<bool>()) {
        let mut seen = 0;
        let mut screens = 0;
        for sc in scenarios() {
            let w = play(&sc, seed, random);
            seen += w.seen;
            screens += w.screens;
        }
        prop_assert!(screens > 20, "only {screens} screens were read");
        prop_assert!(seen > 20, "only {seen} tags were seen where they belong");
    }
}

/// The check sees a leak: a screen built for the wrong seat shows tags that role may not
/// read, and the rule names them.
#[test]
fn the_check_finds_a_leak() {
    let sc = &scenarios()[0];
    let mut ex = Exercise::start(Arc::clone(sc), 7);
    ex.apply(&ttx::engine::Issued::new(
        Seat::Facilitator,
        ttx::engine::command::Command::AdvanceToNextEvent,
    ));
    let seating = Seating {
        roles: vec![Sitter::Person; sc.roles.len()],
        facilitator: Sitter::Person,
    };
    // The facilitator's screen holds the draws' notes, which no role ever reads.
    let json = serde_json::to_string(&screen(
        &ex,
        &seating,
        Status::default(),
        &Seat::Facilitator,
    ))
    .expect("json");
    let ok = allowed(sc, ex.events(), RoleIx(0));
    let leaks: Vec<String> = tags_in(&json)
        .into_iter()
        .filter(|t| !ok.contains(t))
        .collect();
    assert!(
        !leaks.is_empty(),
        "the facilitator's screen shows nothing hidden"
    );
}
