// SPDX-License-Identifier: Apache-2.0
// Facade of LEAN's QuantConnect.Securities: only the members LeanModels uses. Holdings are set by the test harness
// (internal hooks); there is no order, fee or margin model.
using System.Collections;
using System.Collections.Specialized;
using System.Dynamic;
using QuantConnect.Interfaces;

namespace QuantConnect.Securities
{
    public interface ISecurityProvider { }

    public class Security : DynamicObject, ISecurityPrice
    {
        internal Security(Symbol symbol)
        {
            Symbol = symbol;
            Holdings = new SecurityHolding(this);
        }

        public Symbol Symbol { get; }

        public virtual decimal Price => CurrentPrice;

        public SecurityHolding Holdings { get; set; }

        public virtual bool Invested => Holdings.Invested;

        internal decimal CurrentPrice { get; set; }
    }

    public class SecurityHolding
    {
        private readonly Security _security;

        internal SecurityHolding(Security security) => _security = security;

        public Symbol Symbol => _security.Symbol;

        public decimal Quantity { get; protected set; }

        public virtual decimal Price { get => _security.CurrentPrice; protected set => _security.CurrentPrice = value; }

        public virtual decimal HoldingsValue => Quantity * Price;

        public virtual bool Invested => Quantity != 0;

        internal void SetQuantity(decimal quantity) => Quantity = quantity;
    }

    public class SecurityManager : ExtendedDictionary<Symbol, Security>, IDictionary<Symbol, Security>, INotifyCollectionChanged
    {
        private readonly Dictionary<Symbol, Security> _securities = new();

        internal SecurityManager() { }

        event NotifyCollectionChangedEventHandler INotifyCollectionChanged.CollectionChanged { add { } remove { } }

        public override int Count => _securities.Count;

        public override Security this[Symbol symbol]
        {
            get => _securities.TryGetValue(symbol, out var s) ? s : throw new KeyNotFoundException($"This asset symbol ({symbol}) was not found in your security list.");
            set => _securities[symbol] = value;
        }

        public ICollection<Symbol> Keys => _securities.Keys;

        public ICollection<Security> Values => _securities.Values;

        public override bool TryGetValue(Symbol symbol, out Security security) => _securities.TryGetValue(symbol, out security);

        public override bool ContainsKey(Symbol symbol) => _securities.ContainsKey(symbol);

        internal Security GetOrAdd(Symbol symbol, Func<Symbol, Security> create)
        {
            if (!_securities.TryGetValue(symbol, out var s)) _securities[symbol] = s = create(symbol);
            return s;
        }

        internal bool RemoveSecurity(Symbol symbol) => _securities.Remove(symbol);

        bool ICollection<KeyValuePair<Symbol, Security>>.IsReadOnly => false;
        void IDictionary<Symbol, Security>.Add(Symbol key, Security value) => _securities.Add(key, value);
        bool IDictionary<Symbol, Security>.Remove(Symbol key) => _securities.Remove(key);
        void ICollection<KeyValuePair<Symbol, Security>>.Add(KeyValuePair<Symbol, Security> item) => _securities.Add(item.Key, item.Value);
        void ICollection<KeyValuePair<Symbol, Security>>.Clear() => _securities.Clear();
        bool ICollection<KeyValuePair<Symbol, Security>>.Contains(KeyValuePair<Symbol, Security> item) => ((ICollection<KeyValuePair<Symbol, Security>>)_securities).Contains(item);
        void ICollection<KeyValuePair<Symbol, Security>>.CopyTo(KeyValuePair<Symbol, Security>[] array, int arrayIndex) => ((ICollection<KeyValuePair<Symbol, Security>>)_securities).CopyTo(array, arrayIndex);
        bool ICollection<KeyValuePair<Symbol, Security>>.Remove(KeyValuePair<Symbol, Security> item) => ((ICollection<KeyValuePair<Symbol, Security>>)_securities).Remove(item);
        IEnumerator<KeyValuePair<Symbol, Security>> IEnumerable<KeyValuePair<Symbol, Security>>.GetEnumerator() => _securities.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => _securities.GetEnumerator();
    }

    /// <summary>Facade: cash plus the holdings of the algorithm's securities, valued at their current prices.</summary>
    public class SecurityPortfolioManager : ExtendedDictionary<Symbol, SecurityHolding>, IDictionary<Symbol, SecurityHolding>, ISecurityProvider
    {
        private readonly SecurityManager _securities;

        internal SecurityPortfolioManager(SecurityManager securities) => _securities = securities;

        internal decimal CashBalance { get; set; }

        public decimal Cash => CashBalance;

        public decimal TotalHoldingsValue => _securities.Values.Sum(s => Math.Abs(s.Holdings.HoldingsValue));

        public decimal TotalPortfolioValue => CashBalance + _securities.Values.Sum(s => s.Holdings.HoldingsValue);

        public bool Invested => _securities.Values.Any(s => s.Holdings.Invested);

        public override int Count => _securities.Count;

        public override SecurityHolding this[Symbol symbol]
        {
            get => _securities[symbol].Holdings;
            set => _securities[symbol].Holdings = value;
        }

        public ICollection<Symbol> Keys => _securities.Keys;

        public ICollection<SecurityHolding> Values => _securities.Values.Select(s => s.Holdings).ToList();

        public override bool TryGetValue(Symbol symbol, out SecurityHolding holding)
        {
            holding = _securities.TryGetValue(symbol, out var s) ? s.Holdings : null;
            return holding != null;
        }

        public override bool ContainsKey(Symbol symbol) => _securities.ContainsKey(symbol);

        private IEnumerable<KeyValuePair<Symbol, SecurityHolding>> Pairs => _securities.Values.Select(s => new KeyValuePair<Symbol, SecurityHolding>(s.Symbol, s.Holdings));
        bool ICollection<KeyValuePair<Symbol, SecurityHolding>>.IsReadOnly => true;
        void IDictionary<Symbol, SecurityHolding>.Add(Symbol key, SecurityHolding value) => throw new NotSupportedException();
        bool IDictionary<Symbol, SecurityHolding>.Remove(Symbol key) => throw new NotSupportedException();
        void ICollection<KeyValuePair<Symbol, SecurityHolding>>.Add(KeyValuePair<Symbol, SecurityHolding> item) => throw new NotSupportedException();
        void ICollection<KeyValuePair<Symbol, SecurityHolding>>.Clear() => throw new NotSupportedException();
        bool ICollection<KeyValuePair<Symbol, SecurityHolding>>.Contains(KeyValuePair<Symbol, SecurityHolding> item) => Pairs.Contains(item);
        void ICollection<KeyValuePair<Symbol, SecurityHolding>>.CopyTo(KeyValuePair<Symbol, SecurityHolding>[] array, int arrayIndex) => Pairs.ToArray().CopyTo(array, arrayIndex);
        bool ICollection<KeyValuePair<Symbol, SecurityHolding>>.Remove(KeyValuePair<Symbol, SecurityHolding> item) => throw new NotSupportedException();
        IEnumerator<KeyValuePair<Symbol, SecurityHolding>> IEnumerable<KeyValuePair<Symbol, SecurityHolding>>.GetEnumerator() => Pairs.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => Pairs.GetEnumerator();
    }
}

namespace QuantConnect.Securities.Equity
{
    public class Equity : Security
    {
        internal Equity(Symbol symbol) : base(symbol) { }
    }
}
