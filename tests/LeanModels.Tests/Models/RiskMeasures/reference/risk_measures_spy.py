"""Reference for LeanModels.Models.RiskMeasures.TailRiskMeasures and DrawdownTracker on real SPY returns.

Provenance
  scipy 1.10.1, numpy 1.24.2 (Debian bookworm python3-scipy/python3-numpy), Python 3.11.2 (/usr/bin/python3).
  Run once on 2026-11-22; output committed as risk_measures_spy.json.
Input
  ../../Regime/reference/spy_returns.py: adjusted SPY daily log returns 1998-01-05..2021-03-31 (5848), in PERCENT (x100).
Independent implementations (not ports of the C# code)
  historical: the empirical distribution's exact lower-tail mean, computed as the integral of the empirical quantile
      function over (0, alpha] with numpy (sum of sorted returns weighted by the probability mass each contributes
      below alpha), VaR = -sorted[ceil(alpha*T) - 1];
  gaussian: scipy.stats.norm.ppf / .pdf with mean and std (ddof=1);
  cornish_fisher: moments from scipy.stats.skew / scipy.stats.kurtosis (bias=True, excess), std ddof=1; VaR from the
      Cornish-Fisher quantile; CVaR = -(1/alpha) * scipy.integrate.quad of that quantile function over (0, alpha)
      (numerical integration, whereas C# uses a closed form);
  garch: one-step VaR/CVaR of the gjr_t fit in ../../Regime/reference/garch_spy.json at the end of the sample, with
      scipy.stats.t.ppf and CVaR by quad of the t quantile function (C# uses the closed-form t tail mean);
  drawdown: max drawdown of the price index exp(cumsum(log returns)), with numpy.maximum.accumulate.
"""
import datetime
import json
import math
import os
import sys

import numpy as np
import scipy
from scipy import stats
from scipy.integrate import quad

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Regime", "reference"))
import spy_returns  # noqa: E402

_, rets = spy_returns.load()
y = np.asarray(rets) * 100.0
T = len(y)


def historical(alpha):
    s = np.sort(y)
    # probability mass of each order statistic below alpha: min(1/T, max(0, alpha - i/T))
    mass = np.clip(alpha - np.arange(T) / T, 0.0, 1.0 / T)
    return -s[math.ceil(alpha * T) - 1], -float(np.sum(mass * s)) / alpha


def gaussian(alpha):
    m, sd = y.mean(), y.std(ddof=1)
    z = stats.norm.ppf(alpha)
    return -(m + sd * z), -m + sd * stats.norm.pdf(z) / alpha


def cornish_fisher(alpha):
    m, sd = y.mean(), y.std(ddof=1)
    S, K = stats.skew(y, bias=True), stats.kurtosis(y, fisher=True, bias=True)

    def q(u):
        z = stats.norm.ppf(u)
        return m + sd * (z + (z * z - 1) * S / 6 + (z ** 3 - 3 * z) * K / 24 - (2 * z ** 3 - 5 * z) * S * S / 36)
    integral = quad(q, 0, alpha, epsabs=1e-13, epsrel=1e-12, limit=500)[0]
    return -q(alpha), -integral / alpha, float(S), float(K)


def garch(alpha):
    g = json.load(open(os.path.join(HERE, "..", "..", "Regime", "reference", "garch_spy.json")))
    p = g["models"]["gjr_t"]["params"]
    s2 = g["models"]["gjr_t"]["forecast"][0]
    nu, sc = p["nu"], math.sqrt((p["nu"] - 2) / p["nu"])
    q = lambda u: stats.t.ppf(u, nu) * sc
    tail = quad(q, 0, alpha, epsabs=1e-13, epsrel=1e-12, limit=500)[0] / alpha
    sigma = math.sqrt(s2)
    return -(p["mu"] + sigma * q(alpha)), -(p["mu"] + sigma * tail)


price = np.exp(np.cumsum(np.asarray(rets)))
dd = 1 - price / np.maximum.accumulate(price)
out = {
    "provenance": {"script": "risk_measures_spy.py", "scipy": scipy.__version__, "numpy": np.__version__,
                   "run_utc": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%MZ"),
                   "input": "SPY adjusted daily log returns x100 (percent), 1998-01-05..2021-03-31"},
    "scale": 100.0, "n": T, "alphas": [0.01, 0.05], "results": {},
    "max_drawdown": float(dd.max()), "max_drawdown_index": int(dd.argmax()),
}
for a in (0.01, 0.05):
    h, gs, cf, ga = historical(a), gaussian(a), cornish_fisher(a), garch(a)
    out["results"][str(a)] = {
        "historical": [float(h[0]), float(h[1])], "gaussian": [float(gs[0]), float(gs[1])],
        "cornish_fisher": [float(cf[0]), float(cf[1])], "skew": cf[2], "excess_kurtosis": cf[3],
        "gjr_t": [float(ga[0]), float(ga[1])],
    }
with open(os.path.join(HERE, "risk_measures_spy.json"), "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps(out, indent=1))
