"""The package as users get it: `pip wheel` builds a platform wheel carrying libouzel.so.0, and
a fresh virtual environment with only that wheel installed connects to a broker (the library is
found inside the package, with no OUZEL_LIBRARY)."""

import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import pytest

from ouzel import _capi as C

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)


def _have(module):
    return subprocess.run([sys.executable, "-c", f"import {module}"],
                          capture_output=True).returncode == 0


@pytest.mark.skipif(not (_have("setuptools") and _have("wheel") and _have("pip")
                         and _have("ensurepip")),
                    reason="needs python3-setuptools, python3-wheel, python3-pip, python3-venv")
def test_wheel_installs_and_runs_in_a_fresh_venv(broker):
    work = tempfile.mkdtemp(prefix="ouzel-py-wheel-")
    try:
        src = os.path.join(work, "src")
        shutil.copytree(PACKAGE, src, symlinks=False,
                        ignore=shutil.ignore_patterns("tests", "bench", "__pycache__", "build",
                                                      "*.egg-info"))
        env = dict(os.environ)
        env["OUZEL_LIBRARY"] = C.lib().path
        env["PIP_NO_INDEX"] = "1"
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation",
                        "--no-deps", "-q", "-w", os.path.join(work, "dist"), src],
                       check=True, env=env, timeout=300, cwd=work)
        wheels = os.listdir(os.path.join(work, "dist"))
        assert len(wheels) == 1 and wheels[0].startswith("ouzel-0.1.0-py3-none-")
        wheel = os.path.join(work, "dist", wheels[0])
        names = zipfile.ZipFile(wheel).namelist()
        assert "ouzel/_lib/libouzel.so.0" in names and "ouzel/mqtt/py.typed" in names
        venv = os.path.join(work, "venv")
        subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=120)
        py = os.path.join(venv, "bin", "python")
        subprocess.run([py, "-m", "pip", "install", "-q", "--no-index", "--no-deps", wheel],
                       check=True, timeout=300, env={k: v for k, v in env.items()
                                                     if k != "OUZEL_LIBRARY"})
        smoke = ("import ouzel._capi as C, ouzel.mqtt.client as mqtt\n"
                 "assert C.lib().path.endswith('ouzel/_lib/libouzel.so.0'), C.lib().path\n"
                 "from ouzel.mqtt import publish, subscribe\n"
                 f"publish.single('pkg/t', 'hi', qos=1, retain=True, hostname='127.0.0.1', "
                 f"port={broker.port})\n"
                 f"m = subscribe.simple('pkg/t', hostname='127.0.0.1', port={broker.port})\n"
                 "assert m.payload == b'hi'\n"
                 f"publish.single('pkg/t', None, retain=True, hostname='127.0.0.1', "
                 f"port={broker.port})\n"
                 "print('ok')\n")
        clean_env = {k: v for k, v in os.environ.items()
                     if k not in ("OUZEL_LIBRARY", "PYTHONPATH")}
        out = subprocess.run([py, "-c", smoke], capture_output=True, text=True, timeout=120,
                             cwd=work, env=clean_env)
        assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
    finally:
        shutil.rmtree(work, ignore_errors=True)
