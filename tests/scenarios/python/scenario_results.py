"""pytest plugin: one result line per scenario test into $OUZEL_SCEN_RESULTS (the format in
tests/scenarios/README.md), from the test's real outcome. A test named test_s07_... reports S07;
its setup, call and teardown together make its result and time. A passing test may leave a note
in `detail` with ``record_property("note", "...")``."""

import json
import os
import re
import time

_ID = re.compile(r"test_(s\d\d)_")
_outcomes = {}  # nodeid -> {"id", "result", "detail", "start"}


def _scenario_id(item_name):
    m = _ID.match(item_name)
    return m.group(1).upper() if m else None


def _detail(report):
    if report.skipped and isinstance(report.longrepr, tuple):
        return str(report.longrepr[2])  # (file, line, "Skipped: reason")
    text = getattr(report, "longreprtext", "") or str(report.longrepr or "")
    lines = [line for line in text.splitlines() if line.strip()]
    # The assertion ("E   ...") lines say what was expected and what happened.
    errors = [line.strip()[1:].strip() for line in lines if line.lstrip().startswith("E ")]
    return " | ".join(errors[:6]) if errors else " | ".join(lines[-3:])


def pytest_runtest_logstart(nodeid, location):
    _outcomes[nodeid] = {"result": "pass", "detail": "", "start": time.monotonic()}


def pytest_runtest_logreport(report):
    o = _outcomes.setdefault(report.nodeid, {"result": "pass", "detail": "",
                                             "start": time.monotonic()})
    if report.failed and o["result"] != "fail":
        o["result"] = "fail"
        o["detail"] = f"{report.when}: {_detail(report)}"
    elif report.skipped and o["result"] == "pass":
        o["result"] = "skip"
        o["detail"] = _detail(report)
    elif report.passed and o["result"] == "pass":
        notes = [str(v) for k, v in report.user_properties if k == "note"]
        if notes:
            o["detail"] = "; ".join(notes)


def pytest_runtest_logfinish(nodeid, location):
    o = _outcomes.pop(nodeid, None)
    sid = _scenario_id(nodeid.split("::")[-1])
    path = os.environ.get("OUZEL_SCEN_RESULTS")
    if o is None or sid is None or not path:
        return
    line = {"lang": os.environ.get("OUZEL_SCEN_LANG", "python"), "id": sid,
            "result": o["result"], "ms": int((time.monotonic() - o["start"]) * 1000),
            "detail": o["detail"][:2000]}
    with open(path, "a") as f:
        f.write(json.dumps(line) + "\n")
