//! Identifiers and sizes of created resources, drawn deterministically: the `n`-th draw of
//! an emulator started with a given seed is always the same, and it continues where it left
//! off after a restart from a state file (the count is part of the state).

use rand::rngs::StdRng;
use rand::SeedableRng;

use crate::data::hbr_id;

/// Draws identifiers from the seed and a running count.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ids {
    seed: u64,
}

impl Ids {
    /// The identifiers of stream `stream` (one per kind of counter) of an emulator started
    /// with `seed`.
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        Self {
            seed: seed ^ 0xC0FF_EE00_5EED_0001 ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03),
        }
    }

    /// The generator of draw number `n`.
    pub(crate) fn rng(self, n: u64) -> StdRng {
        StdRng::seed_from_u64(self.seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    /// An HBR-style ID (`prefix` + `000` + 17 lowercase alphanumerics) for draw `n`.
    pub(crate) fn id(self, n: u64, prefix: &str) -> String {
        hbr_id(&mut self.rng(n), prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_are_fixed_by_seed_and_count() {
        let (a, b) = (Ids::new(7, 0), Ids::new(7, 0));
        assert_eq!(a.id(3, "v-"), b.id(3, "v-"));
        assert_ne!(a.id(3, "v-"), a.id(4, "v-"));
        assert_ne!(a.id(3, "v-"), Ids::new(8, 0).id(3, "v-"));
        assert_ne!(a.id(3, "v-"), Ids::new(7, 1).id(3, "v-"));
        let id = a.id(0, "job-");
        assert!(id.starts_with("job-000") && id.len() == 24, "{id}");
    }
}
