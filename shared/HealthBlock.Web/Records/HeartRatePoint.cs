namespace HealthBlock.Web;

/// <summary>The mean heart rate of one analysed ECG recording.</summary>
/// <param name="TimeMs">Start of the recording (Unix ms).</param>
/// <param name="Device">The device id.</param>
/// <param name="Bpm">Mean heart rate, beats per minute.</param>
public sealed record HeartRatePoint(long TimeMs, string Device, double Bpm);
