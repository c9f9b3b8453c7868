using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace HealthBlock.Web.Hosting;

/// <summary>The patient page's data routes (GET, JSON, behind the session cookie).</summary>
internal static class PatientApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/patient/api").RequireAuthorization(PageHosting.PagePolicy);
        api.MapGet("/live", (string device, int? seconds, IPatientRecords records, CancellationToken ct) =>
            ApiJson.AnswerAsync(() => records.LiveEcgAsync(device, Math.Clamp(seconds ?? 10, 1, 120), ct)));
        api.MapGet("/ecg", (string device, long? from, long? to, int? points, IPatientRecords records, CancellationToken ct) =>
            ApiJson.AnswerAsync(() =>
            {
                var (f, t) = ApiJson.Range(from, to);
                return records.EcgAsync(device, f, t, points ?? 2000, ct);
            }));
        api.MapGet("/vitals", (long? from, long? to, IPatientRecords records, CancellationToken ct) =>
            ApiJson.AnswerAsync(() =>
            {
                var (f, t) = ApiJson.Range(from, to);
                return records.VitalsAsync(f, t, ct);
            }));
    }
}
