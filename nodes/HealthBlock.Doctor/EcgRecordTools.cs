using System.Globalization;
using HealthBlock.Analysis;

namespace HealthBlock.Doctor;

/// <summary>
/// The logic of <c>healthblock ecg detect</c> and <c>healthblock ecg score</c>: R-peak detection on a WFDB record's
/// channel with <see cref="QrsDetector"/>, a detections file of one sample index per line, and EC57 beat-by-beat
/// scoring against the record's reference annotations with <see cref="Ec57Scorer"/>.
/// </summary>
public static class EcgRecordTools
{
    /// <summary>Detects R peaks in channel <paramref name="channel"/> of a WFDB record (path without extension); returns sample indices.</summary>
    /// <exception cref="WfdbFormatException">The record is malformed or unsupported.</exception>
    /// <exception cref="ArgumentOutOfRangeException">No such channel.</exception>
    public static int[] Detect(string recordPath, int channel = 0)
    {
        var record = WfdbReader.ReadRecord(recordPath);
        if (channel < 0 || channel >= record.SignalCount)
        {
            throw new ArgumentOutOfRangeException(nameof(channel), $"Record {record.Name} has {record.SignalCount} channel(s); channel {channel} does not exist.");
        }

        return QrsDetector.Detect(record.ToPhysical(channel), record.SamplingFrequency);
    }

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
        var header = WfdbReader.ReadHeader(recordPath);
        var annotations = WfdbAnnotationReader.Read(recordPath, annotator);
        return Ec57Scorer.Score(annotations, detections, header.SamplingFrequency);
    }

    /// <summary>The score as <c>Se</c>, <c>+P</c>, <c>TP</c>, <c>FP</c>, <c>FN</c> lines.</summary>
    public static string FormatScore(Ec57Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Se: {result.Sensitivity * 100:F2} %\n+P: {result.PositivePredictivity * 100:F2} %\nTP: {result.TruePositives}\nFP: {result.FalsePositives}\nFN: {result.FalseNegatives}\n");
    }
}
