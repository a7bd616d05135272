"""Turns what a runner did (its JSON lines, its exit status, its stderr) into one cell per
scenario, by the rules in README.md ("How the driver judges"). A cell is a dict:
{"result": "pass" | "fail" | "skip" | "not run", "ms": int or None, "detail": str}."""

import json

NOT_RUNNABLE = 77
RESULTS = ("pass", "fail", "skip")


def cell(result, detail="", ms=None):
    # One line: details end up in a markdown list and a console summary.
    return {"result": result, "ms": ms, "detail": " ".join(str(detail).split())}


def column_not_run(ids, reason):
    return {i: cell("not run", reason) for i in ids}


def _last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _parse(lang, ids, lines):
    """Returns ({id: [cells]}, [problems not tied to one id])."""
    reported, problems = {}, []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            problems.append(f"line {n} is not JSON: {line[:80]!r}")
            continue
        if not isinstance(obj, dict):
            problems.append(f"line {n} is not a JSON object: {line[:80]!r}")
            continue
        sid, result, detail = obj.get("id"), obj.get("result"), obj.get("detail") or ""
        if sid not in ids:
            problems.append(f"line {n}: unknown scenario id {sid!r}")
            continue
        if obj.get("lang") != lang:
            reported.setdefault(sid, []).append(
                cell("fail", f"result line says lang {obj.get('lang')!r}, expected {lang!r}"))
            continue
        if result not in RESULTS:
            reported.setdefault(sid, []).append(cell("fail", f"result {result!r} is not one of "
                                                              "pass, fail, skip"))
            continue
        if result in ("fail", "skip") and not str(detail).strip():
            reported.setdefault(sid, []).append(
                cell("fail", f"a {result} without a reason in detail"))
            continue
        ms = obj.get("ms")
        reported.setdefault(sid, []).append(
            cell(result, str(detail), ms if isinstance(ms, (int, float)) else None))
    return reported, problems


def judge(lang, ids, lines, status, stderr_text, only, timeout):
    """One column. `status` is the runner's exit status, None when the driver killed it at
    `timeout` seconds."""
    if status == NOT_RUNNABLE:
        reason = _last_line(stderr_text) or "the runner says this language cannot run here"
        return column_not_run(ids, reason)
    reported, problems = _parse(lang, ids, lines)
    column = {}
    for sid in ids:
        cells = reported.get(sid, [])
        if len(cells) > 1:
            fails = [c for c in cells if c["result"] == "fail"]
            column[sid] = fails[0] if fails else cell(
                "fail", f"{len(cells)} result lines for one scenario")
        elif cells:
            column[sid] = cells[0]
        elif only and sid not in only:
            column[sid] = cell("not run", "left out by --only")
        elif status is None:
            column[sid] = cell("fail", f"no result: the runner was killed after {timeout:g} s")
        else:
            last = _last_line(stderr_text)
            column[sid] = cell("fail", f"no result (runner exit status {status}"
                                       f"{': ' + last if status and last else ''})")
    # What cannot be pinned on one scenario still fails the column, on every reported pass.
    if problems or (status not in (0, None) and
                    not any(c["result"] == "fail" for c in column.values())):
        why = "; ".join(problems) if problems else (
            f"the runner exited with status {status} but reported no failure: "
            f"{_last_line(stderr_text)}")
        for sid, c in column.items():
            if c["result"] == "pass":
                column[sid] = cell("fail", why, c["ms"])
    return column


def count(grid):
    totals = {"pass": 0, "fail": 0, "skip": 0, "not run": 0}
    for column in grid.values():
        for c in column.values():
            totals[c["result"]] += 1
    return totals
