#!/bin/bash
# On a device machine (repository root as the working directory, .devcarry/b.tar.xz carried):
#   1. the machine: CPUs, GPU (nvidia-smi)
#   2. GpuCheck.java: GPU discovery and a PyTorch script-mode job through the agent's process
#      runtime, with GPU 0 and with no GPU
#   3. bench/gateway_overhead.py with wrk and the replica on 8 CPUs and the proxy under test
#      (nginx or the gateway, 2 workers / event loops) on 4 others
# Results go to $OUT (gpu.log, gw.log, gw.json). SKIP_GPU=1 skips step 2, SKIP_BENCH=1 step 3;
# ROUNDS, DURATION and BENCH_ARGS (e.g. --no-light) shape step 3. When the archive has
# classes/before (build_bundle.sh with BEFORE_CLASSES), that build of the gateway runs beside the
# current one as path gateway-before.
set -u
D=/tmp/d
mkdir -p $D && tar -xJf .devcarry/b.tar.xz -C $D || exit 1
mkdir -p inference-gateway/target && rm -rf inference-gateway/target/classes &&
  cp -r $D/classes/gateway inference-gateway/target/classes
export PATH=$D/bin:$D/jre/bin:$PATH
echo "== machine"; nproc; lscpu | grep -E 'Model name|Thread|Core|Socket|NUMA' ; uname -r
echo "== nvidia-smi"; nvidia-smi -L; nvidia-smi --query-gpu=index,uuid,name,memory.total --format=csv,noheader,nounits
if [ -z "${SKIP_GPU:-}" ]; then
echo "== GpuCheck"
java -cp $D/classes/agent:$D/classes/agent-test:$D/classes/common:$D/sagebrush-gateway.jar \
  bench/device/GpuCheck.java bench/device /tmp/gpucheck python3 2>&1 | tee $OUT/gpu.log
fi
if [ "${SKIP_BENCH:-}" ]; then exit 0; fi
mkdir -p /var/log/nginx /var/lib/nginx
PIN=$(python3 - <<'PY'
import subprocess
rows = [l.split(",") for l in subprocess.run(["lscpu", "-p=CPU,CORE"], capture_output=True,
        text=True).stdout.splitlines() if l and l[0] != "#"]
cores = {}
for cpu, core in rows:
    cores.setdefault(int(core), []).append(int(cpu))
client, proxy = [], []
for c in sorted(cores):
    if len(client) < 8:
        client += cores[c]
for c in sorted(cores, reverse=True):
    if len(proxy) < 4 and not set(cores[c]) & set(client):
        proxy += cores[c]
print(",".join(map(str, sorted(client))) + ":" + ",".join(map(str, sorted(proxy))))
PY
)
echo "== gateway_overhead.py, --pin client:proxy = $PIN"
echo $D/sagebrush-gateway.jar >/tmp/gw.cp
VARIANT=()
if [ -d $D/classes/before ]; then VARIANT=(--variant before=$D/classes/before); fi
PYTHONUNBUFFERED=1 python3 bench/gateway_overhead.py --classpath-file /tmp/gw.cp --pin "$PIN" \
  --workers 2 --rounds "${ROUNDS:-4}" --duration "${DURATION:-5}" --warmup 5 \
  "${VARIANT[@]}" ${BENCH_ARGS:-} --json $OUT/gw.json 2>&1 | tee $OUT/gw.log
