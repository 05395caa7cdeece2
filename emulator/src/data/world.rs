//! The world the seeded jobs live in: an account, vaults spread over seven regions (each with
//! its backup plans and storage class), and per region pools of ECS instances, OSS buckets,
//! NAS and CPFS file systems and Tablestore instances, so that filter values repeat across
//! jobs.

use rand::rngs::StdRng;
use rand::Rng;

use super::{hbr_id, pick, random_chars, ALNUM, DATASET_NOW, HEX};

/// The regions, with the prefix of their ECS instance IDs.
const REGIONS: [(&str, &str); 7] = [
    ("cn-hangzhou", "bp1"),
    ("cn-shanghai", "uf6"),
    ("cn-beijing", "2ze"),
    ("cn-shenzhen", "wz9"),
    ("ap-southeast-1", "t4n"),
    ("eu-central-1", "gw8"),
    ("us-west-1", "rj9"),
];

const BUCKET_WORDS: [&str; 8] = [
    "prod", "logs", "media", "archive", "web", "data", "assets", "reports",
];
const TABLE_WORDS: [&str; 8] = [
    "orders", "users", "events", "metrics", "sessions", "audit", "devices", "payments",
];

/// The ID of one of the regions, drawn.
pub(super) fn random_region(rng: &mut StdRng) -> &'static str {
    pick(rng, &REGIONS).0
}

pub(super) struct Vault {
    pub(super) id: String,
    pub(super) region: usize,
    pub(super) plans: Vec<String>,
    pub(super) archive: bool,
}

pub(super) struct Instance {
    pub(super) id: String,
    pub(super) name: String,
    pub(super) windows: bool,
}

pub(super) struct Region {
    pub(super) index: usize,
    pub(super) instances: Vec<Instance>,
    pub(super) buckets: Vec<String>,
    /// NAS file systems with their creation time.
    pub(super) nas: Vec<(String, i64)>,
    pub(super) cpfs: Vec<String>,
    /// Tablestore instances with their tables.
    pub(super) ots: Vec<(String, Vec<String>)>,
}

impl Region {
    /// The region ID (`cn-hangzhou`, ...).
    pub(super) fn id(&self) -> &'static str {
        REGIONS.get(self.index).map_or("", |r| r.0)
    }
}

pub(super) struct World {
    pub(super) account_id: i64,
    pub(super) vaults: Vec<Vault>,
    regions: Vec<Region>,
}

impl World {
    /// The world for a data set of `n` jobs: the pools grow with `n`.
    pub(super) fn new(rng: &mut StdRng, n: usize) -> Self {
        let account_id: i64 = rng.gen_range(1_000_000_000_000_000..1_999_999_999_999_999);
        let vaults: Vec<Vault> = (0..(n / 20).clamp(3, 60))
            .map(|_| {
                let region = rng.gen_range(0..REGIONS.len());
                let id = hbr_id(rng, "v-");
                let plans = (0..rng.gen_range(1..4))
                    .map(|_| hbr_id(rng, "po-"))
                    .collect();
                Vault {
                    id,
                    region,
                    plans,
                    archive: rng.gen_range(0..100) < 15,
                }
            })
            .collect();
        let mut regions: Vec<Region> = Vec::new();
        for v in &vaults {
            if !regions.iter().any(|r| r.index == v.region) {
                let region = make_region(rng, v.region, n);
                regions.push(region);
            }
        }
        Self {
            account_id,
            vaults,
            regions,
        }
    }

    /// The region with this index, if a vault lives there.
    pub(super) fn region(&self, index: usize) -> Option<&Region> {
        self.regions.iter().find(|r| r.index == index)
    }
}

fn make_region(rng: &mut StdRng, index: usize, n: usize) -> Region {
    let prefix = REGIONS[index].1;
    let instances = (0..(n / 40).clamp(3, 120))
        .map(|k| Instance {
            id: format!("i-{prefix}{}", random_chars(rng, ALNUM, 17)),
            name: format!(
                "{}-{k:03}",
                pick(rng, &["web", "db", "app", "build", "cache"])
            ),
            windows: rng.gen_range(0..4) == 0,
        })
        .collect();
    let buckets = (0..(n / 80).clamp(2, 60))
        .map(|_| {
            format!(
                "{}-{}-{}",
                pick(rng, &BUCKET_WORDS),
                pick(rng, &BUCKET_WORDS),
                rng.gen_range(1000..10000)
            )
        })
        .collect();
    let nas = (0..(n / 100).clamp(2, 40))
        .map(|_| {
            (
                random_chars(rng, HEX, 10),
                DATASET_NOW - rng.gen_range(400 * 86_400..1_500 * 86_400),
            )
        })
        .collect();
    let cpfs = (0..(n / 400).clamp(1, 10))
        .map(|_| format!("cpfs-{}", random_chars(rng, HEX, 16)))
        .collect();
    let ots = (0..(n / 200).clamp(1, 20))
        .map(|k| {
            let tables = (0..rng.gen_range(2..6))
                .map(|_| format!("{}_{}", pick(rng, &TABLE_WORDS), rng.gen_range(1..100)))
                .collect();
            (format!("ots-{}-{k}", random_chars(rng, ALNUM, 6)), tables)
        })
        .collect();
    Region {
        index,
        instances,
        buckets,
        nas,
        cpfs,
        ots,
    }
}
