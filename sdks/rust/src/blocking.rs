//! A blocking facade over the async [`crate::Client`] (cargo feature `blocking`), for programs
//! without an async runtime. It owns a single-threaded tokio runtime and drives every call on
//! it; reads and subscriptions are plain `Iterator`s. Do not use it from inside an async runtime.
use crate::client::{AppendResult, ClientOptions, EventStream, ReadAllOptions, ReadStreamOptions};
use crate::error::{Error, Result};
use crate::event::{NewEvent, RecordedEvent};
use crate::expected::ExpectedVersion;
use crate::lifecycle::{StreamRetention, StreamState};
use crate::subscription::{SubscribeOptions, SubscriptionMessage, SubscriptionStream};
use futures_util::StreamExt;
use std::sync::Arc;
use std::time::Duration;

/// The blocking client. Cheap to clone (the runtime and the channel are shared).
#[derive(Clone, Debug)]
pub struct Client {
    runtime: Arc<tokio::runtime::Runtime>,
    inner: crate::Client,
}

impl Client {
    pub fn connect(target: impl AsRef<str>) -> Result<Self> {
        Self::connect_with(target, ClientOptions::default())
    }

    pub fn connect_with(target: impl AsRef<str>, options: ClientOptions) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Connection(format!("cannot start a tokio runtime: {e}")))?;
        let inner = runtime.block_on(crate::Client::connect_with(target, options))?;
        Ok(Client {
            runtime: Arc::new(runtime),
            inner,
        })
    }

    /// A clone whose unary calls have this deadline (None: none); see [`crate::Client::with_timeout`].
    pub fn with_timeout(&self, timeout: Option<Duration>) -> Self {
        Client {
            runtime: self.runtime.clone(),
            inner: self.inner.with_timeout(timeout),
        }
    }

    /// The async client this one drives.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    pub fn append(
        &self,
        stream_id: impl Into<String>,
        events: impl IntoIterator<Item = NewEvent>,
        expected: ExpectedVersion,
    ) -> Result<AppendResult> {
        self.runtime
            .block_on(self.inner.append(stream_id, events, expected))
    }

    /// See [`crate::Client::delete_stream`].
    pub fn delete_stream(
        &self,
        stream_id: impl Into<String>,
        expected: ExpectedVersion,
    ) -> Result<StreamState> {
        self.runtime
            .block_on(self.inner.delete_stream(stream_id, expected))
    }

    /// See [`crate::Client::tombstone_stream`].
    pub fn tombstone_stream(
        &self,
        stream_id: impl Into<String>,
        expected: ExpectedVersion,
    ) -> Result<StreamState> {
        self.runtime
            .block_on(self.inner.tombstone_stream(stream_id, expected))
    }

    /// See [`crate::Client::truncate_stream`].
    pub fn truncate_stream(
        &self,
        stream_id: impl Into<String>,
        before_version: u64,
    ) -> Result<StreamState> {
        self.runtime
            .block_on(self.inner.truncate_stream(stream_id, before_version))
    }

    /// See [`crate::Client::set_stream_retention`].
    pub fn set_stream_retention(
        &self,
        stream_id: impl Into<String>,
        retention: StreamRetention,
    ) -> Result<StreamState> {
        self.runtime
            .block_on(self.inner.set_stream_retention(stream_id, retention))
    }

    /// See [`crate::Client::get_stream_state`].
    pub fn get_stream_state(&self, stream_id: impl Into<String>) -> Result<StreamState> {
        self.runtime
            .block_on(self.inner.get_stream_state(stream_id))
    }

    pub fn read_stream(&self, stream_id: impl Into<String>, options: ReadStreamOptions) -> Events {
        Events {
            runtime: self.runtime.clone(),
            stream: self.inner.read_stream(stream_id, options),
        }
    }

    pub fn read_all(&self, options: ReadAllOptions) -> Events {
        Events {
            runtime: self.runtime.clone(),
            stream: self.inner.read_all(options),
        }
    }

    pub fn subscribe(&self, options: SubscribeOptions) -> Subscription {
        Subscription {
            runtime: self.runtime.clone(),
            stream: self.inner.subscribe(options),
        }
    }
}

/// Read events, fetched page by page as the iterator advances.
pub struct Events {
    runtime: Arc<tokio::runtime::Runtime>,
    stream: EventStream,
}

impl Iterator for Events {
    type Item = Result<RecordedEvent>;
    fn next(&mut self) -> Option<Self::Item> {
        self.runtime.block_on(self.stream.next())
    }
}

/// A subscription; `next()` blocks until the next message.
pub struct Subscription {
    runtime: Arc<tokio::runtime::Runtime>,
    stream: SubscriptionStream,
}

impl Subscription {
    /// Waits at most `timeout`: `None` if nothing came (the subscription stays usable), else
    /// what `next()` would have returned (`Some(None)`: the subscription ended).
    pub fn next_timeout(
        &mut self,
        timeout: Duration,
    ) -> Option<Option<Result<SubscriptionMessage>>> {
        let stream = &mut self.stream;
        self.runtime
            .block_on(async { tokio::time::timeout(timeout, stream.next()).await.ok() })
    }
}

impl Iterator for Subscription {
    type Item = Result<SubscriptionMessage>;
    fn next(&mut self) -> Option<Self::Item> {
        self.runtime.block_on(self.stream.next())
    }
}
