#!/usr/bin/env python3
"""Training-job start latency and lifecycle overhead against a running Sagebrush server.

Creates N no-op training jobs one after another (the src-it test trainer with mode=noop: it prints
one line and exits 0; its image is local and warm) and measures, per job:

  start latency      CreationTime -> timestamp of the container's first log line (the
                     trainer prints one line as soon as it runs): create -> container running
  Training reported  CreationTime -> StartTime of the "Training" secondary status (the agent
                     reports Training right before it starts the container), server clock
  lifecycle overhead client: CreateTrainingJob sent -> DescribeTrainingJob first says Completed
                     (polled every --poll seconds, so this includes up to one poll interval)
  server lifecycle   CreationTime -> TrainingEndTime, server clock

and prints p50/p95/max in a Markdown table (and --json FILE for the raw numbers).

Usage:
  python3 bench/training_lifecycle.py --endpoint http://localhost:8080 --jobs 20
Credentials: --access-key/--secret-key, else AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, else
$SAGEBRUSH_HOME/credentials (default ~/.sagebrush/credentials).
"""
import argparse
import json
import os
import statistics
import sys
import time
import uuid

import boto3
from botocore.config import Config

TERMINAL = {"Completed", "Failed", "Stopped"}
LOG_GROUP = "/aws/sagemaker/TrainingJobs"


def credentials(args):
    if args.access_key and args.secret_key:
        return args.access_key, args.secret_key
    if os.environ.get("AWS_ACCESS_KEY_ID") and os.environ.get("AWS_SECRET_ACCESS_KEY"):
        return os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"]
    home = os.environ.get("SAGEBRUSH_HOME", os.path.expanduser("~/.sagebrush"))
    props = {}
    with open(os.path.join(home, "credentials")) as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                props[k.strip()] = v.strip()
    return props["access_key"], props["secret_key"]


def percentile(values, p):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, int(-(-p * len(ordered) // 100)))
    return ordered[rank - 1]


def first_log_line_ms(logs, name):
    """Timestamp (epoch ms) of the first log event of the job's algo-1 stream, or None."""
    streams = logs.describe_log_streams(logGroupName=LOG_GROUP, logStreamNamePrefix=name + "/")["logStreams"]
    if not streams:
        return None
    events = logs.get_log_events(logGroupName=LOG_GROUP, logStreamName=streams[0]["logStreamName"],
                                 startFromHead=True, limit=1)["events"]
    return events[0]["timestamp"] if events else None


def run_job(sm, logs, args, name):
    sent = time.time()
    sm.create_training_job(
        TrainingJobName=name,
        RoleArn="arn:aws:iam::000000000000:role/SageMakerRole",
        AlgorithmSpecification={"TrainingImage": args.image, "TrainingInputMode": "File"},
        HyperParameters={"mode": "noop"},
        OutputDataConfig={"S3OutputPath": f"s3://{args.bucket}/bench"},
        ResourceConfig={"InstanceType": args.instance_type, "InstanceCount": 1, "VolumeSizeInGB": 1},
        StoppingCondition={"MaxRuntimeInSeconds": 600},
    )
    deadline = sent + args.timeout
    while True:
        d = sm.describe_training_job(TrainingJobName=name)
        if d["TrainingJobStatus"] in TERMINAL:
            observed_end = time.time()
            break
        if time.time() > deadline:
            raise RuntimeError(f"{name} did not end within {args.timeout} s: {d['SecondaryStatus']}")
        time.sleep(args.poll)
    if d["TrainingJobStatus"] != "Completed":
        raise RuntimeError(f"{name} ended {d['TrainingJobStatus']}: {d.get('FailureReason')}")
    created = d["CreationTime"].timestamp()
    training = [t for t in d.get("SecondaryStatusTransitions", []) if t["Status"] == "Training"]
    first_line = None
    for _ in range(20):  # log batches may land a moment after the status
        first_line = first_log_line_ms(logs, name)
        if first_line is not None:
            break
        time.sleep(0.1)
    return {
        "name": name,
        "start_latency_s": first_line / 1000.0 - created if first_line is not None else None,
        "training_reported_s": training[0]["StartTime"].timestamp() - created if training else None,
        "lifecycle_client_s": observed_end - sent,
        "lifecycle_server_s": d["TrainingEndTime"].timestamp() - created if d.get("TrainingEndTime") else None,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", default="http://localhost:8080")
    parser.add_argument("--s3-endpoint", default=None, help="default: --endpoint host, port 9000")
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2, help="jobs run first and not counted")
    parser.add_argument("--image", default="sagebrush-test/trainer:1")
    parser.add_argument("--instance-type", default="ml.m5.large")
    parser.add_argument("--bucket", default="bench")
    parser.add_argument("--poll", type=float, default=0.05, help="DescribeTrainingJob interval, seconds")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--access-key")
    parser.add_argument("--secret-key")
    parser.add_argument("--json", help="write the raw measurements here")
    args = parser.parse_args()

    key, secret = credentials(args)
    session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1")
    config = Config(retries={"max_attempts": 1}, connect_timeout=5, read_timeout=30)
    sm = session.client("sagemaker", endpoint_url=args.endpoint, config=config)
    logs = session.client("logs", endpoint_url=args.endpoint, config=config)
    s3_endpoint = args.s3_endpoint or args.endpoint.rsplit(":", 1)[0] + ":9000"
    s3 = session.client("s3", endpoint_url=s3_endpoint,
                        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}))
    try:
        s3.create_bucket(Bucket=args.bucket)
    except s3.exceptions.BucketAlreadyOwnedByYou:
        pass
    except Exception as e:  # an existing bucket owned by us under another error name
        if "BucketAlreadyExists" not in str(e):
            raise

    run_id = uuid.uuid4().hex[:6]
    for i in range(args.warmup):
        run_job(sm, logs, args, f"bench-{run_id}-warm-{i}")
    results = []
    for i in range(args.jobs):
        r = run_job(sm, logs, args, f"bench-{run_id}-{i:03d}")
        results.append(r)
        print(f"{r['name']}: start {r['start_latency_s']:.3f} s, lifecycle {r['lifecycle_client_s']:.3f} s",
              file=sys.stderr)

    rows = [
        ("start latency (create -> container's first log line)", "start_latency_s"),
        ("create -> Training reported (containers started)", "training_reported_s"),
        ("lifecycle (create sent -> Completed seen), client", "lifecycle_client_s"),
        ("lifecycle (CreationTime -> TrainingEndTime), server", "lifecycle_server_s"),
    ]
    print(f"\n{args.jobs} no-op jobs, sequential, image {args.image}, poll {args.poll} s\n")
    print("| measure | p50 (s) | p95 (s) | max (s) | mean (s) |")
    print("|---|---|---|---|---|")
    for label, field in rows:
        values = [r[field] for r in results if r[field] is not None]
        if not values:
            print(f"| {label} | n/a | n/a | n/a | n/a |")
            continue
        print(f"| {label} | {percentile(values, 50):.3f} | {percentile(values, 95):.3f} | "
              f"{max(values):.3f} | {statistics.mean(values):.3f} |")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=2)


if __name__ == "__main__":
    main()
