//! The page benchmark (`make bench`), not a timed test: the built site in
//! headless Chromium opens synthetic cohort files of 10^4, 10^5 and 10^6 rows
//! (`COHORTSCOPE_BENCH_ROWS=100000,...` to choose) and prints, for each, the
//! time from the file's arrival to the full report on screen, the time to the
//! report grouped by arm after choosing "arm", the longest main-thread task
//! (PerformanceObserver `longtask`, tasks over 50 ms) and the renderer's peak
//! resident memory; first, the time from opening the page to its first
//! report (a fresh browser, then two more visits with its cache); last, a
//! link that carries 150,000 patients in its fragment (2 MB, the most a
//! link may hold: the page writes at most 64 KB of data, as a hand-made
//! link may not), from opening it to its report.
//! `COHORTSCOPE_BENCH_TIMES=continuous` gives every
//! patient a time of its own (six decimals: a curve of as many steps as
//! events and censorings) instead of the 3,000 distinct times of the
//! benchmarks' file. Ignored by a plain `cargo test`: it needs the built site.
#![cfg(not(target_arch = "wasm32"))] // native only: runs a browser

mod support;

#[path = "../benches/support/cohort_csv.rs"]
mod cohort_csv;

use std::path::PathBuf;

use support::browser::{browser, dist, wait_text, SUB_PATH};
use support::page_timing::{self, Timing};
use support::static_server::StaticServer;

#[tokio::test]
#[ignore = "a benchmark of the built site in Chromium: run `make bench`"]
async fn page_figures() {
    let rows: Vec<usize> = std::env::var("COHORTSCOPE_BENCH_ROWS")
        .ok()
        .map(|v| v.split(',').map(|n| n.trim().parse().unwrap()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
    let continuous = std::env::var("COHORTSCOPE_BENCH_TIMES").as_deref() == Ok("continuous");
    let server = StaticServer::start(&dist(), SUB_PATH);
    let (_driver, client) = browser().await;
    let mut opened = Vec::new();
    for _ in 0..3 {
        client.goto(&server.url).await.unwrap();
        opened.push(format!(
            "{:.0} ms",
            page_timing::first_report(&client).await
        ));
    }
    println!(
        "first report after opening the page (cold, then cached): {}",
        opened.join(", ")
    );
    client.close().await.unwrap();
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-page");
    std::fs::create_dir_all(&dir).unwrap();
    println!("| rows | file | report after drop | grouped by arm | longest task (drop → report) | longest task (grouping) | renderer peak RSS |");
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for n in rows {
        let (name, csv): (_, fn(usize) -> Vec<u8>) = if continuous {
            (format!("cohort-{n}-continuous.csv"), continuous_times)
        } else {
            (format!("cohort-{n}.csv"), cohort_csv::cohort_csv)
        };
        let path = dir.join(name);
        if !path.is_file() {
            std::fs::write(&path, csv(n)).unwrap();
        }
        let size = std::fs::metadata(&path).unwrap().len();
        // A fresh browser for each size: no memory carried over.
        let (driver, client) = browser().await;
        client.goto(&server.url).await.unwrap();
        wait_text(&client, "#orr", "25/66").await;
        let Timing {
            drop_to_report,
            grouped,
            longest_import,
            longest_grouping,
        } = page_timing::open_and_group(&client, &path, n).await;
        let rss = driver.peak_renderer_rss_mb();
        println!(
            "| {n} | {:.1} MB | {drop_to_report:.0} ms | {grouped:.0} ms | {longest_import:.0} ms | {longest_grouping:.0} ms | {rss} MB |",
            size as f64 / 1e6
        );
        client.close().await.unwrap();
    }
    let rows = 150_000;
    let url = link_with_data(&server.url, "cohort.csv", &cohort_csv::cohort_csv(rows));
    let (_driver, client) = browser().await;
    let (report, longest) = page_timing::open_link(&client, &url, rows).await;
    println!(
        "a link of {rows} embedded patients ({:.1} MB): report {report:.0} ms after opening, longest task {longest:.0} ms",
        url.len() as f64 / 1e6
    );
    client.close().await.unwrap();
}

/// A link to the page at `url` carrying `csv` as its embedded data, named
/// `name` (docs/share-links.md: raw deflate, base64url, zlib's CRC-32).
fn link_with_data(url: &str, name: &str, csv: &[u8]) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let rows = csv.iter().filter(|&&b| b == b'\n').count() - 1;
    let data = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(csv, 9));
    let crc = crc32fast::hash(csv);
    format!("{url}#v=1&name={name}&rows={rows}&crc={crc:08x}&data={data}")
}

/// The benchmarks' cohort with times of their own: os and pfs drawn from a
/// linear congruential generator, six decimals, so that nearly every time
/// is distinct.
fn continuous_times(n: usize) -> Vec<u8> {
    let text = String::from_utf8(cohort_csv::cohort_csv(n)).unwrap();
    let mut x: u64 = 2026;
    let mut draw = || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 11) as f64 / (1u64 << 53) as f64 * 36.0
    };
    let mut out = String::with_capacity(text.len() * 2);
    for (i, line) in text.lines().enumerate() {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if i > 0 {
            // patient_id,best_response,best_pct_change,os_months,os_event,pfs_months,…
            let os = draw();
            cells[3] = format!("{os:.6}");
            cells[5] = format!("{:.6}", os * draw() / 36.0);
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}
