#!/usr/bin/python3
"""Quality and speed of Sagebrush's built-in algorithms against the reference implementations.

Runs with Debian's /usr/bin/python3 (apt-get install python3-sklearn python3-xgboost) and the
shaded jar algorithms/target/sagebrush-algorithms.jar (./mvnw -pl algorithms package).

For every case it writes an /opt/ml tree (hyperparameters.json, inputdataconfig.json, CSV
channels) under a scratch directory, runs `java -jar sagebrush-algorithms.jar train --algorithm X
--base-dir DIR`, reads the model the jar wrote and scores it on the same held-out split as the
reference (scikit-learn or Python xgboost, same hyperparameters). Timings:

  * java s: wall time of the whole `java -jar ... train` process (JVM start, CSV parsing,
    training, writing the model);
  * java train s: the same minus the time the jar reports for reading data (its
    `#progress: read` line), i.e. fitting only, as far as the log tells it apart;
  * ref s: the reference's fit() on in-memory numpy arrays (no CSV parsing); for XGBoost
    DMatrix construction plus xgb.train with the train set as watch list (SageMaker's
    container prints train metrics every round, and so does Sagebrush).

Usage: /usr/bin/python3 bench/algorithms_quality.py [--quick] [--rows N] [--jar PATH]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import xgboost as xgb
from sklearn import datasets
from sklearn.cluster import KMeans
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
THREADS = os.cpu_count() or 1


def write_job(base, hps, channels):
    """channels: name -> (content_type, features, labels or None)."""
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(os.path.join(base, "input", "config"))
    with open(os.path.join(base, "input", "config", "hyperparameters.json"), "w") as f:
        json.dump({k: str(v) for k, v in hps.items()}, f)
    cfg = {}
    for name, (ctype, x, y) in channels.items():
        d = os.path.join(base, "input", "data", name)
        os.makedirs(d)
        arr = x if y is None else np.column_stack([y, x])
        np.savetxt(os.path.join(d, "data.csv"), arr, delimiter=",", fmt="%.7g")
        cfg[name] = {"ContentType": ctype, "TrainingInputMode": "File"}
    with open(os.path.join(base, "input", "config", "inputdataconfig.json"), "w") as f:
        json.dump(cfg, f)


def run_jar(jar, algorithm, base):
    start = time.perf_counter()
    proc = subprocess.run(
        ["java", "-jar", jar, "train", "--algorithm", algorithm, "--base-dir", base],
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit("%s failed (%d): %s%s" % (algorithm, proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:]))
    return wall, proc.stdout


def fit_seconds(log, wall):
    """Training time as the jar reports it ('Training finished in X s'), minus reading."""
    m = re.search(r"Training finished in ([0-9.]+) s", log)
    total = float(m.group(1)) if m else wall
    r = re.search(r"#progress: read \d+ records of \d+ features in ([0-9.]+) s", log)
    return total - (float(r.group(1)) if r else 0.0)


def metric(log, channel, name):
    m = re.search(r"#quality_metric: host=\S+, %s %s <\w+>=(\S+)" % (channel, name), log)
    return float(m.group(1)) if m else float("nan")


def load_json_model(base):
    with open(os.path.join(base, "model", "model_algo-1")) as f:
        return json.load(f)


def inertia(x, centroids):
    d = ((x[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
    return float(d.min(axis=1).sum())


def inertia_chunked(x, centroids, chunk=100000):
    return sum(inertia(x[i : i + chunk], centroids) for i in range(0, len(x), chunk))


def rows_table(rows):
    head = ["case", "metric", "sagebrush", "reference", "diff %", "java s", "java train s", "ref s"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        out.append(
            "| %s | %s | %.4f | %.4f | %+.2f | %.2f | %.2f | %.2f |"
            % (r["case"], r["metric"], r["ours"], r["ref"], 100 * (r["ours"] - r["ref"]) / abs(r["ref"]),
               r["java"], r["java_fit"], r["ref_s"])
        )
    return "\n".join(out)


def kmeans_case(jar, scratch, name, x, k, rows, n_inits=(10,)):
    base = os.path.join(scratch, "kmeans-" + name)
    write_job(base, {"k": k, "feature_dim": x.shape[1], "init_method": "kmeans++",
                     "mini_batch_size": 5000},
              {"train": ("text/csv;label_size=0", x, None)})
    wall, log = run_jar(jar, "kmeans", base)
    ours = inertia_chunked(x, np.array(load_json_model(base)["centroids"]))
    for n_init in n_inits:
        start = time.perf_counter()
        ref = KMeans(n_clusters=k, init="k-means++", n_init=n_init, random_state=0).fit(x)
        ref_s = time.perf_counter() - start
        rows.append(dict(case="K-Means %s k=%d (%dx%d)" % (name, k, x.shape[0], x.shape[1]),
                         metric="inertia (vs sklearn k-means++, n_init=%d)" % n_init, ours=ours,
                         ref=float(ref.inertia_), java=wall, java_fit=fit_seconds(log, wall), ref_s=ref_s))


def linear_case(jar, scratch, name, x, y, predictor, rows, hps=None):
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25, random_state=0)
    base = os.path.join(scratch, "linear-" + name)
    params = {"predictor_type": predictor, "feature_dim": x.shape[1]}
    if predictor == "multiclass_classifier":
        params["num_classes"] = int(y.max()) + 1
    params.update(hps or {})
    write_job(base, params, {"train": ("text/csv", xtr, ytr), "test": ("text/csv", xte, yte)})
    wall, log = run_jar(jar, "linear-learner", base)
    scaler = StandardScaler().fit(xtr)
    start = time.perf_counter()
    if predictor == "regressor":
        ref_model = LinearRegression().fit(scaler.transform(xtr), ytr)
        ref_s = time.perf_counter() - start
        pred = ref_model.predict(scaler.transform(xte))
        ref = float(np.sqrt(((pred - yte) ** 2).mean()))
        ours, label = metric(log, "test", "rmse"), "test RMSE (vs LinearRegression)"
    else:
        ref_model = LogisticRegression(max_iter=1000).fit(scaler.transform(xtr), ytr)
        ref_s = time.perf_counter() - start
        ref = float((ref_model.predict(scaler.transform(xte)) == yte).mean())
        key = "binary_classification_accuracy" if predictor == "binary_classifier" else "multiclass_accuracy"
        ours, label = metric(log, "test", key), "test accuracy (vs LogisticRegression)"
    rows.append(dict(case="Linear Learner %s (%dx%d)" % (name, x.shape[0], x.shape[1]), metric=label,
                     ours=ours, ref=ref, java=wall, java_fit=fit_seconds(log, wall), ref_s=ref_s))


def xgboost_case(jar, scratch, name, x, y, params, rounds, rows):
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25, random_state=0)
    base = os.path.join(scratch, "xgboost-" + name)
    params = dict(params, tree_method="hist")  # XGBoost 1.7's "auto" would pick exact on small data
    hps = dict(params, num_round=rounds, nthread=THREADS)
    write_job(base, hps, {"train": ("text/csv", xtr, ytr)})
    wall, log = run_jar(jar, "xgboost", base)
    ours_booster = xgb.Booster()
    ours_booster.load_model(os.path.join(base, "model", "xgboost-model"))
    ref_params = dict(params, nthread=THREADS, base_score=0.5)
    # as SageMaker's container does it: DMatrix from the parsed data, train metrics every round
    start = time.perf_counter()
    dtrain = xgb.DMatrix(xtr, label=ytr, nthread=THREADS)
    ref_booster = xgb.train(ref_params, dtrain, num_boost_round=rounds, evals=[(dtrain, "train")],
                            verbose_eval=False)
    ref_s = time.perf_counter() - start
    dtest = xgb.DMatrix(xte)
    p_ours, p_ref = ours_booster.predict(dtest), ref_booster.predict(dtest)
    if params["objective"].startswith("binary"):
        ours, ref, label = float(((p_ours > 0.5) == yte).mean()), float(((p_ref > 0.5) == yte).mean()), "test accuracy"
    elif params["objective"].startswith("multi"):
        ours, ref, label = float((p_ours == yte).mean()), float((p_ref == yte).mean()), "test accuracy"
    else:
        ours = float(np.sqrt(((p_ours - yte) ** 2).mean()))
        ref = float(np.sqrt(((p_ref - yte) ** 2).mean()))
        label = "test RMSE"
    rows.append(dict(case="XGBoost %s (%dx%d, %d rounds)" % (name, x.shape[0], x.shape[1], rounds),
                     metric=label + " (vs xgboost %s)" % xgb.__version__, ours=ours, ref=ref, java=wall,
                     java_fit=fit_seconds(log, wall), ref_s=ref_s))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jar", default=os.path.join(ROOT, "algorithms", "target", "sagebrush-algorithms.jar"))
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the large synthetic sets")
    ap.add_argument("--quick", action="store_true", help="small data sets only")
    args = ap.parse_args()
    if not os.path.isfile(args.jar):
        sys.exit("no %s: run ./mvnw -pl algorithms package first" % args.jar)
    scratch = tempfile.mkdtemp(prefix="sagebrush-bench-")
    rows = []
    try:
        iris = datasets.load_iris()
        wine = datasets.load_wine()
        cancer = datasets.load_breast_cancer()
        diabetes = datasets.load_diabetes()
        digits = datasets.load_digits()

        kmeans_case(args.jar, scratch, "iris", iris.data, 3, rows)
        kmeans_case(args.jar, scratch, "wine (standardised)", StandardScaler().fit_transform(wine.data), 3, rows)
        kmeans_case(args.jar, scratch, "digits", digits.data, 10, rows, n_inits=(10, 1))

        small = {"mini_batch_size": 32, "epochs": 50}
        linear_case(args.jar, scratch, "diabetes", diabetes.data, diabetes.target, "regressor", rows, small)
        linear_case(args.jar, scratch, "breast_cancer", cancer.data, cancer.target, "binary_classifier", rows, small)
        linear_case(args.jar, scratch, "wine", wine.data, wine.target, "multiclass_classifier", rows, small)

        xgboost_case(args.jar, scratch, "breast_cancer", cancer.data, cancer.target,
                     {"objective": "binary:logistic", "max_depth": 4, "eta": 0.3}, 50, rows)
        xgboost_case(args.jar, scratch, "diabetes", diabetes.data, diabetes.target,
                     {"objective": "reg:squarederror", "max_depth": 3, "eta": 0.1}, 100, rows)
        xgboost_case(args.jar, scratch, "wine", wine.data, wine.target,
                     {"objective": "multi:softmax", "num_class": 3, "max_depth": 3}, 30, rows)

        if not args.quick:
            rng = np.random.default_rng(0)
            n = args.rows
            centres = rng.normal(scale=5, size=(10, 20))
            blobs = (centres[rng.integers(0, 10, n)] + rng.normal(size=(n, 20))).astype(np.float32)
            kmeans_case(args.jar, scratch, "synthetic blobs", blobs, 10, rows, n_inits=(10, 1))
            xs = rng.normal(size=(n, 20)).astype(np.float32)
            coef = rng.normal(size=20)
            yreg = xs @ coef + 3 + rng.normal(scale=0.5, size=n)
            linear_case(args.jar, scratch, "synthetic regression", xs, yreg, "regressor", rows)
            ybin = (xs @ coef + rng.logistic(size=n) > 0).astype(np.float32)
            linear_case(args.jar, scratch, "synthetic binary", xs, ybin, "binary_classifier", rows)
            m = min(n, 200_000)
            xgboost_case(args.jar, scratch, "synthetic regression", xs[:m], yreg[:m],
                         {"objective": "reg:squarederror", "max_depth": 6, "tree_method": "hist"}, 100, rows)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("threads: %d, java: %s" % (THREADS, subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]))
    print(rows_table(rows))


if __name__ == "__main__":
    main()
