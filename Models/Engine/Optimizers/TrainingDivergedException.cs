namespace LeanModels.Models.Engine.Optimizers;

/// <summary>Thrown when a training loss is NaN or ±∞ (STYLE §5: nothing silently NaN); carries the step, the loss and the
/// learning rate so the caller can report where training diverged.</summary>
public sealed class TrainingDivergedException : ArithmeticException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="step">1-based optimiser step that produced the loss.</param>
    /// <param name="loss">The non-finite loss.</param>
    /// <param name="learningRate">Learning rate in force at that step.</param>
    public TrainingDivergedException(int step, double loss, double learningRate)
        : base($"Training diverged at step {step}: loss is {loss} (learning rate {learningRate:G4}). " +
               "HINT: lower the learning rate, clip gradients, or check the inputs for NaN.")
    {
        Step = step;
        Loss = loss;
        LearningRate = learningRate;
    }

    /// <summary>1-based step.</summary>
    public int Step { get; }

    /// <summary>The non-finite loss.</summary>
    public double Loss { get; }

    /// <summary>Learning rate at that step.</summary>
    public double LearningRate { get; }
}
