//! The synthetic cohort file the benchmarks read.

/// A cohort file of `n` patients in the import schema, with two covariates.
pub fn cohort_csv(n: usize) -> Vec<u8> {
    let codes = ["CR", "PR", "SD", "PD", "NE"];
    let mut text = String::from(
        "patient_id,best_response,best_pct_change,os_months,os_event,pfs_months,pfs_event,arm,age\n",
    );
    for i in 0..n {
        let code = codes[i % codes.len()];
        let change = match code {
            "CR" => "-100".to_string(),
            "PR" => format!("{:.1}", -30.0 - (i % 60) as f64),
            "SD" => format!("{:.1}", -29.0 + (i % 45) as f64),
            "PD" => format!("{:.1}", 20.0 + (i % 80) as f64),
            _ => String::new(),
        };
        let os = 0.5 + (i * 7919 % 3000) as f64 / 100.0;
        let pfs = os * 0.6;
        text.push_str(&format!(
            "P{i:06},{code},{change},{os:.2},{},{pfs:.2},{},{},{}\n",
            i % 3 != 0,
            i % 4 != 0,
            ["A", "B", "C"][i % 3],
            30 + i % 50
        ));
    }
    text.replace("true", "1").replace("false", "0").into_bytes()
}
