//! The Kaplan–Meier plot's view-model and readouts, from a view's
//! [`Survival`]: one curve per column of the report table, the log-rank p
//! and the hazard ratios in the legend, S(t) with its limits and the number
//! at risk per group at a time (hover, keyboard cursor, landmark table).

use crate::charts::format::{estimate_ci, fixed, p_value};
use crate::charts::km::{at_risk_at, KmData, KmGroup, KmStep, SurvivalScale};
use crate::report::curve::Curve;
use crate::report::view::Survival;
use crate::share::TimeRange;

use super::table::Row;

/// Height of the chart (with its at-risk table) in CSS pixels.
pub const HEIGHT: u32 = 440;

/// The legend lines: log-rank p and each hazard ratio with its interval
/// (terms named by their group, as the plot's curves are), or why the
/// groups were not compared.
pub fn annotation(survival: &Survival) -> Vec<String> {
    let Some(comparison) = &survival.comparison else {
        return Vec::new();
    };
    let mut lines = Vec::new();
    if let Some(test) = &comparison.logrank {
        lines.push(format!(
            "Log-rank {} (χ² = {}, df = {})",
            p_value(test.p_value.unwrap_or(f64::NAN)),
            fixed(test.statistic, 2),
            test.df
        ));
    }
    if let Some(cox) = &comparison.cox {
        let pct = fixed(survival.conf_level * 100.0, 0);
        let group = survival.group.as_deref().unwrap_or("");
        for term in &cox.terms {
            lines.push(format!(
                "HR {} vs {}: {} ({pct}% CI)",
                term.label.strip_prefix(group).unwrap_or(&term.label),
                cox.reference,
                match (term.hazard_ratio, term.lower, term.upper) {
                    (Some(hr), Some(lo), Some(hi)) => estimate_ci(hr, lo, hi, 2),
                    _ => "not estimable".to_string(),
                }
            ));
        }
    }
    lines.extend(
        comparison
            .notes
            .iter()
            .filter(|n| n.starts_with("Cox model not fitted"))
            .cloned(),
    );
    lines
}

/// The plot's steps of one curve.
pub fn steps(curve: &Curve) -> Vec<KmStep> {
    curve
        .table
        .iter()
        .map(|r| KmStep {
            time: r.time,
            n_risk: r.n_risk,
            n_event: r.n_event,
            n_censor: r.n_censor,
            survival: r.survival,
            lower: r.lower,
            upper: r.upper,
        })
        .collect()
}

/// The plot's data under the view's options.
pub fn km_data(
    survival: &Survival,
    time_unit: &str,
    zoom: Option<TimeRange>,
    ci: bool,
    landmark: Option<f64>,
) -> KmData {
    KmData {
        groups: survival
            .curves
            .iter()
            .map(|c| KmGroup {
                label: c.label.clone(),
                steps: steps(&c.curve),
                median: c.curve.median.estimate,
            })
            .collect(),
        endpoint: survival.label.clone(),
        time_unit: time_unit.to_string(),
        x_range: zoom.map(|z| (z.start, z.end)),
        x_tick_step: None,
        y_scale: SurvivalScale::Proportion,
        show_ci: ci,
        show_medians: true,
        show_cumulative_events: false,
        landmark,
        annotation: annotation(survival),
    }
}

/// Per group at time `t`: S(t) with its limits and the number at risk.
pub fn rows_at(survival: &Survival, t: f64) -> Vec<Row> {
    survival
        .curves
        .iter()
        .map(|c| {
            let s = match c.curve.at(t) {
                Some(p) => match (p.survival, p.lower, p.upper) {
                    (Some(s), Some(lo), Some(hi)) => estimate_ci(s, lo, hi, 3),
                    (Some(s), _, _) => fixed(s, 3),
                    (None, _, _) => "not estimable".to_string(),
                },
                None => "not estimable (after the last time)".to_string(),
            };
            let at_risk = at_risk_at(&steps(&c.curve), t).at_risk;
            (c.label.clone(), vec![s, at_risk.to_string()])
        })
        .collect()
}

/// What the hover and the keyboard show at time `t`: one line per group.
pub fn readout_lines(survival: &Survival, t: f64) -> Vec<String> {
    rows_at(survival, t)
        .into_iter()
        .map(|(g, cells)| format!("{g}: S = {}, at risk {}", cells[0], cells[1]))
        .collect()
}

/// The distinct times of the curves' tables, ascending: the stops of the
/// keyboard's time cursor.
pub fn cursor_times(survival: &Survival) -> Vec<f64> {
    let mut times: Vec<f64> = survival
        .curves
        .iter()
        .flat_map(|c| c.curve.table.iter().map(|r| r.time))
        .collect();
    times.sort_by(f64::total_cmp);
    times.dedup();
    times
}

/// The largest time of the curves (the end of the unzoomed time axis).
pub fn max_time(survival: &Survival) -> f64 {
    survival
        .curves
        .iter()
        .map(|c| c.curve.last_time())
        .fold(0.0_f64, f64::max)
}

/// The time axis zoomed by `factor` (½ in, 2 out) around `centre`, kept
/// within 0 and `max_time`; `None` once it spans the whole axis again.
pub fn zoomed(current: TimeRange, centre: f64, factor: f64, max_time: f64) -> Option<TimeRange> {
    let width = (current.end - current.start) * factor;
    let start = (centre - width / 2.0).clamp(0.0, (max_time - width).max(0.0));
    (width < max_time).then_some(TimeRange {
        start,
        end: start + width,
    })
}

/// The decimals a time on the plot is given to: the fewest (0 to 3) that
/// write every time of the curves exactly, or else enough to tell the two
/// closest times apart (times converted from days to months).
pub fn time_decimals(survival: &Survival) -> usize {
    let times = cursor_times(survival);
    let exact = |d: i32| {
        let scale = 10f64.powi(d);
        times
            .iter()
            .all(|t| ((t * scale).round() - t * scale).abs() <= 1e-6 * scale.max(1.0))
    };
    if let Some(d) = (0..=3).find(|&d| exact(d)) {
        return d as usize;
    }
    let gap = times
        .windows(2)
        .map(|w| w[1] - w[0])
        .fold(f64::INFINITY, f64::min);
    if gap.is_finite() && gap > 0.0 {
        (-gap.log10()).ceil().clamp(0.0, 3.0) as usize
    } else {
        3
    }
}

/// A zoom with its ends rounded to `decimals` (the start down, the end up,
/// so that what was chosen stays in view); `None` for an empty range.
pub fn rounded_zoom(zoom: TimeRange, decimals: usize) -> Option<TimeRange> {
    let scale = 10f64.powi(decimals as i32);
    let start = ((zoom.start * scale).floor() / scale).max(0.0);
    let end = (zoom.end * scale).ceil() / scale;
    (start.is_finite() && end.is_finite() && start < end).then_some(TimeRange { start, end })
}

/// The medians table under the plot: events/N and the median with its
/// limits per group.
pub fn median_rows(survival: &Survival) -> Vec<Row> {
    survival
        .curves
        .iter()
        .map(|c| {
            (
                c.label.clone(),
                vec![
                    format!("{}/{}", c.curve.events, c.curve.n),
                    super::table::estimate_text(&c.curve.median),
                ],
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::import_csv;
    use crate::report::view::{view_report, Grouping, ViewSpec};
    use crate::stats::conventions::Conventions;

    fn survival(csv: &str, grouping: Grouping<'_>) -> Survival {
        let cohort = import_csv(csv.as_bytes().to_vec(), None).unwrap();
        let spec = ViewSpec {
            filters: &[],
            grouping,
            endpoint: None,
            conventions: Conventions::default(),
            study: None,
        };
        let report = view_report(&std::rc::Rc::new(cohort), &spec);
        (**report.survival.as_ref().unwrap()).clone()
    }

    const TWO_ARMS: &str = "patient_id,os_months,os_event,arm\n\
        1,1,1,A\n2,3,1,A\n3,4,0,A\n4,2,1,B\n5,5,1,B\n6,6,0,B\n";

    #[test]
    fn the_legend_names_the_groups_and_the_test() {
        let s = survival(TWO_ARMS, Grouping::Column("arm"));
        let lines = annotation(&s);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("Log-rank p = "), "{lines:?}");
        assert!(lines[0].ends_with("df = 1)"), "{lines:?}");
        assert!(lines[1].starts_with("HR B vs A: "), "{lines:?}");
        assert!(lines[1].ends_with("(95% CI)"), "{lines:?}");
        assert!(annotation(&survival(TWO_ARMS, Grouping::None)).is_empty());
    }

    #[test]
    fn readouts_follow_the_steps() {
        let s = survival(TWO_ARMS, Grouping::Column("arm"));
        // Arm A: deaths at 1 and 3 of 3 patients; arm B: at 2 and 5.
        let lines = readout_lines(&s, 2.5);
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("A: S = 0.667 ("), "{lines:?}");
        assert!(lines[0].ends_with("at risk 2"), "{lines:?}");
        assert!(lines[1].starts_with("B: S = 0.667 ("), "{lines:?}");
        assert_eq!(
            readout_lines(&s, 5.5)[0],
            "A: S = not estimable (after the last time), at risk 0"
        );
        assert_eq!(cursor_times(&s), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(max_time(&s), 6.0);
        let rows = median_rows(&s);
        assert_eq!(rows[0].1[0], "2/3");
        let data = km_data(&s, "months", None, true, Some(2.0));
        assert_eq!(data.groups.len(), 2);
        assert_eq!(data.groups[1].steps.len(), s.curves[1].curve.table.len());
    }

    #[test]
    fn a_zoom_is_rounded_to_the_precision_of_the_times() {
        let s = survival(TWO_ARMS, Grouping::None);
        assert_eq!(time_decimals(&s), 0);
        let z = |start, end| TimeRange { start, end };
        assert_eq!(rounded_zoom(z(1.23456, 4.98765), 0), Some(z(1.0, 5.0)));
        assert_eq!(rounded_zoom(z(1.23456, 4.98765), 2), Some(z(1.23, 4.99)));
        assert_eq!(rounded_zoom(z(2.0, 2.0), 1), None);
        // Days as months: the closest times are a day apart.
        let days = "patient_id,os_days,os_event\n1,10,1\n2,11,1\n3,40,0\n";
        let s = survival(days, Grouping::None);
        assert_eq!(time_decimals(&s), 2);
        let decimals = |text: &str| {
            let s = survival(text, Grouping::None);
            time_decimals(&s)
        };
        assert_eq!(
            decimals("patient_id,os_months,os_event\n1,1.5,1\n2,2.25,0\n"),
            2
        );
    }

    #[test]
    fn zooming_stays_on_the_axis() {
        let whole = TimeRange {
            start: 0.0,
            end: 10.0,
        };
        assert_eq!(
            zoomed(whole, 1.0, 0.5, 10.0),
            Some(TimeRange {
                start: 0.0,
                end: 5.0
            })
        );
        assert_eq!(zoomed(whole, 5.0, 2.0, 10.0), None);
    }
}
