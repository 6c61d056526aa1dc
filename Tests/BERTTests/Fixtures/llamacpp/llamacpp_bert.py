"""The llama.cpp proof of `lowbit gguf convert` (issue #13), run once; the Swift tests read
what it wrote and never need Python.

For each type it converts all-MiniLM-L6-v2 with the lowbit binary, then
  1. reads the file with gguf-py's GGUFReader (keys, 101 tensors, the token list's sha256
     against gguf_bert/metadata.json, i.e. llama.cpp's own converter);
  2. loads it with llama.cpp (llama-cpp-python: Llama(embedding=True, pooling MEAN,
     n_ctx 512, one thread)), checks llama.cpp's WordPiece token ids against Hugging Face's,
     embeds every sentence (one Llama.embed call per sentence, then L2-normalised) and
     records the cosines to the reference;
  3. for the quantized types, lets llama.cpp quantize our f32 file itself
     (llama_model_quantize with the ftype our file names, pure for the Linears and
     token_embedding_type = the type we chose for token_embd) and compares every tensor's
     type and bytes with ours.
The reference is Hugging Face transformers' BertModel on the same folder, mean pooling over the
attention mask, L2 normalisation (sentence-transformers' three modules), checked here against
the shared reference embeddings.npy (sentence-transformers 6.2.0) on its three sentences.

Writes into OUT (this folder): sentences.json, reference_embeddings.npy,
reference_embeddings_3.npy (copy of the shared reference), llamacpp_<type>.npy, proof.json.

usage: python llamacpp_bert.py --lowbit .build/release/lowbit
         --model ~/.cache/lowbit/all-MiniLM-L6-v2 --reference ../shared/reference --out Tests/BERTTests/Fixtures/llamacpp --work /tmp/x
(an environment with llama-cpp-python 0.3.36, gguf 0.19.0, numpy, torch and transformers)
"""
import argparse, ctypes, hashlib, json, os, shutil, subprocess, sys

import numpy as np

TYPES = ["f32", "f16", "q8_0", "q4_0", "q5_0", "q4_k", "q6_k", "iq4_nl", "mxfp4"]
# llama.h llama_ftype / ggml.h ggml_type numbers for the types above
FTYPE = {"f32": 0, "f16": 1, "q8_0": 7, "q4_0": 2, "q5_0": 8, "q4_k": 15, "q6_k": 18,
         "iq4_nl": 25, "mxfp4": 38}
GGML_TYPE = {"F32": 0, "F16": 1, "Q4_0": 2, "Q5_0": 6, "Q8_0": 8, "Q4_K": 12, "Q6_K": 14,
             "IQ4_NL": 20, "MXFP4": 39}

EXTRA = [
    "The quick brown fox jumps over the lazy dog.",
    "A man is playing a guitar on the street.",
    "Quantization stores each weight in fewer bits.",
    "llama.cpp runs large language models on a laptop CPU.",
    "Naïve café owners in Zürich serve crème brûlée.",
    "What is the capital of France? Paris, of course!",
    "東京は日本の首都です。",
    "Prices rose 3.5% in 2023, up from 1.2% the year before.",
    "Don't split contractions like can't or won't incorrectly.",
    "unbelievably, the tokenizer splits rare words into ##pieces",
]


def reference_embeddings(model_dir, sentences):
    import torch
    from transformers import AutoModel, AutoTokenizer
    torch.set_num_threads(1)
    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    enc = tok(sentences, padding=True, truncation=True, max_length=256, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).float()
    pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    emb = torch.nn.functional.normalize(pooled, p=2, dim=1).numpy().astype(np.float32)
    ids = [[int(i) for i, m in zip(row, mrow) if m] for row, mrow in
           zip(enc["input_ids"].tolist(), enc["attention_mask"].tolist())]
    return emb, ids


def cosines(a, b):
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return (a * b).sum(1)


def llama_embed(path, sentences):
    import llama_cpp
    llm = llama_cpp.Llama(model_path=path, embedding=True, n_ctx=512, n_batch=512,
                          n_threads=1, pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN,
                          verbose=False)
    ids = [llm.tokenize(s.encode("utf-8"), add_bos=True, special=False) for s in sentences]
    emb = np.array([llm.embed(s, normalize=False) for s in sentences], dtype=np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    return emb, ids


def read_with_gguf_py(path):
    import gguf
    r = gguf.GGUFReader(path)
    f = r.fields["tokenizer.ggml.tokens"]
    tokens = [bytes(f.parts[i]).decode("utf-8") for i in f.data]
    sha = hashlib.sha256("\n".join(tokens).encode("utf-8")).hexdigest()
    types = {t.name: t.tensor_type.name for t in r.tensors}
    data = {t.name: bytes(np.asarray(t.data).tobytes()) for t in r.tensors}
    return {"keys": len(r.fields) - 3, "tensors": len(r.tensors), "tokens_sha256": sha}, types, data


def llama_quantize(src, dst, ftype, token_embd_type):
    import llama_cpp
    p = llama_cpp.llama_model_quantize_default_params()
    p.ftype = ftype
    p.pure = True
    p.nthread = 1
    p.token_embedding_type = token_embd_type
    if llama_cpp.llama_model_quantize(src.encode(), dst.encode(), ctypes.byref(p)) != 0:
        raise RuntimeError("llama_model_quantize failed")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lowbit", required=True)
    ap.add_argument("--model", required=True)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    shared = json.load(open(os.path.join(a.reference, "minilm/embeddings/sentences.json")))
    sentences = shared + EXTRA
    st3 = np.load(os.path.join(a.reference, "minilm/embeddings/embeddings.npy"))
    listing = json.load(open(os.path.join(a.reference, "gguf_bert/metadata.json")))
    converter_sha = next(k["sha256"] for k in listing["files"]["f32"]["kv"]
                         if k["key"] == "tokenizer.ggml.tokens")

    ref, hf_ids = reference_embeddings(a.model, sentences)
    proof = {"sentences": len(sentences),
             "reference_vs_sentence_transformers_3": cosines(ref[:3], st3).tolist(),
             "types": {}}
    import llama_cpp, gguf, torch, transformers
    proof["versions"] = {"llama_cpp_python": llama_cpp.__version__,
                         "gguf": "0.19.0 (" + os.path.dirname(gguf.__file__) + ")",
                         "torch": torch.__version__, "transformers": transformers.__version__,
                         "numpy": np.__version__}
    print("reference vs sentence-transformers:", proof["reference_vs_sentence_transformers_3"])

    f32_path = os.path.join(a.work, "minilm-f32.gguf")
    for t in TYPES:
        path = os.path.join(a.work, f"minilm-{t}.gguf")
        run = subprocess.run([a.lowbit, "gguf", "convert", "--model", a.model, "--out", path,
                              "--type", t], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(run.stderr)
        info, types, data = read_with_gguf_py(path)
        info["tokens_sha256_is_converters"] = info.pop("tokens_sha256") == converter_sha
        info["file_bytes"] = os.path.getsize(path)
        emb, ids = llama_embed(path, sentences)
        np.save(os.path.join(a.out, f"llamacpp_{t}.npy"), emb)
        cos = cosines(emb, ref)
        info["llama_cpp_token_ids_equal_hf"] = sum(x == y for x, y in zip(ids, hf_ids))
        info["cosine_to_reference"] = [round(float(c), 7) for c in cos]
        info["cosine_min"] = round(float(cos.min()), 7)
        info["types"] = sorted(set(types.values()))
        if t not in ("f32", "f16"):
            # llama.cpp's own quantizer on our f32 file, same ftype and token_embd type
            theirs = os.path.join(a.work, f"llama-{t}.gguf")
            llama_quantize(f32_path, theirs, FTYPE[t], GGML_TYPE[types["token_embd.weight"]])
            _, their_types, their_data = read_with_gguf_py(theirs)
            same = [n for n in data if their_types.get(n) == types[n]
                    and their_data.get(n) == data[n]]
            info["tensors_identical_to_llama_quantize"] = len(same)
        proof["types"][t] = info
        print(t, json.dumps(info)[:300])
    json.dump(sentences, open(os.path.join(a.out, "sentences.json"), "w"), ensure_ascii=False,
              indent=1)
    np.save(os.path.join(a.out, "reference_embeddings.npy"), ref)
    shutil.copy(os.path.join(a.reference, "minilm/embeddings/embeddings.npy"),
                os.path.join(a.out, "reference_embeddings_3.npy"))
    json.dump(proof, open(os.path.join(a.out, "proof.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
