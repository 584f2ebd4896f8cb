//! The waterfall's view-model: the patients with a recorded response, their
//! best % change and colouring, the bars that contradict the response
//! ([`Consistency`](crate::report::consistency::Consistency)), and the
//! readout of a bar. A cohort with more bars than [`MAX_BARS`] is drawn
//! from evenly spaced bars in the plot's order (and every selected one):
//! no plot is that many pixels wide, and the page's model stays small.

use std::collections::HashSet;

use crate::charts::format::signed_percent;
use crate::charts::waterfall::{
    WaterfallColouring, WaterfallData, WaterfallPatient, WaterfallSample,
};
use crate::data::Cohort;
use crate::report::view::levels_of;

/// Height of the chart in CSS pixels.
pub const HEIGHT: u32 = 340;

/// Bars above this % change are clipped.
pub const CLIP_PCT: f64 = 100.0;

/// Most bars drawn: more than a plot has pixel columns at twice the
/// resolution of a wide screen.
pub const MAX_BARS: usize = 2_000;

/// The waterfall's data: patients with a recorded response.
pub fn waterfall_data(
    cohort: &Cohort,
    group: Option<&str>,
    colour_by_group: bool,
    selected: &[String],
    flagged: &HashSet<String>,
) -> WaterfallData {
    let levels = group.and_then(|g| levels_of(cohort, g));
    let selected: HashSet<String> = selected.iter().cloned().collect();
    let (shown, sample) = sampled(cohort, &selected, flagged);
    let responses = cohort.best_response.as_deref().unwrap_or_default();
    let patients = shown
        .into_iter()
        .filter_map(|i| {
            let subgroup = levels
                .as_ref()
                .and_then(|(levels, codes)| codes[i].map(|c| levels[c as usize].clone()));
            Some(WaterfallPatient {
                id: cohort.ids[i].to_string(),
                best_change_pct: change_of(cohort, i),
                response: responses[i]?,
                subgroup,
                inconsistent: flagged.contains(&cohort.ids[i]),
            })
        })
        .collect();
    let colouring = match group {
        Some(g) if colour_by_group && levels.is_some() => {
            WaterfallColouring::Subgroup(g.to_string())
        }
        _ => WaterfallColouring::Response,
    };
    WaterfallData {
        patients,
        colouring,
        selected,
        clip_pct: CLIP_PCT,
        sample,
    }
}

/// The best % change of patient `i`, if measured.
fn change_of(cohort: &Cohort, i: usize) -> Option<f64> {
    cohort.best_pct_change.as_ref().and_then(|v| v.get(i))
}

/// The patients the waterfall holds, by index: those with a response, the
/// measured first, in cohort order, when at most [`MAX_BARS`] are measured;
/// otherwise [`MAX_BARS`] bars evenly spaced in the plot's order (largest
/// increase first, ties by id) and every selected patient, with what the
/// whole has. Only the patients kept are made into bars.
fn sampled(
    cohort: &Cohort,
    selected: &HashSet<String>,
    flagged: &HashSet<String>,
) -> (Vec<usize>, Option<WaterfallSample>) {
    let responses = cohort.best_response.as_deref().unwrap_or_default();
    let (mut bars, missing): (Vec<usize>, Vec<usize>) = (0..responses.len())
        .filter(|&i| responses[i].is_some())
        .partition(|&i| change_of(cohort, i).is_some());
    if bars.len() <= MAX_BARS {
        bars.extend(missing);
        return (bars, None);
    }
    let change = |i: usize| change_of(cohort, i).unwrap_or(f64::NAN);
    bars.sort_by(|&a, &b| {
        change(b)
            .total_cmp(&change(a))
            .then_with(|| cohort.ids[a].cmp(&cohort.ids[b]))
    });
    let sample = WaterfallSample {
        bars: bars.len(),
        not_shown: missing.len(),
        clipped: bars.iter().filter(|&&i| change(i) > CLIP_PCT).count(),
        inconsistent: bars
            .iter()
            .filter(|&&i| flagged.contains(&cohort.ids[i]))
            .count(),
    };
    let n = bars.len();
    // The middle of each of MAX_BARS equal runs of the sorted bars.
    let mut pick = (0..MAX_BARS)
        .map(|k| (2 * k + 1) * n / (2 * MAX_BARS))
        .peekable();
    let kept = bars
        .into_iter()
        .enumerate()
        .filter(|&(rank, i)| {
            let picked = pick.next_if_eq(&rank).is_some();
            picked || selected.contains(&cohort.ids[i])
        })
        .map(|(_, i)| i)
        .collect();
    (kept, Some(sample))
}

/// What the hover and the keyboard show of a bar's patient: "LIF-012 · PR ·
/// −45.0% · sex: female" (the group's value when grouped by `group`), and
/// "· selected" when selected.
pub fn readout(p: &WaterfallPatient, group: Option<&str>, selected: &HashSet<String>) -> String {
    let change = p
        .best_change_pct
        .map_or_else(String::new, |x| signed_percent(x, 1));
    let grouping = match (group, &p.subgroup) {
        (Some(g), Some(value)) => format!(" · {g}: {value}"),
        _ => String::new(),
    };
    let mark = if selected.contains(&p.id) {
        " · selected"
    } else {
        ""
    };
    format!(
        "{} · {} · {change}{grouping}{mark}",
        p.id,
        p.response.code()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::style::ChartStyle;
    use crate::charts::svg::render;
    use crate::data::import_csv;

    /// `n` patients: changes from +150% down, every tenth without a measurement.
    fn cohort(n: usize) -> Cohort {
        let mut csv = String::from("patient_id,best_response,best_pct_change\n");
        for i in 0..n {
            let change = if i % 10 == 9 {
                String::new()
            } else {
                format!("{:.2}", 150.0 - 250.0 * i as f64 / n as f64)
            };
            let response = if i % 7 == 0 { "PR" } else { "SD" };
            csv.push_str(&format!("P{i:05},{response},{change}\n"));
        }
        import_csv(csv.into_bytes(), None).expect("a cohort")
    }

    #[test]
    fn a_large_waterfall_is_drawn_from_evenly_spaced_bars_and_every_selected_one() {
        let cohort = cohort(20_000);
        let measured = 18_000;
        // The last measured patient (the largest decrease) is not an evenly spaced pick.
        let selected = vec!["P19998".to_string()];
        let flagged = HashSet::from(["P00000".to_string(), "P00007".to_string()]);
        let data = waterfall_data(&cohort, None, false, &selected, &flagged);
        let sample = data.sample.expect("a sample");
        assert_eq!(sample.bars, measured);
        assert_eq!(sample.not_shown, 2_000);
        assert_eq!(
            sample.clipped,
            (0..20_000)
                .filter(|i| i % 10 != 9 && 150.0 - 250.0 * *i as f64 / 20_000.0 > 100.0)
                .count()
        );
        assert_eq!(sample.inconsistent, 2);
        assert_eq!(data.patients.len(), MAX_BARS + 1);
        assert!(data.patients.iter().all(|p| p.best_change_pct.is_some()));
        assert_eq!(data.patients.last().unwrap().id, "P19998");
        // In the plot's order, the k-th pick is the middle of the k-th run of 9 bars.
        let ids: Vec<&str> = data.patients.iter().map(|p| p.id.as_str()).collect();
        let nth_measured = |k: usize| format!("P{:05}", k / 9 * 10 + k % 9);
        assert_eq!(ids[0], nth_measured(4));
        assert_eq!(ids[1], nth_measured(13));
        assert_eq!(ids[MAX_BARS - 1], nth_measured(17_995));

        let (svg, drawn) = render((600, HEIGHT), |area| {
            crate::charts::waterfall::draw(area, &data, &ChartStyle::default())
        });
        assert_eq!(drawn.expect("drawn").bars.len(), MAX_BARS + 1);
        assert!(svg.contains("2,001 of 18,000 bars drawn"), "{svg}");
        assert!(svg.contains("2,000 patients without a post-baseline measurement"));
    }

    #[test]
    fn a_waterfall_that_fits_keeps_every_patient_and_no_sample() {
        let cohort = cohort(100);
        let data = waterfall_data(&cohort, None, false, &[], &HashSet::new());
        assert_eq!(data.sample, None);
        assert_eq!(data.patients.len(), 100);
    }
}
