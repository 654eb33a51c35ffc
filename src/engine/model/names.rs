//! Name → index tables of a scenario, for commands that arrive with names.

use super::Scenario;

/// Name → index tables of a scenario, for commands that arrive with names: open-addressing
/// hash tables keyed by the name's FNV-1a hash (a fixed function: no randomness). A lookup is
/// a hash, usually one probe, and one string comparison.
#[derive(Clone, Debug, Default)]
pub struct NameIndex {
    pub(super) injects: NameTable,
    pub(super) actions: NameTable,
    pub(super) endings: NameTable,
}

/// Slots of `hash >> 32 << 32 | index`, or [`NameTable::EMPTY`]; a power of two at least
/// twice the number of names, so probe runs stay short.
#[derive(Clone, Debug, Default)]
pub(super) struct NameTable {
    pub(super) slots: Vec<u64>,
}

impl NameTable {
    const EMPTY: u64 = u64::MAX;

    /// The table of `names` (in item order; the first of duplicate names wins).
    pub(super) fn build<'n>(names: impl ExactSizeIterator<Item = &'n str>) -> NameTable {
        let size = (names.len() * 2).next_power_of_two().max(8);
        let mut t = NameTable {
            slots: vec![Self::EMPTY; size],
        };
        let mut seen: Vec<&str> = Vec::with_capacity(names.len());
        for (i, name) in names.enumerate() {
            seen.push(name);
            let Ok(ix) = u32::try_from(i) else { break };
            let h = crate::engine::hash::fnv1a64(name.as_bytes());
            if t.find_hashed(h, |j| seen[j as usize] == name).is_none() {
                let slot = t.probe(h).find(|&s| t.slots[s] == Self::EMPTY);
                if let Some(s) = slot {
                    t.slots[s] = (h & Self::TAG) | u64::from(ix);
                }
            }
        }
        t
    }

    /// The high half of a slot: the high half of the name's hash.
    const TAG: u64 = 0xffff_ffff_0000_0000;

    /// The slots to look at for a name of hash `h`, in order.
    pub(super) fn probe(&self, h: u64) -> impl Iterator<Item = usize> + use<> {
        let mask = self.slots.len().wrapping_sub(1);
        #[allow(clippy::cast_possible_truncation)] // the low bits pick the slot
        let start = h as usize;
        (0..self.slots.len()).map(move |k| start.wrapping_add(k) & mask)
    }

    /// The index named `name`; `is` confirms a candidate index by its name.
    pub(super) fn find(&self, name: &str, is: impl Fn(u32) -> bool) -> Option<u32> {
        self.find_hashed(crate::engine::hash::fnv1a64(name.as_bytes()), is)
    }

    pub(super) fn find_hashed(&self, h: u64, is: impl Fn(u32) -> bool) -> Option<u32> {
        for s in self.probe(h) {
            let v = self.slots[s];
            if v == Self::EMPTY {
                return None;
            }
            #[allow(clippy::cast_possible_truncation)] // the low half is the index
            let ix = v as u32;
            if v & Self::TAG == h & Self::TAG && is(ix) {
                return Some(ix);
            }
        }
        None
    }
}

impl NameIndex {
    /// Builds the tables from the scenario's lists (the first of duplicate names wins).
    pub fn build(sc: &Scenario) -> NameIndex {
        NameIndex {
            injects: NameTable::build(sc.injects.iter().map(|r| r.id.as_str())),
            actions: NameTable::build(sc.actions.iter().map(|r| r.id.as_str())),
            endings: NameTable::build(sc.endings.iter().map(|r| r.id.as_str())),
        }
    }
}
