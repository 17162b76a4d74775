#include "rpc/event_store_service.hpp"

#include "eventstore/abi_struct.hpp"
#include "eventstore/loader/plugin.hpp"
#include "eventstore/validation.hpp"
#include "observability/request_id.hpp"
#include "observability/server_metrics.hpp"
#include "rpc/errors.hpp"
#include "rpc/page_reader.hpp"
#include "rpc/parse_errors.hpp"
#include "rpc/translate.hpp"
#include "subscriptions/subscribe_reactor.hpp"

namespace eventstore::server {
namespace {

constexpr char kSubscribeMethod[] = "/eventstore.v1.EventStore/Subscribe";

}  // namespace

EventStoreService::EventStoreService(loader::Store& store, CommitNotifier& notifier,
                                     const Config& config)
    : store_(store),
      config_(config),
      auth_(config.auth),
      subscription_slots_(config.connections.max_subscriptions_per_connection),
      subscriptions_(store, notifier, config) {
    SetMessageAllocatorFor_Append(&append_calls_);
}

TokenSet::Change EventStoreService::replace_tokens(const std::vector<TokenConfig>& tokens) {
    const TokenSet::Change change = auth_.replace_tokens(tokens);
    subscriptions_.end_withdrawn();
    return change;
}

Status EventStoreService::admit_append(const grpc::ServerContextBase& context,
                                       const v1::AppendRequest& request, Caller& caller,
                                       abi::AppendBuilder& append) const {
    auto authenticated = auth_.authenticate(context, Access::write);
    if (!authenticated.ok()) return authenticated.status();
    caller = std::move(authenticated.value());
    if (Status s = Authorizer::check_append(caller, request); !s.ok()) return s;
    if (Status s = check_expected_kind_known(request.expected_version()); !s.ok()) return s;
    append = append_request(request, caller.tenant());
    if (Status s = validation::validate_append(append.request(), config_.limits); !s.ok()) return s;
    return fill_deadline(append.request(), deadline(context));
}

grpc::ServerUnaryReactor* EventStoreService::Append(grpc::CallbackServerContext* context,
                                                    const v1::AppendRequest* request,
                                                    v1::AppendResponse*) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    Caller caller;
    abi::AppendBuilder append;
    if (Status s = admit_append(*context, *request, caller, append); !s.ok()) {
        reactor->Finish(to_grpc(s, *context));
        return reactor;
    }
    AppendCall::of(*context).start(store_, *context, *reactor, std::move(caller), std::move(append));
    return reactor;
}

grpc::Status EventStoreService::append_blocking(const grpc::ServerContextBase& context,
                                                const v1::AppendRequest& request,
                                                v1::AppendResponse& response) {
    Caller caller;
    abi::AppendBuilder append;
    if (Status s = admit_append(context, request, caller, append); !s.ok()) return to_grpc(s, context);
    es_append_result result{};
    const Status status = store_.append(append.request(), result);
    return append_answer(status, result, request, caller, context, response);
}

namespace {

// Adds the events the caller may see to a response until it passes the byte budget.
template <class Response>
std::function<bool(const es_recorded_event&)> collect_into(Response* response, const Caller& caller) {
    return [response, &caller, bytes = size_t{0}](const es_recorded_event& event) mutable {
        if (!caller.may_see(event)) return true;
        v1::RecordedEvent* out = response->add_events();
        to_proto(event, out);
        bytes += wire_size(*out);
        return bytes < kResponseByteBudget;
    };
}

}  // namespace

Result<Caller> EventStoreService::admit_stream_call(const grpc::ServerContextBase& context,
                                                   const std::string& stream_id,
                                                   Access access) const {
    auto authenticated = auth_.authenticate(context, access);
    if (!authenticated.ok()) return authenticated.status();
    if (Status s = Authorizer::check_stream(authenticated.value(), stream_id); !s.ok()) return s;
    if (Status s = validation::validate_stream_id(stream_id, config_.limits); !s.ok()) return s;
    return authenticated;
}

grpc::Status EventStoreService::ReadStream(grpc::ServerContext* context,
                                           const v1::ReadStreamRequest* request,
                                           v1::ReadStreamResponse* response) {
    const auto admitted = admit_stream_call(*context, request->stream_id(), Access::read);
    if (!admitted.ok()) return to_grpc(admitted.status(), *context);
    const Caller& caller = admitted.value();
    const auto read =
        read_stream_request(*request, caller.tenant(), config_.limits, deadline(*context));
    if (!read.ok()) return to_grpc(read.status(), *context);
    auto iterator = store_.read_stream(read.value());
    if (!iterator.ok()) {
        if (iterator.status().code() == Code::not_found) {
            return stream_not_found(*context, iterator.status(), read.value());
        }
        return backend_to_grpc(iterator.status(), *context);
    }
    auto drained = drain(*iterator.value(), collect_into(response, caller));
    if (!drained.ok()) return backend_to_grpc(drained.status(), *context);
    if (drained->stopped_early) {
        response->set_next_from_version(request->forward() ? drained->last_version + 1
                                                           : drained->last_version - 1);
        response->set_end_of_stream(!request->forward() && drained->last_version == 1);
    } else {
        response->set_next_from_version(drained->page.next_from_version);
        response->set_end_of_stream(drained->page.end_of_stream);
    }
    return grpc::Status::OK;
}

grpc::Status EventStoreService::ReadAll(grpc::ServerContext* context, const v1::ReadAllRequest* request,
                                        v1::ReadAllResponse* response) {
    const auto admitted = auth_.admit_log_reader(*context, request->stream_prefix());
    if (!admitted.ok()) return to_grpc(admitted.status(), *context);
    const Caller& caller = admitted.value().caller;
    const auto read = read_all_request(*request, admitted.value().prefix, config_.limits,
                                       deadline(*context));
    if (!read.ok()) return to_grpc(read.status(), *context);
    auto iterator = store_.read_all(read.value());
    if (!iterator.ok()) return backend_to_grpc(iterator.status(), *context);
    auto drained = drain(*iterator.value(), collect_into(response, caller));
    if (!drained.ok()) return backend_to_grpc(drained.status(), *context);
    if (drained->stopped_early) {
        response->set_last_scanned_position(drained->last_position);
        response->set_reached_head(false);
    } else {
        response->set_last_scanned_position(drained->page.last_scanned_position);
        response->set_reached_head(drained->page.reached_head);
    }
    return grpc::Status::OK;
}

grpc::Status EventStoreService::stream_not_found(const grpc::ServerContextBase& context,
                                                 const Status& status,
                                                 const es_read_stream_request& read) {
    if (!store_.plugin().has_stream_lifecycle()) return backend_to_grpc(status, context);
    es_stream_state_request request = abi::make_struct<es_stream_state_request>();
    request.stream_id = read.stream_id;
    request.owner_tenant = read.owner_tenant;
    if (Status s = fill_deadline(request, deadline(context)); !s.ok()) return to_grpc(status, context);
    es_stream_state state{};
    if (store_.stream_state(request, state).ok() && state.tombstoned) {
        return stream_deleted(grpc::StatusCode::NOT_FOUND, std::string(abi::view(read.stream_id)));
    }
    return backend_to_grpc(status, context);
}

EventStoreService::StreamChange EventStoreService::apply_change(
    const grpc::ServerContextBase& context, es_stream_change_kind kind, const std::string& stream_id,
    const v1::ExpectedVersion* expected, const ChangeFields& fill) {
    StreamChange change;
    const auto admitted = admit_stream_call(context, stream_id, Access::delete_streams);
    if (!admitted.ok()) {
        change.status = admitted.status();
        return change;
    }
    es_stream_change_request request = change_request(kind, stream_id, admitted.value().tenant());
    if (expected != nullptr) {
        change.status = check_expected_kind_known(*expected);
        if (!change.status.ok()) return change;
        set_expected(request, *expected);
    }
    if (fill) change.status = fill(request);
    if (!change.status.ok()) return change;
    change.status = fill_deadline(request, deadline(context));
    if (!change.status.ok()) return change;
    change.status = store_.change_stream(request, change.state);
    change.from_backend = true;
    if (change.status.ok()) subscriptions_.forget_recent();
    return change;
}

grpc::Status EventStoreService::change_stream(grpc::ServerContext& context,
                                              es_stream_change_kind kind,
                                              const std::string& stream_id,
                                              const v1::ExpectedVersion* expected,
                                              const ChangeFields& fill, v1::StreamState& response) {
    const StreamChange change = apply_change(context, kind, stream_id, expected, fill);
    if (!change.from_backend) return to_grpc(change.status, context);
    if (change.status.code() == Code::failed_precondition) {
        if (change.state.tombstoned) {
            return stream_deleted(grpc::StatusCode::FAILED_PRECONDITION, stream_id);
        }
        if (expected != nullptr) {
            return wrong_expected_version(change.status, stream_id, *expected,
                                          change.state.last_version);
        }
    }
    if (!change.status.ok()) return backend_to_grpc(change.status, context);
    to_proto(stream_id, change.state, &response);
    return grpc::Status::OK;
}

grpc::Status EventStoreService::DeleteStream(grpc::ServerContext* context,
                                             const v1::DeleteStreamRequest* request,
                                             v1::StreamState* response) {
    return change_stream(*context, ES_CHANGE_DELETE, request->stream_id(),
                         &request->expected_version(), {}, *response);
}

grpc::Status EventStoreService::TombstoneStream(grpc::ServerContext* context,
                                                const v1::TombstoneStreamRequest* request,
                                                v1::StreamState* response) {
    return change_stream(*context, ES_CHANGE_TOMBSTONE, request->stream_id(),
                         &request->expected_version(), {}, *response);
}

grpc::Status EventStoreService::TruncateStream(grpc::ServerContext* context,
                                               const v1::TruncateStreamRequest* request,
                                               v1::StreamState* response) {
    return change_stream(
        *context, ES_CHANGE_TRUNCATE, request->stream_id(), nullptr,
        [&](es_stream_change_request& change) {
            change.before_version = request->before_version();
            return Status();
        },
        *response);
}

grpc::Status EventStoreService::SetStreamRetention(grpc::ServerContext* context,
                                                   const v1::SetStreamRetentionRequest* request,
                                                   v1::StreamState* response) {
    return change_stream(
        *context, ES_CHANGE_SET_RETENTION, request->stream_id(), nullptr,
        [&](es_stream_change_request& change) { return set_retention(change, request->retention()); },
        *response);
}

grpc::Status EventStoreService::GetStreamState(grpc::ServerContext* context,
                                               const v1::GetStreamStateRequest* request,
                                               v1::StreamState* response) {
    const auto admitted = admit_stream_call(*context, request->stream_id(), Access::read);
    if (!admitted.ok()) return to_grpc(admitted.status(), *context);
    const Caller& caller = admitted.value();
    es_stream_state_request read = abi::make_struct<es_stream_state_request>();
    read.stream_id = abi::bytes(request->stream_id());
    read.owner_tenant = abi::bytes(caller.tenant());
    if (Status s = fill_deadline(read, deadline(*context)); !s.ok()) return to_grpc(s, *context);
    es_stream_state state{};
    if (Status s = store_.stream_state(read, state); !s.ok()) return backend_to_grpc(s, *context);
    to_proto(request->stream_id(), state, response);
    return grpc::Status::OK;
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* EventStoreService::Subscribe(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* bytes) {
    v1::SubscribeRequest request;
    grpc::ByteBuffer parsed(*bytes);
    if (!grpc::SerializationTraits<v1::SubscribeRequest>::Deserialize(&parsed, &request).ok()) {
        return SubscribeReactor::refuse(unparsable_request(kSubscribeMethod));
    }
    auto admitted = auth_.admit_log_reader(*context, request.stream_prefix());
    if (!admitted.ok()) return SubscribeReactor::refuse(to_grpc(admitted.status(), *context));
    auto slot = subscription_slots_.acquire(context->peer());
    if (!slot) {
        server_metrics().refused_subscriptions.add();
        return SubscribeReactor::refuse(grpc::Status(
            grpc::StatusCode::RESOURCE_EXHAUSTED,
            "this connection already has " + std::to_string(subscription_slots_.cap()) +
                " subscriptions (connections.max_subscriptions_per_connection): "
                "end one, or subscribe over another connection"));
    }
    Feed::Request subscriber;
    subscriber.after = request.after_global_position();
    subscriber.prefix = std::move(admitted.value().prefix);
    subscriber.caller = admitted.value().caller;
    subscriber.max_batch_events =
        std::min(request.max_batch_events(), config_.subscriptions.max_batch_events);
    subscriber.deadline = context->deadline();
    subscriber.request_id = request_id(*context);
    return new SubscribeReactor(subscriptions_, config_.subscriptions, std::move(subscriber),
                                std::move(slot));
}

}  // namespace eventstore::server
