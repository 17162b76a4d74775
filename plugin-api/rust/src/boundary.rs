//! The C side: the functions of the plugin's table, one generic set per plugin, and the entry.
//! Each catches panics, reads its request through the growth rule and the input rules, and
//! writes results and errors as plugin.h says.
use crate::sys;
use crate::types::{
    check, headers, lend, slice, status, Error, Expected, Host, OpenParams, Result,
};
use crate::types::{AppendRequest, ReadAllRequest, ReadStreamRequest, StreamChange};
use crate::types::{StreamChangeRequest, StreamState, StreamStateRequest};
use crate::{Iterator, Plugin, Store};
use std::ffi::CStr;
use std::mem::{size_of, zeroed};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::OnceLock;

/// What a store handle points at: the plugin's store and the limits its requests are held to.
struct StoreBox<S> {
    store: S,
    limits: sys::es_limits,
}

/// What an iterator handle points at: the plugin's iterator and the headers array of the event
/// it handed out last (plugin.h: valid until the next call).
struct IterBox<I> {
    iter: I,
    headers: Vec<sys::es_key_value>,
}

type IterOf<P> = <<P as Plugin>::Store as Store>::Iter;

/// Writes `message` into the host's es_error (cut to fit, never past its struct_size).
fn write_error(err: *mut sys::es_error, message: &str) {
    // SAFETY: es_util_write_error accepts NULL and honours struct_size.
    unsafe { sys::es_rs_write_error(err, message.as_ptr().cast(), message.len() as sys::size_t) };
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}

/// Runs `body`, the whole of one table function: its error, or a panic as ES_INTERNAL, goes into
/// `err`. Nothing unwinds into the host.
fn guard(
    function: &str,
    err: *mut sys::es_error,
    body: impl FnOnce() -> Result<()>,
) -> sys::es_status {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => status::OK,
        Ok(Err(error)) if error.status == status::OK => {
            write_error(
                err,
                &format!(
                    "{function} returned an error with status OK: {}",
                    error.message
                ),
            );
            status::INTERNAL
        }
        Ok(Err(error)) => {
            write_error(err, &error.message);
            error.status
        }
        Err(panic) => {
            write_error(
                err,
                &format!("the plugin panicked in {function}: {}", panic_text(&*panic)),
            );
            status::INTERNAL
        }
    }
}

/// For the functions that return nothing (close, destroy): a panic stops there.
fn guard_void(body: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(body));
}

fn null(what: &str) -> Error {
    Error::new(status::INVALID_ARGUMENT, format!("{what} is NULL"))
}

/// Reads the host's struct at `input` into a T of this build, as the plugin's minor knows it
/// (`known` bytes): plugin.h GROWTH, by es_util_read_struct.
///
/// # Safety
/// `input` is NULL or points at a struct starting with its struct_size, of that many bytes.
unsafe fn read_struct<T>(input: *const T, known: sys::size_t, what: &CStr) -> Result<T> {
    let mut value: T = zeroed();
    check(|err| {
        sys::es_rs_read_struct(
            input.cast(),
            (&mut value as *mut T).cast(),
            size_of::<T>() as sys::size_t,
            known,
            what.as_ptr(),
            err,
        )
    })?;
    Ok(value)
}

/// Writes `value` into the host's struct, no further than its struct_size.
///
/// # Safety
/// `out` points at a struct starting with the struct_size the host set.
unsafe fn write_struct<T>(out: *mut T, value: &T) {
    sys::es_rs_write_struct(
        out.cast(),
        (value as *const T).cast(),
        size_of::<T>() as sys::size_t,
    );
}

unsafe fn store_ref<'a, P: Plugin>(store: *mut sys::es_store) -> &'a StoreBox<P::Store> {
    &*(store as *const StoreBox<P::Store>)
}

unsafe extern "C" fn store_open<P: Plugin>(
    params: *const sys::es_open_params,
    out: *mut *mut sys::es_store,
    err: *mut sys::es_error,
) -> sys::es_status {
    guard("store_open", err, || unsafe {
        let p = read_struct(
            params,
            size_of::<sys::es_open_params>() as sys::size_t,
            c"es_open_params",
        )?;
        if out.is_null() {
            return Err(null("store_open's out"));
        }
        let host = if p.host.is_null() {
            None
        } else {
            let size = size_of::<sys::es_host_callbacks>() as sys::size_t;
            Some(read_struct(p.host, size, c"es_host_callbacks")?)
        };
        let limits = sys::es_rs_effective_limits(p.limits);
        let store = P::open(OpenParams {
            options_yaml: slice(p.options_yaml),
            options: headers(p.options, p.option_count),
            host: Host::new(host),
            limits,
        })?;
        *out = Box::into_raw(Box::new(StoreBox { store, limits })).cast();
        Ok(())
    })
}

unsafe extern "C" fn store_close<P: Plugin>(store: *mut sys::es_store) {
    guard_void(|| unsafe { drop(Box::from_raw(store as *mut StoreBox<P::Store>)) });
}

/// es_util_append, freed on every path.
struct ReadAppend(sys::es_util_append);

impl Drop for ReadAppend {
    fn drop(&mut self) {
        // SAFETY: es_util_append_free takes a zeroed or filled es_util_append.
        unsafe { sys::es_rs_append_free(&mut self.0) };
    }
}

unsafe extern "C" fn append<P: Plugin>(
    store: *mut sys::es_store,
    request: *const sys::es_append_request,
    result: *mut sys::es_append_result,
    err: *mut sys::es_error,
) -> sys::es_status {
    guard("append", err, || unsafe {
        let store = store_ref::<P>(store);
        let mut read = ReadAppend(zeroed());
        check(|err| {
            sys::es_rs_read_append(request, P::ABI_MINOR, &store.limits, &mut read.0, err)
        })?;
        if result.is_null() {
            return Err(null("es_append_result"));
        }
        let mut out: sys::es_append_result = zeroed();
        out.struct_size = size_of::<sys::es_append_result>() as u32;
        match store
            .store
            .append(&AppendRequest::from_raw(&read.0.request))
        {
            Ok(appended) => {
                out.current_version = appended.current_version;
                out.first_global_position = appended.first_global_position;
                out.last_global_position = appended.last_global_position;
                write_struct(result, &out);
                Ok(())
            }
            Err(error) => {
                if error.status == status::FAILED_PRECONDITION {
                    out.actual_version = error.actual_version;
                    out.tombstoned = error.state.is_some_and(|state| state.tombstoned);
                    write_struct(result, &out);
                }
                Err(error)
            }
        }
    })
}

unsafe fn hand_out<I: Iterator>(iter: I, out: *mut *mut sys::es_iterator) {
    *out = Box::into_raw(Box::new(IterBox {
        iter,
        headers: Vec::new(),
    }))
    .cast();
}

unsafe extern "C" fn read_stream<P: Plugin>(
    store: *mut sys::es_store,
    request: *const sys::es_read_stream_request,
    out: *mut *mut sys::es_iterator,
    err: *mut sys::es_error,
) -> sys::es_status {
    guard("read_stream", err, || unsafe {
        let store = store_ref::<P>(store);
        let known = sys::es_rs_read_stream_request_size(P::ABI_MINOR);
        let r = read_struct(request, known, c"es_read_stream_request")?;
        check(|err| {
            sys::es_rs_validate_stream_id(r.stream_id, &store.limits, c"stream_id".as_ptr(), err)
        })?;
        if out.is_null() {
            return Err(null("read_stream's out"));
        }
        let iter = store.store.read_stream(&ReadStreamRequest {
            forward: r.forward,
            stream_id: slice(r.stream_id),
            from_version: r.from_version,
            max_count: sys::es_rs_page_size(r.max_count, &store.limits),
            timeout_us: r.timeout_us,
            owner_tenant: slice(r.owner_tenant),
        })?;
        hand_out(iter, out);
        Ok(())
    })
}

unsafe extern "C" fn read_all<P: Plugin>(
    store: *mut sys::es_store,
    request: *const sys::es_read_all_request,
    out: *mut *mut sys::es_iterator,
    err: *mut sys::es_error,
) -> sys::es_status {
    guard("read_all", err, || unsafe {
        let store = store_ref::<P>(store);
        let known = sys::es_rs_read_all_request_size(P::ABI_MINOR);
        let r = read_struct(request, known, c"es_read_all_request")?;
        if out.is_null() {
            return Err(null("read_all's out"));
        }
        let iter = store.store.read_all(&ReadAllRequest {
            after_position: r.after_position,
            max_count: sys::es_rs_page_size(r.max_count, &store.limits),
            stream_prefix: slice(r.stream_prefix),
            max_scan: r.max_scan,
            timeout_us: r.timeout_us,
        })?;
        hand_out(iter, out);
        Ok(())
    })
}

unsafe extern "C" fn iterator_next<P: Plugin>(
    iterator: *mut sys::es_iterator,
    event: *mut sys::es_recorded_event,
    has_event: *mut bool,
    err: *mut sys::es_error,
) -> sys::es_status {
    guard("iterator_next", err, || unsafe {
        if event.is_null() || has_event.is_null() {
            return Err(null("iterator_next's event or has_event"));
        }
        let boxed = &mut *(iterator as *mut IterBox<IterOf<P>>);
        let Some(e) = boxed.iter.next()? else {
            *has_event = false;
            return Ok(());
        };
        boxed.headers.clear();
        boxed
            .headers
            .extend(e.headers.iter().map(|h| sys::es_key_value {
                key: lend(h.key),
                value: lend(h.value),
            }));
        let view = sys::es_recorded_event {
            struct_size: size_of::<sys::es_recorded_event>() as u32,
            stream_id: lend(e.stream_id),
            stream_version: e.stream_version,
            global_position: e.global_position,
            recorded_at_us: e.recorded_at_us,
            event_id: lend(e.event_id),
            type_name: lend(e.type_name),
            content_type: lend(e.content_type),
            tenant_id: lend(e.tenant_id),
            correlation_id: lend(e.correlation_id),
            causation_id: lend(e.causation_id),
            headers: if boxed.headers.is_empty() {
                std::ptr::null()
            } else {
                boxed.headers.as_ptr()
            },
            header_count: boxed.headers.len() as sys::size_t,
            payload: lend(e.payload),
        };
        write_struct(event, &view);
        *has_event = true;
        Ok(())
    })
}

unsafe extern "C" fn iterator_page<P: Plugin>(
    iterator: *mut sys::es_iterator,
    page: *mut sys::es_page_info,
    err: *mut sys::es_error,
) -> sys::es_status {
    guard("iterator_page", err, || unsafe {
        if page.is_null() {
            return Err(null("es_page_info"));
        }
        let info = (*(iterator as *mut IterBox<IterOf<P>>)).iter.page()?;
        let raw = sys::es_page_info {
            struct_size: size_of::<sys::es_page_info>() as u32,
            next_from_version: info.next_from_version,
            end_of_stream: info.end_of_stream,
            last_scanned_position: info.last_scanned_position,
            reached_head: info.reached_head,
        };
        write_struct(page, &raw);
        Ok(())
    })
}

unsafe extern "C" fn iterator_destroy<P: Plugin>(iterator: *mut sys::es_iterator) {
    guard_void(|| unsafe { drop(Box::from_raw(iterator as *mut IterBox<IterOf<P>>)) });
}

unsafe extern "C" fn store_health<P: Plugin>(
    store: *mut sys::es_store,
    err: *mut sys::es_error,
) -> sys::es_status {
    guard("store_health", err, || unsafe {
        store_ref::<P>(store).store.health()
    })
}

/// Writes the state a stream change or stream_state returned, or the one its FAILED_PRECONDITION
/// carries.
unsafe fn answer_state(
    answer: Result<StreamState>,
    state: *mut sys::es_stream_state,
) -> Result<()> {
    if state.is_null() {
        return Err(null("es_stream_state"));
    }
    match answer {
        Ok(value) => {
            write_struct(state, &value.to_raw());
            Ok(())
        }
        Err(error) => {
            if let (status::FAILED_PRECONDITION, Some(value)) = (error.status, error.state) {
                write_struct(state, &value.to_raw());
            }
            Err(error)
        }
    }
}

unsafe extern "C" fn change_stream<P: Plugin>(
    store: *mut sys::es_store,
    request: *const sys::es_stream_change_request,
    state: *mut sys::es_stream_state,
    err: *mut sys::es_error,
) -> sys::es_status {
    guard("change_stream", err, || unsafe {
        let store = store_ref::<P>(store);
        let known = sys::es_rs_stream_change_request_size(P::ABI_MINOR);
        let r = read_struct(request, known, c"es_stream_change_request")?;
        check(|err| sys::es_rs_validate_stream_change(&r, &store.limits, err))?;
        let expected = Expected::from_raw(r.expected_kind, r.expected_version);
        let change = match r.kind {
            sys::es_stream_change_kind_ES_CHANGE_DELETE => StreamChange::Delete { expected },
            sys::es_stream_change_kind_ES_CHANGE_TOMBSTONE => StreamChange::Tombstone { expected },
            sys::es_stream_change_kind_ES_CHANGE_TRUNCATE => StreamChange::Truncate {
                before_version: r.before_version,
            },
            _ => StreamChange::SetRetention {
                max_count: r.max_count,
                max_age_us: r.max_age_us,
            },
        };
        let answer = store.store.change_stream(&StreamChangeRequest {
            stream_id: slice(r.stream_id),
            change,
            timeout_us: r.timeout_us,
            owner_tenant: slice(r.owner_tenant),
        });
        answer_state(answer, state)
    })
}

unsafe extern "C" fn stream_state<P: Plugin>(
    store: *mut sys::es_store,
    request: *const sys::es_stream_state_request,
    state: *mut sys::es_stream_state,
    err: *mut sys::es_error,
) -> sys::es_status {
    guard("stream_state", err, || unsafe {
        let store = store_ref::<P>(store);
        let known = sys::es_rs_stream_state_request_size(P::ABI_MINOR);
        let r = read_struct(request, known, c"es_stream_state_request")?;
        check(|err| {
            sys::es_rs_validate_stream_id(r.stream_id, &store.limits, c"stream_id".as_ptr(), err)
        })?;
        let answer = store.store.stream_state(&StreamStateRequest {
            stream_id: slice(r.stream_id),
            timeout_us: r.timeout_us,
            owner_tenant: slice(r.owner_tenant),
        });
        answer_state(answer, state)
    })
}

/// A table of plugin.h (es_plugin_api): static, read by the host from any thread.
#[repr(transparent)]
struct Table(sys::es_plugin_api);

// SAFETY: never written after it is built; its pointers are to 'static names and functions.
unsafe impl Send for Table {}
unsafe impl Sync for Table {}

/// The plugin's tables, one per minor it can answer, built on the first entry call
/// ([`crate::export_plugin!`] keeps one in a static).
pub struct Tables(OnceLock<Vec<Table>>);

impl Tables {
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        Tables(OnceLock::new())
    }
}

/// The table of minor `minor`: sized as that minor knew it (plugin_util.h ES_UTIL_API_SIZE),
/// with the functions it has.
fn table<P: Plugin>(minor: u32) -> Table {
    // SAFETY: es_plugin_api is plain data (NULL function pointers are None).
    let mut t: sys::es_plugin_api = unsafe { zeroed() };
    t.struct_size = unsafe { sys::es_rs_api_size(minor) } as u32;
    t.abi_major = sys::ES_PLUGIN_ABI_MAJOR;
    t.abi_minor = minor;
    t.name = P::NAME.as_ptr();
    t.version = P::VERSION.as_ptr();
    t.capabilities = P::CAPABILITIES;
    t.store_open = Some(store_open::<P>);
    t.store_close = Some(store_close::<P>);
    t.append = Some(append::<P>);
    t.read_stream = Some(read_stream::<P>);
    t.read_all = Some(read_all::<P>);
    t.iterator_next = Some(iterator_next::<P>);
    t.iterator_page = Some(iterator_page::<P>);
    t.iterator_destroy = Some(iterator_destroy::<P>);
    if minor >= 1 {
        t.store_health = Some(store_health::<P>);
    }
    if minor >= 5 && P::LIFECYCLE {
        t.capabilities |= sys::ES_CAP_STREAM_LIFECYCLE as u64;
        t.change_stream = Some(change_stream::<P>);
        t.stream_state = Some(stream_state::<P>);
    }
    Table(t)
}

/// The body of `eventstore_plugin_entry` ([`crate::export_plugin!`]): answers the newest minor
/// both sides know, min(P::ABI_MINOR, the offer's max), with that minor's table; for an offer of
/// another major P::ABI_MINOR's table, so that the host can name both versions.
///
/// # Safety
/// Called by the host as plugin.h es_plugin_entry_fn says.
pub unsafe fn entry<P: Plugin>(
    tables: &'static Tables,
    offer: *const sys::es_host_offer,
    api: *mut *const sys::es_plugin_api,
    err: *mut sys::es_error,
) -> sys::es_status {
    guard("eventstore_plugin_entry", err, || unsafe {
        if api.is_null() {
            return Err(null("eventstore_plugin_entry's api"));
        }
        let tables = tables
            .0
            .get_or_init(|| (0..=P::ABI_MINOR).map(table::<P>).collect());
        let minor = sys::es_rs_answer_minor(offer, P::ABI_MINOR);
        *api = &tables[minor as usize].0;
        Ok(())
    })
}

#[cfg(test)]
mod tests;
