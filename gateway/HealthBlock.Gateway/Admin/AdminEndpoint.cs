using System.Net;
using System.Text.Json;
using HealthBlock.Crypto;
using HealthBlock.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Admin;

/// <summary>
/// The gateway's admin endpoint: HTTP on loopback only (Kestrel), port 0 by default, its URL written to
/// <c>admin.url</c> in the data folder (mode 0600) while it runs. Every request must be signed by the patient's
/// identity key (<see cref="AdminRequestSignature"/>, checked by <see cref="AdminRequestVerifier"/>); anything else is
/// answered 401. Routes (JSON bodies, camelCase):
/// <list type="table">
/// <item><term>GET /v1/status</term><description><see cref="PatientStatus"/></description></item>
/// <item><term>GET /v1/devices</term><description>[<see cref="DeviceSummary"/>]</description></item>
/// <item><term>POST /v1/devices</term><description><see cref="PairRequest"/> → <see cref="PairedDevice"/> (201); 409 when paired already without replace</description></item>
/// <item><term>DELETE /v1/devices/{device}</term><description>unpair → <see cref="DeviceSummary"/>; 404 when not paired</description></item>
/// <item><term>GET /v1/parked</term><description>[<see cref="ParkedBatch"/>]</description></item>
/// <item><term>DELETE /v1/parked/{batch}</term><description>drop its readings → <see cref="ParkedBatch"/>; 404 when not parked, 409 when dropped already</description></item>
/// <item><term>POST /v1/doctors/{doctor}/grant</term><description>→ <see cref="EpochChange"/></description></item>
/// <item><term>POST /v1/doctors/{doctor}/revoke</term><description>→ <see cref="EpochChange"/>; 409 when not authorised</description></item>
/// <item><term>POST /v1/payments</term><description><see cref="PaymentRequest"/> → <see cref="PaymentResult"/>; 422 when the ledger refuses</description></item>
/// </list>
/// Refusals are <c>{"error": "…"}</c> with the status of <see cref="GatewayAdminException.Status"/>.
/// With a health given, the same listener also serves <c>/healthz</c>, <c>/readyz</c> and Prometheus <c>/metrics</c>
/// (<see cref="ServiceEndpoints"/>) unsigned: they reveal no patient data, only counts.
/// </summary>
public sealed class AdminEndpoint : IAsyncDisposable
{
    /// <summary>Largest request body accepted.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly WebApplication _app;
    private readonly string _urlFile;
    private readonly ILogger _logger;

    private AdminEndpoint(WebApplication app, Uri url, string urlFile, ILogger logger)
    {
        _app = app;
        Url = url;
        _urlFile = urlFile;
        _logger = logger;
    }

    /// <summary>The endpoint's base URL (http://127.0.0.1:port/).</summary>
    public Uri Url { get; }

    /// <summary>Starts the endpoint on 127.0.0.1:<paramref name="port"/> and writes its URL to <paramref name="folder"/>'s <c>admin.url</c>.</summary>
    /// <exception cref="StartupFailedException">The port is in use (the message names it).</exception>
    public static async Task<AdminEndpoint> StartAsync(GatewayDataFolder folder, int port, IGatewayAdmin admin, PublicIdentity patient, ILoggerFactory loggers, TimeProvider? time = null, IRoleHealth? health = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger("HealthBlock.Gateway.Admin");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
        });
        builder.Logging.ClearProviders();
        if (health is not null)
        {
            ServiceEndpoints.AddServiceTelemetry(builder.Services, [GatewayMetrics.MeterName, HealthBlock.Alerts.AlertMetrics.MeterName]);
        }

        var app = builder.Build();
        var verifier = new AdminRequestVerifier(patient, time);
        app.UseRequestLogging(loggers);
        app.Use(async (context, next) =>
        {
            if (health is not null && ServiceEndpoints.Routes.Contains(context.Request.Path.Value ?? ""))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
            var request = context.Request;
            var refusal = verifier.Check(request.Method, request.Path.ToString() + request.QueryString, request.Headers[AdminRequestSignature.TimeHeader], request.Headers[AdminRequestSignature.NonceHeader], request.Headers[AdminRequestSignature.SignatureHeader], body);
            if (refusal is not null)
            {
                logger.LogWarning("Admin request {Method} {Path} from {Client} refused: {Reason}", request.Method, request.Path, context.Connection.RemoteIpAddress, refusal);
                await Results.Json(new { error = "not authenticated: " + refusal }, AdminJson.Options, statusCode: 401).ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            context.Items[BodyItem] = body;
            await next(context).ConfigureAwait(false);
        });
        Map(app, admin);
        if (health is not null)
        {
            ServiceEndpoints.MapServiceEndpoints(app, health);
        }

        await ListenAddresses.StartOrExplainAsync(() => app.StartAsync(cancellationToken), "gateway HTTP listener", $"127.0.0.1:{port}").ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri(address.EndsWith('/') ? address : address + "/");
        folder.WriteAdminUrl(url);
        logger.LogInformation("Admin endpoint on {Url} (requests signed by the patient key)", url);
        return new AdminEndpoint(app, url, folder.AdminUrlPath, logger);
    }

    private const string BodyItem = "hb.admin.body";

    private static void Map(WebApplication app, IGatewayAdmin admin)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapGet("/status", (CancellationToken ct) => Answer(() => admin.StatusAsync(ct)));
        v1.MapGet("/devices", (CancellationToken ct) => Answer(() => admin.DevicesAsync(ct)));
        v1.MapPost("/devices", (HttpContext context, CancellationToken ct) => Answer(() => admin.PairAsync(Body<PairRequest>(context), ct), 201));
        v1.MapDelete("/devices/{device}", (string device, CancellationToken ct) => Answer(() => admin.UnpairAsync(device, ct)));
        v1.MapPost("/doctors/{doctor}/grant", (string doctor, CancellationToken ct) => Answer(() => admin.GrantAsync(doctor, ct)));
        v1.MapPost("/doctors/{doctor}/revoke", (string doctor, CancellationToken ct) => Answer(() => admin.RevokeAsync(doctor, ct)));
        v1.MapPost("/payments", (HttpContext context, CancellationToken ct) => Answer(() => admin.PayAsync(Body<PaymentRequest>(context), ct)));
        v1.MapGet("/parked", (CancellationToken ct) => Answer(() => admin.ParkedAsync(ct)));
        v1.MapDelete("/parked/{batch}", (ulong batch, CancellationToken ct) => Answer(() => admin.DropParkedAsync(batch, ct)));
        v1.MapPost("/statistics-consent", (HttpContext context, CancellationToken ct) => Answer(() => admin.ConsentAsync(Body<ConsentRequest>(context), ct)));
    }

    private static async Task<IResult> Answer<T>(Func<Task<T>> operation, int status = 200)
    {
        try
        {
            return Results.Json(await operation().ConfigureAwait(false), AdminJson.Options, statusCode: status);
        }
        catch (GatewayAdminException e)
        {
            return Results.Json(new { error = e.Message }, AdminJson.Options, statusCode: e.Status);
        }
    }

    private static T Body<T>(HttpContext context)
    {
        try
        {
            return JsonSerializer.Deserialize<T>((byte[])context.Items[BodyItem]!, AdminJson.Options)
                ?? throw new GatewayAdminException(400, "the request has no body");
        }
        catch (JsonException e)
        {
            throw new GatewayAdminException(400, $"the body is not a {typeof(T).Name}: {e.Message}");
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        try
        {
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException)
        {
            return [];
        }

        return buffer.ToArray();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            File.Delete(_urlFile);
        }
        catch (IOException e)
        {
            _logger.LogWarning("Could not remove {File}: {Message}", _urlFile, e.Message);
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
