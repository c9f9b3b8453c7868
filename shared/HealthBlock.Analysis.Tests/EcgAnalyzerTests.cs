using CsCheck;
using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

public class EcgAnalyzerTests
{
    private static readonly NoiseProfile Floor = new(0.01, 0, 0, 50, 0, 9);

    [Fact]
    public void Record_100_is_sinus_rhythm_without_rate_or_rhythm_findings()
    {
        var result = EcgAnalyzer.Analyze(TestData.Record100, 0);

        Assert.Empty(result.ExcludedSegments);
        var score = Ec57Scorer.Score(TestData.Record100Annotations, result.RPeaks, 360);
        Assert.True(score.Sensitivity >= 0.995 && score.PositivePredictivity >= 0.995, score.ToString());
        Assert.InRange(result.HeartRate!.MeanHeartRateBpm, 74, 78);
        Assert.Equal([FindingKind.HeartRateSummary], result.Findings.Select(f => f.Kind));
        Assert.Equal(result.RPeaks.Count - 1, result.RrIntervals.Count);
    }

    [Fact]
    public void Record_100_with_realistic_noise_at_250_Hz_is_analysed_almost_entirely()
    {
        var (signal, _) = QrsDetectorMitBihTests.Resampled250();
        var noisy = QrsDetectorMitBihTests.NoisyProfile(1).Apply(signal, 250);

        var result = EcgAnalyzer.Analyze(noisy, 250);

        Assert.True(result.ExcludedSeconds < 0.01 * result.SampleCount / 250, $"excluded {result.ExcludedSeconds} s");
        Assert.DoesNotContain(result.Findings, f => f.Kind is FindingKind.IrregularRhythm or FindingKind.Pause);
    }

    [Theory]
    [InlineData(45, FindingKind.Bradycardia, FindingSeverity.Low)]
    [InlineData(35, FindingKind.Bradycardia, FindingSeverity.High)]
    [InlineData(120, FindingKind.Tachycardia, FindingSeverity.Low)]
    [InlineData(170, FindingKind.Tachycardia, FindingSeverity.High)]
    public void Sustained_abnormal_rates_are_reported(double bpm, FindingKind kind, FindingSeverity severity)
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { HeartRateBpm = bpm, DurationSeconds = 60, Noise = Floor });

        var result = EcgAnalyzer.Analyze(ecg.SamplesMv, ecg.SamplingFrequency);

        var finding = Assert.Single(result.Findings, f => f.Kind == kind);
        Assert.Equal(severity, finding.Severity);
        Assert.InRange(finding.Values["meanHeartRateBpm"], bpm - 3, bpm + 3);
        Assert.True(finding.Window!.DurationSeconds > 50);
        Assert.DoesNotContain(result.Findings, f => f.Kind is FindingKind.IrregularRhythm or FindingKind.Pause);
    }

    [Theory]
    [InlineData(50.5)]
    [InlineData(55)]
    [InlineData(75)]
    [InlineData(99)]
    public void Normal_rates_give_only_the_summary(double bpm)
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { HeartRateBpm = bpm, RrVariability = 0.005, DurationSeconds = 60, Noise = Floor });

        var result = EcgAnalyzer.Analyze(ecg.SamplesMv, ecg.SamplingFrequency);

        Assert.Equal([FindingKind.HeartRateSummary], result.Findings.Select(f => f.Kind));
    }

    [Fact]
    public void Brady_then_tachy_episodes_are_reported_with_their_time_windows()
    {
        // 44 bpm (below the 50 bpm of the 2018 ACC/AHA/HRS guideline), then 75 bpm, then 120 bpm.
        var rr = Enumerable.Repeat(1.35, 27).Concat(Enumerable.Repeat(0.8, 40)).Concat(Enumerable.Repeat(0.5, 60)).ToArray();
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { RrIntervalsSeconds = rr, DurationSeconds = 100, Noise = Floor });

        var result = EcgAnalyzer.Analyze(ecg.SamplesMv, ecg.SamplingFrequency);

        var brady = Assert.Single(result.Findings, f => f.Kind == FindingKind.Bradycardia);
        var tachy = Assert.Single(result.Findings, f => f.Kind == FindingKind.Tachycardia);
        Assert.InRange(brady.Window!.StartSeconds, 0, 2);
        Assert.InRange(brady.Window.EndSeconds, 25, 41);
        Assert.InRange(tachy.Window!.StartSeconds, 66, 80);
        Assert.InRange(tachy.Window.EndSeconds, 95, 100);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Irregularly_irregular_rhythm_is_flagged_as_possible_atrial_fibrillation(int seed)
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions
        {
            HeartRateBpm = 90,
            RrVariability = 0.2,
            PWaves = false,
            DurationSeconds = 120,
            Seed = seed,
            Noise = NoiseProfile.Realistic(seed),
        });

        var result = EcgAnalyzer.Analyze(ecg.SamplesMv, ecg.SamplingFrequency);

        var af = Assert.Single(result.Findings, f => f.Kind == FindingKind.IrregularRhythm);
        Assert.Equal(FindingSeverity.Moderate, af.Severity);
        Assert.Contains("possible atrial fibrillation", af.Text, StringComparison.Ordinal);
        Assert.True(af.Window!.DurationSeconds > 60);
    }

    [Fact]
    public void Isolated_premature_beats_and_bigeminy_are_not_flagged_as_irregularly_irregular()
    {
        var isolated = Enumerable.Repeat(0.85, 15).Concat([0.55, 1.15]).ToArray();
        var bigeminy = new[] { 0.55, 1.05 };

        foreach (var rr in new[] { isolated, bigeminy })
        {
            var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { RrIntervalsSeconds = rr, DurationSeconds = 120, Noise = Floor });
            var result = EcgAnalyzer.Analyze(ecg.SamplesMv, ecg.SamplingFrequency);
            Assert.DoesNotContain(result.Findings, f => f.Kind == FindingKind.IrregularRhythm);
        }
    }

    [Fact]
    public void A_pause_of_at_least_three_seconds_is_reported()
    {
        var rr = Enumerable.Repeat(0.8, 20).Append(3.6).Concat(Enumerable.Repeat(0.8, 20)).ToArray();
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { RrIntervalsSeconds = rr, DurationSeconds = 36, Noise = Floor });

        var result = EcgAnalyzer.Analyze(ecg.SamplesMv, ecg.SamplingFrequency);

        var pause = Assert.Single(result.Findings, f => f.Kind == FindingKind.Pause);
        Assert.Equal(FindingSeverity.High, pause.Severity);
        Assert.Equal(3.6, pause.Values["pauseSeconds"], 1);
        Assert.InRange(pause.Window!.StartSeconds, 16.3, 16.5);
    }

    [Fact]
    public void Lead_off_stretch_is_excluded_and_reported_and_no_rr_interval_spans_it()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 60, Noise = Floor });
        var x = (double[])ecg.SamplesMv.Clone();
        for (var i = 20 * 250; i < 30 * 250; i++)
        {
            x[i] = 4.0; // electrode off: amplifier at its rail
        }

        var result = EcgAnalyzer.Analyze(x, 250, [(20 * 250, 30 * 250)]);

        var excluded = Assert.Single(result.ExcludedSegments);
        Assert.Equal(SignalIssue.LeadOff, excluded.Issues & SignalIssue.LeadOff);
        Assert.InRange(excluded.StartSample, 19 * 250, 20 * 250);
        Assert.InRange(excluded.EndSample, 30 * 250, 31 * 250);
        Assert.All(result.RrIntervals, r => Assert.True(r.Seconds < 1.5));
        Assert.DoesNotContain(result.RPeaks, p => p >= excluded.StartSample && p < excluded.EndSample);
        var leadOff = Assert.Single(result.Findings, f => f.Kind == FindingKind.LeadOff);
        Assert.InRange(leadOff.Values["excludedSeconds"], 10, 11.5);
        Assert.DoesNotContain(result.Findings, f => f.Kind == FindingKind.Pause);
        Assert.InRange(result.HeartRate!.MeanHeartRateBpm, 68, 72);
    }

    [Fact]
    public void Invalid_samples_count_as_lead_off()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 30, Noise = Floor });
        var x = (double[])ecg.SamplesMv.Clone();
        Array.Fill(x, double.NaN, 2500, 1000);

        var result = EcgAnalyzer.Analyze(x, 250);

        Assert.Contains(result.Findings, f => f.Kind == FindingKind.LeadOff);
        Assert.Single(result.ExcludedSegments);
    }

    [Fact]
    public void Saturation_flatline_and_muscle_noise_are_excluded_with_their_reasons()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 90, Noise = Floor });
        var x = (double[])ecg.SamplesMv.Clone();
        for (var i = 20 * 250; i < 30 * 250; i++)
        {
            x[i] = Math.Clamp(x[i] + 5 * Math.Sin(2 * Math.PI * 0.3 * i / 250), -2, 2);
        }

        Array.Fill(x, 0.25, 45 * 250, 10 * 250);
        var emg = NoiseSources.Emg(10 * 250, 250, 0.6, new Random(5));
        for (var i = 0; i < emg.Length; i++)
        {
            x[70 * 250 + i] += emg[i];
        }

        var result = EcgAnalyzer.Analyze(x, 250);

        Assert.Equal(3, result.ExcludedSegments.Count);
        Assert.Equal(
            [SignalIssue.Saturation, SignalIssue.Flatline, SignalIssue.HighFrequencyNoise],
            result.ExcludedSegments.Select(s => s.Issues & ~(SignalIssue.TooShort | SignalIssue.Artefact)));
        var quality = Assert.Single(result.Findings, f => f.Kind == FindingKind.PoorSignalQuality);
        Assert.Contains("saturation", quality.Text, StringComparison.Ordinal);
        Assert.Contains("flatline", quality.Text, StringComparison.Ordinal);
        Assert.Contains("asystole cannot be excluded", quality.Text, StringComparison.Ordinal);
        Assert.Contains("high-frequency noise", quality.Text, StringComparison.Ordinal);
        Assert.InRange(result.AnalysedSeconds, 50, 62);
        Assert.DoesNotContain(result.Findings, f => f.Kind is FindingKind.Pause or FindingKind.IrregularRhythm);
    }

    [Fact]
    public void Short_clean_stretches_between_exclusions_are_not_analysed()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 40, Noise = Floor });

        var result = EcgAnalyzer.Analyze(ecg.SamplesMv, 250, [(10 * 250, 12 * 250), (15 * 250, 17 * 250)]);

        Assert.Equal(2, result.AnalysedSegments.Count);
        var excluded = Assert.Single(result.ExcludedSegments);
        Assert.Equal(SignalIssue.LeadOff | SignalIssue.TooShort, excluded.Issues);
    }

    [Fact]
    public void Too_little_signal_gives_an_insufficient_signal_finding()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 3, Noise = Floor });

        var result = EcgAnalyzer.Analyze(ecg.SamplesMv, 250);

        Assert.Null(result.HeartRate);
        Assert.Contains(result.Findings, f => f.Kind == FindingKind.InsufficientSignal);
        Assert.Empty(EcgAnalyzer.Analyze([], 250).RPeaks);
    }

    [Fact]
    public void Never_throws_on_random_signals_and_masks()
    {
        var values = Gen.OneOf(Gen.Double[-3, 3], Gen.OneOf<double>(double.NaN, 0, 1e300, -1e300, double.PositiveInfinity));
        Gen.Select(values.Array[0, 4000], Gen.Bool.Array[0, 4000], Gen.OneOf<double>(100, 250, 360)).Sample(
            (signal, mask, fs) =>
            {
                var result = EcgAnalyzer.Analyze(signal, fs, mask);
                Assert.Equal(signal.Length, result.AnalysedSegments.Sum(s => s.Length) + result.ExcludedSegments.Sum(s => s.Length));
                Assert.NotNull(AnalysisReport.Create(result.Findings).ToJson());
            },
            iter: 150);
    }
}
