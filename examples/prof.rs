use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let t = Instant::now();
    let c = cohortscope::data::import_csv(bytes, None).unwrap();
    eprintln!("import {:?} ({} rows)", t.elapsed(), c.len());
    if std::env::var("IMPORT_ONLY").is_ok() {
        return;
    }
    let t = Instant::now();
    let spec = cohortscope::report::view::ViewSpec {
        filters: &[],
        grouping: cohortscope::report::view::Grouping::Column("arm"),
        endpoint: None,
        conventions: Default::default(),
        study: None,
    };
    let r = cohortscope::report::view::view_report(&c, &spec);
    eprintln!("view {:?} ({} columns)", t.elapsed(), r.columns.len());
    let t = Instant::now();
    let s = serde_json::to_string(&r.export()).unwrap();
    eprintln!("json {:?} ({} bytes)", t.elapsed(), s.len());
}
