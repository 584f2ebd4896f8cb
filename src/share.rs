//! The page's view state, carried in a versioned URL fragment.
