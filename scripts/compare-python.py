#!/usr/bin/env python3
"""Side by side with the official Python SDK, in one run on one machine.

    python3 scripts/compare-python.py [--jobs 10000] [--big-jobs 100000] [--runs 5]
                                      [--latency-ms 20] [--sweep 1,2,4,8,16,32]

Builds the release binaries (hbr, hbr-emulator, the microbench example), installs the official
SDK (alibabacloud-hbr20170908, pinned) with pip into a virtual environment of its own under
target/, and measures, each side in the same run:

- parsing the 99-job documented-example page (typed; the Rust floor and serde_json::Value too);
- the signing step of one request, v3 and v1;
- listing every job of an emulator on 127.0.0.1 and printing them as one JSON array:
  `hbr restore-jobs list --all --output json` against a script doing the same with the SDK
  (wall time, best and median of --runs, the client's CPU time and peak RSS, and the
  emulator's CPU time during the run, to show the emulator is not the bottleneck), once with
  immediate answers and once with every answer delayed by --latency-ms (the emulator's
  `--latency-ms`, a network link of that round trip);
- hbr's listing at that latency with 1, 2, 4, ... pages in flight (`--concurrency`, --sweep),
  which is how the paginator's default was chosen;
- hbr's peak RSS listing --big-jobs jobs, immediate and delayed, to show memory stays flat as
  the jobs grow.

Prints a Markdown report on stdout; progress goes to stderr. Only 127.0.0.1 is contacted
(and the package index, by pip, once). Needs GNU time at /usr/bin/time.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SDK = "alibabacloud-hbr20170908==2.7.1"
AK_ID = "bench-access-key-id"
AK_SECRET = "bench-access-key-secret"


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def target_dir():
    return Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


def build():
    log("building release binaries ...")
    subprocess.run(["cargo", "build", "--release", "-p", "hbr-cli", "-p", "hbr-emulator"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "-p", "hbr-tests", "--example", "microbench"], cwd=ROOT, check=True)
    rel = target_dir() / "release"
    return rel / "hbr", rel / "hbr-emulator", rel / "examples" / "microbench"


def venv():
    env_dir = target_dir() / "official-sdk-bench-venv"
    python = env_dir / "bin" / "python"
    marker = env_dir / ".installed"
    if not marker.exists() or marker.read_text() != SDK:
        log(f"installing {SDK} into {env_dir} ...")
        subprocess.run([sys.executable, "-m", "venv", str(env_dir)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", SDK], check=True)
        marker.write_text(SDK)
    return python


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Emulator:
    def __init__(self, binary, jobs, latency_ms=0):
        self.proc = subprocess.Popen(
            [str(binary), "--listen", "127.0.0.1:0", "--jobs", str(jobs), "--latency-ms", str(latency_ms),
             "--access-key-id", AK_ID, "--access-key-secret", AK_SECRET],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline().strip()
        prefix = "listening on "
        if not line.startswith(prefix):
            raise SystemExit(f"emulator said {line!r}")
        self.url = line[len(prefix):]
        self.host = self.url.removeprefix("http://")

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def stop(self):
        self.proc.kill()
        self.proc.wait()


def run_measured(cmd, env=None, out_path=None):
    """Runs cmd; returns (wall seconds, peak RSS in MiB).

    The peak RSS comes from GNU time (`/usr/bin/time -f %M`): the rusage Python's own wait4
    reports would include this (large) interpreter's pages at fork time.
    """
    rss_file = target_dir() / "compare-python" / "rss.txt"
    with open(out_path or os.devnull, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", str(rss_file)] + cmd,
                              stdout=out, stderr=subprocess.PIPE, env=env)
        wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {proc.stderr.decode(errors='replace').strip()}")
    rss, user, system = rss_file.read_text().split()[-3:]
    return wall, int(rss) / 1024, float(user) + float(system)


def listing(name, cmd, env, emu, runs, out_path):
    walls, rss, cpu, emu_cpu = [], [], [], []
    for _ in range(runs):
        before = emu.cpu()
        wall, peak, used = run_measured(cmd, env, out_path)
        emu_cpu.append(emu.cpu() - before)
        walls.append(wall)
        rss.append(peak)
        cpu.append(used)
    log(f"{name}: best {min(walls):.3f} s")
    return {"best": min(walls), "median": statistics.median(walls), "rss": max(rss),
            "cpu": statistics.median(cpu), "emu_cpu": statistics.median(emu_cpu)}


def micro(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return {line.split()[0]: float(line.split()[1]) for line in out.splitlines() if line.strip()}


def side_by_side(hbr, python, script, emulator, env, args, latency_ms):
    """Both listings against one emulator answering after `latency_ms`; hbr's output kept."""
    work = target_dir() / "compare-python"
    emu = Emulator(emulator, args.jobs, latency_ms)
    try:
        rust_out, py_out = work / f"hbr-{latency_ms}.json", work / f"python-{latency_ms}.json"
        hbr_cmd = [str(hbr), "--endpoint", emu.url, "--output", "json", "restore-jobs", "list", "--all"]
        py_cmd = [str(python), str(script), "list", emu.host, AK_ID, AK_SECRET]
        list_rust = listing(f"hbr, {latency_ms} ms", hbr_cmd, env, emu, args.runs, rust_out)
        list_py = listing(f"python, {latency_ms} ms", py_cmd, env, emu, args.runs, py_out)
    finally:
        emu.stop()
    a, b = json.loads(rust_out.read_text()), json.loads(py_out.read_text())
    ids = [j["RestoreId"] for j in a]
    same = len(a) == len(b) == args.jobs and ids == [j["RestoreId"] for j in b]
    for path in (rust_out, py_out):
        path.unlink()
    return list_rust, list_py, same, len(a), len(b)


def sweep(hbr, emulator, env, args):
    """hbr's listing at --latency-ms with each concurrency of --sweep."""
    emu = Emulator(emulator, args.jobs, args.latency_ms)
    try:
        out = {}
        for c in [int(x) for x in args.sweep.split(",") if x]:
            cmd = [str(hbr), "--endpoint", emu.url, "--output", "json", "restore-jobs", "list", "--all",
                   "--concurrency", str(c)]
            out[c] = listing(f"hbr --concurrency {c}", cmd, env, emu, args.runs, None)
        return out
    finally:
        emu.stop()


def big_listing(hbr, emulator, env, args, latency_ms):
    big = Emulator(emulator, args.big_jobs, latency_ms)
    try:
        hbr_cmd = [str(hbr), "--endpoint", big.url, "--output", "json", "restore-jobs", "list", "--all"]
        return listing(f"hbr (big, {latency_ms} ms)", hbr_cmd, env, big, 1, None)
    finally:
        big.stop()


def report_listings(args, rows):
    """The listing rows of the side-by-side table, one pair per latency."""
    for latency_ms, (r, p, *_rest) in rows.items():
        link = "immediate answers" if latency_ms == 0 else f"{latency_ms} ms per answer"
        print(f"| list {args.jobs:,} jobs as JSON, {link}: wall (best / median) | {r['best']:.3f} / {r['median']:.3f} s "
              f"| {p['best']:.3f} / {p['median']:.3f} s | {p['best'] / r['best']:.1f}× |")
        print(f"| — client CPU, user + system (median) | {r['cpu']:.3f} s ({r['cpu'] / args.jobs * 1e6:.1f} µs per job) "
              f"| {p['cpu']:.3f} s ({p['cpu'] / args.jobs * 1e6:.1f} µs per job) | {p['cpu'] / r['cpu']:.1f}× |")
        print(f"| — emulator CPU during one listing (median) | {r['emu_cpu']:.3f} s | {p['emu_cpu']:.3f} s | |")
        print(f"| — peak RSS of the client process | {r['rss']:.1f} MiB | {p['rss']:.1f} MiB | |")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=10_000)
    ap.add_argument("--big-jobs", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--latency-ms", type=int, default=20)
    ap.add_argument("--sweep", default="1,2,4,8,16,32", help="concurrencies to try at --latency-ms ('' to skip)")
    args = ap.parse_args()

    load_before = os.getloadavg()
    hbr, emulator, bench = build()
    python = venv()
    script = ROOT / "scripts" / "python" / "official_bench.py"
    work = target_dir() / "compare-python"
    work.mkdir(parents=True, exist_ok=True)

    log("parsing and signing ...")
    page = work / "page.json"
    page.write_text(subprocess.run([str(bench), "page"], check=True, capture_output=True, text=True).stdout)
    rust = {}
    for mode, n in [("parse-typed", 300), ("parse-ignored", 300), ("parse-value", 100),
                    ("sign-v3", 100_000), ("sign-v1", 100_000)]:
        rust.update(micro([str(bench), mode, str(n)]))
    py = micro([str(python), str(script), "parse", str(page), "30"])
    py.update(micro([str(python), str(script), "sign", "20000"]))

    env = dict(os.environ, ALIBABA_CLOUD_ACCESS_KEY_ID=AK_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET=AK_SECRET)
    env.pop("ALIBABA_CLOUD_SECURITY_TOKEN", None)
    rows = {lat: side_by_side(hbr, python, script, emulator, env, args, lat) for lat in (0, args.latency_ms)}
    swept = sweep(hbr, emulator, env, args) if args.sweep else {}
    big = {lat: big_listing(hbr, emulator, env, args, lat) for lat in (0, args.latency_ms)}

    load_after = os.getloadavg()
    mb = page.stat().st_size / 1e6
    print(f"Load average (1, 5, 15 min) before the build: {load_before[0]:.2f}, {load_before[1]:.2f}, "
          f"{load_before[2]:.2f}; after the measurements: {load_after[0]:.2f}, {load_after[1]:.2f}, "
          f"{load_after[2]:.2f} ({os.cpu_count()} cores, shared).\n")
    print(f"Page: {page.stat().st_size:,} bytes, 99 jobs. Listing: {args.jobs:,} jobs, 99 per page, "
          f"best and median of {args.runs} runs.\n")
    print("| measure | hbr-rs | official Python SDK 2.7.1 | ratio |")
    print("|---|---|---|---|")
    print(f"| parse the page, typed | {rust['parse-typed']:.0f} µs ({mb / rust['parse-typed'] * 1e6:.0f} MB/s) "
          f"| {py['parse-typed']:.0f} µs ({mb / py['parse-typed'] * 1e6:.0f} MB/s) "
          f"| {py['parse-typed'] / rust['parse-typed']:.1f}× |")
    print(f"| sign v3 (step) | {rust['sign-v3']:.2f} µs | {py['sign-v3']:.1f} µs | {py['sign-v3'] / rust['sign-v3']:.0f}× |")
    print(f"| sign v1 (step) | {rust['sign-v1']:.2f} µs | {py['sign-v1']:.1f} µs | {py['sign-v1'] / rust['sign-v1']:.0f}× |")
    report_listings(args, rows)
    same = all(row[2] for row in rows.values())
    counts = ", ".join(f"{row[3]:,} and {row[4]:,}" for row in rows.values())
    print(f"\nSame jobs in the same order from both, at each latency: {'yes' if same else 'NO'} ({counts}).\n")
    print("| parse, Rust only | µs | vs. floor |")
    print("|---|---|---|")
    for mode, label in [("parse-ignored", "serde `IgnoredAny` (floor)"), ("parse-typed", "typed"),
                        ("parse-value", "`serde_json::Value`")]:
        print(f"| {label} | {rust[mode]:.0f} | {rust[mode] / rust['parse-ignored']:.2f}× |")
    if swept:
        print(f"\nhbr, {args.jobs:,} jobs at {args.latency_ms} ms per answer, by pages in flight (`--concurrency`):\n")
        print("| pages in flight | wall (best / median) | client CPU | peak RSS |")
        print("|---|---|---|---|")
        for c, r in swept.items():
            print(f"| {c} | {r['best']:.3f} / {r['median']:.3f} s | {r['cpu']:.3f} s | {r['rss']:.1f} MiB |")
    print()
    for lat, r in big.items():
        small = rows[lat][0]
        print(f"hbr listing {args.big_jobs:,} jobs at {lat} ms per answer: {r['best']:.2f} s, peak RSS {r['rss']:.1f} MiB "
              f"(vs {small['rss']:.1f} MiB for {args.jobs:,}).")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
