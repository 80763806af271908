//! Realistic devices: every IMEI starts with the TAC of a catalogue model of
//! the device's own category.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
use novawireless_model::{models_of, DeviceCategory, ProductType};
use novawireless_sampler::Baseline;
use proptest::prelude::*;
use std::collections::BTreeMap;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn tacs_match_the_device_category(seed in any::<u64>(), n in 1u64..400) {
        let generator = AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), seed, n).unwrap();
        let chunk = generator.generate_range(CustomerRange::new(0, n));
        for d in &chunk.devices {
            let model = d.imei.device_model().expect("every IMEI has a catalogue TAC");
            prop_assert_eq!(model.category, d.device_category);
            prop_assert_eq!(d.imei.to_string()[..8].to_string(), d.imei.tac().to_string());
        }
        for l in &chunk.lines {
            let expected = match l.product_type {
                ProductType::Voice => DeviceCategory::Handset,
                ProductType::HomeInternet5g => DeviceCategory::Gateway5gHsi,
            };
            prop_assert_eq!(l.current_imei.device_model().unwrap().category, expected);
        }
    }
}

#[test]
fn every_model_of_the_catalogue_is_used_about_equally() {
    let n = 50_000;
    let generator =
        AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 42, n).unwrap();
    let chunk = generator.generate_range(CustomerRange::new(0, n));
    for category in [DeviceCategory::Handset, DeviceCategory::Gateway5gHsi] {
        let mut counts: BTreeMap<&str, u64> = BTreeMap::new();
        for d in chunk
            .devices
            .iter()
            .filter(|d| d.device_category == category)
        {
            *counts
                .entry(d.imei.device_model().unwrap().model)
                .or_default() += 1;
        }
        let models = models_of(category).count();
        assert_eq!(
            counts.len(),
            models,
            "{category:?}: not every model appears"
        );
        let total: u64 = counts.values().sum();
        let expected = total as f64 / models as f64;
        for (model, count) in counts {
            let sd = (expected * (1.0 - 1.0 / models as f64)).sqrt();
            assert!(
                (count as f64 - expected).abs() < 5.0 * sd,
                "{model}: {count} vs {expected:.0}"
            );
        }
    }
}
