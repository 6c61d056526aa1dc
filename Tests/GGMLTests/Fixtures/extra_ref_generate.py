"""Extra llama.cpp reference cases for LowBit's GGML tests (issue #12), produced like
../shared/reference/ggml_quants: llama.cpp's own C quantizers (llama-cpp-python 0.3.36's
libggml-base, portable C paths) through ctypes, ggml_quantize_chunk + type_traits.to_float.

Cases (written to extra_ref/ beside this script; run with a Python that has numpy and
llama-cpp-python 0.3.36): every type on an edge-case Laplace input [8, 768]
(`<TYPE>_8x768_edges`: row 0 zeros, row 1 constant 0.75, row 2 one value -2500, row 3
constant -1.25, row 4 Laplace x1e-8, rows 5-7 plain), and every k-quant with an importance
matrix on normal [16, 512] (`<TYPE>_16x512_imatrix`).
"""
import json, os, sys, zlib
import numpy as np
import llama_cpp

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "../../../scripts/bench"))
from ggml_ctypes import GGML_TYPES, load_ggml, quantize, to_float

lib = load_ggml()
TYPES = GGML_TYPES

def run(name, t, x, imatrix, folder):
    tr = lib.ggml_get_type_traits(t).contents
    rows, n = x.shape
    row_bytes = n // tr.blck_size * tr.type_size
    x = np.ascontiguousarray(x, np.float32)
    im = None if imatrix is None else np.ascontiguousarray(imatrix, np.float32)
    dst = quantize(lib, name, x, im)
    y = to_float(lib, name, dst, rows * n).reshape(rows, n)
    os.makedirs(folder, exist_ok=True)
    np.save(f"{folder}/input.npy", x)
    np.save(f"{folder}/quantized.npy", dst)
    np.save(f"{folder}/dequantized.npy", y)
    if im is not None: np.save(f"{folder}/imatrix.npy", im)
    json.dump({"type": name, "ggml_type": t, "block_size": tr.blck_size,
               "type_size": tr.type_size, "row_bytes": row_bytes, "imatrix": im is not None,
               "library": "llama.cpp via llama-cpp-python " + llama_cpp.__version__,
               "call": "ggml_quantize_chunk + type_traits.to_float"},
              open(f"{folder}/case.json", "w"), indent=1)

def edges():
    rng = np.random.default_rng([1, zlib.crc32(b"lowbit/extra/laplace_8x768")])
    x = rng.laplace(0, 1, (8, 768)).astype(np.float32)
    x[0] = 0; x[1] = 0.75; x[2, 300] = -2500; x[3] = -1.25; x[4] *= 1e-8
    return x

def normal():
    rng = np.random.default_rng([1, zlib.crc32(b"lowbit/extra/normal_16x512")])
    x = rng.normal(0, 1, (16, 512)).astype(np.float32)
    x[1, 0:32] *= 100; x[2, 32:64] *= 1e-3; x[3, 256:512] *= 100; x[4, 0:256] *= 1e-3
    x[5, 16:32] *= 100; x[6, 96:112] *= 1e-3
    im = np.exp(0.75 * np.random.default_rng([1, zlib.crc32(b"lowbit/extra/imatrix_512")])
                .normal(0, 1, 512)).astype(np.float32)
    return x, im

out = os.path.dirname(os.path.abspath(__file__))
e = edges(); x, im = normal()
for name, t in TYPES.items():
    run(name, t, e, None, f"{out}/extra_ref/{name}_8x768_edges")
    if name.endswith("_K"):
        run(name, t, x, im, f"{out}/extra_ref/{name}_16x512_imatrix")
print("ok")
