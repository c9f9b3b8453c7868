namespace HealthBlock.Analysis;

/// <summary>File formats for detected beats (see <see cref="EcgBeatFile"/>).</summary>
public enum EcgBeatFileFormat
{
    /// <summary>One R-peak sample index per line (unreadable spans as <c># unreadable START END REASONS</c> comments).</summary>
    Samples,

    /// <summary>CSV: <c>kind,sample,end_sample,seconds,label</c>; kind is <c>beat</c> or <c>unreadable</c>.</summary>
    Csv,

    /// <summary>JSON: record, sampling frequency, algorithm, beats (sample, seconds, label) and unreadable spans.</summary>
    Json,

    /// <summary>A WFDB (MIT format) annotation file: beat labels N, V, Q and NOISE shutdown/resume pairs.</summary>
    Wfdb,
}
