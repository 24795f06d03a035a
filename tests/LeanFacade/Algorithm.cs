// SPDX-License-Identifier: Apache-2.0
// Facade of LEAN's QCAlgorithm: only the members LeanModels uses. The clock, warm-up flag, history source, parameters and
// scheduled events are driven by the test harness through internal members (the engine's job in LEAN).
using System.Collections.Concurrent;
using System.Globalization;
using QuantConnect.Algorithm.Framework.Alphas;
using QuantConnect.Algorithm.Framework.Alphas.Analysis;
using QuantConnect.Algorithm.Framework.Portfolio;
using QuantConnect.Algorithm.Framework.Risk;
using QuantConnect.Data;
using QuantConnect.Interfaces;
using QuantConnect.Scheduling;
using QuantConnect.Securities;
using QuantConnect.Storage;

namespace QuantConnect.Algorithm
{
    public class QCAlgorithm : MarshalByRefObject, IAlgorithm
    {
        private DateTime _utcTime;
        private DateTime _time;
        private DateTime _startDate;
        private DateTime _endDate;

        public QCAlgorithm()
        {
            Securities = new SecurityManager();
            Portfolio = new SecurityPortfolioManager(Securities);
            Insights = new InsightManager(this);
            ObjectStore = new ObjectStore();
            DateRules = new DateRules();
            TimeRules = new TimeRules();
            IsWarmingUp = true;
        }

        public SecurityManager Securities { get; set; }

        public SecurityPortfolioManager Portfolio { get; set; }

        public InsightManager Insights { get; private set; }

        public ObjectStore ObjectStore { get; private set; }

        public DateRules DateRules { get; }

        public TimeRules TimeRules { get; }

        public IAlphaModel Alpha { get; set; }

        public IPortfolioConstructionModel PortfolioConstruction { get; set; }

        public IRiskManagementModel RiskManagement { get; set; }

        public DateTime Time => _time;

        public DateTime UtcTime => _utcTime;

        public bool IsWarmingUp { get; private set; }

        public bool LiveMode => FacadeLiveMode;

        public DateTime StartDate => _startDate;

        public DateTime EndDate => _endDate;

        public ConcurrentQueue<string> DebugMessages { get; set; } = new();

        public ConcurrentQueue<string> ErrorMessages { get; set; } = new();

        public ConcurrentQueue<string> LogMessages { get; set; } = new();

        public Exception RunTimeError { get; set; }

        public virtual void Initialize() => throw new NotImplementedException("Please override the Initialize() method");

        public void SetStartDate(int year, int month, int day) => _startDate = new DateTime(year, month, day);

        public void SetEndDate(int year, int month, int day) => _endDate = new DateTime(year, month, day, 23, 59, 59).AddTicks(9999999);

        public void SetCash(decimal startingCash) => Portfolio.CashBalance = startingCash;

        public void SetWarmUp(int barCount, Resolution? resolution) => FacadeWarmUpBars = barCount;

        public void SetFinishedWarmingUp() => IsWarmingUp = false;

        public Securities.Equity.Equity AddEquity(string ticker, Resolution? resolution = null, string market = null, bool fillForward = true,
            decimal leverage = 0m, bool extendedMarketHours = false, DataNormalizationMode? dataNormalizationMode = null)
        {
            var symbol = Symbol.Create(ticker, SecurityType.Equity, market ?? Market.USA);
            var equity = (Securities.Equity.Equity)Securities.GetOrAdd(symbol, s => new Securities.Equity.Equity(s));
            FacadePendingAdditions.Add(equity);
            return equity;
        }

        public void SetAlpha(IAlphaModel alpha) => Alpha = alpha;

        public void SetPortfolioConstruction(IPortfolioConstructionModel portfolioConstruction) => PortfolioConstruction = portfolioConstruction;

        public void SetRiskManagement(IRiskManagementModel riskManagement) => RiskManagement = riskManagement;

        public ScheduledEvent Train(IDateRule dateRule, ITimeRule timeRule, Action trainingCode)
        {
            var scheduled = new ScheduledEvent($"Training: {dateRule.Name}: {timeRule.Name}", dateRule, timeRule, trainingCode);
            FacadeScheduledEvents.Add(scheduled);
            return scheduled;
        }

        /// <summary>Facade: bars from the harness's history source, the last <paramref name="periods"/> per symbol ending at <see cref="Time"/>.</summary>
        public IEnumerable<Slice> History(IEnumerable<Symbol> symbols, int periods, Resolution? resolution = null, bool? fillForward = null,
            bool? extendedMarketHours = null, DataMappingMode? dataMappingMode = null, DataNormalizationMode? dataNormalizationMode = null,
            int? contractDepthOffset = null)
        {
            if (FacadeHistory == null) return Enumerable.Empty<Slice>();
            return FacadeHistory(symbols.ToList(), periods, _time).ToList();
        }

        public string GetParameter(string name, string defaultValue = null) =>
            FacadeParameters.TryGetValue(name, out var value) ? value : defaultValue;

        public int GetParameter(string name, int defaultValue) =>
            FacadeParameters.TryGetValue(name, out var value) && int.TryParse(value, out var parsed) ? parsed : defaultValue;

        public double GetParameter(string name, double defaultValue) =>
            FacadeParameters.TryGetValue(name, out var value) && double.TryParse(value, NumberStyles.Any, CultureInfo.InvariantCulture, out var parsed) ? parsed : defaultValue;

        public decimal GetParameter(string name, decimal defaultValue) =>
            FacadeParameters.TryGetValue(name, out var value) && decimal.TryParse(value, NumberStyles.Any, CultureInfo.InvariantCulture, out var parsed) ? parsed : defaultValue;

        public void Debug(string message) => DebugMessages.Enqueue(message);

        public void Log(string message) => LogMessages.Enqueue(message);

        public void Error(string message) => ErrorMessages.Enqueue(message);

        public void SetRunTimeError(Exception exception) => RunTimeError = exception;

        // ---- Test hooks (internal: invisible to the API dump). ----

        internal Dictionary<string, string> FacadeParameters { get; } = new(StringComparer.Ordinal);

        internal Func<IReadOnlyList<Symbol>, int, DateTime, IEnumerable<Slice>> FacadeHistory { get; set; }

        internal List<ScheduledEvent> FacadeScheduledEvents { get; } = new();

        internal List<Security> FacadePendingAdditions { get; } = new();

        internal int FacadeWarmUpBars { get; private set; }

        internal bool FacadeLiveMode { get; set; }

        internal void FacadeSetTime(DateTime time, DateTime utcTime)
        {
            _time = time;
            _utcTime = utcTime;
        }

        internal void FacadeSetWarmingUp(bool warmingUp) => IsWarmingUp = warmingUp;
    }
}
