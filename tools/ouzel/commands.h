// The `ouzel` command's subcommands. Each takes its own argv (argv[0] is the subcommand's name),
// prints what it has to say, and returns the process's exit status (exit_codes.h).
#ifndef OUZEL_TOOLS_OUZEL_COMMANDS_H_
#define OUZEL_TOOLS_OUZEL_COMMANDS_H_

namespace ouzel_cli {

int RunPub(int argc, char** argv);    // pub_command.cc
int RunSub(int argc, char** argv);    // sub_command.cc
int RunBench(int argc, char** argv);  // bench/bench_command.cc

}  // namespace ouzel_cli

#endif  // OUZEL_TOOLS_OUZEL_COMMANDS_H_
