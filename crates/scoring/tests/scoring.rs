//! Scoring against the hand-made fixture of `fixtures/scoring` (figures
//! counted by hand in its README), the perfect and the all-zero predictor,
//! thresholds, and the readers' refusals.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use novawireless_model::LineId;
use novawireless_scoring::{
    read_ledger_lines, read_manifest, read_predictions, score, write_json, DefectId, DefectType,
    InputError, LineUniverse, ManifestRow, Predictions, Problem, Score,
};
use std::fs;
use std::path::{Path, PathBuf};

use DefectType::{
    GenerationUsageMismatch as Generation, ImeiMismatchSwap as Swap,
    MissingUsageImeiCaptureFailure as Capture, MissingUsageImeiGhostLine as Ghost,
};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/scoring")
        .join(name)
}

fn line(n: u64) -> LineId {
    LineId::from_index(n - 1)
}

fn universe() -> LineUniverse {
    read_ledger_lines(&fixture("master_account_ledger.csv")).unwrap()
}

fn manifest() -> Vec<ManifestRow> {
    read_manifest(&fixture("anomaly_manifest.csv"), &universe()).unwrap()
}

fn score_file(name: &str, threshold: Option<f64>) -> Score {
    let universe = universe();
    let predictions = read_predictions(&fixture(name), &universe, threshold).unwrap();
    score(&universe, &manifest(), &predictions)
}

/// (TP, FP, FN, TN)
fn confusion(s: &Score) -> (u64, u64, u64, u64) {
    (
        s.true_positive,
        s.false_positive,
        s.false_negative,
        s.true_negative,
    )
}

/// (support, TP, recall, precision) of one type.
fn of(s: &Score, t: DefectType) -> (u64, u64, f64, f64) {
    let t = s.of(t);
    (t.support, t.true_positive, t.recall, t.precision)
}

#[test]
fn the_fixture_reads_as_written() {
    let universe = universe();
    assert_eq!(universe.len(), 12);
    assert_eq!(
        universe.iter().collect::<Vec<_>>(),
        (1..=12).map(line).collect::<Vec<_>>()
    );
    let manifest = manifest();
    assert_eq!(manifest.len(), 8);
    let first = &manifest[0];
    assert_eq!(first.defect_id, DefectId::new(1).unwrap());
    assert_eq!(first.defect_type, Generation);
    assert_eq!(first.stage, 1);
    assert_eq!(first.customer_id.to_string(), "C0000001");
    assert_eq!(first.line_id, line(2));
    assert_eq!(first.partner_line_id, None);
    assert_eq!(first.field, "usage_imei");
    assert_eq!(first.clean_value.unwrap().to_string(), "353322110000024");
    assert_eq!(first.injected_value.unwrap().to_string(), "353322110000032");
    let swap = &manifest[2];
    assert_eq!((swap.defect_type, swap.stage), (Swap, 3));
    assert_eq!(swap.partner_line_id, Some(line(6)));
    let blanked = &manifest[4];
    assert_eq!(blanked.defect_type, Capture);
    assert_eq!(blanked.injected_value, None);
    let mut types: Vec<(u64, DefectType)> = manifest
        .iter()
        .map(|r| (r.line_id.number(), r.defect_type))
        .collect();
    types.sort();
    assert_eq!(
        types,
        [
            (2, Generation),
            (5, Generation),
            (5, Swap),
            (6, Swap),
            (7, Capture),
            (8, Ghost),
            (9, Capture),
            (11, Ghost),
        ]
    );
}

#[test]
fn flags_scored_by_hand() {
    let s = score_file("predictions_flags.csv", None);
    assert_eq!((s.lines, s.predicted, s.absent), (12, 10, 2));
    assert_eq!((s.positive, s.flagged), (7, 5));
    assert_eq!(confusion(&s), (4, 1, 3, 4));
    assert_eq!(s.precision, 4.0 / 5.0);
    assert_eq!(s.recall, 4.0 / 7.0);
    assert_eq!(s.f1, 8.0 / 12.0);
    assert_eq!(of(&s, Generation), (2, 2, 1.0, 2.0 / 3.0));
    assert_eq!(of(&s, Swap), (2, 1, 1.0 / 2.0, 1.0 / 2.0));
    assert_eq!(of(&s, Capture), (2, 2, 1.0, 2.0 / 3.0));
    assert_eq!(of(&s, Ghost), (2, 0, 0.0, 0.0));
    assert_eq!(s.of(Swap).false_negative, 1);
    assert_eq!(s.of(Ghost).false_negative, 2);
}

#[test]
fn scores_at_threshold_one_half_by_hand() {
    let s = score_file("predictions_scores.csv", Some(0.5));
    assert_eq!((s.lines, s.predicted, s.absent), (12, 12, 0));
    assert_eq!(confusion(&s), (4, 2, 3, 3));
    assert_eq!(s.precision, 4.0 / 6.0);
    assert_eq!(s.recall, 4.0 / 7.0);
    assert_eq!(s.f1, 8.0 / 13.0);
    assert_eq!(of(&s, Generation), (2, 2, 1.0, 2.0 / 4.0));
    assert_eq!(of(&s, Swap), (2, 1, 1.0 / 2.0, 1.0 / 3.0));
    assert_eq!(of(&s, Capture), (2, 1, 1.0 / 2.0, 1.0 / 3.0));
    assert_eq!(of(&s, Ghost), (2, 1, 1.0 / 2.0, 1.0 / 3.0));
}

#[test]
fn a_score_equal_to_the_threshold_is_flagged() {
    // LINE-3 (clean) scores exactly 0.50.
    let at = score_file("predictions_scores.csv", Some(0.5));
    let above = score_file("predictions_scores.csv", Some(0.500_000_01));
    assert_eq!(confusion(&at), (4, 2, 3, 3));
    assert_eq!(confusion(&above), (4, 1, 3, 4));
    assert_eq!(above.precision, 4.0 / 5.0);
    assert_eq!(above.f1, 8.0 / 12.0);
}

#[test]
fn lower_thresholds_flag_more() {
    let low = score_file("predictions_scores.csv", Some(0.0));
    assert_eq!(confusion(&low), (7, 4, 0, 1));
    assert_eq!(low.precision, 7.0 / 11.0);
    assert_eq!(low.recall, 1.0);
    assert_eq!(low.f1, 14.0 / 18.0);

    let high = score_file("predictions_scores.csv", Some(0.96));
    assert_eq!(confusion(&high), (0, 0, 7, 5));
    assert_eq!((high.precision, high.recall, high.f1), (0.0, 0.0, 0.0));

    // Recall never rises with the threshold.
    let mut last = f64::INFINITY;
    for t in [-2.0, 0.0, 0.06, 0.3, 0.5, 0.56, 0.7, 0.9, 0.96] {
        let s = score_file("predictions_scores.csv", Some(t));
        assert!(s.recall <= last, "recall rose at threshold {t}");
        assert_eq!(s.lines, 12);
        last = s.recall;
    }
}

#[test]
fn a_perfect_predictor_scores_one_everywhere() {
    let manifest = manifest();
    let universe = universe();
    let predictions: Predictions = universe
        .iter()
        .map(|l| (l, manifest.iter().any(|r| r.line_id == l)))
        .collect();
    let s = score(&universe, &manifest, &predictions);
    assert_eq!(confusion(&s), (7, 0, 0, 5));
    assert_eq!((s.precision, s.recall, s.f1), (1.0, 1.0, 1.0));
    for t in DefectType::ALL {
        assert_eq!(of(&s, t), (2, 2, 1.0, 1.0), "{t}");
    }
}

#[test]
fn an_all_zero_predictor_has_recall_zero() {
    let manifest = manifest();
    let universe = universe();
    let zeros: Predictions = universe.iter().map(|l| (l, false)).collect();
    let s = score(&universe, &manifest, &zeros);
    assert_eq!(confusion(&s), (0, 0, 7, 5));
    assert_eq!(s.absent, 0);
    assert_eq!((s.precision, s.recall, s.f1), (0.0, 0.0, 0.0));
    for t in DefectType::ALL {
        assert_eq!(of(&s, t), (2, 0, 0.0, 0.0), "{t}");
    }
    // Saying nothing at all is the same, but every line is absent.
    let silent = score(&universe, &manifest, &Predictions::new());
    assert_eq!(confusion(&silent), (0, 0, 7, 5));
    assert_eq!((silent.predicted, silent.absent), (0, 12));
    assert_eq!(silent.recall, 0.0);
}

#[test]
fn nothing_to_find_and_nothing_flagged_is_zero_not_nan() {
    let s = score((1..=3).map(line), &[], &Predictions::new());
    assert_eq!(confusion(&s), (0, 0, 0, 3));
    assert_eq!((s.precision, s.recall, s.f1), (0.0, 0.0, 0.0));
    assert_eq!(of(&s, Swap), (0, 0, 0.0, 0.0));
}

#[test]
fn lines_are_counted_once_and_none_is_dropped() {
    let d = |n| DefectId::new(n).unwrap();
    // LINE-2 has two swap rows (chosen, then picked as a partner): one line.
    // LINE-9 is outside the universe but in the manifest; LINE-8 only in the
    // predictions.
    let manifest = [
        ManifestRow::new(line(2), Swap, d(1)),
        ManifestRow::new(line(2), Swap, d(2)),
        ManifestRow::new(line(9), Ghost, d(3)),
    ];
    let predictions: Predictions = [(line(2), true), (line(8), true)].into_iter().collect();
    let universe = [line(1), line(2), line(2), line(3)];
    let s = score(universe, &manifest, &predictions);
    assert_eq!((s.lines, s.predicted, s.absent), (5, 2, 3));
    assert_eq!(confusion(&s), (1, 1, 1, 2));
    assert_eq!(of(&s, Swap), (1, 1, 1.0, 1.0 / 2.0));
    assert_eq!(of(&s, Ghost), (1, 0, 0.0, 0.0));
}

#[test]
fn json_has_a_fixed_key_order_and_a_trailing_newline() {
    let s = score_file("predictions_flags.csv", None);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/score.json");
    write_json(&path, &s).unwrap();
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.ends_with("}\n"), "{text:?}");
    let keys = [
        "\"lines\"",
        "\"predicted\"",
        "\"absent\"",
        "\"positive\"",
        "\"flagged\"",
        "\"true_positive\"",
        "\"false_positive\"",
        "\"false_negative\"",
        "\"true_negative\"",
        "\"precision\"",
        "\"recall\"",
        "\"f1\"",
        "\"by_defect_type\"",
        "\"generation_usage_mismatch\"",
        "\"imei_mismatch_swap\"",
        "\"missing_usage_imei_capture_failure\"",
        "\"missing_usage_imei_ghost_line\"",
    ];
    let positions: Vec<usize> = keys.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["true_positive"], 4);
    assert_eq!(json["absent"], 2);
    assert_eq!(json["precision"], 4.0 / 5.0);
    assert_eq!(json["f1"], 8.0 / 12.0);
    let swap = &json["by_defect_type"]["imei_mismatch_swap"];
    assert_eq!(swap["support"], 2);
    assert_eq!(swap["true_positive"], 1);
    assert_eq!(swap["false_negative"], 1);
    assert_eq!(swap["recall"], 0.5);
    assert_eq!(swap["precision"], 0.5);
    // Written in place: nothing but the file itself in its folder.
    let names: Vec<_> = fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["score.json"]);
    // Same figures, same bytes.
    write_json(&path, &s).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn defect_types_round_trip_their_spellings() {
    for t in DefectType::ALL {
        assert_eq!(t.as_str().parse::<DefectType>().unwrap(), t);
    }
    assert!("imei_mismatch".parse::<DefectType>().is_err());
    // Ids print as the pipeline writes them, with ten digits; the nine of a
    // hand-made manifest are read too.
    assert_eq!(DefectId::new(7).unwrap().to_string(), "DEF-0000000007");
    assert_eq!("DEF-000000007".parse::<DefectId>().unwrap().number(), 7);
    assert_eq!("DEF-0000000023".parse::<DefectId>().unwrap().number(), 23);
    for bad in ["DEF-7", "DEF-000000000", "def-000000007", "DEF-00000000x"] {
        assert!(bad.parse::<DefectId>().is_err(), "{bad}");
    }
}

/// Writes `text` to a temporary file and returns the folder and the path.
fn file(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.csv");
    fs::write(&path, text).unwrap();
    (dir, path)
}

fn predictions_error(text: &str, threshold: Option<f64>) -> InputError {
    let (_dir, path) = file(text);
    let err = read_predictions(&path, &universe(), threshold).unwrap_err();
    assert_eq!(err.path, path.display().to_string());
    err
}

#[test]
fn bad_predictions_are_refused_with_their_line() {
    let l = |n: u64| line(n);
    let cases: Vec<(&str, Option<f64>, Option<u64>, Problem)> = vec![
        (
            "",
            None,
            None,
            Problem::Table("empty file (no header)".into()),
        ),
        (
            "id,flag\nLINE-000000001,1\n",
            None,
            Some(1),
            Problem::MissingColumn("line_id"),
        ),
        (
            "line_id,verdict\nLINE-000000001,1\n",
            None,
            Some(1),
            Problem::NoVerdictColumn,
        ),
        (
            "line_id,flag,score\nLINE-000000001,1,0.5\n",
            Some(0.5),
            Some(1),
            Problem::BothVerdictColumns,
        ),
        (
            "line_id,score\nLINE-000000001,0.5\n",
            None,
            Some(1),
            Problem::ThresholdRequired,
        ),
        (
            "line_id,flag\nLINE-000000001,1\n",
            Some(0.5),
            Some(1),
            Problem::ThresholdWithFlag,
        ),
        (
            "line_id,flag,flag\nLINE-000000001,1,1\n",
            None,
            Some(1),
            Problem::RepeatedColumn("flag"),
        ),
        (
            "line_id,flag\nLINE-000000001,1\nLINE-000000002,2\n",
            None,
            Some(3),
            Problem::BadFlag("2".into()),
        ),
        (
            "line_id,flag\nLINE-000000001,true\n",
            None,
            Some(2),
            Problem::BadFlag("true".into()),
        ),
        (
            "line_id,score\nLINE-000000001,0.5\nLINE-000000002,abc\n",
            Some(0.5),
            Some(3),
            Problem::BadScore("abc".into()),
        ),
        (
            "line_id,score\nLINE-000000001,NaN\n",
            Some(0.5),
            Some(2),
            Problem::BadScore("NaN".into()),
        ),
        (
            "line_id,score\nLINE-000000001,inf\n",
            Some(0.5),
            Some(2),
            Problem::BadScore("inf".into()),
        ),
        (
            "line_id,score\nLINE-000000001,\n",
            Some(0.5),
            Some(2),
            Problem::BadScore(String::new()),
        ),
        (
            "line_id,flag\nLINE-000000001,0\nLINE-000000099,1\n",
            None,
            Some(3),
            Problem::UnknownLine {
                line_id: l(99),
                ledger: fixture("master_account_ledger.csv").display().to_string(),
            },
        ),
        (
            "line_id,flag\nLINE-000000004,0\nLINE-000000005,1\nLINE-000000004,1\n",
            None,
            Some(4),
            Problem::DuplicatePrediction {
                line_id: l(4),
                first: 2,
            },
        ),
        (
            "line_id,flag\nLINE-000000001,0,7\n",
            None,
            Some(2),
            Problem::Table("wrong field count: 3 fields where the header has 2".into()),
        ),
    ];
    for (text, threshold, want_line, want) in cases {
        let err = predictions_error(text, threshold);
        assert_eq!((err.line, &err.problem), (want_line, &want), "{text:?}");
    }
    let err = predictions_error("line_id,flag\nLINE-1,1\n", None);
    assert_eq!(err.line, Some(2));
    assert!(matches!(err.problem, Problem::BadLineId(_)), "{err}");
}

#[test]
fn errors_print_on_one_line_naming_file_and_line() {
    let (_dir, path) = file("line_id,flag\nLINE-000000001,0\nLINE-000000002,5\n");
    let err = read_predictions(&path, &universe(), None).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("{}:3: column flag: \"5\" is not 0 or 1", path.display())
    );
    let missing = Path::new("/no/such/predictions.csv");
    let err = read_predictions(missing, &universe(), None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("/no/such/predictions.csv: cannot read: "),
        "{err}"
    );
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn predictions_accept_a_bom_crlf_and_extra_columns() {
    let (_dir, path) =
        file("\u{feff}note,line_id,flag\r\nx,LINE-000000002,1\r\ny,LINE-000000003, 0 \r\n");
    let p = read_predictions(&path, &universe(), None).unwrap();
    assert_eq!(p.len(), 2);
    assert_eq!(p.get(line(2)), Some(true));
    assert_eq!(p.get(line(3)), Some(false));
    assert_eq!(p.get(line(4)), None);
}

const MANIFEST_HEADER: &str =
    "defect_id,defect_type,stage,customer_id,line_id,partner_line_id,field,clean_value,injected_value\n";

/// The manifest's `field` was called `column` before; both headers read
/// to the same rows, and a manifest with neither is refused naming `field`.
#[test]
fn the_manifest_field_column_is_read_by_its_old_name_too() {
    let row = "DEF-000000001,imei_mismatch_swap,3,C0000002,LINE-000000005,LINE-000000006,usage_imei,353322110000040,353322110000065\n";
    let read = |header: &str| {
        let (_dir, path) = file(&format!("{header}{row}"));
        read_manifest(&path, &universe())
    };
    let new = read(MANIFEST_HEADER).unwrap();
    assert_eq!(new[0].field, "usage_imei");
    let old = read(&MANIFEST_HEADER.replace(",field,", ",column,")).unwrap();
    assert_eq!(old, new);
    let err = read(&MANIFEST_HEADER.replace(",field,", ",what,")).unwrap_err();
    assert!(
        matches!(err.problem, Problem::MissingColumn("field")),
        "{err}"
    );
    assert_eq!(err.line, Some(1));
}

fn manifest_error(rows: &str) -> InputError {
    let (_dir, path) = file(&format!("{MANIFEST_HEADER}{rows}"));
    read_manifest(&path, &universe()).unwrap_err()
}

#[test]
fn bad_manifests_are_refused_with_their_line() {
    let ok = "DEF-000000001,imei_mismatch_swap,3,C0000002,LINE-000000005,LINE-000000006,usage_imei,353322110000040,353322110000065\n";
    let err = manifest_error(&format!(
        "{ok}DEF-000000002,imei_mismatch_swap,3,C0000002,LINE-000000077,,usage_imei,,\n"
    ));
    assert_eq!(err.line, Some(3));
    assert!(
        matches!(err.problem, Problem::UnknownLine { line_id, .. } if line_id == line(77)),
        "{err}"
    );

    let err = manifest_error(&format!("{ok}{ok}"));
    assert_eq!(err.line, Some(3));
    assert_eq!(
        err.problem,
        Problem::DuplicateDefect {
            defect_id: DefectId::new(1).unwrap(),
            first: 2
        }
    );

    // A duplicate id is named as the pipeline writes it (ten digits).
    let written = "DEF-0000000053,imei_mismatch_swap,3,C0000002,LINE-000000005,LINE-000000006,usage_imei,353322110000040,353322110000065\n";
    let err = manifest_error(&format!("{written}{written}"));
    assert_eq!(
        err.to_string().split_once(": ").unwrap().1,
        "defect DEF-0000000053 appears twice (first on line 2)"
    );

    let err = manifest_error(
        "DEF-000000001,generation_usage_mismatch,3,C0000001,LINE-000000002,,usage_imei,,\n",
    );
    assert_eq!(err.line, Some(2));
    assert_eq!(
        err.to_string().split_once(": ").unwrap().1,
        "column stage: \"3\" is not 1, the stage of generation_usage_mismatch"
    );

    let err = manifest_error("DEF-000000001,imei_swap,3,C0000001,LINE-000000002,,usage_imei,,\n");
    assert!(matches!(err.problem, Problem::BadDefectType(_)), "{err}");

    let err = manifest_error(
        "DEF-000000001,imei_mismatch_swap,3,C0000001,LINE-000000002,,usage_imei,353322110000041,\n",
    );
    assert!(
        matches!(
            err.problem,
            Problem::BadImei {
                column: "clean_value",
                ..
            }
        ),
        "{err}"
    );

    let err =
        manifest_error("DEF-000000001,imei_mismatch_swap,3,C1,LINE-000000002,,usage_imei,,\n");
    assert!(
        matches!(
            err.problem,
            Problem::BadId {
                column: "customer_id",
                ..
            }
        ),
        "{err}"
    );

    let (_dir, path) = file("defect_id,defect_type,stage,customer_id,line_id\n");
    let err = read_manifest(&path, &universe()).unwrap_err();
    assert_eq!(
        (err.line, err.problem),
        (Some(1), Problem::MissingColumn("partner_line_id"))
    );

    // A manifest with no defect is fine.
    let (_dir, path) = file(MANIFEST_HEADER);
    assert_eq!(read_manifest(&path, &universe()).unwrap(), []);
}

#[test]
fn bad_ledgers_are_refused_with_their_line() {
    let (_dir, path) = file("customer_id,line\nC0000001,LINE-000000001\n");
    let err = read_ledger_lines(&path).unwrap_err();
    assert_eq!(
        (err.line, err.problem),
        (Some(1), Problem::MissingColumn("line_id"))
    );

    let (_dir, path) = file(
        "line_id\nLINE-000000003\nLINE-000000001\nLINE-000000002\nLINE-000000001\nLINE-000000003\n",
    );
    let err = read_ledger_lines(&path).unwrap_err();
    assert_eq!(err.line, Some(5));
    assert_eq!(
        err.problem,
        Problem::DuplicateLine {
            line_id: line(1),
            first: 3
        }
    );
}
