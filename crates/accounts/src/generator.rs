//! The account-graph generator: customers, lines, devices, EIPs and usage.

use crate::params::{CustomerRange, GraphParams};
use crate::partition::Partition;
use novawireless_model::{
    models_of, AccountId, AgreementNumber, Contract, Customer, CustomerId, Device, DeviceCategory,
    DeviceId, DeviceModel, EipAgreement, EipStatus, Imei, InternetService, Line, LineId,
    LineStatus, Msisdn, MultipleLines, ProductType, UsageSnapshot, YesNo, SERIALS_PER_TAC,
    TACS_PER_MODEL,
};
use novawireless_sampler::{
    bernoulli, beta, bounded_normal, geometric, latent_traits, mix64, round_to, stream, Baseline,
    Categorical, JointModel, Permutation, ShapeDraw, Stage,
};
use rand::Rng;
use std::sync::Arc;

/// Most voice lines a customer can have.
pub const MAX_VOICE_LINES: u32 = 5;
/// The success probability of the geometric draw for extra voice lines.
pub const EXTRA_LINES_P: f64 = 0.55;
/// Share of voice lines that are suspended.
pub const SUSPENDED_SHARE: f64 = 0.07;
/// Share of agreements that are closed.
pub const CLOSED_EIP_SHARE: f64 = 0.02;
/// Share of spare inventory devices that are 5G gateways.
pub const SPARE_GATEWAY_SHARE: f64 = 0.18;
/// Largest population: keeps line and device counts inside the MSISDN and
/// agreement-number spaces (at most 6 lines per customer).
pub const MAX_CUSTOMERS: u64 = 1_000_000_000;

const AGREEMENT_SPACE: u64 = AgreementNumber::MAX + 1;

/// The draws that fix a customer's number of lines: the joint model's
/// segment, natural tenure and phone service, and the voice-line count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    /// The raw internet service (anything but `No` means a 5G line).
    pub internet: InternetService,
    /// Number of voice lines.
    pub voice_lines: u32,
    /// The joint model's shape draws.
    pub joint: ShapeDraw,
}

impl Shape {
    /// Voice lines plus the 5G line, if any.
    pub const fn total_lines(&self) -> u32 {
        self.voice_lines + self.internet.is_5g_home_internet() as u32
    }
}

/// The rows generated for a range of customers, each table in id order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountChunk {
    /// `customers.csv` rows.
    pub customers: Vec<Customer>,
    /// `lines.csv` rows.
    pub lines: Vec<Line>,
    /// `devices.csv` rows.
    pub devices: Vec<Device>,
    /// `eip_agreements.csv` rows.
    pub agreements: Vec<EipAgreement>,
    /// `line_device_usage.csv` rows.
    pub usage: Vec<UsageSnapshot>,
}

impl AccountChunk {
    /// Removes every row, keeping the vectors' memory.
    pub fn clear(&mut self) {
        self.customers.clear();
        self.lines.clear();
        self.devices.clear();
        self.agreements.clear();
        self.usage.clear();
    }

    /// Appends another chunk's rows (the chunk that follows this one).
    pub fn append(&mut self, mut other: AccountChunk) {
        self.customers.append(&mut other.customers);
        self.lines.append(&mut other.lines);
        self.devices.append(&mut other.devices);
        self.agreements.append(&mut other.agreements);
        self.usage.append(&mut other.usage);
    }
}

/// Generates any range of a population of customers; the result for a
/// customer depends only on the seed, the baseline, the parameters and the
/// customer's index, never on how the population is split.
#[derive(Debug, Clone)]
pub struct AccountGenerator {
    baseline: Baseline,
    joint: Arc<JointModel>,
    params: GraphParams,
    seed: u64,
    population: u64,
    msisdns: Permutation,
    /// Per device category: its catalogue models and the permutation of
    /// device indices onto (model, TAC, serial) slots.
    handset_imeis: (Vec<&'static DeviceModel>, Permutation),
    gateway_imeis: (Vec<&'static DeviceModel>, Permutation),
    agreements: Permutation,
    spare_category: Categorical<DeviceCategory>,
    term: Categorical<u32>,
}

/// A population too large to generate: above [`MAX_CUSTOMERS`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{population} customers is above the limit of {MAX_CUSTOMERS}")]
pub struct PopulationError {
    /// The population asked for.
    pub population: u64,
}

impl AccountGenerator {
    /// A generator for customers `0..population`; refuses a population
    /// above [`MAX_CUSTOMERS`].
    pub fn new(
        baseline: &Baseline,
        params: GraphParams,
        seed: u64,
        population: u64,
    ) -> Result<Self, PopulationError> {
        if population > MAX_CUSTOMERS {
            return Err(PopulationError { population });
        }
        #[allow(clippy::unwrap_used)] // constant, valid weights
        let spare_category = Categorical::new(
            vec![DeviceCategory::Handset, DeviceCategory::Gateway5gHsi],
            &[1.0 - SPARE_GATEWAY_SHARE, SPARE_GATEWAY_SHARE],
        )
        .unwrap();
        #[allow(clippy::unwrap_used)] // constant, valid weights
        let term = Categorical::new(vec![24, 30, 36], &[0.35, 0.25, 0.40]).unwrap();
        Ok(AccountGenerator {
            joint: baseline.joint_model(),
            baseline: baseline.clone(),
            params,
            seed,
            population,
            msisdns: Permutation::new(Msisdn::SPACE, mix64(seed ^ 0x4D53_4953_444E)),
            handset_imeis: imei_space(DeviceCategory::Handset, mix64(seed ^ 0x494D_4549)),
            gateway_imeis: imei_space(DeviceCategory::Gateway5gHsi, mix64(seed ^ 0x4757_4159)),
            agreements: Permutation::new(AGREEMENT_SPACE, mix64(seed ^ 0x4549_5000)),
            spare_category,
            term,
        })
    }

    /// Number of customers in the population.
    pub const fn population(&self) -> u64 {
        self.population
    }

    /// The joint model of the baseline.
    pub fn joint_model(&self) -> &JointModel {
        &self.joint
    }

    /// The draws that fix customer `index`'s line count.
    pub fn shape(&self, index: u64) -> Shape {
        let mut rng = stream(self.seed, Stage::Shape, index);
        let joint = self.joint.draw_shape(&mut rng);
        let voice_lines = match joint.multiple_lines {
            MultipleLines::NoPhoneService => 0,
            MultipleLines::No => 1,
            MultipleLines::Yes => {
                let k = geometric(&mut rng, EXTRA_LINES_P);
                (2 + (k - 1)).min(MAX_VOICE_LINES)
            }
        };
        Shape {
            internet: joint.internet,
            voice_lines,
            joint,
        }
    }

    /// Number of lines of customers `0..index`: the global index of customer
    /// `index`'s first line. Replays only the cheap shape draws, on this
    /// thread ([`Self::partitions`] sums them in parallel).
    pub fn lines_before(&self, index: u64) -> u64 {
        (0..index)
            .map(|i| u64::from(self.shape(i).total_lines()))
            .sum()
    }

    /// Iterates over the customers of `range` in chunks of at most
    /// `chunk_customers`, in memory: the way to stream a large population
    /// through a callback or an iterator chain without touching files.
    ///
    /// ```
    /// use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
    /// use novawireless_sampler::Baseline;
    ///
    /// let generator = AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 7, 5_000).unwrap();
    /// let mut lines = 0;
    /// for chunk in generator.chunks(CustomerRange::new(1_000, 5_000), 1_024) {
    ///     assert!(chunk.customers.len() <= 1_024);
    ///     lines += chunk.lines.len();
    /// }
    /// let whole = generator.generate_range(CustomerRange::new(0, 5_000));
    /// let first_line = whole.customers[..1_000].iter().map(|c| c.total_lines() as usize).sum::<usize>();
    /// assert_eq!(lines, whole.lines.len() - first_line);
    /// ```
    pub fn chunks(
        &self,
        range: CustomerRange,
        chunk_customers: u64,
    ) -> impl Iterator<Item = AccountChunk> + '_ {
        // Each chunk's first line follows the lines generated before it.
        let mut first_line = self.lines_before(range.start);
        range.chunks(chunk_customers).map(move |r| {
            let chunk = self.generate(Partition::planned(r, first_line));
            first_line += chunk.lines.len() as u64;
            chunk
        })
    }

    /// Generates the customers of `range`, planning it as one partition
    /// ([`Self::partition`]): the convenient way for a whole population or
    /// a small range.
    pub fn generate_range(&self, range: CustomerRange) -> AccountChunk {
        self.generate(self.partition(range))
    }

    /// Generates the customers of a partition planned by this generator
    /// ([`Self::partitions`], [`Self::partition`]).
    pub fn generate(&self, partition: Partition) -> AccountChunk {
        let mut chunk = AccountChunk::default();
        self.generate_into(partition, &mut chunk);
        chunk
    }

    /// [`Self::generate`] into `chunk`, whose rows are replaced; reusing one
    /// chunk's vectors spares a long run an allocation per table and chunk.
    pub fn generate_into(&self, partition: Partition, chunk: &mut AccountChunk) {
        chunk.clear();
        let range = partition.range();
        let mut next_line = partition.first_line();
        for index in range.start..range.end {
            next_line = self.generate_customer(index, next_line, chunk);
        }
        // Only the piece holding the last customer (or the empty population's
        // only piece) adds it, so an empty trailing piece cannot add it twice.
        let holds_last_customer = !range.is_empty() || self.population == 0;
        if range.end == self.population && holds_last_customer && next_line == 0 {
            // A population without lines still has one device in stock.
            let mut rng = stream(self.seed, Stage::Graph, self.population);
            chunk
                .devices
                .push(self.device(0, self.spare_category.sample(&mut rng)));
        }
    }

    /// Generates customer `index` with first line `first_line`; returns the
    /// index of the next customer's first line.
    fn generate_customer(&self, index: u64, first_line: u64, out: &mut AccountChunk) -> u64 {
        let shape = self.shape(index);
        let customer = self.customer(index, shape);
        let owner = Owner {
            customer_id: customer.customer_id,
            account_id: customer.account_id,
            has_plan: customer.device_payment_plan.is_yes(),
        };
        out.customers.push(customer);

        let mut rng = stream(self.seed, Stage::Graph, index);
        let first_line_row = out.lines.len();
        let first_agreement_row = out.agreements.len();
        let mut line_index = first_line;
        for product_type in line_kinds(shape) {
            self.push_line(&mut rng, owner, line_index, product_type, out);
            line_index += 1;
        }

        // Usage: one row per line, then the generation-time mismatch.
        let lines = &out.lines[first_line_row..];
        let agreements = &out.agreements[first_agreement_row..];
        let first_usage_row = out.usage.len();
        self.push_usage(owner, lines, agreements, &mut out.usage);
        let usage = &mut out.usage[first_usage_row..];
        self.inject_usage_mismatches(&mut rng, lines, agreements, usage);
        line_index
    }

    /// Line `line_index` of `owner` with its device (and a spare, when the
    /// inventory holds one after it) and, if any, its EIP agreement.
    #[inline]
    fn push_line<R: Rng>(
        &self,
        rng: &mut R,
        owner: Owner,
        line_index: u64,
        product_type: ProductType,
        out: &mut AccountChunk,
    ) {
        let held = devices_through(line_index);
        let spare = devices_through(line_index + 1) - held == 2;
        let device = self.device(held, product_type.device_category());
        let voice = product_type == ProductType::Voice;
        let status = if voice && bernoulli(rng, SUSPENDED_SHARE) {
            LineStatus::Suspended
        } else {
            LineStatus::Active
        };
        let line = Line {
            line_id: LineId::from_index(line_index),
            customer_id: owner.customer_id,
            account_id: owner.account_id,
            msisdn: self.msisdn(line_index),
            product_type,
            status,
            company_owned_equipment_flag: !voice,
            current_imei: device.imei,
        };
        if let Some(installment_months) = self.installment_months(rng, voice, owner.has_plan) {
            let agreement_number = self.agreement_number(line_index);
            let agreement = self.agreement(rng, agreement_number, &line, installment_months);
            out.agreements.push(agreement);
        }
        out.devices.push(device);
        if spare {
            let category = self.spare_category.sample(rng);
            out.devices.push(self.device(held + 1, category));
        }
        out.lines.push(line);
    }

    /// The term of a line's EIP, if it has one: a voice line of a customer
    /// with a device payment plan may; a 5G line always has one (0 months).
    #[inline]
    fn installment_months<R: Rng>(&self, rng: &mut R, voice: bool, has_plan: bool) -> Option<u32> {
        if voice {
            (has_plan && bernoulli(rng, self.params.p_voice_eip_attach_if_plan))
                .then(|| self.term.sample(rng))
        } else {
            Some(0)
        }
    }

    /// The EIP agreement on `line` (the one draw: whether it is closed).
    #[inline]
    fn agreement<R: Rng>(
        &self,
        rng: &mut R,
        agreement_number: AgreementNumber,
        line: &Line,
        installment_months: u32,
    ) -> EipAgreement {
        let eip_status = if bernoulli(rng, CLOSED_EIP_SHARE) {
            EipStatus::Closed
        } else {
            EipStatus::Active
        };
        EipAgreement {
            agreement_number,
            customer_id: line.customer_id,
            account_id: line.account_id,
            line_id: line.line_id,
            msisdn: line.msisdn,
            eip_imei: line.current_imei,
            product_type: line.product_type,
            eip_status,
            installment_months,
        }
    }

    /// One usage row per line of a customer, on the line's own device and
    /// naming the line's agreement, if any.
    #[inline]
    fn push_usage(
        &self,
        owner: Owner,
        lines: &[Line],
        agreements: &[EipAgreement],
        usage: &mut Vec<UsageSnapshot>,
    ) {
        for line in lines {
            let agreement = agreements.iter().find(|a| a.line_id == line.line_id);
            usage.push(UsageSnapshot {
                customer_id: owner.customer_id,
                account_id: owner.account_id,
                line_id: line.line_id,
                msisdn: line.msisdn,
                product_type: line.product_type,
                usage_imei: Some(line.current_imei),
                usage_snapshot_date: self.params.usage_snapshot_date,
                imei_line_mismatch_flag: false,
                usage_eip_agreement_number: agreement.map(|a| a.agreement_number),
            });
        }
    }

    /// The generation-time mismatch: some lines with an agreement show
    /// usage on the device of another of the customer's lines (`usage` holds
    /// the rows of `lines`, in order).
    #[inline]
    fn inject_usage_mismatches<R: Rng>(
        &self,
        rng: &mut R,
        lines: &[Line],
        agreements: &[EipAgreement],
        usage: &mut [UsageSnapshot],
    ) {
        for (position, line) in lines.iter().enumerate() {
            let has_agreement = agreements.iter().any(|a| a.line_id == line.line_id);
            if !has_agreement || !bernoulli(rng, self.params.p_inject_eip_usage_mismatch) {
                continue;
            }
            if lines.len() < 2 {
                continue;
            }
            // A donor among the customer's other lines.
            let mut donor = rng.random_range(0..lines.len() - 1);
            if donor >= position {
                donor += 1;
            }
            let usage = &mut usage[position];
            usage.usage_imei = Some(lines[donor].current_imei);
            usage.imei_line_mismatch_flag = true;
        }
    }

    fn customer(&self, index: u64, shape: Shape) -> Customer {
        let b = &self.baseline;
        let mut rng = stream(self.seed, Stage::Customer, index);
        let draw = self.joint.draw_customer(&mut rng, &shape.joint);
        let tenure_months = draw.tenure_months;
        let monthly_charges = draw.monthly_charges;
        let contract_proxy = shape.joint.contract;
        let [online_security, online_backup, device_protection, streaming_tv, streaming_movies] =
            draw.services.add_ons.map(YesNo::from_bool);

        let has_plan = match contract_proxy {
            Contract::OneYear | Contract::TwoYear => true,
            Contract::MonthToMonth => bernoulli(&mut rng, self.params.month_to_month_plan_rate),
        };
        let (device_term_months, device_months_remaining, device_monthly_payment) = if has_plan {
            let term = self.term.sample(&mut rng);
            let progress = (f64::from(tenure_months) / 48.0).clamp(0.0, 1.0);
            let paid_share = beta(&mut rng, 1.5 + 4.0 * progress, 3.5);
            let paid = (paid_share * f64::from(term))
                .round()
                .clamp(0.0, f64::from(term - 1)) as u32;
            let share = (0.22 + bounded_normal(&mut rng, 0.07, f64::INFINITY)).clamp(0.08, 0.40);
            let payment = round_to((monthly_charges * share).clamp(10.0, 55.0), 2);
            (term, term - paid, payment)
        } else {
            (0, 0, 0.0)
        };

        let churn_risk_score = draw.churn_risk_score;
        let (trust_baseline, patience) = latent_traits(&mut rng, b, churn_risk_score);
        let is_churned = bernoulli(&mut rng, churn_risk_score);

        let customer_id = CustomerId::from_index(index);
        Customer {
            customer_id,
            account_id: customer_id.account(),
            tenure_months,
            monthly_charges,
            paperless_billing: YesNo::from_bool(draw.services.paperless),
            payment_method: shape.joint.payment,
            contract_proxy,
            has_5g_home_internet: shape.internet.is_5g_home_internet(),
            lines_on_account: shape.voice_lines,
            device_payment_plan: YesNo::from_bool(has_plan),
            device_term_months,
            device_months_remaining,
            device_monthly_payment,
            online_security,
            online_backup,
            device_protection,
            streaming_tv,
            streaming_movies,
            churn_risk_score,
            trust_baseline,
            patience,
            is_churned,
            repeat_contacts_30d: 0,
            last_call_day_index: -1,
        }
    }

    fn device(&self, index: u64, device_category: DeviceCategory) -> Device {
        Device {
            device_id: DeviceId::from_index(index),
            imei: self.imei(index, device_category),
            device_category,
        }
    }

    /// The IMEI of inventory device `index` of `category`: a keyed
    /// permutation of the index onto the (TAC, serial) slots of the
    /// category's catalogue models, so IMEIs are unique, start with a TAC of
    /// a model of the right kind, and never start with 0.
    pub fn imei(&self, device_index: u64, category: DeviceCategory) -> Imei {
        let (models, permutation) = match category {
            DeviceCategory::Handset => &self.handset_imeis,
            DeviceCategory::Gateway5gHsi => &self.gateway_imeis,
        };
        let slot = permutation.apply(device_index);
        let per_model = u64::from(TACS_PER_MODEL) * SERIALS_PER_TAC;
        let model = models[(slot / per_model) as usize];
        let body = u64::from(model.tac_base) * SERIALS_PER_TAC + slot % per_model;
        #[allow(clippy::unwrap_used)] // an 8-digit TAC and a 6-digit serial: 14 digits
        Imei::from_body(body).unwrap()
    }

    /// The MSISDN of global line `index`, unique across the base.
    pub fn msisdn(&self, line_index: u64) -> Msisdn {
        #[allow(clippy::unwrap_used)] // the permutation stays inside the space
        Msisdn::from_ordinal(self.msisdns.apply(line_index)).unwrap()
    }

    /// The agreement number of the EIP on global line `index`, unique.
    pub fn agreement_number(&self, line_index: u64) -> AgreementNumber {
        #[allow(clippy::unwrap_used)] // the permutation stays inside the space
        AgreementNumber::new(self.agreements.apply(line_index)).unwrap()
    }
}

/// The customer a line belongs to, as its rows name it.
#[derive(Debug, Clone, Copy)]
struct Owner {
    customer_id: CustomerId,
    account_id: AccountId,
    /// Whether the customer has a device payment plan.
    has_plan: bool,
}

/// The product types of a customer's lines: the voice lines, then the 5G
/// home-internet line, if any.
#[inline]
fn line_kinds(shape: Shape) -> impl Iterator<Item = ProductType> {
    std::iter::repeat_n(ProductType::Voice, shape.voice_lines as usize).chain(
        shape
            .internet
            .is_5g_home_internet()
            .then_some(ProductType::HomeInternet5g),
    )
}

/// The catalogue models of a category and a keyed permutation over all
/// their (TAC, serial) slots. Device indices are global, so the space must
/// hold every index the largest population can reach.
fn imei_space(category: DeviceCategory, key: u64) -> (Vec<&'static DeviceModel>, Permutation) {
    let models: Vec<_> = models_of(category).collect();
    let slots = models.len() as u64 * u64::from(TACS_PER_MODEL) * SERIALS_PER_TAC;
    debug_assert!(slots > devices_through(MAX_CUSTOMERS * 6));
    (models, Permutation::new(slots, key))
}

/// Devices in the inventory for the first `lines` lines: floor(1.15 × lines).
/// Line `j` holds device `devices_through(j)`; when `devices_through(j + 1)`
/// is two more, the next device is a spare.
pub const fn devices_through(lines: u64) -> u64 {
    lines * 115 / 100
}
