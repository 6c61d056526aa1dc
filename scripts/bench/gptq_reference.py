"""The peer of `lowbit bench gptq`: the authors' reference GPTQ on PyTorch CPU, one thread.

    python3 scripts/bench/gptq_reference.py REFDIR [W.npy X.npy]

REFDIR holds gptq.py and quant.py of IST-DASLab/gptq (commit 2d65066, the one
../shared/reference/gptq was made with), copied there from that repository; they are not part
of LowBit. Without W/X the layer is 4096 x 4096 with W ~ 0.02 N(0,1) and 2,048 calibration rows
X ~ N(0,1) (numpy default_rng(11)); given W (out x in) and X (rows x in) as float32 .npy, those.
Settings as the issue's benchmark: 4-bit, asymmetric, per-channel quantizer, groupsize 128,
act-order, blocksize 128, percdamp 0.01; X is handed to add_batch as one [1, rows, in] batch,
as opt.py's forward hook does for one calibration sequence.

Prints one JSON object: seconds (wall clock, add_batch + fasterquant), hessian_seconds,
quantize_seconds, cpu_seconds (this process's CPU time for the same span: the fairer number on a
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

layer = torch.nn.Linear(in_features, out_features, bias=False)
layer.weight.data = torch.from_numpy(W).clone()
g = gptq.GPTQ(layer)
g.quantizer = quant.Quantizer()
g.quantizer.configure(4, perchannel=True, sym=False, mse=False)

start, cpu_start = time.perf_counter(), time.process_time()
g.add_batch(torch.from_numpy(X).unsqueeze(0), None)
hessian = time.perf_counter() - start
sys.stdout = open(os.devnull, "w")  # fasterquant prints 'time' and 'error' lines
start = time.perf_counter()
g.fasterquant(blocksize=128, percdamp=0.01, groupsize=128, actorder=True, static_groups=False)
quantize_seconds = time.perf_counter() - start
cpu_seconds = time.process_time() - cpu_start
sys.stdout = stdout

print(json.dumps({
    "seconds": hessian + quantize_seconds, "hessian_seconds": hessian,
    "quantize_seconds": quantize_seconds, "cpu_seconds": cpu_seconds,
    "out_features": out_features, "in_features": in_features, "calibration_rows": X.shape[0],
    "bits": 4, "group_size": 128, "act_order": True, "threads": torch.get_num_threads(),
    "torch": torch.__version__,
}))
