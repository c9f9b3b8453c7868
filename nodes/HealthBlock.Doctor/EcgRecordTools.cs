using System.Globalization;
using System.Text;
using HealthBlock.Analysis;

namespace HealthBlock.Doctor;

/// <summary>
/// The logic of <c>healthblock ecg detect</c> and <c>healthblock ecg score</c>: analysis of a WFDB record's channel with
/// <see cref="EcgAnalyzer"/> (beats labelled N / V / Q, unreadable spans), detections files in the formats of
/// <see cref="EcgBeatFileFormat"/>, and EC57 beat-by-beat scoring against the record's reference annotations with
/// <see cref="Ec57Scorer"/>, per record and gross / average over several.
/// </summary>
public static class EcgRecordTools
{
    /// <summary>A record path as given on a command line, without the <c>.hea</c> (or <c>.dat</c>) a user may add.</summary>
    public static string RecordPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        foreach (var extension in new[] { ".hea", ".dat" })
        {
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return path[..^extension.Length];
            }
        }

        return path;
    }

    /// <summary>Analyses channel <paramref name="channel"/> of a WFDB record (path with or without <c>.hea</c>).</summary>
    /// <exception cref="WfdbFormatException">The record is malformed or unsupported.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No such channel.</exception>
    public static EcgRecordDetection Analyze(string recordPath, int channel = 0)
    {
        var record = WfdbReader.ReadRecord(RecordPath(recordPath));
        if (channel < 0 || channel >= record.SignalCount)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), $"Record {record.Name} has {record.SignalCount} channel(s); channel {channel} does not exist.");
        }

        var result = EcgAnalyzer.Analyze(record, channel);
        return new EcgRecordDetection(
            record.Name, record.SamplingFrequency, channel, result.Beats,
            [.. result.ExcludedSegments.Select(s => new EcgSpan(s.StartSample, s.EndSample, s.Issues))]);
    }

    /// <summary>Detects R peaks in channel <paramref name="channel"/> of a WFDB record; returns sample indices.</summary>
    /// <exception cref="WfdbFormatException">The record is malformed or unsupported.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No such channel.</exception>
    public static int[] Detect(string recordPath, int channel = 0) => [.. Analyze(recordPath, channel).Beats.Select(b => (int)b.Sample)];

    /// <summary>Writes one sample index per line.</summary>
    public static void WriteDetections(TextWriter writer, IEnumerable<int> samples)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(samples);
        foreach (var s in samples)
        {
            writer.WriteLine(s.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Reads a detections file: one non-negative sample index per line; blank lines and lines starting with '#' are skipped.</summary>
    /// <exception cref="FormatException">A line is not a sample index (the message names the line).</exception>
    public static int[] ReadDetections(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var list = new List<int>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var text = line.Trim();
            if (text.Length == 0 || text[0] == '#')
            {
                continue;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sample))
            {
                throw new FormatException($"Line {number} of the detections is '{text}', not a sample index.");
            }

            list.Add(sample);
        }

        return [.. list];
    }

    /// <summary>Scores detections against the record's reference annotations (<c>.atr</c> by default) at the record's sampling frequency.</summary>
    /// <exception cref="WfdbFormatException">The record or its annotations are malformed.</exception>
    public static Ec57Result Score(string recordPath, IEnumerable<int> detections, string annotator = "atr")
    {
        var path = RecordPath(recordPath);
        var header = WfdbReader.ReadHeader(path);
        var annotations = WfdbAnnotationReader.Read(path, annotator);
        return Ec57Scorer.Score(annotations, detections, header.SamplingFrequency);
    }

    /// <summary>Compares test annotations (beats with labels, NOISE shutdown spans; e.g. read with
    /// <see cref="EcgBeatFile.Read"/>) with the record's reference annotations, EC57 style (VF episodes not scored).</summary>
    /// <exception cref="WfdbFormatException">The record or its annotations are malformed.</exception>
    public static Ec57Report Evaluate(string recordPath, IReadOnlyList<WfdbAnnotation> test, string annotator = "atr")
    {
        var path = RecordPath(recordPath);
        var header = WfdbReader.ReadHeader(path);
        return Ec57Scorer.Evaluate(WfdbAnnotationReader.Read(path, annotator), test, header.SamplingFrequency);
    }

    /// <summary>The score as <c>Se</c>, <c>+P</c>, <c>TP</c>, <c>FP</c>, <c>FN</c> lines.</summary>
    public static string FormatScore(Ec57Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Se: {result.Sensitivity * 100:F2} %\n+P: {result.PositivePredictivity * 100:F2} %\nTP: {result.TruePositives}\nFP: {result.FalsePositives}\nFN: {result.FalseNegatives}\n");
    }

    /// <summary>
    /// A table of EC57 figures, one line per record, then <c>gross</c> (counts summed over the records) and
    /// <c>average</c> (per-record percentages averaged), as EC57 reports them. Percentages with two decimals;
    /// <c>unread</c> is the share of reference beats inside spans the test marked unreadable (not scored);
    /// <c>strict</c> counts those as missed.
    /// </summary>
    public static string FormatReports(IReadOnlyList<(string Record, Ec57Report Report)> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var text = new StringBuilder();
        text.Append("record        TP     FP     FN      Se      +P  unread  strict  VEB-Se  VEB-+P\n");
        foreach (var (record, r) in reports)
        {
            Line(text, record, r.TruePositives, r.FalsePositives, r.FalseNegatives, r.Sensitivity, r.PositivePredictivity, r.UnreadableFraction, r.StrictSensitivity, r.VentricularSensitivity, r.VentricularPositivePredictivity);
        }

        if (reports.Count > 0)
        {
            var g = Ec57Report.Gross(reports.Select(r => r.Report));
            Line(text, "gross", g.TruePositives, g.FalsePositives, g.FalseNegatives, g.Sensitivity, g.PositivePredictivity, g.UnreadableFraction, g.StrictSensitivity, g.VentricularSensitivity, g.VentricularPositivePredictivity);
            double Mean(Func<Ec57Report, double> f) => reports.Average(r => f(r.Report));
            Line(text, "average", null, null, null, Mean(r => r.Sensitivity), Mean(r => r.PositivePredictivity), Mean(r => r.UnreadableFraction), Mean(r => r.StrictSensitivity), Mean(r => r.VentricularSensitivity), Mean(r => r.VentricularPositivePredictivity));
        }

        return text.ToString();
    }

    private static void Line(StringBuilder text, string name, int? tp, int? fp, int? fn, params double[] ratios)
    {
        text.Append(CultureInfo.InvariantCulture, $"{name,-10} {Count(tp),6} {Count(fp),6} {Count(fn),6}");
        foreach (var r in ratios)
        {
            text.Append(CultureInfo.InvariantCulture, $" {r * 100,7:F2}");
        }

        text.Append('\n');
    }

    private static string Count(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
