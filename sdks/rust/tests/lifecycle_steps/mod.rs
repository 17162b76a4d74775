//! Runs the lifecycle steps of sdks/conformance/cases.json ("lifecycle", "lifecycle_permissions"):
//! one step is one call and what it must answer. Also the cases' words for expected versions and
//! errors, which conformance.rs's append cases share.
#![allow(dead_code)]
use eventstore_client::json::{self, Value};
use eventstore_client::{
    Client, Error, ExpectedVersion, NewEvent, ReadStreamOptions, StreamRetention, StreamState,
};
use futures_util::TryStreamExt;
use std::time::Duration;

pub fn expected_version(spec: &Value) -> ExpectedVersion {
    match spec["kind"].as_str().unwrap() {
        "any" => ExpectedVersion::any(),
        "no_stream" => ExpectedVersion::no_stream(),
        "stream_exists" => ExpectedVersion::stream_exists(),
        "exact" => ExpectedVersion::exact(spec["version"].as_u64().unwrap()),
        other => panic!("unknown expected version kind {other}"),
    }
}

/// The SPEC.md name of an error's type.
pub fn error_name(error: &Error) -> &'static str {
    match error {
        Error::WrongExpectedVersion { .. } => "WrongExpectedVersion",
        Error::StreamDeleted { .. } => "StreamDeleted",
        Error::NotFound(_) => "NotFound",
        Error::AlreadyExists(_) => "AlreadyExists",
        Error::InvalidArgument(_) => "InvalidArgument",
        Error::ResourceExhausted(_) => "ResourceExhausted",
        Error::DeadlineExceeded(_) => "DeadlineExceeded",
        Error::Unauthenticated(_) => "Unauthenticated",
        Error::PermissionDenied(_) => "PermissionDenied",
        Error::Unavailable(_) => "Unavailable",
        Error::Cancelled(_) => "Cancelled",
        _ => "EventStoreError",
    }
}

/// What a step's call answered.
#[derive(Debug)]
enum Answer {
    Appended(u64),
    Read(Vec<u64>),
    State(StreamState),
}

async fn call(client: &Client, stream: &str, step: &Value) -> Result<Answer, Error> {
    let expected = || expected_version(&step["expected"]);
    let state = match step["op"].as_str().unwrap() {
        "append" => {
            let next = NewEvent::json("Next", &json::json!({})).unwrap();
            let appended = client.append(stream, [next], expected()).await?;
            return Ok(Answer::Appended(appended.current_version));
        }
        "read" => {
            let events: Vec<_> = client
                .read_stream(stream, ReadStreamOptions::forward())
                .try_collect()
                .await?;
            return Ok(Answer::Read(
                events.iter().map(|e| e.stream_version).collect(),
            ));
        }
        "delete" => client.delete_stream(stream, expected()).await?,
        "tombstone" => client.tombstone_stream(stream, expected()).await?,
        "truncate" => {
            let before = step["before"].as_u64().unwrap();
            client.truncate_stream(stream, before).await?
        }
        "set_retention" => {
            let retention = StreamRetention {
                max_count: step["max_count"].as_u64().unwrap(),
                max_age: step["max_age_ms"].as_u64().map(Duration::from_millis),
            };
            client.set_stream_retention(stream, retention).await?
        }
        "state" => client.get_stream_state(stream).await?,
        other => panic!("unknown op {other}"),
    };
    Ok(Answer::State(state))
}

/// The fields of `state` that `wanted` names, in the cases' words (max_age in ms, null: none).
fn state_fields(state: &StreamState, wanted: &Value) -> Value {
    let age = state.retention.max_age.map(|age| age.as_millis() as u64);
    let fields = json::json!({
        "last_version": state.last_version,
        "truncate_before": state.truncate_before,
        "deleted": state.deleted,
        "tombstoned": state.tombstoned,
        "retention": {"max_count": state.retention.max_count, "max_age_ms": age},
    });
    let picked = wanted
        .as_object()
        .unwrap()
        .keys()
        .map(|key| (key.clone(), fields[key].clone()));
    Value::Object(picked.collect())
}

/// Runs `step` on `stream`; `case` names the case in the messages.
pub async fn run_step(client: &Client, stream: &str, case: &str, step: &Value) {
    let answer = call(client, stream, step).await;
    match (step["error"].as_str(), answer) {
        (Some(wanted), Err(error)) => {
            assert_eq!(error_name(&error), wanted, "{case}: {step}: {error:?}");
            if let Some(part) = step["message"].as_str() {
                assert!(error.message().contains(part), "{case}: {step}: {error:?}");
            }
            if let Error::WrongExpectedVersion { actual_version, .. } = &error {
                assert_eq!(
                    Some(*actual_version),
                    step["actual_version"].as_u64(),
                    "{case}: {step}"
                );
            }
            if let Error::StreamDeleted { stream_id, .. } = &error {
                assert_eq!(stream_id, stream, "{case}: {step}");
            }
        }
        (None, Ok(Answer::Appended(version))) => {
            assert_eq!(
                Some(version),
                step["current_version"].as_u64(),
                "{case}: {step}"
            )
        }
        (None, Ok(Answer::Read(versions))) => {
            let wanted: Vec<u64> = step["versions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_u64().unwrap())
                .collect();
            assert_eq!(versions, wanted, "{case}: {step}");
        }
        (None, Ok(Answer::State(state))) => {
            assert_eq!(state.stream_id, stream, "{case}: {step}");
            assert_eq!(
                state_fields(&state, &step["state"]),
                step["state"],
                "{case}: {step}"
            );
        }
        (_, other) => panic!("{case}: {step}: {other:?}"),
    }
}
