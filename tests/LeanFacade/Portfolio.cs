// SPDX-License-Identifier: Apache-2.0
// Facade of LEAN's portfolio construction types (Algorithm/Portfolio, Common/Algorithm/Framework/Portfolio), with the base
// model's CreateTargets / IsRebalanceDue behaviour reproduced from LEAN (lean-api.md §1.2).
using QuantConnect.Algorithm.Framework.Alphas;
using QuantConnect.Data.UniverseSelection;
using QuantConnect.Interfaces;

namespace QuantConnect.Algorithm.Framework.Portfolio
{
    public enum PortfolioBias { Short = -1, LongShort = 0, Long = 1 }

    public interface IPortfolioTarget
    {
        Symbol Symbol { get; }
        decimal Quantity { get; }
        string Tag { get; }
    }

    public class PortfolioTarget : IPortfolioTarget
    {
        public PortfolioTarget(Symbol symbol, decimal quantity, string tag = "")
        {
            Symbol = symbol;
            Quantity = quantity;
            Tag = tag;
        }

        public Symbol Symbol { get; }

        public decimal Quantity { get; }

        public string Tag { get; }

        /// <summary>
        /// Facade sizing: quantity = percent × TotalPortfolioValue / price, rounded toward zero to whole shares (LEAN also applies
        /// the free-portfolio buffer, leverage, lot size and fees). Null, with an Error, when the security is unknown or has no price.
        /// </summary>
        public static IPortfolioTarget Percent(IAlgorithm algorithm, Symbol symbol, double percent)
        {
            if (!algorithm.Securities.TryGetValue(symbol, out var security))
            {
                algorithm.Error($"{symbol} not found in portfolio. Request this data when initializing the algorithm.");
                return null;
            }
            if (security.Price == 0)
            {
                algorithm.Error($"The order quantity for {symbol} cannot be calculated: the price of the security is zero.");
                return null;
            }
            var quantity = decimal.Truncate((decimal)percent * algorithm.Portfolio.TotalPortfolioValue / security.Price);
            return new PortfolioTarget(symbol, quantity);
        }

        public override string ToString() => $"{Symbol}: {Quantity}";
    }

    public interface IPortfolioConstructionModel : INotifiedSecurityChanges
    {
        IEnumerable<IPortfolioTarget> CreateTargets(QCAlgorithm algorithm, Insight[] insights);
    }

    public class PortfolioConstructionModel : IPortfolioConstructionModel
    {
        private Func<DateTime, DateTime?> _rebalancingFunc;
        private DateTime? _rebalancingTime;
        private bool _securityChanges;

        public PortfolioConstructionModel(Func<DateTime, DateTime?> rebalancingFunc) => _rebalancingFunc = rebalancingFunc;

        public PortfolioConstructionModel(Func<DateTime, DateTime> rebalancingFunc = null)
            : this(rebalancingFunc != null ? (Func<DateTime, DateTime?>)(t => rebalancingFunc(t)) : null)
        {
        }

        public virtual bool RebalanceOnSecurityChanges { get; set; } = true;

        public virtual bool RebalanceOnInsightChanges { get; set; } = true;

        protected IAlgorithm Algorithm { get; private set; }

        public virtual IEnumerable<IPortfolioTarget> CreateTargets(QCAlgorithm algorithm, Insight[] insights)
        {
            Algorithm ??= algorithm;
            if (!IsRebalanceDue(insights, algorithm.UtcTime)) return Enumerable.Empty<IPortfolioTarget>();

            var targets = new List<IPortfolioTarget>();
            var lastActiveInsights = GetTargetInsights();
            var errorSymbols = new HashSet<Symbol>();
            var percents = DetermineTargetPercent(lastActiveInsights);
            foreach (var insight in lastActiveInsights)
            {
                if (!percents.TryGetValue(insight, out var percent)) continue;
                var target = PortfolioTarget.Percent(algorithm, insight.Symbol, percent);
                if (target != null) targets.Add(target);
                else errorSymbols.Add(insight.Symbol);
            }

            var expired = Algorithm.Insights.RemoveExpiredInsights(algorithm.UtcTime);
            foreach (var symbol in expired.Select(i => i.Symbol).Distinct())
            {
                if (!Algorithm.Insights.HasActiveInsights(symbol, algorithm.UtcTime) && !errorSymbols.Contains(symbol))
                    targets.Add(new PortfolioTarget(symbol, 0));
            }
            return targets;
        }

        public virtual void OnSecuritiesChanged(QCAlgorithm algorithm, SecurityChanges changes)
        {
            Algorithm ??= algorithm;
            _securityChanges = changes != SecurityChanges.None;
            algorithm.Insights.Expire(changes.RemovedSecurities.Select(s => s.Symbol));
        }

        protected virtual List<Insight> GetTargetInsights() =>
            Algorithm.Insights.GetActiveInsights(Algorithm.UtcTime).Where(ShouldCreateTargetForInsight)
                .GroupBy(i => i.Symbol).Select(g => g.OrderBy(i => i.GeneratedTimeUtc).Last()).ToList();

        protected virtual bool ShouldCreateTargetForInsight(Insight insight) => true;

        protected virtual Dictionary<Insight, double> DetermineTargetPercent(List<Insight> activeInsights) =>
            throw new NotImplementedException("Types deriving from 'PortfolioConstructionModel' must implement the 'Dictionary<Insight, double> DetermineTargetPercent(List<Insight>)' method.");

        protected virtual bool IsRebalanceDue(Insight[] insights, DateTime algorithmUtc)
        {
            if (_rebalancingFunc == null) return true;
            if (_rebalancingTime == null)
            {
                _rebalancingTime = _rebalancingFunc(algorithmUtc);
                if (_rebalancingTime != null && _rebalancingTime <= algorithmUtc)
                {
                    RefreshRebalance(algorithmUtc);
                    return true;
                }
            }
            if ((_rebalancingTime != null && _rebalancingTime <= algorithmUtc)
                || (RebalanceOnSecurityChanges && _securityChanges)
                || (RebalanceOnInsightChanges && (insights.Length != 0 || Algorithm.Insights.GetNextExpiryTime() < algorithmUtc)))
            {
                RefreshRebalance(algorithmUtc);
                return true;
            }
            return false;
        }

        protected void RefreshRebalance(DateTime algorithmUtc)
        {
            if (_rebalancingFunc != null) _rebalancingTime = _rebalancingFunc(algorithmUtc);
            _securityChanges = false;
        }
    }
}

namespace QuantConnect.Algorithm.Framework.Risk
{
    using QuantConnect.Algorithm.Framework.Portfolio;

    public interface IRiskManagementModel : INotifiedSecurityChanges
    {
        IEnumerable<IPortfolioTarget> ManageRisk(QCAlgorithm algorithm, IPortfolioTarget[] targets);
    }

    public class RiskManagementModel : IRiskManagementModel
    {
        public RiskManagementModel() { }

        public virtual IEnumerable<IPortfolioTarget> ManageRisk(QCAlgorithm algorithm, IPortfolioTarget[] targets) =>
            throw new NotImplementedException("Types deriving from 'RiskManagementModel' must implement the 'IEnumerable<IPortfolioTarget> ManageRisk(QCAlgorithm, IPortfolioTarget[]) method.");

        public virtual void OnSecuritiesChanged(QCAlgorithm algorithm, SecurityChanges changes) { }
    }
}
