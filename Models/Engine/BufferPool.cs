using System.Numerics;

namespace LeanModels.Models.Engine;

/// <summary>
/// Reuses the tape's activation, gradient and cache arrays across training steps, keyed by exact length (shapes repeat
/// every step, so after the first step nothing new is allocated). Explicit and owned by the caller, one per model or
/// training loop; not thread-safe. A <see cref="Tape{T}"/> built with a pool rents from it and returns everything when it is
/// disposed, so every tensor the tape produced (loss, predictions, attention weights) is invalid after
/// <see cref="Tape{T}.Dispose"/>: copy what you need first.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class BufferPool<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<int, Stack<T[]>> _free = new();

    /// <summary>Number of arrays created by this pool (not reused ones); stops growing once steps repeat.</summary>
    public int Created { get; private set; }

    /// <summary>Bytes of all arrays created by this pool.</summary>
    public long CreatedBytes { get; private set; }

    /// <summary>A zero-filled array of exactly <paramref name="length"/> elements, reused when one is free.</summary>
    /// <param name="length">Element count, ≥ 0.</param>
    /// <returns>The array.</returns>
    public T[] Rent(int length) => Rent(length, clear: true);

    /// <summary>An array of exactly <paramref name="length"/> elements, reused when one is free; a reused array keeps its old
    /// contents unless <paramref name="clear"/> (for outputs the caller overwrites entirely). New arrays are always zero.</summary>
    /// <param name="length">Element count, ≥ 0.</param>
    /// <param name="clear">True to zero a reused array.</param>
    /// <returns>The array.</returns>
    internal T[] Rent(int length, bool clear)
    {
        if (_free.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            var reused = stack.Pop();
            if (clear) Array.Clear(reused);
            return reused;
        }
        Created++;
        CreatedBytes += (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        return new T[length];
    }

    /// <summary>Gives an array back for reuse.</summary>
    /// <param name="array">An array from <see cref="Rent(int)"/>, no longer referenced by live tensors.</param>
    public void Return(T[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (!_free.TryGetValue(array.Length, out var stack)) _free[array.Length] = stack = new Stack<T[]>();
        stack.Push(array);
    }
}
