//! A bounded exploration of the decision space: many plays, each from its own seed, some
//! by the scenario's bot crews and most by an explorer that at every moment something can
//! be done picks among everything every role could do (take an action, answer a question,
//! approve or deny, the facilitator firing a contingency inject), or waits; it prefers what
//! no play has tried yet. What never happened in any play, and what went wrong on the way
//! (a question asked again while open, an action offered before its role was told
//! anything), is what the linter reports. Plays are split over a fixed number of shards,
//! so the result does not depend on the number of cores.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::engine::GameTime;
use crate::engine::command::{Command, Issued};
use crate::engine::event::EventKind;
use crate::engine::exercise::Exercise;
use crate::engine::ids::Seat;
use crate::engine::model::{BotSpec, InjectIx, Policy, Rating, RoleIx, Scenario};
use crate::engine::view::Avail;
use crate::sim::coverage::{Cover, Seen};

/// Plays are dealt to this many shards, each with its own memory of what was tried.
const SHARDS: u64 = 4;
/// The most commands one play may give before it is stopped.
const MAX_STEPS: usize = 5_000;

/// What the plays found, summed over all of them.
#[derive(Clone, Debug, Default)]
pub struct Explored {
    pub plays: u64,
    /// Moments at which some role could do something, over all plays.
    pub decisions: u64,
    /// What happened in how many plays (injects, answers, actions) and which endings some
    /// play reached: the same tally as `ttx simulate --coverage`.
    pub cover: Cover,
    /// Per objective: plays that rated it P.
    pub rated_p: Vec<u64>,
    /// Per inject: a moment its question was asked again while still open (first asked,
    /// asked again).
    pub reopened: Vec<Option<(GameTime, GameTime)>>,
    /// Per action: a role it was offered to before anything reached that role, and when.
    pub offered_early: Vec<Option<(RoleIx, GameTime)>>,
    path_hashes: BTreeSet<u64>,
}

impl Explored {
    /// Distinct sequences of choices, over all plays.
    pub fn paths(&self) -> usize {
        self.path_hashes.len()
    }

    fn new(sc: &Scenario) -> Explored {
        Explored {
            cover: Cover::new(sc),
            rated_p: vec![0; sc.objectives.len()],
            reopened: vec![None; sc.injects.len()],
            offered_early: vec![None; sc.actions.len()],
            ..Explored::default()
        }
    }

    fn merge(&mut self, o: Explored) {
        let add = |a: &mut [u64], b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        self.plays += o.plays;
        self.decisions += o.decisions;
        self.cover.merge(o.cover);
        add(&mut self.rated_p, &o.rated_p);
        for (a, b) in self.reopened.iter_mut().zip(o.reopened) {
            *a = a.or(b);
        }
        for (a, b) in self.offered_early.iter_mut().zip(o.offered_early) {
            *a = a.or(b);
        }
        self.path_hashes.extend(o.path_hashes);
    }

    /// Folds one finished play in (the play's number and seed name it in the tally).
    fn add_play(&mut self, ex: &Exercise, (run, seed): (u64, u64)) {
        let sc = ex.scenario();
        let st = ex.state();
        self.plays += 1;
        let ending = st.ended.and_then(|e| e.ending);
        self.cover.add(&Seen::of(st), ending, (run, seed));
        let mut open: Vec<(InjectIx, GameTime)> = Vec::new();
        for e in &st.log {
            match &e.kind {
                EventKind::ObjectiveRated { objective, rating } if *rating == Rating::P => {
                    self.rated_p[objective.ix()] += 1;
                }
                EventKind::InjectDelivered { inject, .. }
                    if sc.inject(*inject).prompt.is_some() =>
                {
                    if let Some((_, first)) = open.iter().find(|(i, _)| i == inject) {
                        self.reopened[inject.ix()].get_or_insert((*first, e.at));
                    }
                    open.retain(|(i, _)| i != inject);
                    open.push((*inject, e.at));
                }
                EventKind::DecisionMade { inject, .. }
                | EventKind::PromptExpired { inject, .. } => {
                    open.retain(|(i, _)| i != inject);
                }
                _ => {}
            }
        }
    }
}

/// A seeded stream of numbers for the explorer's choices: the `n`th is the simulator's
/// seed mix of the play's seed and `n`.
struct Dice(u64, u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.1 += 1;
        super::super::simulate::run_seed(self.0, self.1)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// Something the explorer can do at a moment, with the slot that counts how often any play
/// tried it.
#[derive(Clone)]
struct Move {
    issued: Issued,
    slot: usize,
}

/// The explorer's memory of how often each possible move was tried (one slot per action,
/// per answer, per approval and denial of each action, and per contingency inject), and
/// for each thing a play can reach, the earliest moment of game time at which some play
/// reached it: later plays go on from one of those moments half the time, so that what
/// lies deep in the story, or needs a chain of steps done early, is reached as often as
/// what lies near its start.
struct Tried {
    counts: Vec<u64>,
    option_base: Vec<usize>,
    approve_base: usize,
    fire_base: usize,
    /// Per slot (actions taken, answers given) and then per inject (delivered): the earliest
    /// moment it was reached, to go on from.
    earliest: Vec<Option<Exercise>>,
    /// The slots that hold a moment.
    kept: Vec<usize>,
}

impl Tried {
    fn new(sc: &Scenario) -> Tried {
        let mut next = sc.actions.len();
        let mut option_base = Vec::with_capacity(sc.injects.len());
        for i in &sc.injects {
            option_base.push(next);
            next += i.prompt.as_ref().map_or(0, |p| p.options.len());
        }
        let approve_base = next;
        let fire_base = approve_base + 2 * sc.actions.len();
        Tried {
            counts: vec![0; fire_base + sc.injects.len()],
            option_base,
            approve_base,
            fire_base,
            earliest: vec![None; fire_base + 2 * sc.injects.len()],
            kept: Vec::new(),
        }
    }

    /// Notes what the events from `from` on reached, and keeps the moment where it is the
    /// earliest yet.
    fn note(&mut self, ex: &Exercise, from: usize) {
        if ex.is_over() {
            return;
        }
        let injects = self.fire_base + ex.scenario().injects.len();
        for e in &ex.events()[from..] {
            let slot = match &e.kind {
                EventKind::ActionTaken { action, .. } => action.ix(),
                EventKind::DecisionMade { inject, option, .. } => {
                    self.option_base[inject.ix()] + usize::from(*option)
                }
                EventKind::InjectDelivered { inject, .. } => injects + inject.ix(),
                _ => continue,
            };
            let Some(kept) = self.earliest.get_mut(slot) else {
                continue;
            };
            match kept {
                Some(k) if k.now() <= ex.now() => {}
                Some(k) => *k = ex.clone(),
                None => {
                    *kept = Some(ex.clone());
                    self.kept.push(slot);
                }
            }
        }
    }

    /// A moment to go on from, if any is kept.
    fn pick(&self, dice: &mut Dice) -> Option<Exercise> {
        let slot = *self.kept.get(dice.below(self.kept.len()))?;
        self.earliest[slot].clone()
    }
}

/// What can be done now: by each role, and the facilitator's contingency injects.
fn moves(
    ex: &Exercise,
    tried: &Tried,
    told: &[bool],
    early: &mut [Option<(RoleIx, GameTime)>],
) -> Vec<Move> {
    let sc = ex.scenario();
    let mut out = Vec::new();
    for r in RoleIx::all(sc.roles.len()) {
        let lens = ex.lens(r);
        let seat = Seat::Role(sc.role(r).id.clone());
        for (a, act, avail) in lens.actions() {
            if avail == Avail::Unavailable {
                continue;
            }
            if !told[r.ix()] {
                early[a.ix()].get_or_insert((r, ex.now()));
            }
            out.push(Move {
                issued: Issued::new(
                    seat.clone(),
                    Command::Act {
                        action: act.id.clone(),
                    },
                ),
                slot: a.ix(),
            });
        }
        for (i, p, _) in lens.prompts() {
            for (o, opt) in p.options.iter().enumerate() {
                if !lens.option_open(i, o) {
                    continue;
                }
                out.push(Move {
                    issued: Issued::new(
                        seat.clone(),
                        Command::Choose {
                            inject: sc.inject(i).id.clone(),
                            option: opt.id.clone(),
                        },
                    ),
                    slot: tried.option_base[i.ix()] + o,
                });
            }
        }
        for (req, _) in lens.requests() {
            let base = tried.approve_base + 2 * req.action.ix();
            out.push(Move {
                issued: Issued::new(seat.clone(), Command::Approve { request: req.id }),
                slot: base,
            });
            out.push(Move {
                issued: Issued::new(seat.clone(), Command::Deny { request: req.id }),
                slot: base + 1,
            });
        }
    }
    for (i, inj) in sc.injects.iter().enumerate() {
        if inj.contingency && ex.state().injects[i].deliveries == 0 {
            out.push(Move {
                issued: Issued::facilitator(Command::FireInject {
                    inject: inj.id.clone(),
                }),
                slot: tried.fire_base + i,
            });
        }
    }
    out
}

/// Whether an event tells a role something: an inject, another role's action or request,
/// an answer it hears.
fn tells(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::InjectDelivered { .. }
            | EventKind::InjectPassedOn { .. }
            | EventKind::AdHocInjectDelivered(_)
            | EventKind::ActionTaken { .. }
            | EventKind::ActionCompleted { .. }
            | EventKind::ApprovalRequested { .. }
            | EventKind::DecisionMade { .. }
    )
}

/// One play by the explorer.
fn explore_play(
    sc: &Arc<Scenario>,
    (run, seed): (u64, u64),
    tried: &mut Tried,
    acc: &mut Explored,
) {
    let mut dice = Dice(seed ^ 0x5EED_1A7E, 0);
    let resumed = if dice.below(2) == 0 {
        tried.pick(&mut dice)
    } else {
        None
    };
    let mut ex = resumed.unwrap_or_else(|| Exercise::start(Arc::clone(sc), seed));
    // How often this play waits rather than acts when it could act.
    let patience = [5, 15, 35, 60, 85][dice.below(5)];
    let mut told = vec![false; sc.roles.len()];
    let mut cursor = 0;
    let mut path: u64 = 0xcbf2_9ce4_8422_2325;
    for _ in 0..MAX_STEPS {
        if ex.is_over() {
            break;
        }
        for e in &ex.events()[cursor..] {
            if tells(&e.kind) {
                for r in e.audience.roles() {
                    if let Some(t) = told.get_mut(r.ix()) {
                        *t = true;
                    }
                }
            }
        }
        cursor = ex.events().len();
        let options = moves(&ex, tried, &told, &mut acc.offered_early);
        let now = ex.now();
        let pick = if options.is_empty() || dice.below(100) < patience {
            None
        } else {
            acc.decisions += 1;
            let fresh: Vec<usize> = (0..options.len())
                .filter(|k| tried.counts[options[*k].slot] == 0)
                .collect();
            Some(if !fresh.is_empty() && dice.below(2) == 0 {
                fresh[dice.below(fresh.len())]
            } else {
                dice.below(options.len())
            })
        };
        let issued = if let Some(k) = pick {
            tried.counts[options[k].slot] += 1;
            path = (path ^ (options[k].slot as u64 + 1)).wrapping_mul(0x0000_0100_0000_01b3);
            options[k].issued.clone()
        } else {
            let at = if dice.below(2) == 0 {
                ex.next_due()
            } else {
                now.plus(1 + u32::try_from(dice.below(30)).unwrap_or(0))
            };
            Issued::facilitator(Command::AdvanceTo {
                at: at.max(now.plus(1)),
            })
        };
        let before = ex.events().len();
        ex.apply(&issued);
        tried.note(&ex, before);
        if pick.is_none() && ex.now() == now && !ex.is_over() {
            break;
        }
    }
    acc.path_hashes.insert(path);
    acc.add_play(&ex, (run, seed));
}

/// The crews some plays are given instead of the explorer: the scenario's own personas,
/// then every role by one policy.
fn crews(sc: &Scenario) -> Vec<Vec<(RoleIx, BotSpec)>> {
    let mut out = vec![
        RoleIx::all(sc.roles.len())
            .map(|r| (r, sc.default_bot(r)))
            .collect::<Vec<_>>(),
    ];
    for p in Policy::ALL {
        out.push(
            RoleIx::all(sc.roles.len())
                .map(|r| {
                    (
                        r,
                        BotSpec {
                            policy: p,
                            ..sc.default_bot(r)
                        },
                    )
                })
                .collect(),
        );
    }
    out
}

/// Explores `plays` plays of a scenario from base seed `seed`: every fifth by one of the
/// bot crews, the second by nobody at all, the rest by the explorer.
pub fn explore(sc: &Arc<Scenario>, plays: u64, seed: u64) -> Explored {
    let crews = crews(sc);
    let shard = |s: u64| {
        let mut acc = Explored::new(sc);
        let mut tried = Tried::new(sc);
        let mut run = s;
        while run < plays {
            let play_seed = super::super::simulate::run_seed(seed, run);
            if run.is_multiple_of(5) {
                let crew = &crews[usize::try_from(run / 5).unwrap_or(0) % crews.len()];
                let ex =
                    super::super::headless::run_with_bots(Arc::clone(sc), play_seed, &[], crew);
                acc.add_play(&ex, (run, play_seed));
            } else if run == 1 {
                let ex = super::super::headless::run(Arc::clone(sc), play_seed, &[]);
                acc.add_play(&ex, (run, play_seed));
            } else {
                explore_play(sc, (run, play_seed), &mut tried, &mut acc);
            }
            run += SHARDS;
        }
        acc
    };
    let shards: Vec<Explored> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..SHARDS).map(|s| scope.spawn(move || shard(s))).collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| Explored::new(sc)))
            .collect()
    });
    let mut total = Explored::new(sc);
    for s in shards {
        total.merge(s);
    }
    total
}
