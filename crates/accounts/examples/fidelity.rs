//! Generated population against the IBM Telco aggregates it is calibrated
//! to: per segment, per contract and tenure bin, per charges cell, and the
//! headline associations (README, *Fidelity*).
//!
//! ```sh
//! cargo run --release -p novawireless-accounts --example fidelity -- 200000 configs/ibm_telco.json
//! ```

use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
use novawireless_model::{Contract, Customer, InternetService, MultipleLines};
use novawireless_sampler::joint::{segment_index, Aggregates, TENURE_BINS};
use novawireless_sampler::Baseline;
use std::path::Path;

struct Row {
    segment: usize,
    internet: InternetService,
    multiple_lines: MultipleLines,
    c: Customer,
}

fn mean(xs: impl Iterator<Item = f64>) -> (f64, usize) {
    let (mut s, mut n) = (0.0, 0);
    for x in xs {
        s += x;
        n += 1;
    }
    (if n > 0 { s / n as f64 } else { f64::NAN }, n)
}

fn correlation(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    sxy / (sxx * syy).sqrt()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: u64 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let baseline = load_baseline(args.get(2));
    let rows = generate_rows(&baseline, n);
    let a = Aggregates::embedded();
    print_segments(&a, &rows);
    print_tenure_bins(&a, &rows);
    print_charges(&a, &rows);
    print_associations(&a, &rows);
}

/// The baseline of the config file given, else the embedded one; exits
/// with status 2 when the file is refused.
fn load_baseline(path: Option<&String>) -> Baseline {
    match path {
        Some(path) => match Baseline::from_file(Path::new(path)) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("fidelity: {e}");
                std::process::exit(2);
            }
        },
        None => Baseline::embedded(),
    }
}

/// Customers `0..n` of seed 42, each with its segment and raw services.
fn generate_rows(baseline: &Baseline, n: u64) -> Vec<Row> {
    let generator = AccountGenerator::new(baseline, GraphParams::default(), 42, n)
        .expect("a population within MAX_CUSTOMERS");
    let chunk = generator.generate_range(CustomerRange::new(0, n));
    chunk
        .customers
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let shape = generator.shape(i as u64);
            Row {
                segment: shape.joint.segment,
                internet: shape.joint.internet,
                multiple_lines: shape.joint.multiple_lines,
                c,
            }
        })
        .collect()
}

/// 1 for a churned customer, else 0.
fn churned(r: &Row) -> f64 {
    f64::from(u8::from(r.c.is_churned))
}

/// Per segment with at least 100 source customers: target against
/// generated share, churn, tenure, charges and services; then the worst
/// difference of each.
fn print_segments(a: &Aggregates, rows: &[Row]) {
    println!("segments with >= 100 source customers: target vs generated");
    println!("{:<48} {:>6} {:>6} | churn {:>5} {:>5} {:>5} | tenure {:>5} {:>5} | charges {:>6} {:>6} | paperless {:>4} {:>4} | phone {:>4} {:>4} | multi {:>4} {:>4}",
        "segment", "share", "gen", "tgt", "obs", "score", "tgt", "gen", "tgt", "gen", "tgt", "gen", "tgt", "gen", "tgt", "gen");
    let mut worst = [0.0f64; 7];
    for s in &a.segments {
        let idx = segment_index(s.contract, s.internet, s.payment);
        let seg: Vec<&Row> = rows.iter().filter(|r| r.segment == idx).collect();
        let share = seg.len() as f64 / rows.len() as f64;
        let target_share = s.customer_count / 7043.0;
        let (churn, _) = mean(seg.iter().map(|r| churned(r)));
        let (score, _) = mean(seg.iter().map(|r| r.c.churn_risk_score));
        let (tenure, _) = mean(seg.iter().map(|r| f64::from(r.c.tenure_months)));
        let (charges, _) = mean(seg.iter().map(|r| r.c.monthly_charges));
        let (paperless, _) = mean(
            seg.iter()
                .map(|r| f64::from(u8::from(r.c.paperless_billing.is_yes()))),
        );
        let (phone, _) = mean(
            seg.iter()
                .map(|r| f64::from(u8::from(r.c.lines_on_account > 0))),
        );
        let (multi, _) = mean(
            seg.iter()
                .map(|r| f64::from(u8::from(r.c.lines_on_account > 1))),
        );
        if s.customer_count >= 100.0 {
            let d = [
                (share / target_share - 1.0).abs(),
                (churn - s.churn_rate).abs(),
                (score - s.churn_rate).abs(),
                (tenure - s.tenure_mean).abs(),
                (charges - s.charges_mean).abs(),
                (paperless - s.paperless_share).abs(),
                (phone - s.phone_share)
                    .abs()
                    .max((multi - s.multiple_lines_share).abs()),
            ];
            for (w, x) in worst.iter_mut().zip(d) {
                *w = w.max(x);
            }
            println!(
                "{:<48} {:>6.4} {:>6.4} | churn {:>5.3} {:>5.3} {:>5.3} | tenure {:>5.1} {:>5.1} | charges {:>6.2} {:>6.2} | paperless {:>4.2} {:>4.2} | phone {:>4.2} {:>4.2} | multi {:>4.2} {:>4.2}",
                format!("{} / {} / {}", s.contract, s.internet, s.payment),
                target_share, share, s.churn_rate, churn, score, s.tenure_mean, tenure,
                s.charges_mean, charges, s.paperless_share, paperless, s.phone_share, phone,
                s.multiple_lines_share, multi
            );
        }
    }
    println!(
        "worst: share {:.3} (relative), churn {:.4}, score {:.4}, tenure {:.2}, charges {:.2}, paperless {:.3}, phone/multi {:.3}",
        worst[0], worst[1], worst[2], worst[3], worst[4], worst[5], worst[6]
    );
}

/// Per contract: the total variation distance of the tenure histogram
/// and the churn of each tenure bin, target against generated.
fn print_tenure_bins(a: &Aggregates, rows: &[Row]) {
    println!("\nper contract: tenure histogram TVD, churn per bin (bins >= 50 source customers)");
    for c in Contract::ALL {
        let bins: Vec<_> = a.tenure.iter().filter(|b| b.contract == *c).collect();
        let total: f64 = bins.iter().map(|b| b.customer_count).sum();
        let of: Vec<&Row> = rows.iter().filter(|r| r.c.contract_proxy == *c).collect();
        let mut tvd = 0.0;
        let mut worst_churn: f64 = 0.0;
        let mut line = String::new();
        for (k, b) in bins.iter().enumerate() {
            let in_bin: Vec<&&Row> = of
                .iter()
                .filter(|r| (r.c.tenure_months as usize / 6).min(TENURE_BINS - 1) == k)
                .collect();
            tvd += 0.5 * (in_bin.len() as f64 / of.len() as f64 - b.customer_count / total).abs();
            let (churn, _) = mean(in_bin.iter().map(|r| churned(r)));
            if b.customer_count >= 50.0 {
                worst_churn = worst_churn.max((churn - b.churn_rate).abs());
            }
            line.push_str(&format!(" {:.2}/{:.2}", b.churn_rate, churn));
        }
        println!("{c:<15} TVD {tvd:.4}  worst churn {worst_churn:.4}  (target/generated){line}");
    }
}

/// Per InternetService × MultipleLines cell: mean, median and spread of
/// the charges, target against generated.
fn print_charges(a: &Aggregates, rows: &[Row]) {
    println!("\ncharges per InternetService x MultipleLines: mean, median (target / generated)");
    for cell in &a.charges {
        let xs: Vec<f64> = rows
            .iter()
            .filter(|r| r.internet == cell.internet && r.multiple_lines == cell.multiple_lines)
            .map(|r| r.c.monthly_charges)
            .collect();
        let (m, n) = mean(xs.iter().copied());
        let sd = (xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n as f64).sqrt();
        println!(
            "{:<12} {:<17} mean {:>6.2} {:>6.2}  median {:>6.2} {:>6.2}  sd {:>5.2} {:>5.2}  n {}",
            cell.internet.as_str(),
            cell.multiple_lines.as_str(),
            cell.mean,
            m,
            cell.quantiles[1],
            median(xs),
            cell.sd,
            sd,
            n
        );
    }
}

/// The headline associations: churn and tenure by contract, charges by
/// home internet, tenure against charges, churn by paperless billing and
/// by add-on, and the churn score's range.
fn print_associations(a: &Aggregates, rows: &[Row]) {
    println!("\nheadline associations (IBM Telco figures from the README's issue table)");
    for c in Contract::ALL {
        let (churn, _) = mean(
            rows.iter()
                .filter(|r| r.c.contract_proxy == *c)
                .map(churned),
        );
        let (tenure, _) = mean(
            rows.iter()
                .filter(|r| r.c.contract_proxy == *c)
                .map(|r| f64::from(r.c.tenure_months)),
        );
        println!("{c:<15} churn {churn:.3}  mean tenure {tenure:.1}");
    }
    let (with, _) = mean(
        rows.iter()
            .filter(|r| r.c.has_5g_home_internet)
            .map(|r| r.c.monthly_charges),
    );
    let (without, _) = mean(
        rows.iter()
            .filter(|r| !r.c.has_5g_home_internet)
            .map(|r| r.c.monthly_charges),
    );
    println!("charges with internet {with:.2}, without {without:.2}");
    let tenure: Vec<f64> = rows.iter().map(|r| f64::from(r.c.tenure_months)).collect();
    let charges: Vec<f64> = rows.iter().map(|r| r.c.monthly_charges).collect();
    println!(
        "corr(tenure, charges) {:.3}",
        correlation(&tenure, &charges)
    );
    let (pl, _) = mean(
        rows.iter()
            .filter(|r| r.c.paperless_billing.is_yes())
            .map(churned),
    );
    let (npl, _) = mean(
        rows.iter()
            .filter(|r| !r.c.paperless_billing.is_yes())
            .map(churned),
    );
    println!("churn paperless {pl:.3}, not {npl:.3}");
    let (all, _) = mean(rows.iter().map(churned));
    let (score, _) = mean(rows.iter().map(|r| r.c.churn_risk_score));
    println!("churn overall {all:.4}, mean score {score:.4}");
    print_add_ons(a, rows);
    let mut p99: Vec<f64> = rows.iter().map(|r| r.c.churn_risk_score).collect();
    p99.sort_by(f64::total_cmp);
    println!(
        "score min {:.4} p99 {:.4}",
        p99[0],
        p99[p99.len() * 99 / 100]
    );
}

/// Per add-on: the share of holders and their churn, against the target.
fn print_add_ons(a: &Aggregates, rows: &[Row]) {
    let names = [
        "OnlineSecurity",
        "OnlineBackup",
        "DeviceProtection",
        "StreamingTV",
        "StreamingMovies",
    ];
    let holds = |r: &Row, k: usize| {
        [
            r.c.online_security,
            r.c.online_backup,
            r.c.device_protection,
            r.c.streaming_tv,
            r.c.streaming_movies,
        ][k]
            .is_yes()
    };
    for (k, name) in names.iter().enumerate() {
        let (share, _) = mean(rows.iter().map(|r| f64::from(u8::from(holds(r, k)))));
        let (churn, _) = mean(rows.iter().filter(|r| holds(r, k)).map(churned));
        println!(
            "{name:<17} share {share:.3} churn of holders {churn:.3} (target {:.3})",
            a.service_churn.add_ons[k]
        );
    }
}
