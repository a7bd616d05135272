"""Ouzel's paho-compatible client against paho-mqtt 2.1.0, same broker, same run.

    scripts/bench-python                  # builds libouzel.so -c opt, makes the paho venv, runs
    python3 bench.py --paho-python .venv/bin/python --rounds 3

For each scenario (publish, publish->receive) and QoS (0, 1, 2), each client runs in a fresh
process (worker.py), alternately first, for --rounds rounds; the table shows medians of
messages per second (wall clock) and client CPU microseconds per message, and the ratios
Ouzel/paho (throughput: higher is better; CPU: paho's cost divided by Ouzel's).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))
sys.path.insert(0, os.path.dirname(HERE))

from broker import Mosquitto  # noqa: E402

COUNTS = {0: 100000, 1: 30000, 2: 20000}


def run_worker(python, module, scenario, qos, n, port, size, timeout, env):
    out = subprocess.run([python, os.path.join(HERE, "worker.py"), module, scenario, str(qos),
                          str(n), str(port), str(size)], capture_output=True, text=True,
                         timeout=timeout, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{module} {scenario} qos{qos} failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--paho-python", required=True, help="a python with paho-mqtt==2.1.0")
    ap.add_argument("--ouzel-python", default=sys.executable)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies the message counts")
    ap.add_argument("--payload", type=int, default=32)
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--qos", default="0,1,2")
    ap.add_argument("--scenarios", default="publish,pubsub,plain")
    args = ap.parse_args()

    env = dict(os.environ)
    env["PYTHONPATH"] = os.path.dirname(HERE)
    check = subprocess.run([args.paho_python, "-c", "import paho.mqtt; print(paho.mqtt."
                            "__version__)"], capture_output=True, text=True, env=env)
    paho_version = check.stdout.strip()
    if paho_version != "2.1.0":
        raise SystemExit(f"{args.paho_python} has paho-mqtt {paho_version!r}, not 2.1.0")
    import ouzel._capi as capi
    lib = capi.lib()
    print(f"ouzel {lib.version_string().decode()} ({lib.path}) vs paho-mqtt {paho_version}; "
          f"{os.cpu_count()} cores; payload {args.payload} bytes; {args.rounds} rounds",
          flush=True)
    # No broker-side limits: with Mosquitto's default of 20 QoS 2 messages in flight per client,
    # a 100-message window gets Quota exceeded (0x97) PUBRECs, and MQTT 3.1.1 cannot report them.
    broker = Mosquitto(extra=["max_queued_messages 0", "max_inflight_messages 0",
                              "max_queued_bytes 0"])
    rows = []
    try:
        for scenario in args.scenarios.split(","):
            for qos in (int(q) for q in args.qos.split(",")):
                n = max(100, int(COUNTS[qos] * args.scale))
                results = {"ouzel": [], "paho": []}
                for r in range(args.rounds):
                    order = ["ouzel", "paho"] if r % 2 == 0 else ["paho", "ouzel"]
                    for impl in order:
                        python = args.ouzel_python if impl == "ouzel" else args.paho_python
                        module = f"{impl}.mqtt.client"
                        # The plain pattern is the issue's: 64-byte payloads, whatever --payload.
                        size = 64 if scenario == "plain" else args.payload
                        res = run_worker(python, module, scenario, qos, n, broker.port, size,
                                         args.timeout, env)
                        results[impl].append(res)
                row = {"scenario": scenario, "qos": qos, "n": n}
                for impl, runs in results.items():
                    row[impl + "_rate"] = statistics.median(n / x["elapsed"] for x in runs)
                    row[impl + "_cpu_us"] = statistics.median(x["cpu"] / n * 1e6 for x in runs)
                rows.append(row)
                print_row(row, flush=True)
    finally:
        broker.close()
    print()
    print("| scenario | QoS | n | ouzel msg/s | paho msg/s | throughput ratio | ouzel CPU us/msg "
          "| paho CPU us/msg | CPU ratio (paho/ouzel) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['scenario']} | {row['qos']} | {row['n']} | {row['ouzel_rate']:.0f} | "
              f"{row['paho_rate']:.0f} | {row['ouzel_rate'] / row['paho_rate']:.2f}x | "
              f"{row['ouzel_cpu_us']:.1f} | {row['paho_cpu_us']:.1f} | "
              f"{row['paho_cpu_us'] / row['ouzel_cpu_us']:.2f}x |")


def print_row(row, flush=False):
    print(f"{row['scenario']:8} qos{row['qos']} n={row['n']}: ouzel {row['ouzel_rate']:.0f}/s "
          f"{row['ouzel_cpu_us']:.1f}us, paho {row['paho_rate']:.0f}/s {row['paho_cpu_us']:.1f}us"
          f" -> {row['ouzel_rate'] / row['paho_rate']:.2f}x rate, "
          f"{row['paho_cpu_us'] / row['ouzel_cpu_us']:.2f}x cpu", flush=flush)


if __name__ == "__main__":
    main()
