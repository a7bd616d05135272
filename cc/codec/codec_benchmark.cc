// Encode and decode cost of a QoS 1 PUBLISH with a 64-byte payload: MQTT 3.1.1, and MQTT 5 with the
// properties a typical application sets (Message Expiry, Content Type, one User Property).
//
//   bazel run -c opt //cc/codec:codec_benchmark
#include <string>

#include "benchmark/benchmark.h"
#include "cc/codec/decode.h"
#include "cc/codec/encode.h"
#include "cc/codec/stream_decoder.h"

namespace ouzel {
namespace {

PublishPacket SamplePublish(bool with_properties) {
  PublishPacket p;
  p.topic = "factory/line-4/press-17/telemetry";
  p.payload = std::string(64, 'p');
  p.qos = 1;
  p.packet_id = 4711;
  if (with_properties) {
    p.properties.SetInt(PropertyId::kMessageExpiryInterval, 3600);
    p.properties.SetString(PropertyId::kContentType, "application/json");
    p.properties.AddUserProperty("trace-id", "4bf92f3577b34da6");
  }
  return p;
}

void BM_EncodePublish(benchmark::State& state, ProtocolVersion version, bool props) {
  const Packet packet = SamplePublish(props);
  ByteBuffer out;
  for (auto _ : state) {
    out.Clear();
    absl::Status s = EncodePacket(packet, version, &out);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes"] = static_cast<double>(out.size());
}

void BM_DecodePublish(benchmark::State& state, ProtocolVersion version, bool props) {
  ByteBuffer encoded;
  if (!EncodePacket(SamplePublish(props), version, &encoded).ok()) {
    state.SkipWithError("encode failed");
    return;
  }
  StreamDecoder decoder({version});
  for (auto _ : state) {
    absl::Span<const uint8_t> in = encoded.span();
    absl::StatusOr<std::optional<Packet>> p = decoder.Next(&in);
    benchmark::DoNotOptimize(p);
  }
  state.counters["bytes"] = static_cast<double>(encoded.size());
}

BENCHMARK_CAPTURE(BM_EncodePublish, v311_qos1_64B, ProtocolVersion::kV311, false);
BENCHMARK_CAPTURE(BM_EncodePublish, v5_qos1_64B_props, ProtocolVersion::kV5, true);
BENCHMARK_CAPTURE(BM_DecodePublish, v311_qos1_64B, ProtocolVersion::kV311, false);
BENCHMARK_CAPTURE(BM_DecodePublish, v5_qos1_64B_props, ProtocolVersion::kV5, true);

}  // namespace
}  // namespace ouzel
