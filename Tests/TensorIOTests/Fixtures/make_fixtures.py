#!/usr/bin/env python3
"""Writes the TensorIO test fixtures with the reference libraries (numpy, safetensors).

Run from this folder:  ../../../.venv-io/bin/python make_fixtures.py
(with numpy 2.4.6 and safetensors 0.8.0, e.g. in a venv: python3 -m venv .venv-io &&
 .venv-io/bin/pip install numpy safetensors).

Every value here is repeated in Tests/TensorIOTests/FixtureTests.swift; change both together.
The values are asymmetric and include each type's extremes so byte-order or sign bugs show.
"""
import numpy as np
from numpy.lib import format as npformat
from safetensors import TensorSpec, serialize_file
from safetensors.numpy import save_file

# --- .npy, one file per dtype, format version 1.0 (what np.save writes) -----------------------
NPY = {
    "f2_6.npy": np.array([1.0, -2.5, 0.1, 65504.0, 2.0**-14, -np.inf], dtype="<f2"),
    "f4_2x3.npy": np.array([[1.5, -2.25, 0.1], [65504.0, -0.0, 3.4028235e38]], dtype="<f4"),
    "f8_2x2.npy": np.array([[1 / 3, -1e300], [5e-324, 2.5]], dtype="<f8"),
    "i1_7.npy": np.array([-128, -1, 0, 1, 7, 100, 127], dtype="|i1"),
    "u1_2x4.npy": np.array([[0, 1, 2, 3], [128, 200, 254, 255]], dtype="|u1"),
    "i2_2x3x4.npy": (np.arange(24, dtype="<i2") * 1000 - 12000).reshape(2, 3, 4),
    "u2_3.npy": np.array([0, 1, 65535], dtype="<u2"),
    "i4_2x2.npy": np.array([[-2147483648, -1], [7, 2147483647]], dtype="<i4"),
    "u4_3.npy": np.array([0, 0x12345678, 4294967295], dtype="<u4"),
    "i8_3.npy": np.array([-9223372036854775808, -2, 9223372036854775807], dtype="<i8"),
    "u8_2.npy": np.array([0x0123456789ABCDEF, 18446744073709551615], dtype="<u8"),
    "b1_5.npy": np.array([True, True, False, True, False], dtype="|b1"),
    "scalar_f8.npy": np.array(-7.25, dtype="<f8"),          # 0-d: shape ()
    "empty_f4_0x3.npy": np.zeros((0, 3), dtype="<f4"),      # no elements
}
for name, array in NPY.items():
    np.save(name, array)

# --- .npy format versions 2.0 and 3.0 (4-byte header length; 3.0 = UTF-8 header) -----------
for version in [(2, 0), (3, 0)]:
    with open(f"v{version[0]}_f4_3.npy", "wb") as f:
        npformat.write_array(f, np.array([0.5, -1.0, 2.0], dtype="<f4"), version=version)

# --- .npy files numpy writes but we refuse ---------------------------------------------------
np.save("fortran_f4_2x3.npy", np.asfortranarray(np.arange(6, dtype="<f4").reshape(2, 3)))
np.save("bigendian_f4_3.npy", np.array([1.0, 2.0, 3.0], dtype=">f4"))

# --- .safetensors with every dtype, written by the reference library -------------------------
# numpy has no bfloat16, so those tensors go in as raw uint16 bit patterns with dtype "bfloat16".
arrays = {
    "f16": NPY["f2_6.npy"],
    "f32": NPY["f4_2x3.npy"],
    "f64": NPY["f8_2x2.npy"],
    "i8": NPY["i1_7.npy"],
    "u8": NPY["u1_2x4.npy"],
    "i16": NPY["i2_2x3x4.npy"],
    "u16": NPY["u2_3.npy"],
    "i32": NPY["i4_2x2.npy"],
    "u32": NPY["u4_3.npy"],
    "i64": NPY["i8_3.npy"],
    "u64": NPY["u8_2.npy"],
    "mask": NPY["b1_5.npy"],
    "scalar": NPY["scalar_f8.npy"],
    "empty": NPY["empty_f4_0x3.npy"],
}
bf16_bits = np.array([[0x3F80, 0xC040], [0x3EAB, 0x7F80]], dtype="<u2")  # 1.0, -3.0, ~1/3, +inf
specs = {
    name: TensorSpec(dtype=a.dtype.name, shape=list(a.shape), data_ptr=a.ctypes.data, data_len=a.nbytes)
    for name, a in arrays.items()
}
specs["bf16"] = TensorSpec(dtype="bfloat16", shape=[2, 2], data_ptr=bf16_bits.ctypes.data, data_len=bf16_bits.nbytes)
serialize_file(specs, "all_dtypes.safetensors", metadata={"source": "make_fixtures.py"})

# --- .safetensors with several metadata keys, escapes and non-ASCII text ---------------------
save_file(
    {"weight": np.array([[1.0, 2.0, 3.0], [-4.0, 5.5, 6.0]], dtype="<f4")},
    "metadata.safetensors",
    metadata={"format": "np", "note": 'héllo "quoted"\n/slash', "empty": ""},
)

# --- .safetensors with no tensors at all ------------------------------------------------------
save_file({}, "no_tensors.safetensors")
