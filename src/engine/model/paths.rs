//! The threat's paths: whether its stages run on one line, which "stage 3 of 5" assumes.

use super::Threat;

impl Threat {
    /// Whether every stage follows the one listed before it: no parallel or branching stages.
    pub fn single_path(&self) -> bool {
        self.stages
            .iter()
            .enumerate()
            .all(|(i, s)| s.from.map(usize::from) == i.checked_sub(1))
    }

    /// The `5` of "stage 3 of 5": the number of stages on a single path; 0 when the stages
    /// run in parallel or branch, where no such count holds.
    pub fn stage_count(&self) -> u16 {
        if self.single_path() {
            u16::try_from(self.stages.len()).unwrap_or(u16::MAX)
        } else {
            0
        }
    }
}
