namespace HealthBlock.Web;

/// <summary>
/// ECG of one device over a time range, ready to plot: raw samples when the range holds at most the points asked for,
/// else the minimum and maximum of each pixel bucket (two points per bucket, so R peaks survive the decimation).
/// </summary>
/// <param name="Device">The device id.</param>
/// <param name="FromMs">Start of the range (Unix ms).</param>
/// <param name="ToMs">End of the range (exclusive).</param>
/// <param name="SamplingHz">The device's sampling rate (0 when the range holds no ECG).</param>
/// <param name="Decimated">True when the points are bucket minima and maxima rather than samples.</param>
/// <param name="Seconds">Each point's time, Unix seconds.</param>
/// <param name="Millivolts">Each point's value in mV; null where there is no reading (a gap or lead-off).</param>
/// <param name="RPeakSeconds">R peaks the detector finds in the raw strip (Unix seconds); empty when decimated.</param>
public sealed record EcgSeries(
    string Device,
    long FromMs,
    long ToMs,
    double SamplingHz,
    bool Decimated,
    IReadOnlyList<double> Seconds,
    IReadOnlyList<double?> Millivolts,
    IReadOnlyList<double> RPeakSeconds);
