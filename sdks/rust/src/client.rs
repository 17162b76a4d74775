use crate::error::{Error, Result};
use crate::event::{NewEvent, RecordedEvent};
use crate::expected::ExpectedVersion;
use crate::proto::eventstore::v1 as pb;
use crate::subscription::{self, Responses, SubscribeOptions, Subscriber, SubscriptionStream};
use futures_util::stream::{self, BoxStream, StreamExt};
use pb::event_store_client::EventStoreClient;
use std::collections::VecDeque;
use std::future::Future;
use std::time::Duration;
use tonic::metadata::{Ascii, MetadataValue};
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};

/// A stream of read events; the client fetches the next page when the current one is used up.
pub type EventStream = BoxStream<'static, Result<RecordedEvent>>;

/// The default deadline of each unary call (sdks/SPEC.md, "Defaults and why").
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Keepalive pings while a call is open: after this long without traffic...
pub const DEFAULT_KEEPALIVE_TIME: Duration = Duration::from_secs(360);
/// ... and the wait for the answer before the connection is dropped.
pub const DEFAULT_KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(20);

/// How to reach the server (sdks/SPEC.md, "Connect"). Nothing is required.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// Speak TLS. Implied by `ca_cert`, `client_cert` and `client_key`, and by an `https://`
    /// target. Default: plaintext, as eventstored serves on loopback.
    pub tls: bool,
    /// PEM of the CA(s) that signed the server's certificate (None: the system's roots).
    pub ca_cert: Option<Vec<u8>>,
    /// PEM certificate chain and private key of this client, for mutual TLS (both or neither).
    pub client_cert: Option<Vec<u8>>,
    pub client_key: Option<Vec<u8>>,
    /// A bearer token, sent as `authorization: Bearer <token>` on every call.
    pub token: Option<String>,
    /// The default deadline of each unary call (an append, one read page); None: none.
    /// [`Client::with_timeout`] sets it for the calls of one clone.
    pub timeout: Option<Duration>,
    /// Keepalive pings while a call is open (a subscription), and the wait for their answer.
    pub keepalive_time: Duration,
    pub keepalive_timeout: Duration,
    /// gRPC receive limit. Unlimited by default: a page can exceed gRPC's 4 MiB, and the server
    /// bounds what it sends.
    pub max_receive_message_size: usize,
    /// gRPC send limit (the server refuses requests above its own limit anyway).
    pub max_send_message_size: usize,
    pub connect_timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            tls: false,
            ca_cert: None,
            client_cert: None,
            client_key: None,
            token: None,
            timeout: Some(DEFAULT_TIMEOUT),
            keepalive_time: DEFAULT_KEEPALIVE_TIME,
            keepalive_timeout: DEFAULT_KEEPALIVE_TIMEOUT,
            max_receive_message_size: usize::MAX,
            max_send_message_size: usize::MAX,
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
    /// The most events the whole read yields, over all pages (None: to the end of the stream).
    pub limit: Option<u64>,
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
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
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
    /// The most events the whole read yields (None: up to the head as it was when reached).
    pub limit: Option<u64>,
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
    pub fn limit(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }
}

/// The client. Cheap to clone (it shares one HTTP/2 channel); every method takes `&self`.
#[derive(Clone, Debug)]
pub struct Client {
    inner: EventStoreClient<Channel>,
    authorization: Option<MetadataValue<Ascii>>,
    timeout: Option<Duration>,
}

impl Client {
    /// Connects to `target`: `host:port`, `http://host:port` or `https://host:port`.
    pub async fn connect(target: impl AsRef<str>) -> Result<Self> {
        Self::connect_with(target, ClientOptions::default()).await
    }

    pub async fn connect_with(target: impl AsRef<str>, options: ClientOptions) -> Result<Self> {
        let endpoint = endpoint(target.as_ref(), &options)?;
        let channel = endpoint.connect().await?;
        Self::from_channel(channel, &options)
    }

    /// Makes the client without connecting: the first call connects.
    pub fn connect_lazy(target: impl AsRef<str>, options: ClientOptions) -> Result<Self> {
        let endpoint = endpoint(target.as_ref(), &options)?;
        Self::from_channel(endpoint.connect_lazy(), &options)
    }

    /// A client over your own channel, with the options' token, deadline and limits.
    pub fn from_channel(channel: Channel, options: &ClientOptions) -> Result<Self> {
        let authorization = match &options.token {
            None => None,
            Some(token) => Some(
                format!("Bearer {token}")
                    .parse()
                    .map_err(|_| Error::Connection("the token must be printable ASCII".into()))?,
            ),
        };
        let inner = EventStoreClient::new(channel)
            .max_decoding_message_size(options.max_receive_message_size)
            .max_encoding_message_size(options.max_send_message_size);
        Ok(Client {
            inner,
            authorization,
            timeout: options.timeout,
        })
    }

    /// A clone whose unary calls (append, each read page) have this deadline (None: none).
    pub fn with_timeout(&self, timeout: Option<Duration>) -> Self {
        Client {
            timeout,
            ..self.clone()
        }
    }

    /// The generated tonic client, for anything this layer does not cover (the token is not
    /// added to its calls).
    pub fn raw(&self) -> EventStoreClient<Channel> {
        self.inner.clone()
    }

    /// `message` as a request with the token and, when `deadline`, the client's timeout as its
    /// `grpc-timeout`, which tonic's channel also enforces here (a server that stopped answering
    /// gives `DeadlineExceeded`, not a hang).
    pub(crate) fn request<T>(&self, message: T, deadline: bool) -> tonic::Request<T> {
        let mut request = tonic::Request::new(message);
        if let Some(value) = &self.authorization {
            request
                .metadata_mut()
                .insert("authorization", value.clone());
        }
        if let (true, Some(timeout)) = (deadline, self.timeout) {
            request.set_timeout(timeout);
        }
        request
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
        let request = self.request(request, true);
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
        let request = self.request(request, true);
        Ok(self.inner.clone().read_stream(request).await?.into_inner())
    }

    /// One page of the global log, as the server sends it.
    pub async fn read_all_page(&self, request: pb::ReadAllRequest) -> Result<pb::ReadAllResponse> {
        let request = self.request(request, true);
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
        paged(self.clone(), read, options.limit)
    }

    /// Every event of every stream (or of streams starting with a prefix) after a position, in
    /// global order, up to the head; pages on `last_scanned_position` until `reached_head`.
    pub fn read_all(&self, options: ReadAllOptions) -> EventStream {
        let read = AllRead {
            stream_prefix: options.stream_prefix,
            page_size: options.page_size,
            after: options.after_position,
        };
        paged(self.clone(), read, options.limit)
    }

    /// Catch-up then live delivery of every matching event after `options.after_position`:
    /// events, checkpoints, one `CaughtUp`, one message per event whether the server sends them
    /// one by one or in batches (see [`SubscribeOptions::max_batch_events`]). With
    /// `options.resume`, an `UNAVAILABLE` (server shutting down or unreachable) makes it
    /// re-subscribe after the last delivered position, with no extra message; after
    /// `max_attempts` failed tries in a row (if set) the error is yielded and the stream ends.
    /// Any other error is yielded and ends the stream. No deadline.
    pub fn subscribe(&self, options: SubscribeOptions) -> SubscriptionStream {
        subscription::subscribe(self.clone(), options)
    }
}

impl Subscriber for Client {
    async fn open(&self, request: pb::SubscribeRequest) -> Result<Responses> {
        let request = self.request(request, false);
        let responses = self.inner.clone().subscribe(request).await?.into_inner();
        Ok(responses.boxed())
    }
}

/// One kind of paged read (a stream, the global log): the request for the next page, how it is
/// sent, and where a page says the next one starts. [`paged`] drives any of them.
trait PagedRead: Send + 'static {
    type Request: Send + 'static;
    type Page: Send + 'static;
    /// The next page's request for `page_size` events (0: the server's page).
    fn request(&self, page_size: u32) -> Self::Request;
    /// The page size the caller asked for (0: the server's).
    fn page_size(&self) -> u32;
    fn fetch(
        client: Client,
        request: Self::Request,
    ) -> impl Future<Output = Result<Self::Page>> + Send;
    /// The page's events, and true when no page follows it; moves to the next page.
    fn turn(&mut self, page: Self::Page) -> (Vec<pb::RecordedEvent>, bool);
}

/// The events per request: the page size, or fewer when fewer are still wanted under the limit
/// (`left`; None: no limit). A page size of 0 counts as no bound, and 0 is then sent when no limit
/// is left to bound it (the server's page).
fn page_request_size(page_size: u32, left: Option<u64>) -> u32 {
    match left {
        None => page_size,
        Some(left) => {
            let left = u32::try_from(left).unwrap_or(u32::MAX);
            if page_size == 0 {
                left
            } else {
                page_size.min(left)
            }
        }
    }
}

/// The events of `read`, page after page as the stream is consumed, `limit` at the most.
/// An error is yielded once and ends the stream.
fn paged<R: PagedRead>(client: Client, read: R, limit: Option<u64>) -> EventStream {
    struct State<R> {
        client: Client,
        read: R,
        limit: Option<u64>,
        buffer: VecDeque<pb::RecordedEvent>,
        finished: bool,
        delivered: u64,
    }
    let state = State {
        client,
        read,
        limit,
        buffer: VecDeque::new(),
        finished: false,
        delivered: 0,
    };
    stream::unfold(state, |mut s| async move {
        loop {
            if s.limit.is_some_and(|max| s.delivered >= max) {
                return None;
            }
            if let Some(event) = s.buffer.pop_front() {
                s.delivered += 1;
                return Some((Ok(RecordedEvent::from_proto(event)), s));
            }
            if s.finished {
                return None;
            }
            let left = s.limit.map(|max| max - s.delivered);
            let request = s.read.request(page_request_size(s.read.page_size(), left));
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

    fn request(&self, page_size: u32) -> pb::ReadStreamRequest {
        pb::ReadStreamRequest {
            stream_id: self.stream_id.clone(),
            from_version: self.next,
            max_count: page_size,
            forward: self.forward,
        }
    }

    fn page_size(&self) -> u32 {
        self.page_size
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

    fn request(&self, page_size: u32) -> pb::ReadAllRequest {
        pb::ReadAllRequest {
            after_global_position: self.after,
            max_count: page_size,
            stream_prefix: self.stream_prefix.clone(),
        }
    }

    fn page_size(&self) -> u32 {
        self.page_size
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

/// The endpoint of `target` with the options' TLS, keepalive and connect timeout.
fn endpoint(target: &str, options: &ClientOptions) -> Result<Endpoint> {
    if options.client_cert.is_some() != options.client_key.is_some() {
        return Err(Error::Connection(
            "client_cert and client_key go together: give both (mutual TLS) or neither".into(),
        ));
    }
    let tls = options.tls
        || options.ca_cert.is_some()
        || options.client_cert.is_some()
        || target.starts_with("https://");
    let uri = match target.split_once("://") {
        Some(_) => target.to_string(),
        None if tls => format!("https://{target}"),
        None => format!("http://{target}"),
    };
    let mut endpoint = Endpoint::from_shared(uri)
        .map_err(|e| Error::Connection(format!("bad target '{target}': {e}")))?
        .connect_timeout(options.connect_timeout)
        .http2_keep_alive_interval(options.keepalive_time)
        .keep_alive_timeout(options.keepalive_timeout)
        .keep_alive_while_idle(false)
        .tcp_nodelay(true);
    if tls {
        let mut config = ClientTlsConfig::new();
        config = match &options.ca_cert {
            Some(pem) => config.ca_certificate(Certificate::from_pem(pem)),
            None => config.with_enabled_roots(),
        };
        if let (Some(cert), Some(key)) = (&options.client_cert, &options.client_key) {
            config = config.identity(Identity::from_pem(cert, key));
        }
        endpoint = endpoint
            .tls_config(config)
            .map_err(|e| Error::Connection(format!("TLS set-up for '{target}': {e}")))?;
    }
    Ok(endpoint)
}
