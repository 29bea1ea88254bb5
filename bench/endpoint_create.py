#!/usr/bin/env python3
"""CreateEndpoint -> InService latency for a built-in XGBoost model against a Sagebrush server.

Once: trains a tiny XGBoost regression model with the built-in image (CreateTrainingJob with
SageMaker's XGBoost image URI, 300 rows y = 2*x1 - x2, 10 rounds) unless --model-data names an
existing model.tar.gz. Then a warm-up round (not counted) and N measured rounds, one after
another, each:

  CreateModel (same image URI, that ModelDataUrl) -> CreateEndpointConfig (one variant,
  ml.t3.medium x1) -> CreateEndpoint -> DescribeEndpoint every --poll seconds (50 ms) until
  InService -> one InvokeEndpoint through the HTTPS gateway (boto3 sagemaker-runtime,
  verify=the gateway's certificate) that must return two numbers near 1.5 and -3 ->
  DeleteEndpoint (waits until DescribeEndpoint no longer knows it) -> DeleteEndpointConfig ->
  DeleteModel.

Per round it records, in seconds:

  create->InService  client clock: CreateEndpoint sent -> first DescribeEndpoint saying InService
                     (includes up to one poll interval)
  server             DescribeEndpoint's CreationTime -> LastModifiedTime at InService
  model+config+ep    client clock from CreateModel sent (the three calls plus the wait)
  first invoke       the InvokeEndpoint call right after InService (the successful one)
  second invoke      the same call again, right after
  refused invokes    InvokeEndpoint answers "not in service" right after DescribeEndpoint said
                     InService (the gateway's routing table lagging the status), retried every
                     10 ms; counted, and the lag to the first good answer recorded

and prints p50/p95/max as a Markdown table (--json FILE for the raw numbers). The image is
local and the artifact is in the server's S3 store: what is measured is scheduling, the agent's
download + unpack of the artifact, container start, the model server's start and its first
/ping, and the routing table reaching the gateway.

Usage, against a running server:
  python3 bench/endpoint_create.py --endpoint http://localhost:8080 --s3 http://localhost:9000 \\
      --gateway https://localhost:8443 --cert ~/.sagebrush/tls/gateway-cert.pem --rounds 10
or let it start one from a jar in a temporary SAGEBRUSH_HOME (docker runtime, free ports):
  python3 bench/endpoint_create.py --jar platform-api/target/sagebrush-server.jar --rounds 10
Credentials: --access-key/--secret-key, else $SAGEBRUSH_HOME/credentials (the temporary home's
with --jar).
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import boto3
from botocore.config import Config

XGBOOST_IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"
ROLE = "arn:aws:iam::000000000000:role/SageMakerRole"
BUCKET = "endpoint-bench"
INSTANCE_TYPE = "ml.t3.medium"


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def percentile(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, int(-(-p * len(ordered) // 100)))
    return ordered[rank - 1]


def read_properties(path):
    props = {}
    with open(path) as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                props[k.strip()] = v.strip()
    return props


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args):
    """java -jar <copy of the jar> with a temporary home; returns (process, urls, home)."""
    home = tempfile.mkdtemp(prefix="sagebrush-ep-bench-")
    jar = os.path.join(home, "sagebrush-server.jar")
    shutil.copy(args.jar, jar)  # a rebuild of the original mid-run changes nothing here
    api, s3, gw = free_port(), free_port(), free_port()
    env = dict(os.environ, SAGEBRUSH_HOME=home, SAGEBRUSH_RUNTIME="docker",
               SAGEBRUSH_API_PORT=str(api), SAGEBRUSH_S3_PORT=str(s3),
               SAGEBRUSH_GATEWAY_PORT=str(gw))
    out = open(os.path.join(home, "server.log"), "w")
    log(f"starting {args.jar} (copied to {jar}), home {home}, ports api {api} s3 {s3} "
        f"gateway {gw}")
    proc = subprocess.Popen(["java", *args.jvm_opts.split(), "-jar", jar], env=env, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}; see {home}/server.log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{api}/actuator/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        raise SystemExit(f"the server did not become healthy; see {home}/server.log")
    cert = os.path.join(home, "tls", "gateway-cert.pem")
    while not os.path.exists(cert) and time.time() < deadline:
        time.sleep(0.2)
    log(f"server healthy after {time.time() - (deadline - 180):.1f} s")
    return proc, (f"http://localhost:{api}", f"http://localhost:{s3}",
                  f"https://localhost:{gw}", cert), home


def regression_csv(rows=300, seed=11):
    rnd = random.Random(seed)
    lines = []
    for _ in range(rows):
        x1, x2 = rnd.uniform(-2, 2), rnd.uniform(-2, 2)
        lines.append(f"{2 * x1 - x2 + rnd.gauss(0, 0.05):.5f},{x1:.5f},{x2:.5f}")
    return "\n".join(lines) + "\n"


def train(sm, s3):
    name = f"ep-bench-train-{int(time.time())}"
    s3.put_object(Bucket=BUCKET, Key=f"{name}/train/data.csv", Body=regression_csv().encode())
    sm.create_training_job(
        TrainingJobName=name, RoleArn=ROLE,
        AlgorithmSpecification={"TrainingImage": XGBOOST_IMAGE, "TrainingInputMode": "File"},
        HyperParameters={"num_round": "10", "objective": "reg:squarederror", "max_depth": "4",
                         "eta": "0.5"},
        InputDataConfig=[{"ChannelName": "train", "ContentType": "text/csv", "DataSource": {
            "S3DataSource": {"S3DataType": "S3Prefix",
                             "S3Uri": f"s3://{BUCKET}/{name}/train"}}}],
        OutputDataConfig={"S3OutputPath": f"s3://{BUCKET}/{name}/output"},
        ResourceConfig={"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 1},
        StoppingCondition={"MaxRuntimeInSeconds": 600})
    log(f"training {name} with {XGBOOST_IMAGE}")
    deadline = time.time() + 600
    while time.time() < deadline:
        d = sm.describe_training_job(TrainingJobName=name)
        if d["TrainingJobStatus"] in ("Completed", "Failed", "Stopped"):
            break
        time.sleep(1)
    if d["TrainingJobStatus"] != "Completed":
        raise SystemExit(f"training {name}: {d['TrainingJobStatus']} {d.get('FailureReason')}")
    uri = d["ModelArtifacts"]["S3ModelArtifacts"]
    log(f"model artifact {uri}")
    return uri


def one_round(sm, runtime, model_data, name, poll):
    t_model = time.time()
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE,
                    PrimaryContainer={"Image": XGBOOST_IMAGE, "ModelDataUrl": model_data})
    sm.create_endpoint_config(EndpointConfigName=name, ProductionVariants=[{
        "VariantName": "AllTraffic", "ModelName": name, "InitialInstanceCount": 1,
        "InstanceType": INSTANCE_TYPE, "InitialVariantWeight": 1.0}])
    t_create = time.time()
    sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
    polls = 0
    while True:
        d = sm.describe_endpoint(EndpointName=name)
        polls += 1
        status = d["EndpointStatus"]
        if status == "InService":
            t_ready = time.time()
            break
        if status == "Failed" or time.time() - t_create > 300:
            raise SystemExit(f"{name}: {status} {d.get('FailureReason')}")
        time.sleep(poll)
    server = (d["LastModifiedTime"] - d["CreationTime"]).total_seconds()
    # SageMaker serves as soon as DescribeEndpoint says InService. Here the gateway follows the
    # routing table, which may lag the status: a "not in service" answer is counted and retried
    # every 10 ms (for up to 5 s), and the lag until the first good answer recorded.
    refused = 0
    while True:
        t_inv = time.time()
        try:
            resp = runtime.invoke_endpoint(EndpointName=name, ContentType="text/csv",
                                           Accept="text/csv", Body=b"1.0,0.5\n-1.0,1.0\n")
            break
        except runtime.exceptions.ValidationError as e:
            if "not in service" not in str(e) or time.time() - t_ready > 5:
                raise
            refused += 1
            if refused == 1:
                log(f"  {name}: InvokeEndpoint right after InService: {e}")
            time.sleep(0.01)
    body = resp["Body"].read().decode()
    invoke = time.time() - t_inv
    routable = time.time() - t_ready - invoke if refused else 0.0
    t_second = time.time()
    runtime.invoke_endpoint(EndpointName=name, ContentType="text/csv", Accept="text/csv",
                            Body=b"1.0,0.5\n-1.0,1.0\n")["Body"].read()
    second = time.time() - t_second
    numbers = [float(x) for x in re.findall(r"[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?", body)]
    if len(numbers) != 2 or abs(numbers[0] - 1.5) > 0.8 or abs(numbers[1] + 3.0) > 0.8:
        raise SystemExit(f"{name}: unexpected predictions {body!r}")
    t_del = time.time()
    sm.delete_endpoint(EndpointName=name)
    while True:
        try:
            sm.describe_endpoint(EndpointName=name)
        except sm.exceptions.ClientError as e:
            if "Could not find" in str(e) or "ValidationException" in str(e):
                break
            raise
        if time.time() - t_del > 120:
            raise SystemExit(f"{name}: not deleted after 120 s")
        time.sleep(poll)
    deleted = time.time() - t_del
    sm.delete_endpoint_config(EndpointConfigName=name)
    sm.delete_model(ModelName=name)
    return {"name": name, "create_to_inservice": t_ready - t_create, "server": server,
            "model_config_endpoint": t_ready - t_model, "first_invoke": invoke, "second_invoke": second,
            "delete": deleted, "polls": polls, "refused_invokes": refused,
            "inservice_to_routable": routable, "predictions": numbers,
            "loadavg": os.getloadavg()[0]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--endpoint", help="control plane URL, e.g. http://localhost:8080")
    ap.add_argument("--s3", help="S3 URL, e.g. http://localhost:9000")
    ap.add_argument("--gateway", help="gateway URL, e.g. https://localhost:8443")
    ap.add_argument("--cert", help="the gateway's certificate (PEM) for verify=")
    ap.add_argument("--jar", help="start this server jar in a temporary home instead")
    ap.add_argument("--jvm-opts", default="", help="JVM options for --jar")
    ap.add_argument("--keep-home", action="store_true", help="keep the temporary home (--jar)")
    ap.add_argument("--access-key")
    ap.add_argument("--secret-key")
    ap.add_argument("--model-data", help="s3:// URI of an XGBoost model.tar.gz (skip training)")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--poll", type=float, default=0.05, help="DescribeEndpoint interval (s)")
    ap.add_argument("--json", help="write the raw numbers here")
    args = ap.parse_args()

    proc = home = None
    if args.jar:
        proc, (args.endpoint, args.s3, args.gateway, args.cert), home = start_server(args)
    elif not (args.endpoint and args.s3 and args.gateway):
        ap.error("give --endpoint, --s3 and --gateway, or --jar")
    try:
        run(args, home)
    finally:
        if proc:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
            if not args.keep_home:
                shutil.rmtree(home, ignore_errors=True)


def run(args, home):
    if args.access_key and args.secret_key:
        ak, sk = args.access_key, args.secret_key
    else:
        home = home or os.environ.get("SAGEBRUSH_HOME", os.path.expanduser("~/.sagebrush"))
        props = read_properties(os.path.join(home, "credentials"))
        ak, sk = props["access_key"], props["secret_key"]
    common = dict(aws_access_key_id=ak, aws_secret_access_key=sk, region_name="us-east-1")
    cfg = Config(retries={"max_attempts": 1, "mode": "standard"})
    sm = boto3.client("sagemaker", endpoint_url=args.endpoint, config=cfg, **common)
    s3 = boto3.client("s3", endpoint_url=args.s3, config=Config(s3={"addressing_style": "path"}),
                      **common)
    runtime = boto3.client("sagemaker-runtime", endpoint_url=args.gateway, config=cfg,
                           verify=args.cert or True, **common)
    try:
        s3.create_bucket(Bucket=BUCKET)
    except s3.exceptions.ClientError as e:
        if "BucketAlreadyOwnedByYou" not in str(e) and "BucketAlreadyExists" not in str(e):
            raise
    model_data = args.model_data or train(sm, s3)

    stamp = int(time.time())
    warm = one_round(sm, runtime, model_data, f"ep-bench-{stamp}-warmup", args.poll)
    log(f"warm-up: create->InService {warm['create_to_inservice']:.3f} s (not counted)")
    rounds = []
    for i in range(args.rounds):
        r = one_round(sm, runtime, model_data, f"ep-bench-{stamp}-{i}", args.poll)
        rounds.append(r)
        log(f"round {i + 1}: create->InService {r['create_to_inservice']:.3f} s, server "
            f"{r['server']:.3f} s, first invoke {r['first_invoke'] * 1000:.0f} ms, delete "
            f"{r['delete']:.2f} s, refused invokes {r['refused_invokes']}, load "
            f"{r['loadavg']:.2f}")

    keys = [("create_to_inservice", "CreateEndpoint → InService (client, 50 ms polls)"),
            ("server", "CreationTime → LastModifiedTime at InService (server clock)"),
            ("model_config_endpoint", "CreateModel → InService (client)"),
            ("first_invoke", "first InvokeEndpoint after InService"),
            ("second_invoke", "second InvokeEndpoint"),
            ("delete", "DeleteEndpoint → gone")]
    print(f"\n{len(rounds)} rounds (after one warm-up round of "
          f"{warm['create_to_inservice']:.3f} s), seconds\n")
    print("| measure | p50 | p95 | max |")
    print("|---|---|---|---|")
    for key, label in keys:
        v = [r[key] for r in rounds]
        print(f"| {label} | {percentile(v, 50):.3f} | {percentile(v, 95):.3f} | {max(v):.3f} |")
    lagged = [r for r in rounds if r["refused_invokes"]]
    print(f"\nRounds whose first InvokeEndpoint after InService was refused as not in service: "
          f"{len(lagged)} of {len(rounds)}"
          + (f" (InService -> routable lag max {max(r['inservice_to_routable'] for r in lagged):.3f} s)"
             if lagged else ""))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"model_data": model_data, "warmup": warm, "rounds": rounds}, fh,
                      indent=1, default=str)


if __name__ == "__main__":
    main()
