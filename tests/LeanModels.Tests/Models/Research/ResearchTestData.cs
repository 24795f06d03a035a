using LeanModels.Models.Data;
using LeanModels.Models.Numerics;
using LeanModels.Models.Research;

namespace LeanModels.Tests.Models.Research;

/// <summary>Small panels for research tests.</summary>
internal static class ResearchTestData
{
    /// <summary>Random-walk daily bars for <paramref name="assets"/> assets over <paramref name="days"/> weekdays from 2020-01-01.</summary>
    public static (string[] Tickers, List<Bar>[] Bars) RandomWalk(int assets, int days, ulong seed)
    {
        var rng = new Xoshiro256StarStar(seed);
        var tickers = Enumerable.Range(0, assets).Select(a => $"t{a}").ToArray();
        var bars = new List<Bar>[assets];
        var dates = new List<DateTime>();
        for (var d = new DateTime(2020, 1, 1); dates.Count < days; d = d.AddDays(1))
            if (d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) dates.Add(d);
        for (var a = 0; a < assets; a++)
        {
            bars[a] = new List<Bar>(days);
            var close = 50.0 + 10 * a;
            foreach (var date in dates)
            {
                var open = close * Math.Exp(0.005 * rng.NextGaussian());
                close = open * Math.Exp(0.01 * rng.NextGaussian() + 0.0002 * a);
                var high = Math.Max(open, close) * (1 + 0.005 * rng.NextDouble());
                var low = Math.Min(open, close) * (1 - 0.005 * rng.NextDouble());
                bars[a].Add(new Bar(date, open, high, low, close, 1e5 * (1 + rng.NextDouble())));
            }
        }
        return (tickers, bars);
    }

    public static Panel Panel(int assets, int days, ulong seed)
    {
        var (tickers, bars) = RandomWalk(assets, days, seed);
        return LeanModels.Models.Research.Panel.FromBars(tickers, bars);
    }
}
