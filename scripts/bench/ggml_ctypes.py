"""llama.cpp's C quantizers through ctypes: the one loader LowBit's Python scripts share
(scripts/bench/gguf_peers.py, Tests/GGMLTests/Fixtures/*.py). Never used by tests.

load_ggml(path=None) opens libggml-base.so — llama-cpp-python's own when `path` is None —
and declares `ggml_quantize_chunk` and `ggml_get_type_traits`; quantize() and to_float() call
them the way the shared reference set was produced (portable C paths, one thread).
"""
import ctypes
import glob
import os

import numpy as np

GGML_TYPES = {"Q4_0": 2, "Q4_1": 3, "Q5_0": 6, "Q5_1": 7, "Q8_0": 8, "Q2_K": 10, "Q3_K": 11,
              "Q4_K": 12, "Q5_K": 13, "Q6_K": 14, "IQ4_NL": 20, "MXFP4": 39}
TO_FLOAT = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64)


class Traits(ctypes.Structure):
    """ggml's `struct ggml_type_traits` up to `from_float_ref`."""
    _fields_ = [("type_name", ctypes.c_char_p), ("blck_size", ctypes.c_int64),
                ("blck_size_interleave", ctypes.c_int64), ("type_size", ctypes.c_size_t),
                ("is_quantized", ctypes.c_bool), ("to_float", ctypes.c_void_p),
                ("from_float_ref", ctypes.c_void_p)]


def load_ggml(path=None):
    if path is None:
        import llama_cpp
        path = glob.glob(os.path.join(os.path.dirname(llama_cpp.__file__), "lib",
                                      "libggml-base.so"))[0]
    lib = ctypes.CDLL(path)
    lib.ggml_quantize_chunk.restype = ctypes.c_size_t
    lib.ggml_quantize_chunk.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p,
                                        ctypes.c_int64, ctypes.c_int64, ctypes.c_int64,
                                        ctypes.c_void_p]
    lib.ggml_get_type_traits.restype = ctypes.POINTER(Traits)
    lib.ggml_get_type_traits.argtypes = [ctypes.c_int]
    return lib


def quantize(lib, name, x, imatrix=None):
    """uint8 [rows, row bytes]: ggml_quantize_chunk(type, x, dst, 0, rows, n, imatrix)."""
    x = np.ascontiguousarray(x, np.float32)
    rows, n = x.shape
    traits = lib.ggml_get_type_traits(GGML_TYPES[name]).contents
    dst = np.zeros((rows, n // traits.blck_size * traits.type_size), np.uint8)
    im = None if imatrix is None else np.ascontiguousarray(imatrix, np.float32)
    size = lib.ggml_quantize_chunk(GGML_TYPES[name], x.ctypes.data, dst.ctypes.data, 0, rows,
                                   n, None if im is None else im.ctypes.data)
    assert size == dst.size, (name, size, dst.size)
    return dst


def to_float(lib, name, q, values):
    """float32 [values]: the type's own `to_float` of the blocks in `q`."""
    q = np.ascontiguousarray(q)
    y = np.zeros(values, np.float32)
    TO_FLOAT(lib.ggml_get_type_traits(GGML_TYPES[name]).contents.to_float)(
        q.ctypes.data, y.ctypes.data, values)
    return y
