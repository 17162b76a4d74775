#include "appender.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

#include <pqxx/binarystring>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "eventstore/append_rules.hpp"
#include "event_columns.hpp"
#include "pg_errors.hpp"
#include "eventstore/abi_struct.hpp"
#include "statements.hpp"

namespace eventstore::postgres {

using plugin::expected_matches;
using plugin::judge_retry;
using plugin::not_the_owner;
using plugin::owned_by_another;
using plugin::StoredId;
using plugin::wrong_expected_version;

namespace {

using StoredIds = std::unordered_map<std::string, StoredId>;

// Rows of (stream_id, version, event_id, position) with event_id set.
void collect_ids(const pqxx::result& rows, StoredIds& stored) {
    for (const pqxx::row& row : rows) {
        if (row[2].is_null()) continue;
        StoredId id{row[2].c_str(), row[0].c_str(), row[1].as<uint64_t>(), row[3].as<uint64_t>()};
        stored.emplace(id.event_id, std::move(id));
    }
}

// The stored events among the ids of `request`.
std::vector<StoredId> stored_ids_of(const es_append_request& request, const StoredIds& stored) {
    std::vector<StoredId> found;
    for (size_t i = 0; i < request.event_count; ++i) {
        const auto hit = stored.find(std::string(abi::view(request.events[i]->event_id)));
        if (hit != stored.end()) found.push_back(hit->second);
    }
    return found;
}

void add_ids(const es_append_request& request, ArrayLiteral& ids) {
    for (size_t i = 0; i < request.event_count; ++i) {
        ids.add_text(abi::view(request.events[i]->event_id));
    }
}

// The owner a stream gets from `request` when it writes the stream's first event: the tenant_id
// of its first event (plugin.h "Stream owners"). Requests reaching a store carry events.
std::string_view owner_from(const es_append_request& request) {
    return abi::view(request.events[0]->tenant_id);
}

// A member accepted for writing: where its events start in the columns, and its first version.
struct Accepted {
    PendingAppend* member;
    uint64_t offset;
    uint64_t first_version;
};

// Tells each accepted member where its events went, once committed at positions base + 1, ....
void record_written(const std::vector<Accepted>& accepted, uint64_t base) {
    for (const Accepted& a : accepted) {
        const uint64_t count = a.member->request->event_count;
        a.member->result->current_version = a.first_version + count - 1;
        a.member->result->first_global_position = base + a.offset + 1;
        a.member->result->last_global_position = base + a.offset + count;
        a.member->written_head = a.member->result->last_global_position;
        a.member->status = Status();
    }
}

// Runs `statement` (kAppendGroup or kWriteEvents) with the events as its parameters $1..$14,
// `channel` as $15, then `more`.
template <class... More>
pqxx::result write_events(pqxx::transaction_base& tx, const sql::Statement& statement,
                          const EventColumns& columns, const std::string& channel,
                          More&&... more) {
    const pqxx::binarystring blob(columns.blob.data(), columns.blob.size());
    return tx.exec_prepared(
        statement.name, static_cast<int64_t>(columns.event_count()), columns.stream_ids.text(),
        columns.stream_versions.text(), columns.event_ids.text(), columns.type_names.text(),
        columns.content_types.text(), columns.tenant_ids.text(), columns.correlation_ids.text(),
        columns.causation_ids.text(), columns.payload_at.text(), columns.payload_length.text(),
        columns.headers_at.text(), columns.headers_length.text(), blob, channel,
        std::forward<More>(more)...);
}

// The SQLSTATE append_assumption raises (migration 0002).
constexpr const char* kAssumptionFailed = "ES001";

// A stream the careful way locked: its version, when it has events (version > 0) its owner, and
// whether it is tombstoned.
struct LockedStream {
    uint64_t version;
    std::string owner;
    bool tombstoned;
};

// FAILED_PRECONDITION for an append to a tombstoned stream at `version` (plugin.h).
Status refuse_tombstoned(const es_append_request& request, uint64_t version,
                         es_append_result& result) {
    result.actual_version = version;
    result.tombstoned = true;
    return plugin::stream_tombstoned(abi::view(request.stream_id));
}

// A member whose expected version did not match `actual`, to be checked again.
struct Mismatch {
    PendingAppend* member;
    uint64_t actual;
};

}  // namespace

AcceptedVersions accepted_versions(const es_append_request& request) {
    constexpr int64_t kAny = std::numeric_limits<int64_t>::max();
    switch (request.expected_kind) {
    case ES_EXPECT_NO_STREAM: return {0, 0};
    case ES_EXPECT_STREAM_EXISTS: return {1, kAny};
    case ES_EXPECT_EXACT: {
        const auto version = static_cast<int64_t>(
            std::min<uint64_t>(request.expected_version, static_cast<uint64_t>(kAny)));
        return {version, version};
    }
    default: return {0, kAny};
    }
}

bool Appender::run_in_one_statement(pqxx::connection& connection,
                                    const std::vector<PendingAppend*>& group) const {
    // Per stream, in byte order: its index, how many events of the group it gets, and its owner
    // if the group creates it (the first member's).
    struct GroupStream {
        size_t index = 0;
        uint64_t added = 0;
        std::string_view owner;
    };
    std::map<std::string, GroupStream> streams;
    for (const PendingAppend* member : group) {
        const auto [entry, first] =
            streams.try_emplace(std::string(abi::view(member->request->stream_id)));
        if (first) entry->second.owner = owner_from(*member->request);
        entry->second.added += member->request->event_count;
    }
    ArrayLiteral stream_list, added, owners;
    size_t index = 0;
    for (auto& [stream, entry] : streams) {
        entry.index = index++;
        stream_list.add_text(stream);
        added.add_number(static_cast<int64_t>(entry.added));
        owners.add_text(entry.owner);
    }
    // Per member: its stream, the events of that stream before it, the versions it accepts, the
    // owner it names.
    ArrayLiteral member_streams, before, lowest, highest, member_owners;
    std::vector<uint64_t> events_so_far(streams.size(), 0);
    std::vector<size_t> stream_of(group.size());
    std::vector<Accepted> accepted;
    EventColumns columns;
    for (size_t m = 0; m < group.size(); ++m) {
        const es_append_request& request = *group[m]->request;
        const std::string_view stream = abi::view(request.stream_id);
        stream_of[m] = streams.find(std::string(stream))->second.index;
        uint64_t& so_far = events_so_far[stream_of[m]];
        const AcceptedVersions accepts = accepted_versions(request);
        member_streams.add_text(stream);
        before.add_number(static_cast<int64_t>(so_far));
        lowest.add_number(accepts.lowest);
        highest.add_number(accepts.highest);
        member_owners.add_text(abi::view(request.owner_tenant));
        accepted.push_back({group[m], columns.event_count(), so_far + 1});
        columns.add(request, so_far + 1);
        so_far += request.event_count;
    }

    pqxx::result rows;
    try {
        pqxx::nontransaction tx(connection);
        rows = write_events(tx, sql::kAppendGroup, columns, channel_, stream_list.text(),
                            added.text(), member_streams.text(), before.text(), lowest.text(),
                            highest.text(), owners.text(), member_owners.text());
    } catch (const pqxx::unique_violation&) {
        return false;  // an event id is stored: an idempotent retry, or a reused id
    } catch (const pqxx::transaction_rollback&) {
        return false;  // a deadlock PostgreSQL broke
    } catch (const pqxx::sql_error& e) {
        if (e.sqlstate() == kAssumptionFailed) return false;  // an owner or expected version
        rethrow_as_in_doubt_if_lost();
    } catch (...) {
        rethrow_as_in_doubt_if_lost();  // the statement was sent: it may have committed
    }
    if (rows.size() != streams.size()) {
        throw std::logic_error("postgres: the append statement returned " +
                               std::to_string(rows.size()) + " rows for " +
                               std::to_string(streams.size()) + " streams");
    }
    // Versions were numbered from 1 per stream; the stream's version before the group shifts them.
    for (size_t m = 0; m < group.size(); ++m) {
        accepted[m].first_version += rows[stream_of[m]][1].as<uint64_t>();
    }
    record_written(accepted, rows[0][0].as<uint64_t>());
    return true;
}

Appender::Outcome Appender::run(pqxx::connection& connection,
                                const std::vector<PendingAppend*>& group) const {
    std::vector<std::string> streams;
    ArrayLiteral all_ids;
    for (const PendingAppend* member : group) {
        streams.emplace_back(abi::view(member->request->stream_id));
        add_ids(*member->request, all_ids);
    }
    std::sort(streams.begin(), streams.end());
    streams.erase(std::unique(streams.begin(), streams.end()), streams.end());
    ArrayLiteral stream_list;
    for (const std::string& stream : streams) stream_list.add_text(stream);

    pqxx::work tx(connection);
    try {
        const pqxx::result locked =
            tx.exec_prepared(sql::kLockStreams.name, stream_list.text(), all_ids.text());
        std::map<std::string, LockedStream> locked_streams;
        for (const pqxx::row& row : locked) {
            if (row[2].is_null()) {
                locked_streams[row[0].c_str()] = {row[1].as<uint64_t>(),
                                                  row[4].is_null() ? "" : row[4].c_str(),
                                                  row[5].as<bool>()};
            }
        }
        if (locked_streams.size() != streams.size()) {
            return Outcome::again;  // created after the snapshot
        }
        const std::map<std::string, LockedStream> initial = locked_streams;
        StoredIds stored;
        collect_ids(locked, stored);

        EventColumns columns;
        std::vector<Accepted> accepted;
        std::vector<Mismatch> mismatches;
        for (PendingAppend* member : group) {
            const es_append_request& request = *member->request;
            LockedStream& stream = locked_streams[std::string(abi::view(request.stream_id))];
            // The owner first, before anything that would tell more about the stream (plugin.h).
            if (stream.version > 0 && owned_by_another(request, stream.owner)) {
                member->status = not_the_owner(abi::view(request.stream_id));
                continue;
            }
            // Its events are gone, so no id of it is stored: nothing to retry (plugin.h).
            if (stream.tombstoned) {
                member->status = refuse_tombstoned(request, stream.version, *member->result);
                continue;
            }
            const Result<bool> retry =
                judge_retry(request, stored_ids_of(request, stored), *member->result);
            if (!retry.ok() || retry.value()) {
                member->status = retry.ok() ? Status() : retry.status();
                continue;
            }
            if (!expected_matches(request, stream.version)) {
                mismatches.push_back({member, stream.version});
                continue;
            }
            if (stream.version == 0) stream.owner = owner_from(request);
            accepted.push_back({member, columns.event_count(), stream.version + 1});
            columns.add(request, stream.version + 1);
            stream.version += request.event_count;
        }

        if (!mismatches.empty()) {
            ArrayLiteral ids;
            for (const Mismatch& mismatch : mismatches) add_ids(*mismatch.member->request, ids);
            StoredIds fresh;
            collect_ids(tx.exec_prepared(sql::kFindIds.name, ids.text()), fresh);
            for (const Mismatch& mismatch : mismatches) {
                PendingAppend& member = *mismatch.member;
                const Result<bool> retry = judge_retry(
                    *member.request, stored_ids_of(*member.request, fresh), *member.result);
                member.status = !retry.ok()     ? retry.status()
                                : retry.value() ? Status()
                                                : wrong_expected_version(*member.request,
                                                                         mismatch.actual,
                                                                         *member.result);
            }
        }
        if (accepted.empty()) return Outcome::decided;  // nothing to write: roll back

        ArrayLiteral written_streams, written_versions, emptied_streams, written_owners;
        for (const auto& [id, stream] : locked_streams) {
            if (stream.version == 0) {
                emptied_streams.add_text(id);
            } else if (stream.version != initial.at(id).version) {
                written_streams.add_text(id);
                written_versions.add_number(static_cast<int64_t>(stream.version));
                written_owners.add_text(stream.owner);
            }
        }
        const uint64_t base =
            write_events(tx, sql::kWriteEvents, columns, channel_, written_streams.text(),
                         written_versions.text(), emptied_streams.text(), written_owners.text())[0][0]
                .as<uint64_t>();
        tx.commit();
        record_written(accepted, base);
        return Outcome::decided;
    } catch (const pqxx::unique_violation&) {
        return Outcome::again;  // an event id or a stream committed meanwhile by someone else
    } catch (const pqxx::transaction_rollback&) {
        return Outcome::again;  // deadlock or serialization failure: PostgreSQL rolled back
    }
}

}  // namespace eventstore::postgres
