//! How many deliveries one delivery can set off: the loader's guard against scenarios whose
//! deliveries multiply (an inject that schedules itself twice doubles its deliveries every
//! cycle; a tree of injects that each schedule several others grows with its depth).
//!
//! A pure function of the compiled injects. The graph has an edge `i → j` for every
//! `Schedule(j, …)` in inject `i`'s effects (and in its prompt's default option, which runs
//! by itself when the prompt expires), counted with multiplicity. Each edge has two
//! weights: how many times `j` is scheduled whatever the conditions (`sure`), and how many
//! times at most (`most`, taking the larger branch of every `If`).
//!
//! - A strongly connected group of injects whose edges inside it outnumber its injects
//!   holds two or more cycles, and its deliveries grow exponentially with time. One cycle is
//!   a repeating inject (a reminder every ten minutes), which grows only linearly.
//! - Outside such cycles, the deliveries one delivery leads to are the paths out of it,
//!   counted with multiplicity; past the engine's limit, the run would be stopped.

use crate::engine::model::{Effect, Inject, InjectIx};

/// A problem with how deliveries multiply, found at inject `inject`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding {
    pub inject: InjectIx,
    pub kind: FindingKind,
    /// True when it happens whatever the conditions (an error); false when only some
    /// branches of `If` effects lead to it (a warning).
    pub sure: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// The inject is on two or more cycles of scheduling: its deliveries grow
    /// exponentially.
    Multiplies,
    /// One delivery of the inject can lead to this many more, past the limit.
    FansOut { deliveries: u64 },
}

/// `(sure, most)` times each inject is scheduled by one run of `effects`, added into `out`.
fn count(effects: &[Effect], out: &mut Vec<(InjectIx, u64, u64)>) {
    for e in effects {
        match e {
            Effect::Schedule(j, _) => add(out, *j, 1, 1),
            Effect::If(b) => {
                let mut then = Vec::new();
                let mut otherwise = Vec::new();
                count(&b.then, &mut then);
                count(&b.otherwise, &mut otherwise);
                let get = |v: &[(InjectIx, u64, u64)], j: InjectIx| {
                    v.iter()
                        .find(|(x, _, _)| *x == j)
                        .map_or((0, 0), |&(_, s, m)| (s, m))
                };
                let mut targets: Vec<InjectIx> =
                    then.iter().chain(&otherwise).map(|(j, _, _)| *j).collect();
                targets.sort_unstable();
                targets.dedup();
                for j in targets {
                    let (ts, tm) = get(&then, j);
                    let (os, om) = get(&otherwise, j);
                    add(out, j, ts.min(os), tm.max(om));
                }
            }
            _ => {}
        }
    }
}

fn add(out: &mut Vec<(InjectIx, u64, u64)>, j: InjectIx, sure: u64, most: u64) {
    if let Some(x) = out.iter_mut().find(|(x, _, _)| *x == j) {
        x.1 = x.1.saturating_add(sure);
        x.2 = x.2.saturating_add(most);
    } else {
        out.push((j, sure, most));
    }
}

/// The scheduling graph: for each inject, its targets with `(sure, most)` multiplicities.
fn graph(injects: &[Inject]) -> Vec<Vec<(InjectIx, u64, u64)>> {
    injects
        .iter()
        .map(|inj| {
            let mut out = Vec::new();
            count(&inj.effects, &mut out);
            if let Some(p) = &inj.prompt
                && let Some(d) = p.default.filter(|_| p.deadline.is_some())
            {
                let mut by_default = Vec::new();
                count(&p.options[usize::from(d)].effects, &mut by_default);
                // The default runs only when nobody answers: never sure.
                for (j, _, m) in by_default {
                    add(&mut out, j, 0, m);
                }
            }
            out
        })
        .collect()
}

/// Strongly connected components (Tarjan's algorithm, iterative), as a component number
/// per node; components are numbered in reverse topological order (a component's
/// successors have smaller numbers).
fn components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![UNSEEN; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_comp = 0;
    let mut call: Vec<(usize, usize)> = Vec::new();
    for start in 0..n {
        if index[start] != UNSEEN {
            continue;
        }
        call.push((start, 0));
        while let Some(&mut (v, ref mut e)) = call.last_mut() {
            if *e == 0 {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*e) {
                *e += 1;
                if index[w] == UNSEEN {
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

/// The findings for one weighting of the graph (`sure` or `most`).
fn findings_for(
    g: &[Vec<(InjectIx, u64, u64)>],
    weight: impl Fn(&(InjectIx, u64, u64)) -> u64,
    limit: u64,
    sure: bool,
) -> Vec<Finding> {
    let n = g.len();
    let edges: Vec<Vec<usize>> = g
        .iter()
        .map(|out| {
            out.iter()
                .filter(|x| weight(x) > 0)
                .map(|(j, _, _)| *j as usize)
                .collect()
        })
        .collect();
    let comp = components(&edges);
    let comps = comp.iter().map(|c| c + 1).max().unwrap_or(0);
    // Nodes and inner edges per component.
    let mut size = vec![0u64; comps];
    let mut inner = vec![0u64; comps];
    for (i, out) in g.iter().enumerate() {
        size[comp[i]] += 1;
        for x in out {
            if comp[x.0 as usize] == comp[i] {
                inner[comp[i]] = inner[comp[i]].saturating_add(weight(x));
            }
        }
    }
    let mut found = Vec::new();
    let mut reported = vec![false; comps];
    for (i, &c) in comp.iter().enumerate() {
        if inner[c] > size[c] && !reported[c] {
            reported[c] = true;
            found.push(Finding {
                inject: u32::try_from(i).unwrap_or(u32::MAX),
                kind: FindingKind::Multiplies,
                sure,
            });
        }
    }
    // Deliveries reachable from each inject outside its own cycle, in reverse topological
    // order of the components (successors first). A multiplying component counts as over
    // the limit.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| comp[i]);
    let mut reach = vec![0u64; n];
    for &i in &order {
        let c = comp[i];
        let mut total: u64 = if inner[c] > size[c] { limit + 1 } else { 1 };
        for x in &g[i] {
            let j = x.0 as usize;
            if comp[j] != c {
                total = total.saturating_add(weight(x).saturating_mul(reach[j]));
            }
        }
        reach[i] = total.min(u64::MAX / 2);
    }
    // One finding per tree, at the injects where it starts: those over the limit that no
    // inject over the limit schedules, and that lead to no multiplying group (reported
    // above already).
    let mut fed = vec![false; n];
    let mut leads_to_cycle = vec![false; n];
    for &i in &order {
        let c = comp[i];
        leads_to_cycle[i] = inner[c] > size[c]
            || g[i]
                .iter()
                .any(|x| comp[x.0 as usize] != c && leads_to_cycle[x.0 as usize]);
    }
    for (i, out) in g.iter().enumerate() {
        if reach[i] > limit {
            for x in out {
                if comp[x.0 as usize] != comp[i] {
                    fed[x.0 as usize] = true;
                }
            }
        }
    }
    for i in 0..n {
        if reach[i] > limit && !fed[i] && !leads_to_cycle[i] {
            found.push(Finding {
                inject: u32::try_from(i).unwrap_or(u32::MAX),
                kind: FindingKind::FansOut {
                    deliveries: reach[i] - 1,
                },
                sure,
            });
        }
    }
    found
}

/// Everything wrong with how the scenario's deliveries multiply: sure problems (errors)
/// first, then those that depend on conditions (warnings), at most one per inject.
/// `limit` is the most deliveries one delivery may lead to.
pub fn check(injects: &[Inject], limit: u64) -> Vec<Finding> {
    let g = graph(injects);
    let mut found = findings_for(&g, |x| x.1, limit, true);
    for f in findings_for(&g, |x| x.2, limit, false) {
        if !found.iter().any(|x| x.inject == f.inject) {
            found.push(f);
        }
    }
    found
}
