"""Reference for LeanModels.Models.RiskMeasures.HierarchicalRiskParity.

What this is -- honestly: NOT the numbers printed in the paper. We could not obtain the exact published output of
Lopez de Prado (2016), "Building Diversified Portfolios that Outperform Out-of-Sample", J. Portfolio Management 42(4),
Appendix (code also in "Advances in Financial Machine Learning" (2018), Snippets 16.1-16.4). Instead this script is a
direct Python 3 port of that appendix code (correlDist, getQuasiDiag, getRecBipart, getClusterVar, getIVP,
generateData with np.random.seed(12345) / random.seed(12345), nObs=10000, size0=5, size1=5, sigma1=0.25), with
scipy.cluster.hierarchy.linkage(dist, 'single') exactly as the paper calls it. Port changes: Python 3 integer division
(len(i)//2 where the paper has len(i)/2 under Python 2), range for xrange, pd.concat for Series.append.
Note, as in the paper: linkage() is given the full [N, N] matrix D = sqrt((1 - rho)/2), which scipy treats as N
observations of N features, so clustering uses d~_ij = ||D[:, i] - D[:, j]||_2 (the paper's eq. for d~, step 2).

Provenance: scipy 1.10.1, numpy 1.24.2, pandas 1.5.3 (Debian bookworm), Python 3.11.2 (/usr/bin/python3); run once
2026-11-22; output committed as hrp_lopez_de_prado.json: cov and corr [10, 10] of the generated data (row-major),
cols (the random columns copied), the linkage matrix, sortIx (0-based item indices in quasi-diagonal order) and the
HRP weights w[10] indexed by item (0-based: item i is the paper's column label i+1).
"""
import datetime
import json
import os
import random

import numpy as np
import pandas as pd
import scipy
import scipy.cluster.hierarchy as sch


def getIVP(cov, **kargs):
    ivp = 1. / np.diag(cov)
    ivp /= ivp.sum()
    return ivp


def getClusterVar(cov, cItems):
    cov_ = cov.loc[cItems, cItems]
    w_ = getIVP(cov_).reshape(-1, 1)
    cVar = np.dot(np.dot(w_.T, cov_), w_)[0, 0]
    return cVar


def getQuasiDiag(link):
    link = link.astype(int)
    sortIx = pd.Series([link[-1, 0], link[-1, 1]])
    numItems = link[-1, 3]
    while sortIx.max() >= numItems:
        sortIx.index = range(0, sortIx.shape[0] * 2, 2)
        df0 = sortIx[sortIx >= numItems]
        i = df0.index
        j = df0.values - numItems
        sortIx[i] = link[j, 0]
        df0 = pd.Series(link[j, 1], index=i + 1)
        sortIx = pd.concat([sortIx, df0])
        sortIx = sortIx.sort_index()
        sortIx.index = range(sortIx.shape[0])
    return sortIx.tolist()


def getRecBipart(cov, sortIx):
    w = pd.Series(1.0, index=sortIx)
    cItems = [sortIx]
    while len(cItems) > 0:
        cItems = [i[j:k] for i in cItems for j, k in ((0, len(i) // 2), (len(i) // 2, len(i))) if len(i) > 1]
        for i in range(0, len(cItems), 2):
            cItems0 = cItems[i]
            cItems1 = cItems[i + 1]
            cVar0 = getClusterVar(cov, cItems0)
            cVar1 = getClusterVar(cov, cItems1)
            alpha = 1 - cVar0 / (cVar0 + cVar1)
            w[cItems0] *= alpha
            w[cItems1] *= 1 - alpha
    return w


def correlDist(corr):
    dist = ((1 - corr) / 2.) ** .5
    return dist


def generateData(nObs, size0, size1, sigma1):
    np.random.seed(seed=12345)
    random.seed(12345)
    x = np.random.normal(0, 1, size=(nObs, size0))
    cols = [random.randint(0, size0 - 1) for i in range(size1)]
    y = x[:, cols] + np.random.normal(0, sigma1, size=(nObs, len(cols)))
    x = np.append(x, y, axis=1)
    x = pd.DataFrame(x, columns=range(1, x.shape[1] + 1))
    return x, cols


def main():
    nObs, size0, size1, sigma1 = 10000, 5, 5, .25
    x, cols = generateData(nObs, size0, size1, sigma1)
    print([(j + 1, size0 + i) for i, j in enumerate(cols, 1)])
    cov, corr = x.cov(), x.corr()
    dist = correlDist(corr)
    link = sch.linkage(dist, 'single')
    sortIx = getQuasiDiag(link)
    sortIx = corr.index[sortIx].tolist()          # recover labels (1-based)
    hrp = getRecBipart(cov, sortIx)
    print(hrp)
    out = {
        "provenance": {
            "script": "hrp_lopez_de_prado.py", "scipy": scipy.__version__, "numpy": np.__version__,
            "pandas": pd.__version__, "run_utc": datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%MZ"),
            "what": "direct port of Lopez de Prado (2016) appendix code; not the paper's printed numbers",
        },
        "n": 10, "cols": cols,
        "cov": [float(v) for v in cov.values.ravel()],
        "corr": [float(v) for v in corr.values.ravel()],
        "linkage": [[float(v) for v in row] for row in link],
        "sortIx": [int(s) - 1 for s in sortIx],
        "weights": [float(hrp[i + 1]) for i in range(10)],
    }
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "hrp_lopez_de_prado.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
