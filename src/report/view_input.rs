//! The import part of a view, as its link carries it: the column mapping
//! (role → column, with each time's unit and each event's coding: the
//! link's `map=`) and the ADaM choices (`pop`, `resp`, `arm`, `params`),
//! turned into the [`ImportOptions`] of [`import_files`](crate::data::import_files).

use std::collections::BTreeMap;

use crate::data::adam::{AdamChoices, Arm, Population};
use crate::data::columns::{EndpointColumns, EventColumn, TimeColumn, STANDARD_ENDPOINTS};
use crate::data::studies;
use crate::data::table::Table;
use crate::data::values::TimeUnit;
use crate::data::{ColumnMapping, ImportOptions, InputFile};
use crate::share::{MappedColumn, Qualifier, Source, ViewState};

/// The files of a view's source: a built-in study's CSV (named by its id)
/// or the data a link embeds; `None` for the user's own files, which the
/// user opens.
pub fn source_files(source: &Source) -> Option<Result<Vec<InputFile>, String>> {
    match source {
        Source::Study(id) => Some(
            studies::by_id(id)
                .map(|s| vec![InputFile::new(id.clone(), s.csv.as_bytes().to_vec())])
                .ok_or_else(|| format!("there is no built-in study {id:?}")),
        ),
        Source::Embedded(data) => Some(Ok(vec![InputFile::new(
            data.name.clone(),
            data.csv.as_bytes().to_vec(),
        )])),
        Source::LocalFiles(_) => None,
    }
}

/// The options the view's files are imported with: the view's column map
/// (units and codings it leaves open taken from the guess of the first
/// file's header), and its ADaM choices.
pub fn import_options(view: &ViewState, files: &[InputFile]) -> ImportOptions {
    let mapping = (!view.column_map.is_empty()).then(|| {
        let guess = files
            .first()
            .and_then(|f| Table::open_header(&f.bytes).ok())
            .map(|table| ColumnMapping::guess(table.headers()).0)
            .unwrap_or_default();
        from_map(&view.column_map, &guess)
    });
    let adam = &view.adam;
    ImportOptions {
        mapping,
        adam: AdamChoices {
            population: adam.population.as_deref().map(Population::parse),
            response_param: adam.response.clone(),
            arm: adam.arm.as_deref().map(Arm::parse),
            endpoints: (!adam.endpoints.is_empty()).then(|| adam.endpoints.clone()),
        },
    }
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
