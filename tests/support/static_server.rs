//! A static file server on 127.0.0.1 for the end-to-end test: it serves a
//! folder under a sub-path (as a static host would) and records every request.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

/// One request the server answered: its path and the status it got.
#[derive(Debug, Clone, PartialEq)]
pub struct Served {
    pub path: String,
    pub status: u16,
}

pub struct StaticServer {
    /// The URL of the served folder, ending in '/'.
    pub url: String,
    pub log: Arc<Mutex<Vec<Served>>>,
}

impl StaticServer {
    /// Serves `root` at `http://127.0.0.1:PORT{prefix}`; `prefix` starts and ends with '/'.
    pub fn start(root: &Path, prefix: &'static str) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let url = format!("http://{}{prefix}", listener.local_addr().unwrap());
        let log = Arc::new(Mutex::new(Vec::new()));
        let (root, thread_log) = (root.to_path_buf(), log.clone());
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, log) = (root.clone(), thread_log.clone());
                thread::spawn(move || {
                    let mut stream = stream;
                    let mut line = String::new();
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    if reader.read_line(&mut line).is_err() {
                        return;
                    }
                    // Drain the headers.
                    let mut header = String::new();
                    while reader
                        .read_line(&mut header)
                        .map(|n| n > 2)
                        .unwrap_or(false)
                    {
                        header.clear();
                    }
                    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                    let (status, body, kind) = match resolve(&root, prefix, &path) {
                        Some(file) => match std::fs::read(&file) {
                            Ok(body) => (200, body, content_type(&file)),
                            Err(_) => (404, b"not found".to_vec(), "text/plain"),
                        },
                        None => (404, b"not found".to_vec(), "text/plain"),
                    };
                    log.lock().unwrap().push(Served { path, status });
                    let head = format!(
                        "HTTP/1.1 {status} {}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        if status == 200 { "OK" } else { "Not Found" },
                        body.len()
                    );
                    let _ = stream
                        .write_all(head.as_bytes())
                        .and_then(|_| stream.write_all(&body));
                });
            }
        });
        StaticServer { url, log }
    }
}

fn resolve(root: &Path, prefix: &str, path: &str) -> Option<PathBuf> {
    let path = path.split(['?', '#']).next()?;
    let rest = path.strip_prefix(prefix)?;
    if rest.split('/').any(|part| part == "..") {
        return None;
    }
    let file = root.join(if rest.is_empty() { "index.html" } else { rest });
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}
