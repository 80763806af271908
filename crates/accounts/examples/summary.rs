//! Generates 1,000 customers in memory and prints a summary.
//!
//! ```sh
//! cargo run --release -p novawireless-accounts --example summary
//! ```

use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
use novawireless_model::{PaymentMethod, ProductType};
use novawireless_sampler::Baseline;

fn main() {
    let n = 1_000;
    let generator = AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 42, n)
        .expect("the population can be generated");
    let (mut customers, mut lines, mut five_g, mut agreements, mut mismatches) = (0, 0, 0, 0, 0);
    let mut churn = 0.0;
    let mut churn_by_payment = [(0.0, 0u32); 4];
    for chunk in generator.chunks(CustomerRange::new(0, n), 256) {
        for c in &chunk.customers {
            customers += 1;
            churn += c.churn_risk_score;
            let slot = &mut churn_by_payment[c.payment_method as usize];
            slot.0 += c.churn_risk_score;
            slot.1 += 1;
        }
        lines += chunk.lines.len();
        five_g += chunk
            .lines
            .iter()
            .filter(|l| l.product_type == ProductType::HomeInternet5g)
            .count();
        agreements += chunk.agreements.len();
        mismatches += chunk
            .usage
            .iter()
            .filter(|u| u.imei_line_mismatch_flag)
            .count();
    }
    println!("customers            {customers}");
    println!("lines                {lines} ({five_g} 5G Home Internet)");
    println!("EIP agreements       {agreements}");
    println!("usage IMEI mismatch  {mismatches}");
    println!("mean churn risk      {:.4}", churn / f64::from(customers));
    for p in PaymentMethod::ALL {
        let (sum, count) = churn_by_payment[*p as usize];
        println!(
            "  {:<26} {:.4} ({count} customers)",
            p.as_str(),
            sum / f64::from(count.max(1))
        );
    }
}
