use crate::error::{Error, Result};
use crate::event::NewEvent;
use crate::expected::ExpectedVersion;
use crate::proto::eventstore::v1 as pb;
use crate::subscription::{self, Responses, SubscribeOptions, Subscriber, SubscriptionStream};
use futures_util::stream::{self, BoxStream, StreamExt};
use pb::event_store_client::EventStoreClient;
use std::collections::VecDeque;
use std::future::Future;
use std::time::Duration;
use tonic::transport::{Channel, Endpoint};

/// A stream of read events; the client fetches the next page when the current one is used up.
pub type EventStream = BoxStream<'static, Result<pb::RecordedEvent>>;

/// Channel settings.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// gRPC receive limit. Responses can exceed 4 MiB (a 4 MiB page plus one event), so the
    /// default is 64 MiB instead of gRPC's 4 MiB.
    pub max_receive_message_size: usize,
    /// gRPC send limit (the server refuses requests above its own limit anyway).
    pub max_send_message_size: usize,
    pub connect_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            max_receive_message_size: 64 * 1024 * 1024,
            max_send_message_size: 64 * 1024 * 1024,
            connect_timeout: Duration::from_secs(5),
        }
    }
}

/// What an append returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppendResult {
    /// The stream's version after the append (the version of the last appended event).
    pub current_version: u64,
    pub first_global_position: u64,
    pub last_global_position: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Forward,
    Backward,
}

/// Options of [`Client::read_stream`].
#[derive(Clone, Debug, Default)]
pub struct ReadStreamOptions {
    pub direction: Direction,
    /// Forward: the first version to read (0 or 1: from the start). Backward: the first
    /// version to read going down (0: from the last event).
    pub from_version: u64,
    /// Events per request (0: the server's default page, 100; the server clamps at 1,000).
    pub page_size: u32,
    /// Stop after this many events in total (None: to the end of the stream).
    pub max_count: Option<u64>,
}

impl ReadStreamOptions {
    pub fn forward() -> Self {
        ReadStreamOptions::default()
    }
    pub fn backward() -> Self {
        ReadStreamOptions {
            direction: Direction::Backward,
            ..Default::default()
        }
    }
    pub fn from_version(mut self, version: u64) -> Self {
        self.from_version = version;
        self
    }
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size;
        self
    }
    pub fn max_count(mut self, max_count: u64) -> Self {
        self.max_count = Some(max_count);
        self
    }
}

/// Options of [`Client::read_all`].
#[derive(Clone, Debug, Default)]
pub struct ReadAllOptions {
    /// Read events with a global position after this one (0: from the start).
    pub after_position: u64,
    /// Only streams whose id starts with this (empty: every stream).
    pub stream_prefix: String,
    /// Events per request (0: the server's default).
    pub page_size: u32,
    /// Stop after this many events (None: up to the head as it was when reached).
    pub max_count: Option<u64>,
}

impl ReadAllOptions {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn after(mut self, position: u64) -> Self {
        self.after_position = position;
        self
    }
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.stream_prefix = prefix.into();
        self
    }
    pub fn page_size(mut self, page_size: u32) -> Self {
        self.page_size = page_size;
        self
    }
    pub fn max_count(mut self, max_count: u64) -> Self {
        self.max_count = Some(max_count);
        self
    }
}

/// The client. Cheap to clone (it shares one HTTP/2 channel); every method takes `&self`.
#[derive(Clone, Debug)]
pub struct Client {
    inner: EventStoreClient<Channel>,
}

impl Client {
    /// Connects to `target`: `host:port` or `http://host:port`.
    pub async fn connect(target: impl AsRef<str>) -> Result<Self> {
        Self::connect_with(target, ClientOptions::default()).await
    }

    pub async fn connect_with(target: impl AsRef<str>, options: ClientOptions) -> Result<Self> {
        let endpoint = endpoint(target.as_ref(), &options)?;
        let channel = endpoint.connect().await?;
        Ok(Self::from_channel(channel, &options))
    }

    /// Makes the client without connecting: the first call connects.
    pub fn connect_lazy(target: impl AsRef<str>, options: ClientOptions) -> Result<Self> {
        let endpoint = endpoint(target.as_ref(), &options)?;
        Ok(Self::from_channel(endpoint.connect_lazy(), &options))
    }

    pub fn from_channel(channel: Channel, options: &ClientOptions) -> Self {
        let inner = EventStoreClient::new(channel)
            .max_decoding_message_size(options.max_receive_message_size)
            .max_encoding_message_size(options.max_send_message_size);
        Client { inner }
    }

    /// The generated tonic client, for anything this layer does not cover.
    pub fn raw(&self) -> EventStoreClient<Channel> {
        self.inner.clone()
    }

    /// Appends `events` atomically to `stream_id` if `expected` holds, else
    /// [`Error::WrongExpectedVersion`] with the actual version (nothing written).
    pub async fn append(
        &self,
        stream_id: impl Into<String>,
        events: impl IntoIterator<Item = NewEvent>,
        expected: ExpectedVersion,
    ) -> Result<AppendResult> {
        let request = pb::AppendRequest {
            stream_id: stream_id.into(),
            expected_version: Some(expected.to_proto()),
            events: events.into_iter().map(NewEvent::into_proto).collect(),
        };
        let response = self.inner.clone().append(request).await?.into_inner();
        Ok(AppendResult {
            current_version: response.current_version,
            first_global_position: response.first_global_position,
            last_global_position: response.last_global_position,
        })
    }

    /// One page of a stream, as the server sends it.
    pub async fn read_stream_page(
        &self,
        request: pb::ReadStreamRequest,
    ) -> Result<pb::ReadStreamResponse> {
        Ok(self.inner.clone().read_stream(request).await?.into_inner())
    }

    /// One page of the global log, as the server sends it.
    pub async fn read_all_page(&self, request: pb::ReadAllRequest) -> Result<pb::ReadAllResponse> {
        Ok(self.inner.clone().read_all(request).await?.into_inner())
    }

    /// Every event of a stream (forward or backward), paging as the stream is consumed.
    /// A stream that does not exist yields [`Error::NotFound`] first.
    pub fn read_stream(
        &self,
        stream_id: impl Into<String>,
        options: ReadStreamOptions,
    ) -> EventStream {
        let read = StreamRead {
            stream_id: stream_id.into(),
            forward: options.direction == Direction::Forward,
            page_size: options.page_size,
            next: options.from_version,
        };
        paged(self.clone(), read, options.max_count)
    }

    /// Every event of every stream (or of streams starting with a prefix) after a position, in
    /// global order, up to the head; pages on `last_scanned_position` until `reached_head`.
    pub fn read_all(&self, options: ReadAllOptions) -> EventStream {
        let read = AllRead {
            stream_prefix: options.stream_prefix,
            page_size: options.page_size,
            after: options.after_position,
        };
        paged(self.clone(), read, options.max_count)
    }

    /// Catch-up then live delivery of every matching event after `options.after_position`:
    /// events, checkpoints, one `CaughtUp`, one message per event whether the server sends them
    /// one by one or in batches (see [`SubscribeOptions::max_batch_events`]). With
    /// `options.resume`, an `UNAVAILABLE` (server shutting down or unreachable) makes it
    /// re-subscribe after the last delivered position, yielding `Resumed`; after `max_attempts`
    /// failed attempts in a row the error is yielded and the stream ends. Any other error is
    /// yielded and ends the stream.
    pub fn subscribe(&self, options: SubscribeOptions) -> SubscriptionStream {
        subscription::subscribe(self.clone(), options)
    }
}

impl Subscriber for Client {
    async fn open(&self, request: pb::SubscribeRequest) -> Result<Responses> {
        let responses = self.inner.clone().subscribe(request).await?.into_inner();
        Ok(responses.boxed())
    }
}

/// One kind of paged read (a stream, the global log): the request for the next page, how it is
/// sent, and where a page says the next one starts. [`paged`] drives any of them.
trait PagedRead: Send + 'static {
    type Request: Send + 'static;
    type Page: Send + 'static;
    /// The next page's request; `left` is how many events the caller still wants (None: all).
    fn request(&self, left: Option<u64>) -> Self::Request;
    fn fetch(
        client: Client,
        request: Self::Request,
    ) -> impl Future<Output = Result<Self::Page>> + Send;
    /// The page's events, and true when no page follows it; moves to the next page.
    fn turn(&mut self, page: Self::Page) -> (Vec<pb::RecordedEvent>, bool);
}

/// The events of `read`, page after page as the stream is consumed, `max_count` at the most.
/// An error is yielded once and ends the stream.
fn paged<R: PagedRead>(client: Client, read: R, max_count: Option<u64>) -> EventStream {
    struct State<R> {
        client: Client,
        read: R,
        max_count: Option<u64>,
        buffer: VecDeque<pb::RecordedEvent>,
        finished: bool,
        delivered: u64,
    }
    let state = State {
        client,
        read,
        max_count,
        buffer: VecDeque::new(),
        finished: false,
        delivered: 0,
    };
    stream::unfold(state, |mut s| async move {
        loop {
            if s.max_count.is_some_and(|max| s.delivered >= max) {
                return None;
            }
            if let Some(event) = s.buffer.pop_front() {
                s.delivered += 1;
                return Some((Ok(event), s));
            }
            if s.finished {
                return None;
            }
            let request = s.read.request(s.max_count.map(|max| max - s.delivered));
            match R::fetch(s.client.clone(), request).await {
                Err(error) => {
                    s.finished = true;
                    return Some((Err(error), s));
                }
                Ok(page) => {
                    let (events, last) = s.read.turn(page);
                    s.buffer.extend(events);
                    s.finished = last;
                }
            }
        }
    })
    .boxed()
}

/// ReadStream paging: from `next` until the end of the stream.
struct StreamRead {
    stream_id: String,
    forward: bool,
    page_size: u32,
    next: u64,
}

impl PagedRead for StreamRead {
    type Request = pb::ReadStreamRequest;
    type Page = pb::ReadStreamResponse;

    fn request(&self, left: Option<u64>) -> pb::ReadStreamRequest {
        let mut page_size = self.page_size;
        if let Some(left) = left {
            let left = u32::try_from(left).unwrap_or(u32::MAX);
            if page_size == 0 || left < page_size {
                page_size = left.max(1);
            }
        }
        pb::ReadStreamRequest {
            stream_id: self.stream_id.clone(),
            from_version: self.next,
            max_count: page_size,
            forward: self.forward,
        }
    }

    async fn fetch(
        client: Client,
        request: pb::ReadStreamRequest,
    ) -> Result<pb::ReadStreamResponse> {
        client.read_stream_page(request).await
    }

    fn turn(&mut self, page: pb::ReadStreamResponse) -> (Vec<pb::RecordedEvent>, bool) {
        // Backward, next_from_version 0 means "from the last": never pass it back.
        let last = page.end_of_stream
            || page.events.is_empty()
            || (!self.forward && page.next_from_version == 0);
        self.next = page.next_from_version;
        (page.events, last)
    }
}

/// ReadAll paging: after `last_scanned_position` until `reached_head` (a filtered page may hold
/// no event and still move forward).
struct AllRead {
    stream_prefix: String,
    page_size: u32,
    after: u64,
}

impl PagedRead for AllRead {
    type Request = pb::ReadAllRequest;
    type Page = pb::ReadAllResponse;

    fn request(&self, _left: Option<u64>) -> pb::ReadAllRequest {
        pb::ReadAllRequest {
            after_global_position: self.after,
            max_count: self.page_size,
            stream_prefix: self.stream_prefix.clone(),
        }
    }

    async fn fetch(client: Client, request: pb::ReadAllRequest) -> Result<pb::ReadAllResponse> {
        client.read_all_page(request).await
    }

    fn turn(&mut self, page: pb::ReadAllResponse) -> (Vec<pb::RecordedEvent>, bool) {
        let moved = page.last_scanned_position > self.after;
        let last = page.reached_head || !moved;
        self.after = self.after.max(page.last_scanned_position);
        (page.events, last)
    }
}

fn endpoint(target: &str, options: &ClientOptions) -> Result<Endpoint> {
    let uri = if target.contains("://") {
        target.to_string()
    } else {
        format!("http://{target}")
    };
    Ok(Endpoint::from_shared(uri)
        .map_err(|e| Error::Connection(format!("bad target '{target}': {e}")))?
        .connect_timeout(options.connect_timeout)
        .tcp_nodelay(true))
}
