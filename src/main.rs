//! The `cohortscope` binary: the page's entry point when compiled to WebAssembly,
//! the command-line tool everywhere else.

#[cfg(target_arch = "wasm32")]
fn main() {
    cohortscope::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cohortscope::cli::main()
}
