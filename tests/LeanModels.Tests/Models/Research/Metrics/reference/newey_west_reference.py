#!/usr/bin/python3
"""Reference values for SignalMetricsTests.NeweyWestTStat_*: statsmodels' HAC t-value of a mean against our definition.

Run: /usr/bin/python3 newey_west_reference.py   (Debian python3-statsmodels 0.13.5, numpy from Debian)

Our definition (SignalMetrics.NeweyWestTStat): u = x - mean(x); gamma_l = (1/n) sum_{t>=l} u_t u_{t-l};
w_l = 1 - l/(lags+1); t = mean / sqrt((gamma_0 + 2 sum_{l=1..lags} w_l gamma_l) / n).
statsmodels: OLS on a constant with cov_type='HAC', maxlags=L, use_correction=False uses the same Bartlett kernel
(weights_bartlett: 1 - arange(L+1)/(L+1)) and, without the correction, no n/(n-k) factor: cov = S / n^2 with
S = sum_l w_l (Gamma_l + Gamma_l'), Gamma_l = sum_t u_t u_{t-l}, which equals (gamma_0 + 2 sum w_l gamma_l) / n.
With use_correction=True statsmodels multiplies the variance by n/(n-1) (k = 1 regressor); we do NOT.

Printed on 2026-11-22:
lags=0 ours=1.8516401995451028 statsmodels=1.851640199545103
lags=2 ours=2.9692299558323616 statsmodels=2.9692299558323625
lags=2 statsmodels use_correction=True (not our convention)=2.7774602993176556
lags=9 ours=4.8193159734149935 statsmodels=4.819315973415
"""
import numpy as np
import statsmodels.api as sm

x = np.array([0.05, -0.02, 0.03, 0.01, 0.04, -0.01, 0.02, 0.00])
n = len(x)
ones = np.ones(n)


def ours(x, lags):
    u = x - x.mean()
    n = len(x)
    lrv = (u @ u) / n
    for l in range(1, min(lags, n - 1) + 1):
        lrv += 2 * (1 - l / (lags + 1)) * (u[l:] @ u[:-l]) / n
    return x.mean() / np.sqrt(lrv / n)


def statsmodels_t(x, lags, correction=False):
    fit = sm.OLS(x, ones).fit(cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": correction})
    return fit.tvalues[0]


for lags in (0, 2):
    print(f"lags={lags} ours={ours(x, lags)!r} statsmodels={statsmodels_t(x, lags)!r}")
print(f"lags=2 statsmodels use_correction=True (not our convention)={statsmodels_t(x, 2, True)!r}")
print(f"lags=9 ours={ours(x, 9)!r} statsmodels={statsmodels_t(x, 9)!r}")
