namespace LeanModels.Models.TwoStage;

/// <summary>Forward floating-point operations per sample and parameter counts of <see cref="TwoStageModel{T}"/> and
/// <see cref="DirectModel{T}"/>, counted as <c>StockformerFlops</c> does: 2 × the multiply-adds of the matrix products
/// (element-wise work — masks, means, LayerNorm, softmax, GELU, gates, residuals — is not counted).</summary>
public static class TwoStageFlops
{
    /// <summary>
    /// Forward FLOPs of the two-stage model for one sample (one date's window of T days × A assets). With D = D₁, d_ff, E, H,
    /// I = F + E + 1 and L₁ stage-1 layers:
    /// <code>
    /// stage 1, per day (× T):  A·(F+1)·D                 asset tokens
    ///                          F·D                       market token
    ///                          L₁·[(A+1)·4·D²            Q, K, V, O projections over A + 1 tokens
    ///                              + 2·(A+1)²·D          QKᵀ and P·V (full; masked keys are not skipped)
    ///                              + (A+1)·2·D·d_ff]     feed-forward
    ///                          A·D·E                     projection to the embedding
    /// stage 2, per asset (× A): LSTM T·4H·(I+H) | GRU T·3H·(I+H) | TCN Σ_l T·(k·C_l·H + k·H² + [C_l≠H]·C_l·H), C_0 = I
    ///                          H                         head
    /// </code>
    /// Stage 1 of a date does not depend on the window, so a walk-forward that embeds each date once pays its T·(…) term once
    /// per date instead of once per window (the frozen recipe does, <see cref="TrainingFlopsPerSample"/>; <see cref="TwoStageModel{T}.Forward"/>
    /// does not). The pretraining head of the
    /// frozen option is not part of the forecast. A training step costs about 3× the forward.
    /// </summary>
    /// <param name="options">The model's options (validated).</param>
    /// <param name="assets">A ≥ 1, assets in the sample.</param>
    /// <returns>FLOPs (2 per multiply-add).</returns>
    /// <exception cref="ArgumentException">The options are invalid, or A &lt; 1.</exception>
    public static long FlopsPerSample(TwoStageOptions options, int assets)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(assets, 1);
        var (perDay, perAsset) = Terms(options, assets);
        return 2 * (options.Lookback * perDay + assets * perAsset);
    }

    /// <summary>Forward FLOPs of one training sample as the trainer spends them: <see cref="FlopsPerSample(TwoStageOptions, int)"/>
    /// end to end; with <see cref="TwoStageOptions.FreezeStageOne"/> the stage-1 term counts one day instead of T (the frozen
    /// recipe embeds each date once per fold and reads the T days of every window from that cache; the one-off pretraining is
    /// not counted).</summary>
    /// <param name="options">The model's options (validated).</param>
    /// <param name="assets">A ≥ 1, assets in the sample.</param>
    /// <returns>FLOPs (2 per multiply-add).</returns>
    /// <exception cref="ArgumentException">The options are invalid, or A &lt; 1.</exception>
    public static long TrainingFlopsPerSample(TwoStageOptions options, int assets)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(assets, 1);
        var (perDay, perAsset) = Terms(options, assets);
        return 2 * ((options.FreezeStageOne ? 1 : options.Lookback) * perDay + assets * perAsset);
    }

    /// <summary>Multiply-adds of stage 1 for one day of A assets, and of stage 2 plus the head for one asset's window.</summary>
    private static (long PerDay, long PerAsset) Terms(TwoStageOptions options, int assets)
    {
        long a = assets, f = options.Features, d = options.StageOneWidth, dff = options.StageOneFeedForward, e = options.Embedding;
        long perDay = a * (f + 1) * d + f * d + a * d * e
            + options.StageOneLayers * ((a + 1) * 4 * d * d + 2 * (a + 1) * (a + 1) * d + (a + 1) * 2 * d * dff);
        long perAsset = TemporalEncoder<float>.MultiplyAdds(options.Family, options.StageTwoInputs, options.Hidden, options.TcnLevels,
            options.TcnKernel, options.Lookback) + options.Hidden;
        return (perDay, perAsset);
    }

    /// <summary>
    /// Forward FLOPs of the direct model for one sample (one date's window of the N-asset universe), I = N·(F + 1):
    /// <code>
    /// temporal   LSTM T·4H·(I+H) | GRU T·3H·(I+H) | TCN Σ_l T·(k·C_l·H + k·H² + [C_l≠H]·C_l·H), C_0 = I
    /// head       H·N
    /// </code>
    /// </summary>
    /// <param name="options">The model's options (validated).</param>
    /// <returns>FLOPs (2 per multiply-add).</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static long FlopsPerSample(DirectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return 2 * (TemporalEncoder<float>.MultiplyAdds(options.Family, options.InputsPerDay, options.Hidden, options.TcnLevels,
            options.TcnKernel, options.Lookback) + (long)options.Hidden * options.Assets);
    }

    /// <summary>
    /// Trainable scalars of the two-stage model (independent of A):
    /// <code>
    /// stage 1   (F+1)·D + D  +  F·D + D                       asset and market tokens
    ///           L₁·[4·D + 4·(D² + D) + D·d_ff + d_ff + d_ff·D + D]   two LNs, attention, feed-forward
    ///           2·D + D·E + E                                  final LN, projection
    ///           [E + 1]                                        pretraining head (FreezeStageOne only)
    /// stage 2   LSTM 4H·(I+H) + 4H | GRU 3H·(I+H) + 6H | TCN Σ_l (k·C_l·H + H + k·H² + H + [C_l≠H]·(C_l·H + H))
    /// head      H + 1
    /// </code>
    /// </summary>
    /// <param name="options">The model's options (validated).</param>
    /// <returns>The count; equals <c>TwoStageModel.ParameterCount</c> (tested).</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static long Parameters(TwoStageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        long f = options.Features, d = options.StageOneWidth, dff = options.StageOneFeedForward, e = options.Embedding, h = options.Hidden;
        long stageOne = (f + 1) * d + d + f * d + d
            + options.StageOneLayers * (4 * d + 4 * (d * d + d) + d * dff + dff + dff * d + d)
            + 2 * d + d * e + e + (options.FreezeStageOne ? e + 1 : 0);
        return stageOne + TemporalEncoder<float>.CountParameters(options.Family, options.StageTwoInputs, options.Hidden, options.TcnLevels,
            options.TcnKernel) + h + 1;
    }

    /// <summary>Trainable scalars of the direct model: the temporal model over I = N·(F + 1) inputs (as in
    /// <see cref="Parameters(TwoStageOptions)"/>) plus the head H·N + N.</summary>
    /// <param name="options">The model's options (validated).</param>
    /// <returns>The count; equals <c>DirectModel.ParameterCount</c> (tested).</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static long Parameters(DirectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return TemporalEncoder<float>.CountParameters(options.Family, options.InputsPerDay, options.Hidden, options.TcnLevels, options.TcnKernel)
            + (long)options.Hidden * options.Assets + options.Assets;
    }
}
