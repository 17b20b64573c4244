#!/usr/bin/env python3
"""Solves Tremplin allocation instances with OR-Tools' min-cost flow, for BENCHMARKS.md (issue 15).

The instances are written by the benchmark target (TREMPLIN_BENCH_ALLOC_DUMP=<directory>, see
Benchmarks/TremplinBenchmarks/AllocationScaleBenchmarks.swift): the same scored pairs the Swift
solvers get. Network: one node per candidate (supply 1), one per session, one sink (demand
= candidates); arcs candidate → session (capacity 1, cost −score), candidate → sink (capacity 1,
cost 0: staying unplaced), session → sink (capacity = seats, cost 0). The optimum is −(min cost).

Prints, per instance: the load time (reading the file and building the arrays, then adding the
arcs to OR-Tools), the solve time (SimpleMinCostFlow.solve() alone), the objective, and whether
it equals the objectives Tremplin wrote beside the instance (<name>.<method>.objective).
"""
import argparse
import glob
import os
import sys
import time

try:
    import numpy as np
    from ortools.graph.python import min_cost_flow
except ImportError as error:  # pragma: no cover - said plainly, nothing installed behind the user's back
    sys.stderr.write(
        f"OR-Tools ou numpy est introuvable ({error}).\n"
        "Ce script n'installe rien lui-même. Pour l'installer dans un environnement jetable sous /tmp :\n"
        "  python3 -m venv /tmp/ortools-venv && /tmp/ortools-venv/bin/pip install ortools\n"
        "puis relancez avec /tmp/ortools-venv/bin/python (ou ORTOOLS_PYTHON=/tmp/ortools-venv/bin/python scripts/bench-ortools).\n"
        "OR-Tools or numpy is missing. This script installs nothing by itself; see the two commands above.\n")
    sys.exit(2)

MAGIC = b"TRALLOC1"


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != MAGIC:
        raise SystemExit(f"{path} : ce n'est pas une instance Tremplin (en-tête {data[:8]!r})")
    n, m, pairs = (int(x) for x in np.frombuffer(data, dtype="<i8", count=3, offset=8))
    at = 32
    capacities = np.frombuffer(data, dtype="<i8", count=m, offset=at); at += 8 * m
    offsets = np.frombuffer(data, dtype="<i8", count=n + 1, offset=at); at += 8 * (n + 1)
    sessions = np.frombuffer(data, dtype="<i4", count=pairs, offset=at); at += 4 * pairs
    scores = np.frombuffer(data, dtype="<i8", count=pairs, offset=at); at += 8 * pairs
    if at != len(data):
        raise SystemExit(f"{path} : taille inattendue ({len(data)} octets, {at} attendus)")
    return n, m, capacities, offsets, sessions, scores


def solve(path):
    t0 = time.perf_counter()
    n, m, capacities, offsets, sessions, scores = load(path)
    pairs = len(sessions)
    sink = n + m
    candidate_of_pair = np.repeat(np.arange(n, dtype=np.int64), np.diff(offsets))
    tails = np.concatenate([candidate_of_pair, np.arange(n, dtype=np.int64), n + np.arange(m, dtype=np.int64)])
    heads = np.concatenate([n + sessions.astype(np.int64), np.full(n, sink, dtype=np.int64), np.full(m, sink, dtype=np.int64)])
    caps = np.concatenate([np.ones(pairs, dtype=np.int64), np.ones(n, dtype=np.int64), np.minimum(capacities, n)])
    costs = np.concatenate([-scores, np.zeros(n, dtype=np.int64), np.zeros(m, dtype=np.int64)])
    supplies = np.concatenate([np.ones(n, dtype=np.int64), np.zeros(m, dtype=np.int64), np.array([-n], dtype=np.int64)])
    flow = min_cost_flow.SimpleMinCostFlow()
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies(np.arange(n + m + 1, dtype=np.int64), supplies)
    t1 = time.perf_counter()
    status = flow.solve()
    t2 = time.perf_counter()
    if status != flow.OPTIMAL:
        raise SystemExit(f"{path} : OR-Tools n'a pas trouvé d'optimum (statut {status})")
    objective = -flow.optimal_cost()
    return n, m, pairs, t1 - t0, t2 - t1, objective


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", help="instances (.alloc) or directories holding them")
    args = parser.parse_args()
    files = []
    for p in args.paths:
        if os.path.isdir(p):
            files += sorted(glob.glob(os.path.join(p, "*.alloc")))
        elif os.path.isfile(p):
            files.append(p)
    if not files:
        raise SystemExit(
            f"aucune instance .alloc dans {' '.join(args.paths)} / no .alloc instance there. Pour les écrire / to write them:\n"
            "  mkdir -p /tmp/tremplin-bench/alloc\n"
            "  TREMPLIN_BENCH_ALLOC=500000x5000 TREMPLIN_BENCH_ALLOC_DUMP=/tmp/tremplin-bench/alloc \\\n"
            "    swift package --disable-sandbox benchmark --target TremplinBenchmarks --filter \"matching: allocation solver.*\"")
    mismatches = 0
    for path in files:
        n, m, pairs, load_s, solve_s, objective = solve(path)
        name = os.path.basename(path)[: -len(".alloc")]
        print(f"{name}: {n} candidats × {m} sessions, {pairs} paires ; OR-Tools : chargement {load_s:.2f} s, "
              f"résolution {solve_s:.2f} s, objectif {objective}")
        for sidecar in sorted(glob.glob(os.path.join(os.path.dirname(path), name + ".*.objective"))):
            method = sidecar[len(os.path.join(os.path.dirname(path), name)) + 1: -len(".objective")]
            with open(sidecar) as f:
                theirs = int(f.read().strip())
            same = theirs == objective
            mismatches += 0 if same else 1
            print(f"  Tremplin {method} : objectif {theirs} — {'égal' if same else 'DIFFÉRENT'}")
        sys.stdout.flush()
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
