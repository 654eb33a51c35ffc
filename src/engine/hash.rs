//! FNV-1a: the fixed (unseeded, so deterministic) hash of stream names, content and the
//! name tables. Depends on nothing.

/// FNV-1a, 64 bits: a fixed, documented hash for naming streams and content.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// FNV-1a as a [`std::hash::Hasher`]: a fast, fixed (unseeded, so deterministic) hash for
/// the loader's name tables, whose keys are short ids.
#[derive(Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// Hash maps and sets keyed by [`Fnv`].
pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;
