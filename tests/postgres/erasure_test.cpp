// Erasure (plugin.h "Stream lifecycle", ERASURE; docs/postgres-backend.md, "Erasure"): after a
// delete and the documented maintenance step (VACUUM FULL of the events table), the bytes of the
// deleted events are in none of the table's own files (its heap, its TOAST table, their indexes,
// every fork and segment, under the harness's data directory) and no read returns them; the
// events kept are still there, which shows the search can find what it looks for. What a plain
// VACUUM leaves is printed, not asserted (it depends on what later writes reuse).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "eventstore/abi_struct.hpp"
#include "eventstore/append_builder.hpp"
#include "pg_test_support.hpp"

namespace eventstore::test {
namespace {

namespace fs = std::filesystem;

std::string random_hex(size_t bytes) {
    static std::mt19937_64 random{std::random_device()()};
    std::string text;
    for (size_t i = 0; i < bytes; ++i) {
        text += "0123456789abcdef"[random() % 16];
        text += "0123456789abcdef"[random() % 16];
    }
    return text;
}

// Appends to `stream` a small event whose payload holds `marker` and a large one (stored out of
// line, in TOAST) whose incompressible payload holds it in its middle.
Status append_marked(loader::Store& store, const std::string& stream, const std::string& marker) {
    abi::AppendBuilder append;
    append.request().stream_id = append.keep(stream);
    const std::string payloads[] = {marker + random_hex(40),
                                    random_hex(8000) + marker + random_hex(8000)};
    for (const std::string& payload : payloads) {
        es_event_data& event = append.add_event();
        event.event_id = append.keep("0190a2c4-0000-7000-8000-" + random_hex(6));
        event.type_name = abi::bytes("Marked");
        event.payload = append.keep(payload);
    }
    es_append_result result = abi::make_struct<es_append_result>();
    return store.append(append.request(), result);
}

// The files of the events table, its TOAST table and every index of both, relative to the
// data directory (pg_relation_filepath): each is the first segment; its other segments and forks
// share the name as a prefix.
std::set<std::string> table_files(const std::string& schema) {
    const pqxx::result rows = sql(
        "WITH t AS (SELECT '" + schema + ".events'::regclass AS heap), "
        "r AS (SELECT heap AS oid FROM t UNION ALL "
        "SELECT reltoastrelid FROM pg_class, t WHERE pg_class.oid = t.heap) "
        "SELECT pg_relation_filepath(oid) FROM r UNION ALL "
        "SELECT pg_relation_filepath(indexrelid) FROM pg_index, r WHERE indrelid = r.oid");
    std::set<std::string> files;
    for (const pqxx::row& row : rows) files.insert(row[0].as<std::string>());
    return files;
}

// Whether `marker` is in any file under the data directory whose name starts with one of `files`.
bool in_files(const std::set<std::string>& files, const std::string& marker) {
    const fs::path data = fs::path(std::getenv("EVENTSTORE_PG_DIR")) / "data";
    for (const std::string& file : files) {
        const fs::path first = data / file;
        if (!fs::exists(first.parent_path())) continue;
        for (const auto& entry : fs::directory_iterator(first.parent_path())) {
            if (entry.path().filename().string().rfind(first.filename().string(), 0) != 0) continue;
            std::ifstream in(entry.path(), std::ios::binary);
            const std::string bytes{std::istreambuf_iterator<char>(in), {}};
            if (bytes.find(marker) != std::string::npos) return true;
        }
    }
    return false;
}

void run(const std::string& statement) {
    pqxx::connection connection(test_dsn());
    pqxx::nontransaction(connection).exec0(statement);  // VACUUM runs outside a transaction
}

// Every payload read_all returns, from the start of the log.
std::string every_payload(loader::Store& store) {
    es_read_all_request read = abi::make_struct<es_read_all_request>();
    read.max_count = 1000;
    auto iterator = store.read_all(read);
    EXPECT_TRUE(iterator.ok()) << iterator.status().message();
    std::string payloads;
    es_recorded_event event = abi::make_struct<es_recorded_event>();
    while (iterator.ok() && iterator.value()->next(event).value()) {
        payloads.append(reinterpret_cast<const char*>(event.payload.ptr), event.payload.len);
    }
    return payloads;
}

TEST(PostgresErasureTest, GivenADeletedStream_WhenVacuumFullRan_ThenItsBytesAreInNoFileOfTheTableAndNoRead) {
    const std::string schema = unique_schema("erasure");
    auto store = open_store({{"schema", schema}});
    ASSERT_TRUE(store.ok()) << store.status().message();
    const std::string erased = "ERASE-ME-" + random_hex(8);
    const std::string kept = "KEEP-ME-" + random_hex(8);
    ASSERT_TRUE(append_marked(*store.value(), "Before", kept).ok());
    ASSERT_TRUE(append_marked(*store.value(), "Secret", erased).ok());
    ASSERT_TRUE(append_marked(*store.value(), "After", kept + "2").ok());
    run("CHECKPOINT");  // the pages reach the files
    const std::set<std::string> before = table_files(schema);
    ASSERT_TRUE(in_files(before, erased)) << "the search must find the marker while it is stored";

    es_stream_change_request request = stream_change(ES_CHANGE_DELETE, "Secret");
    es_stream_state state = abi::make_struct<es_stream_state>();
    ASSERT_TRUE(store.value()->change_stream(request, state).ok());
    EXPECT_EQ(every_payload(*store.value()).find(erased), std::string::npos);

    run("VACUUM " + schema + ".events");
    run("CHECKPOINT");
    std::cout << "after DELETE and a plain VACUUM, the table's files "
              << (in_files(table_files(schema), erased) ? "still hold" : "no longer hold")
              << " the deleted events' bytes\n";

    run("VACUUM FULL " + schema + ".events");  // the maintenance step
    run("CHECKPOINT");
    std::set<std::string> files = table_files(schema);
    EXPECT_FALSE(in_files(files, erased)) << "the table's files after VACUUM FULL";
    EXPECT_FALSE(in_files(before, erased)) << "the files the table had before VACUUM FULL";
    EXPECT_TRUE(in_files(files, kept) && in_files(files, kept + "2")) << "the kept events' bytes";
    const std::string payloads = every_payload(*store.value());
    EXPECT_EQ(payloads.find(erased), std::string::npos);
    EXPECT_NE(payloads.find(kept + "2"), std::string::npos);
    EXPECT_EQ(readable_versions(*store.value(), "Secret").status().code(), Code::not_found);
}

}  // namespace
}  // namespace eventstore::test
