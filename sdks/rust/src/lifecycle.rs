//! The stream lifecycle (sdks/SPEC.md, "Stream lifecycle"): delete, tombstone, truncate, retention
//! and the [`StreamState`] every one of these calls answers.
use crate::client::Client;
use crate::error::{Error, Result};
use crate::expected::ExpectedVersion;
use crate::proto::eventstore::v1 as pb;
use std::future::Future;
use std::time::Duration;

/// What a stream keeps: its last `max_count` events (0: no limit) and those younger than
/// `max_age` (None: no limit). The server keeps `max_age` in whole microseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamRetention {
    pub max_count: u64,
    pub max_age: Option<Duration>,
}

impl StreamRetention {
    fn into_proto(self) -> Result<pb::StreamRetention> {
        let max_age = match self.max_age {
            None => None,
            Some(age) => Some(prost_types::Duration::try_from(age).map_err(|e| {
                Error::InvalidArgument(format!(
                    "max_age {age:?} does not fit a protobuf Duration: {e}"
                ))
            })?),
        };
        Ok(pb::StreamRetention {
            max_count: self.max_count,
            max_age,
        })
    }

    /// An unset, zero or unreadable (negative) max_age is no limit.
    fn from_proto(retention: Option<pb::StreamRetention>) -> StreamRetention {
        let retention = retention.unwrap_or_default();
        let max_age = retention
            .max_age
            .and_then(|age| Duration::try_from(age).ok())
            .filter(|age| !age.is_zero());
        StreamRetention {
            max_count: retention.max_count,
            max_age,
        }
    }
}

/// A stream's state after a lifecycle call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamState {
    pub stream_id: String,
    /// The highest version ever appended; it never goes back, and expected versions compare with it.
    pub last_version: u64,
    /// Events with a lower version are removed.
    pub truncate_before: u64,
    /// Every event is removed: the stream reads as missing, and an append continues its versions.
    pub deleted: bool,
    /// Deleted for good: appends and changes fail with [`Error::StreamDeleted`].
    pub tombstoned: bool,
    pub retention: StreamRetention,
}

impl StreamState {
    fn from_proto(state: pb::StreamState) -> StreamState {
        StreamState {
            stream_id: state.stream_id,
            last_version: state.last_version,
            truncate_before: state.truncate_before,
            deleted: state.deleted,
            tombstoned: state.tombstoned,
            retention: StreamRetention::from_proto(state.retention),
        }
    }
}

/// The state a lifecycle call answers.
async fn answer(
    call: impl Future<Output = Result<tonic::Response<pb::StreamState>, tonic::Status>>,
) -> Result<StreamState> {
    Ok(StreamState::from_proto(call.await?.into_inner()))
}

impl Client {
    /// Removes every event of `stream_id` if `expected` holds, else
    /// [`Error::WrongExpectedVersion`] (nothing removed). The stream then reads as missing
    /// ([`Error::NotFound`]); a later append continues its versions. A stream that never had an
    /// event: [`Error::NotFound`]; a tombstoned one: [`Error::StreamDeleted`].
    pub async fn delete_stream(
        &self,
        stream_id: impl Into<String>,
        expected: ExpectedVersion,
    ) -> Result<StreamState> {
        let request = pb::DeleteStreamRequest {
            stream_id: stream_id.into(),
            expected_version: Some(expected.to_proto()),
        };
        answer(self.raw().delete_stream(self.request(request, true))).await
    }

    /// Deletes `stream_id` for good: every later append or change, and a read, fail with
    /// [`Error::StreamDeleted`]. `expected` as for [`Client::delete_stream`].
    pub async fn tombstone_stream(
        &self,
        stream_id: impl Into<String>,
        expected: ExpectedVersion,
    ) -> Result<StreamState> {
        let request = pb::TombstoneStreamRequest {
            stream_id: stream_id.into(),
            expected_version: Some(expected.to_proto()),
        };
        answer(self.raw().tombstone_stream(self.request(request, true))).await
    }

    /// Removes the events below `before_version` (capped at the end; a lower one than before
    /// changes nothing).
    pub async fn truncate_stream(
        &self,
        stream_id: impl Into<String>,
        before_version: u64,
    ) -> Result<StreamState> {
        let request = pb::TruncateStreamRequest {
            stream_id: stream_id.into(),
            before_version,
        };
        answer(self.raw().truncate_stream(self.request(request, true))).await
    }

    /// Sets the stream's retention (both limits replace the old ones). Allowed before the
    /// stream's first event.
    pub async fn set_stream_retention(
        &self,
        stream_id: impl Into<String>,
        retention: StreamRetention,
    ) -> Result<StreamState> {
        let request = pb::SetStreamRetentionRequest {
            stream_id: stream_id.into(),
            retention: Some(retention.into_proto()?),
        };
        answer(self.raw().set_stream_retention(self.request(request, true))).await
    }

    /// The stream's state; [`Error::NotFound`] for a stream that never had an event nor a retention.
    pub async fn get_stream_state(&self, stream_id: impl Into<String>) -> Result<StreamState> {
        let request = pb::GetStreamStateRequest {
            stream_id: stream_id.into(),
        };
        answer(self.raw().get_stream_state(self.request(request, true))).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::{Message, Name};
    use tonic::Code;

    /// A status whose details carry one StreamDeleted message.
    fn with_stream_deleted(code: Code) -> tonic::Status {
        let detail = pb::StreamDeleted {
            stream_id: "s".into(),
        };
        let status = crate::proto::google::rpc::Status {
            code: code as i32,
            message: "m".into(),
            details: vec![prost_types::Any {
                type_url: format!("type.googleapis.com/{}", pb::StreamDeleted::full_name()),
                value: detail.encode_to_vec(),
            }],
        };
        tonic::Status::with_details(code, "m", status.encode_to_vec().into())
    }

    #[test]
    fn the_stream_deleted_detail_is_stream_deleted_with_its_code_and_stream() {
        for code in [Code::FailedPrecondition, Code::NotFound] {
            match Error::from(with_stream_deleted(code)) {
                Error::StreamDeleted {
                    stream_id,
                    code: got,
                    ..
                } => assert_eq!((stream_id.as_str(), got), ("s", code)),
                other => panic!("{code:?}: {other:?}"),
            }
        }
    }

    #[test]
    fn without_the_detail_or_on_another_code_the_usual_error() {
        let not_found = Error::from(tonic::Status::not_found("m"));
        assert!(matches!(not_found, Error::NotFound(_)), "{not_found:?}");
        let internal = Error::from(with_stream_deleted(Code::Internal));
        assert_eq!(internal.code(), Code::Internal);
        assert!(matches!(internal, Error::Status(_)), "{internal:?}");
    }

    #[test]
    fn max_age_travels_as_a_duration_and_none_or_zero_is_no_limit() {
        let retention = StreamRetention {
            max_count: 3,
            max_age: Some(Duration::from_micros(3_600_000_005)),
        };
        let wire = retention.into_proto().unwrap();
        let age = wire.max_age.unwrap();
        assert_eq!((wire.max_count, age.seconds, age.nanos), (3, 3600, 5000));
        assert_eq!(StreamRetention::from_proto(Some(wire)), retention);
        let none = StreamRetention::default().into_proto().unwrap();
        assert!(none.max_age.is_none());
        let zero = StreamRetention {
            max_count: 0,
            max_age: Some(Duration::ZERO),
        };
        assert_eq!(
            StreamRetention::from_proto(Some(zero.into_proto().unwrap())),
            StreamRetention::default()
        );
    }
}
