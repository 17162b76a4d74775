//! umadb-bench: eventstore-bench's `append-distinct` load against an UmaDB server, through
//! UmaDB's own Rust client (umadb-client), for issue 16's target 3 (bench/run-umadb.sh).
//!
//! The load shape is eventstore-bench's (bench/src/closed_loop.cpp, append_scenarios.cpp): a
//! closed loop of `concurrency` slots, each keeping one append in flight and starting the next
//! when it completes; slot k always appends to its own stream, here the tag
//! `stream:<run prefix>-append-distinct-<k>`; each append carries `events-per-append` new events
//! (type `BenchEvent`, a `payload`-byte body, a fresh UUID, the content type as metadata).
//! Appends go without an append condition: the equivalent of eventstore-bench's expected version
//! `any`. The slots share `channels` gRPC connections and two runtime threads, as
//! eventstore-bench's calls share its channels and two completion-queue threads. After `warmup`
//! seconds of load, the calls that complete in the next `duration` seconds count, with their
//! latencies. With `--server-pid`, the CPU the server and this tool spent in that window too
//! (eventstore-bench's client_cores, server_cores, server_cpu_us_per_event). Figures are printed
//! and written as JSON in eventstore-bench's shape.

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{json, Map, Value};
use umadb_client::AsyncUmaDbClient;
use umadb_dcb::{DcbEvent, DcbEventStoreAsync};

const EVENT_TYPE: &str = "BenchEvent";
const CONTENT_TYPE: &str = "application/octet-stream";
const SCENARIO: &str = "append-distinct";

#[derive(Parser)]
#[command(about = "Closed-loop appends of new events to distinct streams of an UmaDB server")]
struct Options {
    /// The server's gRPC address
    #[arg(long, default_value = "http://127.0.0.1:50051")]
    server: String,
    /// Appends in flight (one per stream), comma-separated list
    #[arg(long, value_delimiter = ',', default_value = "16")]
    concurrency: Vec<u32>,
    /// Events per append, comma-separated list
    #[arg(long, value_delimiter = ',', default_value = "1,100")]
    events_per_append: Vec<u32>,
    /// Payload bytes of each event
    #[arg(long, default_value_t = 200)]
    payload: usize,
    /// Seconds of each measured run
    #[arg(long, default_value_t = 5.0)]
    duration: f64,
    /// Seconds of load before each measured run, not counted
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Runs per point; the reported figure is their median
    #[arg(long, default_value_t = 3)]
    repeats: u32,
    /// gRPC connections the slots spread over
    #[arg(long, default_value_t = 4)]
    channels: u32,
    /// The server's process id, to report the CPU it spends per event
    #[arg(long)]
    server_pid: Option<u32>,
    /// Where to write the figures as JSON
    #[arg(long)]
    json: Option<String>,
}

const WARMUP: u8 = 0;
const MEASURING: u8 = 1;
const STOPPING: u8 = 2;

/// What one measured run yields (eventstore-bench's RunFigures).
#[derive(Default)]
struct Run {
    seconds: f64,
    calls: u64,
    events: u64,
    latencies_us: Vec<u64>,
    /// CPU seconds spent in the window: this tool's, and the server's when its pid is known.
    client_cpu_s: f64,
    server_cpu_s: Option<f64>,
}

impl Run {
    /// The p-th percentile (nearest rank) in milliseconds, as eventstore-bench's percentile_ms.
    fn percentile_ms(&self, p: f64) -> Option<f64> {
        if self.latencies_us.is_empty() {
            return None;
        }
        let mut sorted = self.latencies_us.clone();
        sorted.sort_unstable();
        let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
        Some(sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0)
    }

    fn figures(&self) -> Map<String, Value> {
        let mut figures = Map::new();
        figures.insert("seconds".into(), json!(self.seconds));
        figures.insert("calls".into(), json!(self.calls));
        figures.insert("events".into(), json!(self.events));
        figures.insert(
            "calls_per_s".into(),
            json!(self.calls as f64 / self.seconds),
        );
        figures.insert(
            "events_per_s".into(),
            json!(self.events as f64 / self.seconds),
        );
        for (name, p) in [("p50_ms", 50.0), ("p99_ms", 99.0), ("p999_ms", 99.9)] {
            if let Some(value) = self.percentile_ms(p) {
                figures.insert(name.into(), json!(value));
            }
        }
        figures.insert(
            "client_cores".into(),
            json!(self.client_cpu_s / self.seconds),
        );
        if let Some(used) = self.server_cpu_s {
            figures.insert("server_cores".into(), json!(used / self.seconds));
            if self.events > 0 {
                figures.insert(
                    "server_cpu_us_per_event".into(),
                    json!(used * 1e6 / self.events as f64),
                );
            }
        }
        figures
    }
}

/// The median of each figure over the runs (the mean of the middle two for an even count).
fn medians(runs: &[Map<String, Value>]) -> Map<String, Value> {
    let mut result = Map::new();
    for key in [
        "calls_per_s",
        "events_per_s",
        "p50_ms",
        "p99_ms",
        "p999_ms",
        "client_cores",
        "server_cores",
        "server_cpu_us_per_event",
    ] {
        let mut values: Vec<f64> = runs.iter().filter_map(|r| r.get(key)?.as_f64()).collect();
        if values.is_empty() {
            continue;
        }
        values.sort_by(f64::total_cmp);
        let middle = values.len() / 2;
        let median = if values.len() % 2 == 1 {
            values[middle]
        } else {
            (values[middle - 1] + values[middle]) / 2.0
        };
        result.insert(key.into(), json!(median));
    }
    result
}

/// CPU seconds (user and system, every thread) process `pid` has used: /proc/<pid>/stat's
/// utime and stime, the 14th and 15th fields.
fn cpu_seconds(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // SAFETY: sysconf reads a constant of the system.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    Some(ticks / per_second)
}

/// `count` new events for `stream`, each with its own UUID.
fn new_events(stream: &str, count: u32, payload: &[u8]) -> Vec<DcbEvent> {
    (0..count)
        .map(|_| {
            DcbEvent::default()
                .event_type(EVENT_TYPE)
                .tags([stream])
                .data(payload)
                .uuid(uuid::Uuid::new_v4())
                .metadata_entry("content-type", CONTENT_TYPE)
        })
        .collect()
}

/// One slot: appends to `stream` until the phase is STOPPING, counting what completes while
/// MEASURING. Returns the slot's tally, or the first failed call's error.
async fn slot(
    client: Arc<AsyncUmaDbClient>,
    stream: String,
    events: u32,
    payload: Arc<Vec<u8>>,
    phase: Arc<AtomicU8>,
) -> Result<Run, String> {
    let mut tally = Run::default();
    while phase.load(Ordering::Acquire) != STOPPING {
        let batch = new_events(&stream, events, &payload);
        let started = Instant::now();
        let result = client.append(batch, None, None).await;
        let latency = started.elapsed();
        if let Err(error) = result {
            phase.store(STOPPING, Ordering::Release);
            return Err(format!("an append failed: {error}"));
        }
        if phase.load(Ordering::Acquire) == MEASURING {
            tally.calls += 1;
            tally.events += u64::from(events);
            tally.latencies_us.push(latency.as_micros() as u64);
        }
    }
    Ok(tally)
}

async fn run_once(
    options: &Options,
    clients: &[Arc<AsyncUmaDbClient>],
    prefix: &str,
    concurrency: u32,
    events: u32,
) -> Result<Run, String> {
    let phase = Arc::new(AtomicU8::new(WARMUP));
    let payload = Arc::new(vec![b'x'; options.payload]);
    let tasks: Vec<_> = (0..concurrency)
        .map(|k| {
            tokio::spawn(slot(
                Arc::clone(&clients[k as usize % clients.len()]),
                format!("stream:{prefix}-{SCENARIO}-{k}"),
                events,
                Arc::clone(&payload),
                Arc::clone(&phase),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs_f64(options.warmup)).await;
    let server_pid = options.server_pid.map(|pid| pid.to_string());
    let server_cpu = || server_pid.as_deref().and_then(cpu_seconds);
    let (server_start, client_start) = (server_cpu(), cpu_seconds("self"));
    let begin = Instant::now();
    // A failure during the warm-up has set STOPPING: keep it.
    let _ = phase.compare_exchange(WARMUP, MEASURING, Ordering::AcqRel, Ordering::Acquire);
    tokio::time::sleep(Duration::from_secs_f64(options.duration)).await;
    phase.store(STOPPING, Ordering::Release);
    let seconds = begin.elapsed().as_secs_f64();
    let (server_end, client_end) = (server_cpu(), cpu_seconds("self"));
    let mut run = Run {
        seconds,
        client_cpu_s: client_end
            .zip(client_start)
            .map_or(0.0, |(end, start)| end - start),
        server_cpu_s: server_end.zip(server_start).map(|(end, start)| end - start),
        ..Run::default()
    };
    for task in tasks {
        let tally = task.await.map_err(|e| e.to_string())??;
        run.calls += tally.calls;
        run.events += tally.events;
        run.latencies_us.extend(tally.latencies_us);
    }
    Ok(run)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

fn utc_now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    // Days to a civil date (Howard Hinnant's days_from_civil, inverted).
    let (days, rest) = (seconds.div_euclid(86400), seconds.rem_euclid(86400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

async fn run(options: Options) -> Result<(), String> {
    if let Some(pid) = options.server_pid {
        cpu_seconds(&pid.to_string()).ok_or(format!("no process {pid} to measure"))?;
    }
    if options.repeats == 0 || options.duration <= 0.0 || options.channels == 0 {
        return Err("--repeats, --duration and --channels must be positive".into());
    }
    let mut clients = Vec::new();
    for _ in 0..options.channels {
        let client = AsyncUmaDbClient::connect(options.server.clone(), None, None, None)
            .await
            .map_err(|e| format!("cannot connect to {}: {e}", options.server))?;
        clients.push(Arc::new(client));
    }
    let prefix = format!("bench-{:08x}", uuid::Uuid::new_v4().as_u128() as u32);
    let mut points = Vec::new();
    println!(
        "scenario         server    parameters                         calls/s    events/s    p50 ms   p99 ms   server µs/event"
    );
    for &concurrency in &options.concurrency {
        for &events in &options.events_per_append {
            let mut runs = Vec::new();
            for _ in 0..options.repeats {
                let run = run_once(&options, &clients, &prefix, concurrency, events).await?;
                runs.push(run.figures());
            }
            let median = medians(&runs);
            let figure = |key: &str| median.get(key).and_then(Value::as_f64).unwrap_or(0.0);
            println!(
                "{SCENARIO:<16} umadb     {:<34} {:<10.0} {:<11.0} {:<8.2} {:<8.2} {:<15.1} ({} runs)",
                format!("c={concurrency} e={events} p={}", options.payload),
                figure("calls_per_s"),
                figure("events_per_s"),
                figure("p50_ms"),
                figure("p99_ms"),
                figure("server_cpu_us_per_event"),
                runs.len()
            );
            points.push(json!({
                "scenario": SCENARIO,
                "server": "umadb",
                "protocol": "umadb",
                "parameters": {
                    "concurrency": concurrency,
                    "events_per_append": events,
                    "payload": options.payload,
                },
                "runs": runs,
                "median": median,
            }));
        }
    }
    if let Some(path) = &options.json {
        let report = json!({
            "command": std::env::args().collect::<Vec<_>>().join(" "),
            "time_utc": utc_now(),
            "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
            "load_average": load_average(),
            "points": points,
        });
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    Ok(())
}

fn main() {
    let options = Options::parse();
    // Two runtime threads, as eventstore-bench's two completion-queue threads.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if let Err(error) = runtime.block_on(run(options)) {
        eprintln!("umadb-bench: {error}");
        std::process::exit(1);
    }
}
