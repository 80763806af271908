//! Deterministic random streams and keyed permutations.
//!
//! Every random draw for customer `i` comes from a stream derived from
//! `(seed, stage, i)` alone, so any range of customers can be generated on
//! its own, on any thread or machine, with the same result. Unique numbers
//! (MSISDNs, IMEIs, agreement numbers) come from keyed permutations of global
//! positions, so they are unique by construction without a global registry.

use rand_pcg::Pcg64Mcg;

/// The stage a stream serves. Separate stages never share draws, so adding a
/// draw to one stage leaves every other stage's values unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Stage {
    /// Step 1: the draws that fix a customer's number of lines (cheap to
    /// replay when a shard needs the line count of the customers before it).
    Shape = 1,
    /// Step 1: the customer's other attributes.
    Customer = 2,
    /// Step 1: lines, devices, agreements and usage.
    Graph = 3,
    /// Step 3: IMEI anomaly injection (seeded with the anomaly seed).
    Anomalies = 4,
    /// The joint model's calibration samples (a fixed seed, not `--seed`).
    Calibration = 5,
}

/// SplitMix64's finaliser: a bijective 64-bit mixer.
pub const fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The random stream of item `index` (a customer index) in `stage` for `seed`.
pub fn stream(seed: u64, stage: Stage, index: u64) -> Pcg64Mcg {
    let a = mix64(seed ^ mix64(stage as u64));
    let b = mix64(a ^ index);
    let c = mix64(b ^ 0x5851_F42D_4C95_7F2D);
    Pcg64Mcg::new((u128::from(b) << 64) | u128::from(c) | 1)
}

/// A keyed bijection of `0..domain` onto itself: a few rounds of
/// add-key, xor-shift and odd multiplication on the smallest number of bits
/// that covers the domain (each step is a bijection of those bits), with
/// cycle walking back into the domain (under two steps on average).
///
/// It scrambles sequential positions into unique, irregular-looking numbers;
/// it is not meant to resist analysis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Permutation {
    domain: u64,
    mask: u64,
    shift: u32,
    round_keys: [u64; Self::ROUNDS],
}

impl Permutation {
    const ROUNDS: usize = 3;
    const MULTIPLIERS: [u64; Self::ROUNDS] = [
        0x9E37_79B9_7F4A_7C15,
        0xBF58_476D_1CE4_E5B9,
        0x94D0_49BB_1331_11EB,
    ];

    /// The permutation of `0..domain` (1 ≤ domain ≤ 2^62) under `key`.
    ///
    /// # Panics
    /// When the domain is out of range.
    pub fn new(domain: u64, key: u64) -> Self {
        assert!(
            (1..=1 << 62).contains(&domain),
            "permutation domain out of range"
        );
        let bits = 64 - (domain - 1).leading_zeros();
        let mask = if bits == 0 {
            0
        } else {
            u64::MAX >> (64 - bits)
        };
        let key = mix64(key);
        Permutation {
            domain,
            mask,
            shift: (bits / 2).max(1),
            round_keys: std::array::from_fn(|round| mix64(key ^ round as u64)),
        }
    }

    /// The size of the domain.
    pub const fn domain(&self) -> u64 {
        self.domain
    }

    /// The image of `x` (`x < domain`).
    pub fn apply(&self, x: u64) -> u64 {
        debug_assert!(x < self.domain);
        let mut y = self.scramble(x);
        // Cycle walking: the bit space is less than twice the domain.
        while y >= self.domain {
            y = self.scramble(y);
        }
        y
    }

    fn scramble(&self, mut x: u64) -> u64 {
        for (key, multiplier) in self.round_keys.iter().zip(Self::MULTIPLIERS) {
            x = x.wrapping_add(*key) & self.mask;
            x ^= x >> self.shift;
            x = x.wrapping_mul(multiplier) & self.mask;
        }
        x ^ (x >> self.shift)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;
    use std::collections::HashSet;

    #[test]
    fn streams_depend_on_every_coordinate() {
        let first = |seed, stage, index| stream(seed, stage, index).random::<u64>();
        let base = first(42, Stage::Customer, 7);
        assert_eq!(base, first(42, Stage::Customer, 7));
        assert_ne!(base, first(43, Stage::Customer, 7));
        assert_ne!(base, first(42, Stage::Graph, 7));
        assert_ne!(base, first(42, Stage::Customer, 8));
    }

    #[test]
    fn permutation_is_a_bijection() {
        for domain in [1u64, 2, 3, 10, 799, 1000, 4097] {
            let p = Permutation::new(domain, 99);
            let images: HashSet<u64> = (0..domain).map(|x| p.apply(x)).collect();
            assert_eq!(images.len() as u64, domain);
            assert!(images.iter().all(|&y| y < domain));
        }
    }

    #[test]
    fn permutation_depends_on_key() {
        let a = Permutation::new(1_000_000, 1);
        let b = Permutation::new(1_000_000, 2);
        let same = (0..1000).filter(|&x| a.apply(x) == b.apply(x)).count();
        assert!(same < 5);
    }
}
