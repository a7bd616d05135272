// ouzel sub: subscribes and prints what arrives, with mosquitto_sub's options (-t -q -C -W -v -F
// -N -R -T -U -E --retained-only --remove-retained --pretty) and Ouzel's --json. It reconnects
// after a lost connection (subscribing again when the broker kept no session), as mosquitto_sub
// does; a first connection that fails ends it with a non-zero status.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "ouzel.h"
#include "tools/ouzel/arg_reader.h"
#include "tools/ouzel/cli_client.h"
#include "tools/ouzel/commands.h"
#include "tools/ouzel/connection_args.h"
#include "tools/ouzel/exit_codes.h"
#include "tools/ouzel/message_format.h"
#include "tools/ouzel/stop_signals.h"

namespace ouzel_cli {
namespace {

constexpr char kSubHelp[] = R"(usage: ouzel sub -t TOPIC [-t TOPIC...] [options]
Subscribes and prints each message that arrives (the payload, one per line).

Subscription and output (as mosquitto_sub):
  -t FILTER             topic filter to subscribe to (repeatable)
  -q QOS                maximum QoS of the subscription: 0, 1 or 2 [0]
  -C COUNT              exit after COUNT messages
  -W SECONDS            stop after SECONDS (counted from the CONNACK); with -C, not getting
                        COUNT messages in time is a failure (exit status 7)
  -v                    print "topic payload"
  -F FORMAT             print with a format: %t topic, %p payload, %q QoS, %r retain, %m mid,
                        %l length, %x/%X hex payload, %I/%U time, %j/%J JSON, %C %D %E %F %P
                        %R %S %A properties, @X strftime, \n \t \0 ... (see docs/cli.md)
  -N                    no newline after each message
  -R                    do not print retained (stale) messages
  --retained-only       print only retained messages; exit at the first fresh one
  --remove-retained     clear each retained message received (publish an empty retained one)
  -T FILTER             do not print messages on topics matching FILTER (repeatable)
  -U FILTER             unsubscribe from FILTER first (repeatable)
  -E                    exit once the broker acknowledged the subscriptions
  --retain-as-published MQTT 5 subscription option
  --random-filter PCT   print only about PCT percent of the messages
  --pretty              indented JSON (%j, %J, --json)
Ouzel's own:
  --json                one JSON object per message: topic, payload (or payload_base64 when it
                        is not UTF-8), qos, retain, mid, properties, timestamp
  --no-local            MQTT 5 subscription option: not our own messages

)";

constexpr char kSubExitHelp[] = R"(
Exit status: 0 done (-C reached, -E, -W without -C, interrupted without -C), 2 bad command line,
3 could not connect, 4 the broker refused the connection, 6 a subscription was refused,
7 -W passed before -C messages arrived, 8 interrupted before -C messages arrived, 1 other errors.
)";

struct SubArgs {
  ConnectionArgs conn;
  std::vector<std::string> topics;
  std::vector<std::string> filter_out;
  std::vector<std::string> unsubscribe;
  int qos = 0;
  int64_t count = 0;
  int64_t timeout_s = 0;
  bool skip_retained = false;
  bool retained_only = false;
  bool remove_retained = false;
  bool exit_after_subscribe = false;
  bool retain_as_published = false;
  bool no_local = false;
  double random_filter = 100.0;
  OutputOptions output;
  bool json = false;
  bool verbose = false;
  bool help = false;
};

// What the loop thread's callbacks record, read by the main thread under CliClient::mu().
struct SubState {
  CliClient* client = nullptr;
  const SubArgs* args = nullptr;
  ouzel_properties* subscribe_props = nullptr;
  ouzel_properties* unsubscribe_props = nullptr;
  bool first_connection = true;
  bool subscribed = false;
  bool subscribe_failed = false;
  std::string subscribe_error;
  int64_t printed = 0;
  bool done = false;
  std::mt19937 random{std::random_device{}()};
};

bool ParseSubArgs(int argc, char** argv, SubArgs* a, std::string* error) {
  ArgReader r(argc, argv);
  while (r.Next()) {
    if (ParseConnectionOption(r, &a->conn)) continue;
    if (r.Is(nullptr, "--help")) {
      a->help = true;
      return true;
    } else if (r.Is("-t", "--topic")) {
      a->topics.push_back(r.Value());
    } else if (r.Is("-q", "--qos")) {
      a->qos = static_cast<int>(r.Int(0, 2));
    } else if (r.Is("-C", "--count")) {
      a->count = r.Int(1, INT64_MAX);
    } else if (r.Is("-W", "--timeout")) {
      a->timeout_s = r.Int(1, 31536000);
    } else if (r.Is("-v", "--verbose")) {
      r.Flag();
      a->verbose = true;
    } else if (r.Is("-F", "--format")) {
      a->output.format = r.Value();
      a->output.mode = OutputOptions::Mode::kFormat;
      std::string format_error;
      if (!r.failed() && !CheckFormat(a->output.format, &format_error)) {
        *error = format_error;
        return false;
      }
    } else if (r.Is("-N", nullptr)) {
      r.Flag();
      a->output.end_of_line = false;
    } else if (r.Is("-R", "--no-retained")) {
      r.Flag();
      a->skip_retained = true;
    } else if (r.Is(nullptr, "--retained-only")) {
      r.Flag();
      a->retained_only = true;
    } else if (r.Is(nullptr, "--remove-retained")) {
      r.Flag();
      a->remove_retained = true;
    } else if (r.Is("-T", "--filter-out")) {
      a->filter_out.push_back(r.Value());
    } else if (r.Is("-U", "--unsubscribe")) {
      a->unsubscribe.push_back(r.Value());
    } else if (r.Is("-E", nullptr)) {
      r.Flag();
      a->exit_after_subscribe = true;
    } else if (r.Is(nullptr, "--retain-as-published")) {
      r.Flag();
      a->retain_as_published = true;
    } else if (r.Is(nullptr, "--no-local")) {
      r.Flag();
      a->no_local = true;
    } else if (r.Is(nullptr, "--random-filter")) {
      a->random_filter = r.Number(0, 100);
    } else if (r.Is(nullptr, "--pretty")) {
      r.Flag();
      a->output.pretty = true;
    } else if (r.Is(nullptr, "--json")) {
      r.Flag();
      a->json = true;
    } else {
      r.Unknown();
    }
  }
  if (r.failed()) {
    *error = r.error();
    return false;
  }
  if (!a->conn.url_topic.empty()) a->topics.insert(a->topics.begin(), a->conn.url_topic);
  if (a->topics.empty()) {
    *error = "give a topic filter to subscribe to with -t";
    return false;
  }
  if (a->json && a->output.mode == OutputOptions::Mode::kFormat) {
    *error = "--json and -F cannot be used together";
    return false;
  }
  if (a->json) {
    a->output.mode = OutputOptions::Mode::kJson;
  } else if (a->verbose && a->output.mode != OutputOptions::Mode::kFormat) {
    a->output.mode = OutputOptions::Mode::kVerbose;
  }
  if (a->skip_retained && a->retained_only) {
    *error = "-R and --retained-only cannot be used together";
    return false;
  }
  for (const auto* list : {&a->topics, &a->filter_out, &a->unsubscribe}) {
    for (const std::string& f : *list) {
      if (ouzel_topic_validate_filter(f.data(), f.size()) != OUZEL_OK) {
        *error = "'" + f + "' is not a valid topic filter: " + ouzel_last_error_message();
        return false;
      }
    }
  }
  if ((a->retain_as_published || a->no_local) && a->conn.ProtocolVersion() != OUZEL_MQTT_V5) {
    *error = "--retain-as-published and --no-local need -V mqttv5";
    return false;
  }
  return true;
}

bool FilteredOut(const SubArgs& a, const ouzel_message_fields& f) {
  for (const std::string& filter : a.filter_out) {
    if (ouzel_topic_matches(filter.data(), filter.size(), f.topic, f.topic_len) == 1) return true;
  }
  return false;
}

// Subscribes to every -t (and unsubscribes -U first, on the first connection) from on_connect.
void SubscribeAll(SubState* s, bool session_present) {
  bool first;
  {
    std::lock_guard<std::mutex> lock(s->client->mu());
    first = s->first_connection;
    s->first_connection = false;
  }
  if (!first && session_present) return;  // the broker kept the subscriptions
  ouzel_client* c = s->client->get();
  const SubArgs& a = *s->args;
  int rc = OUZEL_OK;
  if (first && !a.unsubscribe.empty()) {
    std::vector<const char*> filters;
    for (const std::string& f : a.unsubscribe) filters.push_back(f.c_str());
    rc = ouzel_client_unsubscribe(c, filters.data(), nullptr, filters.size(), s->unsubscribe_props,
                                  nullptr);
  }
  if (rc == OUZEL_OK) {
    std::vector<ouzel_subscription> subs(a.topics.size());
    for (size_t i = 0; i < a.topics.size(); ++i) {
      ouzel_subscription_init(&subs[i], OUZEL_SUBSCRIPTION_VERSION);
      subs[i].filter = a.topics[i].data();
      subs[i].filter_len = a.topics[i].size();
      subs[i].qos = a.qos;
      subs[i].no_local = a.no_local ? 1 : 0;
      subs[i].retain_as_published = a.retain_as_published ? 1 : 0;
    }
    rc = ouzel_client_subscribe(c, subs.data(), subs.size(), s->subscribe_props, nullptr);
  }
  if (rc != OUZEL_OK) {
    std::lock_guard<std::mutex> lock(s->client->mu());
    s->subscribe_failed = true;
    s->subscribe_error = CliClient::Describe("cannot subscribe", rc);
    s->client->Notify();
  }
}

void OnSubscribe(ouzel_client*, int32_t, const uint8_t* codes, size_t count,
                 const ouzel_properties*, void* user_data) {
  SubState* s = static_cast<SubState*>(user_data);
  std::string refused;
  for (size_t i = 0; i < count; ++i) {
    int version = s->client->protocol_version();
    if (ouzel_reason_code_is_error(version, OUZEL_PACKET_SUBACK, codes[i]) != 1) continue;
    const char* name = ouzel_reason_code_name(version, OUZEL_PACKET_SUBACK, codes[i]);
    char code[8];
    std::snprintf(code, sizeof code, "0x%02X", codes[i]);
    if (!refused.empty()) refused += "; ";
    refused += "'" + (i < s->args->topics.size() ? s->args->topics[i] : std::string("?")) +
               "': " + (name != nullptr ? name : "refused") + " (" + code + ")";
  }
  std::lock_guard<std::mutex> lock(s->client->mu());
  if (!refused.empty()) {
    s->subscribe_failed = true;
    s->subscribe_error = "the broker refused the subscription " + refused;
  }
  s->subscribed = true;
  if (s->args->exit_after_subscribe) s->done = true;
  s->client->Notify();
}

void OnMessage(ouzel_client* c, const ouzel_message* msg, void* user_data) {
  SubState* s = static_cast<SubState*>(user_data);
  const SubArgs& a = *s->args;
  {
    std::lock_guard<std::mutex> lock(s->client->mu());
    if (s->done) return;
  }
  timespec received;
  clock_gettime(CLOCK_REALTIME, &received);
  ouzel_message_fields f;
  ouzel_message_fields_init(&f, OUZEL_MESSAGE_FIELDS_VERSION);
  if (ouzel_message_get_fields(msg, &f) != OUZEL_OK) return;
  if (FilteredOut(a, f)) return;
  if (a.retained_only && !f.retain) {
    std::lock_guard<std::mutex> lock(s->client->mu());
    s->done = true;
    s->client->Notify();
    return;
  }
  if (a.remove_retained && f.retain) {
    ouzel_client_publish(c, f.topic, f.topic_len, nullptr, 0, 0, 1, nullptr, nullptr, nullptr);
  }
  if (a.skip_retained && f.retain) return;
  if (a.random_filter < 100.0 &&
      std::uniform_real_distribution<double>(0, 100)(s->random) >= a.random_filter) {
    return;
  }
  std::string text;
  std::string error;
  if (!FormatMessage(a.output, f, received, &text, &error)) {
    s->client->Error(error);
    return;
  }
  bool written =
      std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0;
  std::lock_guard<std::mutex> lock(s->client->mu());
  if (!written) {
    // The reader went away (a closed pipe): nothing more can be printed.
    s->done = true;
  } else if (++s->printed == a.count && a.count > 0) {
    s->done = true;
  }
  s->client->Notify();
}

}  // namespace

int RunSub(int argc, char** argv) {
  SubArgs a;
  std::string error;
  if (!ParseSubArgs(argc, argv, &a, &error)) return UsageError("ouzel sub", error, a.conn.quiet);
  if (a.help) {
    PrintHelp(kSubHelp, kSubExitHelp);
    return kExitOk;
  }
  InstallStopSignals();

  OptionsPtr opts = MakeOptions(a.conn, "ouzel_sub_", &error);
  if (opts == nullptr) return UsageError("ouzel sub", error, a.conn.quiet);
  ouzel_options_set_int(opts.get(), OUZEL_OPT_RECONNECT, 1);

  SubState s;
  s.args = &a;
  s.subscribe_props = a.conn.properties.Build(OUZEL_PACKET_SUBSCRIBE, &error);
  if (!error.empty()) return UsageError("ouzel sub", error, a.conn.quiet);
  s.unsubscribe_props = a.conn.properties.Build(OUZEL_PACKET_UNSUBSCRIBE, &error);
  if (!error.empty()) return UsageError("ouzel sub", error, a.conn.quiet);
  ouzel_properties* disconnect_props = a.conn.properties.Build(OUZEL_PACKET_DISCONNECT, &error);
  if (!error.empty()) return UsageError("ouzel sub", error, a.conn.quiet);

  int status = kExitOk;
  {
    CliClient client("ouzel sub", a.conn.quiet, a.conn.debug);
    s.client = &client;
    client.set_reconnect(true);
    client.set_on_connected([&s](bool session_present) { SubscribeAll(&s, session_present); });
    status = client.Create(opts.get(), a.conn.ProtocolVersion());
    if (status == kExitOk) {
      ouzel_client_set_on_subscribe(client.get(), OnSubscribe, &s, nullptr);
      ouzel_client_set_on_message(client.get(), OnMessage, &s, nullptr);
      status = client.Connect(a.conn.connect_timeout_s);
    }
    if (status == kExitOk) {
      int64_t deadline = a.timeout_s > 0 ? NowMs() + a.timeout_s * 1000 : -1;
      CliClient::Wait w = client.WaitUntil([&s] { return s.done || s.subscribe_failed; }, deadline);
      std::string lost_reason = client.lost_reason();
      std::lock_guard<std::mutex> lock(client.mu());
      if (s.subscribe_failed) {
        client.Error(s.subscribe_error);
        status = kExitRejected;
      } else if (w == CliClient::Wait::kTimedOut && a.count > 0) {
        client.Error("timed out after " + std::to_string(a.timeout_s) + " s with " +
                     std::to_string(s.printed) + " of " + std::to_string(a.count) + " messages");
        status = kExitTimeout;
      } else if (w == CliClient::Wait::kInterrupted && a.count > 0) {
        client.Error("interrupted after " + std::to_string(s.printed) + " of " +
                     std::to_string(a.count) + " messages");
        status = kExitInterrupted;
      } else if (w == CliClient::Wait::kLost) {
        client.Error("connection lost: " + lost_reason);
        status = kExitConnectionLost;
      }
    }
    if (client.get() != nullptr) client.Disconnect(disconnect_props);
  }
  ouzel_properties_free(s.subscribe_props);
  ouzel_properties_free(s.unsubscribe_props);
  ouzel_properties_free(disconnect_props);
  return status;
}

}  // namespace ouzel_cli
