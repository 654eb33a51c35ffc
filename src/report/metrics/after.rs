//! The passes after the log is read: when each crossing of the boundary was answered, the
//! milestones and the wait for authority, the SLAs, final values, the threat, and the
//! per-role and per-side breakdowns.

use crate::engine::event::EventKind;
use crate::engine::ids::StageId;
use crate::engine::model::{Milestone, SlaIx};
use crate::engine::state::State;
use crate::engine::time::GameTime;

use super::fold::Fold;
use super::{
    CrossingKind, FinalValue, MilestoneTime, RoleMetrics, SideMetrics, SlaOutcome, Source,
    ThreatReached, add, implicit_decision_needed,
};

impl Fold<'_> {
    /// Crossing latencies: the recipients' first command at or after the crossing, unless
    /// the same sender crossed to them again first, in a later minute (a call that rang
    /// out, then another).
    /// Approval requests were answered by their answer, read in the pass over the log.
    pub fn crossing_latencies(&mut self) {
        let n = self.m.crossings.len();
        for i in 0..n {
            let c = &self.m.crossings[i];
            if c.kind == CrossingKind::ApprovalRequest {
                continue;
            }
            let first =
                c.to.iter()
                    .filter_map(|r| self.role(r))
                    .filter_map(|r| self.responses[r].iter().find(|t| **t >= c.at).copied())
                    .min();
            let next_same = self.m.crossings[i + 1..]
                .iter()
                .find(|d| {
                    // Strictly later: what crossed in the same minute is answered together.
                    d.kind != CrossingKind::ApprovalRequest
                        && d.at > c.at
                        && d.from == c.from
                        && d.to.iter().any(|r| c.to.contains(r))
                })
                .map(|d| d.at);
            let answered = match (first, next_same) {
                (Some(f), Some(nx)) if nx <= f => None,
                (f, _) => f,
            };
            let c = &mut self.m.crossings[i];
            c.answered_at = answered;
            c.latency = answered.map(|a| a.since(c.at));
        }
        let sent: Vec<_> = self
            .m
            .crossings
            .iter()
            .map(|c| (c.from.clone(), c.answered_at.is_none() && !c.withdrawn))
            .collect();
        for (from, unanswered) in sent {
            self.count(Some(&from), |k| {
                k.crossings_sent += 1;
                if unanswered {
                    k.crossings_unanswered += 1;
                }
            });
        }
    }

    /// Each milestone's time and where it comes from, and the wait for authority.
    pub fn milestones(&mut self, st: &State) {
        let sc = self.sc;
        // The decision was needed even if nobody asked for it: when the scenario's
        // containment needs more authority than the responders have, no playbook covered
        // it at the end and nobody with the authority decided, the need dates from the
        // first alert to a responder who could have asked.
        let implicit_need = implicit_decision_needed(sc, st);
        let declared = |ms: Milestone| sc.milestones.iter().any(|(x, _)| *x == ms);
        let m = &mut self.m;
        for ms in Milestone::ALL {
            let (at, source) = if declared(ms) {
                match st.milestones[ms.index()] {
                    Some(t) => (Some(t), Source::Scenario),
                    None => (None, Source::NotReached),
                }
            } else {
                match self.inferred[ms.index()] {
                    Some(t) => (Some(t), Source::Inferred),
                    None => (None, Source::NotReached),
                }
            };
            m.milestones.push(MilestoneTime {
                milestone: ms,
                at,
                source,
            });
        }
        let authorised = m.milestones[Milestone::Authorised.index()].at;
        if m.milestones[Milestone::DecisionNeeded.index()].at.is_none()
            && authorised.is_none()
            && let Some(t) = implicit_need
        {
            m.milestones[Milestone::DecisionNeeded.index()] = MilestoneTime {
                milestone: Milestone::DecisionNeeded,
                at: Some(t),
                source: Source::Implied,
            };
        }
        if let Some(need) = m.milestones[Milestone::DecisionNeeded.index()].at {
            if let Some(a) = authorised {
                m.waiting_on_authority = Some(a.since(need));
            } else {
                m.waiting_on_authority = Some(m.ended_at.since(need));
                m.authority_never_came = true;
            }
        }
    }

    /// Each SLA: started, met, or breached (the target it missed and the severity then).
    pub fn slas(&mut self, st: &State) {
        let sc = self.sc;
        for ((i, sla), ix) in sc.slas.iter().enumerate().zip(SlaIx::all(sc.slas.len())) {
            let s = st.slas[i];
            let breached = st.log.iter().find_map(|e| match &e.kind {
                EventKind::SlaBreached {
                    sla: id,
                    severity,
                    due_at,
                } if *id == ix => Some((*due_at, *severity)),
                _ => None,
            });
            self.m.slas.push(SlaOutcome {
                sla: sla.id.clone(),
                started_at: s.started_at,
                met_at: s.met_at,
                breached: if s.breached { breached } else { None },
            });
        }
    }

    /// Every variable at the end; business impact and evidence also as the scenario's
    /// measures of them.
    pub fn final_values(&mut self, st: &State) {
        let m = &mut self.m;
        for (i, v) in self.sc.variables.iter().enumerate() {
            let f = FinalValue {
                variable: v.id.clone(),
                initial: v.initial,
                value: st.vars[i],
                min: v.min,
                max: v.max,
            };
            let ix = crate::engine::model::VarIx::at(i);
            if ix.is_some() && ix == self.sc.measures.impact {
                m.business_impact = Some(f.clone());
            }
            if ix.is_some() && ix == self.sc.measures.evidence {
                m.evidence = Some(f.clone());
            }
            m.variables.push(f);
        }
    }

    /// How far the threat got, and when it reached each stage.
    pub fn threat(&mut self, st: &State) {
        let Some(th) = &self.sc.threat else {
            return;
        };
        if th.stages.is_empty() {
            return;
        }
        let entered: Vec<(StageId, Option<GameTime>)> = th
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), st.threat.entered_at.get(i).copied().flatten()))
            .collect();
        let index = st.threat.stage.0;
        self.m.threat = Some(ThreatReached {
            index,
            of: th.stage_count(),
            stage: th.stages[usize::from(index).min(th.stages.len() - 1)]
                .id
                .clone(),
            halted: st.threat.halted,
            entered,
        });
    }

    /// The counts of each role, and summed per side of the boundary.
    pub fn per_role(&mut self) {
        let mut sides: Vec<SideMetrics> = Vec::new();
        for (i, r) in self.sc.roles.iter().enumerate() {
            let c = self.counts[i].clone();
            match sides.iter_mut().find(|s| s.side == r.side) {
                Some(s) => {
                    s.roles += 1;
                    add(&mut s.counts, &c);
                }
                None => sides.push(SideMetrics {
                    side: r.side,
                    roles: 1,
                    counts: c.clone(),
                }),
            }
            self.m.roles.push(RoleMetrics {
                role: r.id.clone(),
                side: r.side,
                first_command_at: self.first_cmd[i],
                counts: c,
            });
        }
        self.m.sides = sides;
    }
}
