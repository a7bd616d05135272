"""The driver's own tests: fake language runners (small Python scripts in a temporary folder)
that fail a scenario, lack their toolchain, report nothing, report nonsense, hang, or use the
brokers and broker-ctl, run by the real driver against real brokers; and the judging and
table-writing rules on their own."""

import json
import os
import socket
import subprocess
import sys
import textwrap

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import broker_control  # noqa: E402
import results  # noqa: E402
import table  # noqa: E402

IDS = [s["id"] for s in json.load(open(os.path.join(HERE, "scenarios.json")))]

# Every fake runner starts with this: report(id, result, detail) appends one result line.
PRELUDE = """\
import json, os, socket, subprocess, sys, time
def report(sid, result, detail=""):
    with open(os.environ["OUZEL_SCEN_RESULTS"], "a") as f:
        f.write(json.dumps({"lang": os.environ["OUZEL_SCEN_LANG"], "id": sid,
                            "result": result, "ms": 1, "detail": detail}) + "\\n")
IDS = %r
""" % (IDS,)

RUNNERS = {
    # Passes everything but S07, which it fails: the table must show the failure.
    "failing": """
for sid in IDS:
    report(sid, "fail" if sid == "S07" else "pass", "expected 10 messages, got 9")
sys.exit(1)
""",
    # Writes passes, then says its toolchain is missing: not run, never passing.
    "notoolchain": """
for sid in IDS:
    report(sid, "pass")
print("cargo not found on PATH", file=sys.stderr)
sys.exit(77)
""",
    # Reports nothing and exits 0.
    "silent": """
sys.exit(0)
""",
    # A skip without a reason, an unknown id, two lines for S03, the rest passing.
    "sloppy": """
report("S01", "skip")
report("S99", "pass")
report("S03", "pass")
report("S03", "pass")
for sid in IDS[3:]:
    report(sid, "pass")
report("S02", "pass")
""",
    # Uses what the contract promises: every listener accepts TCP, the files exist, broker-ctl
    # restarts the restart broker (which then accepts again on the same port). Passes S01 only
    # if all of that held, and fails it with the reason otherwise.
    "contract": """
env = os.environ
try:
    for var in ("OUZEL_SCEN_PORT", "OUZEL_SCEN_TLS_PORT", "OUZEL_SCEN_WS_PORT",
                "OUZEL_SCEN_AUTH_PORT", "OUZEL_SCEN_LIMIT_PORT", "OUZEL_SCEN_RESTART_PORT"):
        socket.create_connection((env["OUZEL_SCEN_HOST"], int(env[var])), timeout=5).close()
    for var in ("OUZEL_SCEN_CA", "OUZEL_SCEN_OTHER_CA", "OUZEL_SCEN_CLIENT_CERT",
                "OUZEL_SCEN_CLIENT_KEY", "OUZEL_SCEN_LIB"):
        assert os.path.isfile(env[var]), var
    assert os.path.isfile(os.path.join(env["OUZEL_SCEN_INCLUDE"], "ouzel.h"))
    pc = subprocess.run(["pkg-config", "--libs", "ouzel"], capture_output=True, text=True,
                        timeout=10)
    assert env["OUZEL_SCEN_PREFIX"] in pc.stdout, pc.stdout + pc.stderr
    assert os.path.isdir(env["OUZEL_SCEN_WORK"]) and not os.listdir(env["OUZEL_SCEN_WORK"])
    assert os.path.isfile(os.path.join(env["OUZEL_SCEN_PKG_CONFIG_PATH"], "ouzel.pc"))
    ctl = env["OUZEL_SCEN_BROKER_CTL"]
    subprocess.run([ctl, "stop"], check=True, timeout=40)
    try:
        socket.create_connection(("127.0.0.1", int(env["OUZEL_SCEN_RESTART_PORT"])),
                                 timeout=5).close()
        raise AssertionError("the restart broker still accepts after broker-ctl stop")
    except ConnectionRefusedError:
        pass
    subprocess.run([ctl, "start"], check=True, timeout=40)
    subprocess.run([ctl, "restart"], check=True, timeout=40)
    socket.create_connection(("127.0.0.1", int(env["OUZEL_SCEN_RESTART_PORT"])),
                             timeout=5).close()
    replayed = subprocess.run([ctl, "replayed", "nobody"], capture_output=True, text=True,
                              timeout=40)
    assert replayed.returncode == 0 and replayed.stdout == "", replayed
    bad = subprocess.run([ctl, "explode"], capture_output=True, text=True, timeout=40)
    assert bad.returncode != 0, "broker-ctl accepted an unknown request"
    report("S01", "pass")
except Exception as e:
    report("S01", "fail", repr(e))
    sys.exit(1)
""",
}


def write_runner(folder, lang, body):
    os.makedirs(os.path.join(folder, lang))
    path = os.path.join(folder, lang, "run")
    with open(path, "w") as f:
        f.write(f"#!{sys.executable}\n" + PRELUDE + textwrap.dedent(body))
    os.chmod(path, 0o755)


def run_driver(tmp_path, runners, *extra):
    # What scripts/install lays out; the driver only checks it is there and points at it.
    prefix = tmp_path / "prefix"
    (prefix / "lib" / "pkgconfig").mkdir(parents=True, exist_ok=True)
    (prefix / "include").mkdir(exist_ok=True)
    (prefix / "lib" / "libouzel.so.0").write_bytes(b"not a library: never loaded by the driver")
    (prefix / "include" / "ouzel.h").write_text("/* header */\n")
    (prefix / "lib" / "pkgconfig" / "ouzel.pc").write_text(
        f"prefix={prefix}\nlibdir=${{prefix}}/lib\nincludedir=${{prefix}}/include\n"
        "Name: ouzel\nDescription: test\nVersion: 9.9.9\n"
        "Libs: -L${libdir} -louzel\nCflags: -I${includedir}\n")
    return subprocess.run(
        [sys.executable, os.path.join(HERE, "driver.py"), "--prefix", str(prefix),
         "--runners", str(runners), "--command", "driver_test", *extra],
        capture_output=True, text=True, timeout=240)


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("driver")
    runners = tmp / "runners"
    for lang, body in RUNNERS.items():
        write_runner(str(runners), lang, body)
    out = run_driver(tmp, runners, "--table", str(tmp / "bindings.md"))
    return out, (tmp / "bindings.md").read_text()


def row(markdown, sid):
    return next(line for line in markdown.splitlines() if line.startswith(f"| {sid} |"))


def header(markdown):
    return next(line for line in markdown.splitlines() if line.startswith("| id |"))


def cell_of(markdown, sid, lang):
    names = [c.strip() for c in header(markdown).strip("|").split("|")]
    cells = [c.strip() for c in row(markdown, sid).strip("|").split("|")]
    return cells[names.index(lang)]


def column(markdown, lang):
    """The set of marks in one language's column."""
    return {cell_of(markdown, sid, lang) for sid in IDS}


def test_a_failing_scenario_is_a_fail_in_the_table_and_fails_the_run(full_run):
    out, md = full_run
    assert out.returncode == 1, out.stdout + out.stderr
    assert cell_of(md, "S07", "failing") == "**FAIL**"
    assert cell_of(md, "S06", "failing") == "pass"
    assert "- failing, S07: fail: expected 10 messages, got 9" in md


def test_a_missing_toolchain_is_not_run_even_with_pass_lines(full_run):
    _, md = full_run
    assert column(md, "notoolchain") == {"not run"}
    assert "- notoolchain, every scenario: not run: cargo not found on PATH" in md


def test_a_language_without_a_runner_is_not_run(full_run):
    _, md = full_run
    for lang in ("C", "Python", "Go", "Rust", "C#"):
        assert column(md, lang) == {"not run"}, lang


def test_scenarios_without_a_result_fail(full_run):
    _, md = full_run
    assert column(md, "silent") == {"**FAIL**"}
    assert "no result (runner exit status 0)" in md


def test_malformed_results_fail(full_run):
    _, md = full_run
    assert cell_of(md, "S01", "sloppy") == "**FAIL**"  # skip without a reason
    assert cell_of(md, "S03", "sloppy") == "**FAIL**"  # two lines for one scenario
    assert cell_of(md, "S05", "sloppy") == "**FAIL**"  # the unknown id S99 taints the column
    assert "unknown scenario id 'S99'" in md


def test_the_runner_gets_the_brokers_and_broker_ctl_works(full_run):
    _, md = full_run
    assert cell_of(md, "S01", "contract") == "pass", md


def test_the_counts_add_up(full_run):
    out, _ = full_run
    # failing: 21 pass, 1 fail; silent: 22 fail; sloppy: 22 fail; contract: 1 pass, 21 fail.
    assert "tests: 22 passed, 66 failed" in out.stdout, out.stdout


def test_a_hanging_runner_is_killed_at_the_timeout(tmp_path):
    runners = tmp_path / "runners"
    write_runner(str(runners), "hangs", """
report("S01", "pass")
time.sleep(600)
""")
    out = run_driver(tmp_path, runners, "--lang", "hangs", "--timeout", "3")
    assert out.returncode == 1
    assert "the runner was killed after 3 s" in out.stdout
    assert "tests: 1 passed, 21 failed" in out.stdout


def test_only_leaves_the_other_scenarios_not_run():
    column = results.judge("py", IDS, [json.dumps(
        {"lang": "py", "id": "S08", "result": "pass", "ms": 5, "detail": ""})], 0, "",
        ["S08"], 600)
    assert column["S08"]["result"] == "pass"
    assert column["S01"] == results.cell("not run", "left out by --only")


def test_a_nonzero_exit_without_a_failure_fails_the_passes():
    lines = [json.dumps({"lang": "py", "id": sid, "result": "pass", "ms": 1}) for sid in IDS]
    column = results.judge("py", IDS, lines, 139, "Segmentation fault\n", [], 600)
    assert all(c["result"] == "fail" for c in column.values())
    assert "status 139" in column["S01"]["detail"] and "Segmentation" in column["S01"]["detail"]


def test_a_result_for_another_language_fails():
    line = json.dumps({"lang": "go", "id": "S01", "result": "pass", "ms": 1})
    assert results.judge("py", IDS, [line], 0, "", [], 600)["S01"]["result"] == "fail"


def test_the_table_is_rewritten_only_when_results_change(tmp_path):
    scenarios = [{"id": "S01", "title": "t", "passes_when": "p"}]
    grid = {"c": {"S01": results.cell("pass")}}
    path = str(tmp_path / "b.md")
    first = table.render(scenarios, ["c"], grid, "2001-01-01", "cmd", "v")
    assert table.write_if_changed(path, first)
    same = table.render(scenarios, ["c"], grid, "2002-02-02", "cmd", "v")
    assert not table.write_if_changed(path, same)
    grid["c"]["S01"] = results.cell("fail", "broken")
    assert table.write_if_changed(path, table.render(scenarios, ["c"], grid, "2003", "cmd", "v"))
    assert "**FAIL**" in open(path).read()


def test_replayed_names_only_publishes_resent_after_their_pubrel():
    log = "\n".join([
        "1: Sending PUBLISH to sub (d0, q2, r0, m7, 't', ... (5 bytes))",
        "1: Sending PUBREL to sub (m7)",            # no PUBCOMP before the restart
        "1: Sending PUBREL to sub (m8)",
        "1: Received PUBCOMP from sub (Mid: 8, RC:0)",  # completed: not a replay candidate
        "1: Sending PUBLISH to sub (d0, q2, r0, m9, 't', ... (5 bytes))",  # PUBREC never came
        "1: Sending PUBREL to other (m10)",
        "1: mosquitto version 2.0.11 terminating",
        "2: Sending PUBLISH to sub (d1, q2, r0, m7, 't', ... (5 bytes))",   # the broker's bug
        "2: Sending PUBLISH to sub (d1, q2, r0, m8, 't', ... (5 bytes))",
        "2: Sending PUBLISH to sub (d1, q2, r0, m9, 't', ... (5 bytes))",   # a legitimate resend
        "2: Sending PUBLISH to other (d1, q2, r0, m10, 't', ... (5 bytes))",
    ])
    assert broker_control.replayed_after_pubrel(log, "sub") == [7]
    assert broker_control.replayed_after_pubrel(log, "other") == [10]
