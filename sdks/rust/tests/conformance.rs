//! The cases every SDK runs (sdks/conformance/cases.json), against a real eventstored.
mod common;
mod lifecycle_steps;

use common::{unique, Server};
use eventstore_client::json::{self, Value};
use eventstore_client::{
    Client, Error, ExpectedVersion, NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent,
};
use futures_util::TryStreamExt;
use lifecycle_steps::{error_name, expected_version, run_step};

fn cases() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/cases.json");
    json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn cases_of<'a>(cases: &'a Value, kind: &str) -> &'a Vec<Value> {
    cases[kind].as_array().unwrap()
}

fn versions(events: &[RecordedEvent]) -> Vec<u64> {
    events.iter().map(|e| e.stream_version).collect()
}

fn wanted(case: &Value) -> Vec<u64> {
    case["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

async fn fill(client: &Client, stream: &str, n: u64) {
    if n == 0 {
        return;
    }
    let events = (1..=n).map(|i| NewEvent::json(format!("E{i}"), &json::json!({"i": i})).unwrap());
    client
        .append(stream, events, ExpectedVersion::no_stream())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_stream_and_read_all_cases() {
    let cases = cases();
    let server = Server::start();
    let client = Client::connect(server.target()).await.unwrap();
    let stream = unique("conformance");
    fill(&client, &stream, cases["stream_events"].as_u64().unwrap()).await;
    for case in cases_of(&cases, "read_stream") {
        let mut options = match case["direction"].as_str().unwrap() {
            "forward" => ReadStreamOptions::forward(),
            _ => ReadStreamOptions::backward(),
        };
        if let Some(from) = case["from_version"].as_u64() {
            options = options.from_version(from);
        }
        if let Some(size) = case["page_size"].as_u64() {
            options = options.page_size(size as u32);
        }
        if let Some(limit) = case["limit"].as_u64() {
            options = options.limit(limit);
        }
        let read: Vec<_> = client
            .read_stream(&stream, options)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            versions(&read),
            wanted(case),
            "read_stream: {}",
            case["name"]
        );
    }
    for case in cases_of(&cases, "read_all") {
        let mut options = ReadAllOptions::new().prefix(&stream);
        if let Some(size) = case["page_size"].as_u64() {
            options = options.page_size(size as u32);
        }
        if let Some(limit) = case["limit"].as_u64() {
            options = options.limit(limit);
        }
        let read: Vec<_> = client.read_all(options).try_collect().await.unwrap();
        assert_eq!(versions(&read), wanted(case), "read_all: {}", case["name"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn append_cases() {
    let cases = cases();
    let server = Server::start();
    let client = Client::connect(server.target()).await.unwrap();
    for case in cases_of(&cases, "append") {
        let stream = unique("conformance");
        fill(&client, &stream, cases["stream_events"].as_u64().unwrap()).await;
        let next = NewEvent::json("Next", &json::json!({})).unwrap();
        let appended = client
            .append(&stream, [next], expected_version(&case["expected"]))
            .await;
        let name = &case["name"];
        match (case["error"].as_str(), appended) {
            (Some(error), Err(got)) => {
                assert_eq!(error_name(&got), error, "{name}: {got:?}");
                if let Error::WrongExpectedVersion { actual_version, .. } = got {
                    assert_eq!(
                        Some(actual_version),
                        case["actual_version"].as_u64(),
                        "{name}"
                    );
                }
            }
            (None, Ok(result)) => assert_eq!(
                Some(result.current_version),
                case["current_version"].as_u64(),
                "{name}"
            ),
            (_, other) => panic!("{name}: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_cases() {
    let cases = cases();
    let server = Server::start();
    let client = Client::connect(server.target()).await.unwrap();
    for case in cases_of(&cases, "lifecycle") {
        let stream = unique("conformance");
        let events = case["stream_events"].as_u64();
        fill(
            &client,
            &stream,
            events.or(cases["stream_events"].as_u64()).unwrap(),
        )
        .await;
        for step in case["steps"].as_array().unwrap() {
            run_step(&client, &stream, case["name"].as_str().unwrap(), step).await;
        }
    }
}

#[test]
fn decode_json_cases() {
    let cases = cases();
    for case in cases_of(&cases, "decode_json") {
        let event = RecordedEvent {
            content_type: case["content_type"].as_str().unwrap().into(),
            payload: case["payload"].as_str().unwrap().as_bytes().to_vec(),
            ..Default::default()
        };
        let decoded = event.json::<Value>();
        assert_eq!(
            decoded.is_ok(),
            case["decodes"].as_bool().unwrap(),
            "{}: {decoded:?}",
            case["name"]
        );
    }
}
