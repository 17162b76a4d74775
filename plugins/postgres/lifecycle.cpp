#include "lifecycle.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include <pqxx/nontransaction>
#include <pqxx/transaction>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_rules.hpp"
#include "statements.hpp"

namespace eventstore::postgres {

using plugin::not_the_owner;
using plugin::owned_by_another;
using plugin::stream_not_found;

namespace {

// Above bigint: as good as no limit, stored as the largest bigint.
int64_t bigint(uint64_t value) {
    return static_cast<int64_t>(
        std::min<uint64_t>(value, static_cast<uint64_t>(std::numeric_limits<int64_t>::max())));
}

// The row's state (kLockForChange, kStreamState: the first five columns), and its owner ("" for
// a stream without events).
es_stream_state state_of(const pqxx::row& row, std::string& owner) {
    es_stream_state state = abi::make_struct<es_stream_state>();
    state.last_version = row[0].as<uint64_t>();
    state.truncate_before = row[1].as<uint64_t>();
    state.tombstoned = row[2].as<bool>();
    state.max_count = row[3].as<uint64_t>();
    state.max_age_us = row[4].as<uint64_t>();
    owner = row[5].is_null() ? "" : row[5].c_str();
    return state;
}

bool same(const es_stream_state& a, const es_stream_state& b) {
    return a.truncate_before == b.truncate_before && a.tombstoned == b.tombstoned &&
           a.max_count == b.max_count && a.max_age_us == b.max_age_us;
}

// The state after the change, or why there is none (plugin.h, es_stream_change_kind).
Status decide(const es_stream_change_request& request, const es_stream_state& state,
              es_stream_state& next) {
    const std::string_view stream_id = abi::view(request.stream_id);
    const uint64_t last = state.last_version;
    next = state;
    switch (request.kind) {
    case ES_CHANGE_DELETE:
    case ES_CHANGE_TOMBSTONE:
        if (!plugin::change_expected_matches(request, last)) {
            return plugin::wrong_expected_version(request, last, next);
        }
        if (last == 0 && request.kind == ES_CHANGE_DELETE) return stream_not_found(stream_id);
        next.truncate_before = last + 1;
        next.tombstoned = request.kind == ES_CHANGE_TOMBSTONE;
        return {};
    case ES_CHANGE_TRUNCATE:
        if (last == 0) return stream_not_found(stream_id);
        next.truncate_before =
            std::max(state.truncate_before, std::min(request.before_version, last + 1));
        return {};
    default:  // ES_CHANGE_SET_RETENTION: validation refused every other kind
        next.max_count = static_cast<uint64_t>(bigint(request.max_count));
        next.max_age_us = static_cast<uint64_t>(bigint(request.max_age_us));
        return {};
    }
}

// Lets this transaction's statements DELETE events (the trigger of migration 0004).
void allow_removal(pqxx::transaction_base& tx) { tx.exec0("SET LOCAL eventstore.removing TO on"); }

}  // namespace

Status change_stream(pqxx::connection& connection, const es_stream_change_request& request,
                     es_stream_state& state) {
    const std::string stream_id(abi::view(request.stream_id));
    pqxx::work tx(connection);
    std::string owner;
    state = state_of(tx.exec_prepared1(sql::kLockForChange.name, stream_id), owner);
    // The owner first, before anything that would tell more about the stream (plugin.h OWNERS).
    if (!owner.empty() && owned_by_another(request, owner)) return not_the_owner(stream_id);
    if (state.tombstoned) return plugin::stream_tombstoned(stream_id);
    es_stream_state next;
    if (Status decided = decide(request, state, next); !decided.ok()) return decided;
    if (same(state, next)) return {};  // rolls back, a row made by the lock statement too
    allow_removal(tx);
    tx.exec_prepared0(sql::kChangeStream.name, stream_id, bigint(next.truncate_before),
                      next.tombstoned, bigint(next.max_count), bigint(next.max_age_us));
    tx.commit();
    state = next;
    return {};
}

Status stream_state(pqxx::connection& connection, const es_stream_state_request& request,
                    es_stream_state& state) {
    const std::string stream_id(abi::view(request.stream_id));
    pqxx::nontransaction tx(connection);
    const pqxx::result rows = tx.exec_prepared(sql::kStreamState.name, stream_id);
    if (rows.empty()) return stream_not_found(stream_id);
    std::string owner;
    state = state_of(rows[0], owner);
    if (!owner.empty() && owned_by_another(request, owner)) return stream_not_found(stream_id);
    if (state.last_version == 0 && !state.tombstoned && state.max_count == 0 &&
        state.max_age_us == 0) {
        return stream_not_found(stream_id);
    }
    return {};
}

uint64_t sweep(pqxx::connection& connection, uint64_t batch) {
    pqxx::work tx(connection);
    allow_removal(tx);
    const pqxx::result deleted = tx.exec_prepared(sql::kSweep.name, bigint(batch));
    tx.commit();
    return deleted.affected_rows();
}

}  // namespace eventstore::postgres
