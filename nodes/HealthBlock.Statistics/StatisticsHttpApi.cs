using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Statistics;

/// <summary>
/// The statistics node over HTTP: <c>POST /v1/cohort</c> with a signed request (<see cref="CohortJson"/>) answers 200 and
/// the figure, 403 and the refusal when a rule refuses, 400 for a malformed request. The node binds the port itself
/// (port 0 picks a free one); <see cref="Url"/> says where it listens.
/// </summary>
public sealed class StatisticsHttpApi : IAsyncDisposable
{
    private const int MaxRequestBytes = 1 << 20;
    private readonly WebApplication _app;

    private StatisticsHttpApi(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>Where it listens.</summary>
    public string Url { get; }

    /// <summary>Starts serving <paramref name="node"/> on <paramref name="listenUrl"/> (e.g. <c>http://127.0.0.1:0</c>).</summary>
    public static async Task<StatisticsHttpApi> StartAsync(StatisticsNode node, string listenUrl, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(listenUrl);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost(CohortJson.CohortRoute, async (HttpRequest request, CancellationToken ct) =>
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
            try
            {
                if (body.Length > MaxRequestBytes)
                {
                    throw new CohortRefusedException(CohortRefusal.InvalidRequest, $"A cohort request is at most {MaxRequestBytes} bytes.");
                }

                var answer = await node.AnswerAsync(CohortJson.Read(body), ct).ConfigureAwait(false);
                logger.LogInformation("Decrypted {Metric} over {Patients} patients ({Contributions} contributions), record {Record}", answer.Metric, answer.Patients, answer.Contributions, answer.RecordTransaction);
                return Results.Json(answer, CohortJson.Options);
            }
            catch (CohortRefusedException e)
            {
                logger.LogWarning("Refused a cohort request: {Reason}: {Message}", e.Reason, e.Message);
                return Results.Text(CohortJson.WriteRefusal(e), "application/json", statusCode: e.Reason == CohortRefusal.InvalidRequest ? 400 : 403);
            }
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new StatisticsHttpApi(app, app.Urls.First());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
