using CsCheck;

namespace HealthBlock.Analysis.Tests;

/// <summary>The streaming analyser: equal to the batch path for any framing, explicit about gaps, bounded.</summary>
[Collection(nameof(MemoryMeasurements))]
public class EcgStreamTests
{
    private static readonly Lazy<double[]> NoisyRecord = new(() =>
    {
        var c = EcgStressSet.NoiseStress(new HashSet<string> { "wearable" }, new HashSet<double> { 6 }).Single();
        return c.Signal[(280 * 360)..(460 * 360)]; // three minutes across the first noisy segment
    });

    private static readonly Lazy<double[]> Runs = new(() =>
        EcgStressSet.HardRhythms(noisy: false, names: new HashSet<string> { "ventricular-runs" }).Single().Signal[..(150 * 250)]);

    [Fact]
    public void Streaming_in_frames_of_any_length_gives_exactly_the_batch_result()
    {
        foreach (var (signal, fs) in new[] { (NoisyRecord.Value, 360.0), (Runs.Value, 250.0) })
        {
            var batch = EcgAnalyzer.Analyze(signal, fs);
            Gen.Int[1, 3000].Array[1, 400].Sample(
                sizes =>
                {
                    var (beats, spans, findings) = StreamInFrames(signal, fs, sizes);
                    Assert.Equal(batch.Beats, beats);
                    Assert.Equal(batch.ExcludedSegments.Select(s => (s.StartSample, s.EndSample, s.Issues)), spans.Select(s => ((int)s.StartSample, (int)s.EndSample, s.Issues)));
                    Assert.Equal(
                        batch.Findings.Select(f => (f.Kind, f.Window?.StartSeconds, f.Window?.EndSeconds)).Order(),
                        findings.Select(f => (f.Kind, f.Window?.StartSeconds, f.Window?.EndSeconds)).Order());
                },
                iter: 6);
        }
    }

    [Fact]
    public void A_gap_is_reported_as_missing_the_detector_resynchronises_and_no_interval_spans_it()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 90, HeartRateBpm = 70, Noise = new NoiseProfile(0.01, 0, 0, 50, 0, 3) });
        var stream = new EcgStream(250);
        var updates = new List<EcgStreamUpdate>
        {
            stream.Push(ecg.SamplesMv.AsSpan(0, 30 * 250), 0),
            stream.Push(ecg.SamplesMv.AsSpan(40 * 250), 40 * 250), // ten seconds never arrive
            stream.Complete(),
        };

        var beats = updates.SelectMany(u => u.Beats).ToList();
        var spans = updates.SelectMany(u => u.Unreadable).ToList();
        var gap = Assert.Single(spans, s => (s.Issues & SignalIssue.Missing) != 0);
        Assert.InRange(gap.StartSample, 29 * 250, 30 * 250);
        Assert.InRange(gap.EndSample, 40 * 250, 41 * 250);
        Assert.DoesNotContain(beats, b => gap.Contains(b.Sample));
        var expected = ecg.BeatSamples.Where(b => !gap.Contains(b)).Select(b => (long)b).ToList();
        var score = Ec57Scorer.Score(expected, beats.Select(b => b.Sample), 250);
        Assert.True(score.Sensitivity >= 0.99 && score.PositivePredictivity >= 0.99, score.ToString());
        var findings = updates.SelectMany(u => u.Findings).ToList();
        Assert.DoesNotContain(findings, f => f.Kind == FindingKind.Pause);
        Assert.Contains(findings, f => f.Kind == FindingKind.LeadOff && f.Text.Contains("missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Samples_pushed_twice_are_counted_and_ignored()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 40 });
        var once = EcgAnalyzer.Analyze(ecg.SamplesMv, 250);
        var stream = new EcgStream(250);
        var beats = new List<EcgBeat>();
        beats.AddRange(stream.Push(ecg.SamplesMv.AsSpan(0, 5000), 0).Beats);
        var repeat = stream.Push(ecg.SamplesMv.AsSpan(4000, 3000), 4000);
        beats.AddRange(repeat.Beats);
        beats.AddRange(stream.Push(ecg.SamplesMv.AsSpan(7000), 7000).Beats);
        beats.AddRange(stream.Complete().Beats);

        Assert.Equal(1000, repeat.IgnoredSamples);
        Assert.Equal(once.Beats, beats);
    }

    [Fact]
    public void A_frame_flagged_lead_off_is_unreadable_and_gets_no_beats()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 60, Noise = new NoiseProfile(0.01, 0, 0, 50, 0, 4) });
        var stream = new EcgStream(250);
        var updates = new List<EcgStreamUpdate>();
        for (var s = 0; s < 60; s++)
        {
            updates.Add(stream.Push(ecg.SamplesMv.AsSpan(s * 250, 250), s * 250, leadOff: s is >= 20 and < 25));
        }

        updates.Add(stream.Complete());
        var leadOff = Assert.Single(updates.SelectMany(u => u.Unreadable), s => (s.Issues & SignalIssue.LeadOff) != 0);
        Assert.InRange(leadOff.StartSample, 19 * 250, 20 * 250);
        Assert.InRange(leadOff.EndSample, 25 * 250, 26 * 250);
        Assert.DoesNotContain(updates.SelectMany(u => u.Beats), b => leadOff.Contains(b.Sample));
        Assert.Contains(updates, u => !u.Rhythm.Readable);
    }

    [Fact]
    public void Every_beat_comes_out_within_the_maximum_delay_and_memory_stays_bounded_over_two_hours()
    {
        var fs = 250.0;
        var generator = new SyntheticEcgGenerator(new SyntheticEcgOptions { HeartRateBpm = 80, Rhythm = new SyntheticRhythm { PrematureVentricularProbability = 0.05 } });
        var stream = new EcgStream(fs);
        var frame = new double[250];
        long memoryAt20Minutes = 0;
        var beats = 0;
        var largestFootprint = 0;
        for (var second = 0; second < 2 * 3600; second++)
        {
            generator.Render(second * 250L, frame);
            var update = stream.Push(frame, second * 250L);
            beats += update.Beats.Count;
            Assert.All(update.Beats, b => Assert.True(stream.NextSample - b.Sample <= EcgStream.MaxDelaySeconds * fs, $"beat {b.Sample} out at {stream.NextSample}"));
            largestFootprint = Math.Max(largestFootprint, stream.Footprint);
            if (second == 20 * 60)
            {
                memoryAt20Minutes = GC.GetTotalMemory(forceFullCollection: true);
            }
        }

        Assert.InRange(largestFootprint, 1, 300);
        var growth = GC.GetTotalMemory(forceFullCollection: true) - memoryAt20Minutes;
        Assert.True(growth < 512 * 1024, $"heap grew by {growth / 1024} KiB between 20 and 120 minutes");
        Assert.InRange(beats, 2 * 3600 * 80 / 60 * 0.98, 2 * 3600 * 80 / 60 * 1.02);
    }

    [Fact]
    public void The_stream_rejects_misuse_with_specific_errors()
    {
        var stream = new EcgStream(250);
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Push(new double[10], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EcgStream(10));
        stream.Complete();
        Assert.Empty(stream.Complete().Beats);
        Assert.Throws<InvalidOperationException>(() => stream.Push(new double[10], 0));
    }

    [Fact]
    public void Microvolt_frames_give_the_same_beats_as_millivolts()
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 30 });
        var microvolts = ecg.SamplesMv.Select(v => (int)Math.Round(v * 1000)).ToArray();
        var mv = microvolts.Select(v => v / 1000.0).ToArray();
        var a = new EcgStream(250);
        var b = new EcgStream(250);

        var fromMicrovolts = a.PushMicrovolts(microvolts, 0).Beats.Concat(a.Complete().Beats);
        var fromMillivolts = b.Push(mv, 0).Beats.Concat(b.Complete().Beats);

        Assert.Equal(fromMillivolts, fromMicrovolts);
    }

    private static (List<EcgBeat> Beats, List<EcgSpan> Spans, List<Finding> Findings) StreamInFrames(double[] signal, double fs, int[] sizes)
    {
        var stream = new EcgStream(fs);
        var beats = new List<EcgBeat>();
        var spans = new List<EcgSpan>();
        var findings = new List<Finding>();
        void Take(EcgStreamUpdate u)
        {
            beats.AddRange(u.Beats);
            spans.AddRange(u.Unreadable);
            findings.AddRange(u.Findings);
        }

        var at = 0;
        var k = 0;
        while (at < signal.Length)
        {
            var n = Math.Min(sizes[k++ % sizes.Length], signal.Length - at);
            Take(stream.Push(signal.AsSpan(at, n), at));
            at += n;
        }

        Take(stream.Complete());
        return (beats, spans.Select(s => s with { EndSample = Math.Min(s.EndSample, signal.Length) }).ToList(), findings);
    }
}

/// <summary>Tests that measure the process heap run alone.</summary>
[CollectionDefinition(nameof(MemoryMeasurements), DisableParallelization = true)]
public sealed class MemoryMeasurements;
