//! TLS and tokens (sdks/SPEC.md, "Tests"): one eventstored with mutual TLS and auth on, set up by
//! sdks/conformance/secure_server.sh (a CA, certificates for 127.0.0.1 and a client, a writer, a
//! read-only and an admin token).
mod common;
mod lifecycle_steps;

use common::{free_port, unique, Server};
use eventstore_client::{
    Client, ClientOptions, Error, ExpectedVersion, NewEvent, ReadAllOptions, ReadStreamOptions,
    SubscribeOptions, SubscriptionMessage,
};
use futures_util::{StreamExt, TryStreamExt};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixture's files, and a server with TLS and auth on that uses them.
struct Secure {
    dir: PathBuf,
    server: Server,
}

impl Secure {
    fn start() -> Secure {
        let dir = std::env::temp_dir().join(format!("eventstore-rust-tls-{}", unique("d")));
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/secure_server.sh");
        let status = Command::new(script)
            .arg(&dir)
            .arg("--mutual")
            .status()
            .expect("secure_server.sh");
        assert!(status.success(), "secure_server.sh failed");
        let config = std::fs::read_to_string(dir.join("secure.yaml")).unwrap();
        let server = Server::start_with(free_port(), &config);
        Secure { dir, server }
    }

    fn file(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dir.join(name)).unwrap()
    }

    /// The options of a client with the CA, the client certificate and the token in `token_file`.
    fn options(&self, token_file: &str) -> ClientOptions {
        ClientOptions {
            ca_cert: Some(self.file("ca.crt")),
            client_cert: Some(self.file("client.crt")),
            client_key: Some(self.file("client.key")),
            token: Some(String::from_utf8(self.file(token_file)).unwrap()),
            ..ClientOptions::default()
        }
    }

    async fn connect(&self, options: ClientOptions) -> Client {
        Client::connect_with(self.server.target(), options)
            .await
            .expect("connect")
    }
}

impl Drop for Secure {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn placed() -> NewEvent {
    NewEvent::json("Placed", &eventstore_client::json::json!({"n": 1})).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_ca_a_client_certificate_and_a_token_it_appends_reads_and_subscribes() {
    let secure = Secure::start();
    let client = secure.connect(secure.options("writer.token")).await;
    let s = unique("tls");
    client
        .append(&s, [placed()], ExpectedVersion::no_stream())
        .await
        .unwrap();
    let read: Vec<_> = client
        .read_stream(&s, ReadStreamOptions::forward())
        .try_collect()
        .await
        .unwrap();
    let body: eventstore_client::json::Value = read[0].json().unwrap();
    assert_eq!(body["n"], 1);
    let mut subscription = client.subscribe(SubscribeOptions::new().prefix(&s));
    let first = subscription.next().await.unwrap().unwrap();
    assert!(matches!(first, SubscriptionMessage::Event(_)), "{first:?}");
    let second = subscription.next().await.unwrap().unwrap();
    assert!(
        matches!(second, SubscriptionMessage::CaughtUp(_)),
        "{second:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_token_reads_but_its_append_is_permission_denied() {
    let secure = Secure::start();
    let s = unique("tls");
    let writer = secure.connect(secure.options("writer.token")).await;
    writer
        .append(&s, [placed()], ExpectedVersion::any())
        .await
        .unwrap();
    let reader = secure.connect(secure.options("reader.token")).await;
    let read: Vec<_> = reader
        .read_stream(&s, ReadStreamOptions::forward())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(read.len(), 1);
    match reader.append(&s, [placed()], ExpectedVersion::any()).await {
        Err(Error::PermissionDenied(message)) => assert!(message.contains("may not write")),
        other => panic!("expected PermissionDenied, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_is_unauthenticated_on_every_call() {
    let secure = Secure::start();
    let options = ClientOptions {
        token: Some("0".repeat(64)),
        ..secure.options("writer.token")
    };
    let client = secure.connect(options).await;
    match client
        .append(unique("tls"), [placed()], ExpectedVersion::any())
        .await
    {
        Err(Error::Unauthenticated(message)) => assert!(message.contains("unknown bearer token")),
        other => panic!("expected Unauthenticated, got {other:?}"),
    }
    let read: Result<Vec<_>, _> = client.read_all(ReadAllOptions::new()).try_collect().await;
    assert!(matches!(read, Err(Error::Unauthenticated(_))), "{read:?}");
    let subscribed = client.subscribe(SubscribeOptions::new()).next().await;
    assert!(
        matches!(subscribed, Some(Err(Error::Unauthenticated(_)))),
        "{subscribed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_client_certificate_the_handshake_fails() {
    let secure = Secure::start();
    let options = ClientOptions {
        client_cert: None,
        client_key: None,
        ..secure.options("writer.token")
    };
    let connected = match Client::connect_with(secure.server.target(), options).await {
        Err(error) => Err(error),
        Ok(client) => client
            .append(unique("tls"), [placed()], ExpectedVersion::any())
            .await
            .map(|_| ()),
    };
    assert!(
        matches!(&connected, Err(e) if e.is_unavailable()),
        "{connected:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_permission_cases() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/cases.json");
    let cases: eventstore_client::json::Value =
        eventstore_client::json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let secure = Secure::start();
    let admin = secure.connect(secure.options("admin.token")).await;
    for case in cases["lifecycle_permissions"].as_array().unwrap() {
        let s = unique("tls");
        admin
            .append(&s, [placed()], ExpectedVersion::no_stream())
            .await
            .unwrap();
        let token = case["token"].as_str().unwrap();
        let client = secure.connect(secure.options(token)).await;
        let name = case["name"].as_str().unwrap();
        lifecycle_steps::run_step(&client, &s, name, case).await;
    }
}
