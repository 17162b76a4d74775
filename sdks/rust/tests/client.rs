//! Integration tests against a real eventstored (memory backend) started per test.
mod common;

use common::{unique, Server};
use eventstore_client::proto::eventstore::v1::Checkpoint;
use eventstore_client::{
    json, Client, ClientOptions, Error, ExpectedVersion, NewEvent, ReadAllOptions,
    ReadStreamOptions, RecordedEvent, Resume, SubscribeOptions, SubscriptionMessage,
};
use futures_util::{StreamExt, TryStreamExt};
use std::time::Duration;

fn ev(type_name: &str) -> NewEvent {
    NewEvent::new(
        type_name,
        "application/octet-stream",
        type_name.as_bytes().to_vec(),
    )
}

async fn connect(server: &Server) -> Client {
    Client::connect(server.target()).await.expect("connect")
}

async fn read(client: &Client, stream: &str, options: ReadStreamOptions) -> Vec<RecordedEvent> {
    client
        .read_stream(stream, options)
        .try_collect()
        .await
        .expect("read_stream")
}

fn versions(events: &[RecordedEvent]) -> Vec<u64> {
    events.iter().map(|e| e.stream_version).collect()
}

fn assert_wrong(error: Error, stream: &str, expected: ExpectedVersion, actual: u64) {
    match error {
        Error::WrongExpectedVersion {
            stream_id,
            expected: e,
            actual_version,
            message,
        } => {
            assert_eq!(stream_id, stream);
            assert_eq!(e, expected);
            assert_eq!(actual_version, actual, "{message}");
        }
        other => panic!("expected WrongExpectedVersion, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expected_version_any() {
    let server = Server::start();
    let client = connect(&server).await;
    let s = unique("any");
    let r = client
        .append(&s, [ev("A")], ExpectedVersion::any())
        .await
        .unwrap();
    assert_eq!(r.current_version, 1);
    let r = client
        .append(&s, [ev("B"), ev("C")], ExpectedVersion::any())
        .await
        .unwrap();
    assert_eq!(
        (
            r.current_version,
            r.last_global_position - r.first_global_position
        ),
        (3, 1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expected_version_no_stream_then_wrong_with_actual() {
    let server = Server::start();
    let client = connect(&server).await;
    let s = unique("nostream");
    client
        .append(&s, [ev("A"), ev("B")], ExpectedVersion::no_stream())
        .await
        .unwrap();
    let error = client
        .append(&s, [ev("C")], ExpectedVersion::no_stream())
        .await
        .unwrap_err();
    assert_wrong(error, &s, ExpectedVersion::NoStream, 2);
    assert_eq!(
        versions(&read(&client, &s, ReadStreamOptions::forward()).await),
        vec![1, 2]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expected_version_stream_exists() {
    let server = Server::start();
    let client = connect(&server).await;
    let s = unique("exists");
    let error = client
        .append(&s, [ev("A")], ExpectedVersion::stream_exists())
        .await
        .unwrap_err();
    assert_wrong(error, &s, ExpectedVersion::StreamExists, 0);
    client
        .append(&s, [ev("A")], ExpectedVersion::any())
        .await
        .unwrap();
    let r = client
        .append(&s, [ev("B")], ExpectedVersion::stream_exists())
        .await
        .unwrap();
    assert_eq!(r.current_version, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expected_version_exact_and_exact_zero() {
    let server = Server::start();
    let client = connect(&server).await;
    let s = unique("exact");
    // exact(0) is no_stream
    client
        .append(&s, [ev("A")], ExpectedVersion::exact(0))
        .await
        .unwrap();
    let error = client
        .append(&s, [ev("B")], ExpectedVersion::exact(0))
        .await
        .unwrap_err();
    assert_wrong(error, &s, ExpectedVersion::Exact(0), 1);
    let r = client
        .append(&s, [ev("B"), ev("C")], ExpectedVersion::exact(1))
        .await
        .unwrap();
    assert_eq!(r.current_version, 3);
    let error = client
        .append(&s, [ev("D")], ExpectedVersion::exact(2))
        .await
        .unwrap_err();
    assert_eq!(error.code(), tonic::Code::FailedPrecondition);
    assert!(error.to_string().contains("actual 3"), "{error}");
    assert_wrong(error, &s, ExpectedVersion::Exact(2), 3);
    client
        .append(&s, [ev("D")], ExpectedVersion::exact(3))
        .await
        .unwrap();
    assert_eq!(
        read(&client, &s, ReadStreamOptions::forward()).await.len(),
        4
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paging_forward_and_backward() {
    let server = Server::start();
    let client = connect(&server).await;
    let s = unique("paging");
    let events: Vec<_> = (1..=10).map(|i| ev(&format!("E{i}"))).collect();
    client
        .append(&s, events, ExpectedVersion::no_stream())
        .await
        .unwrap();

    let forward = read(&client, &s, ReadStreamOptions::forward().page_size(3)).await;
    assert_eq!(versions(&forward), (1..=10).collect::<Vec<_>>());
    assert_eq!(forward[9].type_name, "E10");
    let backward = read(&client, &s, ReadStreamOptions::backward().page_size(3)).await;
    assert_eq!(versions(&backward), (1..=10).rev().collect::<Vec<_>>());
    let middle = read(
        &client,
        &s,
        ReadStreamOptions::backward().from_version(5).page_size(2),
    )
    .await;
    assert_eq!(versions(&middle), vec![5, 4, 3, 2, 1]);
    let some = read(
        &client,
        &s,
        ReadStreamOptions::forward().from_version(4).limit(3),
    )
    .await;
    assert_eq!(versions(&some), vec![4, 5, 6]);
    let past = read(&client, &s, ReadStreamOptions::forward().from_version(11)).await;
    assert!(past.is_empty());
    // exactly one page left
    let exact = read(&client, &s, ReadStreamOptions::forward().page_size(5)).await;
    assert_eq!(exact.len(), 10);
    let last_two = read(&client, &s, ReadStreamOptions::backward().limit(2)).await;
    assert_eq!(versions(&last_two), vec![10, 9]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_all_with_a_prefix_pages_in_global_order() {
    let server = Server::start();
    let client = connect(&server).await;
    let a = unique("alpha");
    let b = unique("beta");
    for i in 0..5 {
        client
            .append(format!("{a}-{i}"), [ev("A")], ExpectedVersion::any())
            .await
            .unwrap();
        client
            .append(format!("{b}-{i}"), [ev("B")], ExpectedVersion::any())
            .await
            .unwrap();
    }
    let only_a: Vec<RecordedEvent> = client
        .read_all(ReadAllOptions::new().prefix(&a).page_size(2))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(only_a.len(), 5);
    assert!(only_a.iter().all(|e| e.stream_id.starts_with(&a)));
    assert!(only_a
        .windows(2)
        .all(|w| w[0].global_position < w[1].global_position));
    let everything: Vec<RecordedEvent> = client
        .read_all(ReadAllOptions::new().page_size(3))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        everything
            .iter()
            .map(|e| e.global_position)
            .collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    let after: Vec<RecordedEvent> = client
        .read_all(ReadAllOptions::new().after(7))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        after.iter().map(|e| e.global_position).collect::<Vec<_>>(),
        vec![8, 9, 10]
    );
    let none: Vec<RecordedEvent> = client
        .read_all(ReadAllOptions::new().prefix("nothing-"))
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());
}

async fn next(sub: &mut eventstore_client::SubscriptionStream) -> SubscriptionMessage {
    tokio::time::timeout(Duration::from_secs(20), sub.next())
        .await
        .expect("subscription message within 20 s")
        .expect("subscription ended")
        .expect("subscription error")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_catch_up_then_caught_up_then_live() {
    let server = Server::start();
    let client = connect(&server).await;
    let s = unique("sub");
    client
        .append("other", [ev("X")], ExpectedVersion::any())
        .await
        .unwrap();
    client
        .append(&s, [ev("A"), ev("B")], ExpectedVersion::no_stream())
        .await
        .unwrap();
    let mut sub = client.subscribe(SubscribeOptions::new().prefix(&s));
    let mut caught = Vec::new();
    let caught_up_at = loop {
        match next(&mut sub).await {
            SubscriptionMessage::Event(e) => caught.push(e),
            SubscriptionMessage::CaughtUp(p) => break p,
            SubscriptionMessage::Checkpoint(_) => {}
        }
    };
    assert_eq!(versions(&caught), vec![1, 2]);
    assert_eq!(caught_up_at, 3);
    client
        .append(&s, [ev("C")], ExpectedVersion::exact(2))
        .await
        .unwrap();
    client
        .append("other", [ev("Y")], ExpectedVersion::any())
        .await
        .unwrap();
    client
        .append(&s, [ev("D")], ExpectedVersion::exact(3))
        .await
        .unwrap();
    let mut live = Vec::new();
    while live.len() < 2 {
        match next(&mut sub).await {
            SubscriptionMessage::Event(e) => live.push(e),
            SubscriptionMessage::Checkpoint(_) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(versions(&live), vec![3, 4]);
    assert_eq!(live[0].global_position, 4);
    assert_eq!(live[1].global_position, 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_after_a_position() {
    let server = Server::start();
    let client = connect(&server).await;
    let s = unique("after");
    client
        .append(
            &s,
            [ev("A"), ev("B"), ev("C")],
            ExpectedVersion::no_stream(),
        )
        .await
        .unwrap();
    let mut sub = client.subscribe(SubscribeOptions::new().after(2));
    match next(&mut sub).await {
        SubscriptionMessage::Event(e) => assert_eq!(e.global_position, 3),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(next(&mut sub).await, SubscriptionMessage::CaughtUp(3));
}

/// The subscription asks for batches by default; whether the server sends them or not, the
/// caller gets the same messages as with one event per message.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_batched_or_one_event_per_message_yields_the_same_messages() {
    let server = Server::start();
    let client = connect(&server).await;
    let s = unique("batch");
    for (suffix, count) in [("a", 7), ("b", 5)] {
        let events: Vec<_> = (0..count).map(|_| ev("E")).collect();
        client
            .append(
                format!("{s}-{suffix}"),
                events,
                ExpectedVersion::no_stream(),
            )
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    for options in [
        SubscribeOptions::new().max_batch_events(3),
        SubscribeOptions::new().max_batch_events(0),
        SubscribeOptions::new(),
    ] {
        let mut sub = client.subscribe(options.prefix(&s));
        let mut got = Vec::new();
        loop {
            match next(&mut sub).await {
                SubscriptionMessage::Event(e) => got.push(format!("event@{}", e.global_position)),
                SubscriptionMessage::CaughtUp(p) => {
                    got.push(format!("caught_up@{p}"));
                    break;
                }
                SubscriptionMessage::Checkpoint(_) => {}
            }
        }
        seen.push(got);
    }
    assert_eq!(seen[0].len(), 13);
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[0], seen[2]);
}

/// Without resume, a server shutdown ends the subscription with a typed Unavailable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_without_resume_surfaces_unavailable_on_shutdown() {
    let mut server = Server::start();
    let client = connect(&server).await;
    client
        .append("s-1", [ev("A")], ExpectedVersion::any())
        .await
        .unwrap();
    let mut sub = client.subscribe(SubscribeOptions::new());
    assert!(matches!(
        next(&mut sub).await,
        SubscriptionMessage::Event(_)
    ));
    assert_eq!(next(&mut sub).await, SubscriptionMessage::CaughtUp(1));
    server.stop();
    let item = tokio::time::timeout(Duration::from_secs(20), sub.next())
        .await
        .unwrap();
    match item {
        Some(Err(Error::Unavailable(message))) => {
            assert!(
                message.contains("resume after global position 1"),
                "{message}"
            )
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert!(sub.next().await.is_none());
}

/// With resume and no server coming back, it tries max_attempts times, then gives Unavailable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_resume_gives_up_with_unavailable() {
    let mut server = Server::start();
    let client = connect(&server).await;
    let resume = Resume {
        max_attempts: Some(3),
        initial_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(50),
    };
    let mut sub = client.subscribe(SubscribeOptions::new().resume(resume));
    assert_eq!(next(&mut sub).await, SubscriptionMessage::CaughtUp(0));
    server.stop();
    let item = tokio::time::timeout(Duration::from_secs(30), sub.next())
        .await
        .unwrap();
    match item {
        Some(Err(e)) => assert!(e.is_unavailable(), "{e:?}"),
        other => panic!("expected Unavailable, got {other:?}"),
    }
    assert!(sub.next().await.is_none());
}

/// Resume after UNAVAILABLE: the server is stopped while subscribed (SIGTERM: the stream ends
/// with UNAVAILABLE), and a new one is started on the same port. The memory backend loses its
/// events with the process, so the test re-fills the new server with the same three events
/// (positions 1..3) as a durable backend would still hold, then appends two new ones. The
/// subscription must resume by itself after position 3 and deliver only positions 4 and 5.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_resumes_after_a_server_restart_from_the_last_position() {
    let mut server = Server::start();
    let port = server.port;
    let client = connect(&server).await;
    let history = |client: Client| async move {
        for i in 1..=3 {
            client
                .append("resume-1", [ev(&format!("Old{i}"))], ExpectedVersion::any())
                .await
                .unwrap();
        }
    };
    history(client.clone()).await;
    let resume = Resume {
        max_attempts: Some(100),
        initial_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(200),
    };
    let mut sub = client.subscribe(SubscribeOptions::new().prefix("resume-").resume(resume));
    for position in 1..=3 {
        match next(&mut sub).await {
            SubscriptionMessage::Event(e) => assert_eq!(e.global_position, position),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(next(&mut sub).await, SubscriptionMessage::CaughtUp(3));
    server.stop();
    let restarted = Server::start_on(port);
    // Another writer fills the new server (this client's channel reconnects on its own).
    let writer = connect(&restarted).await;
    history(writer.clone()).await;
    writer
        .append(
            "resume-1",
            [ev("New4"), ev("New5")],
            ExpectedVersion::exact(3),
        )
        .await
        .unwrap();
    // The resume yields nothing of its own: the next messages are the new call's.
    let mut events = Vec::new();
    while events.len() < 2 {
        match next(&mut sub).await {
            SubscriptionMessage::Event(e) => events.push(e),
            SubscriptionMessage::CaughtUp(_) | SubscriptionMessage::Checkpoint(_) => {}
        }
    }
    assert_eq!(
        events.iter().map(|e| e.global_position).collect::<Vec<_>>(),
        vec![4, 5]
    );
    assert_eq!(events[0].type_name, "New4");
}

/// Resume after a crash (SIGKILL: no UNAVAILABLE status, the connection just drops), same
/// re-fill as above.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_resumes_after_a_server_crash() {
    let mut server = Server::start();
    let port = server.port;
    let client = connect(&server).await;
    client
        .append(
            "crash-1",
            [ev("Old1"), ev("Old2")],
            ExpectedVersion::no_stream(),
        )
        .await
        .unwrap();
    let resume = Resume {
        max_attempts: Some(100),
        initial_delay: Duration::from_millis(50),
        max_delay: Duration::from_millis(200),
    };
    let mut sub = client.subscribe(SubscribeOptions::new().prefix("crash-").resume(resume));
    assert!(matches!(
        next(&mut sub).await,
        SubscriptionMessage::Event(_)
    ));
    assert!(matches!(
        next(&mut sub).await,
        SubscriptionMessage::Event(_)
    ));
    assert_eq!(next(&mut sub).await, SubscriptionMessage::CaughtUp(2));
    server.kill();
    let restarted = Server::start_on(port);
    let writer = connect(&restarted).await;
    writer
        .append(
            "crash-1",
            [ev("Old1"), ev("Old2")],
            ExpectedVersion::no_stream(),
        )
        .await
        .unwrap();
    writer
        .append("crash-1", [ev("New3")], ExpectedVersion::exact(2))
        .await
        .unwrap();
    loop {
        match next(&mut sub).await {
            SubscriptionMessage::Event(e) => {
                assert_eq!((e.global_position, e.type_name.as_str()), (3, "New3"));
                break;
            }
            SubscriptionMessage::CaughtUp(_) | SubscriptionMessage::Checkpoint(_) => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deadline_ends_a_call_to_a_server_that_does_not_answer() {
    // A listening socket that never speaks HTTP/2: every call waits until its deadline.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let target = silent.local_addr().unwrap().to_string();
    let unbounded = ClientOptions {
        timeout: None,
        ..ClientOptions::default()
    };
    let hurried = Client::connect_lazy(&target, unbounded)
        .unwrap()
        .with_timeout(Some(Duration::from_millis(200)));
    let appended = hurried
        .append(unique("late"), [ev("Late")], ExpectedVersion::any())
        .await;
    assert!(
        matches!(appended, Err(Error::DeadlineExceeded(_))),
        "{appended:?}"
    );
    let read: Result<Vec<_>, _> = hurried.read_all(ReadAllOptions::new()).try_collect().await;
    assert!(matches!(read, Err(Error::DeadlineExceeded(_))), "{read:?}");
    let by_default = ClientOptions {
        timeout: Some(Duration::from_millis(200)),
        ..ClientOptions::default()
    };
    let read: Result<Vec<_>, _> = Client::connect_lazy(&target, by_default)
        .unwrap()
        .read_stream(unique("late"), ReadStreamOptions::forward())
        .try_collect()
        .await;
    assert!(matches!(read, Err(Error::DeadlineExceeded(_))), "{read:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_and_payload_round_trip_byte_for_byte() {
    let server = Server::start();
    let client = connect(&server).await;
    let s = unique("roundtrip");
    let first = NewEvent::new(
        "Bytes ✓",
        "application/octet-stream",
        vec![0u8, 1, 0, 255, 0],
    )
    .with_tenant_id("tenant-ü")
    .with_correlation_id("corr-😀")
    .with_causation_id("")
    .with_headers([("", "empty key"), ("empty value", ""), ("ключ", "значение")]);
    let second = NewEvent::new("Empty", "", Vec::new());
    let big = NewEvent::new("Big", "application/octet-stream", vec![0u8; 200_002]);
    let sent = vec![first, second, big];
    client
        .append(&s, sent.clone(), ExpectedVersion::no_stream())
        .await
        .unwrap();

    let check = |read: &[RecordedEvent]| {
        assert_eq!(read.len(), sent.len());
        for (r, e) in read.iter().zip(&sent) {
            assert_eq!(r.event_id, e.event_id);
            assert_eq!(r.type_name, e.type_name);
            assert_eq!(r.content_type, e.content_type);
            assert_eq!(r.tenant_id, e.tenant_id);
            assert_eq!(r.correlation_id, e.correlation_id);
            assert_eq!(r.causation_id, e.causation_id);
            assert_eq!(r.headers, e.headers);
            assert_eq!(r.payload, e.payload);
            assert!(r.recorded_at.is_some());
        }
    };
    check(&read(&client, &s, ReadStreamOptions::forward()).await);
    let all: Vec<RecordedEvent> = client
        .read_all(ReadAllOptions::new().prefix(&s))
        .try_collect()
        .await
        .unwrap();
    check(&all);
    let mut sub = client.subscribe(SubscribeOptions::new().prefix(&s));
    let mut subscribed = Vec::new();
    while subscribed.len() < 3 {
        if let SubscriptionMessage::Event(e) = next(&mut sub).await {
            subscribed.push(e);
        }
    }
    check(&subscribed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_over_4_mib_are_received() {
    let server = Server::start();
    let client = connect(&server).await;
    let s = unique("big");
    for _ in 0..3 {
        let event = NewEvent::new(
            "Big",
            "application/octet-stream",
            vec![7u8; 3 * 1024 * 1024],
        );
        client
            .append(&s, [event], ExpectedVersion::any())
            .await
            .unwrap();
    }
    // One page of 3 events: the server's 4 MiB byte budget stops after the 2nd (6 MiB response).
    let page = client
        .read_stream_page(
            eventstore_client::proto::eventstore::v1::ReadStreamRequest {
                stream_id: s.clone(),
                from_version: 0,
                max_count: 3,
                forward: true,
            },
        )
        .await
        .unwrap();
    assert_eq!(page.events.len(), 2);
    assert!(!page.end_of_stream);
    assert_eq!(
        read(&client, &s, ReadStreamOptions::forward()).await.len(),
        3
    );
}

#[test]
fn json_helper_is_compact_ordered_and_unescaped() {
    let value = json::json!({"order_id": "Order-123", "total": 42, "lines": [{"sku": "é", "qty": 2}], "note": "zero\u{0}byte", "ctl": "\u{1f}\n"});
    let event = NewEvent::json("OrderPlaced", &value).unwrap();
    assert_eq!(event.content_type, "application/json");
    assert_eq!(
        String::from_utf8(event.payload.clone()).unwrap(),
        r#"{"order_id":"Order-123","total":42,"lines":[{"sku":"é","qty":2}],"note":"zero\u0000byte","ctl":"\u001f\n"}"#
    );
    let recorded = RecordedEvent {
        content_type: event.content_type.clone(),
        type_name: event.type_name.clone(),
        payload: event.payload.clone(),
        ..Default::default()
    };
    let back: json::Value = recorded.json().unwrap();
    assert_eq!(back, value);
    let untyped = RecordedEvent {
        payload: event.payload.clone(),
        ..Default::default()
    };
    assert_eq!(untyped.json::<json::Value>().unwrap(), value);
    let text = RecordedEvent {
        content_type: "text/plain".into(),
        ..untyped
    };
    assert!(matches!(text.json::<json::Value>(), Err(Error::Decode(_))));
    assert!(matches!(
        recorded.protobuf::<Checkpoint>(),
        Err(Error::Decode(_))
    ));
}

#[test]
fn json_helper_matches_every_interop_vector() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../interop/vectors.json");
    let vectors: json::Value = json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut checked = 0;
    for v in vectors["events"].as_array().unwrap() {
        if v["kind"] == "json" {
            let event = NewEvent::json(v["type_name"].as_str().unwrap(), &v["json"]).unwrap();
            assert_eq!(
                event.payload,
                v["payload_json"].as_str().unwrap().as_bytes()
            );
            checked += 1;
        }
    }
    assert!(checked > 0);
}

#[test]
fn protobuf_helper_uses_the_full_name() {
    let event = NewEvent::protobuf(&Checkpoint {
        global_position: 300,
    });
    assert_eq!(event.type_name, "eventstore.v1.Checkpoint");
    assert_eq!(event.content_type, "application/x-protobuf");
    assert_eq!(event.payload, vec![0x08, 0xac, 0x02]);
    let recorded = RecordedEvent {
        content_type: event.content_type.clone(),
        type_name: event.type_name.clone(),
        payload: event.payload.clone(),
        ..Default::default()
    };
    assert!(recorded.is::<Checkpoint>());
    assert_eq!(
        recorded.protobuf::<Checkpoint>().unwrap().global_position,
        300
    );
    assert!(matches!(
        recorded.json::<json::Value>(),
        Err(Error::Decode(_))
    ));
}

#[test]
fn new_events_get_uuid_v7_ids() {
    let a = NewEvent::new("A", "", vec![]);
    let b = NewEvent::new("A", "", vec![]);
    assert_ne!(a.event_id, b.event_id);
    let id = uuid::Uuid::parse_str(&a.event_id).unwrap();
    assert_eq!(id.get_version_num(), 7);
    assert_eq!(a.event_id, a.event_id.to_lowercase());
    assert_eq!(a.event_id.len(), 36);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn correlation_and_causation_from_the_handled_event() {
    let server = Server::start();
    let client = connect(&server).await;
    let s = unique("corr");
    let start = ev("Started").with_tenant_id("t-1");
    client
        .append(&s, [start.clone()], ExpectedVersion::no_stream())
        .await
        .unwrap();
    let handled = read(&client, &s, ReadStreamOptions::forward())
        .await
        .remove(0);
    let reaction = ev("Reacted")
        .caused_by(&handled)
        .with_tenant_id(handled.tenant_id.clone());
    assert_eq!(
        reaction.correlation_id, start.event_id,
        "empty correlation: the handled event's id"
    );
    assert_eq!(reaction.causation_id, start.event_id);
    client
        .append(&s, [reaction.clone()], ExpectedVersion::exact(1))
        .await
        .unwrap();
    let second = read(&client, &s, ReadStreamOptions::forward().from_version(2))
        .await
        .remove(0);
    let third = ev("ReactedAgain").caused_by(&second);
    assert_eq!(
        third.correlation_id, start.event_id,
        "the correlation is carried on"
    );
    assert_eq!(third.causation_id, reaction.event_id);
    assert_eq!(second.correlation_id, start.event_id);
    assert_eq!(second.causation_id, start.event_id);
    assert_eq!(second.tenant_id, "t-1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_found_already_exists_invalid_argument_and_idempotent_retry() {
    let server = Server::start();
    let client = connect(&server).await;
    let missing = client
        .read_stream(unique("missing"), ReadStreamOptions::forward())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(
        matches!(missing, Error::NotFound(ref m) if m.contains("not found")),
        "{missing:?}"
    );
    assert_eq!(missing.code(), tonic::Code::NotFound);

    let s = unique("dup");
    let events = vec![ev("A"), ev("B")];
    let first = client
        .append(&s, events.clone(), ExpectedVersion::no_stream())
        .await
        .unwrap();
    // Same ids again: an idempotent retry, the original result, nothing written twice.
    let retry = client
        .append(&s, events.clone(), ExpectedVersion::no_stream())
        .await
        .unwrap();
    assert_eq!(first, retry);
    assert_eq!(
        read(&client, &s, ReadStreamOptions::forward()).await.len(),
        2
    );
    // A stored id in another stream: AlreadyExists.
    let reused = ev("C").with_event_id(events[0].event_id.clone());
    let error = client
        .append(unique("other"), [reused], ExpectedVersion::any())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::AlreadyExists(_)), "{error:?}");

    let error = client
        .append("", [ev("A")], ExpectedVersion::any())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::InvalidArgument(ref m) if m.contains("stream_id")),
        "{error:?}"
    );
    let error = client
        .append(&s, [ev("")], ExpectedVersion::any())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::InvalidArgument(ref m) if m.contains("type_name")),
        "{error:?}"
    );
    let error = client
        .append(&s, Vec::<NewEvent>::new(), ExpectedVersion::any())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidArgument(_)), "{error:?}");
    let bad_id = ev("A").with_event_id("not-a-uuid");
    let error = client
        .append(&s, [bad_id], ExpectedVersion::any())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::InvalidArgument(ref m) if m.contains("event_id")),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connecting_to_nothing_is_unavailable() {
    let port = common::free_port();
    let error = Client::connect(format!("127.0.0.1:{port}"))
        .await
        .unwrap_err();
    assert!(error.is_unavailable(), "{error:?}");
    let lazy = Client::connect_lazy(format!("127.0.0.1:{port}"), Default::default()).unwrap();
    let error = lazy
        .append("s", [ev("A")], ExpectedVersion::any())
        .await
        .unwrap_err();
    assert!(error.is_unavailable(), "{error:?}");
}
