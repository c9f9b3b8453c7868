namespace HealthBlock.Analysis;

/// <summary>A synthetic ECG with the true R-peak positions and labels.</summary>
/// <param name="SamplesMv">The signal, mV.</param>
/// <param name="SamplingFrequency">Samples per second.</param>
/// <param name="BeatSamples">Sample index of each R peak (the ground truth).</param>
public sealed record SyntheticEcg(double[] SamplesMv, double SamplingFrequency, int[] BeatSamples)
{
    /// <summary>Reference label of each beat of <see cref="BeatSamples"/> (N, L, R, V...).</summary>
    public IReadOnlyList<AnnotationCode> BeatLabels { get; init; } = [];

    /// <summary>
    /// Generates an ECG of <see cref="SyntheticEcgOptions.DurationSeconds"/> with <see cref="SyntheticEcgGenerator"/>
    /// (sum-of-Gaussians beats at known times), then adds <see cref="SyntheticEcgOptions.Noise"/>. Beats are placed
    /// from <see cref="SyntheticEcgOptions.FirstBeatSeconds"/> up to 0.2 s before the end. Deterministic for a given
    /// <see cref="SyntheticEcgOptions.Seed"/> and noise seed.
    /// </summary>
    /// <param name="options">Parameters.</param>
    /// <returns>The signal and its true beat positions and labels.</returns>
    public static SyntheticEcg Generate(SyntheticEcgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var generator = new SyntheticEcgGenerator(options);
        var fs = options.SamplingFrequency;
        var n = (int)Math.Round(options.DurationSeconds * fs);
        var x = new double[n];
        generator.Render(0, x, options.DurationSeconds - 0.2);
        if (options.Noise is { } noise)
        {
            x = noise.Apply(x, fs);
        }

        var beats = generator.Beats(0, options.DurationSeconds - 0.2)
            .Select(b => (Sample: (int)Math.Round(b.TimeSeconds * fs), b.Label))
            .Where(b => b.Sample >= 0 && b.Sample < n)
            .ToList();
        return new SyntheticEcg(x, fs, [.. beats.Select(b => b.Sample)]) { BeatLabels = [.. beats.Select(b => b.Label)] };
    }

    /// <summary>The ground truth as WFDB annotations (one beat annotation per beat), for scoring and writing.</summary>
    /// <returns>Annotations in time order.</returns>
    public IReadOnlyList<WfdbAnnotation> ToAnnotations() =>
        [.. BeatSamples.Select((s, i) => new WfdbAnnotation(s, i < BeatLabels.Count ? BeatLabels[i] : AnnotationCode.Normal, 0, 0, 0, null))];
}
