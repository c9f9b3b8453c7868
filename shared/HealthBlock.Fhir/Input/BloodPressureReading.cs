namespace HealthBlock.Fhir;

/// <summary>One cuff measurement (a frame's systolic, diastolic, pulse triple).</summary>
/// <param name="DeviceId">The device that measured it.</param>
/// <param name="TimeMs">When, ms since the Unix epoch.</param>
/// <param name="SystolicMmHg">Systolic pressure, mmHg.</param>
/// <param name="DiastolicMmHg">Diastolic pressure, mmHg.</param>
/// <param name="PulsePerMinute">Pulse measured by the cuff, beats per minute.</param>
public sealed record BloodPressureReading(ulong DeviceId, long TimeMs, int SystolicMmHg, int DiastolicMmHg, int PulsePerMinute);
