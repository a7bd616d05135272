"""Packaging with the library inside: `pip install ./bindings/python` (or `pip wheel`) copies
libouzel.so into ouzel/_lib/ as libouzel.so.0. Where it comes from, first match wins:

1. $OUZEL_LIBRARY (a libouzel.so you built or downloaded);
2. otherwise Bazel builds it from this repository: `bazel build -c opt //capi:libouzel.so`
   (needs scripts/setup's packages; takes a few minutes the first time).

The wheel is tagged for this platform (py3-none-<platform>): it holds a native library but no
Python extension, so any Python 3 on the platform can use it.
"""

import os
import shutil
import subprocess
import sysconfig

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def find_library():
    env = os.environ.get("OUZEL_LIBRARY")
    if env:
        if not os.path.isfile(env):
            raise SystemExit(f"OUZEL_LIBRARY={env} does not exist")
        return env
    if not os.path.isfile(os.path.join(ROOT, "WORKSPACE")):
        raise SystemExit("not inside the Ouzel repository: set OUZEL_LIBRARY to a libouzel.so")
    bazel = shutil.which("bazel")
    if bazel is None:
        raise SystemExit("bazel not found (run scripts/setup), or set OUZEL_LIBRARY")
    print("building libouzel.so: bazel build -c opt //capi:libouzel.so", flush=True)
    subprocess.run([bazel, "build", "-c", "opt", "//capi:libouzel.so"], cwd=ROOT, check=True)
    out = subprocess.run([bazel, "info", "-c", "opt", "bazel-bin"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.strip()
    return os.path.join(out, "capi", "libouzel.so")


class BuildPyWithLibrary(build_py):
    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "ouzel", "_lib")
        os.makedirs(target, exist_ok=True)
        shutil.copyfile(find_library(), os.path.join(target, "libouzel.so.0"))


class BinaryDistribution(Distribution):
    def has_ext_modules(self):
        return True  # a platform wheel: it carries libouzel.so


cmdclass = {"build_py": BuildPyWithLibrary}
try:
    from wheel.bdist_wheel import bdist_wheel

    class PlatformWheel(bdist_wheel):
        def get_tag(self):
            plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
            return "py3", "none", plat

    cmdclass["bdist_wheel"] = PlatformWheel
except ImportError:
    pass

setup(cmdclass=cmdclass, distclass=BinaryDistribution)
