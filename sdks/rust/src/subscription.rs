//! Subscriptions: their options and messages, and the one state machine that turns the server's
//! messages (single events or batches, checkpoints, caught-up) into a stream of one message per
//! event, resuming after `UNAVAILABLE` from the last message it yielded.
use crate::error::{Error, Result};
use crate::event::RecordedEvent;
use crate::proto::eventstore::v1 as pb;
use futures_util::stream::{self, BoxStream, StreamExt};
use std::collections::VecDeque;
use std::future::Future;
use std::time::Duration;

/// A subscription; see [`SubscriptionMessage`].
pub type SubscriptionStream = BoxStream<'static, Result<SubscriptionMessage>>;

/// How a subscription resumes after `UNAVAILABLE` (server shutting down, connection lost): the
/// resume policy of sdks/SPEC.md, "Subscribe". The default tries forever, 100 ms doubling to 5 s.
#[derive(Clone, Debug)]
pub struct Resume {
    /// Consecutive failed tries before the error is given to the caller (None: never give up).
    /// The count starts again with each message yielded.
    pub max_attempts: Option<u32>,
    /// Wait before the first try; doubled after each failure, up to `max_delay`.
    pub initial_delay: Duration,
    pub max_delay: Duration,
}

impl Default for Resume {
    fn default() -> Self {
        Resume {
            max_attempts: None,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(5),
        }
    }
}

/// The events per message a subscription asks for unless [`SubscribeOptions::max_batch_events`]
/// says otherwise.
pub const DEFAULT_MAX_BATCH_EVENTS: u32 = 500;

/// Options of [`Client::subscribe`](crate::Client::subscribe).
#[derive(Clone, Debug)]
pub struct SubscribeOptions {
    /// Deliver events after this global position (0: from the start).
    pub after_position: u64,
    /// Only streams whose id starts with this (empty: every stream).
    pub stream_prefix: String,
    /// Resume by itself after UNAVAILABLE from the last delivered position (None: the error
    /// ends the stream).
    pub resume: Option<Resume>,
    /// Up to this many events in one message from the server (default
    /// [`DEFAULT_MAX_BATCH_EVENTS`]; 0: one event per message). The stream still yields one
    /// [`SubscriptionMessage::Event`] per event, and a resume starts after the last one yielded,
    /// never after the end of a batch not yet yielded.
    pub max_batch_events: u32,
}

impl Default for SubscribeOptions {
    fn default() -> Self {
        SubscribeOptions {
            after_position: 0,
            stream_prefix: String::new(),
            resume: None,
            max_batch_events: DEFAULT_MAX_BATCH_EVENTS,
        }
    }
}

impl SubscribeOptions {
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
    pub fn resume(mut self, resume: Resume) -> Self {
        self.resume = Some(resume);
        self
    }
    pub fn max_batch_events(mut self, max_batch_events: u32) -> Self {
        self.max_batch_events = max_batch_events;
        self
    }
}

/// One message of a subscription.
#[allow(clippy::large_enum_variant)] // Event is the common case: no Box.
#[derive(Clone, Debug, PartialEq)]
pub enum SubscriptionMessage {
    /// A matching event.
    Event(RecordedEvent),
    /// No matching event up to this position (sent while the filter skips events): a safe
    /// position to store and resume after.
    Checkpoint(u64),
    /// The catch-up reached the head at this position; live events follow. Sent once per
    /// server call: a resumed subscription gets a new one.
    CaughtUp(u64),
}

impl SubscriptionMessage {
    /// The position a consumer may store to resume after this message.
    pub fn position(&self) -> u64 {
        match self {
            SubscriptionMessage::Event(e) => e.global_position,
            SubscriptionMessage::Checkpoint(p) | SubscriptionMessage::CaughtUp(p) => *p,
        }
    }
}

/// The server's messages of one Subscribe call.
pub(crate) type Responses =
    BoxStream<'static, std::result::Result<pb::SubscribeResponse, tonic::Status>>;

/// Where a subscription's calls go: the server (the [`Client`](crate::Client)), or a test's
/// scripted calls.
pub(crate) trait Subscriber: Send + 'static {
    fn open(&self, request: pb::SubscribeRequest)
        -> impl Future<Output = Result<Responses>> + Send;
}

/// What one server message carries, in order: one event, a batch's events, a checkpoint or a
/// caught-up (nothing for a kind this client does not know).
fn messages(response: pb::SubscribeResponse) -> Vec<SubscriptionMessage> {
    use pb::subscribe_response::Message;
    match response.message {
        Some(Message::Event(event)) => {
            vec![SubscriptionMessage::Event(RecordedEvent::from_proto(event))]
        }
        Some(Message::Batch(batch)) => batch
            .events
            .into_iter()
            .map(|event| SubscriptionMessage::Event(RecordedEvent::from_proto(event)))
            .collect(),
        Some(Message::Checkpoint(c)) => vec![SubscriptionMessage::Checkpoint(c.global_position)],
        Some(Message::CaughtUp(c)) => vec![SubscriptionMessage::CaughtUp(c.global_position)],
        None => Vec::new(),
    }
}

/// The subscription of `options` over `subscriber`'s calls. A message's events wait in `pending`
/// and are yielded one per poll; `position` moves only when one is yielded, so a resume starts
/// after the last message the caller got, and dropping the stream mid-batch drops the rest.
pub(crate) fn subscribe<S: Subscriber>(
    subscriber: S,
    options: SubscribeOptions,
) -> SubscriptionStream {
    struct State<S> {
        subscriber: S,
        prefix: String,
        max_batch_events: u32,
        position: u64,
        resume: Option<Resume>,
        responses: Option<Responses>,
        pending: VecDeque<SubscriptionMessage>,
        failures: u32,
        finished: bool,
    }
    let state = State {
        subscriber,
        prefix: options.stream_prefix,
        max_batch_events: options.max_batch_events,
        position: options.after_position,
        resume: options.resume,
        responses: None,
        pending: VecDeque::new(),
        failures: 0,
        finished: false,
    };

    // On an error: Some(error) to yield it and stop, None to retry after a pause.
    async fn failed<S>(s: &mut State<S>, error: Error) -> Option<Error> {
        s.responses = None;
        let Some(resume) = s.resume.clone() else {
            return Some(error);
        };
        if !error.is_unavailable() || resume.max_attempts.is_some_and(|max| s.failures >= max) {
            return Some(error);
        }
        let shift = s.failures.min(16);
        let delay = resume
            .initial_delay
            .saturating_mul(1 << shift)
            .min(resume.max_delay);
        s.failures += 1;
        tokio::time::sleep(delay).await;
        None
    }

    stream::unfold(state, |mut s| async move {
        loop {
            if s.finished {
                return None;
            }
            if let Some(message) = s.pending.pop_front() {
                s.position = s.position.max(message.position());
                s.failures = 0;
                return Some((Ok(message), s));
            }
            let Some(responses) = s.responses.as_mut() else {
                let request = pb::SubscribeRequest {
                    after_global_position: s.position,
                    stream_prefix: s.prefix.clone(),
                    max_batch_events: s.max_batch_events,
                };
                match s.subscriber.open(request).await {
                    Ok(responses) => s.responses = Some(responses),
                    Err(error) => {
                        if let Some(error) = failed(&mut s, error).await {
                            s.finished = true;
                            return Some((Err(error), s));
                        }
                    }
                }
                continue;
            };
            match responses.next().await {
                Some(Ok(response)) => s.pending.extend(messages(response)),
                // The server ended the call without an error: nothing more will come.
                None => return None,
                Some(Err(status)) => {
                    if let Some(error) = failed(&mut s, Error::from(status)).await {
                        s.finished = true;
                        return Some((Err(error), s));
                    }
                }
            }
        }
    })
    .boxed()
}

/// What the stream yields for each kind of server message, without a server: [`subscribe`] takes
/// its calls from a [`Subscriber`], here one that plays scripted calls and keeps the requests.
#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::TryStreamExt;
    use std::sync::{Arc, Mutex};

    type Step = std::result::Result<pb::SubscribeResponse, tonic::Status>;

    /// Answers each Subscribe with the next script: its messages, then an error or the end.
    #[derive(Clone, Default)]
    struct Scripted {
        calls: Arc<Mutex<VecDeque<Vec<Step>>>>,
        requests: Arc<Mutex<Vec<pb::SubscribeRequest>>>,
    }

    impl Scripted {
        fn new(calls: Vec<Vec<Step>>) -> Self {
            let scripted = Scripted::default();
            scripted.calls.lock().unwrap().extend(calls);
            scripted
        }
        /// Each request's after_global_position and max_batch_events.
        fn requests(&self) -> Vec<(u64, u32)> {
            let requests = self.requests.lock().unwrap();
            requests
                .iter()
                .map(|r| (r.after_global_position, r.max_batch_events))
                .collect()
        }
    }

    impl Subscriber for Scripted {
        async fn open(&self, request: pb::SubscribeRequest) -> Result<Responses> {
            self.requests.lock().unwrap().push(request);
            let steps = self.calls.lock().unwrap().pop_front().unwrap_or_default();
            Ok(stream::iter(steps).boxed())
        }
    }

    fn recorded(position: u64) -> pb::RecordedEvent {
        pb::RecordedEvent {
            stream_id: "s".into(),
            stream_version: position,
            global_position: position,
            ..Default::default()
        }
    }
    fn respond(message: pb::subscribe_response::Message) -> Step {
        Ok(pb::SubscribeResponse {
            message: Some(message),
        })
    }
    fn event(position: u64) -> Step {
        respond(pb::subscribe_response::Message::Event(recorded(position)))
    }
    fn batch(positions: &[u64]) -> Step {
        let events = positions.iter().copied().map(recorded).collect();
        respond(pb::subscribe_response::Message::Batch(pb::EventBatch {
            events,
        }))
    }
    fn checkpoint(position: u64) -> Step {
        let checkpoint = pb::Checkpoint {
            global_position: position,
        };
        respond(pb::subscribe_response::Message::Checkpoint(checkpoint))
    }
    fn caught_up(position: u64) -> Step {
        let caught_up = pb::CaughtUp {
            global_position: position,
        };
        respond(pb::subscribe_response::Message::CaughtUp(caught_up))
    }

    fn seen(message: &SubscriptionMessage) -> String {
        match message {
            SubscriptionMessage::Event(e) => format!("event@{}", e.global_position),
            SubscriptionMessage::Checkpoint(p) => format!("checkpoint@{p}"),
            SubscriptionMessage::CaughtUp(p) => format!("caught_up@{p}"),
        }
    }

    async fn everything(scripted: &Scripted, options: SubscribeOptions) -> Vec<String> {
        let messages: Vec<_> = subscribe(scripted.clone(), options)
            .try_collect()
            .await
            .expect("no error");
        messages.iter().map(seen).collect()
    }

    #[tokio::test]
    async fn a_batch_is_yielded_one_event_at_a_time() {
        let scripted = Scripted::new(vec![vec![batch(&[1, 2, 3])]]);
        let got = everything(&scripted, SubscribeOptions::new().prefix("s")).await;
        assert_eq!(got, ["event@1", "event@2", "event@3"]);
        assert_eq!(scripted.requests(), [(0, DEFAULT_MAX_BATCH_EVENTS)]);
        assert_eq!(DEFAULT_MAX_BATCH_EVENTS, 500);
    }

    #[tokio::test]
    async fn events_batches_checkpoints_and_caught_up_keep_their_order() {
        let scripted = Scripted::new(vec![vec![
            event(1),
            batch(&[2, 3]),
            checkpoint(5),
            batch(&[6]),
            caught_up(6),
            event(7),
            batch(&[8, 9]),
        ]]);
        let got = everything(&scripted, SubscribeOptions::new()).await;
        let expected = [
            "event@1",
            "event@2",
            "event@3",
            "checkpoint@5",
            "event@6",
            "caught_up@6",
            "event@7",
            "event@8",
            "event@9",
        ];
        assert_eq!(got, expected);
    }

    #[tokio::test]
    async fn after_unavailable_it_resumes_after_the_last_message_yielded() {
        let unavailable = Err(tonic::Status::unavailable("shutting down"));
        let scripted = Scripted::new(vec![
            vec![batch(&[1, 2]), checkpoint(4), unavailable],
            vec![caught_up(4), batch(&[5, 6])],
        ]);
        let resume = Resume {
            initial_delay: Duration::ZERO,
            ..Resume::default()
        };
        let got = everything(&scripted, SubscribeOptions::new().resume(resume)).await;
        let expected = [
            "event@1",
            "event@2",
            "checkpoint@4",
            "caught_up@4",
            "event@5",
            "event@6",
        ];
        assert_eq!(got, expected);
        assert_eq!(scripted.requests(), [(0, 500), (4, 500)]);
    }

    #[tokio::test]
    async fn a_resume_gives_up_after_max_attempts_failures_in_a_row_and_by_default_never() {
        assert_eq!(Resume::default().max_attempts, None);
        assert_eq!(Resume::default().initial_delay, Duration::from_millis(100));
        assert_eq!(Resume::default().max_delay, Duration::from_secs(5));
        let unavailable = || vec![Err(tonic::Status::unavailable("down"))];
        let scripted = Scripted::new(vec![unavailable(), unavailable(), unavailable()]);
        let resume = Resume {
            max_attempts: Some(2),
            initial_delay: Duration::ZERO,
            ..Resume::default()
        };
        let subscription = subscribe(scripted.clone(), SubscribeOptions::new().resume(resume));
        let result: Result<Vec<_>> = subscription.try_collect().await;
        assert!(matches!(result, Err(Error::Unavailable(_))), "{result:?}");
        assert_eq!(scripted.requests().len(), 3);
    }

    #[tokio::test]
    async fn nothing_more_is_read_while_a_batch_is_being_yielded() {
        let unavailable = Err(tonic::Status::unavailable("shutting down"));
        let scripted = Scripted::new(vec![vec![batch(&[4, 5, 6]), unavailable]]);
        let mut subscription = subscribe(scripted.clone(), SubscribeOptions::new().after(3));
        let first = subscription.next().await.unwrap().unwrap();
        assert_eq!(seen(&first), "event@4");
        let second = subscription.next().await.unwrap().unwrap();
        assert_eq!(seen(&second), "event@5");
        drop(subscription);
        assert_eq!(scripted.requests(), [(3, 500)]);
    }

    #[tokio::test]
    async fn zero_asks_for_one_event_per_message() {
        let scripted = Scripted::new(vec![vec![event(1)]]);
        let got = everything(&scripted, SubscribeOptions::new().max_batch_events(0)).await;
        assert_eq!(got, ["event@1"]);
        assert_eq!(scripted.requests(), [(0, 0)]);
    }
}
