#!/usr/bin/env python3
"""Plots fault_soak's CSV: the client's resident memory and open descriptors over time, with the
faults injected so far. Also prints the figures docs/reliability.md quotes.

    soak_plot.py soak.csv soak.png
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(csv_path, png_path):
    rows = list(csv.DictReader(open(csv_path)))
    t = [int(r["seconds"]) for r in rows]
    rss = [int(r["rss_kib"]) / 1024 for r in rows]
    fds = [int(r["fds"]) for r in rows]
    faults = [int(r["faults"]) for r in rows]
    received = [int(r["received"]) for r in rows]

    fig, axes = plt.subplots(3, 1, figsize=(9, 8), sharex=True)
    axes[0].plot(t, rss, color="tab:blue")
    axes[0].set_ylabel("client RSS (MiB)")
    axes[0].set_ylim(0, max(rss) * 1.3)
    axes[1].plot(t, fds, color="tab:green")
    axes[1].set_ylabel("open descriptors")
    axes[1].set_ylim(0, max(fds) + 5)
    axes[2].plot(t, faults, color="tab:red", label="faults injected")
    axes[2].set_ylabel("faults")
    ax3 = axes[2].twinx()
    ax3.plot(t, received, color="tab:gray", label="messages received")
    ax3.set_ylabel("messages received")
    axes[2].set_xlabel("seconds")
    fig.suptitle("Soak: a durable-session publisher through a fault every ~second (Mosquitto)")
    fig.tight_layout()
    fig.savefig(png_path, dpi=90)

    warm = [i for i, s in enumerate(t) if s >= 60] or list(range(len(t)))
    print(f"{t[-1]} s, {faults[-1]} faults, {received[-1]} messages received")
    print(f"RSS after the first minute: {min(rss[i] for i in warm):.1f}..{max(rss[i] for i in warm):.1f}"
          f" MiB (at 60 s {rss[warm[0]]:.1f}, at the end {rss[-1]:.1f})")
    print(f"descriptors after the first minute: {min(fds[i] for i in warm)}..{max(fds[i] for i in warm)}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
