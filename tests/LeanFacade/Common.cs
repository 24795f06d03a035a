// SPDX-License-Identifier: Apache-2.0
// Facade of LEAN's QuantConnect namespace (Common/Global.cs, Symbol.cs, Market.cs, ExtendedDictionary.cs, Extensions.cs).
using QuantConnect.Interfaces;
using QuantConnect.Scheduling;

namespace QuantConnect
{
    public enum Resolution { Tick, Second, Minute, Hour, Daily }

    public enum SecurityType { Base, Equity, Option, Commodity, Forex, Future, Cfd, Crypto, FutureOption, Index, IndexOption, CryptoFuture }

    public enum DataNormalizationMode { Raw, Adjusted, SplitAdjusted, TotalReturn, ForwardPanamaCanal, BackwardsPanamaCanal, BackwardsRatio, ScaledRaw }

    public enum DataMappingMode { LastTradingDay, FirstDayMonth, OpenInterest, OpenInterestAnnual }

    public static class Market
    {
        public const string USA = "usa";
    }

    /// <summary>Facade: a ticker, security type and market; equal when all three are equal (LEAN compares SecurityIdentifier).</summary>
    public sealed class Symbol : IEquatable<Symbol>, IComparable
    {
        private readonly string _market;

        internal Symbol(string value, SecurityType securityType, string market)
        {
            Value = value;
            SecurityType = securityType;
            _market = market;
        }

        public string Value { get; private set; }

        public SecurityType SecurityType { get; }

        public static Symbol Create(string ticker, SecurityType securityType, string market, string alias = null, Type baseDataType = null)
        {
            ArgumentNullException.ThrowIfNull(ticker);
            return new Symbol(alias ?? ticker.ToUpperInvariant(), securityType, market ?? Market.USA);
        }

        public bool Equals(Symbol other) =>
            other is not null && SecurityType == other.SecurityType && string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase)
            && string.Equals(_market, other._market, StringComparison.OrdinalIgnoreCase);

        public override bool Equals(object obj) => obj is Symbol s && Equals(s);

        public override int GetHashCode() => HashCode.Combine(Value.ToUpperInvariant(), SecurityType, _market.ToLowerInvariant());

        public int CompareTo(object obj) => obj is Symbol s ? string.Compare(Value, s.Value, StringComparison.Ordinal) : 1;

        public override string ToString() => Value;

        public static bool operator ==(Symbol left, Symbol right) => left is null ? right is null : left.Equals(right);

        public static bool operator !=(Symbol left, Symbol right) => !(left == right);
    }

    public abstract class ExtendedDictionary<TKey, TValue> : IExtendedDictionary<TKey, TValue>
    {
        protected ExtendedDictionary() { }

        public abstract int Count { get; }

        public abstract TValue this[TKey key] { get; set; }

        public abstract bool TryGetValue(TKey key, out TValue value);

        public virtual bool ContainsKey(TKey key) => TryGetValue(key, out _);
    }

    public static class Extensions
    {
        public static TimeSpan ToTimeSpan(this Resolution resolution) => resolution switch
        {
            Resolution.Tick => TimeSpan.Zero,
            Resolution.Second => TimeSpan.FromSeconds(1),
            Resolution.Minute => TimeSpan.FromMinutes(1),
            Resolution.Hour => TimeSpan.FromHours(1),
            Resolution.Daily => TimeSpan.FromDays(1),
            _ => throw new ArgumentOutOfRangeException(nameof(resolution)),
        };

        /// <summary>As LEAN's: the next date of the rule after the given UTC time; 2050-12-31 when the rule has no more dates.</summary>
        public static Func<DateTime, DateTime?> ToFunc(this IDateRule dateRule)
        {
            IEnumerator<DateTime> dates = null;
            var endOfTime = new DateTime(2050, 12, 31);
            return timeUtc =>
            {
                if (dates == null)
                {
                    dates = dateRule.GetDates(timeUtc, endOfTime).GetEnumerator();
                    if (!dates.MoveNext()) return endOfTime;
                }
                while (timeUtc >= dates.Current)
                {
                    if (!dates.MoveNext()) return endOfTime;
                }
                return dates.Current;
            };
        }
    }
}

namespace Common.Util
{
    using QuantConnect;
    using System.Collections;

    public class BaseExtendedDictionary<TKey, TValue, TDictionary> : ExtendedDictionary<TKey, TValue>, IDictionary<TKey, TValue>
        where TDictionary : IDictionary<TKey, TValue>, new()
    {
        private readonly TDictionary _dictionary = new();

        public BaseExtendedDictionary() { }

        public override int Count => _dictionary.Count;

        public override TValue this[TKey key]
        {
            get => _dictionary.TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"'{key}' wasn't found in the {GetType().Name} object.");
            set => _dictionary[key] = value;
        }

        public virtual ICollection<TKey> Keys => _dictionary.Keys;

        public virtual ICollection<TValue> Values => _dictionary.Values;

        public override bool TryGetValue(TKey key, out TValue value) => _dictionary.TryGetValue(key, out value);

        public override bool ContainsKey(TKey key) => _dictionary.ContainsKey(key);

        public virtual IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => _dictionary.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        bool ICollection<KeyValuePair<TKey, TValue>>.IsReadOnly => false;

        void IDictionary<TKey, TValue>.Add(TKey key, TValue value) => _dictionary.Add(key, value);

        bool IDictionary<TKey, TValue>.Remove(TKey key) => _dictionary.Remove(key);

        void ICollection<KeyValuePair<TKey, TValue>>.Add(KeyValuePair<TKey, TValue> item) => _dictionary.Add(item);

        void ICollection<KeyValuePair<TKey, TValue>>.Clear() => _dictionary.Clear();

        bool ICollection<KeyValuePair<TKey, TValue>>.Contains(KeyValuePair<TKey, TValue> item) => _dictionary.Contains(item);

        void ICollection<KeyValuePair<TKey, TValue>>.CopyTo(KeyValuePair<TKey, TValue>[] array, int arrayIndex) => _dictionary.CopyTo(array, arrayIndex);

        bool ICollection<KeyValuePair<TKey, TValue>>.Remove(KeyValuePair<TKey, TValue> item) => _dictionary.Remove(item);
    }

    public class BaseExtendedDictionary<TKey, TValue> : BaseExtendedDictionary<TKey, TValue, Dictionary<TKey, TValue>>
    {
        public BaseExtendedDictionary() { }
    }
}
