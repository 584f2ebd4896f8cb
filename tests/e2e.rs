//! End to end: the release site in dist/ served on 127.0.0.1 under a sub-path,
//! driven in headless Chromium through ChromeDriver. Run by `make test-e2e`
//! (which builds dist/ first and sets COHORTSCOPE_DIST); ignored by a plain
//! `cargo test`, which has no browser. Screenshots go to target/e2e/.
#![cfg(not(target_arch = "wasm32"))] // native only: reads files, runs the CLI or a browser

mod support;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use support::static_server::StaticServer;

/// Where the site is served: a sub-path, as on a static host.
const SUB_PATH: &str = "/tools/cohortscope/";

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn dist() -> PathBuf {
    let dist = std::env::var_os("COHORTSCOPE_DIST")
        .map(PathBuf::from)
        .expect("COHORTSCOPE_DIST must name the built site (run `make test-e2e`)");
    assert!(dist.join("index.html").is_file(), "{} has no index.html", dist.display());
    dist
}

async fn browser() -> (Driver, Client) {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let driver = Driver(
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()))
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

async fn text_of(client: &Client, css: &str) -> String {
    client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(css)).await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .text().await.unwrap()
}

async fn screenshot(client: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/e2e");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), client.screenshot().await.unwrap()).unwrap();
}

#[tokio::test]
#[ignore = "needs the built site and Chromium: run `make test-e2e`"]
async fn the_site_opens_reads_a_dropped_csv_and_fetches_nothing_else() {
    let server = StaticServer::start(&dist(), SUB_PATH);
    let (_driver, client) = browser().await;

    client.goto(&server.url).await.unwrap();
    assert_eq!(text_of(&client, "h1").await, "cohortscope");
    assert!(text_of(&client, ".banner").await.contains("never uploaded"));
    screenshot(&client, "01-opened.png").await;

    let csv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shape.csv");
    let input = client.find(Locator::Css(".drop-zone input[type=file]")).await.unwrap();
    input.send_keys(csv.to_str().unwrap()).await.unwrap();
    assert_eq!(text_of(&client, "#shape").await, "2 rows, 3 columns");
    screenshot(&client, "02-file-opened.png").await;

    // Every resource the page loaded came from the site itself.
    let loaded = client
        .execute("return performance.getEntriesByType('resource').map(e => e.name)", vec![])
        .await
        .unwrap();
    for url in loaded.as_array().unwrap() {
        assert!(url.as_str().unwrap().starts_with(&server.url), "the page fetched {url}");
    }
    let served = server.log.lock().unwrap().clone();
    assert!(served.iter().all(|s| s.status == 200 && s.path.starts_with(SUB_PATH)), "{served:?}");
    assert!(served.iter().any(|s| s.path.ends_with(".wasm")), "{served:?}");
    client.close().await.unwrap();
}
