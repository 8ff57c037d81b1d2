#!/usr/bin/env python3
"""Small stdlib-only helper for bench/run.

  benchlib.py ports N                 print N distinct free loopback ports (bound at once)
  benchlib.py check URL SIZE|-  [TEXT] GET URL once; exit 0 if status 200, body length SIZE
                                      (or any with -) and, if given, TEXT inside the body
  benchlib.py rps WRK-OUTPUT          print the requests/s of one wrk output file (for progress lines)
  benchlib.py table RESULTS RSS META  print the summary tables from the run's results files
  benchlib.py settled PREV WRK-OUTPUT NS TOL
                                      print the run's CPU per request (us); exit 0 when it is within
                                      TOL percent of PREV (the side's cost stopped moving: its JIT is
                                      done), 1 otherwise
"""
import http.client
import socket
import ssl
import statistics
import re
import sys
import urllib.parse

UNITS = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3, "TB": 1024 ** 4}


def ports(n):
    socks = []
    for _ in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    print(" ".join(str(s.getsockname()[1]) for s in socks))
    for s in socks:
        s.close()


def _get(conn, path):
    conn.request("GET", path, headers={"Host": "127.0.0.1"})
    r = conn.getresponse()
    return r.status, r.reason, r.getheader("Content-Type"), r.getheader("Connection"), r.read()


def client_url(url):
    """A side's URL without bench/run's load-tool prefix (h2+: h2load over HTTP/2; new+: a new connection per
    request): the check itself is one HTTP/1.1 client."""
    for prefix in ("h2+", "new+"):
        if url.startswith(prefix):
            return url[len(prefix):]
    return url


def check(url, size, text=None):
    """One GET, then a second GET on the same connection unless the server said Connection: close
    (wrk keeps connections alive: a server that stalls there shows as a few req/s, not as errors)."""
    url = client_url(url)
    u = urllib.parse.urlsplit(url)
    path = u.path or "/"
    if u.scheme == "https":
        # The bench's own self-signed certificate: what is checked here is the answer, not the chain.
        conn = http.client.HTTPSConnection(u.hostname, u.port, timeout=5,
                                           context=ssl._create_unverified_context())
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
    try:
        status, reason, ctype, connection, body = _get(conn, path)
    except Exception as e:  # connection refused, reset, timeout...
        print(f"GET {url}: {type(e).__name__}: {e}")
        return 1
    problems = []
    if status != 200:
        problems.append(f"HTTP {status} {reason}")
    if size != "-" and len(body) != int(size):
        problems.append(f"body {len(body)} bytes, expected {size}")
    if text is not None and text.encode() not in body:
        problems.append(f"body does not contain {text!r}: {body[:80]!r}")
    if problems:
        print(f"GET {url}: " + "; ".join(problems))
        return 1
    if (connection or "").lower() == "close":
        ka = "server closes after each response"
    else:
        try:
            status2, _, _, _, body2 = _get(conn, path)
            if status2 != 200 or len(body2) != len(body):
                print(f"GET {url}: second request on the kept-alive connection: HTTP {status2}, {len(body2)} bytes")
                return 1
            ka = "keep-alive ok"
        except Exception as e:
            print(f"GET {url}: first request 200, second request on the kept-alive connection: "
                  f"{type(e).__name__}: {e or 'no response'}")
            return 1
    conn.close()
    print(f"GET {url}: 200, {len(body)} bytes, {ctype}, {ka}")
    return 0


def parse_wrk(path):
    """Return dict(rps, bps, requests, errors, note) from one wrk output file; rps None if unparsable."""
    out = {"rps": None, "bps": None, "requests": None, "errors": 0, "notes": []}
    try:
        lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    except OSError as e:
        out["notes"].append(str(e))
        return out
    for line in lines:
        s = line.strip()
        if s.startswith("finished in ") and " req/s" in s:
            # h2load: "finished in 5.00s, 23456.20 req/s, 2.34MB/s"
            parts = [p.strip() for p in s.split(",")]
            out["rps"] = float(parts[1].split()[0])
            v = parts[2].removesuffix("/s")
            num = v.rstrip("KMGTB")
            out["bps"] = float(num) * UNITS[v[len(num):] or "B"]
        elif s.startswith("requests: ") and " succeeded" in s:
            # h2load: "requests: N total, N started, N done, N succeeded, N failed, N errored, N timeout"
            counts = {p.split()[1]: int(p.split()[0]) for p in s.split(":", 1)[1].split(",")}
            out["requests"] = counts["succeeded"]
            n = counts.get("failed", 0) + counts.get("errored", 0) + counts.get("timeout", 0)
            if n:
                out["errors"] += n
                out["notes"].append(f"{n} failed")
        elif s.startswith("status codes: "):
            bad = sum(int(p.split()[0]) for p in s.split(":", 1)[1].split(",") if not p.split()[1].startswith("2"))
            if bad:
                out["errors"] += bad
                out["notes"].append(f"{bad} non-2xx")
        elif s.startswith("Requests/sec:"):
            out["rps"] = float(s.split()[1])
        elif " requests in " in s:
            out["requests"] = int(s.split()[0])
        elif s.startswith("Transfer/sec:"):
            v = s.split()[1]
            num = v.rstrip("KMGTB")
            out["bps"] = float(num) * UNITS[v[len(num):] or "B"]
        elif s.startswith("Non-2xx or 3xx responses:"):
            n = int(s.split(":")[1])
            out["errors"] += n
            out["notes"].append(f"{n} non-2xx/3xx")
        elif s.startswith("Socket errors:"):
            # Socket errors: connect 0, read 0, write 0, timeout 0
            parts = dict(p.strip().split(" ") for p in s.split(":", 1)[1].split(","))
            n = sum(int(x) for x in parts.values())
            # gunicorn's sync workers close after every response: wrk counts nothing for that,
            # but a reset shows up as a read error. Count them all, name them.
            if n:
                out["errors"] += n
                out["notes"].append("socket errors " + ", ".join(f"{k} {v}" for k, v in parts.items() if v != "0"))
    if out["rps"] is None:
        out["notes"].append("no Requests/sec (wrk) or finished (h2load) line: " + " | ".join(lines[-3:]))
    return out


def settled(prev, path, ns, tol):
    p = parse_wrk(path)
    if not p["requests"]:
        print("-")
        return 0  # nothing to compare: stop warming up, the rounds will report the failure
    us = ns / 1000 / p["requests"]
    print(f"{us:.1f}")
    return 0 if prev != "-" and abs(us - float(prev)) <= float(prev) * tol / 100 else 1


def fmt_num(x):
    if x is None:
        return "-"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}"


def fmt_ratio(x):
    return "-" if x is None else f"{x:.2f}x"


def read_tsv(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line:
                rows.append(line.split("\t"))
    return rows


def table(results_path, rss_path, meta_path):
    meta = dict(r[:2] for r in read_tsv(meta_path) if len(r) >= 2)
    rows = read_tsv(results_path)
    # data[scenario][side] = list of (round, parsed)
    data, order = {}, []
    for scen, side, rnd, path, *rest in rows:
        if scen not in data:
            data[scen] = {}
            order.append(scen)
        parsed = parse_wrk(path)
        # CPU of the side's own processes and of the backend behind it, per request, in microseconds (see
        # cpu_ns in bench/run)
        parsed["cpu_us"], parsed["backend_us"] = (
            int(ns) / 1000 / parsed["requests"] if ns not in ("", "-") and parsed["requests"] else None
            for ns in (rest + ["-", "-"])[:2])
        # context switches of the side and of its backend, per request (see switches in bench/run)
        parsed["switches"], parsed["backend_switches"] = (
            int(n) / parsed["requests"] if n not in ("", "-") and parsed["requests"] else None
            for n in (rest + ["-"] * 4)[2:4])
        data[scen].setdefault(side, []).append((int(rnd), parsed))

    def series(scen, side, key):
        return {r: p[key] for r, p in data[scen].get(side, []) if p[key] is not None}

    def med(values):
        return statistics.median(values) if values else None

    def paired(scen, a, b, key):
        sa, sb = series(scen, a, key), series(scen, b, key)
        rs = [sa[r] / sb[r] for r in sorted(sa) if r in sb and sb[r] > 0]
        return (min(rs), max(rs)) if rs else None

    metrics = []  # (scenario, label, key, scale)
    for scen in order:
        metrics.append((scen, "req/s", "rps", 1))
        if scen.endswith("-1m"):
            metrics.append((scen, "MiB/s", "bps", 1 / 1024 ** 2))

    print()
    print(f"== medians of {meta.get('rounds', '?')} rounds, wrk {meta.get('wrk', '?')}, "
          f"rounds alternate {meta.get('order', 'front/nginx')} ==")
    hdr = ("scenario", "metric", "front", "nginx", "front/nginx", "per-round", "direct", "front/direct", "per-round")
    w = (17, 7, 10, 10, 11, 11, 10, 12, 11)
    line = "  ".join(h.ljust(w[i]) if i < 2 else h.rjust(w[i]) for i, h in enumerate(hdr))
    print(line)
    print("-" * len(line))
    for scen, label, key, scale in metrics:
        m = {side: med(list(series(scen, side, key).values())) for side in ("front", "nginx", "direct")}
        sm = {side: (None if v is None else v * scale) for side, v in m.items()}
        r_fn = m["front"] / m["nginx"] if m["front"] and m["nginx"] else None
        r_fd = m["front"] / m["direct"] if m["front"] and m["direct"] else None
        p_fn, p_fd = paired(scen, "front", "nginx", key), paired(scen, "front", "direct", key)
        cells = (scen, label, fmt_num(sm["front"]), fmt_num(sm["nginx"]), fmt_ratio(r_fn),
                 "-" if not p_fn else f"{p_fn[0]:.2f}-{p_fn[1]:.2f}",
                 fmt_num(sm["direct"]), fmt_ratio(r_fd),
                 "-" if not p_fd else f"{p_fd[0]:.2f}-{p_fd[1]:.2f}")
        print("  ".join(c.ljust(w[i]) if i < 2 else c.rjust(w[i]) for i, c in enumerate(cells)))

    print()
    print("== noise per side: spread = (max-min)/median, rsd = stdev/mean ==")
    hdr = ("scenario", "side", "metric", "rounds", "min", "median", "max", "spread", "rsd", "errors")
    w = (17, 7, 7, 6, 10, 10, 10, 7, 6, 7)
    line = "  ".join(h.ljust(w[i]) if i < 3 else h.rjust(w[i]) for i, h in enumerate(hdr))
    print(line)
    print("-" * len(line))
    notes = []
    for scen, label, key, scale in metrics:
        for side in ("front", "nginx", "direct"):
            if side not in data[scen]:
                continue
            vals = [v * scale for v in series(scen, side, key).values()]
            errors = sum(p["errors"] for _, p in data[scen][side])
            if key == "rps":
                for rnd, p in data[scen][side]:
                    for n in p["notes"]:
                        notes.append(f"{scen} {side} round {rnd}: {n}")
            if vals:
                md = statistics.median(vals)
                spread = (max(vals) - min(vals)) / md * 100 if md else 0
                rsd = statistics.stdev(vals) / statistics.mean(vals) * 100 if len(vals) > 1 else 0
                cells = (scen, side, label, str(len(vals)), fmt_num(min(vals)), fmt_num(md),
                         fmt_num(max(vals)), f"{spread:.1f}%", f"{rsd:.1f}%", str(errors))
            else:
                cells = (scen, side, label, "0", "-", "-", "-", "-", "-", str(errors))
            print("  ".join(c.ljust(w[i]) if i < 3 else c.rjust(w[i]) for i, c in enumerate(cells)))

    def median_of(scen, side, key):
        return med(list(series(scen, side, key).values()))

    if any(median_of(scen, side, "cpu_us") is not None for scen in order for side in ("front", "nginx", "direct")):
        print()
        print("== CPU per request (on-CPU time of all threads and workers; us, median): each side's own, and "
              "each side's with the backend's behind it ==")
        hdr = ("scenario", "front", "nginx", "front/nginx", "+backend", "+backend", "front/nginx", "direct")
        w = (17, 8, 8, 11, 9, 9, 11, 8)
        line = "  ".join(h.ljust(w[i]) if i < 1 else h.rjust(w[i]) for i, h in enumerate(hdr))
        print(line)
        print("-" * len(line))
        for scen in order:
            own = {side: median_of(scen, side, "cpu_us") for side in ("front", "nginx", "direct")}
            whole = {}
            for side in ("front", "nginx"):
                pairs = [(p["cpu_us"], p["backend_us"]) for _, p in data[scen].get(side, [])]
                sums = [a + b for a, b in pairs if a is not None and b is not None]
                whole[side] = med(sums)
            cells = (scen, *("-" if own[k] is None else f"{own[k]:.1f}" for k in ("front", "nginx")),
                     fmt_ratio(own["front"] / own["nginx"] if own["front"] and own["nginx"] else None),
                     *("-" if whole[k] is None else f"{whole[k]:.1f}" for k in ("front", "nginx")),
                     fmt_ratio(whole["front"] / whole["nginx"] if whole["front"] and whole["nginx"] else None),
                     "-" if own["direct"] is None else f"{own['direct']:.1f}")
            print("  ".join(c.ljust(w[i]) if i < 1 else c.rjust(w[i]) for i, c in enumerate(cells)))
        print("(direct: gunicorn's master and workers; +backend: the same run's CPU of the backend the side forwards to,"
              " which a front's way of sending and waiting changes too)")

    if any(median_of(scen, side, "switches") is not None for scen in order for side in ("front", "nginx")):
        print()
        print("== context switches per request (median): each side's own, and its backend's ==")
        hdr = ("scenario", "front", "nginx", "backend", "backend")
        w = (17, 8, 8, 9, 9)
        line = "  ".join(h.ljust(w[i]) if i < 1 else h.rjust(w[i]) for i, h in enumerate(hdr))
        print(line)
        print("-" * len(line))
        for scen in order:
            vals = (median_of(scen, "front", "switches"), median_of(scen, "nginx", "switches"),
                    median_of(scen, "front", "backend_switches"), median_of(scen, "nginx", "backend_switches"))
            cells = (scen, *("-" if v is None else f"{v:.3f}" for v in vals))
            print("  ".join(c.ljust(w[i]) if i < 1 else c.rjust(w[i]) for i, c in enumerate(cells)))
        print("(backend: behind the front, behind nginx; a backend that switches once per request or so is being"
              " handed requests one at a time)")

    rss = read_tsv(rss_path) if rss_path != "-" else []
    if rss:
        print()
        print("== front memory (/proc/PID/status, MiB) ==")
        by = {}
        for group, phase, vmrss, vmhwm in rss:
            by.setdefault(group, []).append((phase, int(vmrss), int(vmhwm)))
        for group, samples in by.items():
            start = next((s for s in samples if s[0] == "started"), samples[0])
            loaded = [s[1] for s in samples if s[0] != "started"]
            peak = max(s[2] for s in samples)
            print(f"{group}: VmRSS after start {start[1] / 1024:.0f}, "
                  f"max VmRSS after a round {f'{max(loaded) / 1024:.0f}' if loaded else '-'}, "
                  f"peak VmHWM {peak / 1024:.0f}")

    if notes:
        print()
        print("== problems reported by wrk ==")
        for n in notes:
            print(n)
    return 0


def parse_hey(path):
    """p99 latency (ms) and achieved req/s from one `hey` run."""
    p99 = rps = None
    errors = 0
    with open(path) as f:
        for line in f:
            m = re.match(r"\s+99%+ in ([0-9.]+) secs", line)
            if m:
                p99 = float(m.group(1)) * 1000
            m = re.match(r"\s+Requests/sec:\s+([0-9.]+)", line)
            if m:
                rps = float(m.group(1))
            m = re.match(r"\s+\[(\d+)\]\s+(\d+) responses", line)
            if m and m.group(1) != "200":
                errors += int(m.group(2))
            if "Error distribution" in line:
                errors += 1
    return {"p99": p99, "rps": rps, "errors": errors}


def latency_table(results_path):
    """Median p99 per side over the rounds of the fixed-rate scenario, and the ratio front/nginx."""
    by_side = {}
    for scen, side, _round, path in read_tsv(results_path):
        by_side.setdefault(side, []).append(parse_hey(path))
    print()
    print("latency at a fixed rate (hey): p99 in ms, median over rounds (min-max); achieved req/s")
    med = {}
    for side, runs in by_side.items():
        p99s = [r["p99"] for r in runs if r["p99"] is not None]
        rates = [r["rps"] for r in runs if r["rps"] is not None]
        errors = sum(r["errors"] for r in runs)
        if not p99s:
            print(f"  {side:8s} no result")
            continue
        med[side] = statistics.median(p99s)
        print(f"  {side:8s} p99 {med[side]:7.2f} ms ({min(p99s):.2f}-{max(p99s):.2f})  "
              f"{statistics.median(rates):8.0f} req/s" + (f"  errors: {errors}" if errors else ""))
    if "front" in med and "nginx" in med and med["nginx"] > 0:
        print(f"  p99 front/nginx {med['front'] / med['nginx']:.2f}x (lower is better)")
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    cmd = argv[1]
    if cmd == "ports":
        ports(int(argv[2]))
        return 0
    if cmd == "check":
        return check(argv[2], argv[3], argv[4] if len(argv) > 4 else None)
    if cmd == "rps":
        p = parse_wrk(argv[2])
        print(fmt_num(p["rps"]) + ("" if not p["errors"] else f" ({'; '.join(p['notes'])})"))
        return 0
    if cmd == "table":
        return table(argv[2], argv[3], argv[4])
    if cmd == "settled":
        return settled(argv[2], argv[3], int(argv[4]), float(argv[5]))
    if cmd == "p99":
        p = parse_hey(argv[2])
        print("-" if p["p99"] is None else f"{p['p99']:.2f}ms")
        return 0
    if cmd == "latency-table":
        return latency_table(argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
