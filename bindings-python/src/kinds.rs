//! One Python class per [`Kind`] (a subclass of [`Event`]), with a getter per field of that kind.

use primevox_webhooks::{self as core, Field, Kind};
use pyo3::exceptions::PyImportError;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::body::Body;
use crate::event::Event;

fn match_args(py: Python<'_>, kind: Kind) -> PyResult<Py<PyTuple>> {
    let names = kind
        .fields()
        .iter()
        .map(|f| PyString::intern(py, f.snake_name()));
    Ok(PyTuple::new(py, names)?.unbind())
}

/// Declares one Python class per kind, with a getter per field of that kind. The invocation is
/// generated (`kind_classes.rs`) and checked against the core's `Kind::fields()` /
/// `Kind::class_name()` when the module loads.
macro_rules! kind_classes {
    ($( $cls:ident = $kind:ident { $( $getter:ident => $field:ident ),* $(,)? } )*) => {
        $(
            #[pyclass(extends = Event, frozen, module = "primevox_webhooks")]
            pub struct $cls;

            #[pymethods]
            impl $cls {
                #[classattr]
                fn __match_args__(py: Python<'_>) -> PyResult<Py<PyTuple>> {
                    match_args(py, Kind::$kind)
                }
                $(
                    #[getter]
                    fn $getter<'py>(slf: &Bound<'py, Self>) -> Option<Bound<'py, PyString>> {
                        slf.as_super().get().field(slf.py(), Field::$field)
                    }
                )*
            }
        )*

        /// Wraps a core event; `body` owns the bytes `inner` may borrow from (see [`Event`]).
        pub(crate) fn new_event<'py>(
            py: Python<'py>,
            inner: core::Event<'static>,
            body: Option<Body>,
        ) -> PyResult<Bound<'py, PyAny>> {
            let kind = inner.kind();
            let base = PyClassInitializer::from(Event { inner, _body: body });
            Ok(match kind {
                $( Kind::$kind => Bound::new(py, base.add_subclass($cls))?.into_any(), )*
            })
        }

        /// (class name, kind, getters) as declared above.
        const DECLARED: &[(&str, Kind, &[Field])] = &[
            $( (stringify!($cls), Kind::$kind, &[ $( Field::$field ),* ]), )*
        ];

        fn add_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {
            $( m.add_class::<$cls>()?; )*
            Ok(())
        }
    };
}

// One class per kind, one getter per field: generated from the core's kind table.
include!("kind_classes.rs");

/// Fails the import if the classes declared here drift from the core's model.
fn check_declared() -> PyResult<()> {
    if DECLARED.len() != Kind::ALL.len() {
        return Err(PyImportError::new_err(
            "primevox_webhooks: kind classes out of date",
        ));
    }
    for (kind, (name, declared_kind, fields)) in Kind::ALL.iter().zip(DECLARED) {
        if kind != declared_kind || kind.class_name() != *name || kind.fields() != *fields {
            return Err(PyImportError::new_err(format!(
                "primevox_webhooks: class {name} does not match the core's kind {}",
                kind.as_str()
            )));
        }
    }
    Ok(())
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    check_declared()?;
    add_classes(m)?;
    let kinds = Kind::ALL.iter().map(|k| k.as_str());
    m.add("KINDS", PyTuple::new(m.py(), kinds)?)?;
    Ok(())
}
