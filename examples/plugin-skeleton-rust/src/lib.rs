//! The smallest complete eventstored backend in Rust: an in-memory store on the eventstore-plugin
//! crate. Copy it to start a backend of your own; examples/plugin-skeleton-c is the same store in
//! C, examples/plugin-skeleton in C++.
//!
//! The crate gives what every backend shares: the boundary (no panic crosses it, plugin.h's
//! growth rule, es_error writing, the minor's negotiation), the contract's input rules, and the
//! append's decisions (expected version, idempotent retry, stream owners) with the messages
//! clients see. What is left here is the store: atomic appends, reads of a stream and of the
//! global log, commit notifications.
//!
//! Threads: the host calls a store from many threads at once; one mutex guards all of it. Events
//! are shared (`Arc`) with the iterators, which may outlive the store.
use eventstore_plugin::{
    capability, export_plugin, AppendRequest, Appended, Error, Header, Host, OpenParams, PageInfo,
    Plugin, ReadAllRequest, ReadStreamRequest, RecordedEvent, Result, StoredId,
};
use std::collections::HashMap;
use std::ffi::CStr;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

/// Positions one read_all scans when the request's max_scan is 0.
const MAX_SCAN: u64 = 10_000;

/// One stored event, never changed once stored.
struct Event {
    stream_id: Vec<u8>,
    stream_version: u64,
    global_position: u64,
    recorded_at_us: i64,
    event_id: Vec<u8>,
    type_name: Vec<u8>,
    content_type: Vec<u8>,
    tenant_id: Vec<u8>,
    correlation_id: Vec<u8>,
    causation_id: Vec<u8>,
    headers: Vec<(Vec<u8>, Vec<u8>)>,
    payload: Vec<u8>,
}

#[derive(Default)]
struct State {
    log: Vec<Arc<Event>>,                       // position p at p - 1
    streams: HashMap<Vec<u8>, Vec<Arc<Event>>>, // version v at v - 1; never empty
    ids: HashMap<Vec<u8>, Arc<Event>>,          // event id -> event
    last_recorded_at_us: i64,                   // recorded_at never goes back along positions
}

pub struct MemoryStore {
    host: Host,
    state: Mutex<State>,
}

fn now_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as i64)
}

impl MemoryStore {
    /// The append, under the lock: decides, then links it all.
    fn append_locked(state: &mut State, r: &AppendRequest<'_>) -> Result<Appended> {
        let current = state.streams.get(r.stream_id).map_or(0, |s| s.len() as u64);
        // Another owner's stream: refused before anything that would tell more about it.
        if let Some(first) = state.streams.get(r.stream_id).and_then(|s| s.first()) {
            if r.owned_by_another(&first.tenant_id) {
                return Err(r.not_the_owner());
            }
        }
        // An idempotent retry returns what the first call returned and writes nothing.
        let found: Vec<Option<StoredId<'_>>> = r
            .events
            .iter()
            .map(|e| {
                state.ids.get(e.event_id).map(|stored| StoredId {
                    stream_id: &stored.stream_id,
                    stream_version: stored.stream_version,
                    global_position: stored.global_position,
                })
            })
            .collect();
        if let Some(original) = r.judge_retry(&found)? {
            return Ok(original);
        }
        if !r.expected_matches(current) {
            return Err(r.wrong_expected_version(current));
        }
        let recorded_at_us = now_us().max(state.last_recorded_at_us);
        state.last_recorded_at_us = recorded_at_us;
        let first_global_position = state.log.len() as u64 + 1;
        for (i, e) in r.events.iter().enumerate() {
            let event = Arc::new(Event {
                stream_id: r.stream_id.to_vec(),
                stream_version: current + i as u64 + 1,
                global_position: state.log.len() as u64 + 1,
                recorded_at_us,
                event_id: e.event_id.to_vec(),
                type_name: e.type_name.to_vec(),
                content_type: e.content_type.to_vec(),
                tenant_id: e.tenant_id.to_vec(),
                correlation_id: e.correlation_id.to_vec(),
                causation_id: e.causation_id.to_vec(),
                headers: e
                    .headers
                    .iter()
                    .map(|h| (h.key.to_vec(), h.value.to_vec()))
                    .collect(),
                payload: e.payload.to_vec(),
            });
            state.log.push(event.clone());
            state.ids.insert(event.event_id.clone(), event.clone());
            state
                .streams
                .entry(r.stream_id.to_vec())
                .or_default()
                .push(event);
        }
        Ok(Appended {
            current_version: current + r.events.len() as u64,
            first_global_position,
            last_global_position: state.log.len() as u64,
        })
    }
}

impl eventstore_plugin::Store for MemoryStore {
    type Iter = Page;

    fn append(&self, request: &AppendRequest<'_>) -> Result<Appended> {
        let appended = Self::append_locked(&mut self.state.lock().unwrap(), request)?;
        // After the lock: the host may read right away. A retry announces nothing new.
        self.host.notify_committed(appended.last_global_position);
        Ok(appended)
    }

    fn read_stream(&self, r: &ReadStreamRequest<'_>) -> Result<Page> {
        let state = self.state.lock().unwrap();
        let events = match state.streams.get(r.stream_id) {
            // Another owner's stream reads exactly as a missing one.
            Some(events) if !r.owned_by_another(&events[0].tenant_id) => events,
            _ => return Err(r.not_found()),
        };
        let current = events.len() as u64;
        let max = u64::from(r.max_count);
        let mut page = Page::default();
        if r.forward {
            let first = r.from_version.max(1); // versions are 1-based
            let last = current.min(first.saturating_add(max - 1));
            page.events = (first..=last)
                .map(|v| events[v as usize - 1].clone())
                .collect();
            page.info.next_from_version = first + page.events.len() as u64;
            page.info.end_of_stream = page.info.next_from_version > current;
        } else {
            let last = if r.from_version == 0 || r.from_version > current {
                current
            } else {
                r.from_version
            };
            let first = last.saturating_sub(max - 1).max(1);
            page.events = (first..=last)
                .rev()
                .map(|v| events[v as usize - 1].clone())
                .collect();
            page.info.next_from_version = last - page.events.len() as u64; // 0 once version 1 was returned
            page.info.end_of_stream = page.info.next_from_version == 0;
        }
        Ok(page)
    }

    fn read_all(&self, r: &ReadAllRequest<'_>) -> Result<Page> {
        let state = self.state.lock().unwrap();
        let head = state.log.len() as u64;
        let max_scan = if r.max_scan != 0 {
            r.max_scan
        } else {
            MAX_SCAN
        };
        let mut page = Page::default();
        // Positions are dense here: position p is log[p - 1].
        let mut position = r.after_position;
        while position < head
            && position - r.after_position < max_scan
            && page.events.len() < r.max_count as usize
        {
            let event = &state.log[position as usize];
            position += 1;
            if event.stream_id.starts_with(r.stream_prefix) {
                page.events.push(event.clone());
            }
        }
        page.info.last_scanned_position = position.max(r.after_position);
        page.info.reached_head = position >= head;
        Ok(page)
    }
}

/// A page of events picked under the lock, handed out one by one.
#[derive(Default)]
pub struct Page {
    events: Vec<Arc<Event>>,
    next: usize,
    info: PageInfo,
}

impl eventstore_plugin::Iterator for Page {
    fn next(&mut self) -> Result<Option<RecordedEvent<'_>>> {
        let Some(e) = self.events.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        Ok(Some(RecordedEvent {
            stream_id: &e.stream_id,
            stream_version: e.stream_version,
            global_position: e.global_position,
            recorded_at_us: e.recorded_at_us,
            event_id: &e.event_id,
            type_name: &e.type_name,
            content_type: &e.content_type,
            tenant_id: &e.tenant_id,
            correlation_id: &e.correlation_id,
            causation_id: &e.causation_id,
            headers: e
                .headers
                .iter()
                .map(|(key, value)| Header { key, value })
                .collect(),
            payload: &e.payload,
        }))
    }

    fn page(&mut self) -> Result<PageInfo> {
        Ok(self.info)
    }
}

pub struct Skeleton;

impl Plugin for Skeleton {
    const NAME: &'static CStr = c"skeleton-rust";
    const VERSION: &'static CStr = c"0.1.0";
    /// The ABI minor whose rules this plugin implements: 1.5, without the optional parts of 1.4
    /// (append_async) and 1.5 (the stream lifecycle: Plugin::LIFECYCLE). It answers this minor,
    /// or an older host's newest. Following a new minor: raise it and implement what the minor
    /// added; the crate builds a table for each minor.
    const ABI_MINOR: u32 = 5;
    const CAPABILITIES: u64 = capability::COMMIT_NOTIFICATIONS;
    type Store = MemoryStore;

    /// Options come flattened from the YAML `backend.options`; this plugin takes none, and
    /// refuses any, naming it.
    fn open(params: OpenParams<'_>) -> Result<MemoryStore> {
        if let Some(option) = params.options.first() {
            return Err(Error::new(
                eventstore_plugin::status::INVALID_ARGUMENT,
                format!(
                    "unknown option '{}' for the skeleton-rust backend (it takes none)",
                    String::from_utf8_lossy(option.key)
                ),
            ));
        }
        Ok(MemoryStore {
            host: params.host,
            state: Mutex::new(State::default()),
        })
    }
}

export_plugin!(Skeleton);
