namespace HealthBlock.Fhir;

/// <summary>One body-temperature reading.</summary>
/// <param name="DeviceId">The device that measured it.</param>
/// <param name="TimeMs">When, ms since the Unix epoch.</param>
/// <param name="CentiCelsius">The frame's value in hundredths of a degree Celsius (3712 = 37.12 °C).</param>
public sealed record TemperatureReading(ulong DeviceId, long TimeMs, int CentiCelsius);
