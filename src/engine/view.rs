//! What one seat may see: its events, the variables it may read, its actions (with the
//! reason a greyed one is unavailable), its open prompts and approval requests. The
//! facilitator's view also holds the hidden state. Every shell renders from this, never
//! from the state itself, so information asymmetry is enforced in one place.

use serde::Serialize;

use super::event::Event;
use super::exercise::Exercise;
use super::flow::{Gate, Look};
use super::ids::{ActionId, InjectId, RoleId, Seat, StageId, VarId};
use super::model::{Action, ActionIx, Channel, InjectIx, Outcome, Prompt, RoleIx};
use super::state::{OpenPrompt, Request, RequestStatus};
use super::time::{Clock, GameTime};

#[derive(Clone, Debug, Serialize)]
pub struct View<'a> {
    pub seat: Seat,
    pub now: GameTime,
    #[serde(skip)]
    pub clock: Clock,
    pub paused: bool,
    pub ended: Option<EndedView>,
    pub events: Vec<&'a Event>,
    pub variables: Vec<VarView>,
    pub actions: Vec<ActionView>,
    pub prompts: Vec<PromptView>,
    pub requests: Vec<RequestView>,
    /// Only for the facilitator, or roles the threat is visible to.
    pub threat: Option<ThreatView>,
    /// Only for the facilitator.
    pub hidden: Option<HiddenView>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EndedView {
    pub at: GameTime,
    pub title: String,
    pub outcome: Option<Outcome>,
}

#[derive(Clone, Debug, Serialize)]
pub struct VarView {
    pub id: VarId,
    pub name: String,
    pub value: i32,
    pub min: i32,
    pub max: i32,
}

/// Whether an action can be taken now, and if not, why.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Availability {
    Ready,
    /// Can be requested; someone with authority must approve it.
    NeedsApproval,
    /// Ready without authority because a playbook pre-approves it.
    Preapproved,
    Unavailable(String),
}

#[derive(Clone, Debug, Serialize)]
pub struct ActionView {
    pub id: ActionId,
    pub name: String,
    pub description: String,
    pub authority: u8,
    /// The scale `authority` is on, by name (business risk when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    pub duration: u32,
    pub channel: Option<Channel>,
    pub to: Vec<RoleId>,
    pub availability: Availability,
}

#[derive(Clone, Debug, Serialize)]
pub struct PromptView {
    pub inject: InjectId,
    pub question: String,
    pub options: Vec<(String, String)>,
    pub expires_at: Option<GameTime>,
    pub can_answer: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct RequestView {
    pub request: u32,
    pub action: ActionId,
    pub by: RoleId,
    pub at: GameTime,
    /// True when this seat may approve or deny it now.
    pub can_decide: bool,
    /// For an approver who cannot be reached now: why (the request waits for them).
    pub unreachable: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ThreatView {
    pub name: String,
    pub stage: StageId,
    pub stage_name: String,
    pub index: u16,
    pub of: u16,
    pub halted: bool,
    pub next_at: Option<GameTime>,
}

#[derive(Clone, Debug, Serialize)]
pub struct HiddenView {
    pub draws: Vec<(VarId, i32)>,
    pub pending_injects: Vec<(GameTime, InjectId)>,
    pub seed: u64,
}

impl Exercise {
    /// Exactly what `seat` may see now.
    pub fn view_for(&self, seat: &Seat) -> View<'_> {
        let sc = &**self.scenario();
        let st = self.state();
        let run = Look::new(sc, st);
        let role: Option<RoleIx> = match seat {
            Seat::Facilitator | Seat::Evaluator => None,
            Seat::Role(r) => sc.role_index(r.as_str()),
        };
        // An unknown role sees nothing; the evaluator sees what the facilitator sees.
        let sees = |aud: super::model::Audience| match seat {
            Seat::Facilitator | Seat::Evaluator => true,
            Seat::Role(_) => role.is_some_and(|r| aud.includes(r)),
        };
        let events = st.log.iter().filter(|e| sees(e.audience)).collect();
        let variables = sc
            .variables
            .iter()
            .zip(&st.vars)
            .filter(|(v, _)| sees(v.audience))
            .map(|(v, value)| VarView {
                id: v.id.clone(),
                name: v.name.clone(),
                value: *value,
                min: v.min,
                max: v.max,
            })
            .collect();
        let actions = match role {
            None => Vec::new(),
            Some(role) => sc
                .actions
                .iter()
                .enumerate()
                .filter(|(_, a)| a.by.contains(&role))
                .map(|(i, a)| {
                    let availability = availability(&run, role, i);
                    ActionView {
                        id: a.id.clone(),
                        name: a.name.clone(),
                        description: a.description.clone(),
                        authority: a.authority,
                        domain: sc.domain_name(a.domain).map(str::to_owned),
                        duration: a.duration,
                        channel: a.channel,
                        to: sc.role_ids(a.to),
                        availability,
                    }
                })
                .collect(),
        };
        let prompts = st
            .prompts
            .iter()
            .filter_map(|p| {
                let inject = sc.inject(p.inject);
                let prompt = inject.prompt.as_ref()?;
                if !sees(inject.to) {
                    return None;
                }
                Some(PromptView {
                    inject: inject.id.clone(),
                    question: prompt.question.to_string(),
                    // Only what is on offer now.
                    options: prompt
                        .options
                        .iter()
                        .filter(|o| run.eval_as(&o.available, role))
                        .map(|o| (o.id.to_string(), o.label.to_string()))
                        .collect(),
                    expires_at: p.expires_at,
                    can_answer: role.is_some_and(|r| prompt.by.contains(&r)),
                })
            })
            .collect();
        let requests = st
            .requests
            .iter()
            .filter(|r| r.status == RequestStatus::Pending)
            .filter_map(|r| {
                let action = sc.action(r.action);
                let approvers = match &action.without_authority {
                    super::model::WithoutAuthority::Approval(a) => a.as_slice(),
                    super::model::WithoutAuthority::Refuse => &[],
                };
                let involved = matches!(seat, Seat::Facilitator)
                    || role == Some(r.by)
                    || role.is_some_and(|x| approvers.contains(&x));
                let approver = role.filter(|x| approvers.contains(x));
                let unreachable = approver
                    .filter(|x| !run.eval(&sc.role(*x).reachable))
                    .map(|x| unreachable_words(sc.role(x)));
                involved.then(|| RequestView {
                    request: r.id,
                    action: action.id.clone(),
                    by: sc.role(r.by).id.clone(),
                    at: r.at,
                    can_decide: approver.is_some() && unreachable.is_none(),
                    unreachable,
                })
            })
            .collect();
        let threat = sc.threat.as_ref().filter(|t| sees(t.audience)).map(|t| {
            let stage = &t.stages[usize::from(st.threat.stage)];
            ThreatView {
                name: t.name.clone(),
                stage: stage.id.clone(),
                stage_name: stage.name.clone(),
                index: st.threat.stage.0,
                of: t.stage_count(),
                halted: st.threat.halted,
                next_at: st.threat.next_at(),
            }
        });
        let hidden = matches!(seat, Seat::Facilitator | Seat::Evaluator).then(|| HiddenView {
            draws: sc
                .draws
                .iter()
                .zip(&st.draws)
                .map(|(d, s)| (d.id.clone(), s.value))
                .collect(),
            pending_injects: st
                .agenda
                .sorted()
                .into_iter()
                .filter_map(|t| match t.due {
                    super::state::Due::Deliver(i) => Some((t.at, sc.inject(i).id.clone())),
                    super::state::Due::Complete { .. } | super::state::Due::Turn(_) => None,
                })
                .collect(),
            seed: st.seed,
        });
        let ended = st.ended.map(|e| {
            let ending = e.ending.map(|i| &sc.endings[usize::from(i)]);
            EndedView {
                at: e.at,
                title: ending.map_or_else(|| "Ended".to_owned(), |x| x.title.clone()),
                outcome: ending.map(|x| x.outcome),
            }
        });
        View {
            seat: seat.clone(),
            now: st.now,
            clock: sc.start.clock(st.now),
            paused: st.paused,
            ended,
            events,
            variables,
            actions,
            prompts,
            requests,
            threat,
            hidden,
        }
    }
}

pub use super::flow::Avail;

/// Why a role cannot act now because it cannot be reached: its own note, or the plain fact.
fn unreachable_words(r: &super::model::Role) -> String {
    if r.unreachable_note.is_empty() {
        "you cannot be reached".into()
    } else {
        r.unreachable_note.clone()
    }
}

fn availability(run: &Look<'_>, role: RoleIx, i: usize) -> Availability {
    let sc = run.sc;
    let a = &sc.actions[i];
    let r = sc.role(role);
    match run.gate(role, i) {
        Gate::Open(Avail::Ready | Avail::Unavailable) => Availability::Ready,
        Gate::Open(Avail::Preapproved) => Availability::Preapproved,
        Gate::Open(Avail::NeedsApproval) => Availability::NeedsApproval,
        Gate::Over => Availability::Unavailable("the exercise is over".into()),
        Gate::Unreachable => Availability::Unavailable(unreachable_words(r)),
        Gate::Busy(busy, until) => Availability::Unavailable(format!(
            "busy with {} until {}",
            sc.action(busy).name,
            sc.start.clock(until)
        )),
        Gate::Done => Availability::Unavailable("already done".into()),
        Gate::Spent(Some(until)) => Availability::Unavailable(format!(
            "no actions left this turn; the next begins at {}",
            sc.start.clock(until)
        )),
        Gate::Spent(None) => {
            Availability::Unavailable("no actions left, and this is the last turn".into())
        }
        Gate::Cooling(until) => {
            Availability::Unavailable(format!("again from {}", sc.start.clock(until)))
        }
        Gate::NotYet => Availability::Unavailable(why_not(run, role, &a.available)),
        Gate::NoAuthority => Availability::Unavailable(format!(
            "needs {} (you have {})",
            sc.authority_words(a.domain, a.authority),
            r.level(a.domain)
        )),
        Gate::Requested => Availability::Unavailable("approval already requested".into()),
    }
}

/// What one role can know, read without building a [`View`]: no allocation, for bots and
/// simulations that look thousands of times. It reads only what the role may see: its own
/// events, its actions, the prompts and requests addressed to it, and whether the people it
/// calls pick up.
#[derive(Clone, Copy)]
pub struct Lens<'a> {
    look: Look<'a>,
    role: RoleIx,
}

impl Exercise {
    /// A [`Lens`] on one role.
    pub fn lens(&self, role: RoleIx) -> Lens<'_> {
        let sc: &super::model::Scenario = self.scenario();
        Lens {
            look: Look::new(sc, self.state()),
            role,
        }
    }
}

impl<'a> Lens<'a> {
    /// The scenario (everything in it is public to every role: names, kinds, rules).
    pub fn scenario(&self) -> &'a super::model::Scenario {
        self.look.sc
    }

    pub fn now(&self) -> GameTime {
        self.look.st.now
    }

    pub fn is_over(&self) -> bool {
        self.look.st.ended.is_some()
    }

    /// This role's authority on scale `d`.
    pub fn level(&self, d: super::model::Domain) -> u8 {
        self.look.sc.role(self.role).level(d)
    }

    /// The events this role has seen, from log position `from` on (with their positions).
    pub fn events_since(&self, from: usize) -> impl Iterator<Item = (usize, &'a Event)> + 'a {
        let role = self.role;
        self.look
            .st
            .log
            .iter()
            .enumerate()
            .skip(from)
            .filter(move |(_, e)| e.audience.includes(role))
    }

    /// The length of the whole log (a cursor for [`Lens::events_since`]).
    pub fn log_len(&self) -> usize {
        self.look.st.log.len()
    }

    /// Whether a role picks up: the role itself (awake, on shift) or someone it calls.
    pub fn reachable(&self, role: RoleIx) -> bool {
        self.look.eval(&self.look.sc.role(role).reachable)
    }

    /// What this role may still spend on actions this turn; `None`: no turns, no limit.
    pub fn budget_left(&self) -> Option<u16> {
        self.look.budget_left(self.role)
    }

    /// Until when this role is busy with an action.
    pub fn busy_until(&self) -> Option<GameTime> {
        self.look.st.busy[usize::from(self.role)].map(|(_, t)| t)
    }

    /// Every action this role may take, with whether it can be taken now.
    pub fn actions(&self) -> impl Iterator<Item = (ActionIx, &'a Action, Avail)> + 'a {
        let look = self.look;
        let role = self.role;
        // What holds for every action (over, out of reach, busy) is read once.
        let blocked = look.role_gate(role).is_some();
        self.own_actions().map(move |(ix, a)| {
            let avail = if blocked {
                Avail::Unavailable
            } else {
                look.action_gate(role, ix.ix()).avail()
            };
            (ix, a, avail)
        })
    }

    /// Whether this role can take action `a` now, and how.
    pub fn avail(&self, a: ActionIx) -> Avail {
        self.look.gate(self.role, a.ix()).avail()
    }

    /// Every action this role may take, whether or not it can now.
    pub fn own_actions(&self) -> impl Iterator<Item = (ActionIx, &'a Action)> + 'a {
        let role = self.role;
        self.look
            .sc
            .actions
            .iter()
            .enumerate()
            .filter(move |(_, a)| a.by.contains(&role))
            .map(|(i, a)| (ActionIx::at(i).unwrap_or(ActionIx(u32::MAX)), a))
    }

    /// How often this role took an action, and when it first did.
    pub fn taken(&self, a: ActionIx) -> (u32, Option<GameTime>) {
        let st = &self.look.st.actions[a];
        (st.times, st.first_taken)
    }

    /// The open prompts this role may answer.
    pub fn prompts(&self) -> impl Iterator<Item = (InjectIx, &'a Prompt, &'a OpenPrompt)> + 'a {
        let look = self.look;
        let role = self.role;
        look.st.prompts.iter().filter_map(move |p| {
            let prompt = look.sc.inject(p.inject).prompt.as_ref()?;
            prompt.by.contains(&role).then_some((p.inject, prompt, p))
        })
    }

    /// Whether an answer to a question is on offer now (its `available` holds).
    pub fn option_open(&self, inject: InjectIx, option: usize) -> bool {
        self.look
            .sc
            .inject(inject)
            .prompt
            .as_ref()
            .is_some_and(|p| {
                p.options
                    .get(option)
                    .is_some_and(|o| self.look.eval_as(&o.available, Some(self.role)))
            })
    }

    /// Pending approval requests this role may decide.
    pub fn requests(&self) -> impl Iterator<Item = (&'a Request, &'a Action)> + 'a {
        let look = self.look;
        let role = self.role;
        look.st
            .requests
            .iter()
            .filter(|r| r.status == RequestStatus::Pending)
            .filter_map(move |r| {
                let action = look.sc.action(r.action);
                match &action.without_authority {
                    super::model::WithoutAuthority::Approval(a) if a.contains(&role) => {
                        Some((r, action))
                    }
                    _ => None,
                }
            })
    }
}

/// What a role is told when an action is not possible now and the condition cannot be put
/// in words it may read.
pub const NOT_POSSIBLE_NOW: &str = "not possible now";

/// Says, in the scenario's own names, which part of a condition stops an action: the first
/// failing part of an `All`, a missing moment, a yes/no variable. It names only what the
/// role may see (a variable visible to it, its own actions, a decision it was asked, a
/// threat it watches, an inject it already received, the clock); anything else (a draw, a
/// hidden variable, an inject not yet delivered, another role's action or option) and what
/// cannot be put in words simply is "not possible now".
fn why_not(run: &Look<'_>, role: RoleIx, c: &super::model::Cond) -> String {
    use super::model::{Cond, Mark, ValueRef};
    let sc = run.sc;
    let st = run.st;
    let value_name = |v: &ValueRef| match v {
        ValueRef::Var(i) => {
            let var = &sc.variables[*i];
            var.audience.includes(role).then(|| var.name.clone())
        }
        ValueRef::Draw(_) => None,
    };
    // An action this role saw taken: its own when it alone may take it, or one whose taking
    // reaches it (`to`, `visible_to`); a co-owner's taking it is news it may not have had.
    let own_action = |a: ActionIx| {
        let act = sc.action(a);
        act.by == [role] || act.to.includes(role) || act.visible_to.includes(role)
    };
    let mark = |m: &Mark| -> Option<String> {
        match m {
            Mark::Start => Some("the start".to_owned()),
            Mark::Delivered(i) => {
                let inj = sc.inject(*i);
                let seen = st.injects[*i].first_delivered.is_some() && inj.to.includes(role);
                seen.then(|| {
                    if inj.subject.is_empty() {
                        "that message has arrived".to_owned()
                    } else {
                        format!("\"{}\" has arrived", inj.subject)
                    }
                })
            }
            Mark::Taken(a) => {
                own_action(*a).then(|| format!("\"{}\" has been started", sc.action(*a).name))
            }
            Mark::Completed(a) => {
                own_action(*a).then(|| format!("\"{}\" is done", sc.action(*a).name))
            }
            Mark::Chose(i, o) => {
                let inj = sc.inject(*i);
                let asked = st.injects[*i].first_delivered.is_some() && inj.to.includes(role);
                let p = inj.prompt.as_ref()?;
                asked.then(|| format!("the decision {}", p.options[usize::from(*o)].label))
            }
            Mark::Stage(s) => {
                let t = sc.threat.as_ref()?;
                t.audience
                    .includes(role)
                    .then(|| format!("the threat reaches \"{}\"", t.stages[usize::from(*s)].name))
            }
        }
    };
    let said = match c {
        Cond::All(cs) => {
            return cs
                .iter()
                .find(|c| !run.eval_as(c, Some(role)))
                .map_or_else(|| NOT_POSSIBLE_NOW.to_owned(), |c| why_not(run, role, c));
        }
        Cond::Is(v) => value_name(v).map(|n| format!("needs: {n}")),
        Cond::Not(inner) => match &**inner {
            Cond::Is(v) => value_name(v).map(|n| format!("not while: {n}")),
            Cond::Happened(m) => mark(m).map(|m| format!("no longer: {m}")),
            _ => None,
        },
        Cond::Happened(m) => mark(m).map(|m| format!("only after {m}")),
        Cond::AtLeast(v, n) => value_name(v).map(|x| format!("needs {x} of at least {n}")),
        Cond::AtMost(v, n) => value_name(v).map(|x| format!("needs {x} of at most {n}")),
        Cond::Before(t) => Some(format!("only before {}", sc.start.clock(*t))),
        Cond::NotBefore(t) => Some(format!("only from {}", sc.start.clock(*t))),
        _ => None,
    };
    said.unwrap_or_else(|| NOT_POSSIBLE_NOW.to_owned())
}
