#!/usr/bin/env python3
"""Summarises a run-vs-dovecot.sh result directory as Markdown tables: the median over rounds of
each figure per server, and the ratios Roost / Dovecot (stock and tuned).

usage: bench/summarize.py RESULT_DIR
"""
import glob
import json
import os
import statistics
import sys
from collections import defaultdict

VARIANTS = ["roost", "dovecot-stock", "dovecot-tuned"]


def load(directory):
    runs = []
    for path in sorted(glob.glob(os.path.join(directory, "*.json"))):
        with open(path) as f:
            doc = json.load(f)
        results = doc["results"]
        for r in results if isinstance(results, list) else [results]:
            runs.append(r)
    return runs


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(v, digits=1):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return f"{v:,}"


def ratio(a, b):
    if a is None or b in (None, 0):
        return "–"
    return f"{a / b:.2f}"


def table(title, header, rows):
    out = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out) + "\n"


def by(runs, scenario, key):
    groups = defaultdict(lambda: defaultdict(list))
    for r in runs:
        if r.get("scenario") == scenario:
            groups[key(r)][r["label"]].append(r)
    return groups


def group_order(group):
    """'10 clients' before '50 clients' before '200 clients'; text groups alphabetically."""
    head = str(group).split(" ")[0]
    return (0, int(head), "") if head.isdigit() else (1, 0, str(group))


def figure_rows(groups, figures, better):
    rows = []
    for group in sorted(groups, key=group_order):
        per_variant = groups[group]
        for name, extract, digits in figures:
            med = {v: median([extract(r) for r in per_variant.get(v, [])]) for v in VARIANTS}
            n = max((len(per_variant.get(v, [])) for v in VARIANTS), default=0)
            rows.append([group, name] + [fmt(med[v], digits) for v in VARIANTS]
                        + [ratio(med["roost"], med["dovecot-stock"]), ratio(med["roost"], med["dovecot-tuned"]),
                           better.get(name, ""), n])
    return rows


HEAD = ["", "figure", "Roost", "Dovecot stock", "Dovecot tuned", "Roost/stock", "Roost/tuned", "better", "rounds"]


def main(directory):
    runs = load(directory)
    out = []
    mixed = by(runs, "mixed", lambda r: f"{r['clients']} clients")
    if mixed:
        figures = [
            ("ops/s", lambda r: r["opsPerSecond"], 0),
            ("p50 ms", lambda r: r["p50Millis"], 2),
            ("p99 ms", lambda r: r["p99Millis"], 2),
            ("server CPU ms/op", lambda r: r.get("serverCpuMsPerOp"), 3),
            ("server PSS MB", lambda r: r.get("serverPssKb", 0) / 1024, 0),
            ("errors", lambda r: r["errors"], 0),
            ("consistency violations", lambda r: r["violations"], 0),
        ]
        better = {"ops/s": "higher", "p50 ms": "lower", "p99 ms": "lower", "server CPU ms/op": "lower",
                  "server PSS MB": "lower"}
        out.append(table("mixed", HEAD, figure_rows(mixed, figures, better)))
        cmd = defaultdict(lambda: defaultdict(list))
        for r in runs:
            if r.get("scenario") == "mixed":
                for op, s in r["perCommand"].items():
                    cmd[(r["clients"], op)][r["label"]].append(s)
        rows = []
        for (clients, op) in sorted(cmd, key=lambda k: (int(k[0]), k[1])):
            per = cmd[(clients, op)]
            rows.append([f"{clients} clients", op] + [
                f"{fmt(median([s['perSecond'] for s in per.get(v, [])]), 0)} / "
                f"{fmt(median([s['p50Millis'] for s in per.get(v, [])]), 2)} / "
                f"{fmt(median([s['p99Millis'] for s in per.get(v, [])]), 2)}" for v in VARIANTS])
        out.append(table("mixed, per command (ops/s / p50 ms / p99 ms)", ["", "command"] + VARIANTS, rows))
    idle = by(runs, "idle", lambda r: f"{r['connections']} {'TLS' if r.get('tls') else 'plain'} connections")
    if idle:
        figures = [
            ("idling", lambda r: r["idling"], 0),
            ("PSS kB/conn", lambda r: r.get("pssKbPerConnection"), 1),
            ("RSS kB/conn", lambda r: r.get("rssKbPerConnection"), 1),
            ("PSS kB/conn before a full GC", lambda r: r.get("pssKbPerConnectionBeforeGc"), 1),
            ("server PSS MB with the idlers", lambda r: r.get("serverPssKbIdle", 0) / 1024, 0),
            ("heap kB/conn (after GC)", lambda r: r.get("heapKbPerConnection"), 1),
            ("APPEND to all, ms", lambda r: r["notifyAllMillis"], 1),
            ("APPEND p50, ms", lambda r: r["notifyP50Millis"], 1),
            ("ramp-up s", lambda r: r["rampSeconds"], 1),
            ("violations", lambda r: r["violations"], 0),
        ]
        better = {"PSS kB/conn": "lower", "RSS kB/conn": "lower", "PSS kB/conn before a full GC": "lower",
                  "server PSS MB with the idlers": "lower", "APPEND to all, ms": "lower"}
        out.append(table("idle", HEAD, figure_rows(idle, figures, better)))
    tp = by(runs, "throughput", lambda r: "TLS" if r["tls"] else "plain")
    if tp:
        figures = []
        for phase, label in [("append10k", "APPEND 10 kB"), ("append1m", "APPEND 1 MB"), ("fetchBody", "FETCH BODY[] 1 MB")]:
            figures.append((f"{label} msg/s", lambda r, p=phase: r[p]["opsPerSecond"], 1))
            figures.append((f"{label} MB/s", lambda r, p=phase: r[p]["megabytesPerSecond"], 1))
            figures.append((f"{label} CPU ms/op", lambda r, p=phase: r[p].get("serverCpuMsPerOp"), 2))
        better = {f[0]: ("lower" if "CPU" in f[0] else "higher") for f in figures}
        out.append(table("throughput", HEAD, figure_rows(tp, figures, better)))
    start = by(runs, "startup", lambda r: "startup")
    if start:
        rows = []
        med = {v: median([r["medianMillis"] for r in start["startup"].get(v, [])]) for v in ["roost", "dovecot"]}
        rows.append(["start → first greeting, ms", fmt(med["roost"], 0), fmt(med["dovecot"], 0), ratio(med["roost"], med["dovecot"])])
        out.append(table("startup", ["", "Roost", "Dovecot", "Roost/Dovecot"], rows))
    large = by(runs, "large-mailbox", lambda r: f"{r['messages']} messages")
    if large:
        rows = []
        for group, per in large.items():
            for req in ["SELECT", "FETCH_UID_FLAGS", "SEARCH_UNSEEN", "SEARCH_SINCE", "ENVELOPE_50"]:
                first = {v: median([r["millis"][req][0] for r in per.get(v, [])]) for v in VARIANTS}
                warm = {v: median([median(r["millis"][req][1:] or r["millis"][req]) for r in per.get(v, [])]) for v in VARIANTS}
                rows.append([group, req + " ms (first / warm)"]
                            + [f"{fmt(first[v])} / {fmt(warm[v])}" for v in VARIANTS]
                            + [ratio(warm["roost"], warm["dovecot-stock"]), ratio(warm["roost"], warm["dovecot-tuned"]),
                               "lower", max(len(per.get(v, [])) for v in VARIANTS)])
            for name, key in [("RSS MB, mailbox selected", "serverRssKbSelected"),
                              ("PSS MB, mailbox selected", "serverPssKbSelected"), ("peak RSS MB", "serverPeakRssKb")]:
                med = {v: median([r[key] / 1024 for r in per.get(v, []) if key in r]) for v in VARIANTS}
                idlers = max((r.get("idleConnections", 0) for v in VARIANTS for r in per.get(v, [])), default=0)
                rows.append([group, name + (f" ({idlers:,} idlers beside)" if idlers else "")]
                            + [fmt(med[v], 0) for v in VARIANTS]
                            + [ratio(med["roost"], med["dovecot-stock"]), ratio(med["roost"], med["dovecot-tuned"]),
                               "lower", max(len(per.get(v, [])) for v in VARIANTS)])
        out.append(table("large mailbox (warm page cache)", HEAD, rows))
    load_file = os.path.join(directory, "loadavg.txt")
    if os.path.exists(load_file):
        loads = [float(line.split()[2]) for line in open(load_file) if len(line.split()) >= 3]
        if loads:
            out.append(f"Load average (1 min) at the start of each measurement: min {min(loads):.1f}, "
                       f"median {statistics.median(loads):.1f}, max {max(loads):.1f} over {len(loads)} runs.\n")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
