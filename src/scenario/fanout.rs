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
//!   holds two or more cycles, and its deliveries grow exponentially with time, doubling at
//!   least once a round; when the exercise is long enough for 17 rounds (each at least the
//!   group's shortest delay), they pass the engine's limits. One cycle is a repeating inject
//!   (a reminder every ten minutes), which grows only linearly.
//! - The deliveries one delivery sets off at the same moment are the paths of zero-delay
//!   schedules out of it, counted with multiplicity; past the engine's limit for one moment,
//!   the run would be stopped.

use crate::engine::model::{Delay, Effect, Inject, InjectIx};

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
    /// One delivery of the inject can lead to this many more, past the limit: all at the
    /// same moment (`at_once`, through schedules with no delay), or over time.
    FansOut { deliveries: u64, at_once: bool },
}

/// One kind of edge of the scheduling graph: `to` scheduled `sure` times whatever the
/// conditions and `most` times at most, with no delay (`zero`) or after at least `delay`
/// minutes.
#[derive(Clone, Copy, Debug)]
struct Edge {
    to: InjectIx,
    zero: bool,
    sure: u64,
    most: u64,
    delay: u32,
}

type Counts = std::collections::BTreeMap<(InjectIx, bool), (u64, u64, u32)>;

/// `(sure, most, shortest delay)` per (target, no delay?) for one run of `effects`, added
/// into `out`.
fn count(effects: &[Effect], delay_of: &dyn Fn(&Delay) -> u32, out: &mut Counts) {
    for e in effects {
        match e {
            Effect::Schedule(j, d) => {
                let m = delay_of(d);
                add(out, (*j, m == 0), (1, 1, m));
            }
            Effect::If(b) => {
                let mut then = Counts::new();
                let mut otherwise = Counts::new();
                count(&b.then, delay_of, &mut then);
                count(&b.otherwise, delay_of, &mut otherwise);
                let keys: std::collections::BTreeSet<(InjectIx, bool)> =
                    then.keys().chain(otherwise.keys()).copied().collect();
                for k in keys {
                    let (ts, tm, td) = then.get(&k).copied().unwrap_or((0, 0, u32::MAX));
                    let (os, om, od) = otherwise.get(&k).copied().unwrap_or((0, 0, u32::MAX));
                    add(out, k, (ts.min(os), tm.max(om), td.min(od)));
                }
            }
            _ => {}
        }
    }
}

fn add(out: &mut Counts, k: (InjectIx, bool), (sure, most, delay): (u64, u64, u32)) {
    let x = out.entry(k).or_insert((0, 0, u32::MAX));
    x.0 = x.0.saturating_add(sure);
    x.1 = x.1.saturating_add(most);
    x.2 = x.2.min(delay);
}

/// The scheduling graph: for each inject, its edges.
fn graph(injects: &[Inject], delay_of: &dyn Fn(&Delay) -> u32) -> Vec<Vec<Edge>> {
    injects
        .iter()
        .map(|inj| {
            let mut out = Counts::new();
            count(&inj.effects, delay_of, &mut out);
            if let Some(p) = &inj.prompt
                && let Some(d) = p.default.filter(|_| p.deadline.is_some())
            {
                let mut by_default = Counts::new();
                count(
                    &p.options[usize::from(d)].effects,
                    delay_of,
                    &mut by_default,
                );
                // The default runs only when nobody answers: never sure.
                for (k, (_, m, delay)) in by_default {
                    add(&mut out, k, (0, m, delay));
                }
            }
            out.into_iter()
                .map(|((to, zero), (sure, most, delay))| Edge {
                    to,
                    zero,
                    sure,
                    most,
                    delay,
                })
                .collect()
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

/// How many cycles of doubling take deliveries past the engine's waiting limit (2^17 >
/// 100,000): a group that cannot go round that often within the exercise cannot explode.
const DOUBLINGS: u64 = 17;

/// The findings for one weighting of the graph (`sure` or `most`).
fn findings_for(
    g: &[Vec<Edge>],
    weight: impl Fn(&Edge) -> u64,
    (limit, duration): (u64, u32),
    sure: bool,
) -> Vec<Finding> {
    let n = g.len();
    let edges: Vec<Vec<usize>> = g
        .iter()
        .map(|out| {
            out.iter()
                .filter(|x| weight(x) > 0)
                .map(|x| x.to.ix())
                .collect()
        })
        .collect();
    let comp = components(&edges);
    let comps = comp.iter().map(|c| c + 1).max().unwrap_or(0);
    // Nodes, inner edges and the shortest positive delay inside each component.
    let mut size = vec![0u64; comps];
    let mut inner = vec![0u64; comps];
    let mut shortest = vec![u32::MAX; comps];
    for (i, out) in g.iter().enumerate() {
        let c = comp[i];
        size[c] += 1;
        for x in out.iter().filter(|x| weight(x) > 0) {
            if comp[x.to] == c {
                inner[c] = inner[c].saturating_add(weight(x));
                if x.delay > 0 {
                    shortest[c] = shortest[c].min(x.delay);
                }
            }
        }
    }
    // A group multiplies when it holds two cycles or more and can go round often enough
    // within the exercise to pass the limit (every cycle takes at least its shortest delay).
    let multiplies: Vec<bool> = (0..comps)
        .map(|c| {
            let rounds = u64::from(duration) / u64::from(shortest[c].clamp(1, u32::MAX));
            inner[c] > size[c] && rounds >= DOUBLINGS
        })
        .collect();
    let mut found = Vec::new();
    let mut reported = vec![false; comps];
    for (i, &c) in comp.iter().enumerate() {
        if multiplies[c] && !reported[c] {
            reported[c] = true;
            found.push(Finding {
                inject: InjectIx::at(i).unwrap_or(InjectIx(u32::MAX)),
                kind: FindingKind::Multiplies,
                sure,
            });
        }
    }
    // Deliveries one delivery leads to outside its own group, in reverse topological order
    // of the groups (successors first): through zero-delay edges, what one settling of the
    // engine has to run; through all edges, what it may have to hold.
    for at_once in [true, false] {
        let counts = |x: &Edge| weight(x) > 0 && (x.zero || !at_once);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| comp[i]);
        let mut reach = vec![0u64; n];
        for &i in &order {
            let c = comp[i];
            let mut total: u64 = 1;
            for x in g[i].iter().filter(|x| counts(x)) {
                let j = x.to.ix();
                if comp[j] != c {
                    total = total.saturating_add(weight(x).saturating_mul(reach[j]));
                }
            }
            reach[i] = total.min(u64::MAX / 2);
        }
        // One finding per tree, at the injects where it starts: those over the limit that
        // no inject over the limit feeds.
        let mut fed = vec![false; n];
        for (i, out) in g.iter().enumerate() {
            if reach[i] > limit {
                for x in out.iter().filter(|x| counts(x)) {
                    if comp[x.to] != comp[i] {
                        fed[x.to] = true;
                    }
                }
            }
        }
        for i in 0..n {
            let already = found.iter().any(|f: &Finding| f.inject.ix() == i);
            if reach[i] > limit && !fed[i] && !already {
                found.push(Finding {
                    inject: InjectIx::at(i).unwrap_or(InjectIx(u32::MAX)),
                    kind: FindingKind::FansOut {
                        deliveries: reach[i] - 1,
                        at_once,
                    },
                    // Spread over time, it may stay within the limits: a warning.
                    sure: sure && at_once,
                });
            }
        }
    }
    found
}

/// Everything wrong with how the scenario's deliveries multiply: sure problems (errors)
/// first, then those that depend on conditions (warnings), at most one per inject.
/// `limit` is the most deliveries one delivery may lead to.
/// `delay_of` gives a delay's shortest length in minutes; `duration` is the exercise's.
pub fn check(
    injects: &[Inject],
    limit: u64,
    duration: u32,
    delay_of: &dyn Fn(&Delay) -> u32,
) -> Vec<Finding> {
    let g = graph(injects, delay_of);
    let mut found = findings_for(&g, |x| x.sure, (limit, duration), true);
    let mut seen = vec![false; injects.len()];
    for f in &found {
        seen[f.inject] = true;
    }
    for f in findings_for(&g, |x| x.most, (limit, duration), false) {
        if !seen[f.inject] {
            seen[f.inject] = true;
            found.push(f);
        }
    }
    found
}
