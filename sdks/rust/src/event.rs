use crate::error::{Error, Result};
use crate::proto::eventstore::v1 as pb;
use prost::{Message, Name};
use serde::{de::DeserializeOwned, Serialize};
use std::collections::HashMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const CONTENT_TYPE_JSON: &str = "application/json";
pub const CONTENT_TYPE_PROTOBUF: &str = "application/x-protobuf";
pub const CONTENT_TYPE_BYTES: &str = "application/octet-stream";

/// An event to append. Its `event_id` is a UUID v7 made here, on the client, so that retrying
/// the same `NewEvent`s is idempotent on the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewEvent {
    pub event_id: String,
    pub type_name: String,
    pub content_type: String,
    pub tenant_id: String,
    pub correlation_id: String,
    pub causation_id: String,
    pub headers: HashMap<String, String>,
    pub payload: Vec<u8>,
}

/// A new UUID v7 in canonical lower-case text.
pub fn new_event_id() -> String {
    uuid::Uuid::now_v7().hyphenated().to_string()
}

impl NewEvent {
    /// Raw bytes with the given type name and content type.
    pub fn new(
        type_name: impl Into<String>,
        content_type: impl Into<String>,
        payload: impl Into<Vec<u8>>,
    ) -> Self {
        NewEvent {
            event_id: new_event_id(),
            type_name: type_name.into(),
            content_type: content_type.into(),
            tenant_id: String::new(),
            correlation_id: String::new(),
            causation_id: String::new(),
            headers: HashMap::new(),
            payload: payload.into(),
        }
    }

    /// Raw bytes with content type `application/octet-stream` (see [`NewEvent::new`] for another).
    pub fn bytes(type_name: impl Into<String>, payload: impl Into<Vec<u8>>) -> Self {
        Self::new(type_name, CONTENT_TYPE_BYTES, payload)
    }

    /// A JSON payload (`application/json`), compact, keys in insertion order (see [`crate::json`]).
    pub fn json<T: Serialize + ?Sized>(type_name: impl Into<String>, value: &T) -> Result<Self> {
        Ok(Self::new(
            type_name,
            CONTENT_TYPE_JSON,
            crate::json::to_vec(value)?,
        ))
    }

    /// A Protobuf payload (`application/x-protobuf`), type_name = the message's full name.
    pub fn protobuf<M: Message + Name>(message: &M) -> Self {
        Self::new(
            M::full_name(),
            CONTENT_TYPE_PROTOBUF,
            message.encode_to_vec(),
        )
    }

    /// Replaces the generated id (e.g. to retry with ids kept from a first attempt).
    pub fn with_event_id(mut self, event_id: impl Into<String>) -> Self {
        self.event_id = event_id.into();
        self
    }
    pub fn with_tenant_id(mut self, tenant_id: impl Into<String>) -> Self {
        self.tenant_id = tenant_id.into();
        self
    }
    pub fn with_correlation_id(mut self, correlation_id: impl Into<String>) -> Self {
        self.correlation_id = correlation_id.into();
        self
    }
    pub fn with_causation_id(mut self, causation_id: impl Into<String>) -> Self {
        self.causation_id = causation_id.into();
        self
    }
    pub fn with_header(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(key.into(), value.into());
        self
    }
    pub fn with_headers<K: Into<String>, V: Into<String>>(
        mut self,
        headers: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.headers
            .extend(headers.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    /// Marks this event as caused by `handled`: causation_id = its event_id, correlation_id =
    /// its correlation_id, or its event_id when that is empty (it started the conversation).
    pub fn caused_by(mut self, handled: &RecordedEvent) -> Self {
        self.correlation_id = if handled.correlation_id.is_empty() {
            handled.event_id.clone()
        } else {
            handled.correlation_id.clone()
        };
        self.causation_id = handled.event_id.clone();
        self
    }

    pub(crate) fn into_proto(self) -> pb::EventData {
        pb::EventData {
            metadata: Some(pb::EventMetadata {
                event_id: self.event_id,
                type_name: self.type_name,
                content_type: self.content_type,
                tenant_id: self.tenant_id,
                correlation_id: self.correlation_id,
                causation_id: self.causation_id,
                headers: self.headers,
            }),
            payload: self.payload,
        }
    }
}

/// An event as stored: where and when, its metadata and its payload byte for byte as appended
/// (sdks/SPEC.md, "Events").
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RecordedEvent {
    pub stream_id: String,
    /// 1-based version in its stream.
    pub stream_version: u64,
    /// 1-based position in the global log.
    pub global_position: u64,
    pub event_id: String,
    pub type_name: String,
    pub content_type: String,
    pub tenant_id: String,
    pub correlation_id: String,
    pub causation_id: String,
    pub headers: HashMap<String, String>,
    pub payload: Vec<u8>,
    /// When the server stored it (None if the server sent no time).
    pub recorded_at: Option<SystemTime>,
}

impl RecordedEvent {
    /// Decodes a JSON payload; fails unless content_type is `application/json` or empty.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T> {
        if !self.content_type.is_empty() && self.content_type != CONTENT_TYPE_JSON {
            return Err(Error::Decode(format!(
                "event {} has content_type '{}', not {CONTENT_TYPE_JSON}",
                self.event_id, self.content_type
            )));
        }
        crate::json::from_slice(&self.payload)
    }

    /// Decodes a Protobuf payload; fails unless content_type is `application/x-protobuf` or empty
    /// and type_name is `M`'s full name.
    pub fn protobuf<M: Message + Name + Default>(&self) -> Result<M> {
        let content_type_fits =
            self.content_type.is_empty() || self.content_type == CONTENT_TYPE_PROTOBUF;
        if !content_type_fits || self.type_name != M::full_name() {
            return Err(Error::Decode(format!(
                "event {} is '{}' ({}), not {} ({CONTENT_TYPE_PROTOBUF})",
                self.event_id,
                self.type_name,
                self.content_type,
                M::full_name()
            )));
        }
        M::decode(self.payload.as_slice()).map_err(|e| Error::Decode(e.to_string()))
    }

    /// True when type_name is `M`'s full name.
    pub fn is<M: Name>(&self) -> bool {
        self.type_name == M::full_name()
    }

    /// The event of the wire's message.
    pub fn from_proto(event: pb::RecordedEvent) -> Self {
        let metadata = event.metadata.unwrap_or_default();
        let recorded_at = event.recorded_at.and_then(|t| {
            let seconds = u64::try_from(t.seconds).ok()?;
            let nanos = u32::try_from(t.nanos).ok()?;
            UNIX_EPOCH.checked_add(Duration::new(seconds, nanos))
        });
        RecordedEvent {
            stream_id: event.stream_id,
            stream_version: event.stream_version,
            global_position: event.global_position,
            event_id: metadata.event_id,
            type_name: metadata.type_name,
            content_type: metadata.content_type,
            tenant_id: metadata.tenant_id,
            correlation_id: metadata.correlation_id,
            causation_id: metadata.causation_id,
            headers: metadata.headers,
            payload: event.payload,
            recorded_at,
        }
    }
}
