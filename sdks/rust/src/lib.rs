//! Async Rust client for eventstored.
//!
//! A thin layer over the tonic stubs generated (by `build.rs`, into the target dir) from
//! `proto/eventstore/v1/eventstore.proto` and `proto/google/rpc/status.proto`:
//!
//! * [`Client`]: TLS (rustls) or plaintext, a bearer token, a deadline per call; `append`,
//!   `read_stream` / `read_all` (paged for you, as `futures` Streams) and `subscribe` (events,
//!   checkpoints, caught-up, optional resume after `UNAVAILABLE`);
//! * [`NewEvent`]: events with client-made UUID v7 ids, JSON / Protobuf / raw payload helpers,
//!   correlation and causation from the event being handled;
//! * [`RecordedEvent`]: a read event, with the matching decoders;
//! * [`ExpectedVersion`]: `any`, `no_stream`, `stream_exists`, `exact(n)`;
//! * the stream lifecycle: `delete_stream`, `tombstone_stream`, `truncate_stream`,
//!   `set_stream_retention`, `get_stream_state`, each answering a [`StreamState`];
//! * [`Error`]: typed errors, with [`Error::WrongExpectedVersion`] and [`Error::StreamDeleted`]
//!   read from the status detail.
//!
//! The behaviour and the defaults are those of the one client API of every SDK: `sdks/SPEC.md`.

/// The generated protobuf and gRPC types.
pub mod proto {
    pub mod eventstore {
        pub mod v1 {
            tonic::include_proto!("eventstore.v1");
        }
    }
    pub mod google {
        pub mod rpc {
            tonic::include_proto!("google.rpc");
        }
    }
}

#[cfg(feature = "blocking")]
pub mod blocking;
mod client;
mod error;
mod event;
mod expected;
pub mod json;
mod lifecycle;
mod subscription;

pub use client::{
    AppendResult, Client, ClientOptions, Direction, EventStream, ReadAllOptions, ReadStreamOptions,
    DEFAULT_KEEPALIVE_TIME, DEFAULT_KEEPALIVE_TIMEOUT, DEFAULT_TIMEOUT,
};
pub use error::{Error, Result};
pub use event::{
    new_event_id, NewEvent, RecordedEvent, CONTENT_TYPE_BYTES, CONTENT_TYPE_JSON,
    CONTENT_TYPE_PROTOBUF,
};
pub use expected::ExpectedVersion;
pub use lifecycle::{StreamRetention, StreamState};
pub use subscription::{
    Resume, SubscribeOptions, SubscriptionMessage, SubscriptionStream, DEFAULT_MAX_BATCH_EVENTS,
};
