use crate::proto::eventstore::v1 as pb;
use pb::expected_version::Kind;

/// The optimistic-concurrency condition of an append.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ExpectedVersion {
    /// No condition.
    #[default]
    Any,
    /// The stream must not exist (version 0). Same as `Exact(0)`.
    NoStream,
    /// The stream must have at least one event.
    StreamExists,
    /// The stream's current version must be exactly this (1-based; 0 means no stream).
    Exact(u64),
}

impl ExpectedVersion {
    pub fn any() -> Self {
        ExpectedVersion::Any
    }
    pub fn no_stream() -> Self {
        ExpectedVersion::NoStream
    }
    pub fn stream_exists() -> Self {
        ExpectedVersion::StreamExists
    }
    pub fn exact(version: u64) -> Self {
        ExpectedVersion::Exact(version)
    }

    pub(crate) fn to_proto(self) -> pb::ExpectedVersion {
        let kind = match self {
            ExpectedVersion::Any => Kind::Any(()),
            ExpectedVersion::NoStream => Kind::NoStream(()),
            ExpectedVersion::StreamExists => Kind::StreamExists(()),
            ExpectedVersion::Exact(n) => Kind::Exact(n),
        };
        pb::ExpectedVersion { kind: Some(kind) }
    }

    /// From the proto message; unset means `Any`.
    pub fn from_proto(value: Option<&pb::ExpectedVersion>) -> Self {
        match value.and_then(|v| v.kind.as_ref()) {
            None | Some(Kind::Any(())) => ExpectedVersion::Any,
            Some(Kind::NoStream(())) => ExpectedVersion::NoStream,
            Some(Kind::StreamExists(())) => ExpectedVersion::StreamExists,
            Some(Kind::Exact(n)) => ExpectedVersion::Exact(*n),
        }
    }
}

impl std::fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExpectedVersion::Any => f.write_str("any"),
            ExpectedVersion::NoStream => f.write_str("no stream"),
            ExpectedVersion::StreamExists => f.write_str("an existing stream"),
            ExpectedVersion::Exact(n) => write!(f, "exact {n}"),
        }
    }
}
