using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace HealthBlock.Web.Hosting;

/// <summary>How the data routes answer: camelCase JSON, and a refusal as <c>{"error": …}</c> with 400 (bad request) or 403 (not this identity's to see).</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<IResult> AnswerAsync<T>(Func<Task<T>> read)
    {
        try
        {
            return Results.Json(await read().ConfigureAwait(false), Options);
        }
        catch (PageAccessException e)
        {
            return Results.Json(new { error = e.Message }, Options, statusCode: 403);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or PageActionException)
        {
            return Results.Json(new { error = e.Message }, Options, statusCode: 400);
        }
    }

    /// <summary>A range from query values (Unix ms), at most 31 days long.</summary>
    public static (long From, long To) Range(long? from, long? to)
    {
        if (from is not { } f || to is not { } t || t <= f)
        {
            throw new ArgumentException("give from and to (Unix ms) with from < to");
        }

        if (t - f > 31L * 24 * 3600 * 1000)
        {
            throw new ArgumentException("a range is at most 31 days");
        }

        return (f, t);
    }
}
