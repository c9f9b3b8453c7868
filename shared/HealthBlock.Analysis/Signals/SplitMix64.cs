namespace HealthBlock.Analysis;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a 64-bit
/// generator whose whole state is one value, so generators can save and restore it (any-order rendering) and a
/// sample can be drawn from (seed, index) alone. For test signals only; not for cryptography.
/// </summary>
internal struct SplitMix64
{
    private const ulong Gamma = 0x9E3779B97F4A7C15;
    private ulong _state;

    public SplitMix64(ulong seed)
    {
        _state = seed;
    }

    /// <summary>A generator for stream <paramref name="stream"/> of <paramref name="seed"/> (independent streams per purpose).</summary>
    public static SplitMix64 For(int seed, ulong stream) => new(Mix(((ulong)(uint)seed << 32) ^ Mix(stream + Gamma)));

    public ulong NextUInt64()
    {
        _state += Gamma;
        return Mix(_state);
    }

    /// <summary>Uniform in (0, 1).</summary>
    public double NextDouble() => ((NextUInt64() >> 11) + 0.5) / (1UL << 53);

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double NextDouble(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>A standard normal deviate (Box-Muller).</summary>
    public double NextGaussian()
    {
        var u1 = NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A standard normal value that depends only on (<paramref name="seed"/>, <paramref name="index"/>).</summary>
    public static double GaussianAt(int seed, long index)
    {
        var g = For(seed, (ulong)index);
        return g.NextGaussian();
    }

    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }
}
