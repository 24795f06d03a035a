namespace LeanModels.Models.Forecasting;

/// <summary>Shared input check of the models that read one date (T = 1).</summary>
internal static class BaselineWindow
{
    /// <summary>Throws unless <paramref name="window"/> has the model's T, M and feature specification.</summary>
    /// <exception cref="ArgumentException">The message names the model and gives both shapes.</exception>
    public static void Check(IReturnForecaster model, FeatureWindow window)
    {
        if (window.LookbackBars != model.Window.LookbackBars || window.MarketProxy.Length < model.Window.MarketProxyDays || !window.Features.Matches(model.Features))
            throw new ArgumentException(
                $"{model.Name}: window is [A, T, F] = [{window.AssetCount}, {window.LookbackBars}, {window.FeatureCount}] of {window.Features} with {window.MarketProxy.Length} proxy days; "
                + $"the model reads T = {model.Window.LookbackBars} of {model.Features} with {model.Window.MarketProxyDays} proxy days.", nameof(window));
    }
}
