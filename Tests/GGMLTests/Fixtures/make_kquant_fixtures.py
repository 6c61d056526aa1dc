"""Extra k-quant fixtures for Tests/GGMLTests/Fixtures/ggml_quants_extra, from llama.cpp's own C.

Run once with the venv's Python (numpy, gguf 0.19.0) and a libggml-base.so built from
llama-cpp-python 0.3.36's vendored llama.cpp (same build as the shared reference set):

    python make_kquant_fixtures.py /path/to/libggml-base.so OUTDIR [--check REFDIR]

Quantized bytes: ggml_quantize_chunk(type, x, dst, 0, rows, n_per_row, imatrix or NULL).
Dequantized values: ggml_get_type_traits(type)->to_float (the script also prints whether
gguf-py's numpy dequantize agrees bit for bit). --check first reproduces the
shared reference cases ggml_quants/Q{2..6}_K_16x512 and Q4_K_16x512_imatrix byte for byte.
"""
import json, os, sys, zlib
import numpy as np
from gguf import quants, GGMLQuantizationType as T

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "../../../scripts/bench"))
import ggml_ctypes

TYPES = {"Q2_K": 10, "Q3_K": 11, "Q4_K": 12, "Q5_K": 13, "Q6_K": 14}
TYPE_SIZE = {"Q2_K": 84, "Q3_K": 110, "Q4_K": 144, "Q5_K": 176, "Q6_K": 210}

lib = ggml_ctypes.load_ggml(sys.argv[1])


def quantize(name, x, imatrix=None):
    return ggml_ctypes.quantize(lib, name, x, imatrix)


def dequantize(name, q):
    """llama.cpp's own to_float; gguf-py's numpy dequantize must agree bit for bit."""
    q = np.ascontiguousarray(q)
    y = ggml_ctypes.to_float(lib, name, q, q.size // TYPE_SIZE[name] * 256)
    numpy_y = quants.dequantize(q, getattr(T, name)).astype(np.float32).reshape(-1)
    agree = np.array_equal(numpy_y.view(np.uint32), y.view(np.uint32))
    print(name, q.shape, "gguf-py dequantize bit-identical to to_float:", agree)
    return y.reshape(q.shape[0], -1)


def edges_input():
    """8 rows x 768 (three super-blocks each), one edge case per super-block."""
    rng = np.random.default_rng([12, zlib.crc32(b"kq/edges_8x768")])
    n = lambda k=256: rng.standard_normal(k).astype(np.float32)
    blocks = [
        np.zeros(256), np.full(256, 0.7), np.full(256, -3.0),                  # row 0
        n() * 1e-8, n() * 1e-20, n(),                                          # row 1
        np.where(np.arange(256) == 77, 1e4, n()), n() * 1e4, n() * 1e-3,      # row 2
        np.abs(n()) + 1, -np.abs(n()) - 1, np.concatenate([np.zeros(240), n(16)]),  # row 3
        np.concatenate([n(16), np.zeros(240)]), np.full(256, 1e-8), n() * 1e-12,    # row 4
        np.where(np.arange(256) % 32 == 0, 1.0, 0.0), np.arange(256) / 255.0, -n(),  # row 5
        np.concatenate([n(32) * 1e3, n(224) * 1e-3]), np.round(n() * 2), np.full(256, 65504.0),
        np.where(np.arange(256) == 0, -1e4, n() * 1e-3), n() + 10, n() - 10,  # row 7
    ]
    return np.concatenate(blocks).astype(np.float32).reshape(8, 768)


def nonfinite_input():
    """4 rows x 768: NaN and +-Inf among normals, a row of NaN (what C makes of them)."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((4, 768)).astype(np.float32)
    x[0, 5] = np.nan
    x[0, 300] = np.inf
    x[0, 301] = -np.inf
    x[1, 0] = np.inf
    x[2, 600] = -np.inf
    x[3, :] = np.nan
    return x, np.exp(0.75 * rng.standard_normal(768)).astype(np.float32)


def write_case(out, case_id, name, x, imatrix, note):
    folder = os.path.join(out, case_id)
    os.makedirs(folder, exist_ok=True)
    q = quantize(name, x, imatrix)
    np.save(os.path.join(folder, "input.npy"), x)
    np.save(os.path.join(folder, "quantized.npy"), q)
    np.save(os.path.join(folder, "dequantized.npy"), dequantize(name, q))
    if imatrix is not None:
        np.save(os.path.join(folder, "imatrix.npy"), imatrix.astype(np.float32))
    with open(os.path.join(folder, "case.json"), "w") as f:
        json.dump({"type": name, "block_size": 256, "type_size": TYPE_SIZE[name],
                   "imatrix": imatrix is not None, "input": note,
                   "call": f"ggml_quantize_chunk({name}, x, dst, 0, {x.shape[0]}, "
                           f"{x.shape[1]}, {'imatrix' if imatrix is not None else 'NULL'})",
                   "dequantized": "ggml_get_type_traits(type)->to_float"}, f, indent=1)


def main():
    out = sys.argv[2]
    if "--check" in sys.argv:
        ref = sys.argv[sys.argv.index("--check") + 1]
        for name in TYPES:
            for suffix in ["", "_imatrix"]:
                folder = os.path.join(ref, f"{name}_16x512{suffix}")
                if not os.path.isdir(folder):
                    continue
                x = np.load(os.path.join(folder, "input.npy"))
                im = np.load(os.path.join(folder, "imatrix.npy")) if suffix else None
                same = np.array_equal(quantize(name, x, im), np.load(os.path.join(folder, "quantized.npy")))
                deq = dequantize(name, np.load(os.path.join(folder, "quantized.npy")))
                same_deq = np.array_equal(deq.view(np.uint32),
                                          np.load(os.path.join(folder, "dequantized.npy")).view(np.uint32))
                print(folder, "bytes equal:", same, "values equal:", same_deq)
                assert same and same_deq
    normal = np.load(os.path.join(sys.argv[sys.argv.index("--check") + 1], "Q4_K_16x512_imatrix",
                                  "input.npy")) if "--check" in sys.argv else None
    imatrix = np.load(os.path.join(sys.argv[sys.argv.index("--check") + 1], "Q4_K_16x512_imatrix",
                                   "imatrix.npy")) if "--check" in sys.argv else None
    for name in TYPES:
        if name != "Q4_K":
            write_case(out, f"{name}_16x512_imatrix", name, normal, imatrix,
                       "the shared ggml_quants/Q4_K_16x512_imatrix input.npy and imatrix.npy")
        edges = edges_input()
        write_case(out, f"{name}_8x768_edges", name, edges, None,
                   "edges_input() in make_kquant_fixtures.py: one edge case per super-block")
        rng = np.random.default_rng([13, zlib.crc32(b"kq/edges_imatrix")])
        im = np.exp(0.75 * rng.standard_normal(768)).astype(np.float32)
        write_case(out, f"{name}_8x768_edges_imatrix", name, edges, im,
                   "edges_input() with imatrix exp(0.75 * normal) [768]")
        x, im = nonfinite_input()
        write_case(out, f"{name}_4x768_nonfinite", name, x, None, "nonfinite_input()")
        write_case(out, f"{name}_4x768_nonfinite_imatrix", name, x, im,
                   "nonfinite_input() with its imatrix [768]")


main()
