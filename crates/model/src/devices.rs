//! The embedded catalogue of device models and their Type Allocation Codes.
//!
//! An IMEI's first 8 digits are its TAC, which identifies the make and
//! model. Each catalogue model owns a block of [`TACS_PER_MODEL`]
//! consecutive TACs starting at its `tac_base`, so the serial numbers of a
//! model can cover any population the generator accepts.

use crate::{DeviceCategory, Imei};

/// TACs owned by each model: `tac_base .. tac_base + TACS_PER_MODEL`.
pub const TACS_PER_MODEL: u32 = 2000;

/// Serial numbers per TAC (6 digits).
pub const SERIALS_PER_TAC: u64 = 1_000_000;

/// A device model of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeviceModel {
    /// Manufacturer.
    pub make: &'static str,
    /// Marketing name.
    pub model: &'static str,
    /// Handset or 5G gateway.
    pub category: DeviceCategory,
    /// First TAC of the model's block.
    pub tac_base: u32,
}

const fn handset(make: &'static str, model: &'static str, tac_base: u32) -> DeviceModel {
    DeviceModel {
        make,
        model,
        category: DeviceCategory::Handset,
        tac_base,
    }
}

const fn gateway(make: &'static str, model: &'static str, tac_base: u32) -> DeviceModel {
    DeviceModel {
        make,
        model,
        category: DeviceCategory::Gateway5gHsi,
        tac_base,
    }
}

/// The catalogue, sorted by `tac_base`; blocks never overlap.
pub const DEVICE_MODELS: &[DeviceModel] = &[
    handset("Apple", "iPhone 15", 35_102_000),
    handset("Apple", "iPhone 15 Pro", 35_106_000),
    handset("Apple", "iPhone 14", 35_110_000),
    handset("Apple", "iPhone 13", 35_114_000),
    handset("Samsung", "Galaxy S24", 35_320_000),
    handset("Samsung", "Galaxy S23", 35_324_000),
    handset("Samsung", "Galaxy A54 5G", 35_328_000),
    handset("Samsung", "Galaxy A15 5G", 35_332_000),
    handset("Google", "Pixel 8", 35_540_000),
    handset("Google", "Pixel 7a", 35_544_000),
    handset("Motorola", "moto g power 5G", 35_760_000),
    handset("Motorola", "razr 2024", 35_764_000),
    handset("OnePlus", "12", 86_102_000),
    handset("TCL", "40 XL", 86_106_000),
    gateway("Nokia", "FastMile 5G Gateway 3", 86_420_000),
    gateway("Arcadyan", "KVD21 5G Gateway", 86_424_000),
    gateway("Sagemcom", "Fast 5688W", 86_428_000),
    gateway("Inseego", "FX2000 5G", 86_432_000),
];

/// The models of one category, in catalogue order.
pub fn models_of(category: DeviceCategory) -> impl Iterator<Item = &'static DeviceModel> {
    DEVICE_MODELS.iter().filter(move |m| m.category == category)
}

/// The catalogue model whose TAC block holds `tac`.
pub fn model_of_tac(tac: u32) -> Option<&'static DeviceModel> {
    let i = DEVICE_MODELS.partition_point(|m| m.tac_base <= tac);
    let m = DEVICE_MODELS.get(i.checked_sub(1)?)?;
    (tac < m.tac_base + TACS_PER_MODEL).then_some(m)
}

impl Imei {
    /// The Type Allocation Code: the first 8 digits.
    pub const fn tac(self) -> u32 {
        (self.body() / SERIALS_PER_TAC) as u32
    }

    /// The catalogue model of this IMEI's TAC, if it has one.
    pub fn device_model(self) -> Option<&'static DeviceModel> {
        model_of_tac(self.tac())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_blocks_are_sorted_and_disjoint() {
        for w in DEVICE_MODELS.windows(2) {
            assert!(
                w[0].tac_base + TACS_PER_MODEL <= w[1].tac_base,
                "{:?} overlaps {:?}",
                w[0],
                w[1]
            );
        }
        assert!(DEVICE_MODELS
            .iter()
            .all(|m| (10_000_000..100_000_000).contains(&m.tac_base)));
        assert!(models_of(DeviceCategory::Gateway5gHsi).count() >= 4);
    }

    #[test]
    fn tacs_find_their_model() {
        let m = &DEVICE_MODELS[4];
        assert_eq!(model_of_tac(m.tac_base), Some(m));
        assert_eq!(model_of_tac(m.tac_base + TACS_PER_MODEL - 1), Some(m));
        assert_eq!(model_of_tac(m.tac_base + TACS_PER_MODEL), None);
        assert_eq!(model_of_tac(1), None);
        let imei = Imei::from_body(u64::from(m.tac_base + 7) * SERIALS_PER_TAC + 123_456).unwrap();
        assert_eq!(imei.tac(), m.tac_base + 7);
        assert_eq!(imei.device_model(), Some(m));
    }
}
