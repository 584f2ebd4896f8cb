//! The full analysis of a cohort (`cohortscope.analysis/1`): response
//! counts and rates, tumour reduction, time to response, duration of
//! response, a Kaplan–Meier curve per endpoint and, for a built-in study,
//! every published figure recomputed. The CLI prints it and the page's
//! "export JSON" writes it.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::conventions::ConventionNames;
use super::curve::{Curve, CurveSettings};
use super::published::{evaluate_all, PublishedResult};
use crate::data::cohort::{Cohort, Endpoint};
use crate::data::studies::StudyInfo;
use crate::stats::conventions::Conventions;
use crate::stats::response::{
    disease_control_rate, objective_response_rate, time_to_response, tumor_reduction_rate,
    ResponseCounts, ResponseRate,
};

/// The format tag of the serialised analysis.
pub const ANALYSIS_FORMAT: &str = "cohortscope.analysis/1";

/// Landmark times (months) of every curve of an analysis: the milestone
/// rates (6-, 12- and 24-month S(t) with its limits) of the page's report
/// table, the CLI's landmark table and the JSON's `landmarks`.
pub const LANDMARK_MONTHS: [f64; 3] = [6.0, 12.0, 24.0];

/// Key of the duration-of-response endpoint, reported under `response`.
pub const DOR: &str = "dor";

/// The endpoints whose reverse Kaplan–Meier median may be the median
/// follow-up, in order of preference: overall survival, then the others in
/// their order, never the duration of response (which starts at the
/// response).
pub fn follow_up_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let (os, others): (Vec<&str>, Vec<&str>) = keys
        .into_iter()
        .filter(|&key| key != DOR)
        .partition(|&key| key == "os");
    os.into_iter().chain(others).collect()
}

/// Which built-in study an analysis is of.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudySummary {
    pub id: String,
    pub title: String,
    pub citation: String,
    pub synthetic: bool,
    pub synthetic_note: String,
}

/// Patients per best-response category.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[allow(non_snake_case)]
pub struct Counts {
    pub CR: u64,
    pub PR: u64,
    pub SD: u64,
    pub PD: u64,
    pub NE: u64,
}

impl From<Counts> for ResponseCounts {
    /// The counts as the statistics core holds them (for `get`, `total`).
    fn from(c: Counts) -> Self {
        ResponseCounts {
            cr: c.CR,
            pr: c.PR,
            sd: c.SD,
            pd: c.PD,
            ne: c.NE,
        }
    }
}

/// A response rate with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rate {
    pub k: u64,
    pub n: u64,
    pub estimate: f64,
    pub lower: f64,
    pub upper: f64,
    /// The binomial interval ("clopper-pearson", "wilson", "wilson-cc",
    /// "wald", "wald-cc", "jeffreys", "agresti-coull").
    pub method: &'static str,
}

impl From<ResponseRate> for Rate {
    fn from(r: ResponseRate) -> Self {
        let p = r.proportion;
        Rate {
            k: p.k,
            n: p.n,
            estimate: p.estimate,
            lower: p.lower,
            upper: p.upper,
            method: p.method.as_str(),
        }
    }
}

/// Patients with a best % change below 0 among those measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reduction {
    pub k: u64,
    pub n: u64,
    pub estimate: f64,
}

/// Sample median, minimum and maximum of the responders' times to response (months).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimeToResponseSummary {
    pub n: u64,
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

/// k of n.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Count {
    pub k: usize,
    pub n: usize,
}

/// The longest duration of response; `censored` when still ongoing (shown "19.8+").
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Longest {
    pub value: f64,
    pub censored: bool,
}

/// The duration-of-response curve with the ongoing responses and the longest one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DurationOfResponse {
    #[serde(flatten)]
    pub curve: Curve,
    /// Responses ongoing at the cutoff (censored), of all with a duration.
    pub ongoing: Count,
    pub longest: Longest,
}

/// Best overall response and what follows from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseSummary {
    pub counts: Counts,
    pub denominator: &'static str,
    /// `None` when the denominator is 0.
    pub orr: Option<Rate>,
    pub dcr: Option<Rate>,
    /// `None` without best % change values.
    pub tumor_reduction: Option<Reduction>,
    /// `None` without a responder's time to response.
    pub time_to_response: Option<TimeToResponseSummary>,
    /// `None` without durations of response.
    pub duration_of_response: Option<DurationOfResponse>,
}

/// One curve per time-to-event endpoint, serialised as an object keyed by
/// the endpoint ("os", "pfs", …) in the cohort's order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EndpointCurves(pub Vec<(String, Curve)>);

impl EndpointCurves {
    /// The curve of the endpoint with this key.
    pub fn get(&self, key: &str) -> Option<&Curve> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, c)| c)
    }
}

impl Serialize for EndpointCurves {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, curve) in &self.0 {
            map.serialize_entry(key, curve)?;
        }
        map.end()
    }
}

/// The analysis. Serialises as `cohortscope.analysis/1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub format: &'static str,
    /// `None` for a user's file.
    pub study: Option<StudySummary>,
    pub n: usize,
    pub conventions: ConventionNames,
    /// `None` without a best-response column.
    pub response: Option<ResponseSummary>,
    pub endpoints: EndpointCurves,
    /// The published figures of a built-in study (empty otherwise).
    pub published: Vec<PublishedResult>,
    /// Why a part is missing that a reader would expect (not serialised).
    #[serde(skip)]
    pub notes: Vec<String>,
}

impl Analysis {
    /// The curve of an endpoint: under `endpoints`, or for the duration of
    /// response (reported under `response` when there are responses) there.
    pub fn curve(&self, key: &str) -> Option<&Curve> {
        self.endpoints.get(key).or_else(|| {
            (key == DOR)
                .then(|| self.response.as_ref()?.duration_of_response.as_ref())
                .flatten()
                .map(|d| &d.curve)
        })
    }

    /// The curve whose reverse Kaplan–Meier median is the median follow-up
    /// of the report: the first of [`follow_up_keys`] with a curve.
    pub fn follow_up_curve(&self) -> Option<&Curve> {
        let keys = self.endpoints.0.iter().map(|(key, _)| key.as_str());
        follow_up_keys(keys)
            .first()
            .and_then(|key| self.endpoints.get(key))
    }
}

/// The conventions of a built-in study: `base` with the study's denominator
/// (callers override it again when the user chose one explicitly).
pub fn study_conventions(base: Conventions, info: &StudyInfo) -> Conventions {
    Conventions {
        denominator: info.denominator,
        ..base
    }
}

/// Analyses `cohort` under `conventions`; with `study`, also recomputes its
/// published figures (under the study's own rules, see
/// [`published`](super::published)).
pub fn analyze(cohort: &Cohort, conventions: &Conventions, study: Option<&StudyInfo>) -> Analysis {
    let mut notes = Vec::new();
    let response = cohort
        .best_response
        .as_ref()
        .map(|_| response(cohort, conventions, &mut notes));
    let endpoints = cohort
        .endpoints
        .iter()
        .filter(|e| !(response.is_some() && e.key == DOR))
        .filter_map(|e| curve(e, conventions, &mut notes).map(|c| (e.key.clone(), c)))
        .collect();
    Analysis {
        format: ANALYSIS_FORMAT,
        study: study.map(|s| StudySummary {
            id: s.id.clone(),
            title: s.title.clone(),
            citation: s.citation.clone(),
            synthetic: s.synthetic,
            synthetic_note: s.synthetic_note.clone(),
        }),
        n: cohort.len(),
        conventions: conventions.into(),
        response,
        endpoints: EndpointCurves(endpoints),
        published: study.map(|s| evaluate_all(cohort, s)).unwrap_or_default(),
        notes,
    }
}

/// The curve of an endpoint over the patients with a time, restricted mean
/// to its largest time; `None` (with a note) when no patient has one.
fn curve(endpoint: &Endpoint, conventions: &Conventions, notes: &mut Vec<String>) -> Option<Curve> {
    let (times, events): (Vec<f64>, Vec<bool>) = endpoint
        .values
        .iter()
        .flatten()
        .map(|te| (te.months, te.event))
        .unzip();
    let settings = CurveSettings {
        transform: conventions.ci_transform,
        level: conventions.conf_level,
        median_rule: conventions.median_rule,
        landmarks: LANDMARK_MONTHS.to_vec(),
        tau: times.iter().copied().fold(0.0, f64::max),
    };
    match Curve::fit(&endpoint.label, &times, &events, &settings) {
        Ok(c) => Some(c),
        Err(e) => {
            notes.push(format!("{}: no curve: {e}", endpoint.label));
            None
        }
    }
}

fn response(
    cohort: &Cohort,
    conventions: &Conventions,
    notes: &mut Vec<String>,
) -> ResponseSummary {
    let responses = cohort.best_response.clone().unwrap_or_default();
    let known: Vec<_> = responses.iter().flatten().copied().collect();
    let c = ResponseCounts::from_responses(&known);
    let (level, method, denominator) = (
        conventions.conf_level,
        conventions.binomial_ci,
        conventions.denominator,
    );
    let mut rate = |name: &str, r: Result<ResponseRate, _>| match r {
        Ok(r) => Some(Rate::from(r)),
        Err(e) => {
            notes.push(format!("{name}: {e}"));
            None
        }
    };
    let orr = rate(
        "ORR",
        objective_response_rate(&c, denominator, level, method),
    );
    let dcr = rate("DCR", disease_control_rate(&c, denominator, level, method));
    let tumor_reduction = cohort
        .best_pct_change
        .as_ref()
        .and_then(|v| tumor_reduction_rate(&v.iter().collect::<Vec<_>>()).ok())
        .map(|t| Reduction {
            k: t.k,
            n: t.n,
            estimate: t.estimate,
        });
    let responder = |i: usize| {
        responses
            .get(i)
            .copied()
            .flatten()
            .is_some_and(|r| r.is_objective_response())
    };
    let ttr: Vec<f64> = cohort
        .ttr
        .iter()
        .flat_map(|t| t.months.iter().enumerate())
        .filter(|(i, _)| responder(*i))
        .filter_map(|(_, m)| m)
        .collect();
    let time_to_response = time_to_response(&ttr).ok().map(|t| TimeToResponseSummary {
        n: t.n,
        median: t.median,
        min: t.min,
        max: t.max,
    });
    let duration_of_response = cohort.endpoint(DOR).and_then(|e| {
        let curve = curve(e, conventions, notes)?;
        let values: Vec<_> = e.values.iter().flatten().collect();
        let longest = values
            .iter()
            .max_by(|a, b| a.months.total_cmp(&b.months).then(b.event.cmp(&a.event)))?;
        Some(DurationOfResponse {
            ongoing: Count {
                k: values.iter().filter(|v| !v.event).count(),
                n: values.len(),
            },
            longest: Longest {
                value: longest.months,
                censored: !longest.event,
            },
            curve,
        })
    });
    ResponseSummary {
        counts: Counts {
            CR: c.cr,
            PR: c.pr,
            SD: c.sd,
            PD: c.pd,
            NE: c.ne,
        },
        denominator: denominator.as_str(),
        orr,
        dcr,
        tumor_reduction,
        time_to_response,
        duration_of_response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::import_csv;
    use crate::data::studies::by_id;
    use crate::stats::conventions::Denominator;

    #[test]
    fn lifileucel_by_its_published_figures() {
        let study = by_id("lifileucel-melanoma").unwrap();
        let cohort = import_csv(study.csv.as_bytes().to_vec(), None).unwrap();
        let conventions = study_conventions(Conventions::default(), &study.info);
        let a = analyze(&cohort, &conventions, Some(&study.info));
        let r = a.response.as_ref().unwrap();
        assert_eq!(
            (
                r.counts.CR,
                r.counts.PR,
                r.counts.SD,
                r.counts.PD,
                r.counts.NE
            ),
            (2, 23, 28, 9, 4)
        );
        assert_eq!((r.orr.unwrap().k, r.orr.unwrap().n), (25, 66));
        let dor = r.duration_of_response.as_ref().unwrap();
        assert_eq!((dor.ongoing.k, dor.ongoing.n), (17, 25));
        assert_eq!(dor.curve.median.estimate, None);
        assert!(dor.longest.censored);
        assert!(a.endpoints.get("os").is_some() && a.endpoints.get(DOR).is_none());
        assert_eq!(a.follow_up_curve(), a.endpoints.get("os"));
        assert_eq!(ResponseCounts::from(r.counts).total(), 66);
        assert!(a.published.iter().all(|p| p.matches));
        let evaluable = analyze(
            &cohort,
            &Conventions {
                denominator: Denominator::Evaluable,
                ..conventions
            },
            None,
        );
        assert_eq!(evaluable.response.unwrap().orr.unwrap().n, 62);
        assert!(evaluable.published.is_empty() && evaluable.study.is_none());
    }

    #[test]
    fn follow_up_is_never_read_off_the_duration_of_response() {
        // No OS and no best response: DOR is an endpoint like the others,
        // and comes before EFS.
        let csv = "patient_id,dor_months,dor_event,efs_months,efs_event\n1,2,1,5,1\n2,3,0,7,0\n";
        let cohort = import_csv(csv.as_bytes().to_vec(), None).unwrap();
        let a = analyze(&cohort, &Conventions::default(), None);
        assert!(a.endpoints.get(DOR).is_some());
        assert_eq!(a.follow_up_curve(), a.endpoints.get("efs"));
        assert_eq!(
            follow_up_keys(["dor", "efs", "os", "pfs"]),
            ["os", "efs", "pfs"]
        );
    }
}
