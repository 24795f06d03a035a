#!/usr/bin/env python3
"""Side by side, in one session: the PyTorch peer (../shared/bench, tuned profile) and the engine's BenchmarkDotNet
benchmarks on the same shapes, printing both and the speed ratio (> 1 means the engine is faster; for latency it is peer ms / engine ms).

Usage, from the repository root:
    python3 tests/LeanModels.Benchmarks/compare_with_peer.py [--threads 1 2] [--skip-peer] [--skip-engine]

Needs Debian's python3-torch, python3-numpy and libopenblas0-openmp (see ../shared/bench/README.md). Peer JSON lines go to
BenchmarkDotNet.Artifacts/peer.jsonl, engine results to BenchmarkDotNet.Artifacts/results/*-report-full-compressed.json. The machine is
shared: run this when it is quiet and alternate runs; compare medians only within one run.
"""
import argparse, glob, json, os, subprocess, sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BENCH = os.path.abspath(os.path.join(ROOT, "..", "shared", "bench"))
ART = os.path.join(ROOT, "BenchmarkDotNet.Artifacts")


def peer_env():
    env = dict(os.environ, PEER_PROFILE="tuned", OPENBLAS_CORETYPE="SkylakeX", ATEN_CPU_CAPABILITY="avx512")
    try:
        libs = subprocess.run(["dpkg", "-L", "libopenblas0-openmp"], capture_output=True, text=True).stdout.split()
        blas = next(l for l in libs if l.endswith("/libblas.so.3"))
        env["LD_LIBRARY_PATH"] = os.path.dirname(blas) + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    except StopIteration:
        print("warning: libopenblas0-openmp not installed; the peer uses the system BLAS", file=sys.stderr)
    return env


def run_peer(threads):
    os.makedirs(ART, exist_ok=True)
    out = os.path.join(ART, "peer.jsonl")
    lines = []
    for t in threads:
        for script in ("gemm_peer.py", "rnn_peer.py", "stockformer_peer.py"):
            r = subprocess.run(["/usr/bin/python3", script, "--threads", str(t)], cwd=BENCH, env=peer_env(),
                               capture_output=True, text=True, check=True)
            lines += [l for l in r.stdout.splitlines() if l.startswith("{")]
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    return [json.loads(l) for l in lines]


def run_engine():
    subprocess.run(["dotnet", "run", "-c", "Release", "--project", os.path.join(ROOT, "tests", "LeanModels.Benchmarks"), "--",
                    "--filter", "*Sgemm*", "*Rnn*", "*Stockformer*", "--warmupCount", "1", "--iterationCount", "5",
                    "--launchCount", "1", "--exporters", "json"], cwd=ROOT, check=True)


def engine_results():
    res = {}
    for path in glob.glob(os.path.join(ART, "results", "*-report-full*.json")):
        for b in json.load(open(path))["Benchmarks"]:
            params = dict(p.split("=") for p in b["Parameters"].split("&")) if b.get("Parameters") else {}
            res[(b["Method"], params.get("Threads", "1"), params.get("Shape", ""))] = b["Statistics"]["Median"] / 1e9   # seconds, median as the peer
    return res


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--skip-peer", action="store_true", help="reuse BenchmarkDotNet.Artifacts/peer.jsonl")
    ap.add_argument("--skip-engine", action="store_true", help="reuse the last BenchmarkDotNet results")
    a = ap.parse_args()
    peer = [json.loads(l) for l in open(os.path.join(ART, "peer.jsonl"))] if a.skip_peer else run_peer(a.threads)
    if not a.skip_engine:
        run_engine()
    eng = engine_results()

    rows = []
    def add(name, t, p, e, unit):
        ratio = (p / e if unit == "ms" else e / p) if p and e else float("nan")   # > 1: the engine is faster
        rows.append((name, t, p, e, unit, ratio))
    for t in a.threads:
        pk = {(r["name"], r.get("lib", "")) + ((r["shapes"]["M"], r["shapes"]["K"], r["shapes"]["N"]) if r["name"] == "gemm" else ()): r
              for r in peer if r.get("threads") == t}
        def ps(name):
            r = pk.get((name, ""))
            return r["samples_per_s"] if r else None
        tr = eng.get(("TrainStep", str(t), "")); inf = eng.get(("InferBatch32", str(t), ""))
        add("Stockformer train B=32 (samples/s)", t, ps("stockformer_train"), 32 / tr if tr else None, "samples/s")
        add("Stockformer infer B=32 (samples/s)", t, ps("stockformer_infer_throughput"), 32 / inf if inf else None, "samples/s")
        lat = pk.get(("stockformer_infer_latency", "")); one = eng.get(("InferBatch1", str(t), ""))
        add("Stockformer latency B=1 (ms, lower wins)", t, lat["ms_median"] if lat else None, one * 1e3 if one else None, "ms")
        l = eng.get(("LstmTrainStep", str(t), "")); g = eng.get(("GruTrainStep", str(t), ""))
        add("LSTM train B=64 (samples/s)", t, ps("lstm_train"), 64 / l if l else None, "samples/s")
        add("GRU train B=64 (samples/s)", t, ps("gru_train"), 64 / g if g else None, "samples/s")
        li = eng.get(("LstmInfer", str(t), "")); gi = eng.get(("GruInfer", str(t), ""))
        add("LSTM inference B=64 (samples/s)", t, ps("lstm_infer_throughput"), 64 / li if li else None, "samples/s")
        add("GRU inference B=64 (samples/s)", t, ps("gru_infer_throughput"), 64 / gi if gi else None, "samples/s")
        for shape in ("32768x64x64", "32768x64x256", "32768x256x64", "512x512x512"):
            m, k, n = map(int, shape.split("x"))
            r = pk.get(("gemm", "torch.mm", m, k, n)); s = eng.get(("PackedTeam" if t > 1 else "Packed", str(t), shape))
            add(f"sgemm {shape} (GFLOP/s)", t, r["gflops"] if r else None, 2 * m * k * n / s / 1e9 if s else None, "GFLOP/s")
    print(f"{'measurement':42} {'thr':>3} {'peer':>10} {'engine':>10} {'speed-up':>11}")
    for name, t, p, e, unit, ratio in rows:
        f = lambda v: f"{v:10.1f}" if isinstance(v, (int, float)) else f"{'n/a':>10}"
        print(f"{name:42} {t:>3} {f(p)} {f(e)} {ratio:11.2f}")


if __name__ == "__main__":
    main()
