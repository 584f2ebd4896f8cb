//! The messages between the page and its session when the session runs in
//! a Web Worker: requests from the page, replies from the worker, in
//! postcard's compact binary form of their serde data model (exact `f64`s;
//! far less code in the page's module than JSON's reader), a file's bytes
//! beside the request, transferred, not copied.
//! A view travels as its link fragment ([`share::encode`](crate::share::encode)),
//! the versioned public form of a view, decoded by the worker as a link is.

use serde::{Deserialize, Serialize};

use super::{CohortSummary, Export, ExportKind, PageModel, ViewOptions};
use crate::data::studies::{self, StudyCard};
use crate::data::{ImportFailure, Progress};
use crate::report::curve::{Curve, CurveRow};
use crate::report::view::{GroupCurve, Survival};
use crate::share::{LinkData, Source};
use std::rc::Rc;

/// A file's text packed for a link, or too large for one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkPack {
    Packed(LinkData),
    /// The link would need at least this many characters of data.
    TooLarge(usize),
}

/// The data a view carries into its view file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Carried {
    /// None: the view file names its source only.
    Nothing,
    /// A link's data, still packed.
    Packed(LinkData),
    /// The one file beside the request (its text), opened as `name`.
    File { name: String },
}

/// A view file read: the view as a link fragment (without its source), its
/// source (data it carries in full), and what the page says of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewFileView {
    pub fragment: String,
    pub source: Option<Source>,
    /// "this view includes data embedded in the link (66 rows)".
    pub banner: Option<String>,
    /// Warnings and per-key errors, one sentence each.
    pub issues: Vec<String>,
}

/// What the page asks of its session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Import a built-in study, a link's embedded data (`packed`, unpacked
    /// and checked here), or the files named here (whose bytes travel
    /// beside the request, in order), with the column map and ADaM choices
    /// of the view `fragment`, as the import of `revision`.
    Import {
        revision: u32,
        fragment: String,
        files: Vec<String>,
        /// The built-in study to import instead of files.
        study: Option<String>,
        /// A link's data, still packed, to import instead of files.
        packed: Option<LinkData>,
        /// Pack the one file's text for a link too (data a link carries).
        link: bool,
    },
    /// The model of the view `fragment`.
    View {
        revision: u32,
        seq: u32,
        fragment: String,
        options: ViewOptions,
    },
    /// The patients of the view matching `query`.
    FindPatients {
        revision: u32,
        fragment: String,
        query: String,
    },
    /// The one patient of the view that `typed` names.
    PickPatient {
        revision: u32,
        fragment: String,
        typed: String,
    },
    /// A file of the view.
    Export {
        revision: u32,
        fragment: String,
        kind: ExportKind,
    },
    /// The view file of the view `fragment` of `source`, with the data the
    /// view carries (answered whatever the import).
    ViewFile {
        fragment: String,
        source: Option<Source>,
        carried: Carried,
    },
    /// The view that the view file beside the request describes.
    ReadViewFile,
}

/// What the session answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The session is ready for requests; what the page shows of each
    /// built-in study (the page's module does not read their metadata).
    Ready {
        studies: Vec<StudyCard>,
    },
    Progress {
        revision: u32,
        progress: Progress,
    },
    Imported {
        revision: u32,
        result: Result<Box<CohortSummary>, Box<ImportFailure>>,
        /// The file packed for a link, when asked for.
        link: Option<LinkPack>,
    },
    View {
        revision: u32,
        seq: u32,
        model: Box<PageModel>,
    },
    /// The matches of `query` (the page shows them while it is typed).
    Patients {
        revision: u32,
        query: String,
        ids: Vec<String>,
    },
    Picked {
        revision: u32,
        typed: String,
        id: Option<String>,
    },
    Exported {
        revision: u32,
        result: Result<Export, String>,
    },
    /// A file not of one import (a view file).
    File {
        result: Result<Export, String>,
    },
    /// A view file read.
    ViewFileRead {
        result: Result<Box<ViewFileView>, String>,
    },
    /// A request that could not be read or answered.
    Failed {
        message: String,
    },
}

impl Reply {
    /// The first reply of a session.
    pub fn ready() -> Reply {
        Reply::Ready {
            studies: studies::cards(),
        }
    }
}

impl Request {
    /// The request as it travels.
    pub fn to_bytes(&self) -> Vec<u8> {
        // Writing to memory fails only for a type serde cannot describe
        // without its length, which no request holds.
        postcard::to_allocvec(self).expect("a request is written")
    }

    /// A request read back, or why it cannot be (the worker answers that
    /// with [`Reply::Failed`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Request, String> {
        read(bytes).map_err(|e| format!("a request could not be read: {e}"))
    }
}

impl Reply {
    /// The reply as it travels; one that cannot be written travels as
    /// [`Reply::Failed`] saying so.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_else(|e| {
            Reply::Failed {
                message: format!("the reply could not be written: {e}"),
            }
            .to_bytes()
        })
    }

    /// A reply read back; bytes that are not one are a [`Reply::Failed`].
    pub fn from_bytes(bytes: &[u8]) -> Reply {
        read(bytes).unwrap_or_else(|e| Reply::Failed {
            message: format!("a reply could not be read: {e}"),
        })
    }
}

/// The one message that is all of `bytes`.
fn read<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, String> {
    match postcard::take_from_bytes(bytes).map_err(|e| e.to_string())? {
        (message, []) => Ok(message),
        (_, rest) => Err(format!("{} bytes after its end", rest.len())),
    }
}

/// Numbers per Kaplan–Meier table row beside a view's message: time, at
/// risk, events, censorings, Ŝ, its standard error and limits (0 when
/// missing), and which of those three are present (bits 1, 2, 4): a missing
/// value is said so, never a NaN.
const ROW_NUMBERS: usize = 9;

fn row_numbers(r: &CurveRow) -> [f64; ROW_NUMBERS] {
    let optional = [r.std_err, r.lower, r.upper];
    let present = optional
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_some())
        .fold(0u8, |mask, (bit, _)| mask | 1 << bit);
    let [std_err, lower, upper] = optional.map(|v| v.unwrap_or(0.0));
    [
        r.time,
        r.n_risk as f64,
        r.n_event as f64,
        r.n_censor as f64,
        r.survival,
        std_err,
        lower,
        upper,
        f64::from(present),
    ]
}

fn numbers_row(v: &[f64]) -> Result<CurveRow, String> {
    let count = |x: f64| {
        (x >= 0.0 && x.fract() == 0.0 && x <= 2f64.powi(53))
            .then_some(x as usize)
            .ok_or_else(|| format!("a count of {x} in a curve's table"))
    };
    let present = count(v[8]).ok().filter(|&m| m < 8);
    let present =
        present.ok_or_else(|| format!("a presence mask of {} in a curve's table", v[8]))?;
    let value = |bit: usize| (present >> bit & 1 == 1).then_some(v[5 + bit]);
    Ok(CurveRow {
        time: v[0],
        n_risk: count(v[1])?,
        n_event: count(v[2])?,
        n_censor: count(v[3])?,
        survival: v[4],
        std_err: value(0),
        lower: value(1),
        upper: value(2),
    })
}

/// A copy of `survival` with empty curve tables (the tables not copied).
fn without_tables(survival: &Survival) -> Survival {
    Survival {
        key: survival.key.clone(),
        label: survival.label.clone(),
        conf_level: survival.conf_level,
        curves: survival
            .curves
            .iter()
            .map(|c| {
                let k = &c.curve;
                GroupCurve {
                    label: c.label.clone(),
                    curve: Curve {
                        label: k.label.clone(),
                        n: k.n,
                        events: k.events,
                        censored: k.censored,
                        table: Vec::new(),
                        median: k.median,
                        landmarks: k.landmarks.clone(),
                        rmst: k.rmst,
                        follow_up: k.follow_up,
                    },
                }
            })
            .collect(),
        group: survival.group.clone(),
        comparison: survival.comparison.clone(),
    }
}

impl Reply {
    /// Takes the Kaplan–Meier tables out of a view's model (none from
    /// another reply): one list of numbers per curve, [`ROW_NUMBERS`] a
    /// row. They travel beside the message, as transferred buffers: a
    /// curve of 100,000 steps is megabytes to read on the page's thread,
    /// its numbers one copy.
    pub fn take_tables(&mut self) -> Vec<Vec<f64>> {
        let Reply::View { model, .. } = self else {
            return Vec::new();
        };
        let Some(survival) = model.survival.as_mut() else {
            return Vec::new();
        };
        let tables = survival
            .curves
            .iter()
            .map(|c| c.curve.table.iter().flat_map(row_numbers).collect())
            .collect();
        *survival = Rc::new(without_tables(survival));
        tables
    }

    /// Puts back the tables [`Reply::take_tables`] took, or says why they
    /// do not fit the model.
    pub fn put_tables(&mut self, tables: Vec<Vec<f64>>) -> Result<(), String> {
        let survival = match self {
            Reply::View { model, .. } => model.survival.as_mut(),
            _ => None,
        };
        let Some(survival) = survival else {
            return match tables.is_empty() {
                true => Ok(()),
                false => Err("curve tables for a reply without curves".to_string()),
            };
        };
        let survival = Rc::make_mut(survival);
        if tables.len() != survival.curves.len() {
            return Err(format!(
                "{} curve tables for {} curves",
                tables.len(),
                survival.curves.len()
            ));
        }
        for (curve, numbers) in survival.curves.iter_mut().zip(tables) {
            if numbers.len() % ROW_NUMBERS != 0 {
                return Err(format!("a curve table of {} numbers", numbers.len()));
            }
            curve.curve.table = numbers
                .chunks_exact(ROW_NUMBERS)
                .map(numbers_row)
                .collect::<Result<_, _>>()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_a_message_is_said_so() {
        let request = Request::FindPatients {
            revision: 3,
            fragment: "v=1".into(),
            query: "P0".into(),
        };
        let bytes = request.to_bytes();
        assert_eq!(Request::from_bytes(&bytes), Ok(request));
        let mut longer = bytes.clone();
        longer.push(0);
        for bytes in [
            &[][..],
            &bytes[..bytes.len() - 1],
            &longer,
            // A variant past the last.
            &[99, 1, 0],
        ] {
            let error = Request::from_bytes(bytes).unwrap_err();
            assert!(
                error.starts_with("a request could not be read: "),
                "{error}"
            );
        }
        let reply = Reply::Picked {
            revision: 1,
            typed: "p1".into(),
            id: Some("P1".into()),
        };
        assert_eq!(Reply::from_bytes(&reply.to_bytes()), reply);
        let Reply::Failed { message } = Reply::from_bytes(&[200, 1, 2]) else {
            panic!("not a reply read as one");
        };
        assert!(
            message.starts_with("a reply could not be read: "),
            "{message}"
        );
    }
    use crate::data::{import_csv, studies};
    use crate::engine::Session;
    use crate::share::ViewState;

    /// `reply` as the page reads it: written by the worker, read back.
    fn travelled(reply: &Reply) -> Reply {
        let bytes = postcard::to_allocvec(reply).expect("a reply is written");
        read(&bytes).expect("a reply is read")
    }

    #[test]
    fn every_view_of_the_built_in_studies_arrives_as_it_was_computed() {
        let options = ViewOptions {
            colour_by_group: true,
            swimmer_responders_only: false,
        };
        for study in studies::all() {
            let cohort = import_csv(study.csv.as_bytes().to_vec(), None).unwrap();
            let group = cohort.grouping_columns().next().map(|c| c.name.clone());
            let selected = vec![cohort.ids[0].to_string()];
            let (mut session, summary) = Session::new(cohort, Some(study.info.clone()));
            let imported = Reply::Imported {
                revision: 1,
                result: Ok(Box::new(summary)),
                link: None,
            };
            assert_eq!(travelled(&imported), imported, "{}", study.info.id);
            for group in [None, group] {
                let view = ViewState {
                    group,
                    selected: selected.clone(),
                    ..ViewState::default()
                };
                let model = session.view(&view, options);
                assert!(model.survival.is_some() && model.waterfall.is_some());
                let reply = Reply::View {
                    revision: 1,
                    seq: 7,
                    model: Box::new(model),
                };
                assert_eq!(
                    travelled(&reply),
                    reply,
                    "{}: {:?}",
                    study.info.id,
                    view.group
                );
                // And with its curve tables beside the message, as the worker sends it.
                let mut sent = reply.clone();
                let tables = sent.take_tables();
                assert!(!tables.is_empty() && tables.iter().all(|t| !t.is_empty()));
                let mut arrived = Reply::from_bytes(&sent.to_bytes());
                arrived.put_tables(tables).unwrap();
                assert_eq!(arrived, reply, "{}: {:?}", study.info.id, view.group);
            }
        }
    }

    #[test]
    fn a_table_row_keeps_which_values_are_missing() {
        for mask in 0..8u8 {
            let value = |bit: u8, x: f64| (mask >> bit & 1 == 1).then_some(x);
            let row = CurveRow {
                time: 2.5,
                n_risk: 10,
                n_event: 2,
                n_censor: 1,
                survival: 0.0,
                std_err: value(0, 0.0),
                lower: value(1, 0.25),
                upper: value(2, -0.0),
            };
            assert_eq!(numbers_row(&row_numbers(&row)), Ok(row));
        }
    }

    #[test]
    fn long_curves_travel_beside_the_message_and_bad_tables_are_refused() {
        // 20,000 patients with times of their own: curves of 20,000 steps.
        let mut csv = String::from("patient_id,os_months,os_event,arm\n");
        for i in 0..20_000u64 {
            let t = (i * 7919 % 20_000) as f64 / 300.0 + 0.001;
            csv += &format!(
                "P{i},{t:.6},{},{}\n",
                i % 3 != 0,
                ["A", "B"][i as usize % 2]
            );
        }
        let cohort = import_csv(
            csv.replace("true", "1").replace("false", "0").into_bytes(),
            None,
        )
        .unwrap();
        let (mut session, _) = Session::new(cohort, None);
        let view = ViewState {
            group: Some("arm".into()),
            ..ViewState::default()
        };
        let options = ViewOptions {
            colour_by_group: false,
            swimmer_responders_only: true,
        };
        let reply = Reply::View {
            revision: 1,
            seq: 1,
            model: Box::new(session.view(&view, options)),
        };
        let mut sent = reply.clone();
        let tables = sent.take_tables();
        assert_eq!(
            tables.iter().map(Vec::len).sum::<usize>(),
            20_000 * ROW_NUMBERS
        );
        let bytes = sent.to_bytes();
        assert!(
            bytes.len() < reply.to_bytes().len() / 20,
            "{} bytes",
            bytes.len()
        );
        let mut arrived = Reply::from_bytes(&bytes);
        arrived.put_tables(tables.clone()).unwrap();
        assert_eq!(arrived, reply);
        // Tables that do not fit the model.
        let mut bad = tables.clone();
        bad.pop();
        assert!(Reply::from_bytes(&bytes).put_tables(bad).is_err());
        let mut bad = tables.clone();
        bad[0].pop();
        assert!(Reply::from_bytes(&bytes).put_tables(bad).is_err());
        let mut bad = tables.clone();
        bad[0][1] = -1.0;
        assert!(Reply::from_bytes(&bytes).put_tables(bad).is_err());
        let mut bad = tables;
        bad[0][8] = 8.0;
        assert!(Reply::from_bytes(&bytes).put_tables(bad).is_err());
        assert!(Reply::ready().put_tables(vec![vec![1.0]]).is_err());
        assert_eq!(Reply::ready().take_tables(), Vec::<Vec<f64>>::new());
    }

    #[test]
    fn a_failed_import_and_a_request_arrive_as_they_were_sent() {
        let failure = import_csv(b"id,colour\n1,red\n".to_vec(), None).unwrap_err();
        let data = LinkData::pack("a.csv", "id,colour\n1,red\n").unwrap();
        let reply = Reply::Imported {
            revision: 3,
            result: Err(Box::new(failure)),
            link: Some(LinkPack::Packed(data)),
        };
        assert_eq!(travelled(&reply), reply);
        let request = Request::View {
            revision: 3,
            seq: 1,
            fragment: "v=1&group=arm".to_string(),
            options: ViewOptions {
                colour_by_group: false,
                swimmer_responders_only: true,
            },
        };
        assert_eq!(Request::from_bytes(&request.to_bytes()), Ok(request));
        // An import request with and without a link's packed data.
        for packed in [None, Some(LinkData::pack("b.csv", "id\n1\n").unwrap())] {
            let request = Request::Import {
                revision: 4,
                fragment: "v=1".to_string(),
                files: vec!["b.csv".to_string()],
                study: None,
                packed,
                link: true,
            };
            assert_eq!(Request::from_bytes(&request.to_bytes()), Ok(request));
        }
    }
}
