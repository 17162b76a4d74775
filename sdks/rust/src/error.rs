use crate::expected::ExpectedVersion;
use crate::proto::eventstore::v1 as pb;
use crate::proto::google::rpc;
use prost::{Message, Name};
use tonic::Code;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every error of this client. `Error` itself is the base type: match on its variants for the
/// typed cases, or use [`Error::code`] / [`Error::status`] for the gRPC view.
#[derive(Debug, Clone)]
pub enum Error {
    /// FAILED_PRECONDITION with the `WrongExpectedVersion` detail: nothing was written.
    WrongExpectedVersion {
        stream_id: String,
        expected: ExpectedVersion,
        actual_version: u64,
        message: String,
    },
    /// The stream is tombstoned (deleted for good): `code` is FAILED_PRECONDITION for an append or
    /// a lifecycle change, NOT_FOUND for a read; both carry the `StreamDeleted` detail.
    StreamDeleted {
        stream_id: String,
        code: Code,
        message: String,
    },
    /// NOT_FOUND (reading a stream that does not exist).
    NotFound(String),
    /// ALREADY_EXISTS (an event id stored before, not an idempotent retry).
    AlreadyExists(String),
    /// INVALID_ARGUMENT (the message names the field).
    InvalidArgument(String),
    /// RESOURCE_EXHAUSTED: over a limit (append size or count, subscriptions per connection).
    ResourceExhausted(String),
    /// DEADLINE_EXCEEDED: the call's deadline passed (the client's timeout, or the backend's).
    DeadlineExceeded(String),
    /// UNAUTHENTICATED: auth is on and the call carried no token, or an unknown one.
    Unauthenticated(String),
    /// PERMISSION_DENIED: the token may not do this (write with a read-only token, a stream
    /// outside its prefixes, another tenant's stream).
    PermissionDenied(String),
    /// UNAVAILABLE: the server is down, unreachable or shutting down.
    Unavailable(String),
    /// CANCELLED: the call was cancelled.
    Cancelled(String),
    /// Any other gRPC status (INTERNAL, UNKNOWN, ...).
    Status(tonic::Status),
    /// A bad target address or channel setup.
    Connection(String),
    /// A payload helper could not encode.
    Encode(String),
    /// A payload decoder could not decode, or the event is not of the asked kind.
    Decode(String),
}

impl Error {
    /// The gRPC code this error stands for (`Unknown` for the client-side ones).
    pub fn code(&self) -> Code {
        match self {
            Error::WrongExpectedVersion { .. } => Code::FailedPrecondition,
            Error::StreamDeleted { code, .. } => *code,
            Error::NotFound(_) => Code::NotFound,
            Error::AlreadyExists(_) => Code::AlreadyExists,
            Error::InvalidArgument(_) => Code::InvalidArgument,
            Error::ResourceExhausted(_) => Code::ResourceExhausted,
            Error::DeadlineExceeded(_) => Code::DeadlineExceeded,
            Error::Unauthenticated(_) => Code::Unauthenticated,
            Error::PermissionDenied(_) => Code::PermissionDenied,
            Error::Unavailable(_) => Code::Unavailable,
            Error::Cancelled(_) => Code::Cancelled,
            Error::Status(s) => s.code(),
            Error::Connection(_) => Code::Unavailable,
            Error::Encode(_) | Error::Decode(_) => Code::Unknown,
        }
    }

    /// True for `Unavailable` (and connection failures): worth a retry.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, Error::Unavailable(_) | Error::Connection(_))
    }

    /// The server's (or client's) message.
    pub fn message(&self) -> String {
        match self {
            Error::WrongExpectedVersion { message, .. } | Error::StreamDeleted { message, .. } => {
                message.clone()
            }
            Error::NotFound(m)
            | Error::AlreadyExists(m)
            | Error::InvalidArgument(m)
            | Error::ResourceExhausted(m)
            | Error::DeadlineExceeded(m)
            | Error::Unauthenticated(m)
            | Error::PermissionDenied(m)
            | Error::Unavailable(m)
            | Error::Cancelled(m)
            | Error::Connection(m)
            | Error::Encode(m)
            | Error::Decode(m) => m.clone(),
            Error::Status(s) => s.message().to_string(),
        }
    }

    /// The raw status, for `Status` errors.
    pub fn status(&self) -> Option<&tonic::Status> {
        match self {
            Error::Status(s) => Some(s),
            _ => None,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::WrongExpectedVersion { stream_id, expected, actual_version, .. } => write!(
                f,
                "wrong expected version for stream '{stream_id}': expected {expected}, actual {actual_version}"
            ),
            Error::StreamDeleted { stream_id, message, .. } => {
                write!(f, "stream '{stream_id}' deleted: {message}")
            }
            Error::NotFound(m) => write!(f, "not found: {m}"),
            Error::AlreadyExists(m) => write!(f, "already exists: {m}"),
            Error::InvalidArgument(m) => write!(f, "invalid argument: {m}"),
            Error::ResourceExhausted(m) => write!(f, "resource exhausted: {m}"),
            Error::DeadlineExceeded(m) => write!(f, "deadline exceeded: {m}"),
            Error::Unauthenticated(m) => write!(f, "unauthenticated: {m}"),
            Error::PermissionDenied(m) => write!(f, "permission denied: {m}"),
            Error::Unavailable(m) => write!(f, "unavailable: {m}"),
            Error::Cancelled(m) => write!(f, "cancelled: {m}"),
            Error::Status(s) => write!(f, "{:?}: {}", s.code(), s.message()),
            Error::Connection(m) => write!(f, "connection: {m}"),
            Error::Encode(m) => write!(f, "encode: {m}"),
            Error::Decode(m) => write!(f, "decode: {m}"),
        }
    }
}

impl std::error::Error for Error {}

/// The first detail of type `M` in a `grpc-status-details-bin` trailer, if any.
pub(crate) fn status_detail<M: Message + Name + Default>(details: &[u8]) -> Option<M> {
    if details.is_empty() {
        return None;
    }
    let status = rpc::Status::decode(details).ok()?;
    let name = M::full_name();
    status
        .details
        .iter()
        .find(|any| any.type_url.rsplit('/').next() == Some(name.as_str()))
        .and_then(|any| M::decode(any.value.as_slice()).ok())
}

impl From<tonic::Status> for Error {
    fn from(status: tonic::Status) -> Self {
        let message = status.message().to_string();
        let code = status.code();
        if code == Code::FailedPrecondition {
            if let Some(wrong) = status_detail::<pb::WrongExpectedVersion>(status.details()) {
                return Error::WrongExpectedVersion {
                    stream_id: wrong.stream_id,
                    expected: ExpectedVersion::from_proto(wrong.expected.as_ref()),
                    actual_version: wrong.actual_version,
                    message,
                };
            }
        }
        if matches!(code, Code::FailedPrecondition | Code::NotFound) {
            if let Some(deleted) = status_detail::<pb::StreamDeleted>(status.details()) {
                return Error::StreamDeleted {
                    stream_id: deleted.stream_id,
                    code,
                    message,
                };
            }
        }
        match code {
            Code::NotFound => Error::NotFound(message),
            Code::AlreadyExists => Error::AlreadyExists(message),
            Code::InvalidArgument => Error::InvalidArgument(message),
            Code::Unavailable => Error::Unavailable(message),
            // A connection torn down under a call (server killed, network gone) surfaces from
            // hyper/h2 as UNKNOWN "transport error" or an h2 error: treat it as UNAVAILABLE so
            // callers (and subscribe's resume) can retry. The server's own INTERNAL errors
            // ("internal error <id> ...") stay INTERNAL.
            Code::Unknown | Code::Cancelled | Code::Internal if is_transport_failure(&status) => {
                Error::Unavailable(message)
            }
            Code::ResourceExhausted => Error::ResourceExhausted(message),
            Code::DeadlineExceeded => Error::DeadlineExceeded(message),
            // tonic's channel ends a call whose grpc-timeout passed with CANCELLED
            // "Timeout expired" (its TimeoutExpired): the client's deadline.
            Code::Cancelled if message == tonic::TimeoutExpired(()).to_string() => {
                Error::DeadlineExceeded(message)
            }
            Code::Unauthenticated => Error::Unauthenticated(message),
            Code::PermissionDenied => Error::PermissionDenied(message),
            Code::Cancelled => Error::Cancelled(message),
            _ => Error::Status(status),
        }
    }
}

fn is_transport_failure(status: &tonic::Status) -> bool {
    let message = status.message().to_ascii_lowercase();
    if status.code() == Code::Internal {
        return message.starts_with("h2 protocol error");
    }
    let source = format!("{:?}", std::error::Error::source(status)).to_ascii_lowercase();
    [
        "transport error",
        "h2 protocol error",
        "error reading a body from connection",
        "connection reset",
        "broken pipe",
        // hyper, when the connection closes under a request (a refused TLS handshake, say).
        "operation was canceled",
        "connection closed before message completed",
        "connection refused",
    ]
    .iter()
    .any(|needle| message.contains(needle) || source.contains(needle))
}

impl From<tonic::transport::Error> for Error {
    fn from(error: tonic::transport::Error) -> Self {
        let mut text = error.to_string();
        let mut source = std::error::Error::source(&error);
        while let Some(s) = source {
            text.push_str(": ");
            text.push_str(&s.to_string());
            source = s.source();
        }
        Error::Unavailable(text)
    }
}
