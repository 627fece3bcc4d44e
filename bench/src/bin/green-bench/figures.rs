//! The figures of a run: one row per (workload, figure), one cell per system,
//! each cell the samples of every repetition or the reason it has none.

use std::collections::BTreeMap;

/// The systems compared side by side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum System {
    Green,
    /// A second green program in a workload, run in the same alternation
    /// (echo through `green::server::StreamServer`). Not a column of the
    /// table: its figures become rows of their own, with the program in
    /// the green column (see `workloads::in_column`).
    GreenServer,
    Tokio,
    /// A second twin in a workload, run in the same alternation (http:
    /// hyper with its own header-read timeout). Not a column of the table:
    /// its figures become rows of their own, with the program in the twin
    /// column (see `workloads::in_column`).
    TokioTimed,
    Gevent,
    Eventlet,
}

impl System {
    /// The columns of the table, in order.
    pub(crate) const ALL: [System; 4] = [
        System::Green,
        System::Tokio,
        System::Gevent,
        System::Eventlet,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            System::Green => "green",
            System::GreenServer => "green StreamServer",
            System::Tokio => "tokio twin",
            System::TokioTimed => "hyper, header timeout",
            System::Gevent => "gevent",
            System::Eventlet => "eventlet",
        }
    }
}

/// One cell of the table.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    Samples(Vec<f64>),
    Missing(String),
}

/// min, median, max of samples (not empty).
pub(crate) fn summary(samples: &[f64]) -> (f64, f64, f64) {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    };
    (sorted[0], median, sorted[n - 1])
}

impl Cell {
    pub(crate) fn median(&self) -> Option<f64> {
        match self {
            Cell::Samples(s) if !s.is_empty() => Some(summary(s).1),
            _ => None,
        }
    }
}

/// One row: a figure of a workload for every system.
#[derive(Debug, Clone)]
pub(crate) struct Figure {
    /// "spawn", "echo C=100", ...
    pub(crate) workload: String,
    /// "memory per parked task", ...
    pub(crate) name: &'static str,
    /// A short label for the chart.
    pub(crate) short: &'static str,
    pub(crate) unit: &'static str,
    pub(crate) lower_is_better: bool,
    /// Shown in the chart (the workload's main figure).
    pub(crate) headline: bool,
    /// What the tokio column is for this workload ("tokio", "hyper", ...).
    pub(crate) twin: &'static str,
    pub(crate) cells: BTreeMap<System, Cell>,
}

impl Figure {
    pub(crate) fn median(&self, system: System) -> Option<f64> {
        self.cells.get(&system).and_then(Cell::median)
    }

    /// median(a) / median(b).
    pub(crate) fn ratio(&self, a: System, b: System) -> Option<f64> {
        match (self.median(a), self.median(b)) {
            (Some(x), Some(y)) if y != 0.0 => Some(x / y),
            _ => None,
        }
    }
}

/// How to turn the metrics of a workload's runs into figure rows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FigureSpec {
    pub(crate) key: &'static str,
    pub(crate) name: &'static str,
    pub(crate) short: &'static str,
    pub(crate) unit: &'static str,
    pub(crate) lower_is_better: bool,
    pub(crate) headline: bool,
}

pub(crate) const fn spec(
    key: &'static str,
    (name, short): (&'static str, &'static str),
    unit: &'static str,
    lower_is_better: bool,
    headline: bool,
) -> FigureSpec {
    FigureSpec {
        key,
        name,
        short,
        unit,
        lower_is_better,
        headline,
    }
}
