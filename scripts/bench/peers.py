"""The peers LowBit's benchmarks are compared with, timed on the same data sizes.

Run by scripts/bench/compare.py (never by tests). Prints one JSON object of rates.
  peers.py formats N      numpy float16 / ml_dtypes bfloat16, float8 casts; GB/s of float32 input
  peers.py int8 M K N     numpy float32 matmul, one thread; GOP/s
  peers.py nf4 N BS       bitsandbytes' CPU quantize_4bit / dequantize_4bit (nf4), one thread; GB/s
  peers.py train JSON     PyTorch (CPU, one thread) training of the same TinyGPT shape; tokens/s
"""
import json
import sys
import time

import numpy as np


def best(fn, repeats=3):
    t = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - start)
    return t


def formats(n):
    import ml_dtypes

    rng = np.random.default_rng(1)
    x = rng.standard_normal(n, dtype=np.float32)
    x[::7] *= 3000
    gb = x.nbytes / 1e9
    out = {}
    dst = np.empty_like(x)
    out["memcpy_gbs"] = gb / best(lambda: np.copyto(dst, x))
    for name, dtype in [("fp16", np.float16), ("bf16", ml_dtypes.bfloat16),
                        ("fp8-e4m3", ml_dtypes.float8_e4m3fn), ("fp8-e5m2", ml_dtypes.float8_e5m2),
                        ("fp4-e2m1", ml_dtypes.float4_e2m1fn)]:
        y = np.empty(n, dtype=dtype)
        back = np.empty(n, dtype=np.float32)
        out[f"{name}_encode_gbs"] = gb / best(lambda: np.copyto(y, x, casting="unsafe"))
        out[f"{name}_decode_gbs"] = gb / best(lambda: np.copyto(back, y, casting="unsafe"))
    return out


def int8(m, k, n):
    from threadpoolctl import threadpool_info, threadpool_limits

    rng = np.random.default_rng(1)
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    with threadpool_limits(limits=1):
        seconds = best(lambda: a @ b)
    blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}" for i in threadpool_info()]
    return {"numpy_float32_gops": 2 * m * k * n / seconds / 1e9, "blas": "; ".join(blas)}


def nf4(n, block_size):
    import bitsandbytes
    import bitsandbytes.functional as F
    import torch

    torch.set_num_threads(1)
    rng = np.random.default_rng(1)
    x = torch.from_numpy(rng.standard_normal(n, dtype=np.float32) * np.float32(0.02))
    gb = x.numel() * 4 / 1e9
    state = {}

    def quantize():
        state["q"], state["s"] = F.quantize_4bit(x, blocksize=block_size, quant_type="nf4")

    quantize_s = best(quantize)
    dequantize_s = best(lambda: F.dequantize_4bit(state["q"], state["s"]))
    return {"bnb_nf4_quantize_gbs": gb / quantize_s, "bnb_nf4_dequantize_gbs": gb / dequantize_s,
            "bnb_version": bitsandbytes.__version__, "torch_version": torch.__version__}


def train(shape, steps=30):
    """The same model as LowBit's TinyGPT: pre-LayerNorm blocks of causal self-attention and a
    GELU (tanh) MLP of width 4C, learned positions, untied head without bias, AdamW."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    torch.set_num_threads(1)
    torch.manual_seed(6)
    C, H, T, V, L, B = (shape[k] for k in ("channels", "heads", "context", "vocabulary", "layers", "batch_size"))

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1, self.ln2 = nn.LayerNorm(C), nn.LayerNorm(C)
            self.qkv, self.out = nn.Linear(C, 3 * C), nn.Linear(C, C)
            self.fc, self.proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

        def forward(self, x):
            b, t, c = x.shape
            q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
            q, k, v = (z.view(b, t, H, c // H).transpose(1, 2) for z in (q, k, v))
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, c)
            x = x + self.out(y)
            return x + self.proj(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
            self.blocks = nn.ModuleList(Block() for _ in range(L))
            self.ln, self.head = nn.LayerNorm(C), nn.Linear(C, V, bias=False)

        def forward(self, idx):
            x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
            for block in self.blocks:
                x = block(x)
            return self.head(self.ln(x))

    model = GPT()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.0)
    data = torch.randint(0, V, (B, T + 1))

    def step():
        logits = model(data[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, V), data[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    for _ in range(3):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    return {"torch_tokens_per_second": steps * B * T / seconds, "torch_parameters": sum(p.numel() for p in model.parameters()),
            "torch_version": torch.__version__}


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "formats":
        result = formats(int(sys.argv[2]))
    elif mode == "int8":
        result = int8(*map(int, sys.argv[2:5]))
    elif mode == "nf4":
        result = nf4(int(sys.argv[2]), int(sys.argv[3]))
    elif mode == "train":
        result = train(json.loads(sys.argv[2]))
    else:
        sys.exit(f"error: unknown mode {mode}")
    print(json.dumps(result))
