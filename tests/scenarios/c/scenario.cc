#include "scenario.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <sstream>
#include <thread>

#include "gtest/gtest.h"

namespace scen {
namespace {

int TimeoutMs() {
  const char* t = std::getenv("OUZEL_SCEN_TIMEOUT");
  return t != nullptr ? static_cast<int>(std::atof(t) * 1000) : 20000;
}

}  // namespace

std::string Env(const char* name) {
  const std::string var = std::string("OUZEL_SCEN_") + name;
  const char* v = std::getenv(var.c_str());
  if (v == nullptr || *v == '\0') {
    ADD_FAILURE() << var << " is not set: run me through scripts/test-scenarios --lang c";
    return "";
  }
  return v;
}

int Port(const std::string& which) {
  return std::atoi(Env((which.empty() ? "PORT" : which + "_PORT").c_str()).c_str());
}

std::string Uri(const std::string& scheme, const std::string& which) {
  return scheme + "://" + Env("HOST") + ":" + std::to_string(Port(which));
}

std::string Unique(const std::string& prefix) {
  static std::mt19937_64 random{std::random_device{}()};
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(random()));
  return prefix + "-" + suffix;
}

std::unique_ptr<TestClient> Client(const std::string& client_id, int version) {
  Options o = BaseOptions(Port(""), client_id, version);
  return Client(o.get());
}

std::unique_ptr<TestClient> Client(const ouzel_options* opts) {
  return TestClient::Create(opts, LoopMode::kThread);
}

bool WaitFor(const std::function<bool()>& pred) {
  return RunUntil(std::vector<TestClient*>{}, pred, TimeoutMs());
}

std::vector<std::string> BrokerCtl(const std::vector<std::string>& args) {
  std::string command = "'" + Env("BROKER_CTL") + "'";
  for (const std::string& a : args) command += " '" + a + "'";
  command += " 2>&1";
  FILE* out = popen(command.c_str(), "r");
  if (out == nullptr) {
    ADD_FAILURE() << "cannot run " << command;
    return {};
  }
  std::string text;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, out)) > 0;) text.append(buf, n);
  const int status = pclose(out);
  if (status != 0) {
    ADD_FAILURE() << command << " failed: " << text;
    return {};
  }
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

Child::Child(const std::vector<std::string>& args) {
  const std::string program = Env("C_CHILD");
  int out[2];
  if (pipe(out) != 0) {
    ADD_FAILURE() << "pipe failed";
    return;
  }
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> argv{const_cast<char*>(program.c_str())};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(program.c_str(), argv.data());
    _exit(127);
  }
  close(out[1]);
  // Read "ready\n", bounded.
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(TimeoutMs());
  while (line.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{out[0], POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char c[64];
    const ssize_t n = read(out[0], c, sizeof c);
    if (n <= 0) break;
    line.append(c, static_cast<size_t>(n));
  }
  close(out[0]);
  ready_ = line == "ready\n";
  EXPECT_TRUE(ready_) << "the child did not get ready: '" << line << "'";
}

Child::~Child() { Kill(); }

void Child::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

}  // namespace scen
