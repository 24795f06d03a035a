"""Reference for LeanModels.Models.Regime.Garch: maximum-likelihood GARCH(1,1) and GJR-GARCH(1,1,1) on SPY, written
directly with numpy + scipy.optimize (independent of the C# code; the `arch` package is not available to us).

Provenance
  scipy 1.10.1, numpy 1.24.2 (Debian bookworm python3-scipy/python3-numpy), Python 3.11.2 (/usr/bin/python3).
  Run once on 2026-11-22; output committed as garch_spy.json.
Input
  spy_returns.load(): adjusted SPY daily log returns 1998-01-05..2021-03-31 (5848), scaled to PERCENT (x100).
Model (the conventions the C# code documents)
  y_t = mu + e_t,  e_t = sigma_t z_t
  sigma2_1 = (1/T) sum_t (y_t - mean(y))^2       (sample variance, fixed before optimising: the "backcast")
  sigma2_t = omega + (alpha + gamma*[e_{t-1} < 0]) e_{t-1}^2 + beta sigma2_{t-1},  t >= 2  (gamma = 0 for GARCH)
  z ~ N(0,1), or standardised Student-t with nu > 2 degrees of freedom (unit variance):
    log f = lgamma((nu+1)/2) - lgamma(nu/2) - 0.5 log(pi (nu-2)) - 0.5 log sigma2 - (nu+1)/2 log(1 + e^2/(sigma2 (nu-2)))
  log-likelihood = sum over all T observations (t = 1..T).
  Sources: Bollerslev (1986) J. Econometrics 31; Glosten, Jagannathan & Runkle (1993) J. Finance 48; Bollerslev (1987)
  REStat 69 for the standardised t.
Optimiser
  scipy.optimize.minimize L-BFGS-B with bounds (omega in [1e-8, 10], alpha, gamma, beta in [0, 1], nu in [2.05, 200]),
  from 4 starting points, best kept, then polished by bounded Nelder-Mead (xatol=fatol=1e-12) and L-BFGS-B again.
  Stationarity alpha + gamma/2 + beta < 1 is checked afterwards (it is not binding on this series).
Output
  per model: params (mu, omega, alpha, [gamma], beta, [nu]), llf, persistence, forecast[10] = E[sigma2_{T+h} | F_T]
  for h = 1..10 (sigma2_{T+1} from the recursion, then sigma2_{T+h} = omega + (alpha + gamma/2 + beta) sigma2_{T+h-1});
  llf_at_fixed = the log-likelihood at fixed parameters (checks the likelihood itself, without the optimiser);
  sigma2_at_fixed_first5/last = the conditional variance path at those fixed parameters.
"""
import datetime
import json
import math
import os

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import gammaln

import spy_returns

dates, rets = spy_returns.load()
y = np.asarray(rets) * 100.0
T = len(y)
backcast = float(np.mean((y - y.mean()) ** 2))


def sigma2_path(mu, omega, alpha, gamma, beta):
    e = y - mu
    s2 = np.empty(T)
    s2[0] = backcast
    for t in range(1, T):
        a = alpha + (gamma if e[t - 1] < 0 else 0.0)
        s2[t] = omega + a * e[t - 1] ** 2 + beta * s2[t - 1]
    return e, s2


def loglik(theta, gjr, student):
    mu, omega, alpha = theta[0], theta[1], theta[2]
    i = 3
    gamma = 0.0
    if gjr:
        gamma = theta[i]; i += 1
    beta = theta[i]; i += 1
    e, s2 = sigma2_path(mu, omega, alpha, gamma, beta)
    if np.any(s2 <= 0):
        return -1e300
    if student:
        nu = theta[i]
        c = gammaln((nu + 1) / 2) - gammaln(nu / 2) - 0.5 * math.log(math.pi * (nu - 2))
        return float(np.sum(c - 0.5 * np.log(s2) - (nu + 1) / 2 * np.log1p(e ** 2 / (s2 * (nu - 2)))))
    return float(-0.5 * np.sum(math.log(2 * math.pi) + np.log(s2) + e ** 2 / s2))


def fit(gjr, student):
    bounds = [(-1.0, 1.0), (1e-8, 10.0), (0.0, 1.0)] + ([(0.0, 1.0)] if gjr else []) + [(0.0, 1.0)] + ([(2.05, 200.0)] if student else [])
    starts = []
    for a, b in [(0.05, 0.90), (0.10, 0.85), (0.03, 0.95), (0.15, 0.80)]:
        s = [y.mean(), backcast * (1 - a - b), a] + ([a] if gjr else []) + [b] + ([8.0] if student else [])
        if gjr:
            s[2] = a / 2
        starts.append(s)
    f = lambda th: -loglik(th, gjr, student)
    best = None
    for s in starts:
        r = minimize(f, s, method="L-BFGS-B", bounds=bounds, options={"ftol": 1e-15, "gtol": 1e-9, "maxiter": 5000})
        if best is None or r.fun < best.fun:
            best = r
    r = minimize(f, best.x, method="Nelder-Mead", bounds=bounds, options={"xatol": 1e-12, "fatol": 1e-12, "maxiter": 40000, "maxfev": 80000})
    r2 = minimize(f, r.x, method="L-BFGS-B", bounds=bounds, options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 5000})
    x = r2.x if r2.fun <= r.fun else r.x
    return x, -f(x)


def unpack(x, gjr, student):
    names = ["mu", "omega", "alpha"] + (["gamma"] if gjr else []) + ["beta"] + (["nu"] if student else [])
    return dict(zip(names, [float(v) for v in x]))


def forecast(p, h=10):
    e, s2 = sigma2_path(p["mu"], p["omega"], p["alpha"], p.get("gamma", 0.0), p["beta"])
    a = p["alpha"] + (p.get("gamma", 0.0) if e[-1] < 0 else 0.0)
    f = [p["omega"] + a * e[-1] ** 2 + p["beta"] * s2[-1]]
    pers = p["alpha"] + p.get("gamma", 0.0) / 2 + p["beta"]
    for _ in range(1, h):
        f.append(p["omega"] + pers * f[-1])
    return f


FIXED = {"mu": 0.05, "omega": 0.02, "alpha": 0.08, "gamma": 0.10, "beta": 0.86, "nu": 7.0}
out = {
    "provenance": {
        "script": "garch_spy.py", "scipy": scipy.__version__, "numpy": np.__version__,
        "run_utc": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%MZ"),
        "input": "SPY adjusted daily log returns x100 (percent), 1998-01-05..2021-03-31",
    },
    "scale": 100.0, "n": T, "backcast": backcast, "fixed_params": FIXED, "models": {},
}
for name, gjr, student in [("garch_normal", False, False), ("garch_t", False, True), ("gjr_normal", True, False), ("gjr_t", True, True)]:
    x, llf = fit(gjr, student)
    p = unpack(x, gjr, student)
    fixed = [FIXED[k] for k in p.keys()]
    e, s2 = sigma2_path(FIXED["mu"], FIXED["omega"], FIXED["alpha"], FIXED["gamma"] if gjr else 0.0, FIXED["beta"])
    out["models"][name] = {
        "params": p, "llf": llf,
        "persistence": p["alpha"] + p.get("gamma", 0.0) / 2 + p["beta"],
        "forecast": forecast(p),
        "llf_at_fixed": loglik(np.array(fixed), gjr, student),
        "sigma2_at_fixed_first5": [float(v) for v in s2[:5]],
        "sigma2_at_fixed_last": float(s2[-1]),
    }
    print(name, p, llf)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "garch_spy.json"), "w") as f:
    json.dump(out, f, indent=1)
