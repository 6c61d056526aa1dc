"""LowBit's kernels side by side with their peers, in one run, as ratios.

  python3 scripts/bench/compare.py LOWBIT PYTHON formats|int8

LOWBIT is a release build of the lowbit command, PYTHON an interpreter with numpy,
ml_dtypes and threadpoolctl (scripts/bench.sh sets both up). Each kernel is timed by its
own program, one after the other, on inputs of the same size.
"""
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def peer_env():
    # The machine may set OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE for old OpenBLAS builds; they
    # slow a current numpy, so the peer runs without them (and one thread).
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    env["OPENBLAS_NUM_THREADS"] = "1"
    env["OMP_NUM_THREADS"] = "1"
    return env


def main():
    lowbit, python, mode = sys.argv[1:4]
    env_line = subprocess.run([lowbit, "bench", mode, "--help"], capture_output=True, text=True)
    if mode == "formats":
        count = 64 * 1024 * 1024
        ours = run_json([lowbit, "bench", "formats", "--count", str(count), "--json"])
        peer = run_json([python, os.path.join(here, "peers.py"), "formats", str(count)], env=peer_env())
        print(f"{'kernel':22} {'LowBit GB/s':>12} {'% memcpy':>9} {'numpy/ml_dtypes GB/s':>21} {'ratio':>7}")
        for key in sorted(k for k in ours if k != "memcpy_gbs"):
            name = key.replace("_gbs", "")
            theirs = peer.get(key)
            ratio = f"{ours[key] / theirs:6.2f}x" if theirs else "     -"
            print(f"{name:22} {ours[key]:12.2f} {100 * ours[key] / ours['memcpy_gbs']:8.1f}% "
                  f"{theirs if theirs else float('nan'):21.2f} {ratio:>7}")
        print(f"{'memcpy':22} {ours['memcpy_gbs']:12.2f} {100.0:8.1f}% {peer['memcpy_gbs']:21.2f}")
    elif mode == "int8":
        m, k, n = 512, 4096, 4096
        ours = run_json([lowbit, "bench", "int8", "--m", str(m), "--k", str(k), "--n", str(n), "--json"])
        peer = run_json([python, os.path.join(here, "peers.py"), "int8", str(m), str(k), str(n)], env=peer_env())
        base = peer["numpy_float32_gops"]
        print(f"C = A·B, {m} x {k} by {k} x {n}, one thread; numpy BLAS: {peer['blas']}")
        for key, name in [("float32_naive_gops", "LowBit float32 naive"), ("float32_tiled_gops", "LowBit float32 tiled"),
                          ("int8_gops", "LowBit int8 -> int32")]:
            print(f"{name:24} {ours[key]:8.2f} GOP/s  {ours[key] / base:6.2f}x numpy float32")
        print(f"{'numpy float32 (BLAS)':24} {base:8.2f} GOP/s")
    elif mode == "nf4":
        count, block = 64 * 1024 * 1024, 64
        ours = run_json([lowbit, "bench", "nf4", "--count", str(count), "--block-size", str(block), "--json"])
        peer = run_json([python, os.path.join(here, "peers.py"), "nf4", str(count), str(block)], env=peer_env())
        copy = ours["memcpy_gbs"]
        print(f"{count} float32, NF4 blocks of {block}, one thread; bitsandbytes {peer['bnb_version']} CPU "
              f"(torch {peer['torch_version']})")
        for name, key, theirs in [("quantize", "nf4_quantize_gbs", "bnb_nf4_quantize_gbs"),
                                  ("dequantize", "nf4_dequantize_gbs", "bnb_nf4_dequantize_gbs")]:
            print(f"{name:11} LowBit {ours[key]:7.2f} GB/s ({100 * ours[key] / copy:5.1f}% of memcpy)  "
                  f"bitsandbytes {peer[theirs]:7.2f} GB/s  ratio {ours[key] / peer[theirs]:6.2f}x")
        print(f"{'readable':11} LowBit {ours['nf4_quantize_readable_gbs']:7.2f} GB/s (the reference loop)")
        print(f"{'memcpy':11} {copy:7.2f} GB/s")
    elif mode == "train":
        ours = run_json([lowbit, "bench", "train", "--json"])
        peer = run_json([python, os.path.join(here, "peers.py"), "train", json.dumps(ours)], env=peer_env())
        print(f"TinyGPT {ours['layers']} layers, width {ours['channels']}, context {ours['context']}, batch "
              f"{ours['batch_size']}; forward + backward + AdamW, one thread")
        print(f"LowBit   {ours['tokens_per_second']:9.0f} tokens/s ({ours['parameters']} parameters)")
        print(f"PyTorch  {peer['torch_tokens_per_second']:9.0f} tokens/s ({peer['torch_parameters']} parameters, "
              f"torch {peer['torch_version']})")
        print(f"ratio    {ours['tokens_per_second'] / peer['torch_tokens_per_second']:9.2f}x")
    else:
        sys.exit(f"error: unknown benchmark {mode}")


if __name__ == "__main__":
    main()
