"""Extra llama.cpp reference cases for LowBit's GGML tests (issue #12), produced like
../shared/reference/ggml_quants: llama.cpp's own C quantizers (llama-cpp-python 0.3.36's
libggml-base, portable C paths) through ctypes, ggml_quantize_chunk + type_traits.to_float.

Cases: the legacy types, IQ4_NL and MXFP4 on an edge-case Laplace input [8, 768]
(`<TYPE>_8x768_edges`: row 0 zeros, row 1 constant 0.75, row 2 one value -2500, row 3 constant
-1.25, row 4 Laplace x1e-8, rows 5-7 plain). The k-quants' cases come from
make_kquant_fixtures.py. Run with a Python that has numpy and llama-cpp-python 0.3.36:
`python make_legacy_edge_fixtures.py` writes into ggml_quants_extra/ beside it.
"""
import ctypes, glob, json, os, zlib
import numpy as np
import llama_cpp

libdir = os.path.join(os.path.dirname(llama_cpp.__file__), "lib")
lib = ctypes.CDLL(glob.glob(os.path.join(libdir, "libggml-base.so"))[0])
lib.ggml_quantize_chunk.restype = ctypes.c_size_t
lib.ggml_quantize_chunk.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
                                    ctypes.c_int64, ctypes.c_int64, ctypes.c_int64,
                                    ctypes.c_void_p]
TO_FLOAT = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64)
class Traits(ctypes.Structure):
    _fields_ = [("type_name", ctypes.c_char_p), ("blck_size", ctypes.c_int64),
                ("blck_size_interleave", ctypes.c_int64), ("type_size", ctypes.c_size_t),
                ("is_quantized", ctypes.c_bool), ("to_float", ctypes.c_void_p),
                ("from_float_ref", ctypes.c_void_p)]
lib.ggml_get_type_traits.restype = ctypes.POINTER(Traits)
lib.ggml_get_type_traits.argtypes = [ctypes.c_int]

TYPES = {"Q4_0": 2, "Q4_1": 3, "Q5_0": 6, "Q5_1": 7, "Q8_0": 8, "IQ4_NL": 20, "MXFP4": 39}

def run(name, t, x, imatrix, folder):
    tr = lib.ggml_get_type_traits(t).contents
    rows, n = x.shape
    row_bytes = n // tr.blck_size * tr.type_size
    dst = np.zeros((rows, row_bytes), np.uint8)
    x = np.ascontiguousarray(x, np.float32)
    im = None if imatrix is None else np.ascontiguousarray(imatrix, np.float32)
    size = lib.ggml_quantize_chunk(t, x.ctypes.data, dst.ctypes.data, 0, rows, n,
                                   None if im is None else im.ctypes.data)
    assert size == dst.size, (name, size, dst.size)
    y = np.zeros((rows, n), np.float32)
    TO_FLOAT(tr.to_float)(dst.ctypes.data, y.ctypes.data, rows * n)
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

out = os.path.dirname(os.path.abspath(__file__))
e = edges()
for name, t in TYPES.items():
    run(name, t, e, None, f"{out}/ggml_quants_extra/{name}_8x768_edges")
print("ok")
