namespace HealthBlock.Web;

/// <summary>A blood-pressure or temperature reading.</summary>
/// <param name="TimeMs">When it was taken (device clock, Unix ms).</param>
/// <param name="Device">The device id.</param>
/// <param name="SystolicMmHg">Systolic pressure (blood pressure only).</param>
/// <param name="DiastolicMmHg">Diastolic pressure (blood pressure only).</param>
/// <param name="PulsePerMinute">Pulse from the cuff (blood pressure only).</param>
/// <param name="Celsius">Body temperature (temperature only).</param>
public sealed record VitalSign(long TimeMs, string Device, int? SystolicMmHg, int? DiastolicMmHg, int? PulsePerMinute, double? Celsius);
