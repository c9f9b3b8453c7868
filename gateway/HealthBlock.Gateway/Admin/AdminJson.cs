using System.Text.Json;

namespace HealthBlock.Gateway.Admin;

/// <summary>The admin endpoint's JSON: camelCase, as the web does.</summary>
internal static class AdminJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);
}
