"""Reference for LeanModels.Models.Regime.MarkovSwitchingRegression: statsmodels MarkovRegression on SPY.

Provenance
  statsmodels 0.13.5+dfsg, scipy 1.10.1, numpy 1.24.2 (Debian bookworm packages python3-statsmodels/-scipy/-numpy),
  Python 3.11.2 (/usr/bin/python3). Run once on 2026-11-22; output committed as markov_regression_spy.json.
Input
  spy_returns.load(): adjusted SPY daily log returns, close to close, 1998-01-05..2021-03-31 (5848 returns),
  scaled to PERCENT (x100) because statsmodels' optimiser is better conditioned there; the C# test scales the same way.
Model
  MarkovRegression(y, k_regimes=2, trend='c', switching_variance=True): y_t = mu_{S_t} + e_t, e_t ~ N(0, sigma2_{S_t}),
  S_t a 2-state Markov chain with P[i, j] = Pr(S_t = j | S_{t-1} = i); initial distribution = the chain's steady state
  (statsmodels' default). fit() with its defaults (5 EM iterations, then BFGS) plus search_reps=20 with a fixed seed,
  keeping the best log-likelihood.
Output (regimes relabelled so regime 0 has the LOWER variance)
  mu[2], sigma2[2], p_stay[2] (P[0,0], P[1,1]), llf, n, first/last date, sum of returns (to check the input),
  filtered_high_vol[T] = Pr(S_t = high-variance regime | y_1..y_t)  (filtered, not smoothed).
"""
import datetime
import json
import os

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm

import spy_returns

dates, rets = spy_returns.load()
y = np.asarray(rets) * 100.0
np.random.seed(20261122)
model = sm.tsa.MarkovRegression(y, k_regimes=2, trend="c", switching_variance=True)
res = model.fit(search_reps=20, maxiter=1000, disp=False)
names = model.param_names
p = dict(zip(names, res.params))
print(res.summary())
sig = np.array([p["sigma2[0]"], p["sigma2[1]"]])
mu = np.array([p["const[0]"], p["const[1]"]])
# statsmodels parameterises p[i->j]: 'p[0->0]', 'p[1->0]'
P = np.array([[p["p[0->0]"], 1 - p["p[0->0]"]], [p["p[1->0]"], 1 - p["p[1->0]"]]])
order = np.argsort(sig)                       # low variance first
filt = res.filtered_marginal_probabilities    # [T, K]
filt = np.asarray(filt)
out = {
    "provenance": {
        "script": "markov_regression_spy.py",
        "statsmodels": statsmodels.__version__, "scipy": scipy.__version__, "numpy": np.__version__,
        "run_utc": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%MZ"),
        "input": "SPY adjusted daily log returns x100 (percent), 1998-01-05..2021-03-31",
    },
    "scale": 100.0,
    "n": len(y), "first_date": dates[0], "last_date": dates[-1], "sum_returns": float(np.sum(rets)),
    "mu": [float(mu[k]) for k in order],
    "sigma2": [float(sig[k]) for k in order],
    "p_stay": [float(P[k, k]) for k in order],
    "llf": float(res.llf),
    "filtered_high_vol": [round(float(v), 12) for v in filt[:, order[1]]],
}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "markov_regression_spy.json"), "w") as f:
    json.dump(out, f, indent=1)
print({k: v for k, v in out.items() if k != "filtered_high_vol"})
