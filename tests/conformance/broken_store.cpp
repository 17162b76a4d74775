#include "broken_store.hpp"

#include "memory_options.hpp"

namespace eventstore::broken {

namespace {

class EditingIterator final : public plugin::Iterator {
public:
    EditingIterator(std::unique_ptr<plugin::Iterator> inner, EventEdit edit, PageEdit edit_page)
        : inner_(std::move(inner)), edit_(std::move(edit)), edit_page_(std::move(edit_page)) {}

    Status next(es_recorded_event& event, bool& has_event) override {
        for (;;) {
            if (Status s = inner_->next(event, has_event); !s.ok() || !has_event) return s;
            if (edit_(event)) return {};
        }
    }
    es_page_info page() const override {
        es_page_info page = inner_->page();
        if (edit_page_) edit_page_(page);
        return page;
    }

private:
    std::unique_ptr<plugin::Iterator> inner_;
    EventEdit edit_;
    PageEdit edit_page_;
};

}  // namespace

Result<std::shared_ptr<plugin::Store>> open_memory(const plugin::OpenContext& context,
                                                   const plugin::Host& host) {
    auto options = memory::parse_memory_options(context.options);
    if (!options.ok()) return options.status();
    return std::shared_ptr<plugin::Store>(
        std::make_shared<memory::MemoryStore>(options.value(), host));
}

namespace {

Result<std::shared_ptr<plugin::Store>> open_plain(const plugin::OpenContext& context) {
    return open_memory(context, context.host);
}

}  // namespace

es_plugin_api memory_table_with_append(const char* name, AppendFunction append) {
    es_plugin_api table = plugin::detail::make_table<open_plain>(ES_PLUGIN_ABI_MINOR, name, "0.0.0",
                                                                 ES_CAP_COMMIT_NOTIFICATIONS);
    table.append = append;
    return table;
}

Result<std::unique_ptr<plugin::Iterator>> edit_events(
    Result<std::unique_ptr<plugin::Iterator>> opened, EventEdit edit, PageEdit edit_page) {
    if (!opened.ok()) return opened.status();
    return std::unique_ptr<plugin::Iterator>(std::make_unique<EditingIterator>(
        std::move(opened.value()), std::move(edit), std::move(edit_page)));
}

}  // namespace eventstore::broken
