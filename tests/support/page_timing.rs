//! Timing the page in the browser: a cohort file opened with the page's file
//! chooser, the time until its full report is on screen, and the longest
//! main-thread task meanwhile (PerformanceObserver `longtask`: every task over
//! 50 ms), then the same for grouping the report by arm.

use std::path::Path;
use std::time::Duration;

use fantoccini::{Client, Locator};
use serde_json::Value;

use super::browser::choose;

/// Milliseconds, as the page's clock (`performance.now()`) measured them.
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// From the file's arrival (the input's `change` event) to the report of all its rows.
    pub drop_to_report: f64,
    /// From choosing "arm" in Group by to the report with the arms.
    pub grouped: f64,
    /// The longest main-thread task from the file's arrival to its report (0 if none over 50 ms).
    pub longest_import: f64,
    /// The longest main-thread task while grouping.
    pub longest_grouping: f64,
}

/// Starts recording long tasks and the time of the next `change` of the file input.
const RECORD: &str = r#"
window.__long = [];
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__long.push([e.startTime, e.duration]); })
    .observe({ type: 'longtask', buffered: false });
const input = document.querySelector('.drop-zone input[type=file]');
input.addEventListener('change', () => { window.__t0 = performance.now(); }, { capture: true, once: true });
"#;

/// Resolves once the page has had no long task for half a second.
const SETTLED: &str = r#"
const done = arguments[0];
let last = performance.now();
new PerformanceObserver(list => { last = performance.now(); }).observe({ type: 'longtask', buffered: true });
const check = () => performance.now() - last > 500 ? done() : setTimeout(check, 100);
setTimeout(check, 100);
"#;

/// Resolves with the time at which `arguments[0]` (CSS) first shows `arguments[1]`,
/// polled on every frame, so that the time is that of a rendered page.
const WAIT: &str = r#"
const [css, needle, done] = arguments;
const look = () => {
    const e = document.querySelector(css);
    if (e && e.textContent.includes(needle)) done(performance.now());
    else requestAnimationFrame(look);
};
look();
"#;

/// The longest task recorded from `from` on.
const LONGEST: &str = r#"
const from = arguments[0];
return window.__long.filter(([s, d]) => s + d >= from).reduce((m, [, d]) => Math.max(m, d), 0);
"#;

async fn number(client: &Client, script: &str, args: Vec<Value>) -> f64 {
    client
        .execute(script, args)
        .await
        .unwrap()
        .as_f64()
        .unwrap_or_else(|| panic!("not a number from {script}"))
}

async fn shown_at(client: &Client, css: &str, needle: &str) -> f64 {
    client
        .execute_async(WAIT, vec![css.into(), needle.into()])
        .await
        .unwrap()
        .as_f64()
        .unwrap()
}

/// The time from opening the page (its navigation, `performance.now()`'s
/// origin) to the first frame with the built-in study's report.
pub async fn first_report(client: &Client) -> f64 {
    shown_at(client, "#orr", "25/66").await
}

/// Every long task since the page opened (the browser keeps them buffered).
const LONGEST_SINCE_OPENING: &str = r#"
const done = arguments[0];
new PerformanceObserver((list, observer) => {
    observer.disconnect();
    done(list.getEntries().reduce((m, e) => Math.max(m, e.duration), 0));
}).observe({ type: 'longtask', buffered: true });
// No entry at all: no task over 50 ms.
setTimeout(() => done(0), 200);
"#;

/// Scripts and page loads may take minutes: a million rows in a slow moment.
async fn allow_minutes(client: &Client) {
    client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(600)),
            Some(Duration::from_secs(600)),
            Some(Duration::ZERO),
        ))
        .await
        .unwrap();
}

/// The time from opening a link (navigating to it) to the report of its
/// embedded cohort of `rows` patients, and the longest main-thread task
/// meanwhile.
pub async fn open_link(client: &Client, url: &str, rows: usize) -> (f64, f64) {
    allow_minutes(client).await;
    client.goto(url).await.unwrap();
    let caption = format!("Response and survival, {rows} patients");
    let report = shown_at(client, "table.report caption", &caption).await;
    let longest = client
        .execute_async(LONGEST_SINCE_OPENING, vec![])
        .await
        .unwrap()
        .as_f64()
        .unwrap();
    (report, longest)
}

/// Opens the cohort file at `path` (of `rows` patients, with an `arm` column)
/// in the loaded page, then groups it by arm.
pub async fn open_and_group(client: &Client, path: &Path, rows: usize) -> Timing {
    allow_minutes(client).await;
    // The page that was showing finishes drawing first: its tasks are not the file's.
    client.execute_async(SETTLED, vec![]).await.unwrap();
    client.execute(RECORD, vec![]).await.unwrap();
    let input = client
        .find(Locator::Css(".drop-zone input[type=file]"))
        .await
        .unwrap();
    input.send_keys(path.to_str().unwrap()).await.unwrap();
    let caption = format!("Response and survival, {rows} patients");
    let report = shown_at(client, "table.report caption", &caption).await;
    let t0 = number(client, "return window.__t0", vec![]).await;
    let longest_import = number(client, LONGEST, vec![t0.into()]).await;

    let t1 = number(client, "return performance.now()", vec![]).await;
    choose(client, "#group", "arm").await;
    let grouped = shown_at(client, "table.report thead", "A (n = ").await;
    let longest_grouping = number(client, LONGEST, vec![t1.into()]).await;
    Timing {
        drop_to_report: report - t0,
        grouped: grouped - t1,
        longest_import,
        longest_grouping,
    }
}
