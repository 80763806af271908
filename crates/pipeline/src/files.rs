//! The names of the files the steps write and read (CSV names; see
//! [`crate::Format::file_name`] for the Parquet ones).

/// The customers table, under its two names.
pub const CUSTOMER_FILES: &[&str] = &["customers.csv", "customers_v1.csv"];
/// The lines table.
pub const LINES_FILE: &str = "lines.csv";
/// The device inventory.
pub const DEVICES_FILE: &str = "devices.csv";
/// The EIP agreements.
pub const AGREEMENTS_FILE: &str = "eip_agreements.csv";
/// The usage snapshot.
pub const USAGE_FILE: &str = "line_device_usage.csv";
/// Step 1's receipt.
pub const STEP1_RECEIPT: &str = "customer_generation_receipt.json";

/// The files step 1 writes, in order (the receipt comes last).
pub const STEP1_FILES: &[&str] = &[
    CUSTOMER_FILES[0],
    CUSTOMER_FILES[1],
    LINES_FILE,
    DEVICES_FILE,
    AGREEMENTS_FILE,
    USAGE_FILE,
    STEP1_RECEIPT,
];

/// The ledger file every step after 1 reads and writes.
pub const LEDGER_FILE: &str = "master_account_ledger.csv";
/// Step 2's receipt.
pub const LEDGER_RECEIPT: &str = "master_account_ledger_receipt.json";
/// The ledger with the injected anomalies and their labels.
pub const ANOMALY_LEDGER_FILE: &str = "master_account_ledger__anomalies.csv";
/// Rows with a label or a friction flag.
pub const EXAMPLES_FILE: &str = "imei_anomaly_examples.csv";
/// One row per injected defect (stages 1 and 3), with clean and injected values.
pub const MANIFEST_FILE: &str = "anomaly_manifest.csv";
/// Step 3's receipt.
pub const ANOMALY_RECEIPT: &str = "imei_anomaly_injection_receipt.json";
/// The copy of the ledger step 4 writes before changing it.
pub const BACKUP_FILE: &str = "master_account_ledger__pre_contract_fix.csv";
/// The ledger of the same population with no defect injected.
pub const CLEAN_LEDGER_FILE: &str = "master_account_ledger__clean.csv";
