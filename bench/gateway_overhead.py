#!/usr/bin/python3
"""Inference gateway overhead: the gateway vs nginx vs calling the replica directly.

Starts, on this machine and on loopback only:

  replica  nginx (1 worker) answering every request with 200 "0.5\\n" (a model as fast as it gets)
  nginx    a plain reverse proxy in front of the replica: HTTP/1.1 keep-alive upstream
           (`keepalive 64`), access log off, `worker_processes` = --workers; also an `ssl`
           listener with a self-signed certificate for the HTTPS rows
  gateway  the Sagebrush inference gateway (io.sagebrush.gateway.bench.GatewayBenchServer:
           InferenceGateway.start with a static RoutingTableHolder, endpoint `bench` -> the
           replica), --workers event loops, plain HTTP or HTTPS with the same certificate

and drives each path with wrk (`wrk -t1`) and the same POST (`text/csv`, 15 bytes):

  direct   POST /invocations straight to the replica
  nginx    POST /endpoints/bench/invocations through nginx (no authentication)
  gateway  POST /endpoints/bench/invocations through the gateway, SigV4-signed. wrk cannot sign,
           so the script signs one request (SigV4 in a few lines of hashlib/hmac, checked against
           botocore's SigV4Auth; fixed X-Amz-Date, the body's hash) right before each wrk run and
           wrk replays it; the gateway still verifies the signature (canonical request, body
           SHA-256, HMAC) on every request. The script checks first that a tampered signature
           gets 403.

Three measurements per path, interleaved over --rounds rounds (paths back to back per round):

  saturation  closed loop, --connections connections (default 32), no think time: requests/s
  half load   about half of the gateway's saturation rate. wrk2 is not packaged in Debian, so
              the rate is set with wrk's delay() hook: every connection waits --delay-ms (1 ms)
              after each response before it sends the next request, and the number of
              connections is calibrated on the gateway so that the achieved rate is about half
              its saturation rate; direct and nginx get the same connections and delay (their
              achieved rates are printed too). Latency is wrk's, from writing the request to the
              end of the response (closed loop: no coordinated-omission correction).
  light load  one connection with the same delay (no queueing): the per-request cost.

Overhead = path's latency - direct latency at the same load. For each run the script records
from /proc the CPU time per request of the process under test (nginx proxy workers or the
gateway JVM) and the CPU used by every process that is not part of the benchmark ("others":
other people's builds on a shared machine). It prints medians over all runs and over the quiet
runs (others <= --quiet-cores, default 0.3) only.

Caveat: the replica is nginx's `return`, which answers without waiting for the request body; a
real model server adds its own costs (see docs/benchmarks.md).

Usage (from the repository root, after `./mvnw -q -o -pl inference-gateway install -DskipTests`
or any build that left inference-gateway/target/classes):

  /usr/bin/python3 bench/gateway_overhead.py [--duration 8] [--rounds 4] [--no-tls] [--no-light] [--json out]

To compare builds of the gateway at saturation only (each DIR a copy of
inference-gateway/target/classes; each becomes path gateway-NAME, interleaved with the others):

  /usr/bin/python3 bench/gateway_overhead.py --no-tls --saturation-only --paths nginx \
      --variant before=/tmp/before-classes --variant after=/tmp/after-classes --rounds 3

Needs nginx, wrk, openssl and a JDK 17 on PATH (Debian: apt-get install -y nginx wrk); Python's
standard library only.
"""
import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

import hashlib
import hmac

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BODY = "1.0,2.0,3.0,4.0"
ACCESS_KEY = "SBBENCHACCESSKEY0001"
SECRET_KEY = "bench-secret-0123456789abcdefghijklmnop"
MAIN_CLASS = "io.sagebrush.gateway.bench.GatewayBenchServer"
BENCH_SOURCE = "inference-gateway/src/test/java/io/sagebrush/gateway/bench/GatewayBenchServer.java"


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on port {port} after {timeout} s")


# ---------------------------------------------------------------- CPU accounting (/proc)

def _total_busy_jiffies():
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields[:8]) - idle


def _pid_jiffies(pid):
    try:
        with open(f"/proc/{pid}/stat") as fh:
            rest = fh.read().rsplit(")", 1)[1].split()
        return int(rest[11]) + int(rest[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def _descendants(pids):
    """The given pids and all their descendants (nginx workers, the JVM under a shell)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = set(), list(pids)
    while todo:
        p = todo.pop()
        if p not in out:
            out.add(p)
            todo.extend(children.get(p, []))
    return out


def _ctx_switches(pid):
    """Voluntary plus involuntary context switches of all the threads of a process."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as fh:
                for line in fh:
                    if "ctxt_switches:" in line:
                        total += int(line.split()[-1])
        except (OSError, ValueError):
            pass
    return total


class CpuWatch:
    """CPU used during a run: by the process group `proxy` (nginx proxy or gateway, the part
    under test), by the replica, by wrk (a reaped child: getrusage), and by everything else on
    the machine (other people's builds), all from /proc."""

    def __init__(self, own_pids, proxy_pids=frozenset()):
        self.own = _descendants(set(own_pids) | {os.getpid()})
        self.proxy = _descendants(set(proxy_pids))
        self.hz = os.sysconf("SC_CLK_TCK")

    def __enter__(self):
        self.t0 = time.time()
        self.busy0 = _total_busy_jiffies()
        self.own0 = {p: _pid_jiffies(p) for p in self.own}
        self.switches0 = sum(_ctx_switches(p) for p in self.proxy)
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.children0 = ru.ru_utime + ru.ru_stime
        return self

    def __exit__(self, *exc):
        secs = time.time() - self.t0
        busy = (_total_busy_jiffies() - self.busy0) / self.hz
        delta = {p: (_pid_jiffies(p) - self.own0.get(p, 0)) / self.hz for p in self.own}
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.wrk_cpu = ru.ru_utime + ru.ru_stime - self.children0
        own = sum(delta.values()) + self.wrk_cpu
        self.proxy_cpu = sum(v for p, v in delta.items() if p in self.proxy)
        self.proxy_switches = sum(_ctx_switches(p) for p in self.proxy) - self.switches0
        self.others_cores = max(0.0, (busy - own) / secs)
        self.wrk_cores = self.wrk_cpu / secs
        self.loadavg = os.getloadavg()[0]


# ---------------------------------------------------------------- processes

class Procs:
    def __init__(self):
        self.procs = {}

    def start(self, name, cmd, **kw):
        shown = " ".join(a if len(a) < 200 else a[:60] + "...(classpath)" for a in cmd)
        log(f"start {name}: {shown}")
        self.procs[name] = subprocess.Popen(cmd, start_new_session=True, **kw)
        return self.procs[name]

    def stop(self, name):
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def pids(self, name=None):
        return {p.pid for n, p in self.procs.items()
                if p.poll() is None and (name is None or n == name)}

    def stop_all(self):
        for name in list(self.procs):
            self.stop(name)


def nginx_conf(work, name, workers, server_blocks, upstream=""):
    user = "user root;" if os.geteuid() == 0 else ""
    tmp = os.path.join(work, f"{name}-tmp")
    os.makedirs(tmp, exist_ok=True)
    path = os.path.join(work, f"{name}.conf")
    with open(path, "w") as fh:
        fh.write(f"""{user}
daemon off;
worker_processes {workers};
pid {work}/{name}.pid;
error_log {work}/{name}-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  {upstream}
  {server_blocks}
}}
""")
    return path


def java_classpath(args, work, classes=None, tag="gateway"):
    """The module's runtime+test classpath, with target/classes (or `classes`) copied so a rebuild
    mid-run by someone else cannot change what is measured, and GatewayBenchServer compiled
    here."""
    cp_file = os.path.join(work, "gateway.cp")
    if os.path.exists(cp_file):
        pass
    elif args.classpath_file:
        shutil.copy(args.classpath_file, cp_file)
    else:
        log("resolving the inference-gateway classpath (mvn -o dependency:build-classpath)")
        subprocess.run([os.path.join(ROOT, "mvnw"), "-q", "-o", "-pl", "inference-gateway",
                        "dependency:build-classpath", f"-Dmdep.outputFile={cp_file}"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    deps = open(cp_file).read().strip()
    classes = classes or os.path.join(ROOT, "inference-gateway", "target", "classes")
    if not os.path.isdir(classes):
        raise SystemExit(f"{classes} is missing: build inference-gateway first")
    snap = os.path.join(work, f"{tag}-classes")
    shutil.copytree(classes, snap)
    bench_classes = os.path.join(work, f"{tag}-bench-classes")
    os.makedirs(bench_classes)
    subprocess.run(["javac", "-nowarn", "-d", bench_classes, "-cp", f"{snap}:{deps}",
                    os.path.join(ROOT, BENCH_SOURCE)], check=True)
    return f"{bench_classes}:{snap}:{deps}"


# ---------------------------------------------------------------- wrk

def signed_headers(port, path, region="us-east-1", service="sagemaker"):
    """SigV4 (header form) for POST path with BODY, signed now: what botocore's SigV4Auth does."""
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    day = amz_date[:8]
    host = f"127.0.0.1:{port}"
    signed = "content-type;host;x-amz-date"
    canonical = "\n".join(["POST", path, "", f"content-type:text/csv", f"host:{host}",
                           f"x-amz-date:{amz_date}", "", signed,
                           hashlib.sha256(BODY.encode()).hexdigest()])
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + SECRET_KEY).encode()
    for part in (day, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return {"Host": host, "Content-Type": "text/csv", "X-Amz-Date": amz_date,
            "Authorization": f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{scope}, "
                             f"SignedHeaders={signed}, Signature={signature}"}


def lua_script(work, headers, delay_ms):
    lines = ['wrk.method = "POST"', f'wrk.body = "{BODY}"']
    for k, v in headers.items():
        lines.append(f'wrk.headers["{k}"] = "{v}"')
    if delay_ms:
        lines.append(f"function delay() return {int(delay_ms)} end")
    lines.append("""function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"duration_us":%d,"status_errors":%d,' ..
    '"socket_errors":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end""")
    fd, path = tempfile.mkstemp(suffix=".lua", dir=work)
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


PIN = {"client": None, "proxy": None}


def pinned(role, cmd):
    """cmd under `taskset -c CPUS` when --pin gave CPUs for role (client: wrk and the replica;
    proxy: nginx's proxy workers and the gateway JVM)."""
    cpus = PIN.get(role)
    return ["taskset", "-c", cpus, *cmd] if cpus else cmd


def wrk(work, target, connections, duration, delay_ms=0, procs=None):
    headers = target["headers"]()
    script = lua_script(work, headers, delay_ms)
    cmd = pinned("client", ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "5s",
                            "-s", script, target["url"]])
    own = procs.pids() if procs else set()
    proxy = procs.pids(target.get("proc")) if procs and target.get("proc") else set()
    with CpuWatch(own, proxy) as cpu:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next((l for l in out.splitlines() if l.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{out}")
    r = json.loads(line[7:])
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["others_cores"] = round(cpu.others_cores, 2)
    r["wrk_cores"] = round(cpu.wrk_cores, 2)
    r["proxy_cpu_us_per_request"] = round(cpu.proxy_cpu / max(1, r["requests"]) * 1e6, 1)
    r["proxy_switches_per_request"] = round(cpu.proxy_switches / max(1, r["requests"]), 3)
    r["loadavg"] = round(cpu.loadavg, 2)
    r["connections"] = connections
    r["delay_ms"] = delay_ms
    if r["status_errors"] or r["socket_errors"]:
        log(f"  WARNING {target['name']}: {r['status_errors']} non-2xx, {r['socket_errors']} "
            f"socket errors")
    return r


def check(target):
    """One request by hand: the path answers 200 with the replica's body."""
    import http.client
    import ssl
    headers = target["headers"]()
    host, port = "127.0.0.1", int(target["url"].rsplit(":", 1)[1].split("/")[0])
    path = "/" + target["url"].split("/", 3)[3]
    if target["url"].startswith("https"):
        conn = http.client.HTTPSConnection(host, port, context=ssl._create_unverified_context())
    else:
        conn = http.client.HTTPConnection(host, port)
    conn.request("POST", path, body=BODY, headers=headers)
    resp = conn.getresponse()
    body = resp.read()
    if resp.status != 200 or body != b"0.5\n":
        raise SystemExit(f"{target['name']}: {resp.status} {body[:300]!r}")
    # a request with a broken signature must be refused, or the gateway rows mean nothing
    if target.get("signed"):
        bad = dict(headers, Authorization=headers["Authorization"][:-4] + "0000")
        conn.request("POST", path, body=BODY, headers=bad)
        resp = conn.getresponse()
        resp.read()
        if resp.status != 403:
            raise SystemExit(f"{target['name']}: a bad signature got {resp.status}, not 403")


def quiet(runs, limit):
    """The runs during which other processes used at most `limit` cores; all runs if none."""
    calm = [r for r in runs if r["others_cores"] <= limit]
    return calm or runs


def saturation_table(results, names, args, only_quiet):
    def pick(n):
        runs = results[n]["saturation"]
        return quiet(runs, args.quiet_cores) if only_quiet else runs

    print(f"\n{'Quiet runs only (others <= ' + str(args.quiet_cores) + ' cores)' if only_quiet else 'All runs'}:\n")
    print("| path | saturation req/s (median) | runs | vs nginx | CPU µs/req (median) | "
          "req/s of each run | others' CPU, cores |")
    print("|---|---|---|---|---|---|---|")
    ref = statistics.median(r["rps"] for r in pick("nginx")) if "nginx" in names else None
    for n in names:
        used = pick(n)
        sat = statistics.median(r["rps"] for r in used)
        cpu = statistics.median(r["proxy_cpu_us_per_request"] or 0 for r in used)
        each = ", ".join(f"{r['rps']:.0f}" for r in results[n]["saturation"])
        others = [r["others_cores"] for r in used]
        print(f"| {n} | {sat:.0f} | {len(used)}/{len(results[n]['saturation'])} | "
              f"{'' if ref is None or n == 'direct' else f'{sat / ref:.2f}x'} | "
              f"{'' if n == 'direct' else f'{cpu:.1f}'} | {each} | "
              f"{min(others):.2f}–{max(others):.2f} |")


def table(results, names, args, only_quiet):
    def pick(n, kind):
        runs = results[n][kind]
        return quiet(runs, args.quiet_cores) if only_quiet else runs

    def med(n, kind, key):
        return statistics.median(r[key] for r in pick(n, kind))

    if only_quiet:
        print(f"\nMedians over the quiet runs only (other processes used <= {args.quiet_cores} "
              f"cores during the run; a path with no quiet run falls back to all its runs); "
              f"overhead = median(path) - median(direct):\n")
    else:
        print("\nMedians over all runs; overhead = median over rounds of (path - direct in the "
              "same round):\n")
    print("| path | saturation req/s | vs nginx | proxy CPU µs/req at saturation | half-load req/s "
          "| p50 | p99 | p50 overhead | p99 overhead | runs used (sat, half) | others' CPU, cores |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for n in names:
        nginx_ref = "nginx-https" if n.endswith("https") else "nginx"
        sat = med(n, "saturation", "rps")
        ratio = sat / med(nginx_ref, "saturation", "rps") if n != "direct" else None
        cpu = med(n, "saturation", "proxy_cpu_us_per_request")
        p50, p99 = med(n, "half", "p50"), med(n, "half", "p99")
        if only_quiet:
            o50, o99 = p50 - med("direct", "half", "p50"), p99 - med("direct", "half", "p99")
        else:
            pairs = list(zip(results[n]["half"], results["direct"]["half"]))
            o50 = statistics.median(r["p50"] - d["p50"] for r, d in pairs)
            o99 = statistics.median(r["p99"] - d["p99"] for r, d in pairs)
        used = pick(n, "saturation") + pick(n, "half")
        others = [r["others_cores"] for r in used]
        print(f"| {n} | {sat:.0f} | {'' if ratio is None else f'{ratio:.2f}x'} | "
              f"{'' if n == 'direct' else f'{cpu:.1f}'} | "
              f"{med(n, 'half', 'rps'):.0f} | {p50:.0f} | {p99:.0f} | "
              f"{'' if n == 'direct' else f'{o50:+.0f}'} | "
              f"{'' if n == 'direct' else f'{o99:+.0f}'} | "
              f"{len(pick(n, 'saturation'))}/{len(results[n]['saturation'])}, "
              f"{len(pick(n, 'half'))}/{len(results[n]['half'])} | "
              f"{min(others):.2f}–{max(others):.2f} |")


def light_table(results, names, args):
    print(f"\nLight load: one connection, {args.delay_ms} ms delay() between requests (wrk -t1 "
          f"-c1); medians over the quiet runs (others <= {args.quiet_cores} cores; all runs when "
          f"none), overhead = median(path) - median(direct):\n")
    print("| path | req/s | p50 | p99 | p50 overhead | p99 overhead | runs used |")
    print("|---|---|---|---|---|---|---|")

    def med(n, key):
        return statistics.median(r[key] for r in quiet(results[n]["light"], args.quiet_cores))

    for n in names:
        o50 = med(n, "p50") - med("direct", "p50")
        o99 = med(n, "p99") - med("direct", "p99")
        print(f"| {n} | {med(n, 'rps'):.0f} | {med(n, 'p50'):.0f} | {med(n, 'p99'):.0f} | "
              f"{'' if n == 'direct' else f'{o50:+.0f}'} | "
              f"{'' if n == 'direct' else f'{o99:+.0f}'} | "
              f"{len(quiet(results[n]['light'], args.quiet_cores))}/{len(results[n]['light'])} |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=int, default=8, help="seconds per measured wrk run")
    ap.add_argument("--warmup", type=int, default=10, help="seconds of warm-up per path")
    ap.add_argument("--rounds", type=int, default=4, help="interleaved rounds; medians reported")
    ap.add_argument("--connections", type=int, default=32, help="connections at saturation")
    ap.add_argument("--delay-ms", type=int, default=1, help="think time per connection at half load")
    ap.add_argument("--workers", type=int, default=2,
                    help="nginx proxy worker processes and gateway event loops (default 2)")
    ap.add_argument("--quiet-cores", type=float, default=0.3,
                    help="a run is quiet when other processes used at most this many cores")
    ap.add_argument("--no-light", dest="light", action="store_false",
                    help="skip the light-load runs (one connection)")
    ap.add_argument("--no-tls", action="store_true", help="skip the HTTPS rows")
    ap.add_argument("--classpath-file", help="a file with the gateway's dependency classpath")
    ap.add_argument("--jvm-opts", default="-Xms256m -Xmx256m -XX:+UseParallelGC")
    ap.add_argument("--variant", action="append", default=[], metavar="NAME=CLASSES_DIR",
                    help="compare builds: one gateway per variant (its compiled classes), each "
                         "measured as path gateway-NAME; with --saturation-only, interleaved")
    ap.add_argument("--saturation-only", action="store_true",
                    help="only the saturation runs (no half load, no light load)")
    ap.add_argument("--paths", help="comma-separated subset of the paths to run (e.g. nginx,gateway)")
    ap.add_argument("--pin", metavar="CLIENT_CPUS:PROXY_CPUS",
                    help="pin wrk and the replica to CLIENT_CPUS and the proxy under test (nginx "
                         "proxy workers, gateway JVM) to PROXY_CPUS with taskset, e.g. 0:1")
    ap.add_argument("--workdir")
    ap.add_argument("--json", help="write all runs here")
    args = ap.parse_args()
    for tool in ("nginx", "wrk", "openssl", "java", "javac"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} not on PATH (Debian: apt-get install -y nginx wrk)")

    if args.pin:
        PIN["client"], _, PIN["proxy"] = args.pin.partition(":")
    work = args.workdir or tempfile.mkdtemp(prefix="sagebrush-gw-bench-")
    os.makedirs(work, exist_ok=True)
    log(f"work dir {work}; {os.cpu_count()} CPUs; load average {os.getloadavg()}")
    procs = Procs()
    try:
        run(args, work, procs)
    finally:
        procs.stop_all()


def run(args, work, procs):
    cp = java_classpath(args, work)
    variants = {}
    for spec in args.variant:
        vname, _, vdir = spec.partition("=")
        variants[vname] = java_classpath(args, work, os.path.abspath(vdir), f"variant-{vname}")
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True,
                   capture_output=True)

    rport, pport, psport, gport, gsport = (free_port() for _ in range(5))
    replica_conf = nginx_conf(work, "replica", 1, f"""server {{
    listen 127.0.0.1:{rport} backlog=1024;
    location / {{ default_type text/plain; return 200 "0.5\\n"; }}
  }}""")
    proxy_conf = nginx_conf(work, "proxy", args.workers, f"""server {{
    listen 127.0.0.1:{pport} backlog=1024;
    listen 127.0.0.1:{psport} ssl backlog=1024;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    location = /endpoints/bench/invocations {{
      proxy_pass http://replica/invocations;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}""", upstream=f"upstream replica {{ server 127.0.0.1:{rport}; keepalive 64; "
                  f"keepalive_requests 1000000; keepalive_timeout 300s; }}")
    procs.start("replica", pinned("client", ["nginx", "-p", work, "-c", replica_conf]))
    procs.start("nginx", pinned("proxy", ["nginx", "-p", work, "-c", proxy_conf]))
    wait_port(rport)
    wait_port(pport)

    def start_gateway(tls, name=None, port=None, classpath=None):
        name = name or ("gateway-tls" if tls else "gateway")
        port = port or (gsport if tls else gport)
        cmd = ["java", *args.jvm_opts.split(),
               "-Dlogback.configurationFile=sagebrush-gateway-logback.xml", "-cp",
               classpath or cp, MAIN_CLASS,
               "--replica", f"http://127.0.0.1:{rport}", "--port", str(port), "--access-key",
               ACCESS_KEY, "--secret-key", SECRET_KEY, "--io-threads", str(args.workers)]
        if tls:
            cmd += ["--cert", cert, "--key", key]
        cmd = pinned("proxy", cmd)
        procs.start(name, cmd, stdout=open(os.path.join(work, f"{name}.log"), "w"),
                    stderr=subprocess.STDOUT)
        wait_port(port)

    invocations = "/endpoints/bench/invocations"
    plain = {"Content-Type": "text/csv"}
    targets = {
        "direct": {"name": "direct", "url": f"http://127.0.0.1:{rport}/invocations",
                   "headers": lambda: dict(plain, Host=f"127.0.0.1:{rport}"), "proc": None},
        "nginx": {"name": "nginx", "url": f"http://127.0.0.1:{pport}{invocations}",
                  "headers": lambda: dict(plain, Host=f"127.0.0.1:{pport}"), "proc": "nginx"},
        "gateway": {"name": "gateway", "url": f"http://127.0.0.1:{gport}{invocations}",
                    "headers": lambda: signed_headers(gport, invocations), "signed": True,
                    "proc": "gateway"},
        "nginx-https": {"name": "nginx-https", "url": f"https://127.0.0.1:{psport}{invocations}",
                        "headers": lambda: dict(plain, Host=f"127.0.0.1:{psport}"),
                        "proc": "nginx"},
        "gateway-https": {"name": "gateway-https",
                          "url": f"https://127.0.0.1:{gsport}{invocations}",
                          "headers": lambda: signed_headers(gsport, invocations),
                          "signed": True, "proc": "gateway-tls"},
    }
    names = ["direct", "nginx", "gateway"] + ([] if args.no_tls else ["nginx-https",
                                                                      "gateway-https"])
    for vname, vcp in variants.items():
        vport = free_port()
        n = f"gateway-{vname}"
        start_gateway(False, n, vport, vcp)
        targets[n] = {"name": n, "url": f"http://127.0.0.1:{vport}{invocations}",
                      "headers": (lambda p: lambda: signed_headers(p, invocations))(vport),
                      "signed": True, "proc": n}
        names.append(n)
    if args.paths:
        wanted = args.paths.split(",")
        names = [n for n in names
                 if n in wanted or n in (f"gateway-{v}" for v in variants)]
    if not args.saturation_only and not {"direct", "gateway"} <= set(names):
        raise SystemExit("half and light load need the direct and gateway paths "
                         "(or use --saturation-only)")
    if "gateway" in names or not args.saturation_only:
        start_gateway(False)
    if "gateway-https" in names:
        start_gateway(True)
    for n in names:
        check(targets[n])
    log("all paths answer 200 \"0.5\"; the gateway refuses a bad signature with 403")

    results = {n: {"saturation": [], "half": [], "light": []} for n in names}
    log(f"warm-up {args.warmup} s per path at c={args.connections}")
    for n in names:
        wrk(work, targets[n], args.connections, args.warmup)

    for rnd in range(args.rounds):
        for n in names:
            r = wrk(work, targets[n], args.connections, args.duration, procs=procs)
            results[n]["saturation"].append(r)
            log(f"round {rnd + 1} saturation {n:14s} c={args.connections} {r['rps']:8.0f} req/s "
                f"p50 {r['p50']} us p99 {r['p99']} us | proxy {r['proxy_cpu_us_per_request']} "
                f"CPU-us/req, {r['proxy_switches_per_request']} switches/req, wrk {r['wrk_cores']} cores, others {r['others_cores']} cores, "
                f"load {r['loadavg']}")

    if args.saturation_only:
        print(f"\nSaturation only: wrk -t1 -c{args.connections} -d{args.duration}s, "
              f"{args.rounds} interleaved rounds.")
        for only_quiet in (False, True):
            saturation_table(results, names, args, only_quiet)
        if args.json:
            with open(args.json, "w") as fh:
                json.dump({"results": results}, fh, indent=1)
        return
    gw_sat = statistics.median(r["rps"] for r in quiet(results["gateway"]["saturation"],
                                                       args.quiet_cores))
    target_rps = gw_sat / 2
    # calibrate the connections (each waits delay_ms between requests) on the gateway itself
    c = max(1, round(target_rps * (args.delay_ms + 0.25) / 1000))
    for _ in range(4):
        r = wrk(work, targets["gateway"], c, 4, args.delay_ms)
        per_conn = r["rps"] / c
        new_c = max(1, round(target_rps / per_conn))
        log(f"calibration: c={c} -> {r['rps']:.0f} req/s (target {target_rps:.0f}); next c={new_c}")
        if abs(r["rps"] - target_rps) / target_rps < 0.08 or new_c == c:
            break
        c = new_c
    half_c = c
    for rnd in range(args.rounds):
        for n in names:
            r = wrk(work, targets[n], half_c, args.duration, args.delay_ms, procs=procs)
            results[n]["half"].append(r)
            log(f"round {rnd + 1} half load {n:14s} c={half_c} {r['rps']:8.0f} req/s p50 "
                f"{r['p50']} us p99 {r['p99']} us | proxy {r['proxy_cpu_us_per_request']} CPU-us/req, "
                f"others {r['others_cores']} cores, load {r['loadavg']}")
            if args.light:
                r = wrk(work, targets[n], 1, args.duration, args.delay_ms, procs=procs)
                results[n]["light"].append(r)
                log(f"round {rnd + 1} light     {n:14s} c=1 {r['rps']:8.0f} req/s p50 "
                    f"{r['p50']} us p99 {r['p99']} us | others {r['others_cores']} cores, load "
                    f"{r['loadavg']}")

    print(f"\nSaturation: wrk -t1 -c{args.connections} -d{args.duration}s; half load: "
          f"wrk -t1 -c{half_c} -d{args.duration}s with a {args.delay_ms} ms delay() per "
          f"connection (gateway saturation {gw_sat:.0f} req/s, target {target_rps:.0f}). "
          f"Latencies in microseconds. {args.rounds} interleaved rounds.")
    for only_quiet in (False, True):
        table(results, names, args, only_quiet)
    if args.light:
        light_table(results, names, args)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"half_connections": half_c, "delay_ms": args.delay_ms,
                       "gateway_saturation_rps": gw_sat, "results": results}, fh, indent=1)


if __name__ == "__main__":
    main()
