using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HealthBlock.Analysis;

namespace HealthBlock.Doctor;

/// <summary>A blood-pressure or temperature reading.</summary>
/// <param name="Kind"><c>bloodPressure</c> or <c>temperature</c>.</param>
/// <param name="Device">The device id (16 hex digits).</param>
/// <param name="TimeMs">When it was taken.</param>
/// <param name="SystolicMmHg">Systolic pressure (blood pressure only).</param>
/// <param name="DiastolicMmHg">Diastolic pressure (blood pressure only).</param>
/// <param name="PulsePerMinute">Pulse from the cuff (blood pressure only).</param>
/// <param name="TemperatureCelsius">Body temperature (temperature only).</param>
public sealed record VitalReading(
    string Kind,
    string Device,
    long TimeMs,
    int? SystolicMmHg,
    int? DiastolicMmHg,
    int? PulsePerMinute,
    double? TemperatureCelsius)
{
    /// <summary>The <see cref="Kind"/> of a blood-pressure reading.</summary>
    public const string BloodPressure = "bloodPressure";

    /// <summary>The <see cref="Kind"/> of a temperature reading.</summary>
    public const string Temperature = "temperature";
}
