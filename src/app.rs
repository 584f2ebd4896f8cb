//! The Yew page.

/// Mounts the page on `<body>`.
pub fn start() {}
