"""Script-mode training for GpuCheck.java: linear regression with PyTorch on the GPUs it is given.

Exit codes: 0 trained on a GPU; 10 no GPU visible (what a host given no GPU must see); 11 the
number of visible GPUs differs from SM_NUM_GPUS; 12 training did not converge.
"""
import argparse
import json
import os
import sys
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("--epochs", type=int, default=100)
a = p.parse_args()
visible = os.environ.get("CUDA_VISIBLE_DEVICES")
declared = int(os.environ["SM_NUM_GPUS"])
count = torch.cuda.device_count()
print(f"CUDA_VISIBLE_DEVICES={visible!r} SM_NUM_GPUS={declared} torch sees {count} GPU(s)",
      flush=True)
print("SM_RESOURCE_CONFIG", json.loads(os.environ["SM_RESOURCE_CONFIG"]), flush=True)
if count != declared:
    sys.exit(11)
if count == 0:
    sys.exit(10)
dev = torch.device("cuda:0")
print("device", torch.cuda.get_device_name(dev), flush=True)
g = torch.Generator(device=dev).manual_seed(7)
x = torch.randn(200_000, 256, device=dev, generator=g)
w_true = torch.randn(256, 1, device=dev, generator=g)
y = x @ w_true + 0.01 * torch.randn(200_000, 1, device=dev, generator=g)
w = torch.zeros(256, 1, device=dev, requires_grad=True)
opt = torch.optim.Adam([w], lr=0.05)
t0 = time.time()
for epoch in range(a.epochs):
    opt.zero_grad()
    loss = torch.mean((x @ w - y) ** 2)
    loss.backward()
    opt.step()
torch.cuda.synchronize()
print(f"{a.epochs} epochs in {time.time() - t0:.3f} s, final mse {loss.item():.6f}", flush=True)
torch.save({"w": w.detach().cpu()}, os.path.join(os.environ["SM_MODEL_DIR"], "model.pt"))
sys.exit(0 if loss.item() < 0.05 else 12)
