"""Independent NumPy (float64) implementation of the two-stage and direct models' forward passes, for the C# reference test.

Reads twostage_tiny_inputs.json (inputs, availability and the named parameters of six seeded C# models: two-stage and direct,
each with an LSTM, GRU and TCN; written once by generate_inputs.cs.txt and committed), computes every stage-1 embedding and
every forecast as Models/TwoStage/README.md documents them, written from the documentation, not from the C# code, and writes
twostage_tiny_expected.json.

Run: /usr/bin/python3 twostage_reference.py   (numpy 1.24.2, scipy 1.10.1; float64 throughout)
"""
import json, os
import numpy as np
from scipy.special import erf

here = os.path.dirname(os.path.abspath(__file__))
doc = json.load(open(os.path.join(here, "twostage_tiny_inputs.json")))
B, T, A, F = doc["shape"]
avail = np.array(doc["available"], dtype=bool).reshape(B, T, A)
x = np.array([0.0 if v is None else v for v in doc["x"]]).reshape(B, T, A, F)   # absent bars zeroed
x[~avail] = 0.0
flag = avail.astype(np.float64)[..., None]                                        # [B, T, A, 1]


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def gelu(v):  # exact GELU, x·Φ(x)
    return 0.5 * v * (1.0 + erf(v / np.sqrt(2.0)))


def make(P):
    def linear(v, name):  # weights stored [in, out]
        return v @ P[name + ".weight"] + P[name + ".bias"]

    def layer_norm(v, name):  # over the last axis, eps 1e-5, biased variance
        mu = v.mean(axis=-1, keepdims=True)
        var = ((v - mu) ** 2).mean(axis=-1, keepdims=True)
        return (v - mu) / np.sqrt(var + 1e-5) * P[name + ".gain"] + P[name + ".offset"]

    def attention(h, keys, name, heads):
        """h [S, D] tokens of one date, keys [S] flags; key j allowed when keys[j] or j == i."""
        S, D = h.shape
        dh = D // heads
        q, k, v = linear(h, name + ".wq"), linear(h, name + ".wk"), linear(h, name + ".wv")
        allowed = keys[None, :] | np.eye(S, dtype=bool)
        out = np.zeros((S, D))
        for hd in range(heads):
            c = slice(hd * dh, (hd + 1) * dh)
            s = q[:, c] @ k[:, c].T / np.sqrt(dh)
            s = np.where(allowed, s, -np.inf)
            w = np.exp(s - s.max(axis=1, keepdims=True))
            w = w / w.sum(axis=1, keepdims=True)
            out[:, c] = w @ v[:, c]
        return linear(out, name + ".wo")

    def conv(v, name, dilation):
        """causal: y[t] = b + Σ_k v[t + k·d − d·(K−1)] · w[k], zeros before the start; v [T, Cin]"""
        w = P[name + ".weight"]
        K = w.shape[0]
        y = np.tile(P[name + ".bias"], (v.shape[0], 1))
        for t in range(v.shape[0]):
            for k in range(K):
                s = t + k * dilation - dilation * (K - 1)
                if s >= 0:
                    y[t] += v[s] @ w[k]
        return y

    def temporal(seq, prefix, family, hidden, levels):
        """seq [T, I] → the state of the last step [H]"""
        if family == "Lstm":
            h, c = np.zeros(hidden), np.zeros(hidden)
            for t in range(seq.shape[0]):
                g = seq[t] @ P[prefix + ".lstm.weight_ih"] + h @ P[prefix + ".lstm.weight_hh"] + P[prefix + ".lstm.bias"]
                i, f, gg, o = (g[j * hidden:(j + 1) * hidden] for j in range(4))
                c = sigmoid(f) * c + sigmoid(i) * np.tanh(gg)
                h = sigmoid(o) * np.tanh(c)
            return h
        if family == "Gru":
            h = np.zeros(hidden)
            for t in range(seq.shape[0]):
                xg = seq[t] @ P[prefix + ".gru.weight_ih"] + P[prefix + ".gru.bias_ih"]
                hg = h @ P[prefix + ".gru.weight_hh"] + P[prefix + ".gru.bias_hh"]
                r = sigmoid(xg[:hidden] + hg[:hidden])
                z = sigmoid(xg[hidden:2 * hidden] + hg[hidden:2 * hidden])
                n = np.tanh(xg[2 * hidden:] + r * hg[2 * hidden:])
                h = (1 - z) * n + z * h
            return h
        v = seq
        for l in range(levels):  # TCN block: two causal dilated convs with ReLU, residual (1×1 conv when widths differ), ReLU
            name = f"{prefix}.tcn{l}"
            y = np.maximum(conv(np.maximum(conv(v, name + ".conv1", 2 ** l), 0), name + ".conv2", 2 ** l), 0)
            res = v @ P[name + ".downsample.weight"][0] + P[name + ".downsample.bias"] if name + ".downsample.weight" in P else v
            v = np.maximum(y + res, 0)
        return v[-1]

    return linear, layer_norm, attention, temporal


expected = {}
for case in doc["cases"]:
    P = {p["name"]: np.array(p["values"], dtype=np.float64).reshape(p["shape"]) for p in case["parameters"]}
    linear, layer_norm, attention, temporal = make(P)
    o = case["options"]
    fam, H = case["family"], o["hidden"]
    if case["kind"] == "twostage":
        E = o["embedding"]
        e = np.zeros((B, T, A, E))
        for b in range(B):
            for t in range(T):
                present = avail[b, t]
                tokens = linear(np.concatenate([x[b, t], flag[b, t]], axis=1), "stage1.asset_token")      # [A, D]
                n = present.sum()
                mean = x[b, t][present].sum(axis=0) / n if n > 0 else np.zeros(F)                       # present assets only
                h = np.vstack([tokens, linear(mean, "stage1.market_token")[None, :]])                 # [A + 1, D], market last
                keys = np.append(present, True)                                                        # market always a key
                for l in range(o["layers"]):
                    p = f"stage1.layer{l}"
                    h = h + attention(layer_norm(h, p + ".ln_attn"), keys, p + ".attn", o["heads"])
                    h = h + linear(gelu(linear(layer_norm(h, p + ".ln_ff"), p + ".ff.up")), p + ".ff.down")
                emb = linear(layer_norm(h[:A], "stage1.ln_out"), "stage1.project")
                emb[~present] = 0.0
                e[b, t] = emb
        forecast = np.zeros((B, A))
        for b in range(B):
            for a in range(A):
                seq = np.concatenate([x[b, :, a], e[b, :, a], flag[b, :, a]], axis=1)                  # [T, F + E + 1]
                forecast[b, a] = linear(temporal(seq, "stage2", fam, H, o["tcnLevels"]), "head")[0]
        expected[case["name"]] = {"return": forecast.ravel().tolist(), "embedding": e.ravel().tolist()}
    else:
        forecast = np.zeros((B, A))
        for b in range(B):
            seq = np.concatenate([x[b], flag[b]], axis=2).reshape(T, A * (F + 1))                       # asset-major per day
            forecast[b] = linear(temporal(seq, "temporal", fam, H, o["tcnLevels"]), "head")
        expected[case["name"]] = {"return": forecast.ravel().tolist()}

json.dump(expected, open(os.path.join(here, "twostage_tiny_expected.json"), "w"), indent=1)
print({k: np.round(v["return"], 6).tolist() for k, v in expected.items()})
