//! The report's own words: priorities, and the cells of its tables. Names, durations and
//! clock faces come from [`crate::words::names`], re-exported here.

pub use crate::words::names::*;

/// A priority of the improvement plan, in the report's words.
pub fn priority(p: super::document::Priority) -> &'static str {
    use super::document::Priority;
    match p {
        Priority::High => "High",
        Priority::Medium => "Medium",
        Priority::Low => "Low",
    }
}

/// The columns of the per-role breakdown.
pub const PER_ROLE_HEADERS: [&str; 11] = [
    "Role",
    "Side",
    "First command",
    "Actions",
    "Decisions",
    "Deferred",
    "Expired prompts",
    "Approval requests",
    "Approved / denied",
    "Refused",
    "Boundary crossings (unanswered)",
];

/// The per-role breakdown as plain text cells (each renderer escapes them its own way).
pub fn per_role_rows(r: &super::document::Report) -> Vec<[String; 11]> {
    r.metrics
        .roles
        .iter()
        .zip(&r.overview.roles)
        .map(|(rm, row)| {
            let c = &rm.counts;
            [
                row.name.clone(),
                side(rm.side).to_owned(),
                rm.first_command_at
                    .map_or_else(|| "never".to_owned(), elapsed),
                c.actions_taken.to_string(),
                c.decisions.to_string(),
                c.deferrals.to_string(),
                c.expired_prompts.to_string(),
                c.approval_requests.to_string(),
                format!("{} / {}", c.approvals_given, c.approvals_denied),
                c.refused.to_string(),
                format!("{} ({})", c.crossings_sent, c.crossings_unanswered),
            ]
        })
        .collect()
}

/// The columns of the improvement plan.
pub const PLAN_HEADERS: [&str; 6] = [
    "#",
    "Issue",
    "Corrective action",
    "Capability element",
    "Owner role",
    "Priority",
];

/// The improvement plan as plain text cells (each renderer escapes them its own way).
pub fn plan_rows(r: &super::document::Report) -> Vec<[String; 6]> {
    r.plan
        .iter()
        .enumerate()
        .map(|(i, p)| {
            [
                format!("A{}", i + 1),
                p.issue.clone(),
                p.corrective_action.clone(),
                format!("{:?}", p.capability),
                p.owner.clone(),
                priority(p.priority).to_owned(),
            ]
        })
        .collect()
}
