//! What crosses a foreign-function boundary, one module per host wire format (in the manner of
//! cedar-policy's `ffi`). The binding crates stay glue: they call these and move the results.

pub mod js;
pub mod py;
