//! What the report measures, as the scenario declares it, and the figures a scenario
//! implies about its own scoring and sides.

use super::{InjectIx, Scenario, VarIx};

/// What the report measures, as a scenario declares it (`measures:`); what a scenario leaves
/// out is found as documented: the variables with the ids `evidence` and `business_impact`,
/// the first inject to reach whoever triages, and a boundary wherever roles sit on both sides.
#[derive(Clone, Debug, Default)]
pub struct Measures {
    pub evidence: Option<VarIx>,
    pub impact: Option<VarIx>,
    pub first_alert: Option<InjectIx>,
    pub boundary: Option<bool>,
}

impl Scenario {
    /// Whether a commercial boundary runs between the roles: as declared under `measures:`,
    /// else wherever roles sit on both sides.
    pub fn has_boundary(&self) -> bool {
        self.measures
            .boundary
            .unwrap_or_else(|| self.roles.iter().any(|r| r.side != self.roles[0].side))
    }

    /// The most a run can score: every rubric criterion worth points met.
    pub fn max_score(&self) -> i32 {
        self.rubric.iter().map(|c| c.points.max(0)).sum()
    }
}
