// SPDX-License-Identifier: Apache-2.0
// Facade of LEAN's QuantConnect.Interfaces: only the members LeanModels uses.
using System.Collections.Concurrent;
using QuantConnect.Algorithm.Framework.Alphas.Analysis;
using QuantConnect.Securities;
using QuantConnect.Storage;

namespace QuantConnect.Interfaces
{
    public interface IExtendedDictionary<TKey, TValue> { }

    public interface IAccountCurrencyProvider { }

    public interface ISecurityInitializerProvider { }

    public interface ISecurityPrice { }

    public interface IObjectStore : IEnumerable<KeyValuePair<string, byte[]>>, IDisposable { }

    public interface IAlgorithm : IAccountCurrencyProvider, ISecurityInitializerProvider
    {
        InsightManager Insights { get; }
        DateTime UtcTime { get; }
        DateTime Time { get; }
        SecurityManager Securities { get; }
        SecurityPortfolioManager Portfolio { get; }
        bool IsWarmingUp { get; }
        bool LiveMode { get; }
        ObjectStore ObjectStore { get; }
        ConcurrentQueue<string> DebugMessages { get; }
        ConcurrentQueue<string> ErrorMessages { get; }
        ConcurrentQueue<string> LogMessages { get; }
        Exception RunTimeError { get; set; }
        void Debug(string message);
        void Error(string message);
        void Log(string message);
        void SetRunTimeError(Exception exception);
    }
}

namespace QuantConnect.Python
{
    /// <summary>Facade of LEAN's Python wrapper base: no Python here, so only its identity semantics.</summary>
    public class BasePythonWrapper<TInterface> : IEquatable<BasePythonWrapper<TInterface>>, IDisposable
    {
        internal BasePythonWrapper() { }

        bool IEquatable<BasePythonWrapper<TInterface>>.Equals(BasePythonWrapper<TInterface> other) => ReferenceEquals(this, other);

        void IDisposable.Dispose() { }
    }
}
