//! An event with its names: what a transcript, a log line or another program reads. Events
//! themselves name scenario content by index; [`Named`] puts the scenario's ids and words
//! back (the inject's sender, subject, text and prompt; the roles of an audience) so the
//! serialised form stands on its own.

use serde::{Serialize, Serializer};

use crate::engine::command::Command;
use crate::engine::event::{Actor, Event, EventKind, Rejection, Runaway};
use crate::engine::ids::FACILITATOR;
use crate::engine::model::{
    ActionIx, Audience, Channel, InjectIx, Milestone, Outcome, Rating, Scenario, SlaIx, StageIx,
};
use crate::engine::time::GameTime;

/// An event and the scenario it belongs to, serialised with names.
pub struct Named<'a> {
    pub sc: &'a Scenario,
    pub event: &'a Event,
}

impl Event {
    /// This event with its names, for serialising.
    pub fn named<'a>(&'a self, sc: &'a Scenario) -> Named<'a> {
        Named { sc, event: self }
    }
}

impl Serialize for Named<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let sc = self.sc;
        let e = self.event;
        Line {
            seq: e.seq,
            at: e.at,
            audience: Roles(sc, e.audience),
            kind: kind(sc, &e.kind),
        }
        .serialize(s)
    }
}

#[derive(Serialize)]
struct Line<'a> {
    seq: u32,
    at: GameTime,
    audience: Roles<'a>,
    #[serde(flatten)]
    kind: Kind<'a>,
}

/// An audience as the ids of its roles.
struct Roles<'a>(&'a Scenario, Audience);

impl Serialize for Roles<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.1.roles().map(|r| self.0.role(r).id.as_str()))
    }
}

#[derive(Serialize)]
struct Prompt<'a> {
    question: &'a str,
    options: Vec<OptionShown<'a>>,
    by: Vec<&'a str>,
    default: Option<&'a str>,
    expires_at: Option<GameTime>,
}

#[derive(Serialize)]
struct OptionShown<'a> {
    id: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Kind<'a> {
    ExerciseStarted {
        scenario: &'a str,
        title: &'a str,
        seed: u64,
        start: String,
    },
    TurnStarted {
        turn: u32,
    },
    InjectDelivered {
        inject: &'a str,
        channel: Channel,
        from: &'a str,
        subject: &'a str,
        /// As delivered: the values it names filled in.
        text: std::borrow::Cow<'a, str>,
        prompt: Option<Prompt<'a>>,
        fired_by_facilitator: bool,
    },
    /// Passed on to the event's audience, as it was delivered.
    InjectPassedOn {
        inject: &'a str,
        channel: Channel,
        from: &'a str,
        subject: &'a str,
        text: std::borrow::Cow<'a, str>,
    },
    AdHocInjectDelivered {
        channel: Channel,
        from: &'a str,
        text: &'a str,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        options: &'a [String],
    },
    AdHocAnswered {
        seq: u32,
        option: u16,
        by: &'a str,
        answer: &'a str,
    },
    Noted {
        by: &'a str,
        kind: crate::engine::model::NoteKind,
        #[serde(skip_serializing_if = "Option::is_none")]
        module: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        objective: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        rating: Option<crate::engine::model::Rating>,
        text: &'a str,
    },
    InjectCancelled {
        inject: &'a str,
    },
    DecisionMade {
        inject: &'a str,
        option: &'a str,
        by: &'a str,
    },
    PromptExpired {
        inject: &'a str,
        default: Option<&'a str>,
    },
    ActionTaken {
        action: &'a str,
        by: &'a str,
        channel: Option<Channel>,
        to: Roles<'a>,
        completes_at: GameTime,
        approved_by: Option<&'a str>,
        preapproved: bool,
    },
    ActionCompleted {
        action: &'a str,
        by: &'a str,
    },
    ApprovalRequested {
        request: u32,
        action: &'a str,
        by: &'a str,
        approvers: Roles<'a>,
        needed: u8,
        /// The scale of authority `needed` is on, by name (business risk: absent).
        #[serde(skip_serializing_if = "Option::is_none")]
        scale: Option<&'a str>,
    },
    ApprovalGranted {
        request: u32,
        action: &'a str,
        by: &'a str,
    },
    ApprovalDenied {
        request: u32,
        action: &'a str,
        by: &'a str,
    },
    ApprovalWithdrawn {
        request: u32,
        action: &'a str,
        by: &'a str,
    },
    VariableChanged {
        variable: &'a str,
        from: i32,
        to: i32,
    },
    ValueDrawn {
        draw: &'a str,
        value: i32,
        nth: u32,
    },
    ThreatAdvanced {
        stage: &'a str,
        name: &'a str,
        index: StageIx,
    },
    ThreatHalted {
        stage: &'a str,
    },
    ThreatResumed {
        stage: &'a str,
    },
    SlaStarted {
        sla: &'a str,
        severity: i32,
        due_at: Option<GameTime>,
    },
    SlaMet {
        sla: &'a str,
        severity: i32,
        minutes: u32,
    },
    SlaBreached {
        sla: &'a str,
        severity: i32,
        due_at: GameTime,
    },
    MilestoneReached {
        milestone: Milestone,
    },
    Paused,
    Resumed,
    CommandRejected {
        by: &'a str,
        command: &'a Command,
        #[serde(flatten)]
        rejection: &'a Rejection,
        /// For a refusal for want of authority on another scale than business risk: its name.
        #[serde(skip_serializing_if = "Option::is_none")]
        scale: Option<&'a str>,
    },
    ObjectiveRated {
        objective: &'a str,
        rating: Rating,
    },
    CriterionMet {
        criterion: &'a str,
        points: i32,
    },
    RunawayStopped {
        inject: &'a str,
        limit: Runaway,
    },
    EpilogueStarted {
        ending: &'a str,
        title: &'a str,
        until: GameTime,
    },
    ExerciseEnded {
        ending: Option<&'a str>,
        title: &'a str,
        outcome: Option<Outcome>,
        score: i32,
        by_facilitator: bool,
    },
}

fn who(sc: &Scenario, a: Actor) -> &str {
    match a {
        Actor::Facilitator => FACILITATOR,
        Actor::Evaluator => crate::engine::ids::EVALUATOR,
        Actor::Role(r) => sc.role(r).id.as_str(),
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one arm per kind of event; each arm is short"
)]
fn kind<'a>(sc: &'a Scenario, k: &'a EventKind) -> Kind<'a> {
    let inject_id = |i: InjectIx| sc.inject(i).id.as_str();
    let option_id = |i: InjectIx, o: u16| sc.option_id(i, o).unwrap_or("");
    let action_id = |a: ActionIx| sc.action(a).id.as_str();
    let stage = |s: StageIx| sc.threat.as_ref().and_then(|t| t.stages.get(s.ix()));
    let stage_id = |s: StageIx| stage(s).map_or("", |x| x.id.as_str());
    let sla_id = |i: SlaIx| sc.slas[i].id.as_str();
    match k {
        EventKind::ExerciseStarted { seed } => Kind::ExerciseStarted {
            scenario: sc.id.as_str(),
            title: &sc.title,
            seed: *seed,
            start: sc.start.clock(GameTime::ZERO).to_string(),
        },
        EventKind::TurnStarted { turn } => Kind::TurnStarted { turn: *turn },
        EventKind::InjectDelivered {
            inject,
            expires_at,
            fired_by_facilitator,
            values,
        } => {
            let inj = sc.inject(*inject);
            Kind::InjectDelivered {
                inject: inj.id.as_str(),
                channel: inj.channel,
                from: &inj.from,
                subject: &inj.subject,
                text: sc.inject_text(*inject, values),
                prompt: inj.prompt.as_ref().map(|p| Prompt {
                    question: &p.question,
                    options: p
                        .options
                        .iter()
                        .map(|o| OptionShown {
                            id: o.id.as_str(),
                            label: &o.label,
                        })
                        .collect(),
                    by: p.by.iter().map(|r| sc.role(*r).id.as_str()).collect(),
                    default: p.default.map(|d| p.options[usize::from(d)].id.as_str()),
                    expires_at: *expires_at,
                }),
                fired_by_facilitator: *fired_by_facilitator,
            }
        }
        EventKind::InjectPassedOn { inject, values } => {
            let inj = sc.inject(*inject);
            Kind::InjectPassedOn {
                inject: inj.id.as_str(),
                channel: inj.channel,
                from: &inj.from,
                subject: &inj.subject,
                text: sc.inject_text(*inject, values),
            }
        }
        EventKind::AdHocInjectDelivered(a) => Kind::AdHocInjectDelivered {
            channel: a.channel,
            from: &a.from,
            text: &a.text,
            options: &a.options,
        },
        EventKind::AdHocAnswered(a) => Kind::AdHocAnswered {
            seq: a.seq,
            option: a.option,
            by: who(sc, a.by),
            answer: &a.answer,
        },
        EventKind::Noted(n) => Kind::Noted {
            by: who(sc, n.by),
            kind: n.kind,
            module: n
                .module
                .and_then(|m| sc.modules.get(usize::from(m)))
                .map(|m| m.title.as_str()),
            objective: n
                .objective
                .and_then(|o| sc.objectives.get(o.ix()))
                .map(|o| o.id.as_str()),
            rating: n.rating,
            text: &n.text,
        },
        EventKind::InjectCancelled { inject } => Kind::InjectCancelled {
            inject: inject_id(*inject),
        },
        EventKind::DecisionMade { inject, option, by } => Kind::DecisionMade {
            inject: inject_id(*inject),
            option: option_id(*inject, *option),
            by: who(sc, *by),
        },
        EventKind::PromptExpired { inject, default } => Kind::PromptExpired {
            inject: inject_id(*inject),
            default: default.map(|d| option_id(*inject, d)),
        },
        EventKind::ActionTaken {
            action,
            by,
            completes_at,
            approved_by,
            preapproved,
        } => {
            let a = sc.action(*action);
            Kind::ActionTaken {
                action: a.id.as_str(),
                by: who(sc, *by),
                channel: a.channel,
                to: Roles(sc, a.to),
                completes_at: *completes_at,
                approved_by: approved_by.map(|x| who(sc, x)),
                preapproved: *preapproved,
            }
        }
        EventKind::ActionCompleted { action, by } => Kind::ActionCompleted {
            action: action_id(*action),
            by: who(sc, *by),
        },
        EventKind::ApprovalRequested {
            request,
            action,
            by,
            approvers,
            needed,
        } => Kind::ApprovalRequested {
            request: *request,
            action: action_id(*action),
            by: who(sc, *by),
            approvers: Roles(sc, *approvers),
            needed: *needed,
            scale: sc.domain_name(sc.action(*action).domain),
        },
        EventKind::ApprovalGranted {
            request,
            action,
            by,
        } => Kind::ApprovalGranted {
            request: *request,
            action: action_id(*action),
            by: who(sc, *by),
        },
        EventKind::ApprovalDenied {
            request,
            action,
            by,
        } => Kind::ApprovalDenied {
            request: *request,
            action: action_id(*action),
            by: who(sc, *by),
        },
        EventKind::ApprovalWithdrawn {
            request,
            action,
            by,
        } => Kind::ApprovalWithdrawn {
            request: *request,
            action: action_id(*action),
            by: who(sc, *by),
        },
        EventKind::VariableChanged { variable, from, to } => Kind::VariableChanged {
            variable: sc.variables[*variable].id.as_str(),
            from: *from,
            to: *to,
        },
        EventKind::ValueDrawn { draw, value, nth } => Kind::ValueDrawn {
            draw: sc.draws[*draw].id.as_str(),
            value: *value,
            nth: *nth,
        },
        EventKind::ThreatAdvanced { stage: s } => Kind::ThreatAdvanced {
            stage: stage_id(*s),
            name: stage(*s).map_or("", |x| x.name.as_str()),
            index: *s,
        },
        EventKind::ThreatHalted { stage: s } => Kind::ThreatHalted {
            stage: stage_id(*s),
        },
        EventKind::ThreatResumed { stage: s } => Kind::ThreatResumed {
            stage: stage_id(*s),
        },
        EventKind::SlaStarted {
            sla,
            severity,
            due_at,
        } => Kind::SlaStarted {
            sla: sla_id(*sla),
            severity: *severity,
            due_at: *due_at,
        },
        EventKind::SlaMet {
            sla,
            severity,
            minutes,
        } => Kind::SlaMet {
            sla: sla_id(*sla),
            severity: *severity,
            minutes: *minutes,
        },
        EventKind::SlaBreached {
            sla,
            severity,
            due_at,
        } => Kind::SlaBreached {
            sla: sla_id(*sla),
            severity: *severity,
            due_at: *due_at,
        },
        EventKind::MilestoneReached { milestone } => Kind::MilestoneReached {
            milestone: *milestone,
        },
        EventKind::Paused => Kind::Paused,
        EventKind::Resumed => Kind::Resumed,
        EventKind::CommandRejected(r) => Kind::CommandRejected {
            by: r.by.as_str(),
            command: &r.command,
            rejection: &r.rejection,
            scale: match &r.rejection {
                Rejection::NotAuthorised { domain, .. } => sc.domain_name(*domain),
                _ => None,
            },
        },
        EventKind::ObjectiveRated { objective, rating } => Kind::ObjectiveRated {
            objective: sc.objectives[*objective].id.as_str(),
            rating: *rating,
        },
        EventKind::CriterionMet { criterion, points } => Kind::CriterionMet {
            criterion: sc.rubric[*criterion].id.as_str(),
            points: *points,
        },
        EventKind::RunawayStopped { inject, limit } => Kind::RunawayStopped {
            inject: inject_id(*inject),
            limit: *limit,
        },
        EventKind::EpilogueStarted { ending, until } => Kind::EpilogueStarted {
            ending: sc.endings[usize::from(*ending)].id.as_str(),
            title: sc.endings[usize::from(*ending)].title.as_str(),
            until: *until,
        },
        EventKind::ExerciseEnded {
            ending,
            outcome,
            score,
            by_facilitator,
            ..
        } => Kind::ExerciseEnded {
            ending: ending.map(|x| sc.endings[usize::from(x)].id.as_str()),
            title: k.ended_title(sc).unwrap_or(""),
            outcome: *outcome,
            score: *score,
            by_facilitator: *by_facilitator,
        },
    }
}
