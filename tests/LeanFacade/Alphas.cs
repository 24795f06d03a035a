// SPDX-License-Identifier: Apache-2.0
// Facade of LEAN's alpha framework types (Algorithm/Alphas, Common/Algorithm/Framework/Alphas): only what LeanModels uses.
using System.Collections;
using QuantConnect.Algorithm;
using QuantConnect.Data;
using QuantConnect.Data.UniverseSelection;
using QuantConnect.Interfaces;
using QuantConnect.Python;

namespace QuantConnect.Algorithm.Framework
{
    public interface INotifiedSecurityChanges
    {
        void OnSecuritiesChanged(QCAlgorithm algorithm, SecurityChanges changes);
    }
}

namespace QuantConnect.Algorithm.Framework.Alphas
{
    public interface IAlphaModel : INotifiedSecurityChanges
    {
        IEnumerable<Insight> Update(QCAlgorithm algorithm, Slice data);
    }

    public interface INamedModel
    {
        string Name { get; }
    }

    public class AlphaModel : BasePythonWrapper<AlphaModel>, IAlphaModel, INamedModel
    {
        public AlphaModel() => Name = Guid.NewGuid().ToString();

        public virtual string Name { get; set; }

        public virtual IEnumerable<Insight> Update(QCAlgorithm algorithm, Slice data) => throw new NotImplementedException("Types deriving from 'AlphaModel' must implement the 'IEnumerable<Insight> Update(QCAlgorithm, Slice) method.");

        public virtual void OnSecuritiesChanged(QCAlgorithm algorithm, SecurityChanges changes) { }
    }

    /// <summary>As LEAN's: runs each child in order and fills an empty SourceModel with the child's name.</summary>
    public class CompositeAlphaModel : AlphaModel
    {
        private readonly List<IAlphaModel> _alphaModels = new();

        public CompositeAlphaModel(params IAlphaModel[] alphaModels)
        {
            if (alphaModels.IsNullOrEmptyArray()) throw new ArgumentException("Must specify at least 1 alpha model for the CompositeAlphaModel");
            _alphaModels.AddRange(alphaModels);
        }

        public override IEnumerable<Insight> Update(QCAlgorithm algorithm, Slice data)
        {
            foreach (var model in _alphaModels)
            {
                var name = model is INamedModel named ? named.Name : model.GetType().Name;
                foreach (var insight in model.Update(algorithm, data))
                {
                    if (string.IsNullOrEmpty(insight.SourceModel)) insight.SourceModel = name;
                    yield return insight;
                }
            }
        }

        public override void OnSecuritiesChanged(QCAlgorithm algorithm, SecurityChanges changes)
        {
            foreach (var model in _alphaModels) model.OnSecuritiesChanged(algorithm, changes);
        }

        public void AddAlpha(IAlphaModel alphaModel) => _alphaModels.Add(alphaModel);
    }

    internal static class FacadeArrayExtensions
    {
        public static bool IsNullOrEmptyArray<T>(this T[] array) => array == null || array.Length == 0;
    }

    public enum InsightType { Price, Volatility }

    public enum InsightDirection { Down = -1, Flat = 0, Up = 1 }

    public class Insight
    {
        public Insight(Symbol symbol, TimeSpan period, InsightType type, InsightDirection direction, double? magnitude, double? confidence,
            string sourceModel = null, double? weight = null, string tag = "")
        {
            Id = Guid.NewGuid();
            Symbol = symbol;
            Period = period;
            Type = type;
            Direction = direction;
            Magnitude = magnitude;
            Confidence = confidence;
            SourceModel = sourceModel;
            Weight = weight;
            Tag = tag;
        }

        public Guid Id { get; protected set; }

        public string SourceModel { get; set; }

        public DateTime GeneratedTimeUtc { get; set; }

        public DateTime CloseTimeUtc { get; set; }

        public Symbol Symbol { get; private set; }

        public InsightType Type { get; private set; }

        public InsightDirection Direction { get; private set; }

        public TimeSpan Period { get; internal set; }

        public double? Magnitude { get; private set; }

        public double? Confidence { get; private set; }

        public double? Weight { get; private set; }

        public string Tag { get; protected set; }

        /// <summary>Facade: the bar count of <see cref="Price(Symbol, Resolution, int, InsightDirection, double?, double?, string, double?, string)"/>; the harness steps it over the trading calendar.</summary>
        internal int BarCount { get; private set; }

        internal Resolution BarResolution { get; private set; }

        public static Insight Price(Symbol symbol, Resolution resolution, int barCount, InsightDirection direction, double? magnitude = null,
            double? confidence = null, string sourceModel = null, double? weight = null, string tag = "")
        {
            if (barCount < 1) throw new ArgumentOutOfRangeException(nameof(barCount), "Insight barCount must be greater than zero.");
            var insight = new Insight(symbol, resolution.ToTimeSpan() * barCount, InsightType.Price, direction, magnitude, confidence, sourceModel, weight, tag);
            insight.BarCount = barCount;
            insight.BarResolution = resolution;
            return insight;
        }

        public bool IsExpired(DateTime utcTime) => CloseTimeUtc < utcTime;

        public bool IsActive(DateTime utcTime) => !IsExpired(utcTime);

        public void Expire(DateTime utcTime)
        {
            if (IsActive(utcTime))
            {
                CloseTimeUtc = utcTime - TimeSpan.FromSeconds(1);
                Period = CloseTimeUtc - GeneratedTimeUtc;
            }
        }

        public void Cancel(DateTime utcTime) => Expire(utcTime);

        public override string ToString() => $"{Id}: {Symbol} {Type} {Direction} within {Period} magnitude {Magnitude} confidence {Confidence} from {SourceModel}";
    }

    /// <summary>As LEAN's: an open per-symbol store plus a list of every insight ever added; every member locks.</summary>
    public class InsightCollection : IEnumerable<Insight>
    {
        private readonly object _lock = new();
        private readonly Dictionary<Symbol, List<Insight>> _open = new();
        private readonly List<Insight> _all = new();
        private int _openCount;

        public InsightCollection() { }

        public int Count { get { lock (_lock) return _openCount; } }

        public int TotalCount { get { lock (_lock) return _all.Count; } }

        public void Add(Insight item)
        {
            lock (_lock)
            {
                _all.Add(item);
                if (!_open.TryGetValue(item.Symbol, out var list)) _open[item.Symbol] = list = new List<Insight>();
                list.Add(item);
                _openCount++;
            }
        }

        public void AddRange(IEnumerable<Insight> insights)
        {
            foreach (var insight in insights) Add(insight);
        }

        public bool Contains(Insight item)
        {
            lock (_lock) return _open.TryGetValue(item.Symbol, out var list) && list.Contains(item);
        }

        public bool ContainsKey(Symbol symbol)
        {
            lock (_lock) return _open.TryGetValue(symbol, out var list) && list.Count > 0;
        }

        public bool Remove(Insight item)
        {
            lock (_lock)
            {
                if (!_open.TryGetValue(item.Symbol, out var list) || !list.Remove(item)) return false;
                _openCount--;
                if (list.Count == 0) _open.Remove(item.Symbol);
                return true;
            }
        }

        public bool TryGetValue(Symbol symbol, out List<Insight> insights)
        {
            lock (_lock)
            {
                insights = _open.TryGetValue(symbol, out var list) ? list.ToList() : null;
                return insights != null;
            }
        }

        public void Clear(Symbol[] symbols)
        {
            lock (_lock)
            {
                foreach (var symbol in symbols)
                    if (_open.Remove(symbol, out var list)) _openCount -= list.Count;
            }
        }

        public DateTime? GetNextExpiryTime()
        {
            lock (_lock)
            {
                if (_openCount == 0) return null;
                return _open.Values.SelectMany(l => l).Min(i => i.CloseTimeUtc);
            }
        }

        public ICollection<Insight> GetActiveInsights(DateTime utcTime)
        {
            lock (_lock) return _open.Values.SelectMany(l => l).Where(i => i.IsActive(utcTime)).ToList();
        }

        public bool HasActiveInsights(Symbol symbol, DateTime utcTime)
        {
            lock (_lock) return _open.TryGetValue(symbol, out var list) && list.Any(i => i.IsActive(utcTime));
        }

        public ICollection<Insight> RemoveExpiredInsights(DateTime utcTime)
        {
            lock (_lock)
            {
                var removed = new List<Insight>();
                foreach (var symbol in _open.Keys.ToList())
                {
                    var list = _open[symbol];
                    removed.AddRange(list.Where(i => i.IsExpired(utcTime)));
                    _openCount -= list.RemoveAll(i => i.IsExpired(utcTime));
                    if (list.Count == 0) _open.Remove(symbol);
                }
                return removed;
            }
        }

        public List<Insight> GetInsights(Func<Insight, bool> filter = null)
        {
            lock (_lock) return filter == null ? _all.ToList() : _all.Where(filter).ToList();
        }

        public IEnumerator<Insight> GetEnumerator()
        {
            List<Insight> snapshot;
            lock (_lock) snapshot = _open.Values.SelectMany(l => l).ToList();
            return snapshot.GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

namespace QuantConnect.Algorithm.Framework.Alphas.Analysis
{
    public class InsightManager : InsightCollection
    {
        private readonly IAlgorithm _algorithm;

        public InsightManager(IAlgorithm algorithm) => _algorithm = algorithm;

        public void Expire(IEnumerable<Symbol> symbols)
        {
            if (symbols == null) return;
            foreach (var symbol in symbols)
                if (TryGetValue(symbol, out var insights))
                    foreach (var insight in insights) insight.Expire(_algorithm.UtcTime);
        }

        public void Cancel(IEnumerable<Symbol> symbols) => Expire(symbols);

        public void Expire(IEnumerable<Insight> insights)
        {
            if (insights == null) return;
            foreach (var insight in insights) insight.Expire(_algorithm.UtcTime);
        }

        public void Cancel(IEnumerable<Insight> insights) => Expire(insights);
    }
}
