"""Interop proof, run once by hand (not a test): files `lowbit gguf write` produces are read by
gguf-py's GGUFReader, with the metadata, tensor names, types, shapes and data we meant.

    swift build -c release ...   # so .build/release/lowbit exists
    /work/venv-gguf/bin/python Tests/GGUFTests/Fixtures/check_lowbit_with_gguf_py.py

For every --type: write a seeded (4, 256) float32 .npy with `lowbit gguf write` and metadata of
each CLI value type; read it with gguf.GGUFReader; check every key's type and value, the
tensor's name, type and shape; check gguf.quants.dequantize of the stored bytes equals
`lowbit gguf read` bit for bit; where gguf-py can quantize the type itself, check its bytes
equal ours. Prints one line per type and a summary.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from gguf import GGMLQuantizationType as T, GGUFReader, GGUFValueType as V, quants

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
LOWBIT = os.path.join(ROOT, ".build/release/lowbit")
TYPES = ["f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q6_k", "iq4_nl", "mxfp4"]
METADATA = ["general.architecture=lowbit", "n=42", "big=3000000000", "x=0.5", "flag=true",
            "name=tiny gpt", "empty=", "general.alignment=64"]
EXPECTED = {  # key: (GGUFValueType, value) as gguf-py returns them
    "general.architecture": (V.STRING, "lowbit"), "n": (V.INT32, 42),
    "big": (V.INT64, 3000000000), "x": (V.FLOAT32, 0.5), "flag": (V.BOOL, True),
    "name": (V.STRING, "tiny gpt"), "empty": (V.STRING, ""), "general.alignment": (V.UINT32, 64),
}

rng = np.random.default_rng(11)
x = rng.standard_normal((4, 256)).astype(np.float32)
failures = 0
with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, "weight.npy")
    np.save(src, x)
    for name in TYPES:
        out, back = os.path.join(tmp, f"{name}.gguf"), os.path.join(tmp, f"{name}.npy")
        write = [LOWBIT, "gguf", "write", src, out, "--type", name, "--metadata", *METADATA]
        subprocess.run(write, check=True)
        read = [LOWBIT, "gguf", "read", out, "--tensor", "weight", "--out", back]
        subprocess.run(read, check=True)
        reader = GGUFReader(out)
        problems = []
        keys = [f.name for f in reader.fields.values() if not f.name.startswith("GGUF.")]
        if keys != list(EXPECTED):
            problems.append(f"keys {keys}")
        for key, (vtype, value) in EXPECTED.items():
            field = reader.fields.get(key)
            if field is None or field.types != [vtype] or field.contents() != value:
                found = None if field is None else (field.types, field.contents())
                problems.append(f"{key}: {found}")
        (tensor,) = reader.tensors
        qtype = T[name.upper()]
        numpy_shape = tuple(reversed(tensor.shape.tolist()))
        if tensor.name != "weight" or tensor.tensor_type != qtype or numpy_shape != (4, 256):
            problems.append(f"tensor {tensor.name} {tensor.tensor_type.name} {tensor.shape}")
        theirs = quants.dequantize(tensor.data, qtype).reshape(4, 256).astype(np.float32)
        ours = np.load(back)
        same_bits = theirs.view(np.uint32).tolist() == ours.view(np.uint32).tolist()
        if ours.shape != (4, 256) or not same_bits:
            problems.append("dequantized values differ")
        bytes_note = "gguf-py cannot quantize it"
        try:
            reference = quants.quantize(x, qtype)
            same = reference.tobytes() == np.asarray(tensor.data).tobytes()
            bytes_note = ("bytes equal to gguf-py's quantize" if same
                          else "bytes DIFFER from gguf-py's quantize")
        except (NotImplementedError, quants.QuantError):
            pass
        status = "ok" if not problems else "FAIL " + "; ".join(problems)
        failures += bool(problems)
        equal = "dequantized values differ" not in problems
        print(f"{name:7s} {status}; values bit-equal to gguf-py dequantize: {equal}; {bytes_note}")
print(f"{len(TYPES) - failures}/{len(TYPES)} types read correctly by gguf-py gguf")
sys.exit(1 if failures else 0)
