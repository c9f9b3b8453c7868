using Xunit.Abstractions;

namespace HealthBlock.Doctor.Tests;

public sealed class EcgRecordToolsTests(ITestOutputHelper output)
{
    [Fact]
    public void Detect_then_score_on_mit_bih_record_100_reaches_99_5_percent_sensitivity_and_positive_predictivity()
    {
        var record = TestData.Record100Path;
        var file = Path.Combine(Path.GetTempPath(), "hb-doc-detections-" + Guid.NewGuid().ToString("N") + ".txt");
        try
        {
            using (var writer = new StreamWriter(file))
            {
                EcgRecordTools.WriteDetections(writer, EcgRecordTools.Detect(record, channel: 0));
            }

            int[] detections;
            using (var reader = new StreamReader(file))
            {
                detections = EcgRecordTools.ReadDetections(reader);
            }

            var score = EcgRecordTools.Score(record, detections);
            output.WriteLine(EcgRecordTools.FormatScore(score));

            Assert.True(score.Sensitivity >= 0.995, $"Se {score.Sensitivity:P2}");
            Assert.True(score.PositivePredictivity >= 0.995, $"+P {score.PositivePredictivity:P2}");
            Assert.Equal(2273, score.TruePositives + score.FalseNegatives);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_detections_file_skips_blank_and_comment_lines_and_names_a_bad_line()
    {
        Assert.Equal([12, 400], EcgRecordTools.ReadDetections(new StringReader("# R peaks\n12\n\n 400 \n")));
        var e = Assert.Throws<FormatException>(() => EcgRecordTools.ReadDetections(new StringReader("12\nabc\n")));
        Assert.Contains("Line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_score_prints_se_and_plus_p()
    {
        var text = EcgRecordTools.FormatScore(new Analysis.Ec57Result(99, 1, 1));

        Assert.Equal("Se: 99.00 %\n+P: 99.00 %\nTP: 99\nFP: 1\nFN: 1\n", text);
    }
}
