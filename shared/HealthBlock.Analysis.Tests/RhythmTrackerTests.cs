namespace HealthBlock.Analysis.Tests;

/// <summary>Findings of the streaming rhythm tracker, checked through <see cref="EcgAnalyzer"/>.</summary>
public class RhythmTrackerTests
{
    [Fact]
    public void Ventricular_runs_are_reported_with_their_span_and_isolated_ectopy_is_not_atrial_fibrillation()
    {
        var runs = EcgStressSet.HardRhythms(noisy: false, names: new HashSet<string> { "ventricular-runs", "bigeminy", "multiform-pvc" }).ToList();
        foreach (var c in runs)
        {
            var result = EcgAnalyzer.Analyze(c.Signal, c.Fs);
            Assert.DoesNotContain(result.Findings, f => f.Kind == FindingKind.IrregularRhythm);
            if (c.Name == "ventricular-runs")
            {
                var vt = result.Findings.Where(f => f.Kind == FindingKind.VentricularRun).ToList();
                Assert.NotEmpty(vt);
                Assert.All(vt, f =>
                {
                    Assert.True(f.Values["beats"] >= 3);
                    Assert.Contains("ventricular tachycardia", f.Text, StringComparison.Ordinal);
                    var first = c.Reference.First(a => a.Sample / c.Fs >= f.Window!.StartSeconds - 0.15);
                    Assert.Equal(AnnotationCode.PrematureVentricular, first.Code);
                });
            }
        }
    }

    [Fact]
    public void Every_ecg_finding_has_a_precise_window_inside_the_recording()
    {
        foreach (var c in EcgStressSet.HardRhythms(noisy: false))
        {
            var result = EcgAnalyzer.Analyze(c.Signal, c.Fs);
            Assert.All(result.Findings, f =>
            {
                Assert.NotNull(f.Window);
                Assert.InRange(f.Window!.StartSeconds, 0, result.SampleCount / c.Fs);
                Assert.InRange(f.Window.EndSeconds, f.Window.StartSeconds, result.SampleCount / c.Fs);
            });
            if (c.Name == "pauses")
            {
                var pauses = result.Findings.Where(f => f.Kind == FindingKind.Pause).ToList();
                Assert.NotEmpty(pauses);
                Assert.All(pauses, p => Assert.Equal(p.Values["pauseSeconds"], p.Window!.DurationSeconds, 2));
            }
        }
    }

    [Theory]
    [InlineData("af", FindingKind.IrregularRhythm)]
    [InlineData("brady-40", FindingKind.Bradycardia)]
    [InlineData("tachy-190", FindingKind.Tachycardia)]
    public void Each_rhythm_gets_its_finding(string name, FindingKind kind)
    {
        var c = EcgStressSet.HardRhythms(noisy: false, names: new HashSet<string> { name }).Single();

        var result = EcgAnalyzer.Analyze(c.Signal, c.Fs);

        var f = Assert.Single(result.Findings, f => f.Kind == kind);
        Assert.True(f.Window!.DurationSeconds > 250, $"{kind} over {f.Window.DurationSeconds} s");
    }
}
