//! The boundary driven as the host drives it: through the table the entry answers.
use super::*;
use crate::types::{Appended, PageInfo, RecordedEvent, Status};
use std::ptr;

/// A store whose every call says what it got, or panics when the stream id says "panic".
struct Probe;

struct Empty;

impl Iterator for Empty {
    fn next(&mut self) -> Result<Option<RecordedEvent<'_>>> {
        panic!("next of an empty page");
    }
    fn page(&mut self) -> Result<PageInfo> {
        Ok(PageInfo::default())
    }
}

impl Store for Probe {
    type Iter = Empty;
    fn append(&self, r: &AppendRequest<'_>) -> Result<Appended> {
        match r.stream_id {
            b"panic" => panic!("boom in the store"),
            b"wrong" => Err(r.wrong_expected_version(7)),
            _ => Ok(Appended {
                current_version: r.events.len() as u64,
                first_global_position: r.owner_tenant.len() as u64,
                last_global_position: r.timeout_us,
            }),
        }
    }
    fn read_stream(&self, _: &ReadStreamRequest<'_>) -> Result<Empty> {
        Ok(Empty)
    }
    fn read_all(&self, _: &ReadAllRequest<'_>) -> Result<Empty> {
        Ok(Empty)
    }
    fn change_stream(&self, r: &StreamChangeRequest<'_>) -> Result<StreamState> {
        let state = StreamState {
            last_version: 3,
            tombstoned: true,
            ..StreamState::default()
        };
        match r.change {
            StreamChange::Delete {
                expected: Expected::Exact(2),
            } => Ok(state),
            _ => Err(Error {
                state: Some(state),
                ..Error::new(status::FAILED_PRECONDITION, "tombstoned")
            }),
        }
    }
}

/// A plugin of minor 5 over Probe, with or without the stream lifecycle.
macro_rules! probe_plugin {
    ($name:ident, $text:literal, $lifecycle:literal) => {
        struct $name;
        impl Plugin for $name {
            const NAME: &'static CStr = $text;
            const VERSION: &'static CStr = c"1.0";
            const ABI_MINOR: u32 = 5;
            const LIFECYCLE: bool = $lifecycle;
            type Store = Probe;
            fn open(_: OpenParams<'_>) -> Result<Probe> {
                Ok(Probe)
            }
        }
    };
}
probe_plugin!(Plain, c"plain", false);
probe_plugin!(Lifecycle, c"lifecycle", true);

struct Old;
impl Plugin for Old {
    const NAME: &'static CStr = c"old";
    const VERSION: &'static CStr = c"1.0";
    const ABI_MINOR: u32 = 3;
    type Store = Probe;
    fn open(_: OpenParams<'_>) -> Result<Probe> {
        panic!("cannot open");
    }
}

static PLAIN: Tables = Tables::new();
static LIFECYCLE: Tables = Tables::new();
static OLD: Tables = Tables::new();

fn offer(major: u32, max_minor: u32) -> sys::es_host_offer {
    sys::es_host_offer {
        struct_size: size_of::<sys::es_host_offer>() as u32,
        abi_major: major,
        abi_min_minor: 0,
        abi_max_minor: max_minor,
        host_version: c"test".as_ptr(),
    }
}

fn new_error() -> sys::es_error {
    let mut err: sys::es_error = unsafe { zeroed() };
    err.struct_size = size_of::<sys::es_error>() as u32;
    err
}

fn message(err: &sys::es_error) -> String {
    unsafe { CStr::from_ptr(err.message.as_ptr()) }
        .to_string_lossy()
        .into_owned()
}

fn load<P: Plugin>(tables: &'static Tables, max_minor: u32) -> &'static sys::es_plugin_api {
    let mut api: *const sys::es_plugin_api = ptr::null();
    let mut err = new_error();
    let status = unsafe { entry::<P>(tables, &offer(1, max_minor), &mut api, &mut err) };
    assert_eq!(status, status::OK, "{}", message(&err));
    unsafe { &*api }
}

fn open(api: &sys::es_plugin_api) -> *mut sys::es_store {
    let params: sys::es_open_params = unsafe {
        sys::es_open_params {
            struct_size: size_of::<sys::es_open_params>() as u32,
            ..zeroed()
        }
    };
    let mut store = ptr::null_mut();
    let mut err = new_error();
    let status = unsafe { api.store_open.unwrap()(&params, &mut store, &mut err) };
    assert_eq!(status, status::OK, "{}", message(&err));
    store
}

const EVENT_ID: &[u8] = b"0190a8a4-5c1e-7cc0-8000-000000000001";

fn event() -> sys::es_event_data {
    sys::es_event_data {
        struct_size: size_of::<sys::es_event_data>() as u32,
        event_id: lend(EVENT_ID),
        type_name: lend(b"Happened"),
        ..unsafe { zeroed() }
    }
}

fn append_request(stream: &[u8], events: &[*const sys::es_event_data]) -> sys::es_append_request {
    sys::es_append_request {
        struct_size: size_of::<sys::es_append_request>() as u32,
        stream_id: lend(stream),
        events: events.as_ptr(),
        event_count: events.len() as sys::size_t,
        ..unsafe { zeroed() }
    }
}

/// Appends `request` (as raw bytes: it may be larger or smaller than this build's struct).
fn append(
    api: &sys::es_plugin_api,
    request: *const sys::es_append_request,
) -> (Status, sys::es_append_result, String) {
    let store = open(api);
    let mut result: sys::es_append_result = unsafe { zeroed() };
    result.struct_size = size_of::<sys::es_append_result>() as u32;
    let mut err = new_error();
    let status = unsafe { api.append.unwrap()(store, request, &mut result, &mut err) };
    unsafe { api.store_close.unwrap()(store) };
    (status, result, message(&err))
}

#[test]
fn the_minor_answered_is_the_newest_both_know_with_its_tables_size() {
    let api = load::<Plain>(&PLAIN, 99);
    assert_eq!((api.abi_major, api.abi_minor), (1, 5));
    assert_eq!(api.struct_size as usize, size_of::<sys::es_plugin_api>());
    assert!(api.change_stream.is_none() && api.stream_state.is_none());
    assert_eq!(api.capabilities & sys::ES_CAP_STREAM_LIFECYCLE as u64, 0);
    let api = load::<Plain>(&PLAIN, 3);
    assert_eq!(api.abi_minor, 3);
    assert_eq!(
        api.struct_size as usize,
        std::mem::offset_of!(sys::es_plugin_api, append_async)
    );
    let api = load::<Plain>(&PLAIN, 0);
    assert_eq!(
        api.struct_size as usize,
        std::mem::offset_of!(sys::es_plugin_api, store_health)
    );
    assert!(api.store_health.is_none());
    // Another major: the plugin's own table, so that the host can name both versions.
    let mut table: *const sys::es_plugin_api = ptr::null();
    let status = unsafe { entry::<Old>(&OLD, &offer(2, 0), &mut table, &mut new_error()) };
    assert_eq!((status, unsafe { (*table).abi_minor }), (status::OK, 3));
    assert_eq!(unsafe { CStr::from_ptr((*table).name) }, c"old");
}

#[test]
fn a_lifecycle_plugin_has_both_functions_and_the_capability_from_minor_5() {
    let api = load::<Lifecycle>(&LIFECYCLE, 5);
    assert!(api.change_stream.is_some() && api.stream_state.is_some());
    assert_ne!(api.capabilities & sys::ES_CAP_STREAM_LIFECYCLE as u64, 0);
    let api = load::<Lifecycle>(&LIFECYCLE, 4);
    assert!(api.change_stream.is_none());
    assert_eq!(api.capabilities & sys::ES_CAP_STREAM_LIFECYCLE as u64, 0);
}

#[test]
fn a_panic_in_the_store_is_es_internal_with_a_message_and_the_host_goes_on() {
    let api = load::<Plain>(&PLAIN, 5);
    let data = event();
    let events = [&data as *const _];
    let (status, _, text) = append(api, &append_request(b"panic", &events));
    assert_eq!(status, status::INTERNAL);
    assert_eq!(text, "the plugin panicked in append: boom in the store");
    let (status, _, _) = append(api, &append_request(b"fine", &events));
    assert_eq!(status, status::OK);
    // store_open too.
    let api = load::<Old>(&OLD, 5);
    let params: sys::es_open_params = unsafe {
        sys::es_open_params {
            struct_size: size_of::<sys::es_open_params>() as u32,
            ..zeroed()
        }
    };
    let (mut store, mut err) = (ptr::null_mut(), new_error());
    assert_eq!(
        unsafe { api.store_open.unwrap()(&params, &mut store, &mut err) },
        status::INTERNAL
    );
    assert_eq!(
        message(&err),
        "the plugin panicked in store_open: cannot open"
    );
}

#[test]
fn a_panic_in_an_iterator_is_es_internal() {
    let api = load::<Plain>(&PLAIN, 5);
    let store = open(api);
    let request = sys::es_read_all_request {
        struct_size: size_of::<sys::es_read_all_request>() as u32,
        ..unsafe { zeroed() }
    };
    let (mut iterator, mut err) = (ptr::null_mut(), new_error());
    assert_eq!(
        unsafe { api.read_all.unwrap()(store, &request, &mut iterator, &mut err) },
        status::OK
    );
    let mut event: sys::es_recorded_event = unsafe { zeroed() };
    event.struct_size = size_of::<sys::es_recorded_event>() as u32;
    let mut has_event = false;
    let status =
        unsafe { api.iterator_next.unwrap()(iterator, &mut event, &mut has_event, &mut err) };
    assert_eq!(
        (status, message(&err).as_str()),
        (
            status::INTERNAL,
            "the plugin panicked in iterator_next: next of an empty page"
        )
    );
    unsafe {
        api.iterator_destroy.unwrap()(iterator);
        api.store_close.unwrap()(store);
    }
}

#[test]
fn the_input_rules_are_plugin_util_hs() {
    let api = load::<Plain>(&PLAIN, 5);
    let mut data = event();
    data.type_name = lend(b"");
    let events = [&data as *const _];
    let (status, _, text) = append(api, &append_request(b"s", &events));
    assert_eq!(
        (status, text.as_str()),
        (
            status::INVALID_ARGUMENT,
            "events[0].metadata.type_name must not be empty"
        )
    );
    let data = event();
    let events = [&data as *const _, &data as *const _];
    let (_, _, text) = append(api, &append_request(b"s", &events));
    assert_eq!(
        text,
        format!(
            "events[1].metadata.event_id {} appears twice in this append",
            std::str::from_utf8(EVENT_ID).unwrap()
        )
    );
}

/// A request of this build followed by 8 more bytes.
#[repr(C)]
struct Larger {
    request: sys::es_append_request,
    unknown: u64,
}

#[test]
fn a_larger_request_is_refused_only_when_its_unknown_bytes_are_set() {
    let api = load::<Plain>(&PLAIN, 5);
    let data = event();
    let events = [&data as *const _];
    let mut larger = Larger {
        request: append_request(b"s", &events),
        unknown: 1,
    };
    larger.request.struct_size = size_of::<Larger>() as u32;
    let (status, _, text) = append(api, &larger.request);
    assert_eq!(status, status::INVALID_ARGUMENT);
    assert!(text.contains("non-zero fields beyond"), "{text}");
    larger.unknown = 0;
    assert_eq!(append(api, &larger.request).0, status::OK);
}

#[test]
fn a_smaller_request_is_read_with_its_missing_fields_zero() {
    let api = load::<Plain>(&PLAIN, 5);
    let data = event();
    let events = [&data as *const _];
    let mut request = append_request(b"s", &events);
    request.timeout_us = 99;
    request.owner_tenant = lend(b"acme");
    let (_, result, _) = append(api, &request);
    assert_eq!(
        (result.first_global_position, result.last_global_position),
        (4, 99)
    );
    request.struct_size = std::mem::offset_of!(sys::es_append_request, timeout_us) as u32; // ABI 1.0
    let (status, result, _) = append(api, &request);
    assert_eq!(
        (
            status,
            result.first_global_position,
            result.last_global_position
        ),
        (status::OK, 0, 0)
    );
}

#[test]
fn results_and_errors_are_written_no_further_than_the_hosts_struct_size() {
    let api = load::<Plain>(&PLAIN, 5);
    let store = open(api);
    let data = event();
    let events = [&data as *const _];
    // A host of 1.4 knows es_append_result without `tombstoned`; the byte after it is the host's.
    let mut result: sys::es_append_result = unsafe { zeroed() };
    let known = std::mem::offset_of!(sys::es_append_result, tombstoned);
    result.struct_size = known as u32;
    result.tombstoned = true; // stands for the host's memory beyond its struct
    let mut err = new_error();
    err.struct_size = (std::mem::offset_of!(sys::es_error, message) + 8) as u32;
    let status = unsafe {
        api.append.unwrap()(
            store,
            &append_request(b"wrong", &events),
            &mut result,
            &mut err,
        )
    };
    assert_eq!(
        (status, result.actual_version, result.struct_size as usize),
        (status::FAILED_PRECONDITION, 7, known)
    );
    assert!(result.tombstoned, "written past the host's struct_size");
    assert_eq!(message(&err), "wrong e"); // 7 characters and the NUL
    unsafe { api.store_close.unwrap()(store) };
}

#[test]
fn a_refused_stream_change_writes_the_state_that_refused_it() {
    let api = load::<Lifecycle>(&LIFECYCLE, 5);
    let store = open(api);
    let mut request = sys::es_stream_change_request {
        struct_size: size_of::<sys::es_stream_change_request>() as u32,
        kind: sys::es_stream_change_kind_ES_CHANGE_DELETE,
        stream_id: lend(b"s"),
        expected_kind: sys::es_expected_kind_ES_EXPECT_EXACT,
        expected_version: 1,
        ..unsafe { zeroed() }
    };
    let mut state: sys::es_stream_state = unsafe { zeroed() };
    state.struct_size = size_of::<sys::es_stream_state>() as u32;
    let mut err = new_error();
    let status = unsafe { api.change_stream.unwrap()(store, &request, &mut state, &mut err) };
    assert_eq!(
        (status, state.last_version, state.tombstoned),
        (status::FAILED_PRECONDITION, 3, true)
    );
    request.kind = 9;
    let status = unsafe { api.change_stream.unwrap()(store, &request, &mut state, &mut err) };
    assert_eq!(
        (status, message(&err).as_str()),
        (
            status::INVALID_ARGUMENT,
            "es_stream_change_request has an unknown kind 9"
        )
    );
    unsafe { api.store_close.unwrap()(store) };
}
