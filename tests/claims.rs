//! Every fact a report's findings rest on holds for the log of the run it was written
//! about, and no rendered report has an empty slot or a missing name: 10,000 seeded runs with mixed and random bots across every bundled scenario and
//! generated ones (the skeletons of `ttx new` with their numbers drawn from the seed, the
//! bundled scenarios without a commercial boundary or with their sides swapped).

mod common;

use std::sync::Arc;

use common::SplitMix;
use ttx::engine::model::{BotSpec, Policy, RoleIx, Scenario};
use ttx::report::facts::check;
use ttx::sim::headless;

const RUNS: u64 = 10_000;

/// A skeleton with every `duration:`, `deadline:` and `after: Minutes(…)` drawn anew.
fn varied(template: &str, dice: &mut SplitMix) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = ["duration: ", "deadline: ", "Minutes("]
        .iter()
        .filter_map(|k| rest.find(k).map(|i| (i, k.len())))
        .min()
        .map(|(i, k)| i + k)
    {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 {
            out.push_str(&(1 + dice.below(40)).to_string());
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

fn scenarios() -> Vec<Arc<Scenario>> {
    let mut v = Vec::new();
    let load = |name: &str, text: &str| ttx::scenario::load_str(name, text).map(|l| l.scenario);
    for b in ttx::scenario::bundled::ALL {
        v.push(load(b.file, b.text).expect("bundled"));
        // No commercial boundary declared: no boundary findings may be made.
        if b.text.contains("measures: Measures(") {
            let text = b.text.replacen(
                "measures: Measures(",
                "measures: Measures(boundary: false, ",
                1,
            );
            if let Ok(sc) = load(b.file, &text) {
                v.push(sc);
            }
        }
        // The sides swapped: management plays response and the other way round.
        let swapped = b
            .text
            .replace("side: Management", "side: X")
            .replace("side: Response", "side: Management")
            .replace("side: X", "side: Response");
        if let Ok(sc) = load(b.file, &swapped) {
            v.push(sc);
        }
    }
    // Authority on separate scales: the report's refusals and waits name the scale.
    let domains = include_str!("fixtures/valid/domains.ron");
    v.push(load("domains.ron", domains).expect("the fixture loads"));
    let mut dice = SplitMix(7);
    for (name, template) in [
        ("seam.ron", include_str!("../assets/templates/seam.ron")),
        (
            "minimal.ron",
            include_str!("../assets/templates/minimal.ron"),
        ),
    ] {
        let template = template
            .replace("{{ID}}", "generated")
            .replace("{{TITLE}}", "Generated");
        v.push(load(name, &template).expect("the skeleton loads"));
        let mut made = 0;
        for _ in 0..40 {
            if let Ok(sc) = load(name, &varied(&template, &mut dice)) {
                v.push(sc);
                made += 1;
            }
            if made == 8 {
                break;
            }
        }
        assert!(made > 0, "no variant of {name} loads");
    }
    v
}

/// The bots of run `i`: every role by the same policy, or each by its own, from the seed.
fn crew(sc: &Scenario, i: u64) -> Vec<(RoleIx, BotSpec)> {
    let mut dice = SplitMix(i ^ 0xC1A1);
    let mode = dice.below(4);
    RoleIx::all(sc.roles.len())
        .filter_map(|r| {
            let p = match mode {
                0 => Policy::Random,
                1 => sc.default_bot(r).policy,
                _ => Policy::ALL[dice.below(4)],
            };
            // Now and then a seat nobody plays.
            (dice.below(8) != 0).then(|| {
                (
                    r,
                    BotSpec {
                        policy: p,
                        ..sc.default_bot(r)
                    },
                )
            })
        })
        .collect()
}

fn failures(scs: &[Arc<Scenario>], runs: impl Iterator<Item = u64>) -> (u64, Vec<String>) {
    let mut out = Vec::new();
    let mut facts = 0;
    for i in runs {
        let sc = &scs[usize::try_from(i).unwrap_or(0) % scs.len()];
        let seats = crew(sc, i);
        let ex = headless::run_with_bots(Arc::clone(sc), i, &[], &seats);
        let mut input = headless::report_input(&ex, &[], &seats, None);
        // One run in five is reported as if people had played it, against the by-the-book
        // run of the same seed: its turning points claim things about this run's log too.
        if i % 5 == 0 {
            input.comparison = Some(ttx::session::debrief::by_the_book(sc, i));
            for (_, p) in &mut input.seats {
                *p = ttx::report::PlayedBy::Person;
            }
        }
        let r = ttx::report::build(ex.scenario(), ex.state(), &input);
        for fact in &r.debrief.facts {
            facts += 1;
            if let Err(e) = check(sc, ex.state(), fact)
                && out.len() < 20
            {
                out.push(format!("{} seed {i} turning point: {e}", sc.id));
            }
        }
        // One run in ten is also rendered: no empty slot or missing name in any format.
        if i % 10 == 0 {
            for format in [ttx::report::Format::Markdown, ttx::report::Format::Html] {
                let whole = ttx::report::render(&r, format);
                let text = whole.find("<body").map_or(whole.as_str(), |k| &whole[k..]);
                for e in common::EMPTY_SLOTS {
                    if text.contains(e) && out.len() < 20 {
                        out.push(format!("{} seed {i} {format:?}: {e:?}", sc.id));
                    }
                }
            }
        }
        for f in r.strengths.iter().chain(&r.improvements) {
            for fact in &f.facts {
                facts += 1;
                if let Err(e) = check(sc, ex.state(), fact)
                    && out.len() < 20
                {
                    out.push(format!("{} seed {i} «{}»: {e}", sc.id, f.title));
                }
            }
        }
    }
    (facts, out)
}

#[test]
fn every_fact_a_finding_rests_on_holds_for_the_log() {
    let scs = scenarios();
    assert!(scs.len() >= 12, "{} scenarios", scs.len());
    let (facts, bad) = std::thread::scope(|s| {
        let a = s.spawn(|| failures(&scs, (0..RUNS).step_by(2)));
        let b = s.spawn(|| failures(&scs, (1..RUNS).step_by(2)));
        let (fa, mut a) = a.join().expect("thread");
        let (fb, b) = b.join().expect("thread");
        a.extend(b);
        (fa + fb, a)
    });
    println!(
        "{facts} facts checked in {RUNS} runs of {} scenarios",
        scs.len()
    );
    assert!(facts > RUNS, "only {facts} facts checked in {RUNS} runs");
    assert!(
        bad.is_empty(),
        "{} contradictions:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
