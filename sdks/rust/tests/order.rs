//! Given/When/Then tests of the Order aggregate example (examples/order.rs).
mod common;
#[path = "../examples/order.rs"]
mod order;

use common::Server;
use eventstore_client::json::json;
use eventstore_client::{Client, ExpectedVersion, NewEvent, ReadStreamOptions, RecordedEvent};
use futures_util::TryStreamExt;
use order::{execute, execute_with, load, stream_id, Command, OrderError};

async fn given(client: &Client, order_id: &str, history: Vec<NewEvent>) {
    client
        .append(stream_id(order_id), history, ExpectedVersion::no_stream())
        .await
        .unwrap();
}

fn placed() -> NewEvent {
    NewEvent::json("OrderPlaced", &json!({"customer": "ada"})).unwrap()
}

fn line(qty: u32, price: u64) -> NewEvent {
    NewEvent::json(
        "OrderLineAdded",
        &json!({"sku": "book", "qty": qty, "price_cents": price}),
    )
    .unwrap()
}

async fn stream(client: &Client, order_id: &str) -> Vec<RecordedEvent> {
    client
        .read_stream(stream_id(order_id), ReadStreamOptions::forward())
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn given_a_placed_order_with_a_line_when_shipped_then_order_shipped_at_version_3() {
    let server = Server::start();
    let client = Client::connect(server.target()).await.unwrap();
    given(&client, "o1", vec![placed(), line(2, 1250)]).await;
    let result = execute(&client, "o1", &Command::Ship).await.unwrap();
    assert_eq!(result.current_version, 3);
    let events = stream(&client, "o1").await;
    assert_eq!(events[2].type_name, "OrderShipped");
    assert_eq!(
        events[2].json::<eventstore_client::json::Value>().unwrap()["total_cents"],
        2500
    );
    let order = load(&client, "o1").await.unwrap();
    assert!(order.shipped);
    assert_eq!(order.version, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn given_no_history_when_placed_then_order_placed_at_version_1() {
    let server = Server::start();
    let client = Client::connect(server.target()).await.unwrap();
    let result = execute(
        &client,
        "o2",
        &Command::Place {
            customer: "bob".into(),
        },
    )
    .await
    .unwrap();
    assert_eq!(result.current_version, 1);
    assert_eq!(stream(&client, "o2").await[0].type_name, "OrderPlaced");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn given_a_shipped_order_when_shipped_again_then_rejected_and_nothing_appended() {
    let server = Server::start();
    let client = Client::connect(server.target()).await.unwrap();
    let shipped = NewEvent::json("OrderShipped", &json!({"total_cents": 100})).unwrap();
    given(&client, "o3", vec![placed(), line(1, 100), shipped]).await;
    let error = execute(&client, "o3", &Command::Ship).await.unwrap_err();
    assert!(matches!(error, OrderError::Rejected(_)), "{error:?}");
    assert_eq!(stream(&client, "o3").await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn given_a_concurrent_writer_wins_when_adding_a_line_then_reload_and_retry() {
    let server = Server::start();
    let client = Client::connect(server.target()).await.unwrap();
    given(&client, "o4", vec![placed()]).await;
    let other = client.clone();
    let command = Command::AddLine {
        sku: "pen".into(),
        qty: 3,
        price_cents: 100,
    };
    let (result, attempts) = execute_with(&client, "o4", &command, |attempt| {
        let other = other.clone();
        async move {
            if attempt == 1 {
                // Another writer appends between our load and our append.
                other
                    .append(stream_id("o4"), [line(1, 999)], ExpectedVersion::exact(1))
                    .await
                    .unwrap();
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(attempts, 2);
    assert_eq!(result.current_version, 3);
    let events = stream(&client, "o4").await;
    assert_eq!(events.len(), 3);
    assert_eq!(
        events[2].json::<eventstore_client::json::Value>().unwrap()["sku"],
        "pen"
    );
    let order = load(&client, "o4").await.unwrap();
    assert_eq!((order.lines, order.total_cents), (2, 999 + 300));
}
