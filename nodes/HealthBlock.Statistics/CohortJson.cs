using System.Text.Json;
using HealthBlock.Crypto;

namespace HealthBlock.Statistics;

/// <summary>
/// The statistics node's HTTP wire format (JSON, camelCase): a <see cref="CohortRequest"/> with ids in base32 and bytes
/// in base64; a <see cref="CohortAnswer"/> as is; a refusal as <c>{"reason": …, "message": …}</c>.
/// </summary>
public static class CohortJson
{
    /// <summary>The route a cohort request is posted to.</summary>
    public const string CohortRoute = "/v1/cohort";

    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>A request as sent.</summary>
    public static string Write(CohortRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonSerializer.Serialize(
            new RequestDto(request.Requester.ToString(), request.Metric, request.FromMs, request.ToMs, request.Patients?.Select(p => p.ToString()).ToList(), Convert.ToBase64String(request.Sum), request.TimeMs, Convert.ToBase64String(request.Signature)),
            Options);
    }

    /// <summary>A request as received.</summary>
    /// <exception cref="CohortRefusedException">With <see cref="CohortRefusal.InvalidRequest"/>: not a request.</exception>
    public static CohortRequest Read(string json)
    {
        try
        {
            var dto = JsonSerializer.Deserialize<RequestDto>(json, Options) ?? throw new JsonException("null");
            return new CohortRequest(
                IdentityId.Parse(dto.Requester),
                dto.Metric,
                dto.FromMs,
                dto.ToMs,
                dto.Patients?.Select(IdentityId.Parse).ToList(),
                Convert.FromBase64String(dto.Sum),
                dto.TimeMs,
                Convert.FromBase64String(dto.Signature));
        }
        catch (Exception e) when (e is JsonException or FormatException or CryptoException or ArgumentNullException)
        {
            throw new CohortRefusedException(CohortRefusal.InvalidRequest, $"Not a cohort request: {e.Message}");
        }
    }

    /// <summary>A refusal's body.</summary>
    public static string WriteRefusal(CohortRefusedException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return JsonSerializer.Serialize(new RefusalDto(refusal.Reason.ToString(), refusal.Message), Options);
    }

    /// <summary>A refusal read back.</summary>
    public static CohortRefusedException ReadRefusal(string json)
    {
        try
        {
            var dto = JsonSerializer.Deserialize<RefusalDto>(json, Options);
            return dto is not null && Enum.TryParse<CohortRefusal>(dto.Reason, out var reason)
                ? new CohortRefusedException(reason, dto.Message)
                : new CohortRefusedException(CohortRefusal.InvalidRequest, $"The statistics node answered: {json}");
        }
        catch (JsonException)
        {
            return new CohortRefusedException(CohortRefusal.InvalidRequest, $"The statistics node answered: {json}");
        }
    }

    private sealed record RequestDto(string Requester, string Metric, long FromMs, long ToMs, List<string>? Patients, string Sum, long TimeMs, string Signature);

    private sealed record RefusalDto(string Reason, string Message);
}
