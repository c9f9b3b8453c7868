namespace HealthBlock.Analysis;

/// <summary>
/// A power-of-two ring of the most recent samples of one signal, addressed by absolute sample index.
/// Only the last <see cref="Capacity"/> indices written are readable; older ones have been overwritten.
/// </summary>
internal sealed class SampleRing
{
    private readonly double[] _values;
    private readonly long _mask;

    public SampleRing(int minimumCapacity)
    {
        var capacity = 16;
        while (capacity < minimumCapacity)
        {
            capacity <<= 1;
        }

        _values = new double[capacity];
        _mask = capacity - 1;
    }

    public int Capacity => _values.Length;

    public double this[long index]
    {
        get => _values[index & _mask];
        set => _values[index & _mask] = value;
    }

    /// <summary>Index of the largest absolute value in <c>[from, to]</c> (first one on ties).</summary>
    public long ArgMaxAbs(long from, long to)
    {
        var best = from;
        var bestValue = Math.Abs(this[from]);
        for (var i = from + 1; i <= to; i++)
        {
            var v = Math.Abs(this[i]);
            if (v > bestValue)
            {
                best = i;
                bestValue = v;
            }
        }

        return best;
    }

    /// <summary>Copies <c>[from, from + destination.Length)</c> into <paramref name="destination"/>.</summary>
    public void CopyTo(long from, Span<double> destination)
    {
        for (var k = 0; k < destination.Length; k++)
        {
            destination[k] = this[from + k];
        }
    }
}
