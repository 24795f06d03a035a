// SPDX-License-Identifier: Apache-2.0
// Facade of LEAN's QuantConnect.Data, .Data.Market and .Data.UniverseSelection: only the members LeanModels uses.
using System.Collections;
using Common.Util;
using QuantConnect.Data.Market;
using QuantConnect.Securities;

namespace QuantConnect.Data
{
    public interface ISymbolProvider { }

    public interface IBaseData : ISymbolProvider { }

    public abstract class BaseData : IBaseData
    {
        public BaseData() { }

        public DateTime Time { get; set; }

        public virtual DateTime EndTime { get => Time; set => Time = value; }

        public Symbol Symbol { get; set; }

        public bool IsFillForward { get; private set; }

        public virtual decimal Value { get; set; }

        public virtual decimal Price => Value;
    }

    /// <summary>Facade: the data of one time step. Only trade bars are carried.</summary>
    public class Slice : ExtendedDictionary<Symbol, dynamic>, IEnumerable<KeyValuePair<Symbol, BaseData>>
    {
        private readonly List<BaseData> _data;

        public Slice(DateTime time, IEnumerable<BaseData> data, DateTime utcTime)
        {
            Time = time;
            UtcTime = utcTime;
            _data = data.ToList();
            Bars = new TradeBars();
            foreach (var bar in _data.OfType<TradeBar>()) Bars[bar.Symbol] = bar;
            HasData = _data.Count > 0;
        }

        public DateTime Time { get; private set; }

        public DateTime UtcTime { get; private set; }

        public bool HasData { get; private set; }

        public TradeBars Bars { get; }

        public override int Count => _data.Count;

        public override dynamic this[Symbol symbol]
        {
            get => TryGetValue(symbol, out var data) ? data : throw new KeyNotFoundException($"'{symbol}' wasn't found in the Slice object.");
            set => throw new NotSupportedException("Slice is read-only.");
        }

        public override bool TryGetValue(Symbol symbol, out dynamic data)
        {
            data = _data.FirstOrDefault(d => d.Symbol == symbol);
            return data != null;
        }

        public override bool ContainsKey(Symbol symbol) => _data.Any(d => d.Symbol == symbol);

        public IEnumerator<KeyValuePair<Symbol, BaseData>> GetEnumerator() =>
            _data.Select(d => new KeyValuePair<Symbol, BaseData>(d.Symbol, d)).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public static class SliceExtensions
    {
        public static void PushThrough(this IEnumerable<Slice> slices, Action<BaseData> handler, Type dataType = null)
        {
            foreach (var slice in slices)
                foreach (var pair in slice)
                    if (dataType == null || dataType.IsInstanceOfType(pair.Value)) handler(pair.Value);
        }
    }
}

namespace QuantConnect.Data.Market
{
    public interface IBar { }

    public interface IBaseDataBar : IBaseData, IBar { }

    public class TradeBar : BaseData, IBaseDataBar
    {
        public TradeBar(DateTime time, Symbol symbol, decimal open, decimal high, decimal low, decimal close, decimal volume, TimeSpan? period = null)
        {
            Time = time;
            Symbol = symbol;
            Open = open;
            High = high;
            Low = low;
            Close = close;
            Volume = volume;
            Period = period ?? TimeSpan.FromMinutes(1);
        }

        public virtual decimal Open { get; set; }

        public virtual decimal High { get; set; }

        public virtual decimal Low { get; set; }

        public virtual decimal Close { get => Value; set => Value = value; }

        public virtual decimal Volume { get; set; }

        public virtual TimeSpan Period { get; set; }

        public override DateTime EndTime { get => Time + Period; set => Period = value - Time; }
    }

    public class DataDictionary<T> : BaseExtendedDictionary<Symbol, T>
    {
        public DataDictionary() { }
    }

    public class TradeBars : DataDictionary<TradeBar>
    {
        public TradeBars() { }
    }
}

namespace QuantConnect.Data.UniverseSelection
{
    public class SecurityChanges
    {
        public static readonly SecurityChanges None = new(Array.Empty<Security>(), Array.Empty<Security>());

        internal SecurityChanges(IReadOnlyList<Security> added, IReadOnlyList<Security> removed)
        {
            AddedSecurities = added;
            RemovedSecurities = removed;
        }

        public IReadOnlyList<Security> AddedSecurities { get; }

        public IReadOnlyList<Security> RemovedSecurities { get; }

        public int Count => AddedSecurities.Count + RemovedSecurities.Count;
    }
}
