//! The session behind the page's requests ([`Request`] → [`Reply`]): what
//! the page's Web Worker runs, and the page itself where no worker can be
//! started. An import is stepped ([`Server::step`]) so that whoever runs it
//! can report progress between steps (and, on the page's thread, yield).

use super::protocol::{LinkPack, Reply, Request};
use super::{view_file, Session};
use crate::data::studies;
use crate::data::xpt::looks_like_xpt;
use crate::data::{ImportFailure, ImportJob, InputFile};
use crate::report::view_input;
use crate::share::{self, EncodeError, LinkData, Source, ViewState};

/// An import under way: its job, and what the session will know of it.
struct Importing {
    revision: u32,
    job: ImportJob,
    study: Option<String>,
    link: Option<LinkPack>,
}

/// The session of the last import, answering the page's requests.
#[derive(Default)]
pub struct Server {
    session: Option<(u32, Session)>,
    importing: Option<Importing>,
}

/// The view a request's fragment describes (a fragment the page wrote).
fn view_of(fragment: &str) -> Result<ViewState, String> {
    share::decode(fragment)
        .map(|d| d.state)
        .map_err(|e| format!("the view could not be read: {e}"))
}

fn failed(revision: u32, message: String) -> Reply {
    Reply::Imported {
        revision,
        result: Err(Box::new(ImportFailure::error(message))),
        link: None,
    }
}

/// The one text file of `files` packed for a link (`None`: not one UTF-8
/// text file).
fn link_pack(files: &[InputFile]) -> Option<LinkPack> {
    let [one] = files else { return None };
    if looks_like_xpt(&one.bytes) {
        return None;
    }
    let csv = std::str::from_utf8(&one.bytes).ok()?;
    Some(match LinkData::pack(&one.name, csv) {
        Ok(data) => LinkPack::Packed(data),
        Err(EncodeError::DataTooLarge { bytes }) => LinkPack::TooLarge(bytes),
        Err(_) => return None,
    })
}

impl Server {
    /// Answers `request` (`files`: the bytes of the files an import names,
    /// in order); an import is only started here, its replies come from
    /// [`Server::step`]. A request of an earlier import is not answered:
    /// the page no longer waits for it.
    pub fn handle(&mut self, request: Request, files: Vec<Vec<u8>>) -> Option<Reply> {
        match request {
            Request::Import {
                revision,
                fragment,
                files: names,
                study,
                packed,
                link,
            } => {
                self.session = None;
                self.importing = None;
                let view = match view_of(&fragment) {
                    Ok(view) => view,
                    Err(message) => return Some(failed(revision, message)),
                };
                let files: Vec<InputFile> = match (&study, &packed) {
                    (Some(id), _) => match view_input::source_files(&Source::Study(id.clone()))
                        .unwrap_or_else(|| Err(format!("there is no built-in study {id:?}")))
                    {
                        Ok(files) => files,
                        Err(message) => return Some(failed(revision, message)),
                    },
                    (None, Some(packed)) => match packed.unpack() {
                        Ok(data) => vec![InputFile::new(data.name, data.csv.into_bytes())],
                        Err(error) => {
                            return Some(failed(
                                revision,
                                format!("the data embedded in the link cannot be used: {error}"),
                            ))
                        }
                    },
                    (None, None) if names.len() != files.len() => {
                        return Some(failed(
                            revision,
                            format!("{} file names for {} files", names.len(), files.len()),
                        ))
                    }
                    (None, None) => names
                        .into_iter()
                        .zip(files)
                        .map(|(name, bytes)| InputFile::new(name, bytes))
                        .collect(),
                };
                let options = view_input::import_options(&view, &files);
                // A link's data are packed already, as the link holds them.
                let link = match (link, packed) {
                    (false, _) => None,
                    (true, Some(packed)) => Some(LinkPack::Packed(packed)),
                    (true, None) => link_pack(&files),
                };
                match ImportJob::new(files, &options) {
                    Ok(job) => {
                        self.importing = Some(Importing {
                            revision,
                            job,
                            study,
                            link,
                        });
                        None
                    }
                    Err(failure) => Some(Reply::Imported {
                        revision,
                        result: Err(Box::new(failure)),
                        link,
                    }),
                }
            }
            Request::View {
                revision,
                seq,
                fragment,
                options,
            } => self.answer(revision, &fragment, |session, view| Reply::View {
                revision,
                seq,
                model: Box::new(session.view(view, options)),
            }),
            Request::FindPatients {
                revision,
                fragment,
                query,
            } => self.answer(revision, &fragment, |session, view| Reply::Patients {
                revision,
                ids: session.find_patients(view, &query),
                query,
            }),
            Request::PickPatient {
                revision,
                fragment,
                typed,
            } => self.answer(revision, &fragment, |session, view| Reply::Picked {
                revision,
                id: session.pick_patient(view, &typed),
                typed,
            }),
            Request::Export {
                revision,
                fragment,
                kind,
            } => self.answer(revision, &fragment, |session, view| Reply::Exported {
                revision,
                result: session.export(view, kind),
            }),
            Request::ViewFile {
                fragment,
                source,
                carried,
            } => Some(Reply::File {
                result: view_file::write(&fragment, source, carried, &files),
            }),
            Request::ReadViewFile => Some(Reply::ViewFileRead {
                result: view_file::read(&files).map(Box::new),
            }),
        }
    }

    /// `reply` of the session of `revision` to the view `fragment`.
    fn answer(
        &mut self,
        revision: u32,
        fragment: &str,
        reply: impl FnOnce(&mut Session, &ViewState) -> Reply,
    ) -> Option<Reply> {
        let (r, session) = self.session.as_mut()?;
        if *r != revision {
            return None;
        }
        Some(match view_of(fragment) {
            Ok(view) => reply(session, &view),
            Err(message) => Reply::Failed { message },
        })
    }

    /// Reads up to `rows` more rows of the import under way: its progress,
    /// or once every row is read, the summary of the new session (or why
    /// there is none). `None` when no import is under way.
    pub fn step(&mut self, rows: usize) -> Option<Reply> {
        let importing = self.importing.as_mut()?;
        let revision = importing.revision;
        if !importing.job.is_done() {
            let progress = importing.job.step(rows);
            return Some(Reply::Progress { revision, progress });
        }
        let Importing {
            job, study, link, ..
        } = self.importing.take()?;
        Some(Reply::Imported {
            revision,
            link,
            result: match job.finish() {
                Ok(cohort) => {
                    let info = study.as_deref().and_then(studies::by_id).map(|s| s.info);
                    let (session, summary) = Session::new(cohort, info);
                    self.session = Some((revision, session));
                    Ok(Box::new(summary))
                }
                Err(failure) => Err(Box::new(failure)),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ViewOptions;

    const OPTIONS: ViewOptions = ViewOptions {
        colour_by_group: false,
        swimmer_responders_only: true,
    };

    /// Every reply until the import of `request` ends, the last one first.
    fn import(server: &mut Server, request: Request, files: Vec<Vec<u8>>) -> Vec<Reply> {
        let mut replies: Vec<Reply> = server.handle(request, files).into_iter().collect();
        while let Some(reply) = server.step(10) {
            replies.push(reply);
        }
        replies.reverse();
        replies
    }

    fn fragment(view: &ViewState) -> String {
        share::encode(view).expect("a view without data has a link")
    }

    #[test]
    fn a_study_is_imported_in_steps_then_its_views_are_answered() {
        let mut server = Server::default();
        let request = Request::Import {
            revision: 4,
            fragment: fragment(&ViewState::default()),
            files: Vec::new(),
            study: Some("herlev-til".to_string()),
            packed: None,
            link: false,
        };
        let replies = import(&mut server, request, Vec::new());
        let Reply::Imported {
            revision: 4,
            result: Ok(summary),
            link: None,
        } = &replies[0]
        else {
            panic!("{:?}", replies[0]);
        };
        assert_eq!(summary.patients, 25);
        assert!(!summary.published.is_empty());
        let steps = replies[1..]
            .iter()
            .filter(|r| matches!(r, Reply::Progress { revision: 4, .. }));
        assert_eq!(steps.count(), replies.len() - 1);
        assert!(replies.len() > 2, "25 rows, 10 a step: {replies:?}");

        let view = ViewState::default();
        let reply = server.handle(
            Request::View {
                revision: 4,
                seq: 2,
                fragment: fragment(&view),
                options: OPTIONS,
            },
            Vec::new(),
        );
        let Some(Reply::View { seq: 2, model, .. }) = reply else {
            panic!("{reply:?}");
        };
        assert_eq!(model.patients, 25);
        // A request of another import is not answered.
        let stale = Request::View {
            revision: 3,
            seq: 3,
            fragment: fragment(&view),
            options: OPTIONS,
        };
        assert_eq!(server.handle(stale, Vec::new()), None);
    }

    #[test]
    fn files_travel_beside_the_request_and_a_bad_one_is_a_failed_import() {
        let mut server = Server::default();
        let csv = b"patient_id,best_response\nA,PR\nB,PD\n".to_vec();
        let request = |files: Vec<String>| Request::Import {
            revision: 1,
            fragment: fragment(&ViewState::default()),
            files,
            study: None,
            packed: None,
            link: true,
        };
        let replies = import(
            &mut server,
            request(vec!["mine.csv".into()]),
            vec![csv.clone()],
        );
        let Reply::Imported {
            result: Ok(summary),
            link: Some(LinkPack::Packed(data)),
            ..
        } = &replies[0]
        else {
            panic!("{replies:?}");
        };
        assert_eq!(summary.patients, 2);
        // The link the page writes with the packed data is the link of the data.
        let embedded = ViewState {
            source: Some(share::Source::Embedded(share::EmbeddedData {
                name: "mine.csv".into(),
                csv: String::from_utf8(csv.clone()).unwrap(),
            })),
            ..ViewState::default()
        };
        assert_eq!(
            share::encode_with_data(&ViewState::default(), data).unwrap(),
            share::encode(&embedded).unwrap()
        );
        let replies = import(&mut server, request(vec![]), vec![csv]);
        let Reply::Imported {
            result: Err(failure),
            ..
        } = &replies[0]
        else {
            panic!("{replies:?}");
        };
        assert_eq!(failure.messages[0].text, "0 file names for 1 files");
        // The failed import ended the session before it.
        assert_eq!(server.step(1), None, "no import under way");
        let view = Request::View {
            revision: 1,
            seq: 1,
            fragment: fragment(&ViewState::default()),
            options: OPTIONS,
        };
        assert_eq!(server.handle(view, Vec::new()), None);
        let replies = import(
            &mut server,
            request(vec!["x.bin".into()]),
            vec![vec![0, 159, 146, 150]],
        );
        assert!(
            matches!(&replies[0], Reply::Imported { result: Err(_), .. }),
            "{replies:?}"
        );
    }

    #[test]
    fn only_one_utf8_text_file_is_packed_for_a_link() {
        let latin1 = b"patient_id,best_response\nJos\xe9,PR\nB,PD\n".to_vec();
        let xpt = include_bytes!("../../tests/fixtures/xpt/basic_v5.xpt").to_vec();
        let csv = b"patient_id,best_response\nA,PR\n".to_vec();
        for (files, packed) in [
            (vec![latin1], false),
            (vec![xpt], false),
            (vec![csv.clone(), csv.clone()], false),
            (vec![csv], true),
        ] {
            let names = (0..files.len()).map(|i| format!("f{i}.csv")).collect();
            let request = Request::Import {
                revision: 1,
                fragment: fragment(&ViewState::default()),
                files: names,
                study: None,
                packed: None,
                link: true,
            };
            let replies = import(&mut Server::default(), request, files);
            let Reply::Imported { link, .. } = &replies[0] else {
                panic!("{replies:?}");
            };
            assert_eq!(
                matches!(link, Some(LinkPack::Packed(_))),
                packed,
                "{link:?}"
            );
            assert!(packed || link.is_none(), "{link:?}");
        }
    }

    #[test]
    fn a_links_packed_data_are_unpacked_and_checked_here() {
        let csv = "patient_id,best_response\nA,PR\nB,PD\nC,CR\n";
        let data = share::EmbeddedData {
            name: "linked.csv".into(),
            csv: csv.into(),
        };
        let link = share::encode(&ViewState {
            source: Some(share::Source::Embedded(data)),
            ..ViewState::default()
        })
        .unwrap();
        let request = |link: &str| Request::Import {
            revision: 2,
            fragment: fragment(&ViewState::default()),
            files: Vec::new(),
            study: None,
            packed: share::decode_deferring_data(link).unwrap().packed,
            link: true,
        };
        let replies = import(&mut Server::default(), request(&link), Vec::new());
        let Reply::Imported {
            result: Ok(summary),
            link: Some(LinkPack::Packed(packed)),
            ..
        } = &replies[0]
        else {
            panic!("{replies:?}");
        };
        assert_eq!(summary.patients, 3);
        // The link is written again from the data as they came.
        assert_eq!(
            share::encode_with_data(&ViewState::default(), packed).unwrap(),
            link
        );
        let damaged = link.replace("rows=3", "rows=5");
        let replies = import(&mut Server::default(), request(&damaged), Vec::new());
        let Reply::Imported {
            result: Err(failure),
            ..
        } = &replies[0]
        else {
            panic!("{replies:?}");
        };
        assert!(
            failure.messages[0]
                .text
                .starts_with("the data embedded in the link cannot be used: "),
            "{failure:?}"
        );
        assert!(failure.messages[0].text.contains("damaged"), "{failure:?}");
    }
}
