//! Headless Chromium driven through ChromeDriver, for the end-to-end tests and
//! the page benchmark: the built site (COHORTSCOPE_DIST) and helpers that wait
//! for what the page shows.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

/// Where the site is served: a sub-path, as on a static host.
pub const SUB_PATH: &str = "/tools/cohortscope/";

pub struct Driver(Child);

impl Driver {
    /// The highest peak resident memory (VmHWM) of the browser's renderer
    /// processes (descendants of ChromeDriver), in MB; 0 where /proc is not
    /// readable.
    pub fn peak_renderer_rss_mb(&self) -> u64 {
        let mut family = vec![self.0.id()];
        let mut peak_kb = 0;
        let processes: Vec<(u32, u32, String, String)> = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
                let status = std::fs::read_to_string(entry.path().join("status")).ok()?;
                let ppid = status
                    .lines()
                    .find_map(|l| l.strip_prefix("PPid:"))?
                    .trim()
                    .parse()
                    .ok()?;
                let cmdline = std::fs::read_to_string(entry.path().join("cmdline")).ok()?;
                Some((pid, ppid, status, cmdline))
            })
            .collect();
        // Parents come before children in no particular order: grow the family to a fixed point.
        loop {
            let before = family.len();
            for (pid, ppid, _, _) in &processes {
                if family.contains(ppid) && !family.contains(pid) {
                    family.push(*pid);
                }
            }
            if family.len() == before {
                break;
            }
        }
        for (pid, _, status, cmdline) in &processes {
            if family.contains(pid) && cmdline.contains("--type=renderer") {
                let hwm = status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                    .unwrap_or(0);
                peak_kb = peak_kb.max(hwm);
            }
        }
        peak_kb / 1024
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn dist() -> PathBuf {
    let dist = std::env::var_os("COHORTSCOPE_DIST")
        .map(PathBuf::from)
        .expect("COHORTSCOPE_DIST must name the built site (run `make test-e2e`)");
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html",
        dist.display()
    );
    dist
}

pub async fn browser() -> (Driver, Client) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Driver(
        Command::new(
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
        )
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver"),
    );
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--window-size=1280,900"]
        }
    });
    let start = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let mut builder = ClientBuilder::new(connector);
        builder.capabilities(capabilities.as_object().unwrap().clone());
        match builder.connect(&format!("http://127.0.0.1:{port}")).await {
            Ok(client) => return (driver, client),
            Err(e) if start.elapsed() > Duration::from_secs(20) => panic!("chromedriver: {e}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

pub async fn text_of(client: &Client, css: &str) -> String {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .text()
        .await
        .unwrap()
}

pub async fn screenshot(client: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), client.screenshot().await.unwrap()).unwrap();
}

pub async fn element_screenshot(client: &Client, css: &str, name: &str) {
    let element = client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"));
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), element.screenshot().await.unwrap()).unwrap();
}

/// Waits until the text of `css` contains `needle`, for up to 30 seconds.
pub async fn wait_text(client: &Client, css: &str, needle: &str) -> String {
    let start = Instant::now();
    loop {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            if let Ok(text) = element.text().await {
                if text.contains(needle) {
                    return text;
                }
                if start.elapsed() > Duration::from_secs(30) {
                    panic!("{css} shows {text:?}, not {needle:?}");
                }
            }
        } else if start.elapsed() > Duration::from_secs(30) {
            panic!("no {css}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Picks files with the page's file chooser (several at once, as a user
/// selects them in the dialog).
pub async fn pick(client: &Client, paths: &[PathBuf]) {
    let input = client
        .find(Locator::Css(".drop-zone input[type=file]"))
        .await
        .unwrap();
    let list: Vec<&str> = paths.iter().map(|p| p.to_str().unwrap()).collect();
    input.send_keys(&list.join("\n")).await.unwrap();
}

/// Chooses `value` in the `<select>` found by `css`.
pub async fn choose(client: &Client, css: &str, value: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .select_by_value(value)
        .await
        .unwrap();
}
