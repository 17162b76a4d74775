//! The blocking facade (feature `blocking`), without any async code in the test.
mod common;

use common::{unique, Server};
use eventstore_client::blocking::Client;
use eventstore_client::{
    Error, ExpectedVersion, NewEvent, ReadAllOptions, ReadStreamOptions, StreamRetention,
    SubscribeOptions, SubscriptionMessage,
};
use std::time::Duration;
use tonic::Code;

#[test]
fn blocking_append_read_and_subscribe() {
    let server = Server::start();
    let client = Client::connect(server.target()).unwrap();
    let s = unique("blocking");
    let events: Vec<_> = (1..=5)
        .map(|i| NewEvent::new(format!("E{i}"), "", vec![i as u8]))
        .collect();
    let r = client
        .append(&s, events, ExpectedVersion::no_stream())
        .unwrap();
    assert_eq!(r.current_version, 5);
    let error = client
        .append(
            &s,
            [NewEvent::new("X", "", vec![])],
            ExpectedVersion::exact(4),
        )
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::WrongExpectedVersion {
                actual_version: 5,
                ..
            }
        ),
        "{error:?}"
    );

    let read: Vec<_> = client
        .read_stream(&s, ReadStreamOptions::backward().page_size(2))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        read.iter().map(|e| e.stream_version).collect::<Vec<_>>(),
        vec![5, 4, 3, 2, 1]
    );
    let all: Vec<_> = client
        .read_all(ReadAllOptions::new().prefix(&s))
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(all.len(), 5);
    assert!(matches!(
        client
            .read_stream("missing", ReadStreamOptions::forward())
            .next(),
        Some(Err(Error::NotFound(_)))
    ));

    let mut sub = client.subscribe(SubscribeOptions::new().prefix(&s).after(3));
    let mut seen = Vec::new();
    loop {
        match sub
            .next_timeout(Duration::from_secs(20))
            .expect("a message")
            .expect("not ended")
            .unwrap()
        {
            SubscriptionMessage::Event(e) => seen.push(e.type_name.clone()),
            SubscriptionMessage::CaughtUp(p) => {
                assert_eq!(p, 5);
                break;
            }
            _ => {}
        }
    }
    assert_eq!(seen, vec!["E4", "E5"]);
    assert!(
        sub.next_timeout(Duration::from_millis(300)).is_none(),
        "nothing new yet"
    );
    client
        .append(
            &s,
            [NewEvent::new("E6", "", vec![])],
            ExpectedVersion::exact(5),
        )
        .unwrap();
    match sub
        .next_timeout(Duration::from_secs(20))
        .unwrap()
        .unwrap()
        .unwrap()
    {
        SubscriptionMessage::Event(e) => assert_eq!(e.stream_version, 6),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn blocking_lifecycle_calls_and_stream_deleted() {
    let server = Server::start();
    let client = Client::connect(server.target()).unwrap();
    let s = unique("blocking");
    let events: Vec<_> = (1..=3)
        .map(|i| NewEvent::new(format!("E{i}"), "", vec![i as u8]))
        .collect();
    client
        .append(&s, events, ExpectedVersion::no_stream())
        .unwrap();
    let retention = StreamRetention {
        max_count: 2,
        max_age: Some(Duration::from_secs(3600)),
    };
    assert_eq!(
        client
            .set_stream_retention(&s, retention)
            .unwrap()
            .retention,
        retention
    );
    assert_eq!(client.truncate_stream(&s, 3).unwrap().truncate_before, 3);
    let read: Vec<_> = client
        .read_stream(&s, ReadStreamOptions::forward())
        .map(|e| e.unwrap().stream_version)
        .collect();
    assert_eq!(read, [3]);
    let deleted = client.delete_stream(&s, ExpectedVersion::exact(3)).unwrap();
    assert_eq!(
        (deleted.deleted, deleted.tombstoned, deleted.last_version),
        (true, false, 3)
    );
    assert_eq!(client.get_stream_state(&s).unwrap(), deleted);
    assert!(
        client
            .tombstone_stream(&s, ExpectedVersion::any())
            .unwrap()
            .tombstoned
    );
    let appending = client
        .append(&s, [NewEvent::new("X", "", vec![])], ExpectedVersion::any())
        .unwrap_err();
    assert!(
        matches!(&appending, Error::StreamDeleted { code: Code::FailedPrecondition, stream_id, .. } if *stream_id == s),
        "{appending:?}"
    );
    let reading = client
        .read_stream(&s, ReadStreamOptions::forward())
        .next()
        .unwrap()
        .unwrap_err();
    assert_eq!(reading.code(), Code::NotFound, "{reading:?}");
    assert!(
        matches!(reading, Error::StreamDeleted { .. }),
        "{reading:?}"
    );
}
