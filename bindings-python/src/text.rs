//! `str` objects from the core's texts, made the way CPython's limited API makes them cheapest
//! (why: `primevox_webhooks::ffi::py`).

use std::cell::RefCell;

use primevox_webhooks::ffi::py::push_code_points;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// `PyUnicode_FromWideChar` takes code points where `wchar_t` is 32 bits (not on Windows).
const WIDE_IS_UCS4: bool = std::mem::size_of::<libc::wchar_t>() == 4;

/// Texts shorter than this (bytes) are left to CPython's decoder even when not ASCII: for a
/// name or a word, its fixed cost is less than the buffer's, and its widening copies are short.
const SHORT: usize = 64;

/// A buffer kept at most this large (code points) between texts.
const KEEP: usize = 1 << 16;

/// The `str` of `s`: an ASCII or short text from its bytes, any other from its code points.
#[inline]
pub(crate) fn py_str<'py>(py: Python<'py>, s: &str) -> Bound<'py, PyString> {
    if WIDE_IS_UCS4 && s.len() >= SHORT && !s.is_ascii() {
        return from_code_points(py, s);
    }
    PyString::new(py, s)
}

#[inline(never)]
fn from_code_points<'py>(py: Python<'py>, s: &str) -> Bound<'py, PyString> {
    thread_local! {
        static CODE_POINTS: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    }
    CODE_POINTS.with_borrow_mut(|buf| {
        buf.clear();
        push_code_points(s, buf);
        // SAFETY: `buf` holds `buf.len()` code points (no surrogates: they come from a `str`),
        // which is what a 32-bit `wchar_t` holds; CPython copies them. No Python code runs
        // while the buffer is borrowed.
        let obj = unsafe {
            let ptr = ffi::PyUnicode_FromWideChar(
                buf.as_ptr().cast::<libc::wchar_t>(),
                buf.len() as ffi::Py_ssize_t,
            );
            // Panics on NULL (out of memory), as `PyString::new` does.
            Bound::from_owned_ptr(py, ptr).cast_into_unchecked::<PyString>()
        };
        if buf.capacity() > KEEP {
            *buf = Vec::new();
        }
        obj
    })
}
