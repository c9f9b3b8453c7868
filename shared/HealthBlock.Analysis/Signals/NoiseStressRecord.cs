namespace HealthBlock.Analysis;

/// <summary>A clean record with calibrated noise added by <see cref="NoiseStressTest.Build"/>.</summary>
/// <param name="Signal">Clean signal + gain × noise + offset, in the clean record's units.</param>
/// <param name="SignalPower">S = (trimmed mean QRS peak-to-peak amplitude)² / 8.</param>
/// <param name="NoisePower">N of the unscaled noise (trimmed mean of 1 s RMS values, squared).</param>
/// <param name="Gain">Gain applied to the noise in the noisy segments, so that 10·log10(S / (N·gain²)) is the SNR.</param>
/// <param name="NoisySegments">Sample ranges <c>[Start, End)</c> where noise was added.</param>
/// <param name="LeadOffSegments">Sample ranges where the signal was replaced by the amplifier rail (lead-off drop-outs).</param>
public sealed record NoiseStressRecord(
    double[] Signal,
    double SignalPower,
    double NoisePower,
    double Gain,
    IReadOnlyList<(long Start, long End)> NoisySegments,
    IReadOnlyList<(long Start, long End)> LeadOffSegments);
