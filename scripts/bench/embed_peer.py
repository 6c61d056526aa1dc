"""The peer of `lowbit bench embed`: sentence-transformers on PyTorch CPU, one thread.

Usage: python embed_peer.py MODEL_DIR SENTENCES.json
Embeds the sentences (one batch of len(sentences), convert_to_numpy) REPEATS times and prints
one JSON line: {"sentence_transformers_seconds": best wall-clock seconds, "versions": ...}.
Needs: torch, sentence-transformers (in a throwaway venv; LowBit's tests never need Python).
"""
import json
import os
import sys
import time

import torch

torch.set_num_threads(1)
from sentence_transformers import SentenceTransformer  # noqa: E402  (after the thread cap)

import sentence_transformers  # noqa: E402

model_dir, sentences_path = sys.argv[1], sys.argv[2]
repeats = int(os.environ.get("REPEATS", "3"))
sentences = json.load(open(sentences_path))
model = SentenceTransformer(model_dir, device="cpu")
model.encode(sentences, batch_size=len(sentences))  # warm-up
best = float("inf")
for _ in range(repeats):
    start = time.perf_counter()
    model.encode(sentences, batch_size=len(sentences), convert_to_numpy=True)
    best = min(best, time.perf_counter() - start)
print(json.dumps({
    "sentence_transformers_seconds": best,
    "versions": f"torch {torch.__version__}, sentence-transformers {sentence_transformers.__version__}",
}))
