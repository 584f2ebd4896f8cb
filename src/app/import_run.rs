//! Importing a cohort without freezing the page: the data module's
//! [`ImportJob`] (the one way in) is stepped a few thousand rows at a time,
//! yielding to the event loop in between and reporting progress; and the
//! column mapping as the link carries it (role → column and how to read it).

use std::collections::BTreeMap;
use std::time::Duration;

use yew::prelude::*;

use super::state::{Action, AppState, Shared};
use crate::data::columns::{EndpointColumns, EventColumn, TimeColumn, STANDARD_ENDPOINTS};
use crate::data::values::TimeUnit;
use crate::data::{ColumnMapping, ImportJob, ImportOptions, InputFile};
use crate::share::{MappedColumn, Qualifier};

/// Rows read between two yields to the event loop.
pub const ROWS_PER_STEP: usize = 2_000;

/// Imports `files` with `options` as the import of `revision`,
/// dispatching progress and the result.
pub fn run(
    dispatch: UseReducerDispatcher<AppState>,
    revision: u32,
    files: Vec<InputFile>,
    options: ImportOptions,
) {
    wasm_bindgen_futures::spawn_local(async move {
        // Let the page paint "importing…" first.
        yew::platform::time::sleep(Duration::ZERO).await;
        let mut job = match ImportJob::new(files, &options) {
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

/// What a role's column holds, and so how it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleKind {
    /// Text or a number, read as it is.
    Plain,
    /// A time, in a unit.
    Time,
    /// An event indicator, coded 1 = event or 1 = censored.
    Event,
}

/// One role of the mapping step.
#[derive(Debug, Clone, PartialEq)]
pub struct Role {
    /// The key in the link's `map=` ("id", "os_time", …).
    pub key: String,
    /// What the user reads ("Overall survival: time").
    pub label: String,
    pub kind: RoleKind,
}

/// The roles of the mapping step: patient id, response, change, time to
/// response, and a time and event column per endpoint (the standard three
/// and any other the guess found).
pub fn roles(guess: &ColumnMapping) -> Vec<Role> {
    let role = |key: &str, label: String, kind| Role {
        key: key.to_string(),
        label,
        kind,
    };
    let mut out = vec![
        role("id", "Patient id".into(), RoleKind::Plain),
        role("response", "Best overall response".into(), RoleKind::Plain),
        role(
            "change",
            "Best % change from baseline".into(),
            RoleKind::Plain,
        ),
        role("ttr", "Time to response".into(), RoleKind::Time),
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
        out.push(role(
            &format!("{key}_time"),
            format!("{label}: time"),
            RoleKind::Time,
        ));
        out.push(role(
            &format!("{key}_event"),
            format!("{label}: event or censoring"),
            RoleKind::Event,
        ));
    }
    out
}

fn unit_qualifier(unit: TimeUnit) -> Qualifier {
    match unit {
        TimeUnit::Days => Qualifier::Days,
        TimeUnit::Weeks => Qualifier::Weeks,
        TimeUnit::Months => Qualifier::Months,
        TimeUnit::Years => Qualifier::Years,
    }
}

fn qualifier_unit(q: Qualifier) -> Option<TimeUnit> {
    match q {
        Qualifier::Days => Some(TimeUnit::Days),
        Qualifier::Weeks => Some(TimeUnit::Weeks),
        Qualifier::Months => Some(TimeUnit::Months),
        Qualifier::Years => Some(TimeUnit::Years),
        Qualifier::Event | Qualifier::Censor => None,
    }
}

/// The mapping as role → column, with each time's unit and each event's coding.
pub fn to_map(mapping: &ColumnMapping) -> BTreeMap<String, MappedColumn> {
    let mut map = BTreeMap::new();
    let mut put = |role: String, column: &String, qualifier: Option<Qualifier>| {
        map.insert(
            role,
            MappedColumn {
                column: column.clone(),
                qualifier,
            },
        );
    };
    if let Some(c) = &mapping.patient_id {
        put("id".into(), c, None);
    }
    if let Some(c) = &mapping.best_response {
        put("response".into(), c, None);
    }
    if let Some(c) = &mapping.best_pct_change {
        put("change".into(), c, None);
    }
    if let Some(t) = &mapping.ttr {
        put("ttr".into(), &t.column, Some(unit_qualifier(t.unit)));
    }
    for e in &mapping.endpoints {
        if let Some(t) = &e.time {
            put(
                format!("{}_time", e.key),
                &t.column,
                Some(unit_qualifier(t.unit)),
            );
        }
        if let Some(ev) = &e.event {
            let coding = if ev.censor_indicator {
                Qualifier::Censor
            } else {
                Qualifier::Event
            };
            put(format!("{}_event", e.key), &ev.column, Some(coding));
        }
    }
    map
}

/// The mapping a role → column map describes. A time's unit and an event's
/// coding are the map's where it says; otherwise the guess's for the same
/// column; otherwise months and 1 = event.
pub fn from_map(map: &BTreeMap<String, MappedColumn>, guess: &ColumnMapping) -> ColumnMapping {
    let get = |role: &str| map.get(role);
    let unit_of = |m: &MappedColumn| {
        m.qualifier.and_then(qualifier_unit).unwrap_or_else(|| {
            guess
                .endpoints
                .iter()
                .filter_map(|e| e.time.as_ref())
                .chain(guess.ttr.as_ref())
                .find(|t| t.column == m.column)
                .map_or(TimeUnit::Months, |t| t.unit)
        })
    };
    let censor_of = |m: &MappedColumn| match m.qualifier {
        Some(Qualifier::Censor) => true,
        Some(Qualifier::Event) => false,
        _ => guess
            .endpoints
            .iter()
            .filter_map(|e| e.event.as_ref())
            .find(|e| e.column == m.column)
            .is_some_and(|e| e.censor_indicator),
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
    let time = |m: &MappedColumn| TimeColumn {
        unit: unit_of(m),
        column: m.column.clone(),
    };
    ColumnMapping {
        patient_id: get("id").map(|m| m.column.clone()),
        best_response: get("response").map(|m| m.column.clone()),
        best_pct_change: get("change").map(|m| m.column.clone()),
        ttr: get("ttr").map(time),
        endpoints: keys
            .into_iter()
            .map(|key| EndpointColumns {
                time: get(&format!("{key}_time")).map(time),
                event: get(&format!("{key}_event")).map(|m| EventColumn {
                    censor_indicator: censor_of(m),
                    column: m.column.clone(),
                }),
                key,
            })
            .collect(),
    }
}
