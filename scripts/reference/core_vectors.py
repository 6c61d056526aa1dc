"""Independent reference values for Tests/CoreTests (run: python3 scripts/reference/core_vectors.py).

xoshiro256** and SplitMix64 transcribed from the authors' C reference
(https://prng.di.unimi.it/xoshiro256starstar.c, splitmix64.c); quantiles and histogram
counts from NumPy (numpy.quantile method='linear', numpy.histogram)."""
import numpy as np

M = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M


def xoshiro(seed, n):
    st, s = seed, []
    for _ in range(4):
        st, v = splitmix64(st)
        s.append(v)
    out = []
    for _ in range(n):
        out.append((rotl((s[1] * 5) & M, 7) * 9) & M)
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t
        s[3] = rotl(s[3], 45)
    return out


st = 0
for _ in range(3):
    st, v = splitmix64(st)
    print("  splitmix64 seed 0:", hex(v))
print("xoshiro256** seed 42 first 5:", [hex(v) for v in xoshiro(42, 5)])
x = np.array([3.5, -1.25, 7.0, 0.0, 2.5, -4.0, 10.0], dtype=np.float32)
print("quantiles 0, .1, .25, .5, .9, 1:", np.quantile(x.astype(np.float64), [0, 0.1, 0.25, 0.5, 0.9, 1.0]).tolist())
c, e = np.histogram(x, bins=4, range=(-4.0, 10.0))
print("histogram bins=4 range=(-4,10):", c.tolist(), e.tolist())
print("std:", float(np.std(x.astype(np.float64))), "mean:", float(np.mean(x.astype(np.float64))))
