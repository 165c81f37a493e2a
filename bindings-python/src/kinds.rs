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

/// Declares one Python class per kind, with a getter per field of that kind. The lists here are
/// checked against the core's `Kind::fields()` / `Kind::class_name()` when the module loads.
macro_rules! kind_classes {
    ($( $cls:ident = $kind:ident { $( $getter:ident => $field:ident ),* } )*) => {
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

kind_classes! {
    InboundMessage = InboundMessage {
        container_id => ContainerId, tenant_id => TenantId, conversation_id => ConversationId,
        to_number => ToNumber, from_number => FromNumber, message_text => MessageText
    }
    OutboundMessage = OutboundMessage {
        container_id => ContainerId, tenant_id => TenantId, conversation_id => ConversationId,
        to_number => ToNumber, from_number => FromNumber, message_text => MessageText
    }
    InboundCall = InboundCall {
        container_id => ContainerId, tenant_id => TenantId, did_number => DidNumber,
        did_description => DidDescription, did_group => DidGroup, cid_prefix => CidPrefix,
        call_uuid => CallUuid, caller_id_num => CallerIdNum, caller_id_name => CallerIdName
    }
    CallHangup = CallHangup {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, caller_id_name => CallerIdName,
        extension_number => ExtensionNumber, extension_name => ExtensionName
    }
    ExtensionRinging = ExtensionRinging {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, extension_number => ExtensionNumber,
        extension_name => ExtensionName
    }
    ExtensionAnswered = ExtensionAnswered {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, caller_id_name => CallerIdName,
        extension_number => ExtensionNumber, extension_name => ExtensionName
    }
    ExtensionHangup = ExtensionHangup {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, caller_id_name => CallerIdName,
        extension_number => ExtensionNumber, extension_name => ExtensionName
    }
    VoicemailLeft = VoicemailLeft {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, caller_id_name => CallerIdName,
        extension_number => ExtensionNumber, extension_name => ExtensionName
    }
    OutboundCall = OutboundCall {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        extension_number => ExtensionNumber, extension_name => ExtensionName,
        number_dialed => NumberDialed
    }
    RingGroupEntered = RingGroupEntered {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, ring_group_number => RingGroupNumber
    }
    QueueEntered = QueueEntered {
        container_id => ContainerId, tenant_id => TenantId, call_uuid => CallUuid,
        caller_id_num => CallerIdNum, queue_number => QueueNumber
    }
    UnknownEvent = Unknown {}
}

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
