"""Writes the gguf-py fixtures of GGUFTests (run once; the tests never need Python).

    /work/venv-gguf/bin/python Tests/GGUFTests/Fixtures/make_fixtures.py

gguf 0.19.0 (gguf-py, llama.cpp's Python package), numpy 2.4.6. Produces
  gguf_py_types.gguf      metadata of all 13 value types (arrays of every scalar type, of
                          strings, of arrays), tensors F32, F16, BF16, Q8_0, Q4_0 (quantized by
                          gguf.quants.quantize) and Q6_K (random blocks written raw)
  gguf_py_align64.gguf    general.alignment = 64, two tensors of sizes not multiples of 64
  <file stem>.<tensor>.npy  gguf.quants.dequantize of each tensor, float32, numpy shape
"""
import os

import numpy as np
from gguf import GGMLQuantizationType as T, GGUFValueType as V, GGUFWriter, quants

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261205)


def save_dequantized(stem, name, raw, qtype, shape):
    values = quants.dequantize(raw, qtype).astype(np.float32).reshape(shape)
    np.save(os.path.join(HERE, f"{stem}.{name}.npy"), values)


def q6_k_blocks(n_blocks):
    """Random Q6_K blocks: ql[128], qh[64] any bytes, scales[16] int8 in -32…31, d fp16 small."""
    blocks = np.zeros((n_blocks, 210), dtype=np.uint8)
    blocks[:, :192] = rng.integers(0, 256, size=(n_blocks, 192), dtype=np.uint8)
    blocks[:, 192:208] = rng.integers(-32, 32, size=(n_blocks, 16)).astype(np.int8).view(np.uint8)
    d = (rng.random(n_blocks) * 0.01 + 0.001).astype(np.float16)
    blocks[:, 208:210] = d.view(np.uint8).reshape(n_blocks, 2)
    return blocks


def types_file():
    stem = "gguf_py_types"
    w = GGUFWriter(os.path.join(HERE, stem + ".gguf"), "lowbit-test")  # adds general.architecture
    w.add_uint8("t.uint8", 200)
    w.add_int8("t.int8", -100)
    w.add_uint16("t.uint16", 60000)
    w.add_int16("t.int16", -30000)
    w.add_uint32("t.uint32", 4000000000)
    w.add_int32("t.int32", -2000000000)
    w.add_float32("t.float32", 0.1)  # stored as float32(0.1) = 0x3DCCCCCD
    w.add_bool("t.bool", True)
    w.add_string("t.string", "héllo, GGUF ✓")
    w.add_key_value("t.empty_string", "", V.STRING)  # add_string skips empty strings
    w.add_uint64("t.uint64", 18000000000000000000)
    w.add_int64("t.int64", -9000000000000000000)
    w.add_float64("t.float64", -2.5e-300)
    for sub, values in [
        (V.UINT8, [0, 255]), (V.INT8, [-128, 127]), (V.UINT16, [0, 65535]),
        (V.INT16, [-32768, 32767]), (V.UINT32, [0, 4294967295]), (V.INT32, [-2147483648, 7]),
        (V.FLOAT32, [1.5, -0.0]), (V.BOOL, [False, True]), (V.UINT64, [2**64 - 1]),
        (V.INT64, [-(2**63)]), (V.FLOAT64, [3.141592653589793]),
    ]:
        w.add_key_value(f"a.{sub.name.lower()}", values, V.ARRAY, sub_type=sub)
    w.add_key_value("a.string", ["a", "", "ß"], V.ARRAY, sub_type=V.STRING)
    w.add_key_value("a.array", [[1, 2], [3], [4, 5, 6]], V.ARRAY)  # inner arrays of INT32
    w.add_key_value("a.long", list(range(100)), V.ARRAY, sub_type=V.INT32)  # for inspect's text

    x = rng.standard_normal((3, 64)).astype(np.float32)
    tensors = [
        ("w.f32", T.F32, quants.quantize(x, T.F32)),
        ("w.f16", T.F16, quants.quantize(x, T.F16)),
        ("w.bf16", T.BF16, quants.quantize(x, T.BF16)),
        ("w.q8_0", T.Q8_0, quants.quantize(x, T.Q8_0)),
        ("w.q4_0", T.Q4_0, quants.quantize(x, T.Q4_0)),
    ]
    for name, qtype, raw in tensors:
        if qtype in (T.F32, T.F16):
            w.add_tensor(name, raw)
        else:
            w.add_tensor(name, raw, raw_dtype=qtype)
        save_dequantized(stem, name, raw, qtype, (3, 64))
    k = q6_k_blocks(2)  # shape (2, 256): two rows of one block
    w.add_tensor("w.q6_k", k, raw_dtype=T.Q6_K)
    save_dequantized(stem, "w.q6_k", k, T.Q6_K, (2, 256))
    write(w)


def align64_file():
    stem = "gguf_py_align64"
    w = GGUFWriter(os.path.join(HERE, stem + ".gguf"), "lowbit-test")
    w.add_custom_alignment(64)
    a = np.arange(5, dtype=np.float32)  # 20 bytes: padded to 64
    b = np.arange(-3, 3, dtype=np.float32).reshape(2, 3).astype(np.float16)  # 12 bytes
    w.add_tensor("a", a)
    w.add_tensor("b", b)
    save_dequantized(stem, "a", a, T.F32, (5,))
    save_dequantized(stem, "b", b, T.F16, (2, 3))
    write(w)


def write(w):
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()


types_file()
align64_file()
