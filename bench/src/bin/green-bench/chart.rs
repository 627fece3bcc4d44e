//! bench/results/latest.svg: each workload's main figure for every system, as
//! a ratio to the tokio twin on a log scale (SVG only: plotters' SVG backend
//! writes text as <text> elements, no font files or system libraries needed).

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::figures::{Figure, System};
use crate::report::number;

fn color(system: System) -> RGBColor {
    match system {
        System::Green | System::GreenServer => RGBColor(46, 125, 50),
        System::Tokio | System::TokioTimed => RGBColor(33, 101, 192),
        System::Gevent => RGBColor(239, 108, 0),
        System::Eventlet => RGBColor(123, 31, 162),
    }
}

pub(crate) fn draw(path: &Path, figures: &[Figure], title: &str) -> Result<(), String> {
    let groups: Vec<&Figure> = figures
        .iter()
        .filter(|f| f.headline && f.median(System::Tokio).is_some())
        .collect();
    if groups.is_empty() {
        return Err("no figure with a tokio twin to chart".into());
    }
    let (mut lo, mut hi) = (1.0f64, 1.0f64);
    for f in &groups {
        for s in System::ALL {
            if let Some(r) = f.ratio(s, System::Tokio) {
                lo = lo.min(r);
                hi = hi.max(r);
            }
        }
    }
    let (lo, hi) = ((lo / 2.0).min(0.5), hi * 3.0);
    let width = (150 * groups.len() as u32 + 160).max(700);
    let root = SVGBackend::new(path, (width, 560)).into_drawing_area();
    let err = |e: &dyn std::fmt::Display| format!("chart: {e}");
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(60)
        .y_label_area_size(70)
        .build_cartesian_2d(0f64..groups.len() as f64, (lo..hi).log_scale())
        .map_err(|e| err(&e))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_desc("÷ tokio twin (log scale; lower is better)")
        .y_label_formatter(&|v| format!("×{}", number(*v)))
        .draw()
        .map_err(|e| err(&e))?;

    let bar = 0.2;
    for (k, system) in System::ALL.into_iter().enumerate() {
        let c = color(system);
        let mut bars = Vec::new();
        for (g, f) in groups.iter().enumerate() {
            let x0 = g as f64 + 0.1 + k as f64 * bar;
            if let Some(r) = f.ratio(system, System::Tokio) {
                bars.push(Rectangle::new([(x0, lo), (x0 + bar * 0.9, r)], c.filled()));
            }
        }
        chart
            .draw_series(bars)
            .map_err(|e| err(&e))?
            .label(system.name())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled()));
        let mut labels = Vec::new();
        for (g, f) in groups.iter().enumerate() {
            let x = g as f64 + 0.1 + (k as f64 + 0.45) * bar;
            let style = TextStyle::from(("sans-serif", 10).into_font())
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Bottom));
            match (f.ratio(system, System::Tokio), f.median(system)) {
                (Some(r), Some(v)) => {
                    labels.push(Text::new(number(v), (x, r * 1.05), style));
                }
                _ => {
                    let text = if matches!(system, System::Green) {
                        "n/a"
                    } else {
                        ""
                    };
                    labels.push(Text::new(text.to_owned(), (x, lo * 1.1), style));
                }
            }
        }
        chart.draw_series(labels).map_err(|e| err(&e))?;
    }
    chart
        .draw_series(LineSeries::new(
            [(0.0, 1.0), (groups.len() as f64, 1.0)],
            BLACK.mix(0.4).stroke_width(1),
        ))
        .map_err(|e| err(&e))?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(|e| err(&e))?;

    for (g, f) in groups.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(g as f64 + 0.5, lo));
        let style = TextStyle::from(("sans-serif", 12).into_font())
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top));
        root.draw(&Text::new(f.workload.clone(), (px, py + 8), style.clone()))
            .map_err(|e| err(&e))?;
        root.draw(&Text::new(
            format!("{} ({})", f.short, f.unit),
            (px, py + 24),
            style,
        ))
        .map_err(|e| err(&e))?;
    }
    root.present().map_err(|e| err(&e))?;
    Ok(())
}
