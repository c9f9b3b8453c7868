using HealthBlock.Analysis;

namespace HealthBlock.Doctor.Tests;

/// <summary>ECG test signals as a wearable sends them: int16 microvolts at 250 Hz.</summary>
internal static class Signals
{
    public const int Rate = 250;

    /// <summary>A synthetic ECG of <paramref name="seconds"/> seconds in microvolts.</summary>
    public static short[] EcgMicrovolts(int seconds, double heartRateBpm = 72, int seed = 7)
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions
        {
            SamplingFrequency = Rate,
            DurationSeconds = seconds,
            HeartRateBpm = heartRateBpm,
            Seed = seed,
            Noise = new NoiseProfile(0.01, 0.0, 0.0, 50.0, 0.05, seed),
        });
        return [.. ecg.SamplesMv.Take(seconds * Rate).Select(v => (short)Math.Round(v * 1000))];
    }

    /// <summary>Frame <paramref name="index"/> (one second) of a signal.</summary>
    public static short[] Second(short[] signal, int index) => signal[(index * Rate)..((index + 1) * Rate)];

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}

/// <summary>MIT-BIH record 100 from the repository's <c>data/mitdb</c>; missing data fails the test.</summary>
internal static class TestData
{
    public static string Record100Path => RepositoryFiles.MitBihRecord100;
}
