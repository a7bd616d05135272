"""ouzel_fuzz_target: one libFuzzer entry point, built two ways.

- `<name>`: the libFuzzer binary. Tagged manual: it needs clang, so it is only built by
  scripts/fuzz under --config=fuzz (its own output base, so gcc builds are never invalidated).
- `<name>_replay`: an ordinary cc_test that runs every file of corpus/<name>/ through the same entry
  point with the gcc toolchain, so the seed corpus and every crash ever saved are re-checked by
  `bazel test //...` and under --config=asan.
"""

def ouzel_fuzz_target(name, srcs, deps):
    native.cc_binary(
        name = name,
        srcs = srcs,
        deps = deps,
        linkopts = ["-fsanitize=fuzzer"],
        tags = ["manual", "fuzzer"],
    )
    native.cc_test(
        name = name + "_replay",
        srcs = srcs,
        deps = deps + ["//tests/fuzz:replay_main"],
        data = native.glob(["corpus/%s/**" % name]),
        args = ["tests/fuzz/corpus/%s" % name],
        size = "small",
    )
