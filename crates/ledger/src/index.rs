//! Positions of typed ids in a slice, for the join's lookups.

use std::collections::HashMap;

/// The position of each id (as its 0-based index) in a slice.
///
/// Generated ids are consecutive within a chunk, so a dense table indexed by
/// `id − smallest id` is the usual case: one array access per lookup and no
/// hashing. Ids spread far apart (a hand-edited file) fall back to a map,
/// keeping memory proportional to the number of rows either way.
pub(crate) enum IdIndex {
    Dense { base: u64, slots: Vec<usize> },
    Sparse(HashMap<u64, usize>),
}

const EMPTY: usize = usize::MAX;

impl IdIndex {
    /// An empty index able to hold `keys` (the same keys are inserted later).
    pub(crate) fn for_keys(keys: impl Iterator<Item = u64>) -> Self {
        let (mut len, mut min, mut max) = (0u64, u64::MAX, 0u64);
        for key in keys {
            len += 1;
            min = min.min(key);
            max = max.max(key);
        }
        if len == 0 {
            return IdIndex::Sparse(HashMap::new());
        }
        let span = max - min + 1;
        match usize::try_from(span) {
            Ok(span) if span as u64 <= 2 * len + 1024 => IdIndex::Dense {
                base: min,
                slots: vec![EMPTY; span],
            },
            _ => IdIndex::Sparse(HashMap::with_capacity(len as usize)),
        }
    }

    /// Records `key` at `position`; when `key` is already present, keeps the
    /// first position and returns it.
    pub(crate) fn insert(&mut self, key: u64, position: usize) -> Option<usize> {
        match self {
            IdIndex::Dense { base, slots } => {
                let slot = &mut slots[(key - *base) as usize];
                if *slot == EMPTY {
                    *slot = position;
                    None
                } else {
                    Some(*slot)
                }
            }
            IdIndex::Sparse(map) => match map.entry(key) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(position);
                    None
                }
            },
        }
    }

    /// The position of `key`, if it was inserted.
    pub(crate) fn get(&self, key: u64) -> Option<usize> {
        match self {
            IdIndex::Dense { base, slots } => key
                .checked_sub(*base)
                .and_then(|offset| usize::try_from(offset).ok())
                .and_then(|offset| slots.get(offset))
                .copied()
                .filter(|&p| p != EMPTY),
            IdIndex::Sparse(map) => map.get(&key).copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_agree() {
        for keys in [vec![5u64, 6, 7, 9], vec![3, 1_000_000_000_000, 17]] {
            let mut index = IdIndex::for_keys(keys.iter().copied());
            for (position, &key) in keys.iter().enumerate() {
                assert_eq!(index.insert(key, position), None);
            }
            assert_eq!(index.insert(keys[1], 99), Some(1));
            for (position, &key) in keys.iter().enumerate() {
                assert_eq!(index.get(key), Some(position));
            }
            assert_eq!(index.get(8), None);
            assert_eq!(index.get(0), None);
            assert_eq!(index.get(u64::MAX), None);
        }
        assert!(matches!(
            IdIndex::for_keys([5u64, 6].into_iter()),
            IdIndex::Dense { .. }
        ));
        assert!(matches!(
            IdIndex::for_keys([3, 1_000_000_000_000].into_iter()),
            IdIndex::Sparse(_)
        ));
    }
}
