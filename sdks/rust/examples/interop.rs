//! The cross-SDK interop program (run by interop.sh):
//!   interop write|verify --target HOST:PORT --stream S --vectors FILE
//! write: appends every vector of FILE with this SDK's helpers, expected no_stream.
//! verify: reads S and checks every event byte for byte against the vectors; exit 1 on a difference.
use eventstore_client::json::Value;
use eventstore_client::proto::eventstore::v1::Checkpoint;
use eventstore_client::{Client, ExpectedVersion, NewEvent, ReadStreamOptions, RecordedEvent};
use futures_util::TryStreamExt;
use std::collections::HashMap;
use std::process::ExitCode;

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
        .collect()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or("")
}

fn headers(v: &Value) -> HashMap<String, String> {
    v["headers"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

fn expected_payload(v: &Value) -> Vec<u8> {
    match v["payload_json"].as_str() {
        Some(json) => json.as_bytes().to_vec(),
        None => hex(text(v, "payload_hex")),
    }
}

fn event_for(v: &Value) -> Result<NewEvent, String> {
    let event = match text(v, "kind") {
        "json" => NewEvent::json(text(v, "type_name"), &v["json"]).map_err(|e| e.to_string())?,
        "proto" => NewEvent::protobuf(&Checkpoint {
            global_position: v["global_position"].as_u64().ok_or("global_position")?,
        }),
        "bytes" => NewEvent::new(
            text(v, "type_name"),
            text(v, "content_type"),
            hex(text(v, "payload_hex")),
        ),
        other => return Err(format!("unknown kind '{other}'")),
    };
    if event.type_name != text(v, "type_name") || event.content_type != text(v, "content_type") {
        return Err(format!(
            "helper made type_name '{}' content_type '{}', the vector says '{}' '{}'",
            event.type_name,
            event.content_type,
            text(v, "type_name"),
            text(v, "content_type")
        ));
    }
    Ok(event
        .with_tenant_id(text(v, "tenant_id"))
        .with_correlation_id(text(v, "correlation_id"))
        .with_causation_id(text(v, "causation_id"))
        .with_headers(headers(v)))
}

fn is_uuid_v7(id: &str) -> bool {
    let b = id.as_bytes();
    id.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && b.iter()
            .enumerate()
            .all(|(i, c)| [8, 13, 18, 23].contains(&i) || c.is_ascii_hexdigit())
        && b[14] == b'7'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b' | b'A' | b'B')
}

fn check(i: usize, v: &Value, e: &RecordedEvent, problems: &mut Vec<String>) {
    let mut same = |field: &str, got: &str, want: &str| {
        if got != want {
            problems.push(format!("event {i}: {field} is {got:?}, expected {want:?}"));
        }
    };
    same("type_name", &e.type_name, text(v, "type_name"));
    same("content_type", &e.content_type, text(v, "content_type"));
    same("tenant_id", &e.tenant_id, text(v, "tenant_id"));
    same(
        "correlation_id",
        &e.correlation_id,
        text(v, "correlation_id"),
    );
    same("causation_id", &e.causation_id, text(v, "causation_id"));
    if e.headers != headers(v) {
        problems.push(format!(
            "event {i}: headers are {:?}, expected {:?}",
            e.headers,
            headers(v)
        ));
    }
    let want = expected_payload(v);
    if e.payload != want {
        problems.push(format!(
            "event {i}: payload is {:02x?}, expected {:02x?}",
            e.payload, want
        ));
    }
    if !is_uuid_v7(&e.event_id) {
        problems.push(format!(
            "event {i}: event_id {:?} is not a UUID v7",
            e.event_id
        ));
    }
    if e.stream_version != i as u64 + 1 {
        problems.push(format!("event {i}: stream_version is {}", e.stream_version));
    }
}

async fn run() -> Result<bool, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: interop write|verify --target HOST:PORT --stream S --vectors FILE";
    let mode = args.first().ok_or(usage)?.clone();
    let option = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .ok_or(usage)
    };
    let (target, stream, vectors) = (
        option("--target")?,
        option("--stream")?,
        option("--vectors")?,
    );
    let bytes = std::fs::read(&vectors).map_err(|e| format!("{vectors}: {e}"))?;
    let vectors: Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    let vectors = vectors["events"]
        .as_array()
        .ok_or("no events in the vectors")?
        .clone();
    let client = Client::connect(&target).await.map_err(|e| e.to_string())?;
    match mode.as_str() {
        "write" => {
            let events = vectors
                .iter()
                .map(event_for)
                .collect::<Result<Vec<_>, _>>()?;
            let result = client
                .append(&stream, events, ExpectedVersion::no_stream())
                .await
                .map_err(|e| e.to_string())?;
            println!("rust wrote {} events to {stream}", result.current_version);
            Ok(true)
        }
        "verify" => {
            let events: Vec<RecordedEvent> = client
                .read_stream(&stream, ReadStreamOptions::forward())
                .try_collect()
                .await
                .map_err(|e| e.to_string())?;
            let mut problems = Vec::new();
            if events.len() != vectors.len() {
                problems.push(format!(
                    "{} events in {stream}, expected {}",
                    events.len(),
                    vectors.len()
                ));
            }
            for (i, (v, e)) in vectors.iter().zip(&events).enumerate() {
                check(i, v, e, &mut problems);
            }
            for p in &problems {
                eprintln!("{stream}: {p}");
            }
            if problems.is_empty() {
                println!("rust verified {} events of {stream}", events.len());
            }
            Ok(problems.is_empty())
        }
        _ => Err(usage.to_string()),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("interop: {error}");
            ExitCode::FAILURE
        }
    }
}
