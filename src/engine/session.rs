//! A session: one imported cohort and the report of the last view, which
//! the page asks for view models, patient matches and exports. A change of
//! selection or of how a chart is drawn reuses the last view's report; only
//! a change of the analysis (filters, grouping, endpoint, conventions)
//! computes a new one.

use serde::{Deserialize, Serialize};

use std::rc::Rc;

use super::model::TablesModel;
use super::{CohortSummary, PageModel, ViewOptions};
use crate::data::studies::StudyInfo;
use crate::data::Cohort;
use crate::figures::patients::{matches, pick, MAX_MATCHES};
use crate::report::r_snippet::COHORT_CSV;
use crate::report::tables::export::{csv, html, rtf};
use crate::report::tables::text::grids;
use crate::report::tables::{Tables, TABLES_FORMAT, TABLES_TAB};
use crate::report::view::{view_conventions, view_report, ViewReport, ViewSpec};
use crate::share::{Filter, TablesChoice, ViewState};
use crate::stats::conventions::Conventions;

/// What decides a view's report (the rest of a view only changes how it is drawn).
#[derive(Debug, Clone, PartialEq)]
struct AnalysisKey {
    filters: Vec<Filter>,
    group: Option<String>,
    endpoint: Option<String>,
    conventions: Conventions,
}

impl AnalysisKey {
    /// True when only the endpoint differs.
    fn other_endpoint(&self, other: &AnalysisKey) -> bool {
        self.endpoint != other.endpoint
            && self.filters == other.filters
            && self.group == other.group
            && self.conventions == other.conventions
    }

    fn of(view: &ViewState, conventions: Conventions) -> AnalysisKey {
        AnalysisKey {
            filters: view.filters.clone(),
            group: view.group.clone(),
            endpoint: view.endpoint.clone(),
            conventions,
        }
    }
}

/// A file the page offers for download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    pub name: String,
    pub mime: String,
    pub text: String,
}

/// The files of a view the page exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportKind {
    /// The cohort after the filters, as canonical CSV ([`COHORT_CSV`]).
    CohortCsv,
    /// The report table's columns as `cohortscope analyze --group … --json`
    /// writes them ([`ANALYSIS_FORMAT`](crate::report::analysis::ANALYSIS_FORMAT)).
    AnalysisJson,
    /// The efficacy tables as `cohortscope tables --json` writes them ([`TABLES_FORMAT`]).
    TablesJson,
    /// The efficacy tables as CSV, one block per table.
    TablesCsv,
    /// The efficacy tables as an HTML document (pastes into Word with its layout).
    TablesHtml,
    /// The efficacy tables as RTF.
    TablesRtf,
}

/// One imported cohort and the report of its last view.
#[derive(Debug)]
pub struct Session {
    whole: Rc<Cohort>,
    study: Option<StudyInfo>,
    last: Option<(AnalysisKey, Rc<ViewReport>)>,
    /// The tables of the last report under the last choice.
    last_tables: Option<LastTables>,
}

/// The tables of a report under a choice, kept while both stay.
#[derive(Debug)]
struct LastTables {
    report: Rc<ViewReport>,
    choice: TablesChoice,
    model: Option<Rc<TablesModel>>,
    tables: Option<Rc<Tables>>,
}

impl Session {
    /// A session of `cohort` (of the built-in `study`, if any), and its summary.
    pub fn new(cohort: Cohort, study: Option<StudyInfo>) -> (Session, CohortSummary) {
        let summary = CohortSummary::of(&cohort, study.as_ref());
        let session = Session {
            whole: Rc::new(cohort),
            study,
            last: None,
            last_tables: None,
        };
        (session, summary)
    }

    /// The report of `view`: the last one when its analysis is the same,
    /// the last one's tables with the plots of another endpoint when only
    /// the endpoint changed.
    fn report(&mut self, view: &ViewState) -> (Rc<ViewReport>, Conventions) {
        let conventions = view_conventions(view, self.study.as_ref().map(|s| s.denominator));
        let key = AnalysisKey::of(view, conventions);
        let report = match &self.last {
            Some((last, report)) if *last == key => return (report.clone(), conventions),
            Some((last, report)) if last.other_endpoint(&key) => Rc::new(
                (**report)
                    .clone()
                    .for_endpoint(view.endpoint.as_deref(), &conventions),
            ),
            _ => Rc::new(view_report(
                &self.whole,
                &ViewSpec::of_view(view, self.study.as_ref()),
            )),
        };
        self.last = Some((key, report.clone()));
        (report, conventions)
    }

    /// The model of `view` (its source is this session's cohort) drawn with `options`.
    pub fn view(&mut self, view: &ViewState, options: ViewOptions) -> PageModel {
        let (report, conventions) = self.report(view);
        // The tables only while the page shows them.
        let model = match view.tab.as_deref() {
            Some(TABLES_TAB) => self.tables(&report, &view.tables).0,
            _ => None,
        };
        PageModel::build(&report, &conventions, &view.selected, options, model)
    }

    /// The tables of `report` under `choice`: the last ones when neither changed.
    fn tables(
        &mut self,
        report: &Rc<ViewReport>,
        choice: &TablesChoice,
    ) -> (Option<Rc<TablesModel>>, Option<Rc<Tables>>) {
        if let Some(last) = &self.last_tables {
            if Rc::ptr_eq(&last.report, report) && last.choice == *choice {
                return (last.model.clone(), last.tables.clone());
            }
        }
        let (model, tables) = match TablesModel::build(report, choice) {
            Some((model, tables)) => (Some(Rc::new(model)), tables.map(Rc::new)),
            None => (None, None),
        };
        self.last_tables = Some(LastTables {
            report: report.clone(),
            choice: choice.clone(),
            model: model.clone(),
            tables: tables.clone(),
        });
        (model, tables)
    }

    /// The ids of at most [`MAX_MATCHES`] patients of `view` that match `query`.
    pub fn find_patients(&mut self, view: &ViewState, query: &str) -> Vec<String> {
        let (report, _) = self.report(view);
        matches(&report.cohort.ids, query, MAX_MATCHES)
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    /// The one patient of `view` that `typed` names, if exactly one.
    pub fn pick_patient(&mut self, view: &ViewState, typed: &str) -> Option<String> {
        let (report, _) = self.report(view);
        pick(&report.cohort.ids, typed).map(str::to_string)
    }

    /// The file `kind` of `view`.
    pub fn export(&mut self, view: &ViewState, kind: ExportKind) -> Result<Export, String> {
        let (report, _) = self.report(view);
        Ok(match kind {
            ExportKind::CohortCsv => Export {
                name: COHORT_CSV.to_string(),
                mime: "text/csv".to_string(),
                text: report.cohort.to_csv(),
            },
            ExportKind::AnalysisJson => Export {
                name: "cohortscope-analysis.json".to_string(),
                mime: "application/json".to_string(),
                text: serde_json::to_string_pretty(&report.export())
                    .map_err(|e| format!("the analysis could not be written as JSON: {e}"))?,
            },
            ExportKind::TablesJson
            | ExportKind::TablesCsv
            | ExportKind::TablesHtml
            | ExportKind::TablesRtf => {
                let (model, tables) = self.tables(&report, &view.tables);
                let Some(tables) = tables else {
                    return Err(model.and_then(|m| m.problem.clone()).unwrap_or_else(|| {
                        "the tables need arms: group the view by the arm column".to_string()
                    }));
                };
                let (name, mime, text) = match kind {
                    ExportKind::TablesJson => (
                        "cohortscope-tables.json",
                        "application/json",
                        serde_json::to_string_pretty(&*tables).map_err(|e| {
                            format!("the tables could not be written as {TABLES_FORMAT} JSON: {e}")
                        })?,
                    ),
                    ExportKind::TablesCsv => {
                        ("cohortscope-tables.csv", "text/csv", csv(&grids(&tables)))
                    }
                    ExportKind::TablesHtml => (
                        "cohortscope-tables.html",
                        "text/html",
                        html(&grids(&tables)),
                    ),
                    _ => (
                        "cohortscope-tables.rtf",
                        "application/rtf",
                        rtf(&grids(&tables)),
                    ),
                };
                Export {
                    name: name.to_string(),
                    mime: mime.to_string(),
                    text,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::format::percent;
    use crate::data::{import_csv, studies};
    use crate::share::Condition;

    const OPTIONS: ViewOptions = ViewOptions {
        colour_by_group: false,
        swimmer_responders_only: true,
    };

    fn lifileucel() -> (Session, CohortSummary) {
        let study = studies::by_id("lifileucel-melanoma").expect("a built-in study");
        let cohort = import_csv(study.csv.as_bytes().to_vec(), None).expect("the study imports");
        Session::new(cohort, Some(study.info))
    }

    fn filtered(column: &str, value: &str) -> ViewState {
        ViewState {
            filters: vec![Filter {
                column: column.to_string(),
                condition: Condition::OneOf(vec![value.to_string()]),
            }],
            ..ViewState::default()
        }
    }

    #[test]
    fn another_endpoint_reuses_the_tables_and_gives_the_full_report_of_its_view() {
        let (mut session, _) = lifileucel();
        for group in [None, Some("sex".to_string())] {
            let first = ViewState {
                group: group.clone(),
                ..ViewState::default()
            };
            let (before, _) = session.report(&first);
            for endpoint in ["pfs", "dor", "os", "nonexistent"] {
                let view = ViewState {
                    endpoint: Some(endpoint.to_string()),
                    ..first.clone()
                };
                let (report, _) = session.report(&view);
                let direct = view_report(
                    &session.whole,
                    &ViewSpec::of_view(&view, session.study.as_ref()),
                );
                assert_eq!(*report, direct, "{group:?} {endpoint}");
                assert!(Rc::ptr_eq(&report.cohort, &before.cohort));
                let key = report.survival.as_ref().unwrap().key.as_str();
                assert_eq!(
                    key,
                    if endpoint == "nonexistent" {
                        "os"
                    } else {
                        endpoint
                    }
                );
                assert_eq!(report.forest.is_some(), group.is_some());
            }
        }
    }

    #[test]
    fn a_view_is_the_report_of_its_analysis_and_a_new_selection_reuses_it() {
        let (mut session, summary) = lifileucel();
        assert_eq!(summary.patients, 66);
        assert_eq!(summary.first_endpoint(), Some("os"));
        assert!(summary.published.iter().all(|r| r.matches));
        let view = ViewState::default();
        let (first, _) = session.report(&view);
        let selected = ViewState {
            selected: vec![session.whole.ids[3].to_string()],
            ..view.clone()
        };
        let (again, _) = session.report(&selected);
        assert!(Rc::ptr_eq(&first, &again), "a selection is not an analysis");
        let (other, _) = session.report(&filtered("best_response", "PR"));
        assert!(!Rc::ptr_eq(&first, &other));
        let responses = session.whole.best_response.as_ref().unwrap();
        let partial = responses
            .iter()
            .filter(|r| r.map(|r| r.code()) == Some("PR"))
            .count();
        assert_eq!(other.cohort.len(), partial);

        let conventions = view_conventions(&view, session.study.as_ref().map(|s| s.denominator));
        let direct = view_report(
            &session.whole,
            &ViewSpec::of_view(&view, session.study.as_ref()),
        );
        let model = session.view(&view, OPTIONS);
        let (header, rows) = crate::figures::table::rows(&direct.columns, &conventions);
        assert_eq!((model.header, model.rows), (header, rows));
        assert_eq!(model.patients, 66);
        let orr = direct.columns[0]
            .analysis
            .response
            .as_ref()
            .unwrap()
            .orr
            .unwrap();
        assert_eq!(
            model.orr_text,
            format!("{}/66 ({})", orr.k, percent(orr.estimate, 1))
        );
    }

    #[test]
    fn selected_patients_are_read_out_in_the_waterfall_and_listed_in_selection_order() {
        let (mut session, _) = lifileucel();
        let ids: Vec<String> = vec![
            session.whole.ids[10].to_string(),
            session.whole.ids[2].to_string(),
        ];
        let view = ViewState {
            selected: ids.clone(),
            ..ViewState::default()
        };
        let model = session.view(&view, OPTIONS);
        let listed: Vec<&str> = model.selected.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(listed, [ids[0].as_str(), ids[1].as_str()]);
        let waterfall = model.waterfall.expect("a waterfall");
        let measured = waterfall
            .data
            .patients
            .iter()
            .find(|p| p.best_change_pct.is_some() && ids.contains(&p.id))
            .expect("a selected patient with a bar");
        let text = waterfall.readout(&measured.id).expect("a readout");
        assert!(text.starts_with(&format!("{} · {}", measured.id, measured.response.code())));
        assert!(text.ends_with(" · selected"), "{text}");
        assert_eq!(waterfall.readout("no such patient"), None);
        assert_eq!(waterfall.shown() + waterfall.not_shown(), 66);
    }

    #[test]
    fn patients_are_found_and_exported_among_those_of_the_view() {
        let (mut session, _) = lifileucel();
        let view = filtered("best_response", "CR");
        let model = session.view(&view, OPTIONS);
        assert_eq!(model.patients, 2);
        let csv = session.export(&view, ExportKind::CohortCsv).expect("a CSV");
        assert_eq!(csv.text.lines().count(), 3, "{}", csv.text);
        let first = csv.text.lines().nth(1).unwrap();
        let id = first.split(',').next().unwrap();
        assert_eq!(session.pick_patient(&view, id).as_deref(), Some(id));
        assert_eq!(session.find_patients(&view, id), [id.to_string()]);
        // A patient of the whole cohort who is not in the view is not found.
        let outside = session
            .whole
            .ids
            .iter()
            .find(|x| !csv.text.contains(x))
            .unwrap()
            .to_string();
        assert_eq!(session.pick_patient(&view, &outside), None);
        let json = session.export(&view, ExportKind::AnalysisJson).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json.text).unwrap();
        assert_eq!(value["n"], 2, "{}", json.text);
    }
}
