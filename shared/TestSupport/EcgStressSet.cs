// Shared by the analysis tests and bench (linked into each, not a library).
using System.Text.Json;
using System.Text.Json.Serialization;
using HealthBlock.Analysis;

namespace HealthBlock.TestSupport;

/// <summary>One noise stress record: record 100 with one noise type at one SNR, and how to score it.</summary>
internal sealed record StressCondition(string Noise, double SnrDb, double[] Signal, double Fs, IReadOnlyList<WfdbAnnotation> Reference, Ec57Options NoisySegments);

/// <summary>One synthetic hard rhythm, clean or with the wearable noise mix at an SNR.</summary>
internal sealed record HardRhythmCase(string Name, double? SnrDb, double[] Signal, double Fs, IReadOnlyList<WfdbAnnotation> Reference);

/// <summary>
/// The noise stress test and the synthetic hard rhythms of <c>data/ecg-stress/manifest.json</c>, built from their seeds
/// with the analysis library, and the scoring both the tests and the bench use.
/// </summary>
internal static class EcgStressSet
{
    private static readonly Lazy<Manifest> ManifestLazy = new(Load);

    /// <summary>The noise stress records, in manifest order, optionally only some noise names and SNRs.</summary>
    public static IEnumerable<StressCondition> NoiseStress(ISet<string>? noises = null, ISet<double>? snrs = null)
    {
        var m = ManifestLazy.Value.NoiseStress;
        var path = RepositoryFiles.InRepository(m.Record.Split('/'));
        var record = WfdbReader.ReadRecord(path);
        var reference = WfdbAnnotationReader.Read(path);
        var clean = record.ToPhysical(m.Channel);
        var fs = record.SamplingFrequency;
        foreach (var n in m.Noise.Where(n => noises is null || noises.Contains(n.Name)))
        {
            var noise = StressNoise.Generate(Enum.Parse<StressNoiseKind>(n.Kind), clean.Length, fs, n.Seed);
            foreach (var snr in m.SnrDb.Where(s => snrs is null || snrs.Contains(s)))
            {
                var built = NoiseStressTest.Build(clean, fs, reference, noise, snr, n.LeadOffSeed);
                var windows = built.NoisySegments.Select(s => new EcgSpan(s.Start, s.End, SignalIssue.None)).ToList();
                yield return new StressCondition(n.Name, snr, built.Signal, fs, reference, new Ec57Options { Windows = windows });
            }
        }
    }

    /// <summary>The synthetic hard rhythms: each clean, then (with <paramref name="noisy"/>) with the manifest's noise at each SNR.</summary>
    public static IEnumerable<HardRhythmCase> HardRhythms(bool noisy = true, ISet<string>? names = null)
    {
        var h = ManifestLazy.Value.HardRhythms;
        foreach (var r in h.Rhythms.Where(r => names is null || names.Contains(r.Name)))
        {
            var ecg = SyntheticEcg.Generate(Options(h, r));
            var reference = ecg.ToAnnotations();
            yield return new HardRhythmCase(r.Name, null, ecg.SamplesMv, h.SamplingFrequency, reference);
            if (!noisy)
            {
                continue;
            }

            var noise = StressNoise.Generate(Enum.Parse<StressNoiseKind>(h.Noise.Kind), ecg.SamplesMv.Length, h.SamplingFrequency, h.Noise.Seed);
            var s = NoiseStressTest.SignalPower(ecg.SamplesMv, h.SamplingFrequency, reference);
            var n = NoiseStressTest.NoisePower(noise, h.SamplingFrequency);
            foreach (var snr in h.Noise.SnrDb)
            {
                var gain = Math.Sqrt(s / (n * Math.Pow(10, snr / 10)));
                var x = ecg.SamplesMv.Select((v, i) => v + gain * noise[i]).ToArray();
                yield return new HardRhythmCase(r.Name, snr, x, h.SamplingFrequency, reference);
            }
        }
    }

    /// <summary>Scores <see cref="EcgAnalyzer"/> (the product path: detector, signal quality, beat labels).</summary>
    public static Ec57Report ScoreAnalyzer(double[] signal, double fs, IReadOnlyList<WfdbAnnotation> reference, Ec57Options? options = null)
    {
        var result = EcgAnalyzer.Analyze(signal, fs);
        return Ec57Scorer.Evaluate(
            reference,
            result.Beats.Select(b => (b.Sample, b.Label == AnnotationCode.PrematureVentricular)),
            result.ExcludedSegments.Select(e => new EcgSpan(e.StartSample, e.EndSample, e.Issues)),
            fs,
            options);
    }

    /// <summary>Scores the textbook <see cref="BaselineQrsDetector"/> (no labels, nothing unreadable).</summary>
    public static Ec57Report ScoreBaseline(double[] signal, double fs, IReadOnlyList<WfdbAnnotation> reference, Ec57Options? options = null) =>
        Ec57Scorer.Evaluate(reference, BaselineQrsDetector.Detect(signal, fs).Select(b => ((long)b, false)), [], fs, options);

    private static SyntheticEcgOptions Options(HardRhythmSet h, RhythmEntry r)
    {
        var ventricular = (r.Ventricular ?? ["pvc-upright"]).Select(SyntheticBeatMorphology.Named).ToList();
        var hasRhythm = r.PvcProbability > 0 || r.Bigeminy || r.RunProbability > 0 || r.PauseProbability > 0 || r.Conducted is not null;
        return new SyntheticEcgOptions
        {
            SamplingFrequency = h.SamplingFrequency,
            DurationSeconds = h.DurationSeconds,
            RespiratoryModulation = h.RespiratoryModulation,
            RrVariability = r.RrVariability ?? h.RrVariability,
            HeartRateBpm = r.HeartRateBpm,
            PWaves = r.PWaves ?? true,
            Seed = r.Seed,
            Morphology = r.Morphology is { } name ? SyntheticBeatMorphology.Named(name) : null,
            Rhythm = !hasRhythm ? null : new SyntheticRhythm
            {
                PrematureVentricularProbability = r.PvcProbability,
                Bigeminy = r.Bigeminy,
                VentricularMorphologies = ventricular,
                VentricularRunProbability = r.RunProbability,
                RunMinBeats = r.RunMinBeats ?? 3,
                RunMaxBeats = r.RunMaxBeats ?? 8,
                RunRateBpm = r.RunRateBpm ?? 170,
                PauseProbability = r.PauseProbability,
                PauseMinSeconds = r.PauseMinSeconds ?? 2.5,
                PauseMaxSeconds = r.PauseMaxSeconds ?? 4.5,
                ConductedMorphologies = r.Conducted?.Select(SyntheticBeatMorphology.Named).ToList(),
                ConductedAmplitudes = r.ConductedAmplitudes,
                ConductionSegmentSeconds = r.ConductionSegmentSeconds ?? 60,
            },
        };
    }

    private static Manifest Load()
    {
        var path = RepositoryFiles.InRepository("data", "ecg-stress", "manifest.json");
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };
        return JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path), options)
            ?? throw new InvalidDataException($"{path} is empty");
    }

    private sealed record Manifest(NoiseStressSet NoiseStress, HardRhythmSet HardRhythms);

    private sealed record NoiseStressSet(string Record, int Channel, double[] SnrDb, NoiseEntry[] Noise);

    private sealed record NoiseEntry(string Name, string Kind, int Seed, int? LeadOffSeed);

    private sealed record HardRhythmSet(
        double SamplingFrequency, double DurationSeconds, double RespiratoryModulation, double RrVariability, HardNoise Noise, RhythmEntry[] Rhythms);

    private sealed record HardNoise(string Kind, int Seed, double[] SnrDb);

    private sealed record RhythmEntry(
        string Name,
        double HeartRateBpm,
        int Seed,
        string? Morphology,
        double? RrVariability,
        bool? PWaves,
        double PvcProbability,
        bool Bigeminy,
        string[]? Ventricular,
        double RunProbability,
        int? RunMinBeats,
        int? RunMaxBeats,
        double? RunRateBpm,
        double PauseProbability,
        double? PauseMinSeconds,
        double? PauseMaxSeconds,
        string[]? Conducted,
        double[]? ConductedAmplitudes,
        double? ConductionSegmentSeconds);
}
