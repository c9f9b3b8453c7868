using System.Globalization;

namespace HealthBlock.Fhir;

/// <summary>Times as FHIR writes them: UTC, <c>Z</c>, milliseconds (more digits only when a time falls between milliseconds).</summary>
internal static class FhirTime
{
    /// <summary>Ticks (100 ns) per millisecond.</summary>
    public const long TicksPerMs = TimeSpan.TicksPerMillisecond;

    /// <summary>A FHIR <c>dateTime</c> for ms since the Unix epoch: <c>2026-12-01T10:00:00.004Z</c>.</summary>
    public static string DateTime(long unixMs) => FromTicks(unixMs * TicksPerMs);

    /// <summary>A FHIR <c>dateTime</c> for 100-ns ticks since the Unix epoch; 3 fraction digits when whole ms, else 7.</summary>
    public static string FromTicks(long unixTicks)
    {
        var time = System.DateTime.UnixEpoch.AddTicks(unixTicks);
        var format = unixTicks % TicksPerMs == 0 ? "yyyy-MM-dd'T'HH:mm:ss.fff'Z'" : "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
        return time.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>A FHIR <c>instant</c> value (<c>Provenance.recorded</c>, <c>DiagnosticReport.issued</c>).</summary>
    public static DateTimeOffset Instant(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);
}
