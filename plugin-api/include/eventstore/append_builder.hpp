// eventstore/append_builder.hpp: an es_append_request together with the storage it points into
// (the event structs, their header arrays, the array of event pointers, bytes it was asked to
// keep), for whoever builds or edits a request: the server, the conformance suite, tests. A plugin
// only reads the requests it is handed. C++17, header-only.
#ifndef EVENTSTORE_APPEND_BUILDER_HPP
#define EVENTSTORE_APPEND_BUILDER_HPP

#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eventstore/abi_struct.hpp"
#include "eventstore/plugin.h"

namespace eventstore::abi {

// Builds an append request. Every byte handed to it is borrowed (keep it alive and unchanged while
// the request is used), except what keep() copied. After every call request() is complete: its
// events and event_count, and each event's headers and header_count, point into this builder.
// What it returns may then be edited at will, malformed values included (a NULL array, a count
// that lies, a smaller struct_size), for checks that send what no client library would; an edit
// of events, event_count, headers or header_count lasts until the next call that changes that
// event or adds one.
//
// Not copyable (the structs point into its own storage); moving keeps every pointer valid, since
// the containers hand their storage over.
class AppendBuilder {
public:
    AppendBuilder() : request_(make_struct<es_append_request>()) {}

    // A copy of `request`'s structs (its events, their header arrays, the pointer array), to be
    // edited; every byte stays borrowed from `request`. A NULL event stays NULL.
    explicit AppendBuilder(const es_append_request& request) : request_(request) {
        reserve(request.event_count);
        for (size_t i = 0; i < request.event_count; ++i) {
            const es_event_data* from = request.events[i];
            es_event_data& event = add_event();
            if (from == nullptr) {
                send_null(i);
                continue;
            }
            event = *from;
            set_headers(i, {from->headers, from->headers + from->header_count});
        }
        point_request();
    }

    AppendBuilder(const AppendBuilder&) = delete;
    AppendBuilder& operator=(const AppendBuilder&) = delete;
    AppendBuilder(AppendBuilder&&) = default;
    AppendBuilder& operator=(AppendBuilder&&) = default;

    // Room for `count` events, so that adding them moves none.
    void reserve(size_t count) {
        events_.reserve(count);
        headers_.reserve(count);
        pointers_.reserve(count);
    }

    // Adds an event, zeroed but for its struct_size, and returns it to be filled. The reference
    // is valid until the next add_event; event(index) finds it again.
    es_event_data& add_event() {
        const es_event_data* before = events_.data();
        events_.push_back(make_struct<es_event_data>());
        headers_.emplace_back();
        if (events_.data() != before) {  // the events moved: point at their new places
            for (size_t i = 0; i < pointers_.size(); ++i) {
                if (pointers_[i] != nullptr) pointers_[i] = &events_[i];
            }
        }
        pointers_.push_back(&events_.back());
        point_request();
        return events_.back();
    }

    // Adds a header to event `index` (the key and value borrowed).
    void add_header(size_t index, std::string_view key, std::string_view value) {
        headers_[index].push_back(es_key_value{bytes(key), bytes(value)});
        point_headers(index);
    }

    // Replaces the headers of event `index`.
    void set_headers(size_t index, std::vector<es_key_value> headers) {
        headers_[index] = std::move(headers);
        point_headers(index);
    }

    // Sends event `index` as a NULL pointer: a malformed request, for checks.
    void send_null(size_t index) { pointers_[index] = nullptr; }

    // Keeps a copy of `text` as long as this builder lives, and returns its bytes.
    es_bytes keep(std::string text) { return bytes(kept_.emplace_back(std::move(text))); }

    es_event_data& event(size_t index) { return events_[index]; }
    const es_event_data& event(size_t index) const { return events_[index]; }
    size_t event_count() const { return events_.size(); }

    es_append_request& request() { return request_; }
    const es_append_request& request() const { return request_; }

private:
    void point_request() {
        request_.events = pointers_.data();
        request_.event_count = pointers_.size();
    }
    void point_headers(size_t index) {
        events_[index].headers = headers_[index].data();
        events_[index].header_count = headers_[index].size();
    }

    std::vector<es_event_data> events_;
    std::vector<std::vector<es_key_value>> headers_;  // moving the outer vector keeps each array
    std::vector<const es_event_data*> pointers_;
    std::deque<std::string> kept_;  // a deque: adding never moves the strings already kept
    es_append_request request_;
};

}  // namespace eventstore::abi

#endif
