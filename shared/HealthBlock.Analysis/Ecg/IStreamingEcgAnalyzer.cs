namespace HealthBlock.Analysis;

/// <summary>
/// A per-device streaming ECG analyser: samples are pushed as they arrive, in frames of any length, with the absolute
/// index of their first sample; each sample is analysed once, memory stays bounded, and beats, unreadable spans and
/// findings come out with a bounded delay (see <see cref="EcgStream"/>).
/// </summary>
public interface IStreamingEcgAnalyzer
{
    /// <summary>Samples per second.</summary>
    double SamplingFrequency { get; }

    /// <summary>Absolute index of the next sample expected.</summary>
    long NextSample { get; }

    /// <summary>Pushes a frame of samples in millivolts.</summary>
    /// <param name="millivolts">The samples (non-finite values are treated as lead-off).</param>
    /// <param name="firstSampleIndex">Absolute index of the first sample. Beyond <see cref="NextSample"/>: the samples in
    /// between are missing (a gap: reported unreadable, the detector resynchronises). Before it: the part already
    /// analysed is ignored.</param>
    /// <param name="leadOff">True when the whole frame was flagged lead-off (or sensor fault) by the device.</param>
    /// <returns>What became final.</returns>
    EcgStreamUpdate Push(ReadOnlySpan<double> millivolts, long firstSampleIndex, bool leadOff = false);

    /// <summary>Pushes a frame of samples in microvolts (as wearable frames carry them).</summary>
    /// <param name="microvolts">The samples.</param>
    /// <param name="firstSampleIndex">Absolute index of the first sample (see <see cref="Push"/>).</param>
    /// <param name="leadOff">True when the whole frame was flagged lead-off.</param>
    /// <returns>What became final.</returns>
    EcgStreamUpdate PushMicrovolts(ReadOnlySpan<int> microvolts, long firstSampleIndex, bool leadOff = false);

    /// <summary>Ends the stream: everything pending becomes final, open episodes close, summary findings are made.</summary>
    /// <returns>What became final.</returns>
    EcgStreamUpdate Complete();
}
