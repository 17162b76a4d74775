// Append: the options message, then the proposed messages, until the client half-closes; then one
// eventstore.v1 append of them, admitted by the core (EventStoreService::admit_append) and handed
// to the store without a thread that waits (loader::Store::append_async), answered with
// AppendResp: success, or wrong_expected_version in the response as KurrentDB answers it.
#include <atomic>
#include <limits>

#include "kurrent/errors.hpp"
#include "kurrent/streams_service.hpp"
#include "kurrent/translate.hpp"
#include "rpc/errors.hpp"
#include "security/auth.hpp"

namespace eventstore::server::kurrent {

namespace {

// The expected revision as KurrentDB writes it into WrongExpectedVersion, in both generations
// of the message's fields.
void fill_expected(const ExpectedRevision& expected, proto::AppendResp::WrongExpectedVersion* out) {
    switch (expected.kind) {
    case ExpectedRevision::Kind::revision:
        out->set_expected_revision(expected.revision);
        out->set_expected_revision_20_6_0(expected.revision);
        break;
    case ExpectedRevision::Kind::no_stream:
        out->mutable_expected_no_stream();
        out->set_expected_revision_20_6_0(std::numeric_limits<uint64_t>::max());
        break;
    case ExpectedRevision::Kind::any:
        out->mutable_expected_any();
        out->mutable_any_20_6_0();
        break;
    case ExpectedRevision::Kind::stream_exists:
        out->mutable_expected_stream_exists();
        out->mutable_stream_exists_20_6_0();
        break;
    }
}

// One Append call. Life: two holders, gRPC (until OnDone) and the store (from append_async until
// release); the last one deletes it.
class AppendReactor final : public grpc::ServerReadReactor<proto::AppendReq>, public loader::AsyncAppend {
public:
    AppendReactor(EventStoreService& core, loader::Store& store, const Config& config,
                  grpc::CallbackServerContext& context, proto::AppendResp& response)
        : core_(core), store_(store), config_(config), context_(context), response_(response) {
        StartRead(&message_);
    }

    void OnReadDone(bool ok) override {
        if (!ok && context_.IsCancelled()) {
            // Not a half-close: the client gave up, and what it sent so far is not its append.
            refuse(grpc::Status::CANCELLED);
        } else if (!ok) {
            submit();
        } else if (!options_seen_) {
            read_options();
        } else {
            read_event();
        }
    }

    void OnDone() override {
        // gRPC runs OnDone after Finish, through its completion queue; the flag makes that order
        // one ThreadSanitizer sees too (gRPC's own synchronisation is not instrumented).
        finished_.load(std::memory_order_acquire);
        drop();
    }

    // loader::AsyncAppend
    const es_append_request& abi_request() const override { return append_.request(); }
    void complete(const Status& status, const es_append_result& result) override {
        finish(answer_append(status, result));
    }
    void release() override { drop(); }

private:
    void read_options() {
        if (message_.content_case() != proto::AppendReq::kOptions) {
            return refuse(bad_request("the first AppendReq of an Append must hold options"));
        }
        options_seen_ = true;
        const proto::AppendReq::Options& options = message_.options();
        const auto expected = expected_of(options);
        if (!expected) {
            return refuse(bad_request(
                "options.expected_stream_revision must be one of revision, no_stream, any, "
                "stream_exists"));
        }
        expected_ = *expected;
        if (Status s = to_expected_version(expected_, request_.mutable_expected_version()); !s.ok()) {
            return refuse(bad_request(s.message()));
        }
        request_.set_stream_id(stream_of(options.stream_identifier()));
        if (Status s = check_not_system_stream(request_.stream_id()); !s.ok()) {
            return refuse(to_grpc(s, context_));
        }
        StartRead(&message_);
    }

    void read_event() {
        if (message_.content_case() != proto::AppendReq::kProposedMessage) {
            return refuse(bad_request("every AppendReq after the first must hold a proposed_message"));
        }
        const int index = request_.events_size();
        if (auto refusal = take_event(*message_.mutable_proposed_message(), index, request_.add_events())) {
            return refuse(answer(context_, *refusal));
        }
        if (auto refusal = past_append_limits(request_, bytes_, config_.limits)) {
            return refuse(answer(context_, *refusal));
        }
        StartRead(&message_);
    }

    void submit() {
        if (!options_seen_) {
            return refuse(bad_request("an Append must start with an AppendReq holding options"));
        }
        if (Status s = core_.admit_append(context_, request_, caller_, append_); !s.ok()) {
            return refuse(answer(context_, classify(s, config_.limits.max_append_bytes, false)));
        }
        holders_.fetch_add(1, std::memory_order_relaxed);
        store_.append_async(*this);
    }

    grpc::Status answer_append(const Status& status, const es_append_result& result) {
        if (status.code() == Code::failed_precondition) {
            if (result.tombstoned) return stream_deleted(context_, request_.stream_id());
            proto::AppendResp::WrongExpectedVersion* wrong = response_.mutable_wrong_expected_version();
            fill_expected(expected_, wrong);
            if (result.actual_version == 0) {
                wrong->mutable_current_no_stream();
                wrong->mutable_no_stream_20_6_0();
            } else {
                wrong->set_current_revision(revision_of(result.actual_version));
                wrong->set_current_revision_20_6_0(revision_of(result.actual_version));
            }
            return grpc::Status::OK;
        }
        if (!status.ok()) {
            return answer(context_, classify(Authorizer::visible_append_failure(caller_, status),
                                             config_.limits.max_append_bytes, true));
        }
        proto::AppendResp::Success* success = response_.mutable_success();
        success->set_current_revision(revision_of(result.current_version));
        success->mutable_position()->set_commit_position(result.last_global_position);
        success->mutable_position()->set_prepare_position(result.last_global_position);
        return grpc::Status::OK;
    }

    void refuse(const grpc::Status& status) { finish(status); }

    void finish(const grpc::Status& status) {
        finished_.store(true, std::memory_order_release);
        Finish(status);
    }

    void drop() {
        if (holders_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
    }

    EventStoreService& core_;
    loader::Store& store_;
    const Config& config_;
    grpc::CallbackServerContext& context_;
    proto::AppendResp& response_;
    proto::AppendReq message_;
    bool options_seen_ = false;
    ExpectedRevision expected_;
    uint64_t bytes_ = 0;
    v1::AppendRequest request_;
    Caller caller_;
    abi::AppendBuilder append_;
    std::atomic<int> holders_{1};  // gRPC; the store from submit()
    std::atomic<bool> finished_{false};
};

}  // namespace

grpc::ServerReadReactor<proto::AppendReq>* StreamsService::Append(grpc::CallbackServerContext* context,
                                                                  proto::AppendResp* response) {
    return new AppendReactor(core_, store_, config_, *context, *response);
}

}  // namespace eventstore::server::kurrent
