//! No seat's screen holds another audience's text. Every bundled scenario is played over
//! many seeds with its texts tagged (each inject's sender, subject, text and question, each
//! option's label, each variable's name, each draw's note, each action's description, each
//! threat stage's name, each role's briefing, each ending's text and each objective's
//! text carry a tag of their own), and after every command each role's `SeatScreen` is
//! serialised and read for tags: a tag may appear only when the event log says that text
//! reached the role.

mod common;

use common::tags::{allowed, tag_scenario, tags_in};

use std::sync::Arc;

use proptest::prelude::*;
use ttx::engine::event::Event;
use ttx::engine::exercise::Exercise;
use ttx::engine::ids::Seat;
use ttx::engine::model::{RoleIx, Scenario};
use ttx::session::screen::{Status, screen};
use ttx::session::{Seating, Sitter};

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
            evaluator: Sitter::Nobody,
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
        evaluator: Sitter::Nobody,
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
