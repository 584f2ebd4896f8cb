//! View files, written and read where the session runs: the page's module
//! carries no JSON reader, no inflater and no CSV reader of its own. A view
//! file (`share::view_file`) is the link's view with its data in full.

use super::protocol::{Carried, ViewFileView};
use super::Export;
use crate::share::{self, EmbeddedData, Source};

/// The name of a downloaded view file.
pub const VIEW_FILE_NAME: &str = "cohortscope-view.json";

/// The view file of the view `fragment` of `source`, carrying the data
/// `carried` names (`files`: the one file's bytes, for [`Carried::File`]).
/// Data that cannot be read as text (an XPT file, a damaged link's data)
/// are not carried: the file names its source, as a link too large for
/// its data does.
pub fn write(
    fragment: &str,
    source: Option<Source>,
    carried: Carried,
    files: &[Vec<u8>],
) -> Result<Export, String> {
    let mut view = share::decode(fragment)
        .map_err(|e| format!("the view could not be read: {e}"))?
        .state;
    let data = match (carried, files) {
        (Carried::Nothing, _) => None,
        (Carried::Packed(data), _) => data.unpack().ok(),
        (Carried::File { name }, [bytes]) => {
            std::str::from_utf8(bytes).ok().map(|csv| EmbeddedData {
                name,
                csv: csv.to_string(),
            })
        }
        (Carried::File { .. }, _) => {
            return Err(format!(
                "the view file could not be written: {} files beside its request, not one",
                files.len()
            ))
        }
    };
    view.source = data.map(Source::Embedded).or(source);
    let text = share::encode_view_file(&view)
        .map_err(|e| format!("the view file could not be written: {e}"))?;
    Ok(Export {
        name: VIEW_FILE_NAME.to_string(),
        mime: "application/json".to_string(),
        text,
    })
}

/// The view the one file of `files` describes, or why it cannot be opened
/// (a sentence the page shows as it is).
pub fn read(files: &[Vec<u8>]) -> Result<ViewFileView, String> {
    let cannot = |why: String| format!("This view file could not be opened: {why}.");
    let [bytes] = files else {
        return Err(cannot(format!("{} files, not one", files.len())));
    };
    let text =
        std::str::from_utf8(bytes).map_err(|e| cannot(format!("it is not UTF-8 text ({e})")))?;
    let mut decoded = share::decode_view_file(text).map_err(|e| cannot(e.to_string()))?;
    let banner = decoded.embedded_banner();
    let issues = decoded.messages();
    let source = decoded.state.source.take();
    let fragment = share::encode(&decoded.state).map_err(|e| cannot(e.to_string()))?;
    Ok(ViewFileView {
        fragment,
        source,
        banner,
        issues,
    })
}

/// Whether the bytes of a dropped file are a view file rather than a table:
/// JSON whose start names the view file format.
pub fn looks_like_one(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(400)]);
    let head = head.trim_start();
    head.starts_with('{') && head.contains("cohortscope.view/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::{ViewState, VIEW_FILE_FORMAT};

    const CSV: &str = "patient_id,best_response\nA,PR\nB,PD\n";

    fn view() -> ViewState {
        ViewState {
            group: Some("arm".to_string()),
            ..ViewState::default()
        }
    }

    /// A view file written with `carried` data, read back.
    fn round_trip(source: Option<Source>, carried: Carried, files: &[Vec<u8>]) -> ViewFileView {
        let fragment = share::encode(&view()).unwrap();
        let file = write(&fragment, source, carried, files).unwrap();
        assert_eq!(file.name, VIEW_FILE_NAME);
        assert!(file.text.contains(VIEW_FILE_FORMAT));
        assert!(looks_like_one(file.text.as_bytes()));
        read(&[file.text.into_bytes()]).unwrap()
    }

    #[test]
    fn a_view_file_carries_its_data_in_full_and_reads_back_as_it_was_written() {
        let embedded = Some(Source::Embedded(EmbeddedData {
            name: "a.csv".to_string(),
            csv: CSV.to_string(),
        }));
        // The one file opened in the page, and a link's packed data.
        let file = Carried::File {
            name: "a.csv".to_string(),
        };
        let packed = Carried::Packed(share::LinkData::pack("a.csv", CSV).unwrap());
        for (carried, files) in [(file, vec![CSV.as_bytes().to_vec()]), (packed, vec![])] {
            let names = Some(Source::LocalFiles(vec!["a.csv".to_string()]));
            let read = round_trip(names, carried, &files);
            assert_eq!(read.source, embedded);
            assert_eq!(share::decode(&read.fragment).unwrap().state, view());
            assert_eq!(
                read.banner.as_deref(),
                Some("this view includes data embedded in the link (2 rows)")
            );
            assert!(read.issues.is_empty(), "{:?}", read.issues);
        }
        // A study, by name.
        let study = Some(Source::Study("herlev-til".to_string()));
        let read = round_trip(study.clone(), Carried::Nothing, &[]);
        assert_eq!((read.source, read.banner), (study, None));
        // Bytes that are not text are not carried: the file names them.
        let names = Some(Source::LocalFiles(vec!["a.xpt".to_string()]));
        let carried = Carried::File {
            name: "a.xpt".to_string(),
        };
        let read = round_trip(names.clone(), carried, &[vec![0xff, 0xfe, 0]]);
        assert_eq!(read.source, names);
    }

    #[test]
    fn what_is_not_a_view_file_is_said_so() {
        assert!(!looks_like_one(CSV.as_bytes()));
        assert!(!looks_like_one(b"{\"a\": 1}"));
        for (files, why) in [
            (vec![], "0 files, not one"),
            (vec![vec![0xff]], "it is not UTF-8 text"),
            (
                vec![b"{\"format\": 1}".to_vec()],
                "This view file could not be opened: ",
            ),
        ] {
            let error = read(&files).unwrap_err();
            assert!(
                error.starts_with("This view file could not be opened: "),
                "{error}"
            );
            assert!(error.contains(why), "{error}");
        }
        let carried = Carried::File {
            name: "a.csv".to_string(),
        };
        let error = write("v=1", None, carried, &[]).unwrap_err();
        assert!(error.contains("0 files beside its request"), "{error}");
    }
}
