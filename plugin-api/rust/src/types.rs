//! The safe views of plugin.h's structs, the errors, and the append's decisions (which call
//! plugin_util.h, so that the messages are the ones every backend writes).
use crate::sys;
use std::ffi::CStr;
use std::mem::{size_of, zeroed};
use std::ptr;

/// plugin.h `es_status`: the numbers are gRPC's status codes.
pub type Status = sys::es_status;

/// The statuses of plugin.h.
pub mod status {
    use super::Status;
    use crate::sys;
    pub const OK: Status = sys::ES_OK as Status;
    pub const CANCELLED: Status = sys::ES_CANCELLED as Status;
    pub const INVALID_ARGUMENT: Status = sys::ES_INVALID_ARGUMENT as Status;
    pub const DEADLINE_EXCEEDED: Status = sys::ES_DEADLINE_EXCEEDED as Status;
    pub const NOT_FOUND: Status = sys::ES_NOT_FOUND as Status;
    pub const ALREADY_EXISTS: Status = sys::ES_ALREADY_EXISTS as Status;
    pub const PERMISSION_DENIED: Status = sys::ES_PERMISSION_DENIED as Status;
    pub const RESOURCE_EXHAUSTED: Status = sys::ES_RESOURCE_EXHAUSTED as Status;
    pub const FAILED_PRECONDITION: Status = sys::ES_FAILED_PRECONDITION as Status;
    pub const UNIMPLEMENTED: Status = sys::ES_UNIMPLEMENTED as Status;
    pub const INTERNAL: Status = sys::ES_INTERNAL as Status;
    pub const UNAVAILABLE: Status = sys::ES_UNAVAILABLE as Status;
}

/// The capability bits of plugin.h that a plugin states itself ([`crate::Plugin::CAPABILITIES`]).
pub mod capability {
    use crate::sys;
    pub const COMMIT_NOTIFICATIONS: u64 = sys::ES_CAP_COMMIT_NOTIFICATIONS as u64;
    pub const DURABLE: u64 = sys::ES_CAP_DURABLE as u64;
}

/// A failed call: the status and the message the client sees. On `FAILED_PRECONDITION` an append
/// also reports the stream's `actual_version`, and a stream change the stream's `state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub status: Status,
    pub message: String,
    pub actual_version: u64,
    pub state: Option<StreamState>,
}

impl Error {
    pub fn new(status: Status, message: impl Into<String>) -> Self {
        Error {
            status,
            message: message.into(),
            actual_version: 0,
            state: None,
        }
    }

    /// The status and message a plugin_util.h function wrote into `err`.
    pub(crate) fn from_c(status: Status, err: &sys::es_error) -> Self {
        // SAFETY: es_util_write_error always NUL-terminates within the capacity.
        let text = unsafe { CStr::from_ptr(err.message.as_ptr()) };
        Error::new(status, text.to_string_lossy())
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// Calls a plugin_util.h function with an es_error of this build, and turns its status into a
/// Result.
pub(crate) fn check(call: impl FnOnce(*mut sys::es_error) -> Status) -> Result<()> {
    // SAFETY: es_error is plain data; all zeros is a valid value.
    let mut err: sys::es_error = unsafe { zeroed() };
    err.struct_size = size_of::<sys::es_error>() as u32;
    match call(&mut err) {
        status::OK => Ok(()),
        status => Err(Error::from_c(status, &err)),
    }
}

/// The bytes of an es_bytes the host lends for the call ({NULL, 0} is empty).
///
/// # Safety
/// `bytes` must point at `len` readable bytes that live for `'a`.
pub(crate) unsafe fn slice<'a>(bytes: sys::es_bytes) -> &'a [u8] {
    if bytes.len == 0 || bytes.ptr.is_null() {
        &[]
    } else {
        std::slice::from_raw_parts(bytes.ptr, bytes.len as usize)
    }
}

/// An es_bytes lending `bytes` ({NULL, 0} when empty).
pub(crate) fn lend(bytes: &[u8]) -> sys::es_bytes {
    sys::es_bytes {
        ptr: if bytes.is_empty() {
            ptr::null()
        } else {
            bytes.as_ptr()
        },
        len: bytes.len() as sys::size_t,
    }
}

/// One header of an event, or one option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    pub key: &'a [u8],
    pub value: &'a [u8],
}

/// # Safety
/// `items` must point at `count` key/value pairs (or be NULL with any count read as none) that
/// live for `'a`.
pub(crate) unsafe fn headers<'a>(
    items: *const sys::es_key_value,
    count: sys::size_t,
) -> Vec<Header<'a>> {
    if items.is_null() {
        return Vec::new();
    }
    std::slice::from_raw_parts(items, count as usize)
        .iter()
        .map(|pair| Header {
            key: slice(pair.key),
            value: slice(pair.value),
        })
        .collect()
}

/// Host callbacks (plugin.h es_host_callbacks): callable from any thread while the store is open,
/// never after it is closed (so keep it in the store, not in an iterator, which may outlive it).
#[derive(Clone, Copy)]
pub struct Host {
    callbacks: Option<sys::es_host_callbacks>,
}

// SAFETY: plugin.h: both callbacks may be called from any thread until store_close returns.
unsafe impl Send for Host {}
unsafe impl Sync for Host {}

/// plugin.h es_log_level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    Trace = 0,
    Debug = 1,
    Info = 2,
    Warn = 3,
    Error = 4,
}

impl Host {
    pub(crate) fn new(callbacks: Option<sys::es_host_callbacks>) -> Self {
        Host { callbacks }
    }

    /// Writes one line into the server's log.
    pub fn log(&self, level: LogLevel, message: &str) {
        if let Some(log) = self.callbacks.and_then(|c| c.log) {
            let context = self.callbacks.map_or(ptr::null_mut(), |c| c.host_context);
            // SAFETY: the host's callback, valid while the store is open (plugin.h).
            unsafe { log(context, level as i32, lend(message.as_bytes())) };
        }
    }

    /// "Every event at a position <= `position` is committed" (plugin.h notify_committed). Call
    /// it after the append's lock is released.
    pub fn notify_committed(&self, position: u64) {
        if let Some(notify) = self.callbacks.and_then(|c| c.notify_committed) {
            let context = self.callbacks.map_or(ptr::null_mut(), |c| c.host_context);
            // SAFETY: as in log.
            unsafe { notify(context, position) };
        }
    }
}

/// What [`crate::Plugin::open`] receives (plugin.h es_open_params), borrowed for the call.
pub struct OpenParams<'a> {
    /// The YAML text of the backend's `options`.
    pub options_yaml: &'a [u8],
    /// The same options flattened to key/value pairs ("hosts.0").
    pub options: Vec<Header<'a>>,
    /// The host's callbacks, valid as long as the store.
    pub host: Host,
    /// The host's limits with every default filled in; the crate applies them to requests.
    pub limits: sys::es_limits,
}

/// The expected version of an append or a delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    Any,
    NoStream,
    StreamExists,
    Exact(u64),
}

impl Expected {
    pub(crate) fn from_raw(kind: u32, version: u64) -> Self {
        match kind {
            sys::es_expected_kind_ES_EXPECT_NO_STREAM => Expected::NoStream,
            sys::es_expected_kind_ES_EXPECT_STREAM_EXISTS => Expected::StreamExists,
            sys::es_expected_kind_ES_EXPECT_EXACT => Expected::Exact(version),
            _ => Expected::Any, // validation refused every other kind
        }
    }
}

/// One event of an append, borrowed for the call.
#[derive(Debug, Clone)]
pub struct EventData<'a> {
    pub event_id: &'a [u8],
    pub type_name: &'a [u8],
    pub content_type: &'a [u8],
    pub tenant_id: &'a [u8],
    pub correlation_id: &'a [u8],
    pub causation_id: &'a [u8],
    pub headers: Vec<Header<'a>>,
    pub payload: &'a [u8],
}

/// An append that passed the input rules, borrowed for the call.
pub struct AppendRequest<'a> {
    raw: &'a sys::es_append_request,
    pub stream_id: &'a [u8],
    pub expected: Expected,
    pub events: Vec<EventData<'a>>,
    /// plugin.h "Deadlines": 0 = no limit.
    pub timeout_us: u64,
    /// plugin.h "Stream owners": empty = no check.
    pub owner_tenant: &'a [u8],
}

/// A successful append (plugin.h es_append_result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Appended {
    pub current_version: u64,
    pub first_global_position: u64,
    pub last_global_position: u64,
}

/// What the store holds under one request event's id: [`AppendRequest::judge_retry`]'s input.
#[derive(Debug, Clone, Copy)]
pub struct StoredId<'a> {
    pub stream_id: &'a [u8],
    pub stream_version: u64,
    pub global_position: u64,
}

impl<'a> AppendRequest<'a> {
    /// # Safety
    /// `raw` went through es_util_read_append (events normalised and validated) and lives for `'a`.
    pub(crate) unsafe fn from_raw(raw: &'a sys::es_append_request) -> Self {
        let events = (0..raw.event_count as usize)
            .map(|i| {
                let e = &**raw.events.add(i);
                EventData {
                    event_id: slice(e.event_id),
                    type_name: slice(e.type_name),
                    content_type: slice(e.content_type),
                    tenant_id: slice(e.tenant_id),
                    correlation_id: slice(e.correlation_id),
                    causation_id: slice(e.causation_id),
                    headers: headers(e.headers, e.header_count),
                    payload: slice(e.payload),
                }
            })
            .collect();
        AppendRequest {
            raw,
            stream_id: slice(raw.stream_id),
            expected: Expected::from_raw(raw.expected_kind, raw.expected_version),
            events,
            timeout_us: raw.timeout_us,
            owner_tenant: slice(raw.owner_tenant),
        }
    }

    /// Whether a stream at version `current` satisfies the expected version.
    pub fn expected_matches(&self, current: u64) -> bool {
        // SAFETY: raw is a valid request (from_raw).
        unsafe { sys::es_rs_expected_matches(self.raw, current) }
    }

    /// The `FAILED_PRECONDITION` for a stream at version `current` (with actual_version).
    pub fn wrong_expected_version(&self, current: u64) -> Error {
        // SAFETY: zeroed plain data; raw is valid.
        let mut result: sys::es_append_result = unsafe { zeroed() };
        let failed = check(|err| unsafe {
            sys::es_rs_wrong_expected_version(self.raw, current, &mut result, err)
        });
        let mut error = failed.expect_err("es_util_wrong_expected_version always fails");
        error.actual_version = result.actual_version;
        error
    }

    /// plugin.h "Stream owners": the request names an owner and the stream, whose version-1
    /// event carries `first_tenant`, belongs to another.
    pub fn owned_by_another(&self, first_tenant: &[u8]) -> bool {
        owned_by_another(self.owner_tenant, first_tenant)
    }

    /// The `PERMISSION_DENIED` for an append into a stream of another owner.
    pub fn not_the_owner(&self) -> Error {
        not_the_owner(self.stream_id)
    }

    /// The idempotent-retry rule: `found[i]` is what the store holds under event i's id. `None`
    /// when no id is stored (append as usual); `Some` with the original result when the request
    /// is a retry (write nothing); `ALREADY_EXISTS` naming the first offending event otherwise.
    pub fn judge_retry(&self, found: &[Option<StoredId<'_>>]) -> Result<Option<Appended>> {
        assert_eq!(
            found.len(),
            self.events.len(),
            "judge_retry needs one entry per event"
        );
        let stored: Vec<sys::es_util_stored_id> = found
            .iter()
            .map(|entry| match entry {
                Some(id) => sys::es_util_stored_id {
                    stored: true,
                    stream_id: lend(id.stream_id),
                    stream_version: id.stream_version,
                    global_position: id.global_position,
                },
                None => sys::es_util_stored_id {
                    stored: false,
                    stream_id: lend(&[]),
                    stream_version: 0,
                    global_position: 0,
                },
            })
            .collect();
        let mut retry = false;
        // SAFETY: zeroed plain data.
        let mut result: sys::es_append_result = unsafe { zeroed() };
        check(|err| unsafe {
            sys::es_rs_judge_retry(self.raw, stored.as_ptr(), &mut retry, &mut result, err)
        })?;
        Ok(retry.then_some(Appended {
            current_version: result.current_version,
            first_global_position: result.first_global_position,
            last_global_position: result.last_global_position,
        }))
    }
}

fn owned_by_another(owner_tenant: &[u8], first_tenant: &[u8]) -> bool {
    // SAFETY: plain values lending live slices.
    unsafe { sys::es_rs_owned_by_another(lend(owner_tenant), lend(first_tenant)) }
}

fn not_the_owner(stream_id: &[u8]) -> Error {
    check(|err| unsafe { sys::es_rs_not_the_owner(lend(stream_id), err) })
        .expect_err("es_util_not_the_owner always fails")
}

/// The `NOT_FOUND` of a stream with no events (or of another owner).
fn stream_not_found(stream_id: &[u8]) -> Error {
    check(|err| unsafe { sys::es_rs_stream_not_found(lend(stream_id), err) })
        .expect_err("es_util_stream_not_found always fails")
}

/// A read of one stream; `max_count` is already the page size (0 → default, clamped).
#[derive(Debug, Clone)]
pub struct ReadStreamRequest<'a> {
    pub forward: bool,
    pub stream_id: &'a [u8],
    /// Forward: >= from (0 = from 1); backward: <= from (0 = from the last).
    pub from_version: u64,
    pub max_count: u32,
    pub timeout_us: u64,
    pub owner_tenant: &'a [u8],
}

impl ReadStreamRequest<'_> {
    /// plugin.h "Stream owners": true when the stream (version-1 tenant `first_tenant`) belongs
    /// to another owner than the request's; answer it as [`Self::not_found`].
    pub fn owned_by_another(&self, first_tenant: &[u8]) -> bool {
        owned_by_another(self.owner_tenant, first_tenant)
    }

    /// The `NOT_FOUND` of a stream with no events, or of another owner.
    pub fn not_found(&self) -> Error {
        stream_not_found(self.stream_id)
    }
}

/// A read of every stream (plugin.h es_read_all_request); `max_count` is already the page size.
#[derive(Debug, Clone)]
pub struct ReadAllRequest<'a> {
    pub after_position: u64,
    pub max_count: u32,
    pub stream_prefix: &'a [u8],
    /// Stop after scanning this many positions; 0 = the plugin's choice.
    pub max_scan: u64,
    pub timeout_us: u64,
}

/// One event a read returns, borrowed from the iterator until its next call.
#[derive(Debug, Clone, Default)]
pub struct RecordedEvent<'a> {
    pub stream_id: &'a [u8],
    pub stream_version: u64,
    pub global_position: u64,
    pub recorded_at_us: i64,
    pub event_id: &'a [u8],
    pub type_name: &'a [u8],
    pub content_type: &'a [u8],
    pub tenant_id: &'a [u8],
    pub correlation_id: &'a [u8],
    pub causation_id: &'a [u8],
    pub headers: Vec<Header<'a>>,
    pub payload: &'a [u8],
}

/// The paging summary of a read (plugin.h es_page_info).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PageInfo {
    pub next_from_version: u64,
    pub end_of_stream: bool,
    pub last_scanned_position: u64,
    pub reached_head: bool,
}

/// A stream's state (plugin.h es_stream_state, ABI 1.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StreamState {
    pub last_version: u64,
    pub truncate_before: u64,
    pub tombstoned: bool,
    pub max_count: u64,
    pub max_age_us: u64,
}

impl StreamState {
    pub(crate) fn to_raw(self) -> sys::es_stream_state {
        sys::es_stream_state {
            struct_size: size_of::<sys::es_stream_state>() as u32,
            last_version: self.last_version,
            truncate_before: self.truncate_before,
            tombstoned: self.tombstoned,
            max_count: self.max_count,
            max_age_us: self.max_age_us,
        }
    }
}

/// What a stream change does (plugin.h es_stream_change_kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamChange {
    Delete { expected: Expected },
    Tombstone { expected: Expected },
    Truncate { before_version: u64 },
    SetRetention { max_count: u64, max_age_us: u64 },
}

/// A stream change that passed the input rules (ABI 1.5).
#[derive(Debug, Clone)]
pub struct StreamChangeRequest<'a> {
    pub stream_id: &'a [u8],
    pub change: StreamChange,
    pub timeout_us: u64,
    pub owner_tenant: &'a [u8],
}

impl StreamChangeRequest<'_> {
    /// plugin.h OWNERS: true when the stream (version-1 tenant `first_tenant`) belongs to
    /// another owner than the request's; answer it with [`Self::not_the_owner`].
    pub fn owned_by_another(&self, first_tenant: &[u8]) -> bool {
        owned_by_another(self.owner_tenant, first_tenant)
    }

    /// The `PERMISSION_DENIED` for a stream of another owner.
    pub fn not_the_owner(&self) -> Error {
        not_the_owner(self.stream_id)
    }
}

/// A request for a stream's state (ABI 1.5).
#[derive(Debug, Clone)]
pub struct StreamStateRequest<'a> {
    pub stream_id: &'a [u8],
    pub timeout_us: u64,
    pub owner_tenant: &'a [u8],
}

impl StreamStateRequest<'_> {
    /// plugin.h OWNERS: true when the stream (version-1 tenant `first_tenant`) belongs to
    /// another owner than the request's; answer it as [`Self::not_found`].
    pub fn owned_by_another(&self, first_tenant: &[u8]) -> bool {
        owned_by_another(self.owner_tenant, first_tenant)
    }

    /// The `NOT_FOUND` of a stream with no state, or of another owner.
    pub fn not_found(&self) -> Error {
        stream_not_found(self.stream_id)
    }
}
