// SPDX-License-Identifier: Apache-2.0
using System.Globalization;
using QuantConnect.Algorithm;

namespace LeanModels.Alpha;

/// <summary>
/// Strict readers of an algorithm's parameters (config.json <c>parameters</c>, <c>lean backtest --parameter</c>,
/// <c>lean optimize</c>'s sweep values): a missing parameter gives the default, a present one must parse or the algorithm
/// stops with an error naming the parameter and its value.
/// </summary>
/// <remarks>
/// LEAN's typed overloads fall back silently: <c>GetParameter(name, int)</c> returns the default for <c>"5.0"</c> (what an
/// optimizer sweep over a double range can send, lean-api.md §6.3) and for any text that does not parse, so a sweep over
/// <c>horizon</c> would run every backtest with the default. These readers read the raw text with
/// <c>GetParameter(name)</c> and parse it in the invariant culture; a whole number written as a decimal (<c>"5.0"</c>,
/// <c>"5"</c>) is accepted for integers, anything else is an <see cref="ArgumentException"/>, which LEAN reports as the
/// algorithm's runtime error (the backtest stops, exit code non-zero).
/// </remarks>
public static class AlgorithmParameters
{
    /// <summary>An integer parameter.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="name">Parameter name.</param>
    /// <param name="defaultValue">Value when the parameter is absent or empty.</param>
    /// <returns>The value: an integer, or a decimal number with no fractional part (<c>"5.0"</c> → 5).</returns>
    /// <exception cref="ArgumentException">The text is not a whole number in the range of <see cref="int"/>.</exception>
    public static int GetIntParameter(this QCAlgorithm algorithm, string name, int defaultValue)
    {
        var text = Raw(algorithm, name);
        if (text is null) return defaultValue;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d)
            && d >= int.MinValue && d <= int.MaxValue)
            return (int)d;
        throw Bad(name, text, "a whole number");
    }

    /// <summary>A floating-point parameter.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="name">Parameter name.</param>
    /// <param name="defaultValue">Value when the parameter is absent or empty.</param>
    /// <returns>The finite value.</returns>
    /// <exception cref="ArgumentException">The text is not a finite number.</exception>
    public static double GetDoubleParameter(this QCAlgorithm algorithm, string name, double defaultValue)
    {
        var text = Raw(algorithm, name);
        if (text is null) return defaultValue;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) return value;
        throw Bad(name, text, "a finite number");
    }

    /// <summary>A boolean parameter (<c>true</c>/<c>false</c>, any case, or 1/0).</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="name">Parameter name.</param>
    /// <param name="defaultValue">Value when the parameter is absent or empty.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentException">The text is none of those.</exception>
    public static bool GetBoolParameter(this QCAlgorithm algorithm, string name, bool defaultValue)
    {
        var text = Raw(algorithm, name);
        if (text is null) return defaultValue;
        if (bool.TryParse(text, out var value)) return value;
        return text switch { "1" => true, "0" => false, _ => throw Bad(name, text, "true or false") };
    }

    /// <summary>A date parameter written <c>yyyy-MM-dd</c>.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="name">Parameter name.</param>
    /// <param name="defaultValue">Value when the parameter is absent or empty, <c>yyyy-MM-dd</c>.</param>
    /// <returns>The date (time of day 00:00).</returns>
    /// <exception cref="ArgumentException">The text is not a <c>yyyy-MM-dd</c> date.</exception>
    public static DateTime GetDateParameter(this QCAlgorithm algorithm, string name, string defaultValue)
    {
        var text = Raw(algorithm, name) ?? defaultValue;
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)) return value;
        throw Bad(name, text, "a date written yyyy-MM-dd");
    }

    /// <summary>An enum parameter by member name, any case (e.g. <c>PortfolioBias</c>: <c>Long</c>).</summary>
    /// <typeparam name="TEnum">The enum type.</typeparam>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="name">Parameter name.</param>
    /// <param name="defaultValue">Value when the parameter is absent or empty.</param>
    /// <returns>The member.</returns>
    /// <exception cref="ArgumentException">The text names no member (numbers are refused too).</exception>
    public static TEnum GetEnumParameter<TEnum>(this QCAlgorithm algorithm, string name, TEnum defaultValue) where TEnum : struct, Enum
    {
        var text = Raw(algorithm, name);
        if (text is null) return defaultValue;
        if (!char.IsDigit(text[0]) && text[0] != '-' && Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)) return value;
        throw Bad(name, text, "one of " + string.Join(", ", Enum.GetNames<TEnum>()));
    }

    /// <summary>A comma-separated list parameter (entries trimmed, empty entries dropped).</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="name">Parameter name.</param>
    /// <param name="defaultValue">Comma-separated value when the parameter is absent or empty.</param>
    /// <returns>At least one entry.</returns>
    /// <exception cref="ArgumentException">The list is empty.</exception>
    public static IReadOnlyList<string> GetListParameter(this QCAlgorithm algorithm, string name, string defaultValue)
    {
        var text = Raw(algorithm, name) ?? defaultValue;
        var list = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return list.Length > 0 ? list : throw Bad(name, text, "a non-empty comma-separated list");
    }

    private static string? Raw(QCAlgorithm algorithm, string name)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        var text = algorithm.GetParameter(name)?.Trim();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static ArgumentException Bad(string name, string text, string expected) =>
        new($"parameter '{name}' is '{text}', which is not {expected}; fix it in config.json or the --parameter value.");
}
