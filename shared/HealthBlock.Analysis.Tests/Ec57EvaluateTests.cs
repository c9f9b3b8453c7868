namespace HealthBlock.Analysis.Tests;

public class Ec57EvaluateTests
{
    private static WfdbAnnotation A(long sample, AnnotationCode code, int subtype = 0) => new(sample, code, subtype, 0, 0, null);

    [Fact]
    public void Ventricular_flutter_episodes_are_not_scored_and_unreadable_spans_are_counted_apart()
    {
        var reference = new[]
        {
            A(100, AnnotationCode.Normal), A(400, AnnotationCode.PrematureVentricular), A(700, AnnotationCode.Normal),
            A(900, AnnotationCode.VentricularFibrillationOnset), A(1000, AnnotationCode.FlutterWave), A(1100, AnnotationCode.FlutterWave),
            A(1200, AnnotationCode.VentricularFibrillationOffset), A(1500, AnnotationCode.Normal), A(1800, AnnotationCode.Normal),
            A(2100, AnnotationCode.PrematureVentricular),
        };
        var test = new[]
        {
            A(102, AnnotationCode.Normal), A(398, AnnotationCode.PrematureVentricular), A(705, AnnotationCode.PrematureVentricular),
            A(1050, AnnotationCode.Normal), // inside the reference's VF episode: ignored
            A(1450, AnnotationCode.Noise, -1), A(1850, AnnotationCode.Noise, 0), // 1500 and 1800 unreadable
            A(2000, AnnotationCode.Normal), // 1 s from 2100: a false positive, and 2100 a false negative
        };

        var r = Ec57Scorer.Evaluate(reference, test, 100);

        Assert.Equal((3, 1, 1), (r.TruePositives, r.FalsePositives, r.FalseNegatives));
        Assert.Equal(6, r.ReferenceBeats); // the two flutter waves fall in the VF episode
        Assert.Equal(2, r.UnreadableReferenceBeats);
        Assert.Equal(4.0, r.UnreadableSeconds, 9);
        Assert.Equal(3.0 / 6, r.StrictSensitivity, 9);
        Assert.Equal((1, 1, 1), (r.VentricularTruePositives, r.VentricularFalseNegatives, r.VentricularFalsePositives));
    }

    [Fact]
    public void Windows_limit_scoring_and_gross_sums_records()
    {
        var reference = Enumerable.Range(1, 20).Select(i => A(i * 100, AnnotationCode.Normal)).ToList();
        var test = reference.Where(a => a.Sample != 500).Select(a => A(a.Sample + 3, AnnotationCode.Normal)).ToList();
        var windows = new Ec57Options { Windows = [new EcgSpan(0, 1000, SignalIssue.None)] };

        var inside = Ec57Scorer.Evaluate(reference, test, 100, windows);
        var whole = Ec57Scorer.Evaluate(reference, test, 100);
        var gross = Ec57Report.Gross([inside, whole]);

        Assert.Equal((8, 0, 1), (inside.TruePositives, inside.FalsePositives, inside.FalseNegatives));
        Assert.Equal((19, 0, 1), (whole.TruePositives, whole.FalsePositives, whole.FalseNegatives));
        Assert.Equal((27, 0, 2), (gross.TruePositives, gross.FalsePositives, gross.FalseNegatives));
        Assert.Equal(10.0, inside.ScoredSeconds, 9);
    }
}
