// Times the analysis of one hour of 250 Hz single-lead ECG.
//
//   dotnet run -c Release --project bench/HealthBlock.Analysis.Bench [-- --iterations N] [-- --synthetic]
//
// The hour is MIT-BIH record 100 (MLII) resampled to 250 Hz and repeated with a different realistic
// noise realisation per copy (found beside the repository in shared/data/mitdb); when that data is
// missing, or with --synthetic, a synthetic ECG is used. Prints the median and best wall-clock time
// of each stage in milliseconds and as a multiple of real time (3600 s / elapsed).
using System.Diagnostics;
using System.Globalization;
using HealthBlock.Analysis;

const double Fs = 250.0;
const int Seconds = 3600;

var iterations = 5;
var forceSynthetic = false;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--iterations" && i + 1 < args.Length)
    {
        iterations = Math.Max(1, int.Parse(args[++i], CultureInfo.InvariantCulture));
    }
    else if (args[i] == "--synthetic")
    {
        forceSynthetic = true;
    }
}

var (signal, source) = BenchData.OneHour(Fs, Seconds, forceSynthetic);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Input: {source}; {signal.Length:N0} samples = {signal.Length / Fs / 60:0} min at {Fs} Hz"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Runtime: .NET {Environment.Version}, {Environment.ProcessorCount} logical CPU(s), iterations {iterations} (+1 warm-up)"));
Console.WriteLine();

var detector = new QrsDetector(Fs);
int beats = 0;
Stage.Run("QRS detection only", iterations, Seconds, () => beats = detector.Detect(signal).Length);
EcgAnalysisResult? result = null;
Stage.Run("Full ECG analysis (quality + detection + rhythm findings)", iterations, Seconds, () => result = EcgAnalyzer.Analyze(signal, Fs));

Console.WriteLine();
Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"Beats detected: {beats:N0}; analysed {result!.AnalysedSeconds:0} s, excluded {result.ExcludedSeconds:0} s; findings: {string.Join(", ", result.Findings.Select(f => f.Kind))}"));

/// <summary>Stopwatch timing of one stage.</summary>
internal static class Stage
{
    public static void Run(string name, int iterations, double realSeconds, Action action)
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
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: median {median:0.0} ms ({realSeconds * 1000 / median:N0}x real time), best {best:0.0} ms ({realSeconds * 1000 / best:N0}x real time)"));
    }
}

/// <summary>Builds the hour of ECG.</summary>
internal static class BenchData
{
    public static (double[] Signal, string Source) OneHour(double fs, int seconds, bool forceSynthetic)
    {
        var length = (int)(seconds * fs);
        var record = forceSynthetic ? null : RepositoryFiles.MitBihRecord100;
        if (record is null)
        {
            var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions
            {
                SamplingFrequency = fs,
                DurationSeconds = seconds,
                HeartRateBpm = 75,
                Noise = NoiseProfile.Realistic(1),
            });
            return (ecg.SamplesMv, "synthetic ECG, 75 bpm, realistic noise");
        }

        var clean = Resampler.Resample(WfdbReader.ReadRecord(record).ToPhysical(0), 360, (int)fs);
        var signal = new double[length];
        var copy = 0;
        for (var filled = 0; filled < length; filled += clean.Length, copy++)
        {
            var noisy = NoiseProfile.Realistic(copy + 1).Apply(clean, fs);
            Array.Copy(noisy, 0, signal, filled, Math.Min(noisy.Length, length - filled));
        }

        return (signal, $"MIT-BIH 100 MLII resampled to {fs} Hz, {copy} copies with realistic noise");
    }
}
