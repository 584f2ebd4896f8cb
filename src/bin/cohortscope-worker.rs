//! The page's Web Worker (`assets/worker.js` starts it): imports and every
//! view's report, off the page's thread ([`cohortscope::app::worker`]). A
//! module of its own, so that the page's module holds no statistics and the
//! worker's no Yew.

#[cfg(target_arch = "wasm32")]
fn main() {
    cohortscope::app::worker::start();
}

/// Natively there is no page: the command-line tool is `cohortscope`.
#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    eprintln!(
        "cohortscope-worker runs in the page's Web Worker; on the command line, run cohortscope"
    );
    std::process::ExitCode::from(2)
}
