//! Helpers shared by integration tests.
pub mod static_server;
