// The memory backend's own options, through the server: the byte cap and option checking.
#include "test_server.hpp"

namespace eventstore::test {
namespace {

class MemoryBackendTest : public ServerTest {
protected:
    void SetUp() override {}
};

std::string with_options(const std::string& options) {
    return "listen: 127.0.0.1:0\nbackend:\n  plugin: " MEMORY_PLUGIN_PATH "\n  options:\n" + options;
}

TEST_F(MemoryBackendTest, GivenAByteCap_WhenAnAppendWouldPassIt_ThenResourceExhaustedNamingItAndNothingWritten) {
    start_with_config(with_options("    max_bytes: 2000\n"));
    ASSERT_TRUE(append("S", {make_event("Small", std::string(1000, 'x'))}).ok());
    const grpc::Status full = append("S", {make_event("Big", std::string(1000, 'y'))});
    EXPECT_EQ(full.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(full.error_message().find("options.max_bytes (2000)"), std::string::npos)
        << full.error_message();
    EXPECT_EQ(whole_stream("S").size(), 1u);
    EXPECT_TRUE(append("S", {make_event("Tiny", "z")}).ok()) << "room left under the cap is usable";
}

TEST_F(MemoryBackendTest, GivenAnUnknownOption_WhenOpening_ThenTheServerRefusesNamingIt) {
    auto config = server::parse_config(with_options("    max_byte: 10\n"), ".", "test");
    ASSERT_TRUE(config.ok());
    auto created = server::Server::create(config.value());
    ASSERT_FALSE(created.ok());
    EXPECT_NE(created.status().message().find("unknown option 'max_byte' for the memory backend"),
              std::string::npos)
        << created.status().message();
}

TEST_F(MemoryBackendTest, GivenABadOptionValue_WhenOpening_ThenTheServerRefusesNamingIt) {
    auto config = server::parse_config(with_options("    max_bytes: lots\n"), ".", "test");
    ASSERT_TRUE(config.ok());
    auto created = server::Server::create(config.value());
    ASSERT_FALSE(created.ok());
    EXPECT_NE(created.status().message().find("max_bytes"), std::string::npos)
        << created.status().message();
}

}  // namespace
}  // namespace eventstore::test
