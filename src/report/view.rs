//! One view's report: [`view_report`] takes a cohort and the analysis part
//! of a view (filters, grouping, endpoint, conventions) to every number the
//! page shows and `cohortscope analyze` prints — the report table's columns
//! (one [`analyze`] per group), the comparison of the groups on every
//! endpoint (log-rank test and Cox model, [`compare_groups`] as `cohortscope
//! km`), the Kaplan–Meier curves of the chosen endpoint, the subgroup hazard
//! ratios and the waterfall's consistency check. The page only lays it out.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::analysis::{analyze, Analysis};
use super::consistency::{consistency, Consistency};
use super::curve::Curve;
use super::filters;
use super::forest::{forest, Forest};
use super::groups::report_order;
use super::km::{compare_groups, CoxSummary, KmSettings, LogRankSummary};
use super::km_cohort::km_input;
use crate::data::adam::AdamSummary;
use crate::data::studies::StudyInfo;
use crate::data::{Cohort, CovariateValues, Endpoint};
use crate::share::{ConventionsChoice, Filter, ViewState};
use crate::stats::conventions::{Conventions, Denominator};

/// The label of the column of every patient.
pub const ALL_PATIENTS: &str = "All patients";

/// The patients of one column of the report: everyone, or one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Subset {
    pub label: String,
    /// Indices into the cohort.
    pub indices: Vec<usize>,
}

/// The levels of a categorical column in report order (numerically when
/// every label is a number, else as text: [`report_order`], the command
/// line's order, so that the first group is the reference there and here)
/// and each patient's index into them.
pub fn levels_of(cohort: &Cohort, column: &str) -> Option<(Vec<String>, Vec<Option<u32>>)> {
    let CovariateValues::Categorical { levels, codes } = &cohort.covariate(column)?.values else {
        return None;
    };
    let (levels, rank) = report_order(levels);
    Some((
        levels,
        codes
            .iter()
            .map(|code| code.map(|c| rank[c as usize] as u32))
            .collect(),
    ))
}

/// The groups of `group` in report order ([`levels_of`]), patients with a
/// blank group value left out; or one subset of everyone.
pub fn subsets(cohort: &Cohort, group: Option<&str>) -> Vec<Subset> {
    let everyone = || Subset {
        label: ALL_PATIENTS.to_string(),
        indices: (0..cohort.len()).collect(),
    };
    let Some((levels, codes)) = group.and_then(|g| levels_of(cohort, g)) else {
        return vec![everyone()];
    };
    levels
        .iter()
        .enumerate()
        .map(|(level, label)| Subset {
            label: label.clone(),
            indices: (0..cohort.len())
                .filter(|&i| codes[i] == Some(level as u32))
                .collect(),
        })
        .filter(|s| !s.indices.is_empty())
        .collect()
}

/// One column of the report table: the `cohortscope.analysis/1` analysis of
/// a group's patients, or of everyone (the value the JSON export writes).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub label: String,
    pub analysis: Rc<Analysis>,
}

/// The report table's columns: everyone (with `study`'s published figures,
/// so that the column is the exported analysis), then each of `groups` when
/// grouped. Every number comes from [`analyze`], as the CLI's.
pub fn columns(
    cohort: &Cohort,
    groups: Option<&[Subset]>,
    conventions: &Conventions,
    study: Option<&StudyInfo>,
) -> Vec<Column> {
    let everyone = Column {
        label: ALL_PATIENTS.to_string(),
        analysis: Rc::new(analyze(cohort, conventions, study)),
    };
    std::iter::once(everyone)
        .chain(groups.unwrap_or_default().iter().map(|g| Column {
            label: g.label.clone(),
            analysis: Rc::new(analyze(&cohort.select(&g.indices), conventions, None)),
        }))
        .collect()
}

/// Which column groups a view's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping<'a> {
    /// The cohort's own default (an ADaM import's arm variable), if any.
    Default,
    /// One column of everyone.
    None,
    /// This column.
    Column(&'a str),
}

/// The column that groups the report, or why a chosen one cannot: the
/// chosen column must be a categorical column of the cohort; the default is
/// the cohort's [`default_group`](Cohort::default_group).
pub fn group_column(cohort: &Cohort, grouping: Grouping<'_>) -> Result<Option<String>, String> {
    match grouping {
        Grouping::None => Ok(None),
        Grouping::Default => Ok(cohort
            .default_group
            .clone()
            .filter(|g| cohort.covariate(g).is_some_and(|c| c.is_categorical()))),
        Grouping::Column(name) => match cohort.covariate(name) {
            Some(c) if c.is_categorical() => Ok(Some(name.to_string())),
            Some(_) => Err(format!(
                "{name} holds numbers, not groups; group by one of {}",
                grouping_list(cohort)
            )),
            None => Err(format!(
                "there is no column {name:?} to group by; the grouping columns are {}",
                grouping_list(cohort)
            )),
        },
    }
}

fn grouping_list(cohort: &Cohort) -> String {
    let names: Vec<&str> = cohort.grouping_columns().map(|c| c.name.as_str()).collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// The `cohortscope.analysis/1` value of a view, as the command line prints
/// it and the page exports it: the analysis of every patient after the
/// filters, and when grouped, the column (`group`) and each group's
/// analysis (`groups`, the same fields under a `label`, in report order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ViewExport<'a> {
    #[serde(flatten)]
    pub all: &'a Analysis,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<&'a str>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupExport<'a>>,
    /// The filters applied, as they read ("sex is F").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<String>,
    /// What an ADaM import found and chose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adam: Option<&'a AdamSummary>,
    /// The groups compared on each endpoint (when grouped).
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub comparisons: &'a [EndpointComparison],
}

/// One group's analysis in a [`ViewExport`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupExport<'a> {
    pub label: &'a str,
    #[serde(flatten)]
    pub analysis: &'a Analysis,
}

/// The comparison of a view's groups on one endpoint: the log-rank test
/// and the Cox model of the group factor, as `cohortscope km --group`
/// computes them ([`compare_groups`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EndpointComparison {
    pub endpoint: String,
    pub label: String,
    pub logrank: Option<LogRankSummary>,
    /// `None` when the model cannot be fitted (the reason is in `notes`).
    pub cox: Option<CoxSummary>,
    /// Why a test or model is missing (empty when neither is).
    pub notes: Vec<String>,
}

/// One Kaplan–Meier curve of the plot: a column's curve of the endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupCurve {
    pub label: String,
    pub curve: Curve,
}

/// The Kaplan–Meier plot of the view's endpoint: the report table's curves
/// (every patient, or one per group) with the groups' comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survival {
    pub key: String,
    pub label: String,
    pub conf_level: f64,
    pub curves: Vec<GroupCurve>,
    /// The column of the groups (`None` when ungrouped).
    pub group: Option<String>,
    /// `None` when ungrouped.
    pub comparison: Option<EndpointComparison>,
}

/// The analysis part of a view: what [`view_report`] needs besides the cohort.
#[derive(Debug, Clone, Copy)]
pub struct ViewSpec<'a> {
    pub filters: &'a [Filter],
    pub grouping: Grouping<'a>,
    /// The endpoint of the Kaplan–Meier and forest plots (the cohort's
    /// first when `None` or unknown).
    pub endpoint: Option<&'a str>,
    pub conventions: Conventions,
    /// A built-in study's published figures are recomputed for everyone.
    pub study: Option<&'a StudyInfo>,
}

impl<'a> ViewSpec<'a> {
    /// The analysis part of a page's view state (what its link says) for a
    /// cohort of `study` (a built-in study) or of the user's files.
    pub fn of_view(view: &'a ViewState, study: Option<&'a StudyInfo>) -> ViewSpec<'a> {
        ViewSpec {
            filters: &view.filters,
            grouping: match view.group.as_deref() {
                Some(g) => Grouping::Column(g),
                None => Grouping::Default,
            },
            endpoint: view.endpoint.as_deref(),
            conventions: view_conventions(view, study.map(|s| s.denominator)),
            study,
        }
    }
}

/// The conventions of a view: the user's choice, with a built-in study's
/// own denominator (`study`) unless the user chose one.
pub fn view_conventions(view: &ViewState, study: Option<Denominator>) -> Conventions {
    let conventions = view.conventions.resolve();
    match (view.conventions.denominator, study) {
        (None, Some(denominator)) => Conventions {
            denominator,
            ..conventions
        },
        _ => conventions,
    }
}

/// The shortest conventions choice with the same effect as the view's
/// ([`ConventionsChoice::minimal`]; for a built-in study, a denominator is
/// written only where it differs from the study's own), so that equal views
/// give equal links.
pub fn minimal_conventions(view: &ViewState, study: Option<Denominator>) -> ConventionsChoice {
    let effective = view_conventions(view, study);
    let mut choice = ConventionsChoice::minimal(&effective);
    if let Some(own) = study {
        choice.denominator = (effective.denominator != own).then_some(effective.denominator);
    }
    choice
}

/// Everything a view shows, computed from the cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewReport {
    /// The cohort after the filters.
    pub cohort: Rc<Cohort>,
    /// Filters that could not be applied, one line each.
    pub filter_problems: Vec<String>,
    /// Why the chosen grouping is not used (the report is then ungrouped).
    pub group_problem: Option<String>,
    /// The filters applied, as they read ("sex is F").
    pub filters: Vec<String>,
    /// The categorical column the report is grouped by.
    pub group: Option<String>,
    pub groups: Vec<Subset>,
    /// The report table's columns: everyone first, then one per group.
    pub columns: Vec<Column>,
    /// The groups compared on every endpoint (empty when ungrouped).
    pub comparisons: Vec<EndpointComparison>,
    pub survival: Option<Rc<Survival>>,
    /// `None` with fewer than two groups or without an endpoint.
    pub forest: Option<Rc<Forest>>,
    /// `None` without best responses and % changes.
    pub consistency: Option<Consistency>,
    /// What an ADaM import found and chose.
    pub adam: Option<AdamSummary>,
    /// The conventions of every number.
    pub conventions: Conventions,
}

impl ViewReport {
    /// This report with the survival and forest plots of `endpoint` (the
    /// first endpoint when `None` or unknown): the tables and the
    /// comparisons hold every endpoint already, so a change of endpoint
    /// computes only these two (`conventions`: the report's).
    pub fn for_endpoint(mut self, endpoint: Option<&str>, conventions: &Conventions) -> ViewReport {
        let (cohort, columns, group) = (&self.cohort, &self.columns, &self.group);
        let comparisons = &self.comparisons;
        let endpoint = endpoint
            .and_then(|k| cohort.endpoint(k))
            .or_else(|| cohort.endpoints.first());
        let survival = endpoint.map(|e| {
            let curve_columns = if group.is_some() {
                &columns[1..]
            } else {
                &columns[..1]
            };
            Rc::new(Survival {
                key: e.key.clone(),
                label: e.label.clone(),
                conf_level: conventions.conf_level,
                curves: curve_columns
                    .iter()
                    .filter_map(|c| {
                        Some(GroupCurve {
                            label: c.label.clone(),
                            curve: c.analysis.curve(&e.key)?.clone(),
                        })
                    })
                    .collect(),
                group: group.clone(),
                comparison: comparisons.iter().find(|c| c.endpoint == e.key).cloned(),
            })
        });
        let forest = match (endpoint, group) {
            (Some(e), Some(g)) => forest(cohort, e, &self.groups, g, conventions).map(Rc::new),
            _ => None,
        };
        self.survival = survival;
        self.forest = forest;
        self
    }

    /// The `cohortscope.analysis/1` value of the view (the CLI's
    /// `analyze --json` and the page's JSON export).
    pub fn export(&self) -> ViewExport<'_> {
        ViewExport {
            all: &self.columns[0].analysis,
            group: self.group.as_deref(),
            groups: self.columns[1..]
                .iter()
                .map(|c| GroupExport {
                    label: &c.label,
                    analysis: &c.analysis,
                })
                .collect(),
            filters: self.filters.clone(),
            adam: self.adam.as_ref(),
            comparisons: &self.comparisons,
        }
    }
}

/// The report of a view of `whole` (the cohort before the filters).
pub fn view_report(whole: &Rc<Cohort>, spec: &ViewSpec<'_>) -> ViewReport {
    let (cohort, filter_problems) = filters::apply(whole, spec.filters);
    let (group, group_problem) = match group_column(&cohort, spec.grouping) {
        Ok(group) => (group, None),
        Err(problem) => (None, Some(problem)),
    };
    let groups = subsets(&cohort, group.as_deref());
    let conventions = &spec.conventions;
    let columns = columns(
        &cohort,
        group.as_ref().map(|_| groups.as_slice()),
        conventions,
        spec.study,
    );
    let comparisons: Vec<EndpointComparison> = match &group {
        Some(g) => cohort
            .endpoints
            .iter()
            .map(|e| comparison(&cohort, e, g, conventions))
            .collect(),
        None => Vec::new(),
    };
    let consistency = consistency(&cohort, &columns[0].analysis);
    let names = whole.column_names();
    let filters = spec
        .filters
        .iter()
        .filter(|f| names.contains(&f.column))
        .map(filters::describe)
        .collect();
    let report = ViewReport {
        cohort,
        filter_problems,
        group_problem,
        filters,
        group,
        groups,
        columns,
        comparisons,
        survival: None,
        forest: None,
        consistency,
        adam: whole.adam.clone(),
        conventions: *conventions,
    };
    report.for_endpoint(spec.endpoint, conventions)
}

/// The groups of the categorical column `group` compared on `endpoint`
/// (patients without a time or a group left out).
pub fn comparison(
    cohort: &Cohort,
    endpoint: &Endpoint,
    group: &str,
    conventions: &Conventions,
) -> EndpointComparison {
    let (key, label) = (endpoint.key.as_str(), endpoint.label.as_str());
    let settings = KmSettings {
        transform: conventions.ci_transform,
        level: conventions.conf_level,
        ties: conventions.ties,
        median_rule: conventions.median_rule,
        landmarks: Vec::new(),
        tau: None,
    };
    let result = km_input(cohort, key, Some(group), None)
        .map_err(|e| e.to_string())
        .and_then(|input| compare_groups(&input, &settings).map_err(|e| e.to_string()));
    let (logrank, cox, notes) = match result {
        Ok(c) => (c.logrank, c.cox, c.notes),
        Err(e) => (None, None, vec![e]),
    };
    EndpointComparison {
        endpoint: key.to_string(),
        label: label.to_string(),
        logrank,
        cox,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::import_csv;
    use crate::report::km::{km_report, KmSettings};
    use crate::report::km_cohort::km_input;
    use crate::stats::conventions::{CiTransform, MedianRule, Ties};

    /// The page's groups and the command line's, for the `arm` column.
    fn orders(arms: &[&str]) -> (Vec<String>, Vec<String>) {
        let mut csv = String::from("patient_id,os_months,os_event,arm\n");
        for (i, arm) in arms.iter().enumerate() {
            csv += &format!("{i},{},{},{arm}\n", i + 1, i % 2);
        }
        let cohort = import_csv(csv.into_bytes(), None).unwrap();
        let page = subsets(&cohort, Some("arm"))
            .into_iter()
            .map(|s| s.label)
            .collect();
        let settings = KmSettings {
            transform: CiTransform::LogLog,
            level: 0.95,
            ties: Ties::Efron,
            median_rule: MedianRule::Midpoint,
            landmarks: vec![],
            tau: None,
        };
        let report = km_report(
            &km_input(&cohort, "os", Some("arm"), None).unwrap(),
            &settings,
        )
        .unwrap();
        (page, report.groups.into_iter().map(|c| c.label).collect())
    }

    #[test]
    fn the_plot_shows_the_report_tables_curves_and_the_km_reports_comparison() {
        let study = crate::data::studies::by_id("lifileucel-melanoma").unwrap();
        let cohort = Rc::new(import_csv(study.csv.as_bytes().to_vec(), None).unwrap());
        for key in ["os", "pfs", "dor"] {
            let spec = ViewSpec {
                filters: &[],
                grouping: Grouping::Column("sex"),
                endpoint: Some(key),
                conventions: Conventions::default(),
                study: None,
            };
            let report = view_report(&cohort, &spec);
            let survival = report.survival.as_ref().unwrap();
            assert_eq!(survival.key, key);
            assert_eq!(survival.curves.len(), 2);
            for (curve, column) in survival.curves.iter().zip(&report.columns[1..]) {
                assert_eq!(curve.label, column.label);
                assert_eq!(Some(&curve.curve), column.analysis.curve(key));
            }
            let settings = KmSettings {
                transform: CiTransform::LogLog,
                level: 0.95,
                ties: Ties::Efron,
                median_rule: MedianRule::Midpoint,
                landmarks: vec![],
                tau: None,
            };
            let km = km_report(
                &km_input(&cohort, key, Some("sex"), None).unwrap(),
                &settings,
            )
            .unwrap();
            let comparison = survival.comparison.as_ref().unwrap();
            assert_eq!(comparison.logrank, km.logrank);
            assert_eq!(comparison.cox, km.cox);
            assert!(comparison.cox.is_some());
            assert_eq!(report.comparisons.len(), 3);
            // The group's curves are the km report's too.
            for (ours, theirs) in survival.curves.iter().zip(&km.groups) {
                assert_eq!(ours.curve.table, theirs.table);
                assert_eq!(ours.curve.median, theirs.median);
            }
        }
    }

    #[test]
    fn a_view_says_what_it_could_not_use() {
        let study = crate::data::studies::by_id("herlev-til").unwrap();
        let cohort = Rc::new(import_csv(study.csv.as_bytes().to_vec(), None).unwrap());
        let filters = [Filter {
            column: "nonexistent".into(),
            condition: crate::share::Condition::OneOf(vec!["x".into()]),
        }];
        let report = view_report(
            &cohort,
            &ViewSpec {
                filters: &filters,
                grouping: Grouping::Column("age"),
                endpoint: Some("nonexistent"),
                conventions: Conventions::default(),
                study: None,
            },
        );
        assert_eq!(
            report.filter_problems.len(),
            1,
            "{:?}",
            report.filter_problems
        );
        assert!(report
            .group_problem
            .as_deref()
            .unwrap()
            .starts_with("age holds numbers"));
        assert_eq!(report.group, None);
        assert!(report.comparisons.is_empty() && report.forest.is_none());
        // An unknown endpoint shows the first.
        assert_eq!(report.survival.as_ref().unwrap().key, "os");
        assert_eq!(report.columns.len(), 1);
    }

    #[test]
    fn equal_conventions_have_one_shortest_choice() {
        use crate::stats::conventions::{BinomialCi, Denominator, Preset};
        let study = crate::data::studies::all().into_iter().next().unwrap().info;
        let mut choices = Vec::new();
        for preset in [
            None,
            Some(Preset::Sas),
            Some(Preset::R),
            Some(Preset::Lifelines),
        ] {
            for ci in [None, Some(CiTransform::LogLog), Some(CiTransform::Log)] {
                for ties in [None, Some(Ties::Efron), Some(Ties::Breslow)] {
                    for denominator in [
                        None,
                        Some(Denominator::AllTreated),
                        Some(Denominator::Evaluable),
                    ] {
                        let methods = BinomialCi::NAMES.iter().map(|m| m.parse().ok());
                        for binomial_ci in std::iter::once(None).chain(methods) {
                            choices.push(ConventionsChoice {
                                preset,
                                ci_transform: ci,
                                ties,
                                denominator,
                                binomial_ci,
                                ..ConventionsChoice::default()
                            });
                        }
                    }
                }
            }
        }
        for study in [None, Some(study.denominator)] {
            let mut by_effect: Vec<(String, ConventionsChoice)> = Vec::new();
            for choice in &choices {
                let view = ViewState {
                    conventions: *choice,
                    ..ViewState::default()
                };
                let minimal = minimal_conventions(&view, study);
                let shortened = ViewState {
                    conventions: minimal,
                    ..ViewState::default()
                };
                let effect = view_conventions(&view, study);
                assert_eq!(view_conventions(&shortened, study), effect, "{choice:?}");
                assert_eq!(minimal_conventions(&shortened, study), minimal);
                let key = format!("{effect:?}");
                match by_effect.iter().find(|(k, _)| *k == key) {
                    Some((_, first)) => assert_eq!(*first, minimal, "{choice:?}"),
                    None => by_effect.push((key, minimal)),
                }
            }
            // A study's own denominator is never written.
            let own = ViewState {
                conventions: ConventionsChoice {
                    denominator: study,
                    ..ConventionsChoice::default()
                },
                ..ViewState::default()
            };
            if study.is_some() {
                assert_eq!(
                    minimal_conventions(&own, study),
                    ConventionsChoice::default()
                );
            }
        }
    }

    #[test]
    fn groups_come_in_the_command_line_order_so_the_reference_is_the_same() {
        // (Numeric labels make a numeric column, which the page does not group by.)
        for (arms, expected) in [
            (&["b", "a", "b", "a"][..], &["a", "b"][..]),
            (&["b", "B", "a", "b", "B", "a"][..], &["B", "a", "b"][..]),
        ] {
            let (page, cli) = orders(arms);
            assert_eq!(page, expected);
            assert_eq!(cli, expected);
        }
    }
}
