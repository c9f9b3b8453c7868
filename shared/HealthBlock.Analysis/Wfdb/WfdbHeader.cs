namespace HealthBlock.Analysis;

/// <summary>Parsed WFDB header (<c>.hea</c>) of a single-segment record.</summary>
/// <param name="RecordName">Record name from the record line.</param>
/// <param name="SamplingFrequency">Samples per second per signal (WFDB default 250 when absent).</param>
/// <param name="SampleCount">Samples per signal, or <see langword="null"/> when the header does not say
/// (then the length is derived from the signal file size).</param>
/// <param name="Signals">One entry per signal line, in header order.</param>
/// <param name="Comments">Comment lines (text after <c>#</c>), in file order.</param>
public sealed record WfdbHeader(
    string RecordName,
    double SamplingFrequency,
    long? SampleCount,
    IReadOnlyList<WfdbSignalInfo> Signals,
    IReadOnlyList<string> Comments);
