//! The paths worth knowing, for the facilitator's situation manual: how the exercise tends
//! to end when bots play it (the scenario's own personas, by-the-book, decisive), how often
//! each ending came in a hundred seeded runs, and a seed that reaches it, to replay or to
//! steer the room towards.

use std::sync::Arc;

use crate::engine::model::{BotSpec, Outcome, Policy, RoleIx, Scenario};
use crate::report::handout::Part;

use super::simulate::run_one;

/// The runs per crew: enough to see the usual endings, quick enough to print a manual.
pub const RUNS: u64 = 100;

/// The part of the manual: per crew, each ending reached, how often, and an example seed.
pub fn part(sc: &Arc<Scenario>) -> Part {
    let all = |p: Policy| -> Vec<(RoleIx, BotSpec)> {
        RoleIx::all(sc.roles.len())
            .map(|r| (r, BotSpec::new(p)))
            .collect()
    };
    let own: Vec<(RoleIx, BotSpec)> = RoleIx::all(sc.roles.len())
        .map(|r| (r, sc.default_bot(r)))
        .collect();
    let crews = [
        ("the scenario's bots", own),
        ("by-the-book bots", all(Policy::ByTheBook)),
        ("decisive bots", all(Policy::Decisive)),
    ];
    let mut rows = Vec::new();
    for (name, seats) in &crews {
        // Per ending (and "no ending"): how many runs, and the first seed that reached it.
        let mut tally: Vec<(Option<usize>, u64, u64)> = Vec::new();
        for i in 0..RUNS {
            // Small seeds: a facilitator types them.
            let seed = i + 1;
            let r = run_one(sc, seats, i, seed);
            let ending = r.ending_ix.map(usize::from);
            match tally.iter_mut().find(|(e, _, _)| *e == ending) {
                Some(row) => row.1 += 1,
                None => tally.push((ending, 1, seed)),
            }
        }
        tally.sort_by_key(|(e, n, _)| (std::cmp::Reverse(*n), *e));
        for (ending, n, seed) in tally {
            let (title, outcome) = ending.and_then(|e| sc.endings.get(e)).map_or_else(
                || ("no ending".to_owned(), "—".to_owned()),
                |e| {
                    let o = match e.outcome {
                        Outcome::Good => "good",
                        Outcome::Mixed => "mixed",
                        Outcome::Bad => "bad",
                    };
                    (e.title.clone(), o.to_owned())
                },
            );
            rows.push(vec![
                (*name).to_owned(),
                title,
                outcome,
                format!("{n} of {RUNS}"),
                seed.to_string(),
            ]);
        }
    }
    Part {
        heading: "Paths worth knowing".to_owned(),
        paragraphs: vec![format!(
            "How the exercise ends when bots play every role, over {RUNS} seeded runs per \
             crew: the endings a room is likely to meet, and a seed that reaches each \
             (play it with that seed to see the path, or pick a seed for the room)."
        )],
        items: Vec::new(),
        table: Some(crate::report::handout::Table {
            headers: [
                "Played by",
                "Ending",
                "Outcome",
                "How often",
                "Example seed",
            ]
            .iter()
            .map(|h| (*h).to_owned())
            .collect(),
            rows,
        }),
    }
}
