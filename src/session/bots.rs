//! Bots: policies that play a role through the same commands a person gives, seeing only
//! what that role may see (a [`Lens`]), deterministic for a given seed. They react after a
//! plausible delay in game time, never instantly, and at most once a game minute.
//!
//! The policies read the scenario's vocabulary, not its ids: an action's [`ActionKind`]
//! (triage, escalate, contain, ...) and a prompt option's [`Stance`] (act, escalate,
//! defer). So a new scenario gets sensible bots by annotating its actions and options.
//!
//! - *by the book*: triage, contain when authorised or pre-approved (else ask for approval),
//!   escalate and keep escalating until someone picks up, answer with the option it has
//!   the authority for, else pass it up; never outside the rules, never disruptive on its own.
//! - *deferrer*: the talk's 03:30 contact. Does routine work only and puts decisions off
//!   until asked `patience` times (or until `gives_in_at`), then behaves by the book.
//! - *decisive*: contains first, accepts disruption, approves at once; after waiting
//!   `acts_alone_after` minutes for approval it acts outside the rules.
//! - *random*: any permitted move, seeded.

use crate::engine::model::{
    ActionIx, ActionKind, BotSpec, Channel, Judgement, Picked, Policy, RoleIx, Scenario, Stance,
};
use crate::engine::rng::{self, ChaCha8Rng};
use crate::engine::view::{Avail, Lens};
use crate::engine::{Actor, Command, EventKind, Exercise, GameTime, Issued, Seat};

/// How often a bot rings someone who does not pick up before it gives up.
const MAX_ATTEMPTS: u16 = 12;

/// Ranks below this are the persona's preferred actions, in the order the file lists them.
const PREFERRED: u8 = 32;

/// Minutes between looks while a role cannot act (asleep, off shift).
const OFF_SHIFT_LOOK: u32 = 30;

/// One bot, playing one role.
#[derive(Clone, Debug)]
pub struct Bot {
    role: RoleIx,
    seat: Seat,
    spec: BotSpec,
    rng: ChaCha8Rng,
    /// Log position up to which the bot has read.
    cursor: usize,
    /// When it next looks at its screen.
    wake: Option<GameTime>,
    /// When the last command was given (one a minute at most).
    last_command: Option<GameTime>,
    /// When something was first addressed to this role.
    first_aware: Option<GameTime>,
    /// How often it was pushed: prompts to answer, pages.
    pushes: u32,
    /// Per action of the scenario: when this bot last took it, how often it did, and how
    /// often it pushed someone who had already picked up.
    last_taken: Vec<Option<GameTime>>,
    attempts: Vec<u16>,
    repushes: Vec<u16>,
    requested_at: Vec<Option<GameTime>>,
    /// Approval requests it tried to grant and the engine refused (the action could not
    /// start): when, and how often.
    tried: std::collections::BTreeMap<u32, (GameTime, u8)>,
    /// Per role: when this bot last shared an event with it (a call answered, a decision
    /// heard, a message to both), other than its own actions. A call "landed" when the
    /// callee shows up in an event after it.
    last_shared: Vec<Option<GameTime>>,
    /// What its persona prefers and avoids, from the file (none when the command line gave
    /// the role another policy than its persona's).
    judgement: Judgement,
}

impl Bot {
    pub fn new(sc: &Scenario, seed: u64, role: RoleIx, spec: BotSpec) -> Bot {
        let id = &sc.role(role).id;
        let n = sc.actions.len();
        Bot {
            role,
            seat: Seat::Role(id.clone()),
            spec,
            rng: rng::stream(seed, &format!("bot:{id}")),
            cursor: 0,
            wake: None,
            last_command: None,
            first_aware: None,
            pushes: 0,
            last_taken: vec![None; n],
            attempts: vec![0; n],
            repushes: vec![0; n],
            requested_at: vec![None; n],
            tried: std::collections::BTreeMap::new(),
            last_shared: vec![None; sc.roles.len()],
            judgement: sc
                .bots
                .iter()
                .find(|b| b.role == role && b.spec.policy == spec.policy)
                .map(|b| b.judgement.clone())
                .unwrap_or_default(),
        }
    }

    /// When the bot next wants to look (and maybe act).
    pub fn wake(&self) -> Option<GameTime> {
        self.wake
    }

    /// Reads what happened since the last call and, if something new concerns the role,
    /// plans to look again after its reaction time.
    pub fn observe(&mut self, ex: &Exercise) {
        let lens = ex.lens(self.role);
        let now = lens.now();
        let sc = ex.scenario();
        let me = Actor::Role(self.role);
        let mut news = false;
        for (_, e) in lens.events_since(self.cursor) {
            let mine = matches!(&e.kind,
                EventKind::ActionTaken { by, .. } | EventKind::ActionCompleted { by, .. }
                    if *by == me);
            if !mine {
                for i in e.audience.roles() {
                    if i != self.role {
                        self.last_shared[usize::from(i)] = Some(e.at);
                    }
                }
            }
            if let EventKind::CommandRejected(r) = &e.kind
                && r.by == self.seat
                && let Command::Approve { request } = r.command
            {
                let t = self.tried.entry(request).or_insert((e.at, 0));
                *t = (e.at, t.1.saturating_add(1));
            }
            match &e.kind {
                EventKind::InjectDelivered { inject, .. } => {
                    self.first_aware.get_or_insert(e.at);
                    self.pushes += pushes(sc, self.role, *inject);
                    news = true;
                }
                EventKind::AdHocInjectDelivered { .. } | EventKind::InjectPassedOn { .. } => {
                    self.first_aware.get_or_insert(e.at);
                    news = true;
                }
                // A request in the queue is not a push: a deferrer lets it sit.
                EventKind::ApprovalRequested { approvers, .. } => {
                    if approvers.includes(self.role) {
                        self.first_aware.get_or_insert(e.at);
                    }
                    news = true;
                }
                // Its own refused command is no reason to try the same thing again at once.
                EventKind::CommandRejected { .. }
                | EventKind::ExerciseStarted { .. }
                | EventKind::ValueDrawn { .. }
                | EventKind::MilestoneReached { .. } => {}
                _ => news = true,
            }
        }
        self.cursor = lens.log_len();
        if news && self.first_aware.is_some() && !lens.is_over() {
            let (lo, hi) = self.spec.reaction;
            let at = now.plus(rng::between(&mut self.rng, lo, hi));
            let at = match self.last_command {
                Some(last) => at.max(last.plus(1)),
                None => at,
            };
            if self.wake.is_none_or(|w| at < w) {
                self.wake = Some(at);
            }
        }
    }

    /// Looks at the screen (the wake time has come) and gives at most one command.
    pub fn think(&mut self, ex: &Exercise) -> Option<Command> {
        self.wake = None;
        let lens = ex.lens(self.role);
        let now = lens.now();
        if lens.is_over() {
            return None;
        }
        if !lens.reachable(self.role) {
            // Asleep or off shift: look again later (a role coming on shift is no event).
            self.wake = self.later(ex, &lens).or(Some(now.plus(OFF_SHIFT_LOOK)));
            return None;
        }
        let command = self
            .answer_prompt(ex, &lens)
            .or_else(|| self.decide_request(&lens))
            .or_else(|| {
                if let Some(until) = lens.busy_until() {
                    self.wake = Some(until.max(now.plus(1)));
                    return None;
                }
                self.pick_action(ex, &lens).map(|(a, avail)| {
                    let action = ex.scenario().action(a);
                    let i = a.ix();
                    if avail == Avail::NeedsApproval {
                        self.requested_at[i] = Some(now);
                    } else {
                        self.last_taken[i] = Some(now);
                        self.attempts[i] = self.attempts[i].saturating_add(1);
                        if self.landed(a, ex.scenario()) {
                            self.repushes[i] = self.repushes[i].saturating_add(1);
                        }
                    }
                    Command::Act {
                        action: action.id.clone(),
                    }
                })
            });
        if command.is_some() {
            self.last_command = Some(now);
        } else if self.wake.is_none() {
            self.wake = self.later(ex, &lens);
        }
        command
    }

    /// Whether the deferrer has been pushed hard enough, or its morning has come (other
    /// policies never hold back).
    fn given_in(&self, now: GameTime) -> bool {
        gives_in(&self.spec, self.pushes, now)
    }

    fn answer_prompt(&mut self, ex: &Exercise, lens: &Lens<'_>) -> Option<Command> {
        let sc = &**ex.scenario();
        let given_in = self.given_in(lens.now());
        let (inject, prompt, _) = lens.prompts().next()?;
        let holds = |c: &crate::engine::model::Cond| ex.holds_for(c, Some(self.role));
        let answer = |k: usize| Picked::Answer(inject, u16::try_from(k).unwrap_or(u16::MAX));
        let allowed: Vec<usize> = (0..prompt.options.len())
            .filter(|&k| {
                let o = &prompt.options[k];
                o.authority <= lens.level(o.domain) && lens.option_open(inject, k)
            })
            .filter(|&k| !self.judgement.avoids(answer(k), holds))
            .collect();
        if allowed.is_empty() {
            return None;
        }
        let rank = |s: Stance| -> u8 {
            let order: &[Stance] = match (self.spec.policy, given_in) {
                (Policy::Deferrer, false) => &[
                    Stance::Defer,
                    Stance::Inquire,
                    Stance::Neutral,
                    Stance::Escalate,
                    Stance::Act,
                ],
                (Policy::Decisive, _) => &[
                    Stance::Act,
                    Stance::Rogue,
                    Stance::Escalate,
                    Stance::Inquire,
                    Stance::Neutral,
                    Stance::Defer,
                ],
                _ => &[
                    Stance::Act,
                    Stance::Escalate,
                    Stance::Inquire,
                    Stance::Neutral,
                    Stance::Defer,
                ],
            };
            order
                .iter()
                .position(|x| *x == s)
                .map_or(u8::MAX, |p| u8::try_from(p).unwrap_or(u8::MAX))
        };
        // The persona's preferred answer first (the random bot has no preferences).
        let preferred = allowed
            .iter()
            .filter_map(|&k| self.judgement.preferred(answer(k), holds).map(|p| (p, k)))
            .min();
        let pick = if let Some((_, k)) = preferred.filter(|_| self.spec.policy != Policy::Random) {
            k
        } else if self.spec.policy == Policy::Random {
            let n = u32::try_from(allowed.len()).unwrap_or(1);
            allowed[rng::below(&mut self.rng, n) as usize]
        } else {
            // The first best option in the author's order.
            *allowed
                .iter()
                .min_by_key(|&&k| rank(prompt.options[k].stance))
                .unwrap_or(&allowed[0])
        };
        Some(Command::Choose {
            inject: sc.inject(inject).id.clone(),
            option: prompt.options[pick].id.clone(),
        })
    }

    fn decide_request(&mut self, lens: &Lens<'_>) -> Option<Command> {
        let given_in = self.given_in(lens.now());
        let now = lens.now();
        let retry = self.spec.retry;
        let tried = &self.tried;
        // A request whose approval the engine refused (the action could not start) is
        // tried again only after a while, and not endlessly.
        let (request, action) = lens.requests().find(|(r, _)| {
            tried
                .get(&r.id)
                .is_none_or(|(at, n)| *n < 3 && now >= at.plus(retry))
        })?;
        // An action that can no longer be taken needs no approval.
        let ix = lens.scenario().action_index(action.id.as_str());
        let spent = ix.is_some_and(|i| !action.repeatable && lens.taken(i).0 > 0);
        let approve = match self.spec.policy {
            _ if spent => false,
            Policy::Random => rng::below(&mut self.rng, 2) == 0,
            _ if !given_in => return None,
            _ => lens.level(action.domain) >= action.authority,
        };
        Some(if approve {
            Command::Approve {
                request: request.id,
            }
        } else {
            Command::Deny {
                request: request.id,
            }
        })
    }

    /// True when everyone an action reaches has shown up since this bot last took it (the
    /// call was answered, the message was answered): the contact was made.
    fn landed(&self, a: ActionIx, sc: &Scenario) -> bool {
        let Some(last) = self.last_taken[a] else {
            return false;
        };
        let to = sc.action(a).to;
        !to.is_empty()
            && to.roles().all(|i| {
                self.last_shared[usize::from(i)]
                    // At the very minute of the call counts: a call answered at once.
                    .is_some_and(|t| t >= last)
            })
    }

    /// True while one of the role's own containment actions waits for someone's decision.
    fn waiting_for_decision(&self, lens: &Lens<'_>) -> bool {
        lens.own_actions().any(|(ix, a)| {
            a.kind == ActionKind::Contain
                && lens.taken(ix).0 == 0
                && (self.requested_at[ix].is_some() || lens.avail(ix) == Avail::NeedsApproval)
        })
    }

    /// The place of an action in the policy's order of preference; `None`: not now.
    /// [`declines`] says the same in words, for `ttx explain`.
    fn rank(
        &self,
        kind: ActionKind,
        avail: Avail,
        preapproved: bool,
        given_in: bool,
        now: GameTime,
    ) -> Option<u8> {
        let needs = avail == Avail::NeedsApproval;
        // The authority ordered it, or a playbook covers it: a disruptive step is no longer
        // the bot's own call.
        let preapproved = preapproved || avail == Avail::Preapproved;
        let asked = self.pushes > 0;
        match self.spec.policy {
            Policy::Random => Some(0),
            Policy::Deferrer if !given_in => match kind {
                ActionKind::Triage => Some(0),
                ActionKind::Notify => Some(1),
                ActionKind::Investigate => Some(2),
                ActionKind::Other => Some(3),
                _ => None,
            },
            Policy::ByTheBook | Policy::Deferrer => match kind {
                ActionKind::Triage => Some(0),
                ActionKind::Contain if !needs => Some(1),
                ActionKind::Disrupt if preapproved => Some(1),
                ActionKind::Escalate => Some(2),
                ActionKind::Notify => Some(3),
                ActionKind::Contain => Some(4),
                ActionKind::Decide if asked => Some(5),
                ActionKind::Mitigate => Some(6),
                ActionKind::Investigate => Some(7),
                ActionKind::Other => Some(8),
                ActionKind::Decide | ActionKind::Disrupt | ActionKind::Rogue => None,
            },
            Policy::Decisive => match kind {
                ActionKind::Contain if !needs => Some(0),
                ActionKind::Disrupt => Some(1),
                ActionKind::Contain => Some(2),
                ActionKind::Triage => Some(3),
                ActionKind::Escalate => Some(4),
                ActionKind::Mitigate => Some(5),
                ActionKind::Decide if asked => Some(6),
                ActionKind::Notify => Some(7),
                ActionKind::Investigate => Some(8),
                ActionKind::Other => Some(9),
                ActionKind::Rogue => {
                    let after = self.spec.acts_alone_after?;
                    self.first_aware
                        .is_some_and(|t| now >= t.plus(after))
                        .then_some(10)
                }
                ActionKind::Decide => None,
            },
        }
    }

    fn pick_action(&mut self, ex: &Exercise, lens: &Lens<'_>) -> Option<(ActionIx, Avail)> {
        let now = lens.now();
        self.first_aware?;
        let holds = |c: &crate::engine::model::Cond| ex.holds_for(c, Some(self.role));
        // A disruptive step its `preapproved` covers: ordered, whether or not the role also
        // has the authority.
        let ordered = |a: &crate::engine::model::Action| {
            a.kind == ActionKind::Disrupt && holds(&a.preapproved)
        };
        let sc_given_in = self.given_in(now);
        // Read only when a candidate needs it (most moments offer none).
        let mut waiting_once: Option<bool> = None;
        let mut waiting = || *waiting_once.get_or_insert_with(|| self.waiting_for_decision(lens));
        let mut best: Option<(u8, ActionIx, Avail)> = None;
        let mut pool: Vec<(ActionIx, Avail)> = Vec::new();
        for (ix, a, avail) in lens.actions() {
            if avail == Avail::Unavailable {
                continue;
            }
            // The persona's judgement comes first: what it avoids, never; what it prefers,
            // before anything its policy would do (in the order listed), even a kind the
            // policy never takes on its own.
            if self.judgement.avoids(Picked::Act(ix), holds) {
                continue;
            }
            let preferred = self.judgement.preferred(Picked::Act(ix), holds);
            let rank = match preferred {
                Some(p) => u8::try_from(p).unwrap_or(0),
                None => match self.rank(a.kind, avail, ordered(a), sc_given_in, now) {
                    Some(r) => r.saturating_add(PREFERRED),
                    None => continue,
                },
            };
            // Collecting evidence ties the responder up: not while containment waits on a
            // decision that may come any minute (except for the random bot).
            if a.kind == ActionKind::Investigate
                && preferred.is_none()
                && matches!(self.spec.policy, Policy::ByTheBook | Policy::Deferrer)
                && waiting()
            {
                continue;
            }
            let i = ix.ix();
            if avail == Avail::NeedsApproval {
                // Ask once; after a refusal, ask again only much later.
                if let Some(at) = self.requested_at[i]
                    && now < at.plus(self.spec.retry * 3)
                {
                    continue;
                }
            } else if let Some(last) = self.last_taken[i]
                // Played in turns, a new turn is a new chance: the budget bounds repeats.
                && !turns_apart(lens.scenario(), last, now)
            {
                if now < last.plus(self.spec.retry) {
                    continue;
                }
                let reached = self.landed(ix, lens.scenario());
                let calls = matches!(a.kind, ActionKind::Escalate | ActionKind::Notify);
                if self.spec.policy != Policy::Random {
                    if !calls {
                        continue;
                    }
                    if reached {
                        // They picked up before: push again only while the containment
                        // still waits for a decision, and not endlessly.
                        let max = match self.spec.policy {
                            Policy::ByTheBook => 3,
                            Policy::Decisive => 2,
                            _ => 1,
                        };
                        if self.repushes[i] >= max
                            || now < last.plus(self.spec.retry * 2)
                            || !waiting()
                        {
                            continue;
                        }
                    } else if self.attempts[i] >= MAX_ATTEMPTS {
                        continue;
                    }
                } else if self.attempts[i] >= MAX_ATTEMPTS {
                    continue;
                }
            }
            if self.spec.policy == Policy::Random {
                pool.push((ix, avail));
            } else if best.is_none_or(|(r, _, _)| rank < r) {
                best = Some((rank, ix, avail));
            }
        }
        if self.spec.policy == Policy::Random {
            // Doing nothing is one of the choices too.
            let n = u32::try_from(pool.len() + 1).unwrap_or(u32::MAX);
            let k = rng::below(&mut self.rng, n) as usize;
            pool.get(k).copied()
        } else {
            best.map(|(_, ix, avail)| (ix, avail))
        }
    }

    /// The next moment a rule of time may change the bot's mind: a retry falling due, the
    /// morning, the end of a decisive bot's patience.
    fn later(&self, ex: &Exercise, lens: &Lens<'_>) -> Option<GameTime> {
        let now = lens.now();
        let sc = ex.scenario();
        let mut next: Option<GameTime> = None;
        let mut consider = |t: GameTime| {
            if t > now && next.is_none_or(|n| t < n) {
                next = Some(t);
            }
        };
        for (ix, a) in lens.own_actions() {
            let i = ix.ix();
            if let Some(last) = self.last_taken[i]
                && a.repeatable
                && self.attempts[i] < MAX_ATTEMPTS
            {
                consider(last.plus(self.spec.retry));
                consider(last.plus(self.spec.retry * 2));
            }
            if let Some(at) = self.requested_at[i] {
                consider(at.plus(self.spec.retry * 3));
            }
        }
        if let (Some(after), Some(t)) = (self.spec.acts_alone_after, self.first_aware) {
            consider(t.plus(after));
        }
        if let Some(t) = self.spec.gives_in_at {
            consider(t);
        }
        next.filter(|t| *t < sc.end)
    }
}

/// Whether `then` and `now` fall in different turns of a scenario played in turns.
fn turns_apart(sc: &Scenario, then: GameTime, now: GameTime) -> bool {
    sc.turn_of(then).is_some_and(|t| Some(t) != sc.turn_of(now))
}

/// The bots of one exercise, one per role nobody plays.
#[derive(Clone, Debug, Default)]
pub struct Crew {
    bots: Vec<Bot>,
}

impl Crew {
    /// Bots for `seats` (role and persona), seeded from the exercise's seed.
    pub fn new(ex: &Exercise, seats: &[(RoleIx, BotSpec)]) -> Crew {
        let sc = ex.scenario();
        let seed = ex.state().seed;
        Crew {
            bots: seats
                .iter()
                .map(|(r, spec)| Bot::new(sc, seed, *r, *spec))
                .collect(),
        }
    }

    /// Lets every bot read what happened.
    pub fn observe(&mut self, ex: &Exercise) {
        for b in &mut self.bots {
            b.observe(ex);
        }
    }

    /// True when no bot sits in any seat.
    pub fn is_empty(&self) -> bool {
        self.bots.is_empty()
    }

    /// The earliest moment a bot wants to look.
    pub fn next_wake(&self) -> Option<GameTime> {
        self.bots.iter().filter_map(Bot::wake).min()
    }

    /// The next command a bot gives now, if any is due (bots in role order).
    pub fn poll(&mut self, ex: &Exercise) -> Option<Issued> {
        let now = ex.now();
        for b in &mut self.bots {
            if b.wake.is_some_and(|w| w <= now)
                && let Some(c) = b.think(ex)
            {
                return Some(Issued::new(b.seat.clone(), c));
            }
        }
        None
    }
}

/// Whether a bot of this persona, pushed `pushes` times, has given in by `now`: a deferrer
/// once pushed `patience` times or at its `gives_in_at`; other policies never hold back.
pub fn gives_in(spec: &BotSpec, pushes: u32, now: GameTime) -> bool {
    spec.policy != Policy::Deferrer
        || pushes >= spec.patience
        || spec.gives_in_at.is_some_and(|t| now >= t)
}

/// How hard an inject delivered to a role pushes its bot: a question it must answer, a
/// page (each counts once). A deferrer gives in after `patience` pushes.
pub fn pushes(sc: &Scenario, role: RoleIx, inject: crate::engine::model::InjectIx) -> u32 {
    let inject = sc.inject(inject);
    let asked = inject.prompt.as_ref().is_some_and(|p| p.by.contains(&role));
    u32::from(asked) + u32::from(inject.channel == Channel::Pager)
}

mod declines;
pub use declines::declines;
