using HealthBlock.Analysis;

namespace HealthBlock.Analysis.Tests;

public class Ec57ScorerTests
{
    [Fact]
    public void Matches_within_150_ms_inclusive()
    {
        // 150 ms at 360 Hz = 54 samples.
        var result = Ec57Scorer.Score([1000L, 2000L, 3000L], [1054L, 1946L, 3055L], 360);

        Assert.Equal(new Ec57Result(2, 1, 1), result);
    }

    [Fact]
    public void Matching_is_one_to_one()
    {
        var twoDetectionsOneBeat = Ec57Scorer.Score([1000L], [990L, 1010L], 360);
        var oneDetectionTwoBeats = Ec57Scorer.Score([1000L, 1050L], [1025L], 360);

        Assert.Equal(new Ec57Result(1, 1, 0), twoDetectionsOneBeat);
        Assert.Equal(new Ec57Result(1, 0, 1), oneDetectionTwoBeats);
    }

    [Fact]
    public void Greedy_matching_finds_the_maximum_matching()
    {
        // Detection 1040 could serve either beat; taking it for beat 1000 would leave beat 1080 unmatched
        // only if 1120 were out of range for 1080 - it is not, so all three should match.
        var result = Ec57Scorer.Score([1000L, 1080L, 1200L], [1040L, 1120L, 1210L], 360);

        Assert.Equal(new Ec57Result(3, 0, 0), result);
    }

    [Fact]
    public void Only_beat_annotations_are_reference_beats()
    {
        WfdbAnnotation[] reference =
        [
            new(18, AnnotationCode.Rhythm, 0, 0, 0, "(N"),
            new(77, AnnotationCode.Normal, 0, 0, 0, null),
            new(370, AnnotationCode.PrematureVentricular, 0, 0, 0, null),
            new(500, AnnotationCode.Artifact, 0, 0, 0, null),
            new(700, AnnotationCode.NonConductedP, 0, 0, 0, null),
        ];

        var result = Ec57Scorer.Score(reference, [20, 80, 372], 360);

        Assert.Equal(new Ec57Result(2, 1, 0), result);
    }

    [Fact]
    public void Sensitivity_and_positive_predictivity_follow_their_definitions()
    {
        var result = new Ec57Result(TruePositives: 90, FalsePositives: 10, FalseNegatives: 30);

        Assert.Equal(90.0 / 120.0, result.Sensitivity, 12);
        Assert.Equal(90.0 / 100.0, result.PositivePredictivity, 12);
        Assert.Equal(1.0, new Ec57Result(0, 0, 0).Sensitivity);
        Assert.Contains("Se=75.00", result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unsorted_inputs_are_handled()
    {
        var result = Ec57Scorer.Score([3000L, 1000L, 2000L], [2005L, 2995L, 1003L], 250);

        Assert.Equal(new Ec57Result(3, 0, 0), result);
    }
}
