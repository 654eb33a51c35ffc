//! Generated scenarios for benchmarks: the equivalent-work graph that ttx is measured on
//! against other scenario engines, written as a real scenario file so that it goes through
//! the normal loader.
//!
//! Node `i` is an inject `n{i}` with the text `Inject i: the situation develops.`; when it is
//! delivered, `score += i % 5`. It offers one decision with three choices, in this order:
//! A → node `(i + 1) % N`, B → node `(7*i + 3) % N`, C → node `(13*i + 5) % N`. The run starts
//! by delivering node 0.

use std::fmt::Write as _;

/// The RON text of the equivalent-work graph with `n` nodes (`n >= 1`).
#[allow(clippy::many_single_char_names)] // the names of the definition: n, i, a, b, c
pub fn equivalent_work_graph(n: usize) -> String {
    let n = n.max(1);
    let mut s = String::with_capacity(n * 420 + 1024);
    s.push_str(
        "// Generated: the equivalent-work benchmark graph.\nScenario(\n    format: 1,\n    id: \"equivalent-work\",\n",
    );
    let _ = writeln!(s, "    title: \"Equivalent-work graph, {n} nodes\",");
    s.push_str(
        "    start: \"Mon 00:00\",\n    end: \"+1\",\n    roles: [Role(id: \"player\", name: \"Player\", side: Response)],\n    variables: [Variable(id: \"score\", min: 0, max: 2000000000, visible_to: [\"player\"])],\n    endings: [Ending(id: \"done\", title: \"Done\", outcome: Mixed, when: TimeUp)],\n    injects: [\n",
    );
    for i in 0..n {
        let a = (i + 1) % n;
        let b = (7 * i + 3) % n;
        let c = (13 * i + 5) % n;
        let at = if i == 0 { "at: \"+0\", " } else { "" };
        let _ = writeln!(
            s,
            "        Inject(id: \"n{i}\", {at}to: [\"player\"], channel: System, text: \"Inject {i}: the situation develops.\", effects: [Add(\"score\", {})],\n            prompt: Prompt(question: \"What next?\", options: [\n                Choice(id: \"a\", label: \"A\", effects: [Schedule(\"n{a}\", Minutes(0))]),\n                Choice(id: \"b\", label: \"B\", effects: [Schedule(\"n{b}\", Minutes(0))]),\n                Choice(id: \"c\", label: \"C\", effects: [Schedule(\"n{c}\", Minutes(0))]),\n            ])),",
            i % 5
        );
    }
    s.push_str("    ],\n)\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::command::{Command, Issued};
    use crate::engine::event::EventKind;
    use crate::engine::exercise::Exercise;
    use crate::engine::ids::Seat;

    /// Walks the graph with choice `s % 3` at step `s`, returning the final node and score.
    fn walk(n: usize, steps: usize) -> (String, i32) {
        let loaded = crate::scenario::load_str("graph.ron", &equivalent_work_graph(n))
            .unwrap_or_else(|e| panic!("{e}"));
        let sc = std::sync::Arc::clone(&loaded.scenario);
        let mut ex = Exercise::start(loaded.scenario, 0);
        let mut node = "n0".to_owned();
        for s in 0..steps {
            let option = ["a", "b", "c"][s % 3];
            let events = ex.apply(&Issued::new(
                Seat::role("player"),
                Command::Choose {
                    inject: node.as_str().into(),
                    option: option.into(),
                },
            ));
            node = events
                .iter()
                .find_map(|e| match &e.kind {
                    EventKind::InjectDelivered { inject, .. } => {
                        Some(sc.inject(*inject).id.to_string())
                    }
                    _ => None,
                })
                .expect("the next node is delivered");
        }
        (node, ex.state().vars[0])
    }

    #[test]
    fn the_graph_reproduces_the_oracle() {
        // From the equivalent-work definition: N = 100, 100,000 choices → node 56, score 33334.
        assert_eq!(walk(100, 100_000), ("n56".to_owned(), 33334));
    }
}
