//! What the unit tests share.

/// True under tests/ci/memory.sh, which runs the tests under valgrind (about 30 times slower)
/// and sets `PV_UNDER_VALGRIND=1`. The exhaustive tests then check a sample of their cases
/// that still runs every unsafe path they reach; tests/ci/rust.sh runs them whole, natively.
pub(crate) fn under_valgrind() -> bool {
    std::env::var_os("PV_UNDER_VALGRIND").is_some_and(|v| v == "1")
}
