//! Importing a cohort without freezing the page: the data module's
//! [`ImportJob`] is stepped a few thousand rows at a time, yielding to the
//! event loop in between and reporting progress; and the column mapping as
//! the link carries it (role → column).

use std::collections::BTreeMap;
use std::time::Duration;

use yew::prelude::*;

use super::state::{Action, AppState, Shared};
use crate::data::columns::{EndpointColumns, EventColumn, TimeColumn, STANDARD_ENDPOINTS};
use crate::data::values::TimeUnit;
use crate::data::{ColumnMapping, ImportJob};

/// Rows read between two yields to the event loop.
pub const ROWS_PER_STEP: usize = 2_000;

/// Imports `csv` with `mapping` (`None`: guessed from the header) as the
/// import of `revision`, dispatching progress and the result.
pub fn run(
    dispatch: UseReducerDispatcher<AppState>,
    revision: u32,
    csv: Vec<u8>,
    mapping: Option<ColumnMapping>,
) {
    wasm_bindgen_futures::spawn_local(async move {
        // Let the page paint "importing…" first.
        yew::platform::time::sleep(Duration::ZERO).await;
        let mut job = match ImportJob::new(csv, mapping) {
            Ok(job) => job,
            Err(failure) => {
                dispatch.dispatch(Action::ImportDone {
                    revision,
                    result: Err(Shared(failure.into())),
                });
                return;
            }
        };
        while !job.is_done() {
            let progress = job.step(ROWS_PER_STEP);
            dispatch.dispatch(Action::ImportProgress { revision, progress });
            yew::platform::time::sleep(Duration::ZERO).await;
        }
        let result = job
            .finish()
            .map(|c| Shared(c.into()))
            .map_err(|f| Shared(f.into()));
        dispatch.dispatch(Action::ImportDone { revision, result });
    });
}

/// One role of the mapping step.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// The key in the link's `map=` ("id", "os_time", …).
    pub key: String,
    /// What the user reads ("Overall survival: time").
    pub label: String,
}

/// The roles of the mapping step: patient id, response, change, time to
/// response, and a time and event column per endpoint (the standard three
/// and any other the guess found).
pub fn roles(guess: &ColumnMapping) -> Vec<Role> {
    let role = |key: &str, label: String| Role {
        key: key.to_string(),
        label,
    };
    let mut out = vec![
        role("id", "Patient id".into()),
        role("response", "Best overall response".into()),
        role("change", "Best % change from baseline".into()),
        role("ttr", "Time to response".into()),
    ];
    let mut keys: Vec<String> = STANDARD_ENDPOINTS
        .iter()
        .map(|(k, _)| k.to_string())
        .collect();
    for e in &guess.endpoints {
        if !keys.contains(&e.key) {
            keys.push(e.key.clone());
        }
    }
    for key in keys {
        let label = crate::data::columns::endpoint_label(&key);
        out.push(role(&format!("{key}_time"), format!("{label}: time")));
        out.push(role(
            &format!("{key}_event"),
            format!("{label}: event (1 = event)"),
        ));
    }
    out
}

/// The mapping as role → column.
pub fn to_map(mapping: &ColumnMapping) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let mut put = |role: String, column: Option<&String>| {
        if let Some(c) = column {
            map.insert(role, c.clone());
        }
    };
    put("id".into(), mapping.patient_id.as_ref());
    put("response".into(), mapping.best_response.as_ref());
    put("change".into(), mapping.best_pct_change.as_ref());
    put("ttr".into(), mapping.ttr.as_ref().map(|t| &t.column));
    for e in &mapping.endpoints {
        put(
            format!("{}_time", e.key),
            e.time.as_ref().map(|t| &t.column),
        );
        put(
            format!("{}_event", e.key),
            e.event.as_ref().map(|t| &t.column),
        );
    }
    map
}

/// The mapping a role → column map describes. Units and censoring flags
/// come from `guess` where it chose the same column; otherwise times are
/// months and 1 is an event.
pub fn from_map(map: &BTreeMap<String, String>, guess: &ColumnMapping) -> ColumnMapping {
    let get = |role: &str| map.get(role).cloned();
    let unit_of = |column: &str| {
        guess
            .endpoints
            .iter()
            .filter_map(|e| e.time.as_ref())
            .chain(guess.ttr.as_ref())
            .find(|t| t.column == column)
            .map_or(TimeUnit::Months, |t| t.unit)
    };
    let censor_of = |column: &str| {
        guess
            .endpoints
            .iter()
            .filter_map(|e| e.event.as_ref())
            .find(|e| e.column == column)
            .is_some_and(|e| e.censor_indicator)
    };
    let mut keys: Vec<String> = Vec::new();
    for role in map.keys() {
        if let Some(key) = role
            .strip_suffix("_time")
            .or_else(|| role.strip_suffix("_event"))
        {
            if !keys.iter().any(|k| k == key) {
                keys.push(key.to_string());
            }
        }
    }
    ColumnMapping {
        patient_id: get("id"),
        best_response: get("response"),
        best_pct_change: get("change"),
        ttr: get("ttr").map(|c| TimeColumn {
            unit: unit_of(&c),
            column: c,
        }),
        endpoints: keys
            .into_iter()
            .map(|key| EndpointColumns {
                time: get(&format!("{key}_time")).map(|c| TimeColumn {
                    unit: unit_of(&c),
                    column: c,
                }),
                event: get(&format!("{key}_event")).map(|c| EventColumn {
                    censor_indicator: censor_of(&c),
                    column: c,
                }),
                key,
            })
            .collect(),
    }
}
