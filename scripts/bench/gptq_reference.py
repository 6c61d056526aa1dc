"""The peer of `lowbit bench gptq`: the authors' reference GPTQ on PyTorch CPU, one thread.

    python3 scripts/bench/gptq_reference.py REFDIR [W.npy X.npy [BITS GROUPSIZE ACTORDER]]

REFDIR holds gptq.py and quant.py of IST-DASLab/gptq (commit 2d65066, the one
../shared/reference/gptq was made with), copied there from that repository; they are not part
of LowBit. Without W/X the layer is 4096 x 4096 with W ~ 0.02 N(0,1) and 2,048 calibration rows
X ~ N(0,1) (numpy default_rng(11)); given W (out x in) and X (rows x in) as float32 .npy, those
(`lowbit bench gptq --reference REFDIR` writes its own layer and runs this script on it).
Settings as the issue's benchmark unless given: 4-bit, asymmetric, per-channel quantizer,
groupsize 128 (-1: none), act-order (1/0), blocksize 128, percdamp 0.01; X is handed to
add_batch as one [1, rows, in] batch, as opt.py's forward hook does for one calibration
sequence.

Prints one JSON object: seconds (wall clock, add_batch + fasterquant), hessian_seconds,
quantize_seconds, cholesky_chain_seconds (fasterquant's three calls cholesky, cholesky_inverse,
cholesky(upper=True) timed once more on their own, on the same damped, permuted H; not part
of `seconds`), cpu_seconds (this process's CPU time for the same span: the fairer number on a
shared machine), the sizes, threads and torch version. Two stand-ins, neither timed work:
`transformers` (which gptq.py imports only for an isinstance test against Conv1D) is a stub
module, and torch.cuda.synchronize, which fasterquant calls unconditionally, is a no-op on CPU.
The reference files' sha256 (gptq.py bb47468c…, quant.py 21152856…) match case.json's.
"""
import json
import os
import sys
import time
import types

import numpy as np
import torch

torch.set_num_threads(1)
stub = types.ModuleType("transformers")
stub.Conv1D = type("Conv1D", (), {})
sys.modules["transformers"] = stub
torch.cuda.synchronize = lambda *args, **kwargs: None
sys.path.insert(0, sys.argv[1])
stdout = sys.stdout
sys.stdout = open(os.devnull, "w")  # quant.py prints 'CUDA extension not installed.'
import gptq  # noqa: E402  (IST-DASLab/gptq gptq.py)
import quant  # noqa: E402  (IST-DASLab/gptq quant.py)
sys.stdout = stdout

if len(sys.argv) >= 4:
    W = np.load(sys.argv[2]).astype(np.float32)
    X = np.load(sys.argv[3]).astype(np.float32)
else:
    rng = np.random.default_rng(11)
    W = (0.02 * rng.standard_normal((4096, 4096))).astype(np.float32)
    X = rng.standard_normal((2048, 4096)).astype(np.float32)
out_features, in_features = W.shape
bits, group_size, act_order = 4, 128, True
if len(sys.argv) >= 7:
    bits, group_size, act_order = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6] == "1"

layer = torch.nn.Linear(in_features, out_features, bias=False)
layer.weight.data = torch.from_numpy(W).clone()
g = gptq.GPTQ(layer)
g.quantizer = quant.Quantizer()
g.quantizer.configure(bits, perchannel=True, sym=False, mse=False)

start, cpu_start = time.perf_counter(), time.process_time()
g.add_batch(torch.from_numpy(X).unsqueeze(0), None)
hessian = time.perf_counter() - start
H = g.H.clone()  # for the chain timed on its own below, prepared as fasterquant prepares it
sys.stdout = open(os.devnull, "w")  # fasterquant prints 'time' and 'error' lines
start = time.perf_counter()
g.fasterquant(
    blocksize=128, percdamp=0.01, groupsize=group_size, actorder=act_order, static_groups=False)
quantize_seconds = time.perf_counter() - start
cpu_seconds = time.process_time() - cpu_start
sys.stdout = stdout

dead = torch.diag(H) == 0
H[dead, dead] = 1
if act_order:
    perm = torch.argsort(torch.diag(H), descending=True)
    H = H[perm][:, perm]
H[range(in_features), range(in_features)] += 0.01 * torch.mean(torch.diag(H))
start = time.perf_counter()
U = torch.linalg.cholesky(torch.cholesky_inverse(torch.linalg.cholesky(H)), upper=True)
chain_seconds = time.perf_counter() - start

print(json.dumps({
    "seconds": hessian + quantize_seconds, "hessian_seconds": hessian,
    "quantize_seconds": quantize_seconds, "cholesky_chain_seconds": chain_seconds,
    "cpu_seconds": cpu_seconds, "out_features": out_features, "in_features": in_features,
    "calibration_rows": X.shape[0], "bits": bits, "group_size": group_size,
    "act_order": act_order, "threads": torch.get_num_threads(), "torch": torch.__version__,
    "blas": torch.__config__.show().split("BLAS_INFO=")[-1].split(",")[0],
}))
