namespace LeanModels.Models.Forecasting;

/// <summary>
/// Fits a <see cref="IReturnForecaster"/> on one walk-forward fold (Qlib's <c>Model.fit</c>); one trainer per model kind.
/// A deep-model trainer learns on <see cref="TrainingFold.TrainDates"/> with <see cref="TrainingFold.LearnLabels"/>, scores
/// each epoch on <see cref="TrainingFold.ValidationDates"/> against <see cref="TrainingFold.RawLabels"/> (e.g. with
/// <see cref="ValidationEarlyStopping"/>), keeps the best epoch's weights, seeds everything from <see cref="TrainingFold.Seed"/>
/// and may start from <see cref="TrainingFold.Previous"/>.
/// </summary>
public interface IForecasterTrainer
{
    /// <summary>Name of the models it produces, e.g. <c>ridge</c>.</summary>
    string Name { get; }

    /// <summary>False for trainers whose result does not depend on the seed (the baselines): research then fits them once and
    /// reports the same numbers for every seed.</summary>
    bool UsesSeed => false;

    /// <summary>Fits a model.</summary>
    /// <param name="fold">Features, training and validation dates and their labels, seed and previous model.</param>
    /// <param name="cancellationToken">Stops a long fit (between epochs).</param>
    /// <returns>An immutable trained model.</returns>
    /// <exception cref="ArgumentException">Too few training rows; the message gives the numbers.</exception>
    IReturnForecaster Fit(TrainingFold fold, CancellationToken cancellationToken = default);
}
