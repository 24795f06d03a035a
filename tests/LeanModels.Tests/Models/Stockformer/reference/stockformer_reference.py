"""Independent NumPy (float64) implementation of the Stockformer forward pass and losses, for the C# reference test.

Reads stockformer_tiny_inputs.json (inputs, masks, ticker rows and the named parameters of a seeded C# model, written once
by a throwaway generator and committed), computes every head, the cross-ticker attention map and each loss as
Models/Stockformer documents them, written from the documentation, not from the C# code, and writes
stockformer_tiny_expected.json. (This machine's python3 has numpy and scipy but no torch.)

Run: /usr/bin/python3 stockformer_reference.py   (numpy 1.24.2, scipy 1.10.1; float64 throughout)
"""
import json, math, os
import numpy as np
from scipy.special import erf

here = os.path.dirname(os.path.abspath(__file__))
doc = json.load(open(os.path.join(here, "stockformer_tiny_inputs.json")))
P = {p["name"]: np.array(p["values"], dtype=np.float64).reshape(p["shape"]) for p in doc["parameters"]}
B, T, A, F = doc["shape"]
o = doc["options"]
D, H, L = o["model"], o["heads"], o["layers"]
dh = D // H
x = np.array([0.0 if v is None else v for v in doc["x"]]).reshape(B, T, A, F)
avail = np.array(doc["available"], dtype=bool).reshape(B, T, A)
ids = np.array(doc["ids"]).reshape(B, A)
label = np.array(doc["label"]).reshape(B, A)
previous = np.array(doc["previous"]).reshape(B, A)


def layer_norm(v, name):  # LayerNorm over the last axis, eps 1e-5, biased variance (PyTorch's)
    mu = v.mean(axis=-1, keepdims=True)
    var = ((v - mu) ** 2).mean(axis=-1, keepdims=True)
    return (v - mu) / np.sqrt(var + 1e-5) * P[name + ".gain"] + P[name + ".offset"]


def linear(v, name):  # weights stored [in, out]
    return v @ P[name + ".weight"] + P[name + ".bias"]


def softmax(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def attention(seq, name, allowed):
    """seq [N, S, D]; allowed [N, S, S] bool (query i may attend key j). Returns output [N, S, D] and weights [N, H, S, S]."""
    n, s, _ = seq.shape
    split = lambda m: m.reshape(n, s, H, dh).transpose(0, 2, 1, 3)                   # [N, H, S, dh]
    q, k, v = (split(linear(seq, name + w)) for w in (".wq", ".wk", ".wv"))
    scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(dh)
    scores = np.where(allowed[:, None], scores, -np.inf)
    w = softmax(scores)
    out = (w @ v).transpose(0, 2, 1, 3).reshape(n, s, D)
    return linear(out, name + ".wo"), w


gelu = lambda v: 0.5 * v * (1 + erf(v / math.sqrt(2)))                               # exact GELU
softplus = lambda v: np.maximum(v, 0) + np.log1p(np.exp(-np.abs(v)))

# token embedding: absent bars zeroed, availability channel, causal conv (kernel 3: step t sees t-2..t)
xm = np.where(avail[..., None], x, 0.0)
tokens = np.concatenate([xm, avail[..., None].astype(np.float64)], axis=3).transpose(0, 2, 1, 3)   # [B, A, T, F+1]
W = P["embed.weight"]                                                                # [K=3, F+1, D]
padded = np.concatenate([np.zeros((B, A, 2, F + 1)), tokens], axis=2)               # two zero steps on the left
h = P["embed.bias"] + sum(padded[:, :, k:k + T, :] @ W[k] for k in range(3))        # [B, A, T, D]
h = h + P["time.table"] + P["identity.table"][ids][:, :, None, :]

eye_t, eye_a = np.eye(T, dtype=bool), np.eye(A, dtype=bool)
causal = np.tril(np.ones((T, T), dtype=bool))
present_bat = avail.transpose(0, 2, 1)                                               # [B, A, T]
cross_weights = None
for l in range(L):
    pre = f"layer{l}"
    keys_t = present_bat.reshape(B * A, 1, T) | eye_t[None]                          # key present, or the query itself
    out, _ = attention(layer_norm(h, pre + ".ln_temporal").reshape(B * A, T, D), pre + ".attn_temporal", causal[None] & keys_t)
    h = h + out.reshape(B, A, T, D)
    seq = layer_norm(h, pre + ".ln_cross").transpose(0, 2, 1, 3).reshape(B * T, A, D)   # one problem per (b, t)
    out, w = attention(seq, pre + ".attn_cross", avail.reshape(B * T, 1, A) | eye_a[None])
    h = h + out.reshape(B, T, A, D).transpose(0, 2, 1, 3)
    if l == L - 1:
        cross_weights = w.reshape(B, T, H, A, A)[:, T - 1].mean(axis=1)               # [B, A, A]
    h = h + linear(gelu(linear(layer_norm(h, pre + ".ln_ff"), pre + ".ff.up")), pre + ".ff.down")

last = layer_norm(h[:, :, T - 1, :], "ln_out")                                        # [B, A, D]
ret = linear(last, "head_return")[..., 0]
logit = linear(last, "head_direction")[..., 0]
alloc = np.tanh(linear(last, "head_allocation")[..., 0])
qo = linear(last, "head_quantiles")
quant = np.stack([qo[..., 0] - softplus(qo[..., 1]), qo[..., 0], qo[..., 0] + softplus(qo[..., 2])], axis=-1)

mask = avail[:, T - 1, :]                                                             # prediction mask [B, A]
mse = ((ret - label)[mask] ** 2).mean()
ics = []
for b in range(B):
    m = mask[b]
    if m.sum() < 2:
        continue
    pc, yc = ret[b][m] - ret[b][m].mean(), label[b][m] - label[b][m].mean()
    ics.append((pc * yc).sum() / math.sqrt(((pc ** 2).sum() + 1e-8) * ((yc ** 2).sum() + 1e-8)))
neg_ic = -np.mean(ics)
z, y = logit[mask], (label[mask] > 0).astype(np.float64)
bce = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
pinball = sum(np.mean(np.maximum(tau * (label[mask] - quant[..., i][mask]), (tau - 1) * (label[mask] - quant[..., i][mask])))
              for i, tau in enumerate([0.1, 0.5, 0.9])) / 3
wt = np.where(mask, alloc, 0.0)
book = (wt * np.where(mask, label, 0.0)).sum(axis=1)
turnover = np.abs(wt - previous).sum(axis=1)
gross = np.maximum(np.abs(wt).sum(axis=1) - 0.05, 0.0)
alloc_loss = np.mean(-book + 0.01 * turnover + 0.5 * gross)

expected = {
    "numpy": np.__version__,
    "return": ret.flatten().tolist(), "directionLogit": logit.flatten().tolist(), "allocation": alloc.flatten().tolist(),
    "quantiles": quant.flatten().tolist(), "crossTickerAttention": cross_weights.flatten().tolist(),
    "mse": float(mse), "negativeIC": float(neg_ic), "bce": float(bce), "pinball": float(pinball), "allocationLoss": float(alloc_loss),
}
json.dump(expected, open(os.path.join(here, "stockformer_tiny_expected.json"), "w"), indent=1)
print(json.dumps({k: v for k, v in expected.items() if not isinstance(v, list)}, indent=1))
