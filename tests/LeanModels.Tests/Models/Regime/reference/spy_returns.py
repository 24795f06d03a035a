"""Adjusted SPY daily log returns, close to close, 1998-01-02..2021-03-31 -- the same series the C# tests build
(tests/LeanModels.Tests/Models/Regime/SpyReturns.cs).

Input: ../shared/data/lean/equity/usa/daily/spy.zip (spy.csv: yyyyMMdd 00:00,open,high,low,close,volume; prices are
dollars x 10000) and ../shared/data/lean/equity/usa/factor_files/spy.csv (yyyyMMdd,priceFactor,splitFactor,referencePrice).
A bar dated d is multiplied by priceFactor*splitFactor of the EARLIEST factor row dated >= d (LEAN's Adjusted mode);
bars after the last row use 1. Returns r_t = ln(adjclose_t / adjclose_{t-1}); the first return is dated 1998-01-05.
Standard library only (csv, zipfile, math), so the series does not depend on numpy/pandas versions.
"""
import bisect
import io
import math
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
# reference/ -> Regime -> Models -> LeanModels.Tests -> tests -> repo root; ../shared beside the repo
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", "..", ".."))
LEAN = os.path.abspath(os.path.join(ROOT, "..", "shared", "data", "lean", "equity", "usa"))
START, END = "19980102", "20210331"


def load():
    """Returns (dates yyyyMMdd of each return, log returns as floats) -- 1998-01-05..2021-03-31."""
    rows = []
    with open(os.path.join(LEAN, "factor_files", "spy.csv")) as f:
        for line in f:
            line = line.strip()
            if not line or "inf" in line.lower() or "e+" in line.lower():
                continue
            p = line.split(",")
            pf, sf = float(p[1]), float(p[2])
            if pf == 0 or sf == 0:
                continue
            rows.append((p[0], pf * sf))
    fdates = [r[0] for r in rows]
    with zipfile.ZipFile(os.path.join(LEAN, "daily", "spy.zip")) as z:
        text = z.read("spy.csv").decode("ascii")
    dates, closes = [], []
    for line in io.StringIO(text):
        line = line.strip()
        if not line:
            continue
        p = line.split(",")
        d = p[0][:8]
        if d < START or d > END:
            continue
        i = bisect.bisect_left(fdates, d)          # earliest factor row dated >= d
        factor = rows[i][1] if i < len(rows) else 1.0
        dates.append(d)
        closes.append(float(p[4]) / 10000.0 * factor)
    rets = [math.log(closes[i] / closes[i - 1]) for i in range(1, len(closes))]
    return dates[1:], rets


if __name__ == "__main__":
    d, r = load()
    print(len(r), d[0], d[-1], sum(r), min(r), max(r))
