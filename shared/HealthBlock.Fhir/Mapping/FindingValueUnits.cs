namespace HealthBlock.Fhir;

/// <summary>The UCUM unit of a finding's named value, read from the name's suffix as the analysis library writes them.</summary>
internal static class FindingValueUnits
{
    private static readonly (string Suffix, string Code, string Unit)[] Suffixes =
    [
        ("Bpm", FhirCodes.PerMinute, "beats/minute"),
        ("MmHg", FhirCodes.MillimetresOfMercury, "mmHg"),
        ("Celsius", FhirCodes.Celsius, "Cel"),
        ("Ms", "ms", "ms"),
        ("Seconds", "s", "s"),
    ];

    /// <summary>The UCUM code and printable unit of a value name; <c>1</c> (dimensionless) for counts and ratios.</summary>
    public static (string Code, string Unit) Of(string name)
    {
        foreach (var (suffix, code, unit) in Suffixes)
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return (code, unit);
            }
        }

        return ("1", "1");
    }
}
