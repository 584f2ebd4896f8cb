//! Helpers shared by integration tests (each test crate uses a part of them).
#![allow(dead_code)]
pub mod browser;
pub mod page_timing;
pub mod static_server;
