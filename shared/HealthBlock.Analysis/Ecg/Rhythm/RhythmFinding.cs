using System.Globalization;

namespace HealthBlock.Analysis;

/// <summary>Builds the rhythm and signal-quality findings (texts, values, algorithm tags).</summary>
internal static class RhythmFinding
{
    public static Finding Rhythm(FindingKind kind, FindingSeverity severity, string text, TimeWindow? window, IReadOnlyDictionary<string, double> values) =>
        new(kind, severity, text, window, values, AlgorithmInfo.RhythmName, AlgorithmInfo.RhythmVersion);

    public static Finding Quality(FindingKind kind, string text, TimeWindow window, IReadOnlyDictionary<string, double> values) =>
        new(kind, FindingSeverity.Info, text, window, values, AlgorithmInfo.SignalQualityName, AlgorithmInfo.SignalQualityVersion);

    public static string F0(double v) => v.ToString("0", CultureInfo.InvariantCulture);

    public static string F1(double v) => v.ToString("0.0", CultureInfo.InvariantCulture);

    public static string F2(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Describe(SignalIssue issues)
    {
        var parts = new List<string>();
        if ((issues & SignalIssue.Saturation) != 0)
        {
            parts.Add("saturation");
        }

        if ((issues & SignalIssue.Flatline) != 0)
        {
            parts.Add("flatline");
        }

        if ((issues & SignalIssue.HighFrequencyNoise) != 0)
        {
            parts.Add("high-frequency noise");
        }

        if ((issues & SignalIssue.Artefact) != 0)
        {
            parts.Add("artefact that could not be told from QRS complexes");
        }

        if ((issues & SignalIssue.TooShort) != 0)
        {
            parts.Add("clean stretch too short");
        }

        return string.Join(", ", parts);
    }
}
