namespace HealthBlock.Analysis;

/// <summary>One signal line of a WFDB header.</summary>
/// <param name="FileName">Signal file name, relative to the header's directory.</param>
/// <param name="Format">Storage format (this reader decodes 212 and 16).</param>
/// <param name="ByteOffset">Bytes to skip at the start of the signal file (the <c>+offset</c> suffix), usually 0.</param>
/// <param name="Gain">ADC units per physical unit (WFDB default 200 when absent or 0).</param>
/// <param name="Baseline">ADC value that corresponds to 0 physical units (defaults to <paramref name="AdcZero"/>).</param>
/// <param name="Units">Physical units, default <c>mV</c>.</param>
/// <param name="AdcResolution">ADC resolution in bits (0 when not given).</param>
/// <param name="AdcZero">ADC value at the middle of the ADC range.</param>
/// <param name="InitialValue">Value of the first sample, as written in the header (informative only).</param>
/// <param name="Checksum">16-bit checksum of all samples, or <see langword="null"/> when absent.</param>
/// <param name="BlockSize">Block size (0 for ordinary files).</param>
/// <param name="Description">Free-text signal description, e.g. <c>MLII</c>.</param>
public sealed record WfdbSignalInfo(
    string FileName,
    int Format,
    long ByteOffset,
    double Gain,
    int Baseline,
    string Units,
    int AdcResolution,
    int AdcZero,
    int InitialValue,
    int? Checksum,
    int BlockSize,
    string Description);
