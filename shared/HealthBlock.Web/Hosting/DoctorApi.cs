using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace HealthBlock.Web.Hosting;

/// <summary>The doctor page's data routes (GET, JSON, behind the session cookie; only patients who grant the doctor now, else 403).</summary>
internal static class DoctorApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/doctor/api").RequireAuthorization(PageHosting.PagePolicy);
        api.MapGet("/ecg", (string patient, string device, long? from, long? to, int? points, IDoctorRecords records, CancellationToken ct) =>
            ApiJson.AnswerAsync(async () =>
            {
                var (f, t) = ApiJson.Range(from, to);
                await DoctorAccess.CheckAsync(records, patient, ct).ConfigureAwait(false);
                return await records.EcgAsync(patient, device, f, t, points ?? 2000, ct).ConfigureAwait(false);
            }));
        api.MapGet("/vitals", (string patient, long? from, long? to, IDoctorRecords records, CancellationToken ct) =>
            ApiJson.AnswerAsync(async () =>
            {
                var (f, t) = ApiJson.Range(from, to);
                await DoctorAccess.CheckAsync(records, patient, ct).ConfigureAwait(false);
                return await records.VitalsAsync(patient, f, t, ct).ConfigureAwait(false);
            }));
    }
}
