using LeanModels.Models.Engine;
using static LeanModels.Tests.Models.Engine.EngineTestData;

namespace LeanModels.Tests.Models.Engine;

/// <summary>Every op's backward against central differences in double (PyTorch's gradcheck tolerances).</summary>
public class TapeGradCheckTests
{
    // ---- element-wise binary, same shape and broadcast ----
    [Test] public void Add_SameShape_MatchesFiniteDifferences() { var (a, b) = (Normal(1, 2, 3), Normal(2, 2, 3)); AssertGradCheck(t => t.Add(a, b), a, b); }
    [Test] public void Add_BroadcastRowAndColumn_MatchesFiniteDifferences() { var (a, b) = (Normal(1, 3, 1), Normal(2, 4)); AssertGradCheck(t => t.Add(a, b), a, b); }
    [Test] public void Sub_BroadcastLeadingAxis_MatchesFiniteDifferences() { var (a, b) = (Normal(1, 2, 3, 4), Normal(2, 3, 4)); AssertGradCheck(t => t.Sub(a, b), a, b); }
    [Test] public void Mul_BroadcastScalarShape_MatchesFiniteDifferences() { var (a, b) = (Normal(1, 2, 3), Normal(2, 1)); AssertGradCheck(t => t.Mul(a, b), a, b); }
    [Test] public void Mul_Broadcast_MatchesFiniteDifferences() { var (a, b) = (Normal(1, 2, 1, 4), Normal(2, 3, 1)); AssertGradCheck(t => t.Mul(a, b), a, b); }
    [Test] public void Div_SuffixNumeratorScalarDenominator_MatchesFiniteDifferences()
    {
        var (a, b, s) = (Normal(1, 3), Positive(2, 2, 3), Tensor<double>.From([1.7], [], requiresGrad: true));   // [3] / [2, 3], then / rank-0
        AssertGradCheck(t => t.Div(t.Div(a, b), s), a, b, s);
    }
    [Test] public void Sub_RowBroadcastBothSides_MatchesFiniteDifferences() { var (a, b) = (Normal(1, 2, 1, 4), Normal(2, 1, 3, 4)); AssertGradCheck(t => t.Sub(a, b), a, b); }
    [Test] public void Sub_SameShape_MatchesFiniteDifferences() { var (a, b) = (Normal(1, 2, 3), Normal(2, 2, 3)); AssertGradCheck(t => t.Sub(a, b), a, b); }
    [Test] public void Mul_SuffixBroadcast_MatchesFiniteDifferences() { var (a, b) = (Normal(1, 3, 4), Normal(2, 4)); AssertGradCheck(t => t.Mul(a, b), a, b); }
    [Test] public void Div_Broadcast_MatchesFiniteDifferences() { var (a, b) = (Normal(1, 2, 3), Positive(2, 3)); AssertGradCheck(t => t.Div(a, b), a, b); }

    // ---- fan-out: x used twice must receive both contributions (catches '=' written for '+=') ----
    [Test] public void Mul_SameTensorTwice_MatchesFiniteDifferences() { var x = Normal(3, 5); AssertGradCheck(t => t.Mul(x, x), x); }
    [Test] public void Graph_FanOutThroughTwoPaths_MatchesFiniteDifferences()
    {
        var (x, w) = (Normal(4, 2, 3), Normal(5, 3, 2));
        AssertGradCheck(t => t.Add(t.Tanh(t.MatMul(x, w)), t.Sum(t.Exp(x), [1], keepDims: true)), x, w);
    }

    // ---- element-wise unary ----
    [Test] public void Neg_MatchesFiniteDifferences() { var x = Normal(6, 2, 3); AssertGradCheck(t => t.Neg(x), x); }
    [Test] public void Exp_MatchesFiniteDifferences() { var x = Normal(6, 2, 3); AssertGradCheck(t => t.Exp(x), x); }
    [Test] public void Log_MatchesFiniteDifferences() { var x = Positive(6, 2, 3); AssertGradCheck(t => t.Log(x), x); }
    [Test] public void Sqrt_MatchesFiniteDifferences() { var x = Positive(6, 2, 3); AssertGradCheck(t => t.Sqrt(x), x); }
    [Test] public void Pow_NonIntegerExponent_MatchesFiniteDifferences() { var x = Positive(6, 2, 3); AssertGradCheck(t => t.Pow(x, 2.5), x); }
    [Test] public void Tanh_MatchesFiniteDifferences() { var x = Normal(6, 2, 3); AssertGradCheck(t => t.Tanh(x), x); }
    [Test] public void Sigmoid_MatchesFiniteDifferences() { var x = Normal(6, 2, 3); AssertGradCheck(t => t.Sigmoid(x), x); }
    [Test] public void Relu_MatchesFiniteDifferences() { var x = Normal(6, 2, 3); AssertGradCheck(t => t.Relu(x), x); }
    [Test] public void Abs_MatchesFiniteDifferences() { var x = Normal(6, 2, 3); AssertGradCheck(t => t.Abs(x), x); }
    [Test] public void Gelu_MatchesFiniteDifferences() { var x = Normal(6, 2, 3); AssertGradCheck(t => t.Gelu(x), x); }
    [Test] public void Softplus_MatchesFiniteDifferences() { var x = Normal(6, 2, 3); AssertGradCheck(t => t.Softplus(x), x); }
    [Test] public void ScaleAndAddScalar_MatchesFiniteDifferences() { var x = Normal(6, 2, 3); AssertGradCheck(t => t.AddScalar(t.Scale(x, -1.7), 0.3), x); }

    // ---- reductions ----
    [Test] public void Sum_All_MatchesFiniteDifferences() { var x = Normal(7, 2, 3, 4); AssertGradCheck(t => t.Sum(x), x); }
    [Test] public void Sum_TwoAxesKeepDims_MatchesFiniteDifferences() { var x = Normal(7, 2, 3, 4); AssertGradCheck(t => t.Sum(x, [0, 2], keepDims: true), x); }
    [Test] public void Mean_LastAxis_MatchesFiniteDifferences() { var x = Normal(7, 2, 3, 4); AssertGradCheck(t => t.Mean(x, [-1]), x); }
    [Test] public void Max_MiddleAxis_MatchesFiniteDifferences() { var x = Normal(7, 2, 3, 4); AssertGradCheck(t => t.Max(x, [1]), x); }

    // ---- matmul ----
    [Test] public void MatMul_SharedRightOperand_MatchesFiniteDifferences() { var (a, b) = (Normal(8, 2, 3, 4), Normal(9, 4, 5)); AssertGradCheck(t => t.MatMul(a, b), a, b); }
    [Test] public void MatMul_SharedTransposed_MatchesFiniteDifferences() { var (a, b) = (Normal(8, 3, 4), Normal(9, 5, 4)); AssertGradCheck(t => t.MatMul(a, b, transposeB: true), a, b); }
    [Test] public void MatMul_Batched_MatchesFiniteDifferences() { var (a, b) = (Normal(8, 2, 3, 4), Normal(9, 2, 4, 2)); AssertGradCheck(t => t.MatMul(a, b), a, b); }
    [Test] public void MatMul_BatchedTransposed_MatchesFiniteDifferences() { var (a, b) = (Normal(8, 2, 3, 4), Normal(9, 2, 5, 4)); AssertGradCheck(t => t.MatMul(a, b, transposeB: true), a, b); }

    // ---- shape ops ----
    [Test] public void Reshape_MatchesFiniteDifferences() { var x = Normal(10, 2, 6); AssertGradCheck(t => t.Mul(t.Reshape(x, 3, -1), t.Reshape(x, 3, 4)), x); }
    [Test] public void Permute_LastAxisKept_MatchesFiniteDifferences() { var x = Normal(10, 2, 3, 4); AssertGradCheck(t => t.Permute(x, 1, 0, 2), x); }
    [Test] public void Permute_MatchesFiniteDifferences() { var x = Normal(10, 2, 3, 4); AssertGradCheck(t => t.Permute(x, 2, 0, 1), x); }
    [Test] public void Transpose_MatchesFiniteDifferences() { var x = Normal(10, 2, 3, 4); AssertGradCheck(t => t.Transpose(x, 0, 2), x); }
    [Test] public void Slice_MiddleAxis_MatchesFiniteDifferences() { var x = Normal(10, 2, 5, 3); AssertGradCheck(t => t.Slice(x, 1, 1, 3), x); }
    [Test] public void Concat_MiddleAxis_MatchesFiniteDifferences() { var (a, b) = (Normal(11, 2, 1, 3), Normal(12, 2, 2, 3)); AssertGradCheck(t => t.Concat([a, b, a], 1), a, b); }
    [Test] public void Gather_RepeatedIndices_MatchesFiniteDifferences() { var x = Normal(13, 4, 3); AssertGradCheck(t => t.Gather(x, [2, 0, 2, 3]), x); }
    [Test] public void Gather_LastAxis_MatchesFiniteDifferences() { var x = Normal(13, 2, 4); AssertGradCheck(t => t.Gather(x, [3, 1], -1), x); }
    [Test] public void Where_MatchesFiniteDifferences() { var (a, b) = (Normal(14, 2, 3), Normal(15, 2, 3)); AssertGradCheck(t => t.Where([true, false, false, true, true, false], a, b), a, b); }
    [Test] public void MaskedFill_MatchesFiniteDifferences() { var x = Normal(14, 2, 3); AssertGradCheck(t => t.Exp(t.MaskedFill(x, [false, true, false], -5.0)), x); }
    [Test] public void Dropout_TrainingFixedMask_MatchesFiniteDifferences() { var x = Normal(16, 4, 5); AssertGradCheck(t => t.Dropout(x, 0.3), x); }

    // ---- fused ----
    [Test] public void Softmax_MatchesFiniteDifferences() { var x = Normal(17, 3, 5); AssertGradCheck(t => t.Softmax(x), x); }
    [Test] public void LogSoftmax_MatchesFiniteDifferences() { var x = Normal(17, 3, 5); AssertGradCheck(t => t.LogSoftmax(x), x); }
    [Test] public void LayerNorm_MatchesFiniteDifferences()
    {
        var (x, g, b) = (Normal(18, 3, 5), Normal(19, 5), Normal(20, 5));
        AssertGradCheck(t => t.LayerNorm(x, g, b), x, g, b);
    }
    [Test] public void Attention_NoMask_MatchesFiniteDifferences()
    {
        var (q, k, v) = (Normal(21, 2, 3, 4), Normal(22, 2, 5, 4), Normal(23, 2, 5, 2));
        AssertGradCheck(t => t.Attention(q, k, v), q, k, v);
    }
    [Test] public void Attention_CausalMaskAndDropout_MatchesFiniteDifferences()
    {
        var (q, k, v) = (Normal(21, 2, 3, 4), Normal(22, 2, 3, 4), Normal(23, 2, 3, 2));
        bool[] causal = [true, false, false, true, true, false, true, true, true];
        AssertGradCheck(t => t.Attention(q, k, v, causal, dropout: 0.25), q, k, v);
    }

    // ---- losses ----
    [Test] public void MseLoss_MatchesFiniteDifferences() { var (p, y) = (Normal(24, 2, 3), Normal(25, 2, 3)); AssertGradCheck(t => t.MseLoss(p, y), p, y); }
    [Test] public void HuberLoss_BothRegions_MatchesFiniteDifferences() { var (p, y) = (Normal(24, 2, 4), Normal(25, 2, 4)); AssertGradCheck(t => t.HuberLoss(p, y, 0.7), p, y); }
    [Test] public void BceWithLogitsLoss_MatchesFiniteDifferences() { var (x, y) = (Normal(26, 2, 3), Positive(27, 2, 3)); AssertGradCheck(t => t.BceWithLogitsLoss(x, t.AddScalar(y, -0.5)), x, y); }
    [Test] public void PinballLoss_MatchesFiniteDifferences() { var (p, y) = (Normal(28, 2, 4), Normal(29, 2, 4)); AssertGradCheck(t => t.PinballLoss(p, y, 0.2), p, y); }
    [Test] public void NegativePearsonICLoss_MatchesFiniteDifferences() { var (p, y) = (Normal(30, 3, 5), Constant(31, 3, 5)); AssertGradCheck(t => t.NegativePearsonICLoss(p, y), p); }
    [Test] public void PortfolioUtilityLoss_WithTurnover_MatchesFiniteDifferences()
    {
        var (w, r) = (Normal(32, 3, 4), Constant(33, 3, 4));
        AssertGradCheck(t => t.PortfolioUtilityLoss(w, r, 0.5, [0.1, -0.2, 0.3, 0.0]), w);
    }
}
