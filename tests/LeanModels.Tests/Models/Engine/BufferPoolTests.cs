using LeanModels.Models.Engine;
using LeanModels.Models.Engine.Layers;
using LeanModels.Models.Engine.Optimizers;
using LeanModels.Models.Numerics;

namespace LeanModels.Tests.Models.Engine;

public class BufferPoolTests
{
    private static (float[] Weights, BufferPool<float>? Pool, int CreatedAfterFirst) Train(bool pooled)
    {
        var rng = new Xoshiro256StarStar(3);
        var x = Tensor<float>.Normal(rng, 1, [8, 5, 3]);                                  // [B, T, F]
        var y = Tensor<float>.Normal(rng, 1, [8, 1]);
        var lstm = new Lstm<float>(3, 4, rng);
        var attn = new MultiHeadAttention<float>(4, 2, 0.1, rng);
        var head = new Linear<float>(4, 1, rng);
        var ps = lstm.Parameters().Concat(attn.Parameters()).Concat(head.Parameters()).ToList();
        var opt = new AdamW<float>(ps, 1e-2);
        var pool = pooled ? new BufferPool<float>() : null;
        var dropout = new Xoshiro256StarStar(4);
        var createdAfterFirst = 0;
        for (var step = 0; step < 4; step++)
        {
            opt.ZeroGrad();
            using (var t = new Tape<float>(true, dropout, pool: pool))
            {
                var h = attn.Forward(t, lstm.Forward(t, x).Outputs);                       // [B, T, 4]
                var last = t.Reshape(t.Slice(h, 1, 4, 1), 8, 4);
                t.Backward(t.MseLoss(head.Forward(t, t.Dropout(last, 0.2)), y));
            }
            opt.Step();
            if (step == 0) createdAfterFirst = pool?.Created ?? 0;
        }
        return (ps.SelectMany(p => p.Value.Data).ToArray(), pool, createdAfterFirst);
    }

    [Test]
    public void PooledTraining_BitIdenticalToUnpooled_AndStopsAllocatingAfterFirstStep()
    {
        var (plain, _, _) = Train(pooled: false);
        var (pooled, pool, createdAfterFirst) = Train(pooled: true);
        Assert.That(pooled.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(plain.Select(BitConverter.SingleToInt32Bits)));
        Assert.That(createdAfterFirst, Is.GreaterThan(0));
        Assert.That(pool!.Created, Is.EqualTo(createdAfterFirst));               // steps 2–4 reuse every array
    }

    [Test]
    public void Rent_ReusedArray_IsZeroed()
    {
        var pool = new BufferPool<double>();
        var a = pool.Rent(4);
        a[2] = 7;
        pool.Return(a);
        var b = pool.Rent(4);
        Assert.That(b, Is.SameAs(a));
        Assert.That(b, Is.EqualTo(new double[4]));
    }

    [Test]
    public void DisposedTape_Op_Throws()
    {
        var t = new Tape<double>(pool: new BufferPool<double>());
        t.Dispose();
        Assert.That(() => t.Exp(Tensor<double>.Zeros(2)), Throws.TypeOf<ObjectDisposedException>());
    }
}
