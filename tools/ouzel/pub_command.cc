// ouzel pub: publishes one message (-m, -f, -n, -s), the same message --repeat times, or each
// line of stdin (-l), with mosquitto_pub's options, and exits once every message is delivered:
// written to the socket for QoS 0, acknowledged by the broker for QoS 1 and 2. No automatic
// reconnection: a lost connection ends the command with status 5, naming what was not delivered.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "ouzel.h"
#include "tools/ouzel/arg_reader.h"
#include "tools/ouzel/cli_client.h"
#include "tools/ouzel/commands.h"
#include "tools/ouzel/connection_args.h"
#include "tools/ouzel/exit_codes.h"
#include "tools/ouzel/stop_signals.h"

namespace ouzel_cli {
namespace {

constexpr char kPubHelp[] =
    R"(usage: ouzel pub -t TOPIC {-m MESSAGE | -f FILE | -n | -s | -l} [options]
Publishes a message and exits once it is delivered (QoS 0: written; QoS 1/2: acknowledged).

Message (as mosquitto_pub; exactly one):
  -t TOPIC              topic to publish to
  -m MESSAGE            the payload
  -f FILE               the contents of FILE as the payload
  -n                    an empty (zero-length) payload
  -s                    all of stdin as one payload
  -l                    each line of stdin as a message (the newline is not sent)
  -q QOS                0, 1 or 2 [0]
  -r                    retain the message
  --repeat N            publish it N times (-m, -f, -n, -s)
  --repeat-delay S      wait S seconds (may be fractional) between repeats [0]

)";

constexpr char kPubExitHelp[] = R"(
Exit status: 0 every message delivered, 2 bad command line (or an unreadable file), 3 could not
connect, 4 the broker refused the connection, 5 the connection was lost before every message was
delivered, 6 a message was refused (MQTT 5 PUBACK/PUBREC failure) or is too large, 8 interrupted,
1 other errors.
)";

enum class Source { kNone, kMessage, kFile, kNull, kStdin, kLines };

struct PubArgs {
  ConnectionArgs conn;
  std::string topic;
  Source source = Source::kNone;
  std::string payload;  // -m, or the file / stdin read before connecting
  std::string file;
  int qos = 0;
  bool retain = false;
  int64_t repeat = 1;
  double repeat_delay_s = 0;
  bool help = false;
};

struct PubState {
  CliClient* client = nullptr;
  int qos = 0;
  int64_t published = 0;
  int64_t finished = 0;
  int64_t failed = 0;
  std::string first_failure;
};

// Engine's own queue bound for -l and --repeat: a fast source waits for acknowledgements instead
// of queueing without limit.
constexpr int kMaxQueued = 1000;

bool SetSource(ArgReader& r, PubArgs* a, Source source) {
  if (a->source != Source::kNone) {
    r.Fail("give only one of -m, -f, -n, -s and -l");
    return false;
  }
  a->source = source;
  return true;
}

bool ReadAll(FILE* f, std::string* out) {
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  return !std::ferror(f);
}

bool ParsePubArgs(int argc, char** argv, PubArgs* a, std::string* error) {
  ArgReader r(argc, argv);
  bool repeat_given = false;
  while (r.Next()) {
    if (ParseConnectionOption(r, &a->conn)) continue;
    if (r.Is(nullptr, "--help")) {
      a->help = true;
      return true;
    } else if (r.Is("-t", "--topic")) {
      a->topic = r.Value();
    } else if (r.Is("-m", "--message")) {
      if (SetSource(r, a, Source::kMessage)) a->payload = r.Value();
    } else if (r.Is("-f", "--file")) {
      if (SetSource(r, a, Source::kFile)) a->file = r.Value();
    } else if (r.Is("-n", "--null-message")) {
      r.Flag();
      SetSource(r, a, Source::kNull);
    } else if (r.Is("-s", "--stdin-file")) {
      r.Flag();
      SetSource(r, a, Source::kStdin);
    } else if (r.Is("-l", "--stdin-line")) {
      r.Flag();
      SetSource(r, a, Source::kLines);
    } else if (r.Is("-q", "--qos")) {
      a->qos = static_cast<int>(r.Int(0, 2));
    } else if (r.Is("-r", "--retain")) {
      r.Flag();
      a->retain = true;
    } else if (r.Is(nullptr, "--repeat")) {
      repeat_given = true;
      a->repeat = r.Int(1, INT64_MAX);
    } else if (r.Is(nullptr, "--repeat-delay")) {
      a->repeat_delay_s = r.Number(0, 86400);
    } else {
      r.Unknown();
    }
  }
  if (r.failed()) {
    *error = r.error();
    return false;
  }
  if (a->topic.empty()) a->topic = a->conn.url_topic;
  if (a->topic.empty()) {
    *error = "give a topic with -t";
    return false;
  }
  if (ouzel_topic_validate_name(a->topic.data(), a->topic.size()) != OUZEL_OK) {
    *error = "'" + a->topic + "' is not a valid topic name: " + ouzel_last_error_message();
    return false;
  }
  if (a->source == Source::kNone) {
    *error = "give the message with -m, -f, -n, -s or -l";
    return false;
  }
  if (repeat_given && a->source == Source::kLines) {
    *error = "--repeat does not apply to -l";
    return false;
  }
  if (a->source == Source::kFile) {
    FILE* f = std::fopen(a->file.c_str(), "rb");
    if (f == nullptr || !ReadAll(f, &a->payload)) {
      *error = "-f: cannot read '" + a->file + "': " + std::strerror(errno);
      if (f != nullptr) std::fclose(f);
      return false;
    }
    std::fclose(f);
  }
  return true;
}

void OnPublish(ouzel_client*, uint64_t, const ouzel_delivery_status* status,
               const ouzel_properties* props, void* user_data) {
  PubState* s = static_cast<PubState*>(user_data);
  std::string why;
  if (status->state != OUZEL_DELIVERY_ACKNOWLEDGED) {
    int version = s->client->protocol_version();
    int packet = s->qos == 2 ? OUZEL_PACKET_PUBREC : OUZEL_PACKET_PUBACK;
    const char* name = ouzel_reason_code_name(version, packet, status->reason_code);
    static const char* const kDropReasons[] = {
        "not delivered",    "the queue was full",    "the session was lost",
        "it is too large",  "the broker refused it", "the connection was lost",
        "it was cancelled",
    };
    int reason = status->drop_reason;
    why = (status->state == OUZEL_DELIVERY_EXPIRED) ? "it expired"
          : (reason >= 0 && reason <= 6)            ? kDropReasons[reason]
                                                    : "not delivered";
    if (reason == OUZEL_DROP_REJECTED && name != nullptr) {
      char code[8];
      std::snprintf(code, sizeof code, "0x%02X", static_cast<unsigned>(status->reason_code));
      why += std::string(": ") + name + " (" + code + ")";
      const char* reason_string = nullptr;
      size_t len = 0;
      if (ouzel_properties_get_bytes(props, OUZEL_PROP_REASON_STRING, &reason_string, &len) ==
          OUZEL_OK) {
        why += ", \"" + std::string(reason_string, len) + "\"";
      }
    }
  }
  std::lock_guard<std::mutex> lock(s->client->mu());
  ++s->finished;
  if (!why.empty() && s->failed++ == 0) s->first_failure = why;
  s->client->Notify();
}

// Publishes one message, waiting for room while the engine's queue is full. Returns kExitOk or
// the status to exit with (after printing why).
int PublishOne(PubState* s, const PubArgs& a, const std::string& payload,
               const ouzel_properties* props) {
  CliClient& client = *s->client;
  while (true) {
    int rc = ouzel_client_publish(client.get(), a.topic.data(), a.topic.size(), payload.data(),
                                  payload.size(), a.qos, a.retain ? 1 : 0, props, nullptr, nullptr);
    if (rc == OUZEL_OK) {
      std::lock_guard<std::mutex> lock(client.mu());
      ++s->published;
      return kExitOk;
    }
    if (rc == OUZEL_EQUEUEFULL) {
      int64_t finished;
      {
        std::lock_guard<std::mutex> lock(client.mu());
        finished = s->finished;
      }
      CliClient::Wait w =
          client.WaitUntil([s, finished] { return s->finished > finished; }, NowMs() + 1000);
      if (w == CliClient::Wait::kInterrupted) return kExitInterrupted;
      if (w == CliClient::Wait::kLost) return kExitConnectionLost;
      continue;
    }
    client.Error(CliClient::Describe("cannot publish", rc));
    switch (rc) {
      case OUZEL_EINVAL:
        return kExitUsage;
      case OUZEL_ETOOLARGE:
      case OUZEL_ENOTSUP:
        return kExitRejected;
      case OUZEL_ENOTCONN:
      case OUZEL_ECLOSED:
        return kExitConnectionLost;
      default:
        return kExitError;
    }
  }
}

// Publishes everything the source gives. Returns kExitOk or the status to exit with.
int PublishAll(PubState* s, const PubArgs& a, const ouzel_properties* props) {
  if (a.source != Source::kLines) {
    for (int64_t i = 0; i < a.repeat; ++i) {
      if (i > 0 && a.repeat_delay_s > 0) {
        int64_t until = NowMs() + static_cast<int64_t>(a.repeat_delay_s * 1000);
        CliClient::Wait w = s->client->WaitUntil([] { return false; }, until);
        if (w == CliClient::Wait::kInterrupted) return kExitInterrupted;
        if (w == CliClient::Wait::kLost) return kExitConnectionLost;
      }
      if (StopRequested()) return kExitInterrupted;
      int status = PublishOne(s, a, a.payload, props);
      if (status != kExitOk) return status;
    }
    return kExitOk;
  }
  std::string line;
  while (true) {
    if (StopRequested()) return kExitInterrupted;
    int c = std::fgetc(stdin);
    if (c == EOF) {
      if (std::ferror(stdin) && errno == EINTR) {
        std::clearerr(stdin);
        continue;  // a signal: StopRequested() decides
      }
      if (!line.empty()) return PublishOne(s, a, line, props);
      return kExitOk;
    }
    if (c != '\n') {
      line.push_back(static_cast<char>(c));
      continue;
    }
    int status = PublishOne(s, a, line, props);
    if (status != kExitOk) return status;
    line.clear();
  }
}

}  // namespace

int RunPub(int argc, char** argv) {
  PubArgs a;
  std::string error;
  if (!ParsePubArgs(argc, argv, &a, &error)) return UsageError("ouzel pub", error, a.conn.quiet);
  if (a.help) {
    PrintHelp(kPubHelp, kPubExitHelp);
    return kExitOk;
  }
  InstallStopSignals();
  if (a.source == Source::kStdin && !ReadAll(stdin, &a.payload)) {
    return UsageError("ouzel pub", std::string("-s: cannot read stdin: ") + std::strerror(errno),
                      a.conn.quiet);
  }

  OptionsPtr opts = MakeOptions(a.conn, "ouzel_pub_", &error);
  if (opts == nullptr) return UsageError("ouzel pub", error, a.conn.quiet);
  ouzel_options_set_int(opts.get(), OUZEL_OPT_RECONNECT, 0);
  ouzel_options_set_int(opts.get(), OUZEL_OPT_MAX_QUEUED_MESSAGES, kMaxQueued);

  PropertiesPtr publish_props(a.conn.properties.Build(OUZEL_PACKET_PUBLISH, &error),
                              ouzel_properties_free);
  if (!error.empty()) return UsageError("ouzel pub", error, a.conn.quiet);
  PropertiesPtr disconnect_props(a.conn.properties.Build(OUZEL_PACKET_DISCONNECT, &error),
                                 ouzel_properties_free);
  if (!error.empty()) return UsageError("ouzel pub", error, a.conn.quiet);

  PubState s;
  s.qos = a.qos;
  CliClient client("ouzel pub", a.conn.quiet, a.conn.debug);
  s.client = &client;
  int status = client.Create(opts.get(), a.conn.ProtocolVersion());
  if (status == kExitOk) {
    ouzel_client_set_on_publish(client.get(), OnPublish, &s, nullptr);
    status = client.Connect(a.conn.connect_timeout_s);
  }
  if (status == kExitOk) {
    status = PublishAll(&s, a, publish_props.get());
    if (status == kExitOk) {
      CliClient::Wait w = client.WaitUntil([&s] { return s.finished == s.published; }, -1);
      if (w == CliClient::Wait::kInterrupted) status = kExitInterrupted;
      if (w == CliClient::Wait::kLost) status = kExitConnectionLost;
    }
    std::string lost_reason = client.lost_reason();
    std::lock_guard<std::mutex> lock(client.mu());
    int64_t undelivered = s.published - (s.finished - s.failed);
    if (status == kExitConnectionLost) {
      client.Error("connection lost (" + lost_reason + "); " + std::to_string(undelivered) +
                   " of " + std::to_string(s.published) + " messages not delivered");
    } else if (status == kExitInterrupted) {
      client.Error("interrupted; " + std::to_string(s.finished - s.failed) + " of " +
                   std::to_string(s.published) + " messages delivered");
    } else if (status == kExitOk && s.failed > 0) {
      client.Error(std::to_string(s.failed) + " of " + std::to_string(s.published) +
                   " messages not delivered; the first because " + s.first_failure);
      status = kExitRejected;
    }
  }
  if (client.get() != nullptr) client.Disconnect(disconnect_props.get());
  return status;
}

}  // namespace ouzel_cli
