using System.Text.Json;
using HealthBlock.Analysis;

namespace HealthBlock.Cli.Tests;

/// <summary><c>healthblock ecg detect|score</c> on MIT-BIH record 100, in every output format, and their errors.</summary>
public sealed class EcgCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Record => RepositoryFiles.MitBihRecord100;

    [Theory]
    [InlineData("samples")]
    [InlineData("csv")]
    [InlineData("json")]
    [InlineData("wfdb")]
    public void Detect_then_score_in_each_format_gives_the_same_ec57_figures(string format)
    {
        var file = _temp.Sub("100." + format);

        var detect = new CliRunner().Run("ecg", "detect", "--wfdb", Record + ".hea", "--format", format, "--out", file);
        var score = new CliRunner().Run("ecg", "score", "--wfdb", Record, "--detections", file);

        Assert.Equal((0, ""), (detect.ExitCode, detect.Error));
        Assert.Equal((0, ""), (score.ExitCode, score.Error));
        var line = score.Out.Split('\n').Single(l => l.StartsWith("100 ", StringComparison.Ordinal));
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) >= 2262, line); // 99.5 % of 2273
        Assert.Contains(score.Out.Split('\n'), l => l.StartsWith("gross", StringComparison.Ordinal));
        Assert.Contains(score.Out.Split('\n'), l => l.StartsWith("average", StringComparison.Ordinal));
    }

    [Fact]
    public void The_wfdb_output_is_an_annotation_file_with_labels_that_scores_as_a_test_annotator()
    {
        var file = _temp.Sub("100.hb");
        Assert.Equal(0, new CliRunner().Run("ecg", "detect", "--wfdb", Record, "--format", "wfdb", "--out", file).ExitCode);

        var annotations = WfdbAnnotationReader.Parse(File.ReadAllBytes(file));

        Assert.All(annotations.Where(a => a.IsBeat), a => Assert.Contains(a.Code, new[] { AnnotationCode.Normal, AnnotationCode.PrematureVentricular, AnnotationCode.Unknown }));
        Assert.Contains(annotations, a => a.Code == AnnotationCode.PrematureVentricular);
        File.Copy(Record + ".hea", _temp.Sub("100.hea"));
        File.Copy(Record + ".dat", _temp.Sub("100.dat"));
        File.Copy(Record + ".atr", _temp.Sub("100.atr"));
        var score = new CliRunner().Run("ecg", "score", "--wfdb", _temp.Sub("100"), "--annotator", "hb");
        Assert.Equal(0, score.ExitCode);
    }

    [Fact]
    public void Json_output_names_the_algorithm_and_lists_labelled_beats()
    {
        var result = new CliRunner().Run("ecg", "detect", "--wfdb", Record, "--format", "json");

        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(360, json.RootElement.GetProperty("samplingFrequency").GetDouble());
        Assert.Equal(QrsDetector.AlgorithmVersion, json.RootElement.GetProperty("algorithmVersion").GetString());
        Assert.InRange(json.RootElement.GetProperty("beats").GetArrayLength(), 2262, 2284);
        Assert.Equal("N", json.RootElement.GetProperty("beats")[10].GetProperty("label").GetString());
    }

    [Theory]
    [InlineData("detect", "--wfdb", "missing/100")]
    [InlineData("detect", "--wfdb", "RECORD", "--channel", "7")]
    [InlineData("detect", "--wfdb", "RECORD", "--channel", "x")]
    [InlineData("detect", "--wfdb", "RECORD", "--format", "xml")]
    [InlineData("detect", "--wfdb", "RECORD", "--format", "wfdb")]
    [InlineData("detect")]
    [InlineData("score", "--wfdb", "RECORD", "--detections", "missing.txt")]
    [InlineData("score", "--wfdb", "RECORD", "--detections", "BAD")]
    [InlineData("score", "--wfdb", "RECORD")]
    [InlineData("score", "--wfdb", "RECORD", "--wfdb", "RECORD", "--detections", "GOOD")]
    [InlineData("score", "--wfdb", "RECORD", "--annotator", "nope")]
    public void Every_bad_input_ends_with_one_line_and_exit_code_2(params string[] args)
    {
        File.WriteAllText(_temp.Sub("bad.txt"), "12\nnot a sample\n");
        File.WriteAllText(_temp.Sub("good.txt"), "12\n400\n");
        var resolved = args.Select(a => a switch
        {
            "RECORD" => Record,
            "BAD" => _temp.Sub("bad.txt"),
            "GOOD" => _temp.Sub("good.txt"),
            "missing.txt" => _temp.Sub("missing.txt"),
            _ => a,
        }).Prepend("ecg").ToArray();

        var result = new CliRunner().Run(resolved);

        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.StartsWith("healthblock: ", result.Error, StringComparison.Ordinal);
    }
}
