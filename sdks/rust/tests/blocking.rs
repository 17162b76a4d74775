//! The blocking facade (feature `blocking`), without any async code in the test.
mod common;

use common::{unique, Server};
use eventstore_client::blocking::Client;
use eventstore_client::{
    Error, ExpectedVersion, NewEvent, ReadAllOptions, ReadStreamOptions, SubscribeOptions,
    SubscriptionMessage,
};
use std::time::Duration;

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
