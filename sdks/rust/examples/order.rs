//! An Order aggregate on eventstored, Given/When/Then style (tests: tests/order.rs).
//!
//! * given: [`load`] folds the order's history, read with `read_stream`;
//! * when: [`Order::handle`] decides the new events for a command (pure, no I/O);
//! * then: [`execute`] appends them with `exact(current_version)`; when a concurrent writer won
//!   (WrongExpectedVersion), it reloads and retries the command.
//!
//! Run: `cargo run --example order -- 127.0.0.1:50051` against a running server.
#![allow(dead_code)]

use eventstore_client::json::{json, Value};
use eventstore_client::{
    AppendResult, Client, Error, ExpectedVersion, NewEvent, ReadStreamOptions, RecordedEvent,
};
use futures_util::TryStreamExt;

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Place {
        customer: String,
    },
    AddLine {
        sku: String,
        qty: u32,
        price_cents: u64,
    },
    Ship,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Order {
    pub id: String,
    /// The stream version the state was built from (0: no events yet).
    pub version: u64,
    pub placed: bool,
    pub shipped: bool,
    pub total_cents: u64,
    pub lines: u32,
}

#[derive(Debug)]
pub enum OrderError {
    Rejected(String),
    Store(Error),
}

impl From<Error> for OrderError {
    fn from(error: Error) -> Self {
        OrderError::Store(error)
    }
}

pub fn stream_id(order_id: &str) -> String {
    format!("Order-{order_id}")
}

impl Order {
    pub fn apply(&mut self, event: &RecordedEvent) -> Result<(), Error> {
        let data: Value = event.json()?;
        match event.type_name.as_str() {
            "OrderPlaced" => self.placed = true,
            "OrderLineAdded" => {
                self.lines += 1;
                self.total_cents +=
                    data["qty"].as_u64().unwrap_or(0) * data["price_cents"].as_u64().unwrap_or(0);
            }
            "OrderShipped" => self.shipped = true,
            _ => {}
        }
        self.version = event.stream_version;
        Ok(())
    }

    /// Decides the events for a command from the current state.
    pub fn handle(&self, command: &Command) -> Result<Vec<NewEvent>, OrderError> {
        let reject = |why: &str| Err(OrderError::Rejected(why.to_string()));
        let event = match command {
            Command::Place { customer } => {
                if self.placed {
                    return reject("already placed");
                }
                NewEvent::json(
                    "OrderPlaced",
                    &json!({"order_id": self.id, "customer": customer}),
                )?
            }
            Command::AddLine {
                sku,
                qty,
                price_cents,
            } => {
                if !self.placed || self.shipped {
                    return reject("lines can be added only to a placed, unshipped order");
                }
                NewEvent::json(
                    "OrderLineAdded",
                    &json!({"sku": sku, "qty": qty, "price_cents": price_cents}),
                )?
            }
            Command::Ship => {
                if !self.placed || self.shipped || self.lines == 0 {
                    return reject("only a placed order with lines can be shipped, once");
                }
                NewEvent::json("OrderShipped", &json!({"total_cents": self.total_cents}))?
            }
        };
        Ok(vec![event])
    }
}

/// Given: the order's state from its history (a new order when the stream does not exist).
pub async fn load(client: &Client, order_id: &str) -> Result<Order, Error> {
    let mut order = Order {
        id: order_id.to_string(),
        ..Default::default()
    };
    let mut events = client.read_stream(stream_id(order_id), ReadStreamOptions::forward());
    loop {
        match events.try_next().await {
            Ok(Some(event)) => order.apply(&event)?,
            Ok(None) => return Ok(order),
            Err(Error::NotFound(_)) => return Ok(order),
            Err(error) => return Err(error),
        }
    }
}

/// When + then: load, handle, append with exact(version); on WrongExpectedVersion reload and
/// retry (up to 5 attempts). `before_append` runs before each append (tests use it to let a
/// concurrent writer win); it gets the attempt number, from 1.
pub async fn execute_with<F, Fut>(
    client: &Client,
    order_id: &str,
    command: &Command,
    mut before_append: F,
) -> Result<(AppendResult, u32), OrderError>
where
    F: FnMut(u32) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        let order = load(client, order_id).await?;
        let events = order.handle(command)?;
        before_append(attempt).await;
        match client
            .append(
                stream_id(order_id),
                events,
                ExpectedVersion::exact(order.version),
            )
            .await
        {
            Ok(result) => return Ok((result, attempt)),
            Err(Error::WrongExpectedVersion { .. }) if attempt < 5 => continue,
            Err(error) => return Err(error.into()),
        }
    }
}

pub async fn execute(
    client: &Client,
    order_id: &str,
    command: &Command,
) -> Result<AppendResult, OrderError> {
    Ok(execute_with(client, order_id, command, |_| async {})
        .await?
        .0)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:50051".to_string());
    let client = Client::connect(&target).await?;
    let id = eventstore_client::new_event_id();
    for command in [
        Command::Place {
            customer: "ada".into(),
        },
        Command::AddLine {
            sku: "book".into(),
            qty: 2,
            price_cents: 1250,
        },
        Command::Ship,
    ] {
        let result = execute(&client, &id, &command)
            .await
            .map_err(|e| format!("{e:?}"))?;
        println!("{command:?} -> version {}", result.current_version);
    }
    println!("{:?}", load(&client, &id).await?);
    Ok(())
}
