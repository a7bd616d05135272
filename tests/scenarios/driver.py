#!/usr/bin/env python3
"""The scenario suite's driver: for each language with a `tests/scenarios/<lang>/run`, starts
fresh Mosquitto brokers, runs the runner with the environment described in README.md, checks the
JSON lines it wrote, and writes the language x scenario table (docs/bindings.md).

    scripts/install --prefix /tmp/ouzel-prefix
    driver.py --prefix /tmp/ouzel-prefix [--lang c,python] [--only S01,S08] [--table docs/bindings.md]
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import broker_control
import results
import table

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# The language columns in the order the table shows them; any other <lang>/run comes after.
KNOWN_LANGS = ["c", "python", "go", "rust", "csharp"]


def load_scenarios():
    with open(os.path.join(HERE, "scenarios.json")) as f:
        return json.load(f)


def find_langs(runners_dir):
    """Every folder of runners_dir with an executable `run`, known ones first."""
    found = []
    if os.path.isdir(runners_dir):
        for name in sorted(os.listdir(runners_dir)):
            run = os.path.join(runners_dir, name, "run")
            if os.path.isfile(run) and os.access(run, os.X_OK):
                found.append(name)
    return sorted(found, key=lambda n: (KNOWN_LANGS.index(n) if n in KNOWN_LANGS else 99, n))


def runner_env(lang, brokers, prefix, work, results_file, only, wait_timeout):
    env = dict(os.environ)
    env.update(brokers.environment())
    pkg_dir = os.path.join(prefix, "lib", "pkgconfig")
    env.update({
        "OUZEL_SCEN_LANG": lang,
        "OUZEL_SCEN_RESULTS": results_file,
        "OUZEL_SCEN_WORK": work,
        "OUZEL_SCEN_ROOT": ROOT,
        "OUZEL_SCEN_ONLY": ",".join(only),
        "OUZEL_SCEN_TIMEOUT": str(wait_timeout),
        "OUZEL_SCEN_PREFIX": prefix,
        "OUZEL_SCEN_LIB": os.path.join(prefix, "lib", "libouzel.so.0"),
        "OUZEL_SCEN_INCLUDE": os.path.join(prefix, "include"),
        "OUZEL_SCEN_PKG_CONFIG_PATH": pkg_dir,
        "PKG_CONFIG_PATH": os.pathsep.join(p for p in (pkg_dir, env.get("PKG_CONFIG_PATH")) if p),
        "LD_LIBRARY_PATH": os.pathsep.join(
            p for p in (os.path.join(prefix, "lib"), env.get("LD_LIBRARY_PATH")) if p),
    })
    return env


def run_runner(run, env, timeout):
    """Runs one runner in its own process group; returns (exit status or None if it timed out,
    the tail of its stderr). Its output goes to our stdout/stderr as it comes, stderr also to
    a file so the reason of an exit 77 can be read back."""
    with tempfile.TemporaryFile(mode="w+") as err:
        proc = subprocess.Popen([run], cwd=ROOT, env=env, stdout=sys.stdout.fileno(),
                                stderr=err, start_new_session=True)
        try:
            status = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            status = None
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the runner and anything it left behind
            except ProcessLookupError:
                pass
            proc.wait()
        err.seek(0)
        text = err.read()
    sys.stderr.write(text)
    return status, text


def run_language(lang, args, scenarios, prefix, work_root):
    """Returns {id: Cell} for one column."""
    run = os.path.join(args.runners, lang, "run")
    work = os.path.join(work_root, lang)
    os.makedirs(work)
    results_file = os.path.join(work_root, f"{lang}.jsonl")
    open(results_file, "w").close()
    print(f"=== scenarios: {lang} ({run}) ===", flush=True)
    started = time.monotonic()
    with broker_control.Brokers(os.path.join(work_root, f"{lang}-brokers"),
                                args.certs) as brokers:
        env = runner_env(lang, brokers, prefix, work, results_file, args.only, args.wait_timeout)
        status, stderr_text = run_runner(run, env, args.timeout)
    seconds = time.monotonic() - started
    with open(results_file, errors="replace") as f:
        lines = f.read().splitlines()
    cells = results.judge(lang, [s["id"] for s in scenarios], lines, status, stderr_text,
                          args.only, args.timeout)
    print(f"=== scenarios: {lang} done in {seconds:.1f} s (exit {status}) ===", flush=True)
    return cells


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--prefix", required=True,
                   help="the library under test, installed there by scripts/install")
    p.add_argument("--lang", default="", help="comma-separated columns (default: every <lang>/run)")
    p.add_argument("--only", default="", help="comma-separated scenario ids")
    p.add_argument("--runners", default=HERE, help="folder holding <lang>/run (tests use others)")
    p.add_argument("--table", default="", help="write the markdown table here")
    p.add_argument("--command", default="", help="the command to name in the table")
    p.add_argument("--timeout", type=float, default=600, help="seconds per language")
    p.add_argument("--wait-timeout", type=float, default=20, help="OUZEL_SCEN_TIMEOUT")
    args = p.parse_args(argv)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]

    scenarios = load_scenarios()
    known_ids = {s["id"] for s in scenarios}
    unknown = [i for i in args.only if i not in known_ids]
    if unknown:
        p.error(f"unknown scenario ids: {', '.join(unknown)}")
    present = find_langs(args.runners)
    if args.lang:
        columns = [s.strip() for s in args.lang.split(",") if s.strip()]
    else:
        columns = KNOWN_LANGS + [lang for lang in present if lang not in KNOWN_LANGS]
    if args.table and (args.lang or args.only):
        print("scenarios: --lang/--only run part of the suite; the table is not written")
        args.table = ""

    work_root = tempfile.mkdtemp(prefix="ouzel-scen-")
    os.chmod(work_root, 0o755)  # mosquitto drops privileges and must read its files
    try:
        prefix = os.path.abspath(args.prefix)
        for needed in ("lib/libouzel.so.0", "include/ouzel.h", "lib/pkgconfig/ouzel.pc"):
            if not os.path.isfile(os.path.join(prefix, needed)):
                p.error(f"{prefix} has no {needed}: install the library with scripts/install")
        args.certs = broker_control.make_certs(os.path.join(work_root, "certs"))
        grid = {}
        for lang in columns:
            if lang not in present:
                missing = os.path.relpath(os.path.join(args.runners, lang, "run"), ROOT)
                grid[lang] = results.column_not_run([s["id"] for s in scenarios],
                                                    f"no {missing} (yet)")
                continue
            grid[lang] = run_language(lang, args, scenarios, prefix, work_root)
    finally:
        shutil.rmtree(work_root, ignore_errors=True)

    counts = results.count(grid)
    text = table.render(scenarios, columns, grid, datetime.date.today().isoformat(),
                        args.command or " ".join([os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:]),
                        table.versions(os.path.join(prefix, "lib", "pkgconfig", "ouzel.pc")))
    print(table.render_console(scenarios, columns, grid))
    if args.table:
        if table.write_if_changed(args.table, text):
            print(f"scenarios: wrote {args.table}")
        else:
            print(f"scenarios: {args.table} already shows these results; left as it is")
    print(f"scenarios: {counts['skip']} skipped, {counts['not run']} not run")
    print(f"tests: {counts['pass']} passed, {counts['fail']} failed")
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
