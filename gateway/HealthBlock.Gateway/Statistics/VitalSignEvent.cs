namespace HealthBlock.Gateway.Statistics;

/// <summary>One reading <see cref="VitalSignsExtractor"/> took from the frames, at its time; its period is the one the time falls in.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="TimeMs">When, ms since the Unix epoch.</param>
/// <param name="First">Its first value (see <see cref="VitalSignKind"/>).</param>
/// <param name="Second">Its second value, when it has one.</param>
public readonly record struct VitalSignEvent(VitalSignKind Kind, long TimeMs, int First, int Second = 0);
