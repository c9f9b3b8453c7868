using System.Diagnostics;
using System.Globalization;

namespace HealthBlock.Analysis.Bench;

/// <summary>One hour of 250 Hz ECG through the batch and the streaming paths, timed in the same run.</summary>
internal static class ThroughputBench
{
    private const double Fs = 250.0;
    private const int Seconds = 3600;

    public static void Run(int iterations, bool synthetic)
    {
        var (signal, source) = OneHour(synthetic);
        Console.WriteLine(Invariant($"Input: {source}; {signal.Length:N0} samples = {signal.Length / Fs / 60:0} min at {Fs} Hz"));
        Console.WriteLine(Invariant($"Runtime: .NET {Environment.Version}, {Environment.ProcessorCount} logical CPU(s), iterations {iterations} (+1 warm-up)"));
        Console.WriteLine();

        var beats = 0;
        var ceiling = Time("Baseline textbook detector (band-pass, derivative, square, integrate, threshold)", iterations, () => beats = BaselineQrsDetector.Detect(signal, Fs).Length);
        Console.WriteLine("  (the ceiling: the least work a QRS detector does per sample; the paths below are timed as multiples of it)");
        Time("QRS detection only (batch: the streaming core over the array)", iterations, () => beats = QrsDetector.Detect(signal, Fs).Length, ceiling);
        EcgAnalysisResult? batch = null;
        Time("Full ECG analysis, batch (quality + detection + labels + rhythm findings)", iterations, () => batch = EcgAnalyzer.Analyze(signal, Fs), ceiling);
        var streamed = 0;
        Time("Full ECG analysis, streaming in 1 s frames (EcgStream.Push)", iterations, () => streamed = Stream(signal, measure: false).Beats, ceiling);
        var peakBytes = Stream(signal, measure: true).HeapGrowth; // untimed: full collections at every check

        Console.WriteLine();
        Console.WriteLine(Invariant(
            $"Beats: detector {beats:N0}, batch analysis {batch!.RPeaks.Count:N0}, streaming {streamed:N0} (equal: {streamed == batch.RPeaks.Count}); analysed {batch.AnalysedSeconds:0} s, excluded {batch.ExcludedSeconds:0} s; streaming heap growth over the hour {peakBytes / 1024.0:0} KiB"));
        Console.WriteLine("Findings: " + string.Join(", ", batch.Findings.Select(f => f.Kind)));
    }

    /// <summary>Streams the hour in one-second frames; with <paramref name="measure"/>, the largest growth of the live heap
    /// after the first 10 minutes, checked every 10 minutes with a full collection.</summary>
    private static (int Beats, long HeapGrowth) Stream(double[] signal, bool measure)
    {
        var stream = new EcgStream(Fs);
        var frame = (int)Fs;
        var beats = 0;
        long before = 0, most = 0;
        for (var start = 0; start < signal.Length; start += frame)
        {
            var update = stream.Push(signal.AsSpan(start, Math.Min(frame, signal.Length - start)), start);
            beats += update.Beats.Count;
            if (measure && start == 600 * frame)
            {
                before = GC.GetTotalMemory(forceFullCollection: true);
            }
            else if (measure && start > 600 * frame && start % (600 * frame) == 0)
            {
                most = Math.Max(most, GC.GetTotalMemory(forceFullCollection: true) - before);
            }
        }

        beats += stream.Complete().Beats.Count;
        return (beats, most);
    }

    /// <summary>Times <paramref name="action"/> and prints its median and best; returns the median, ms.</summary>
    private static double Time(string name, int iterations, Action action, double? ceilingMs = null)
    {
        action(); // warm-up (JIT, tiering)
        var times = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var sw = Stopwatch.StartNew();
            action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        var median = times[times.Count / 2];
        var best = times[0];
        var ratio = ceilingMs is { } c ? Invariant($", {median / c:0.0}x the ceiling's time") : "";
        Console.WriteLine(Invariant(
            $"{name}: median {median:0} ms ({Seconds * 1000 / median:N0}x real time), best {best:0} ms ({Seconds * 1000 / best:N0}x real time){ratio}"));
        return median;
    }

    private static (double[] Signal, string Source) OneHour(bool synthetic)
    {
        var length = (int)(Seconds * Fs);
        if (synthetic)
        {
            var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions
            {
                SamplingFrequency = Fs,
                DurationSeconds = Seconds,
                HeartRateBpm = 75,
                Noise = NoiseProfile.Realistic(1),
            });
            return (ecg.SamplesMv, "synthetic ECG, 75 bpm, realistic noise");
        }

        var clean = Resampler.Resample(WfdbReader.ReadRecord(RepositoryFiles.MitBihRecord100).ToPhysical(0), 360, (int)Fs);
        var signal = new double[length];
        var copy = 0;
        for (var filled = 0; filled < length; filled += clean.Length, copy++)
        {
            var noisy = NoiseProfile.Realistic(copy + 1).Apply(clean, Fs);
            Array.Copy(noisy, 0, signal, filled, Math.Min(noisy.Length, length - filled));
        }

        return (signal, $"MIT-BIH 100 MLII resampled to {Fs} Hz, {copy} copies with realistic noise");
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
