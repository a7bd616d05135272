"""static_archive: one relocatable archive of a cc_library and everything it links statically.

Bazel 4 has no cc_static_library. This rule walks the CcInfo linking context of `deps`, takes the
position-independent archive of every library in it (so the result links into PIE executables and
into shared objects, as Go's cgo does by default), and merges their members into one `.a` with the
toolchain's `ar` (an MRI script keeps members whose names repeat across libraries).

Outputs:
  <name>.a          the archive (its file name is the `out` attribute)
  <name>.linkflags  the link flags the archive still needs, one per line: the `linkopts` of the
                    libraries it does not contain (system Abseil, BoringSSL, ...), in link order,
                    for the `Libs.private` line of ouzel.pc
"""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

def _archive_of(lib):
    # The PIC archive when Bazel made one, else the plain one (toolchains that always build PIC).
    return lib.pic_static_library or lib.static_library

def _static_archive_impl(ctx):
    cc_toolchain = find_cpp_toolchain(ctx)
    archives = []
    flags = []
    for dep in ctx.attr.deps:
        for linker_input in dep[CcInfo].linking_context.linker_inputs.to_list():
            for lib in linker_input.libraries:
                archive = _archive_of(lib)
                if archive and archive not in archives:
                    archives.append(archive)
            for flag in linker_input.user_link_flags:
                if flag not in flags:
                    flags.append(flag)
    if not archives:
        fail("static_archive: %s links no static library" % ctx.label)

    out = ctx.actions.declare_file(ctx.attr.out)
    mri = ctx.actions.declare_file(ctx.label.name + ".mri")
    ctx.actions.write(
        mri,
        "\n".join(["create " + out.path] +
                  ["addlib " + a.path for a in archives] +
                  ["save", "end", ""]),
    )
    ctx.actions.run_shell(
        inputs = depset([mri] + archives, transitive = [cc_toolchain.all_files]),
        outputs = [out],
        command = '"$1" -M < "$2"',
        arguments = [cc_toolchain.ar_executable, mri.path],
        mnemonic = "StaticArchive",
        progress_message = "Merging %d archives into %s" % (len(archives), out.short_path),
    )

    linkflags = ctx.actions.declare_file(ctx.label.name + ".linkflags")
    ctx.actions.write(linkflags, "".join([f + "\n" for f in flags + ctx.attr.extra_linkflags]))
    return [DefaultInfo(files = depset([out, linkflags]))]

static_archive = rule(
    implementation = _static_archive_impl,
    attrs = {
        "deps": attr.label_list(providers = [CcInfo], mandatory = True),
        "out": attr.string(mandatory = True, doc = "the archive's file name, e.g. libouzel.a"),
        "extra_linkflags": attr.string_list(
            doc = "flags every user of the archive needs that no linkopts carry (the C++ runtime)",
        ),
        "_cc_toolchain": attr.label(default = Label("@bazel_tools//tools/cpp:current_cc_toolchain")),
    },
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
    incompatible_use_toolchain_transition = True,
)
