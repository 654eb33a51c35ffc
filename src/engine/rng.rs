//! Seeded random draws. Each draw id has its own `ChaCha` stream, and the n-th value of a draw
//! sits at a fixed place in that stream, so adding a draw to a scenario, or rolling one more
//! often, never shifts the values of the others. The sampling is written out here (not taken
//! from `rand`'s distributions) so that values cannot change under a dependency upgrade.

pub use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{Rng, SeedableRng};

use super::hash::fnv1a64;
use super::model::DrawKind;

/// The `nth` value (0-based) of the draw named `id` under `seed`.
pub fn sample(seed: u64, id: &str, nth: u32, kind: DrawKind) -> i32 {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(fnv1a64(id.as_bytes()));
    // 2^32 words per value: far more than rejection sampling can ever consume.
    rng.set_word_pos(u128::from(nth) << 32);
    match kind {
        DrawKind::Chance { percent } => i32::from(below(&mut rng, 100) < u32::from(percent)),
        DrawKind::Range { min, max } => {
            let span = u32::try_from(i64::from(max) - i64::from(min)).unwrap_or(u32::MAX);
            if span == u32::MAX {
                // The whole i32 range: any word will do.
                #[allow(clippy::cast_possible_wrap)]
                return rng.next_u32() as i32;
            }
            let offset = below(&mut rng, span + 1);
            i32::try_from(i64::from(min) + i64::from(offset)).unwrap_or(max)
        }
        DrawKind::Deck { size } => {
            // The `nth` card is card `nth % size` of shuffle `nth / size`: each shuffle a
            // Fisher-Yates permutation from its own place in the stream, so a draw needs no
            // state beyond how many were drawn.
            let size = size.max(1);
            rng.set_word_pos(u128::from(nth / size) << 32);
            let mut deck: Vec<u32> = (1..=size).collect();
            for i in (1..deck.len()).rev() {
                let j = below(&mut rng, u32::try_from(i + 1).unwrap_or(u32::MAX)) as usize;
                deck.swap(i, j);
            }
            i32::try_from(deck[(nth % size) as usize]).unwrap_or(i32::MAX)
        }
    }
}

/// A named random stream under `seed`, for things outside the scenario's draws (bots): its
/// values never disturb the scenario's.
pub fn stream(seed: u64, name: &str) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(fnv1a64(name.as_bytes()));
    rng
}

/// A uniform integer in `lo..=hi` (`lo <= hi`).
pub fn between(rng: &mut ChaCha8Rng, lo: u32, hi: u32) -> u32 {
    if hi <= lo {
        return lo;
    }
    if hi - lo == u32::MAX {
        return rng.next_u32();
    }
    lo + below(rng, hi - lo + 1)
}

/// A uniform integer in `0..n` (`n > 0`), without modulo bias (Lemire's method).
pub fn below(rng: &mut ChaCha8Rng, n: u32) -> u32 {
    let threshold = n.wrapping_neg() % n;
    loop {
        let m = u64::from(rng.next_u32()) * u64::from(n);
        #[allow(clippy::cast_possible_truncation)]
        let low = m as u32;
        if low >= threshold {
            #[allow(clippy::cast_possible_truncation)]
            return (m >> 32) as u32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_stable_and_in_range() {
        let k = DrawKind::Range { min: 20, max: 90 };
        for nth in 0..200 {
            let v = sample(7, "dwell", nth, k);
            assert!((20..=90).contains(&v));
            assert_eq!(v, sample(7, "dwell", nth, k));
        }
    }

    #[test]
    fn streams_are_independent_of_each_other() {
        let k = DrawKind::Range {
            min: 0,
            max: 1_000_000,
        };
        let a: Vec<i32> = (0..20).map(|n| sample(1, "a", n, k)).collect();
        let b: Vec<i32> = (0..20).map(|n| sample(1, "b", n, k)).collect();
        assert_ne!(a, b);
        assert_ne!(sample(1, "a", 0, k), sample(2, "a", 0, k));
    }

    #[test]
    fn chance_roughly_matches_its_percent() {
        let k = DrawKind::Chance { percent: 30 };
        let hits: i32 = (0..10_000).map(|n| sample(3, "answer", n, k)).sum();
        assert!((2_700..3_300).contains(&hits), "{hits}");
        assert_eq!(sample(3, "x", 0, DrawKind::Chance { percent: 0 }), 0);
        assert_eq!(sample(3, "x", 0, DrawKind::Chance { percent: 100 }), 1);
    }

    #[test]
    fn extreme_ranges_do_not_overflow() {
        let k = DrawKind::Range {
            min: i32::MIN,
            max: i32::MAX,
        };
        let _ = sample(1, "x", 0, k);
        assert_eq!(sample(1, "x", 0, DrawKind::Range { min: 5, max: 5 }), 5);
    }
}
