"""Peers of `lowbit bench gguf` (never run by tests): quantize and dequantize of llama.cpp's
block types on the same float32 input, one thread, timed in one run.

  gguf_peers.py INPUT.npy TYPE [TYPE ...]

- gguf-py (`gguf.quants.quantize` / `gguf.quants.dequantize`, numpy): gguf-py quantizes only
  the types it implements (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, MXFP4 …; the k-quants raise
  NotImplementedError), it dequantizes all of them.
- llama.cpp's own C (libggml-base from llama-cpp-python: `ggml_quantize_chunk`, which runs on
  the calling thread, and the type's `to_float`).
Prints one JSON object on its last line: seconds per (peer, type, direction), best of REPEATS.
"""
import json
import os
import sys
import time

import numpy as np

from ggml_ctypes import GGML_TYPES, TO_FLOAT, load_ggml

REPEATS = int(os.environ.get("REPEATS", "1"))


def best(fn):
    t = float("inf")
    result = None
    for _ in range(REPEATS):
        start = time.perf_counter()
        result = fn()
        t = min(t, time.perf_counter() - start)
    return t, result


def main():
    x = np.load(sys.argv[1]).astype(np.float32)
    rows = x.shape[0] if x.ndim == 2 else 1
    x = np.ascontiguousarray(x.reshape(rows, -1))
    out = {"elements": int(x.size)}
    import gguf
    from gguf.quants import dequantize, quantize

    out["gguf_py"] = getattr(gguf, "__version__", "?")
    try:
        import llama_cpp

        lib = load_ggml()
        out["llama_cpp_python"] = llama_cpp.__version__
    except Exception as error:  # no llama-cpp-python: gguf-py only
        lib = None
        out["llama_cpp_error"] = str(error)
    for name in sys.argv[2:]:
        qtype = gguf.GGMLQuantizationType[name]
        codes = None
        if lib is not None:
            traits = lib.ggml_get_type_traits(GGML_TYPES[name]).contents
            row_bytes = x.shape[1] // traits.blck_size * traits.type_size
            dst = np.empty((rows, row_bytes), np.uint8)
            seconds, _ = best(lambda: lib.ggml_quantize_chunk(
                GGML_TYPES[name], x.ctypes.data, dst.ctypes.data, 0, rows, x.shape[1], None))
            out[f"llama_cpp_{name}_quantize_seconds"] = seconds
            y = np.empty_like(x)
            to_float = TO_FLOAT(traits.to_float)
            seconds, _ = best(lambda: to_float(dst.ctypes.data, y.ctypes.data, x.size))
            out[f"llama_cpp_{name}_dequantize_seconds"] = seconds
            codes = dst
        try:
            seconds, mine = best(lambda: quantize(x, qtype))
            out[f"gguf_py_{name}_quantize_seconds"] = seconds
            if codes is not None:
                out[f"gguf_py_{name}_bytes_equal_llama_cpp"] = bool(np.array_equal(mine, codes))
            codes = mine
        except NotImplementedError:
            out[f"gguf_py_{name}_quantize_seconds"] = None
        if codes is not None:
            seconds, _ = best(lambda: dequantize(codes, qtype))
            out[f"gguf_py_{name}_dequantize_seconds"] = seconds
    print(json.dumps(out))


if __name__ == "__main__":
    main()
