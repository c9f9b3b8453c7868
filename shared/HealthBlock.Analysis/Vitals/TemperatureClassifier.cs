using System.Globalization;
using System.Text.Json.Serialization;

namespace HealthBlock.Analysis;

/// <summary>
/// Screens a body-temperature reading given in centi-degrees Celsius (3712 = 37.12 °C).
/// </summary>
/// <remarks>
/// <para><b>Fever: ≥ 38.0 °C</b> (<see cref="FeverThresholdCentiCelsius"/>). Source: the US CDC defines
/// fever as a measured temperature of 100.4 °F (38.0 °C) or greater (CDC, "Definitions of Symptoms for
/// Reportable Illnesses"); NICE guideline NG143 "Fever in under 5s" uses 38 °C as its threshold.
/// At or above 40.0 °C (<see cref="HighFeverThresholdCentiCelsius"/>) the severity is raised to High;
/// that escalation step is this library's choice.</para>
/// <para><b>Hypothermia: &lt; 35.0 °C</b> (<see cref="HypothermiaThresholdCentiCelsius"/>). Source: Brown DJA
/// et al., "Accidental hypothermia", N Engl J Med 2012;367:1930-1938, which defines hypothermia as a core
/// temperature below 35 °C, with mild 32-35 °C, moderate 28-32 °C and severe below 28 °C; below
/// 32.0 °C (<see cref="ModerateHypothermiaThresholdCentiCelsius"/>) the severity is Critical.</para>
/// <para>Both thresholds refer to core (or core-equivalent, e.g. oral/tympanic) temperature; a raw skin
/// temperature from a wearable must be converted before it is screened here. Readings outside
/// 25.00-45.00 °C are reported as implausible rather than classified.</para>
/// </remarks>
public static class TemperatureClassifier
{
    /// <summary>Fever threshold, centi-°C (38.00 °C, inclusive).</summary>
    public const int FeverThresholdCentiCelsius = 3800;

    /// <summary>Severity escalation for very high fever, centi-°C (40.00 °C, inclusive).</summary>
    public const int HighFeverThresholdCentiCelsius = 4000;

    /// <summary>Hypothermia threshold, centi-°C (below 35.00 °C).</summary>
    public const int HypothermiaThresholdCentiCelsius = 3500;

    /// <summary>Moderate hypothermia threshold, centi-°C (below 32.00 °C).</summary>
    public const int ModerateHypothermiaThresholdCentiCelsius = 3200;

    /// <summary>Lowest plausible body-temperature reading, centi-°C (25.00 °C).</summary>
    public const int MinPlausibleCentiCelsius = 2500;

    /// <summary>Highest plausible body-temperature reading, centi-°C (45.00 °C).</summary>
    public const int MaxPlausibleCentiCelsius = 4500;

    /// <summary>Classifies a reading.</summary>
    /// <param name="centiCelsius">Temperature in hundredths of a degree Celsius.</param>
    /// <returns>Hypothermia below 35.00 °C, fever at or above 38.00 °C, otherwise normal.</returns>
    public static TemperatureCategory Classify(int centiCelsius) => centiCelsius switch
    {
        < HypothermiaThresholdCentiCelsius => TemperatureCategory.Hypothermia,
        >= FeverThresholdCentiCelsius => TemperatureCategory.Fever,
        _ => TemperatureCategory.Normal,
    };

    /// <summary>Produces a finding for one reading (implausible readings are reported as such).</summary>
    /// <param name="centiCelsius">Temperature in hundredths of a degree Celsius.</param>
    /// <param name="window">When the reading was taken, if known.</param>
    /// <returns>The finding.</returns>
    public static Finding Analyze(int centiCelsius, TimeWindow? window = null)
    {
        var celsius = centiCelsius / 100.0;
        var values = new FindingValues().Add("temperatureCelsius", celsius).Build();
        var reading = celsius.ToString("0.00", CultureInfo.InvariantCulture) + " °C";
        if (centiCelsius is < MinPlausibleCentiCelsius or > MaxPlausibleCentiCelsius)
        {
            return Make(
                FindingKind.ImplausibleReading, FindingSeverity.Low,
                $"Temperature reading {reading} is outside the plausible range for a body temperature; check the sensor.",
                window, values);
        }

        return Classify(centiCelsius) switch
        {
            TemperatureCategory.Fever => Make(
                FindingKind.Fever,
                centiCelsius >= HighFeverThresholdCentiCelsius ? FindingSeverity.High : FindingSeverity.Moderate,
                $"Temperature {reading}: fever (≥ 38.0 °C).", window, values),
            TemperatureCategory.Hypothermia => Make(
                FindingKind.Hypothermia,
                centiCelsius < ModerateHypothermiaThresholdCentiCelsius ? FindingSeverity.Critical : FindingSeverity.High,
                $"Temperature {reading}: hypothermia (< 35.0 °C).", window, values),
            _ => Make(FindingKind.TemperatureNormal, FindingSeverity.Info, $"Temperature {reading}: normal.", window, values),
        };
    }

    private static Finding Make(FindingKind kind, FindingSeverity severity, string text, TimeWindow? window, IReadOnlyDictionary<string, double> values) =>
        new(kind, severity, text, window, values, AlgorithmInfo.TemperatureName, AlgorithmInfo.TemperatureVersion);
}
