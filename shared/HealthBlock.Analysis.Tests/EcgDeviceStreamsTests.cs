namespace HealthBlock.Analysis.Tests;

public class EcgDeviceStreamsTests
{
    [Fact]
    public void Frames_of_two_devices_are_analysed_apart_with_jitter_absorbed_gaps_reported_and_origins_kept()
    {
        var a = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 60, HeartRateBpm = 60, Seed = 1 });
        var b = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 60, HeartRateBpm = 120, Seed = 2 });
        var streams = new EcgDeviceStreams();
        var beats = new Dictionary<string, List<EcgBeat>> { ["a"] = [], ["b"] = [] };
        var spans = new List<EcgSpan>();
        const long Epoch = 1_767_225_600_000;
        for (var s = 0; s < 60; s++)
        {
            var jitter = s % 3 - 1; // ±1 ms timestamp jitter
            foreach (var u in streams.Push("a", Epoch + s * 1000 + jitter, 250, Microvolts(a, s)))
            {
                beats["a"].AddRange(u.Beats);
            }

            if (s is >= 30 and < 33)
            {
                continue; // device b loses three frames
            }

            foreach (var u in streams.Push("b", Epoch + 5_000 + s * 1000, 250, Microvolts(b, s)))
            {
                beats["b"].AddRange(u.Beats);
                spans.AddRange(u.Unreadable);
            }
        }

        Assert.Equal(Epoch - 1, streams.OriginMs("a"));
        Assert.Equal(Epoch + 5_000, streams.OriginMs("b"));
        var endA = streams.Complete("a");
        var endB = streams.Complete("b");
        beats["a"].AddRange(endA.Beats);
        beats["b"].AddRange(endB.Beats);
        spans.AddRange(endB.Unreadable);

        Assert.Empty(streams.Devices);
        var batch = EcgAnalyzer.Analyze(a.SamplesMv.Select(v => Math.Round(v * 1000) / 1000).ToArray(), 250);
        Assert.Equal(batch.Beats, beats["a"]); // the jitter was absorbed: the same beats as one array
        Assert.Contains(spans, s => (s.Issues & SignalIssue.Missing) != 0 && s.StartSample <= 30 * 250 && s.EndSample >= 33 * 250);
        Assert.Contains(endA.Findings, f => f.Kind == FindingKind.HeartRateSummary && Math.Abs(f.Values["meanHeartRateBpm"] - 60) < 2);
        Assert.Contains(endB.Findings, f => f.Kind == FindingKind.Tachycardia);
    }

    private static int[] Microvolts(SyntheticEcg ecg, int second) =>
        [.. ecg.SamplesMv.Skip(second * 250).Take(250).Select(v => (int)Math.Round(v * 1000))];
}
