//! The one event model every binding shares.

use std::borrow::Cow;

use crate::kind::{Field, Kind};

/// The value of a field the event's kind does not recognise.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExtraValue<'a> {
    /// A form value, or a JSON string.
    Text(Cow<'a, str>),
    /// A non-string JSON value (number, boolean, null, object, array), as compact JSON text.
    Json(String),
}

impl ExtraValue<'_> {
    /// An owned copy.
    pub fn into_owned(self) -> ExtraValue<'static> {
        match self {
            ExtraValue::Text(t) => ExtraValue::Text(Cow::Owned(t.into_owned())),
            ExtraValue::Json(j) => ExtraValue::Json(j),
        }
    }
}

/// One unrecognised field: its wire name, verbatim, and its value.
pub type ExtraField<'a> = (Cow<'a, str>, ExtraValue<'a>);

/// A parsed, validated PrimeVOX webhook.
///
/// Strings borrow from the body where they needed no decoding; [`Event::into_owned`] detaches
/// the event from the body. Only the fields of [`Event::kind`] are ever set.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Event<'a> {
    pub(crate) kind: Kind,
    pub(crate) event_type: Cow<'a, str>,
    /// Values of `kind.fields()`, by position (see [`Kind::slot`]): only a kind's own fields
    /// take room, which halves the event's size.
    pub(crate) values: [Option<Cow<'a, str>>; Kind::MAX_FIELDS],
    pub(crate) extra: Vec<ExtraField<'a>>,
}

/// One accessor per field of [`crate::kind_table!`].
macro_rules! accessors {
    (
        fields { $(
            $field:ident {
                camel: $camel:literal, snake: $name:ident, phone: $phone:literal,
                doc: $doc:literal, $( $rest:tt )*
            }
        )* }
        kinds { $( $kinds:tt )* }
    ) => {
        $(
            #[doc = concat!("`", $camel, "`: ", $doc, " `None` if the kind has not the field or it was not sent.")]
            pub fn $name(&self) -> Option<&str> {
                self.get(Field::$field)
            }
        )*
    };
}

impl<'a> Event<'a> {
    /// An event of `kind` with no fields set. Add fields with [`Event::with`].
    pub fn new(kind: Kind, event_type: impl Into<Cow<'a, str>>) -> Self {
        Event {
            kind,
            event_type: event_type.into(),
            values: Default::default(),
            extra: Vec::new(),
        }
    }

    /// Sets a field. A field the kind does not have is kept in `extra` under its canonical name,
    /// as the parser would; an empty value leaves the field absent.
    pub fn with(mut self, field: Field, value: impl Into<Cow<'a, str>>) -> Self {
        let value = value.into();
        match self.kind.slot(field) {
            None => self
                .extra
                .push((Cow::Borrowed(field.camel_name()), ExtraValue::Text(value))),
            Some(i) => self.values[i] = Some(value).filter(|v| !v.is_empty()),
        }
        self
    }

    /// Appends an unrecognised field.
    pub fn with_extra(mut self, name: impl Into<Cow<'a, str>>, value: ExtraValue<'a>) -> Self {
        self.extra.push((name.into(), value));
        self
    }

    /// The kind of event.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The wire `eventType`, verbatim.
    pub fn event_type(&self) -> &str {
        &self.event_type
    }

    /// A field's value; `None` when absent or not a field of this kind.
    pub fn get(&self, field: Field) -> Option<&str> {
        self.values[self.kind.slot(field)?].as_deref()
    }

    /// The kind's fields in canonical order, with their values.
    pub fn fields(&self) -> impl Iterator<Item = (Field, Option<&str>)> + '_ {
        let values = self.values.iter().map(|v| v.as_deref());
        self.kind.fields().iter().copied().zip(values)
    }

    /// The fields the kind does not recognise, in the order received.
    pub fn extra(&self) -> &[ExtraField<'a>] {
        &self.extra
    }

    /// The first unrecognised field with this exact wire name.
    pub fn extra_value(&self, name: &str) -> Option<&ExtraValue<'a>> {
        self.extra.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    crate::kind_table!(accessors);

    /// Detaches the event from the body it was parsed from.
    pub fn into_owned(self) -> Event<'static> {
        Event {
            kind: self.kind,
            event_type: Cow::Owned(self.event_type.into_owned()),
            values: self.values.map(|v| v.map(|c| Cow::Owned(c.into_owned()))),
            extra: self
                .extra
                .into_iter()
                .map(|(n, v)| (Cow::Owned(n.into_owned()), v.into_owned()))
                .collect(),
        }
    }
}
