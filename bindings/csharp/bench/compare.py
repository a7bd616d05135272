#!/usr/bin/env python3
"""Runs the C API benchmark (capi_bench) and the C# one (Ouzel.Mqtt.Bench.exe) against one local
Mosquitto, round after round with alternating order, and prints the medians side by side.

  compare.py --capi PATH --csharp PATH --library LIBOUZEL [--qos0 N] [--qos1 N] [--rtt N]
             [--payload BYTES] [--rounds N]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_broker(directory):
    port = free_port()
    conf = os.path.join(directory, "mosquitto.conf")
    with open(conf, "w") as f:
        f.write(f"listener {port} 127.0.0.1\nallow_anonymous true\n")
        if os.geteuid() == 0:
            f.write("user root\n")
    proc = subprocess.Popen([os.environ.get("OUZEL_MOSQUITTO", "/usr/sbin/mosquitto"), "-c", conf],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("bench: mosquitto did not start")


def run(cmd, env, timeout):
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if out.returncode != 0:
        sys.exit(f"bench: {' '.join(cmd)} failed:\n{out.stderr}")
    rows = {}
    for line in out.stdout.splitlines():
        who, name, n, wall, cpu, extra = line.split()
        rows[name] = (int(n), float(wall), float(cpu), extra)
    return rows


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--capi", required=True)
    p.add_argument("--csharp", required=True)
    p.add_argument("--library", required=True)
    p.add_argument("--qos0", type=int, default=200000)
    p.add_argument("--qos1", type=int, default=50000)
    p.add_argument("--rtt", type=int, default=5000)
    p.add_argument("--payload", type=int, default=64)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--timeout", type=int, default=300)
    a = p.parse_args()

    env = dict(os.environ, OUZEL_LIBRARY=a.library)
    results = {"c": [], "csharp": []}
    with tempfile.TemporaryDirectory(prefix="ouzel-cs-bench-") as d:
        os.chmod(d, 0o755)
        broker, port = start_broker(d)
        try:
            uri = f"mqtt://127.0.0.1:{port}"
            args = [uri, str(a.qos0), str(a.qos1), str(a.rtt), str(a.payload)]
            for r in range(a.rounds):
                order = ["c", "csharp"] if r % 2 == 0 else ["csharp", "c"]
                for who in order:
                    cmd = [a.capi] + args if who == "c" else ["mono", a.csharp] + args
                    results[who].append(run(cmd, env, a.timeout))
        finally:
            broker.kill()
            broker.wait(5)

    print(f"payload {a.payload} B, {a.rounds} rounds, medians; CPU is the whole process "
          "(caller, poller, engine thread; for C# also the thread pool)")
    print()
    print("| measurement | client | messages | msgs/s | CPU µs/msg | C# / C CPU |")
    print("|---|---|---|---|---|---|")
    for name in ("qos0", "qos1"):
        cpu = {}
        for who in ("c", "csharp"):
            rows = [r[name] for r in results[who] if name in r]
            if not rows:
                continue
            n = rows[0][0]
            rate = statistics.median(n / w for _, w, _, _ in rows)
            cpu[who] = statistics.median(c / n * 1e6 for _, _, c, _ in rows)
            ratio = f"**{cpu['csharp'] / cpu['c']:.2f}**" if who == "csharp" and "c" in cpu else ""
            print(f"| {name} publish | {'C API' if who == 'c' else 'C#'} | {n:,} | {rate:,.0f} | "
                  f"{cpu[who]:.2f} | {ratio} |")
    print()
    print("| measurement | client | messages | median µs | p99 µs | CPU µs/msg |")
    print("|---|---|---|---|---|---|")
    for who in ("c", "csharp"):
        rows = [r["rtt"] for r in results[who] if "rtt" in r]
        if not rows:
            continue
        n = rows[0][0]
        med = statistics.median(float(x[3].split("/")[0]) for x in rows)
        p99 = statistics.median(float(x[3].split("/")[1]) for x in rows)
        cpu = statistics.median(x[2] / n * 1e6 for x in rows)
        print(f"| QoS 1 round trip (await PUBACK) | {'C API' if who == 'c' else 'C#'} | {n:,} | "
              f"{med:.1f} | {p99:.1f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
