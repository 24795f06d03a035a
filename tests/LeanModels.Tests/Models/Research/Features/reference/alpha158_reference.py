"""Reference values of Qlib's Alpha158 (minus VWAP0) on real LEAN daily bars, for Alpha158Tests.

Implements Qlib's expressions (qlib/contrib/data/loader.py, Alpha158DL.get_feature_config) with Qlib's operator
semantics (qlib/data/ops.py; qlib/data/_libs/rolling.pyx for Slope/Rsquare/Resi, ported as Qlib's incremental update)
in numpy/scipy (pandas is not installed here): Std ddof=1, Quantile linear (np.quantile), Rank = scipy
percentileofscore(kind='rank')/100 (= pandas rolling.rank(pct=True)), IdxMax/IdxMin = argmax/argmin + 1, Corr = Pearson
with NaN where either window's std is close to 0 (atol 2e-5). Only full windows are evaluated.

Bars are LEAN's raw daily bars (prices = integer deci-cents / 10000), read straight from the zips, so the C# test can read
the same bars with PriceAdjustment.Raw. Run:  /usr/bin/python3 alpha158_reference.py > alpha158_reference.csv
"""
import io
import sys
import zipfile

import numpy as np
import scipy
from scipy.stats import percentileofscore

DATA = "../../../../../../../shared/data/lean/equity/usa/daily"
CASES = [("aapl", ["20081015", "20120321", "20140610"]), ("spy", ["20100507", "20150824"]), ("ibm", ["20190301"])]
WINDOWS = [5, 10, 20, 30, 60]
FAMILIES = ["ROC", "MA", "STD", "BETA", "RSQR", "RESI", "MAX", "MIN", "QTLU", "QTLD", "RANK", "RSV", "IMAX", "IMIN", "IMXD",
            "CORR", "CORD", "CNTP", "CNTN", "CNTD", "SUMP", "SUMN", "SUMD", "VMA", "VSTD", "WVMA", "VSUMP", "VSUMN", "VSUMD"]


def load(ticker):
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    with zipfile.ZipFile(os.path.join(here, DATA, ticker + ".zip")) as z:
        text = z.read(z.namelist()[0]).decode()
    dates, rows = [], []
    for line in text.splitlines():
        f = line.split(",")
        dates.append(f[0][:8])
        rows.append([int(f[1]) / 10000, int(f[2]) / 10000, int(f[3]) / 10000, int(f[4]) / 10000, float(int(f[5]))])
    return dates, np.array(rows)


def ref(x, d):
    out = np.full_like(x, np.nan)
    out[d:] = x[:-d] if d > 0 else x
    return out


def rolling(x, d, fn):
    out = np.full(len(x), np.nan)
    for t in range(d - 1, len(x)):
        out[t] = fn(x[t - d + 1:t + 1])
    return out


def rolling2(x, y, d, fn):
    out = np.full(len(x), np.nan)
    for t in range(d - 1, len(x)):
        out[t] = fn(x[t - d + 1:t + 1], y[t - d + 1:t + 1])
    return out


def qlib_regression(a, window, kind):
    """Port of qlib/data/_libs/rolling.pyx Slope/Rsquare/Resi (incremental sums, NaN-initialised deque)."""
    barv = [np.nan] * window
    na_count = window
    i_sum = x_sum = x2_sum = y_sum = y2_sum = xy_sum = 0.0
    out = np.empty(len(a))
    for t, val in enumerate(a):
        barv.append(val)
        xy_sum = xy_sum - y_sum
        x2_sum = x2_sum + i_sum - 2 * x_sum
        x_sum = x_sum - i_sum
        front = barv.pop(0)
        if not np.isnan(front):
            i_sum -= 1
            y_sum -= front
            y2_sum -= front * front
        else:
            na_count -= 1
        if np.isnan(val):
            na_count += 1
        else:
            i_sum += 1
            x_sum += window
            x2_sum += window * window
            y_sum += val
            y2_sum += val * val
            xy_sum += window * val
        n = window - na_count
        if kind == "slope":
            out[t] = (n * xy_sum - x_sum * y_sum) / (n * x2_sum - x_sum * x_sum)
        elif kind == "rsquare":
            r = (n * xy_sum - x_sum * y_sum) / np.sqrt((n * x2_sum - x_sum * x_sum) * (n * y2_sum - y_sum * y_sum))
            out[t] = r * r
        else:
            slope = (n * xy_sum - x_sum * y_sum) / (n * x2_sum - x_sum * x_sum)
            out[t] = val - (slope * window + (y_sum / n - slope * x_sum / n))
    return out


def mean(x, d):
    return rolling(x, d, np.mean)


def std(x, d):
    return rolling(x, d, lambda w: np.std(w, ddof=1))


def rsum(x, d):
    return rolling(x, d, np.sum)


def corr(x, y, d):
    def c(a, b):
        if np.isclose(np.std(a, ddof=1), 0, atol=2e-05) or np.isclose(np.std(b, ddof=1), 0, atol=2e-05):
            return np.nan
        return np.corrcoef(a, b)[0, 1]
    return rolling2(x, y, d, c)


def alpha158(bars):
    O, H, L, C, V = bars.T
    names, cols = [], []

    def add(name, col):
        names.append(name)
        cols.append(col)

    add("KMID", (C - O) / O)
    add("KLEN", (H - L) / O)
    add("KMID2", (C - O) / (H - L + 1e-12))
    add("KUP", (H - np.maximum(O, C)) / O)
    add("KUP2", (H - np.maximum(O, C)) / (H - L + 1e-12))
    add("KLOW", (np.minimum(O, C) - L) / O)
    add("KLOW2", (np.minimum(O, C) - L) / (H - L + 1e-12))
    add("KSFT", (2 * C - H - L) / O)
    add("KSFT2", (2 * C - H - L) / (H - L + 1e-12))
    add("OPEN0", O / C)
    add("HIGH0", H / C)
    add("LOW0", L / C)
    C1, V1 = ref(C, 1), ref(V, 1)
    for fam in FAMILIES:
        for d in WINDOWS:
            if fam == "ROC": col = ref(C, d) / C
            elif fam == "MA": col = mean(C, d) / C
            elif fam == "STD": col = std(C, d) / C
            elif fam == "BETA": col = qlib_regression(C, d, "slope") / C
            elif fam == "RSQR": col = qlib_regression(C, d, "rsquare")
            elif fam == "RESI": col = qlib_regression(C, d, "resi") / C
            elif fam == "MAX": col = rolling(H, d, np.max) / C
            elif fam == "MIN": col = rolling(L, d, np.min) / C
            elif fam == "QTLU": col = rolling(C, d, lambda w: np.quantile(w, 0.8)) / C
            elif fam == "QTLD": col = rolling(C, d, lambda w: np.quantile(w, 0.2)) / C
            elif fam == "RANK": col = rolling(C, d, lambda w: percentileofscore(w, w[-1], kind="rank") / 100)
            elif fam == "RSV": col = (C - rolling(L, d, np.min)) / (rolling(H, d, np.max) - rolling(L, d, np.min) + 1e-12)
            elif fam == "IMAX": col = rolling(H, d, lambda w: np.argmax(w) + 1) / d
            elif fam == "IMIN": col = rolling(L, d, lambda w: np.argmin(w) + 1) / d
            elif fam == "IMXD": col = (rolling(H, d, lambda w: np.argmax(w) + 1) - rolling(L, d, lambda w: np.argmin(w) + 1)) / d
            elif fam == "CORR": col = corr(C, np.log(V + 1), d)
            elif fam == "CORD": col = corr(C / C1, np.log(V / V1 + 1), d)
            elif fam == "CNTP": col = mean((C > C1).astype(float), d)
            elif fam == "CNTN": col = mean((C < C1).astype(float), d)
            elif fam == "CNTD": col = mean((C > C1).astype(float), d) - mean((C < C1).astype(float), d)
            elif fam == "SUMP": col = rsum(np.maximum(C - C1, 0), d) / (rsum(np.abs(C - C1), d) + 1e-12)
            elif fam == "SUMN": col = rsum(np.maximum(C1 - C, 0), d) / (rsum(np.abs(C - C1), d) + 1e-12)
            elif fam == "SUMD": col = (rsum(np.maximum(C - C1, 0), d) - rsum(np.maximum(C1 - C, 0), d)) / (rsum(np.abs(C - C1), d) + 1e-12)
            elif fam == "VMA": col = mean(V, d) / (V + 1e-12)
            elif fam == "VSTD": col = std(V, d) / (V + 1e-12)
            elif fam == "WVMA":
                w = np.abs(C / C1 - 1) * V
                col = std(w, d) / (mean(w, d) + 1e-12)
            elif fam == "VSUMP": col = rsum(np.maximum(V - V1, 0), d) / (rsum(np.abs(V - V1), d) + 1e-12)
            elif fam == "VSUMN": col = rsum(np.maximum(V1 - V, 0), d) / (rsum(np.abs(V - V1), d) + 1e-12)
            elif fam == "VSUMD": col = (rsum(np.maximum(V - V1, 0), d) - rsum(np.maximum(V1 - V, 0), d)) / (rsum(np.abs(V - V1), d) + 1e-12)
            add(f"{fam}{d}", col)
    return names, np.array(cols)


def main():
    np.seterr(all="ignore")                 # Qlib's incremental regression divides 0/0 before its window fills
    out = sys.stdout
    out.write(f"# numpy {np.__version__}, scipy {scipy.__version__}; bars: raw LEAN daily (deci-cents/10000)\n")
    out.write("ticker,date,feature,value\n")
    for ticker, dates in CASES:
        all_dates, bars = load(ticker)
        for date in dates:
            t = all_dates.index(date)
            window = bars[t - 60 - 70:t + 1]      # extra history so Qlib's incremental regression starts warm
            names, cols = alpha158(window)
            for name, col in zip(names, cols):
                out.write(f"{ticker},{date},{name},{col[-1]!r}\n")


if __name__ == "__main__":
    main()
