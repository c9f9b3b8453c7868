using System.Globalization;

namespace HealthBlock.Web.Pages;

/// <summary>How the pages write values.</summary>
public static class PageText
{
    /// <summary>A Unix-ms time as the pages show it (UTC), or a dash.</summary>
    public static string Time(long? ms) => ms is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) : "–";
}
