//! Parquet tables hold exactly what the CSV tables hold: same columns in the
//! same order, typed, null exactly where the CSV field is empty, and the
//! same bytes for the same rows however they are batched.
#![allow(clippy::unwrap_used)] // test helpers panic on bad fixtures

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int32Type};
use arrow_array::Array;
use arrow_schema::DataType;
use novawireless_accounts::{AccountChunk, AccountGenerator, CustomerRange, GraphParams};
use novawireless_io::parquet::{ParquetTableWriter, RecordBatch, SchemaRef, CREATED_BY};
use novawireless_io::tables::{
    Agreements, Customers, Devices, Examples, Ledger, Lines, Manifest, Usage,
};
use novawireless_io::{LedgerSchema, OutputSet, TableDef, TEMP_SUFFIX};
use novawireless_model::{
    BillingAgreementType, Defect, DefectType, Device, DeviceCategory, DeviceId, Imei, LedgerRow,
};
use novawireless_sampler::Baseline;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::path::Path;

/// Every table, typed, with the variety of values the pipeline can write.
struct Tables {
    chunk: AccountChunk,
    ledger: Vec<LedgerRow>,
    defects: Vec<Defect>,
}

fn population(customers: u64) -> Tables {
    let generator =
        AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 42, customers)
            .unwrap();
    let mut chunk = generator.generate_range(CustomerRange::new(0, customers));
    let mut ledger = novawireless_ledger::join(
        &chunk.customers,
        &chunk.lines,
        &chunk.agreements,
        &chunk.usage,
    )
    .unwrap();

    // Steps 3 and 4 fill these; the encoders only format them, so any mix
    // of present and missing values will do.
    for (i, r) in ledger.iter_mut().enumerate() {
        if i % 5 == 1 {
            r.imei_anomaly_type = Some(DefectType::ALL[1 + i % 3]);
        }
        r.billing_agreement_type = match i % 3 {
            0 => None,
            1 => Some(BillingAgreementType::MonthToMonth),
            _ => Some(BillingAgreementType::Eip(24 + 6 * (i as u32 % 3))),
        };
        if i % 7 == 2 {
            if let Some(u) = r.usage.as_mut() {
                u.usage_imei = None;
                u.usage_eip_agreement_number = None;
            }
        }
        if i % 17 == 3 {
            r.usage = None;
        }
        if i % 19 == 4 {
            r.agreement = None;
        }
    }
    for (i, u) in chunk.usage.iter_mut().enumerate() {
        if i % 7 == 2 {
            u.usage_imei = None;
        }
    }
    // Devices outside the catalogue: empty make and model; the second TAC
    // has a leading zero (01234567).
    for (i, body) in [12_345_678_000_042u64, 1_234_567_000_042]
        .into_iter()
        .enumerate()
    {
        chunk.devices.push(Device {
            device_id: DeviceId::from_index(chunk.devices.len() as u64 + i as u64),
            imei: Imei::from_body(body).unwrap(),
            device_category: DeviceCategory::Handset,
        });
    }
    let defects = ledger
        .iter()
        .take(60)
        .enumerate()
        .map(|(i, r)| {
            let partner = &ledger[(i + 1) % ledger.len()].line;
            Defect {
                defect_type: DefectType::ALL[i % 4],
                customer_id: r.line.customer_id,
                line_id: r.line.line_id,
                partner_line_id: (i % 2 == 0).then_some(partner.line_id),
                clean_value: (i % 3 != 0).then_some(r.line.current_imei),
                injected_value: (i % 4 != 1).then_some(partner.current_imei),
            }
        })
        .collect();
    Tables {
        chunk,
        ledger,
        defects,
    }
}

const LEDGER_SCHEMAS: [LedgerSchema; 4] = [
    LedgerSchema {
        anomaly_type: false,
        billing_agreement_type: false,
    },
    LedgerSchema {
        anomaly_type: true,
        billing_agreement_type: false,
    },
    LedgerSchema {
        anomaly_type: false,
        billing_agreement_type: true,
    },
    LedgerSchema {
        anomaly_type: true,
        billing_agreement_type: true,
    },
];

/// One table three ways: its Parquet batch, its CSV text, and the columns
/// that may be null.
struct Table {
    name: String,
    schema: SchemaRef,
    batch: RecordBatch,
    csv: Vec<u8>,
    nullable: &'static [&'static str],
}

/// Table `D` of `rows` with the columns of `variant`, three ways.
fn table_of<D: TableDef>(
    name: &str,
    rows: &[&D::Row],
    variant: D::Variant,
    nullable: &'static [&'static str],
) -> Table {
    let mut csv = Vec::new();
    D::csv_header(&mut csv, variant);
    for r in rows {
        D::csv_row(&mut csv, r, variant);
    }
    Table {
        name: name.into(),
        schema: D::schema(variant),
        batch: D::batch(rows, variant).unwrap(),
        csv,
        nullable,
    }
}

fn refs<T>(rows: &[T]) -> Vec<&T> {
    rows.iter().collect()
}

fn is_example(i: usize) -> bool {
    i.is_multiple_of(2)
}

fn all_tables(t: &Tables) -> Vec<Table> {
    let c = &t.chunk;
    let examples: Vec<LedgerRow> = t
        .ledger
        .iter()
        .enumerate()
        .filter(|(i, _)| is_example(*i))
        .map(|(_, r)| r.clone())
        .collect();
    let examples: Vec<&LedgerRow> = examples.iter().collect();
    let mut all = vec![
        table_of::<Customers>("customers", &refs(&c.customers), (), &[]),
        table_of::<Lines>("lines", &refs(&c.lines), (), &[]),
        table_of::<Devices>("devices", &refs(&c.devices), (), &["make", "model"]),
        table_of::<Agreements>("eip_agreements", &refs(&c.agreements), (), &[]),
        table_of::<Usage>(
            "line_device_usage",
            &refs(&c.usage),
            (),
            &["usage_imei", "usage_eip_agreement_number"],
        ),
        table_of::<Examples>(
            "imei_anomaly_examples",
            &examples,
            (),
            &[
                "agreement_number",
                "eip_imei",
                "usage_imei",
                "imei_anomaly_type",
            ],
        ),
        table_of::<Manifest>(
            "anomaly_manifest",
            &refs(&t.defects),
            (),
            &["partner_line_id", "clean_value", "injected_value"],
        ),
    ];
    for ledger in LEDGER_SCHEMAS {
        let name = format!(
            "ledger_anomaly{}_billing{}",
            ledger.anomaly_type as u8, ledger.billing_agreement_type as u8
        );
        all.push(table_of::<Ledger>(
            &name,
            &refs(&t.ledger),
            ledger,
            &[
                "agreement_number",
                "eip_imei",
                "usage_imei",
                "product_type_eip",
                "eip_status",
                "installment_months",
                "product_type_usage",
                "usage_snapshot_date",
                "imei_line_mismatch_flag",
                "usage_eip_agreement_number",
                "billing_agreement_type",
                "imei_anomaly_type",
            ],
        ));
    }
    all
}

/// The type every column must have, by name (the same name has the same
/// type in every table).
fn expected_type(column: &str) -> DataType {
    match column {
        "tenure_months"
        | "lines_on_account"
        | "device_term_months"
        | "device_months_remaining"
        | "repeat_contacts_30d"
        | "last_call_day_index"
        | "installment_months"
        | "has_5g_home_internet"
        | "is_churned"
        | "stage"
        | "tac" => DataType::Int32,
        c if c.ends_with("_flag") => DataType::Int32,
        "monthly_charges"
        | "device_monthly_payment"
        | "churn_risk_score"
        | "trust_baseline"
        | "patience" => DataType::Float64,
        "usage_snapshot_date" => DataType::Date32,
        "paperless_billing"
        | "payment_method"
        | "contract_proxy"
        | "billing_agreement_type"
        | "internet_service"
        | "device_payment_plan"
        | "OnlineSecurity"
        | "OnlineBackup"
        | "DeviceProtection"
        | "StreamingTV"
        | "StreamingMovies"
        | "product_type"
        | "product_type_eip"
        | "product_type_usage"
        | "status"
        | "eip_status"
        | "device_category"
        | "make"
        | "model"
        | "imei_anomaly_type"
        | "defect_type"
        | "field" => DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
        _ => DataType::Utf8,
    }
}

/// Writes `batches` as one Parquet table into memory.
fn parquet_bytes(schema: &SchemaRef, batches: &[RecordBatch]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut writer = ParquetTableWriter::new(&mut out, schema.clone()).unwrap();
    for b in batches {
        writer.write(b).unwrap();
    }
    let rows = writer.finish().unwrap();
    assert_eq!(
        rows,
        batches.iter().map(|b| b.num_rows() as u64).sum::<u64>()
    );
    out
}

/// Reads a Parquet file back: its schema and its batches.
fn read_parquet(path: &Path) -> (SchemaRef, Vec<RecordBatch>, String) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let schema = builder.schema().clone();
    let created_by = builder
        .metadata()
        .file_metadata()
        .created_by()
        .unwrap_or_default()
        .to_string();
    let batches = builder
        .with_batch_size(333)
        .build()
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    (schema, batches, created_by)
}

/// Checks every row and column of the Parquet batches against the CSV text.
/// Returns, per column, whether a null and a non-null value were seen.
fn compare(table: &Table, schema: &SchemaRef, batches: &[RecordBatch]) -> Vec<(bool, bool)> {
    let name = &table.name;
    let mut reader = csv::ReaderBuilder::new().from_reader(table.csv.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    let names: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    assert_eq!(names, header, "{name}: column names and order");
    for f in schema.fields() {
        assert_eq!(
            f.data_type(),
            &expected_type(f.name()),
            "{name}.{}: type",
            f.name()
        );
        assert_eq!(
            f.is_nullable(),
            table.nullable.contains(&f.name().as_str()),
            "{name}.{}: nullability",
            f.name()
        );
    }
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, records.len(), "{name}: row count");
    assert!(rows > 0, "{name}: no rows to compare");

    let mut seen = vec![(false, false); names.len()];
    let mut row = 0;
    for batch in batches {
        for i in 0..batch.num_rows() {
            let record = &records[row];
            for (j, column) in batch.columns().iter().enumerate() {
                let field = &record[j];
                let at = || format!("{name} row {row} column {}", names[j]);
                if column.is_null(i) {
                    assert_eq!(field, "", "{}: null where the CSV has a value", at());
                    seen[j].0 = true;
                    continue;
                }
                seen[j].1 = true;
                match column.data_type() {
                    DataType::Utf8 => {
                        assert_eq!(column.as_string::<i32>().value(i), field, "{}", at())
                    }
                    DataType::Dictionary(..) => {
                        let dictionary = column.as_dictionary::<Int32Type>();
                        let key = dictionary.keys().value(i) as usize;
                        let values = dictionary.values().as_string::<i32>();
                        assert_eq!(values.value(key), field, "{}", at())
                    }
                    DataType::Int32 => {
                        let v = column.as_primitive::<Int32Type>().value(i);
                        let text = if names[j] == "tac" {
                            format!("{v:08}")
                        } else {
                            v.to_string()
                        };
                        assert_eq!(text, field, "{}", at());
                    }
                    DataType::Float64 => {
                        let v = column.as_primitive::<Float64Type>().value(i);
                        let parsed: f64 = field.parse().unwrap_or_else(|_| panic!("{}", at()));
                        assert_eq!(v.to_bits(), parsed.to_bits(), "{}: {v} vs {field}", at());
                    }
                    DataType::Date32 => {
                        let date = column.as_primitive::<Date32Type>().value_as_date(i);
                        assert_eq!(date.unwrap().to_string(), field, "{}", at());
                    }
                    other => panic!("{}: unexpected type {other}", at()),
                }
            }
            row += 1;
        }
    }
    seen
}

#[test]
fn every_table_reads_back_as_its_csv() {
    let population = population(500);
    let all = all_tables(&population);
    let dir = tempfile::tempdir().unwrap();
    let mut set = OutputSet::create(dir.path()).unwrap();
    for table in &all {
        assert_eq!(table.batch.schema(), table.schema, "{}", table.name);
        let mut staged = set.writer(&format!("{}.parquet", table.name)).unwrap();
        let mut writer = ParquetTableWriter::new(&mut staged, table.schema.clone()).unwrap();
        // In uneven pieces, as chunks arrive.
        let mut start = 0;
        for size in [1, 700, 5000].into_iter().cycle() {
            let len = size.min(table.batch.num_rows() - start);
            writer.write(&table.batch.slice(start, len)).unwrap();
            start += len;
            if start == table.batch.num_rows() {
                break;
            }
        }
        assert_eq!(writer.finish().unwrap(), table.batch.num_rows() as u64);
        set.finish_writer(staged).unwrap();
    }
    // Nothing appears before the commit.
    assert!(fs::read_dir(dir.path()).unwrap().all(|e| e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(TEMP_SUFFIX)));
    let records = set.commit().unwrap();
    assert_eq!(records.len(), all.len());

    for (table, record) in all.iter().zip(&records) {
        let path = dir.path().join(&record.path);
        let content = fs::read(&path).unwrap();
        assert_eq!(record.bytes, content.len() as u64);
        let digest: String = Sha256::digest(&content)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(record.sha256, digest);
        assert_eq!(
            content,
            parquet_bytes(&table.schema, std::slice::from_ref(&table.batch)),
            "{}: bytes depend on batching",
            table.name
        );

        let (schema, batches, created_by) = read_parquet(&path);
        assert_eq!(created_by, CREATED_BY);
        let seen = compare(table, &schema, &batches);
        // The data exercises both sides of every nullable column.
        for (f, (null, value)) in schema.fields().iter().zip(seen) {
            assert!(value, "{}.{}: never a value", table.name, f.name());
            if f.is_nullable() {
                assert!(null, "{}.{}: never null", table.name, f.name());
            }
        }
    }
}

#[test]
fn bytes_depend_only_on_the_rows() {
    let population = population(3000);
    for mut table in all_tables(&population) {
        // Enough rows for several pages (a page holds at most 20,000 rows)
        // and for blocks that straddle them.
        let copies = 50_000 / table.batch.num_rows() + 1;
        table.batch = arrow_select::concat::concat_batches(
            &table.schema,
            std::iter::repeat_n(&table.batch, copies),
        )
        .unwrap();
        let rows = table.batch.num_rows();
        let once = parquet_bytes(&table.schema, std::slice::from_ref(&table.batch));
        assert_eq!(
            once,
            parquet_bytes(&table.schema, std::slice::from_ref(&table.batch)),
            "{}: two writes differ",
            table.name
        );
        for sizes in [
            &[1usize][..],
            &[7, 1017, 1024, 1025][..],
            &[1023, 2049][..],
            &[5000, 1][..],
        ] {
            let mut batches = Vec::new();
            let mut start = 0;
            for &size in sizes.iter().cycle() {
                let len = size.min(rows - start);
                batches.push(table.batch.slice(start, len));
                start += len;
                if start == rows {
                    break;
                }
            }
            // Empty batches change nothing either.
            batches.insert(1, table.batch.slice(0, 0));
            assert!(
                once == parquet_bytes(&table.schema, &batches),
                "{}: bytes depend on batches of {sizes:?}",
                table.name
            );
        }
    }
}

#[test]
fn empty_tables_are_valid_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.parquet");
    let schema = Ledger::schema(LEDGER_SCHEMAS[3]);
    let batch = Ledger::batch(&[], LEDGER_SCHEMAS[3]).unwrap();
    fs::write(&path, parquet_bytes(&schema, &[batch])).unwrap();
    let (read, batches, _) = read_parquet(&path);
    assert_eq!(read, schema);
    assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 0);
}

#[test]
fn a_batch_of_another_table_is_refused() {
    let population = population(20);
    let mut out = Vec::new();
    let mut writer = ParquetTableWriter::new(&mut out, Lines::schema(())).unwrap();
    let err = writer
        .write(&Customers::batch(&refs(&population.chunk.customers), ()).unwrap())
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("written to a table with columns (line_id: Utf8"),
        "{err}"
    );
}

#[test]
fn an_unfinished_writer_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut set = OutputSet::create(dir.path()).unwrap();
        let mut staged = set.writer("a.parquet").unwrap();
        let mut writer = ParquetTableWriter::new(&mut staged, Manifest::schema(())).unwrap();
        writer.write(&Manifest::batch(&[], ()).unwrap()).unwrap();
        writer.finish().unwrap();
        set.finish_writer(staged).unwrap();
        // Dropped without commit.
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Every reader sees the float statistics: float columns record the
/// type-defined column order (a reader that does not know the IEEE 754
/// total order ignores the statistics), and those statistics hold each row
/// group's minimum and maximum.
#[test]
fn float_columns_record_the_type_defined_order_and_their_range() {
    use parquet::basic::{ColumnOrder, SortOrder, Type};
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::file::statistics::Statistics;

    let population = population(300);
    let all = all_tables(&population);
    let customers = all.iter().find(|t| t.name == "customers").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("customers.parquet");
    fs::write(
        &path,
        parquet_bytes(&customers.schema, std::slice::from_ref(&customers.batch)),
    )
    .unwrap();
    let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
    let metadata = reader.metadata();
    let orders = metadata.file_metadata().column_orders().unwrap();
    let schema = metadata.file_metadata().schema_descr();
    let mut floats = 0;
    for (i, order) in orders.iter().enumerate() {
        let column = schema.column(i);
        if column.physical_type() != Type::DOUBLE {
            assert!(!matches!(order, ColumnOrder::IEEE_754_TOTAL_ORDER));
            continue;
        }
        floats += 1;
        assert_eq!(
            *order,
            ColumnOrder::TYPE_DEFINED_ORDER(SortOrder::SIGNED),
            "{}",
            column.name()
        );
        let values = customers
            .batch
            .column_by_name(column.name())
            .unwrap()
            .as_primitive::<Float64Type>();
        let low = values
            .values()
            .iter()
            .copied()
            .fold(f64::INFINITY, f64::min);
        let high = values
            .values()
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        let Some(Statistics::Double(stats)) = metadata.row_group(0).column(i).statistics() else {
            panic!("{}: no statistics", column.name());
        };
        assert_eq!(
            (stats.min_opt(), stats.max_opt()),
            (Some(&low), Some(&high)),
            "{}",
            column.name()
        );
    }
    assert_eq!(floats, 5);
}
