//! The threat's paths: the stage each stage follows (`from`), so that several stages may
//! follow one, in parallel or as branches.

use super::{Compiler, Path, suggest};
use crate::engine::model::StageIx;
use crate::scenario::raw::RawThreat;

impl Compiler<'_, '_> {
    /// The stage that stage `i` follows: the one its `from` names, which must be listed
    /// before it (so the paths never loop), or by default the one listed just before it.
    pub(super) fn stage_from(&mut self, t: &RawThreat, i: usize, sp: &Path) -> Option<StageIx> {
        let s = &t.stages[i];
        let Some(name) = &s.from else {
            return i.checked_sub(1).and_then(StageIx::at);
        };
        if i == 0 {
            self.error(
                &sp.f("from"),
                format!(
                    "the first stage `{}` follows nothing: the threat starts there",
                    s.id
                ),
                Some("remove `from`, or put the stage later in the list".into()),
            );
            return None;
        }
        if let Some(k) = t.stages[..i].iter().position(|x| x.id == *name) {
            return StageIx::at(k);
        }
        let (message, help) = if t.stages[i..].iter().any(|x| x.id == *name) {
            (
                format!("stage `{}` follows `{name}`, which is listed after it", s.id),
                Some("list a stage after the one it follows, so the attacker's paths never loop back".into()),
            )
        } else {
            (
                format!("stage `{}` follows an unknown stage `{name}`", s.id),
                suggest(name, t.stages[..i].iter().map(|x| x.id.as_str()))
                    .map(|x| format!("did you mean `{x}`?")),
            )
        };
        self.error(&sp.f("from"), message, help);
        i.checked_sub(1).and_then(StageIx::at)
    }
}
