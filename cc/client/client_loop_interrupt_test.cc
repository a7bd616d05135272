// ClientOptions::loop_interrupt_fd: while the descriptor is readable LoopForever returns OK with
// the connection intact, so a host runtime (Python's KeyboardInterrupt on Ctrl-C) can act on a
// signal its handler recorded; drained, the loop carries on. Against the ScriptedFakeBroker.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cc/client/client.h"
#include "gtest/gtest.h"
#include "tests/fixtures/fake_broker.h"

namespace ouzel {
namespace {

using fixtures::ScriptedFakeBroker;

constexpr absl::Duration kTimeout = absl::Seconds(10);

struct Pipe {
  int read_end = -1, write_end = -1;
  Pipe() {
    int fds[2];
    EXPECT_EQ(pipe2(fds, O_NONBLOCK | O_CLOEXEC), 0);
    read_end = fds[0];
    write_end = fds[1];
  }
  ~Pipe() {
    close(read_end);
    close(write_end);
  }
  void Poke() const { EXPECT_EQ(write(write_end, "x", 1), 1); }
  void Drain() const {
    char buf[64];
    while (read(read_end, buf, sizeof buf) > 0) {
    }
  }
};

std::unique_ptr<ScriptedFakeBroker> ConnectedThenDisconnect() {
  absl::StatusOr<std::unique_ptr<ScriptedFakeBroker>> fake = ScriptedFakeBroker::Create();
  EXPECT_TRUE(fake.ok()) << fake.status();
  (*fake)
      ->ExpectPacket(PacketType::kConnect)
      .Send(ConnackPacket{})
      .ExpectPacket(PacketType::kDisconnect)
      .WaitForClose();
  EXPECT_TRUE((*fake)->Start().ok());
  return std::move(*fake);
}

// A connected client whose LoopForever runs on a thread.
class LoopForeverThread {
 public:
  LoopForeverThread(int port, int interrupt_fd) {
    ClientOptions o;
    o.servers = {absl::StrCat("mqtt://127.0.0.1:", port)};
    o.session.client_id = "interrupt-test";
    o.loop_interrupt_fd = interrupt_fd;
    absl::StatusOr<std::unique_ptr<Client>> c = Client::Create(std::move(o));
    EXPECT_TRUE(c.ok()) << c.status();
    client = std::move(*c);
    EXPECT_TRUE(client->ConnectAsync().ok());
    Run();
    absl::Time deadline = absl::Now() + kTimeout;
    while (!client->IsConnected() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(2));
    EXPECT_TRUE(client->IsConnected());
  }
  ~LoopForeverThread() {
    if (thread.joinable()) {
      client->LoopStop().IgnoreError();
      thread.join();
    }
  }
  void Run() {
    returned = false;
    started = false;
    thread = std::thread([this] {
      native = pthread_self();
      started = true;
      result = client->LoopForever();
      returned = true;
    });
    while (!started) absl::SleepFor(absl::Milliseconds(1));
  }
  bool ReturnsWithin(absl::Duration d) {
    absl::Time deadline = absl::Now() + d;
    while (!returned && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(2));
    if (returned) thread.join();
    return returned;
  }

  std::unique_ptr<Client> client;
  std::thread thread;
  pthread_t native;
  std::atomic<bool> started{false};
  std::atomic<bool> returned{false};
  absl::Status result;
};

TEST(ClientLoopInterruptTest, ReadableDescriptorEndsLoopForeverAndDrainedItCarriesOn) {
  Pipe pipe;
  auto fake = ConnectedThenDisconnect();
  LoopForeverThread loop(fake->port(), pipe.read_end);
  EXPECT_FALSE(loop.ReturnsWithin(absl::Milliseconds(100))) << loop.result;

  pipe.Poke();
  ASSERT_TRUE(loop.ReturnsWithin(kTimeout)) << "LoopForever did not see the descriptor";
  EXPECT_TRUE(loop.result.ok()) << loop.result;
  EXPECT_TRUE(loop.client->IsConnected()) << "an interrupt must not touch the connection";

  // Still readable: returns again at once (level-triggered, nothing is lost).
  loop.Run();
  ASSERT_TRUE(loop.ReturnsWithin(kTimeout));

  // Drained: the same connection runs on until Disconnect.
  pipe.Drain();
  loop.Run();
  EXPECT_FALSE(loop.ReturnsWithin(absl::Milliseconds(100))) << loop.result;
  ASSERT_TRUE(loop.client->Disconnect().ok());
  ASSERT_TRUE(loop.ReturnsWithin(kTimeout));
  EXPECT_TRUE(loop.result.ok()) << loop.result;
  EXPECT_TRUE(fake->Finish().ok()) << fake->Finish();
}

int g_signal_pipe = -1;
void WriteToSignalPipe(int) {
  int saved = errno;
  if (write(g_signal_pipe, "s", 1) < 0) {
  }
  errno = saved;
}

TEST(ClientLoopInterruptTest, SignalHandlerWritingToTheDescriptorEndsLoopForever) {
  // The self-pipe trick as Python's signal.set_wakeup_fd does it.
  Pipe pipe;
  g_signal_pipe = pipe.write_end;
  struct sigaction sa = {}, old;
  sa.sa_handler = WriteToSignalPipe;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, &old);
  auto fake = ConnectedThenDisconnect();
  {
    LoopForeverThread loop(fake->port(), pipe.read_end);
    pthread_kill(loop.native, SIGUSR1);
    ASSERT_TRUE(loop.ReturnsWithin(kTimeout));
    EXPECT_TRUE(loop.result.ok()) << loop.result;
    pipe.Drain();
    ASSERT_TRUE(loop.client->Disconnect().ok());
    loop.Run();
    ASSERT_TRUE(loop.ReturnsWithin(kTimeout));
  }
  sigaction(SIGUSR1, &old, nullptr);
  EXPECT_TRUE(fake->Finish().ok()) << fake->Finish();
}

TEST(ClientLoopInterruptTest, WithoutADescriptorSignalsDoNotEndLoopForever) {
  struct sigaction sa = {}, old;
  sa.sa_handler = [](int) {};
  sigemptyset(&sa.sa_mask);
  sigaction(SIGUSR1, &sa, &old);
  auto fake = ConnectedThenDisconnect();
  {
    LoopForeverThread loop(fake->port(), -1);
    for (int i = 0; i < 5; ++i) {
      pthread_kill(loop.native, SIGUSR1);
      absl::SleepFor(absl::Milliseconds(20));
    }
    EXPECT_FALSE(loop.ReturnsWithin(absl::Milliseconds(100))) << loop.result;
    ASSERT_TRUE(loop.client->Disconnect().ok());
    ASSERT_TRUE(loop.ReturnsWithin(kTimeout));
    EXPECT_TRUE(loop.result.ok()) << loop.result;
  }
  sigaction(SIGUSR1, &old, nullptr);
  EXPECT_TRUE(fake->Finish().ok()) << fake->Finish();
}

}  // namespace
}  // namespace ouzel
