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

/// <summary>Locates MIT-BIH record 100 beside the repository (<c>&lt;repo&gt;/../shared/data/mitdb</c>); missing data fails the test.</summary>
internal static class TestData
{
    private static readonly Lazy<string> MitDb = new(Find);

    public static string Record100Path => Path.Combine(MitDb.Value, "100");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "mitdb");
            if (File.Exists(Path.Combine(candidate, "100.hea")))
            {
                return candidate;
            }
        }

        Assert.Fail($"MIT-BIH record 100 not found: expected shared/data/mitdb/100.hea beside the repository (<repo>/../shared/data/mitdb), searched upwards from {AppContext.BaseDirectory}.");
        return string.Empty;
    }
}
