//! The equivalent-work benchmark (the same graph and choice policy the peer engines run):
//! the single walk and the Monte Carlo, as pure functions of a loaded scenario. Timing and
//! files are the command line's business.

use std::sync::Arc;

use crate::engine::command::{Command, Issued};
use crate::engine::event::EventKind;
use crate::engine::exercise::Exercise;
use crate::engine::ids::{InjectId, OptionId, Seat};
use crate::engine::model::InjectIx;
use crate::engine::model::Scenario;

/// Walk and Monte Carlo sizes from the definition.
pub const WALK_STEPS: u64 = 100_000;
pub const MC_NODES: usize = 1_000;
pub const MC_RUNS: u64 = 10_000;
pub const MC_CHOICES: u32 = 20;

/// The oracle for the single walk at N = 10,000, and the Monte Carlo's score sum.
pub const ORACLE_WALK_10000: (&str, i32) = ("n8656", 33334);
pub const ORACLE_MC_SUM: i64 = 394_903;

/// Takes choices on the graph: `choice(step)` gives 0, 1 or 2 for A, B, C.
struct Walker {
    ex: Exercise,
    /// The nodes' names as a player sends them: the walker's own copies, so that threads
    /// sharing one scenario never write to the same reference counts.
    names: Vec<InjectId>,
    node: InjectIx,
    start: InjectIx,
    options: [OptionId; 3],
    player: Seat,
}

impl Walker {
    fn new(scenario: Arc<Scenario>) -> Walker {
        let names = scenario
            .injects
            .iter()
            .map(|i| InjectId::new(i.id.as_str()))
            .collect();
        let start = scenario.inject_index("n0").unwrap_or_default();
        Walker {
            ex: Exercise::start(scenario, 0),
            names,
            node: start,
            start,
            options: [OptionId::new("a"), OptionId::new("b"), OptionId::new("c")],
            player: Seat::role("player"),
        }
    }

    /// Takes one choice; the next node is delivered.
    fn choose(&mut self, k: usize) {
        let events = self.ex.apply(&Issued::new(
            self.player.clone(),
            Command::Choose {
                inject: self.names[self.node].clone(),
                option: self.options[k].clone(),
            },
        ));
        if let Some(next) = events.iter().find_map(|e| match e.kind {
            EventKind::InjectDelivered { inject, .. } => Some(inject),
            _ => None,
        }) {
            self.node = next;
        }
    }

    /// Back to the start: node 0 delivered, score 0.
    fn restart(&mut self) {
        self.ex.restart(0);
        self.node = self.start;
    }

    fn node(&self) -> String {
        self.names[self.node].to_string()
    }

    fn score(&self) -> i32 {
        self.ex.state().vars[0]
    }
}

/// The single walk: at step `s` take choice `s % 3`; returns the final node and score.
pub fn walk(scenario: &Arc<Scenario>, steps: u64) -> (String, i32) {
    let mut w = Walker::new(Arc::clone(scenario));
    for s in 0..steps {
        w.choose(usize::try_from(s % 3).unwrap_or(0));
    }
    (w.node(), w.score())
}

/// Monte Carlo runs `from..to`: the choices of run `r` come from a 31-bit LCG seeded with
/// `r`; returns the sum of the final scores.
pub fn monte_carlo(scenario: &Arc<Scenario>, from: u64, to: u64, choices: u32) -> i64 {
    let mut sum = 0i64;
    // One exercise, reset between runs (the definition's "state reset between runs").
    let mut w = Walker::new(Arc::clone(scenario));
    for r in from..to {
        w.restart();
        #[allow(clippy::cast_possible_truncation)]
        let mut x = r as u32;
        for _ in 0..choices {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345) & 0x7fff_ffff;
            w.choose((x % 3) as usize);
        }
        sum += i64::from(w.score());
    }
    sum
}

/// The Monte Carlo on `threads` threads sharing one scenario (the sum does not depend on
/// the number of threads).
pub fn monte_carlo_parallel(
    scenario: &Arc<Scenario>,
    runs: u64,
    choices: u32,
    threads: usize,
) -> i64 {
    let threads = threads.max(1) as u64;
    let per = runs.div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let from = (t * per).min(runs);
                let to = ((t + 1) * per).min(runs);
                s.spawn(move || monte_carlo(scenario, from, to, choices))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or(0)).sum()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::generate::equivalent_work_graph;

    fn graph(n: usize) -> Arc<Scenario> {
        crate::scenario::load_str("graph.ron", &equivalent_work_graph(n))
            .unwrap_or_else(|e| panic!("{e}"))
            .scenario
    }

    #[test]
    fn the_walk_reproduces_the_oracle_at_n_100() {
        assert_eq!(walk(&graph(100), 100_000), ("n56".to_owned(), 33334));
    }

    #[test]
    fn the_monte_carlo_reproduces_the_oracle() {
        let g = graph(MC_NODES);
        assert_eq!(
            monte_carlo_parallel(&g, MC_RUNS, MC_CHOICES, 2),
            ORACLE_MC_SUM
        );
        assert_eq!(monte_carlo(&g, 0, MC_RUNS, MC_CHOICES), ORACLE_MC_SUM);
    }
}
