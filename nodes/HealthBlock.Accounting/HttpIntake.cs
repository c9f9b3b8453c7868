using System.Collections.Concurrent;
using System.Net;
using System.Threading.RateLimiting;
using HealthBlock.Alerts;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace HealthBlock.Accounting;

/// <summary>
/// Enforces <see cref="HttpLimits"/> on the ledger API's Kestrel server: a connection middleware that closes
/// connections over the total or per-source limit before any byte is read, a per-source token-bucket rate limiter
/// (429, reason <see cref="RejectReason.Overloaded"/>, which submitters retry), a body limit of the largest transaction
/// that Kestrel enforces while reading (413 without buffering), and header and keep-alive timeouts. Every hit is counted
/// and goes to <see cref="LimitAlerts"/>.
/// </summary>
internal sealed class HttpIntake(HttpLimits limits, LimitAlerts alerts)
{
    private readonly ConcurrentDictionary<IPAddress, int> _perSource = new();
    private int _open;
    private long _connectionsRefused;
    private long _requestsThrottled;
    private long _bodiesRefused;

    /// <summary>The hits so far.</summary>
    public HttpLimitHits Hits => new(Interlocked.Read(ref _connectionsRefused), Interlocked.Read(ref _requestsThrottled), Interlocked.Read(ref _bodiesRefused));

    /// <summary>Configures Kestrel and the rate limiter on <paramref name="builder"/>.</summary>
    public void Configure(WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = Transaction.MaxSize;
            k.Limits.KeepAliveTimeout = limits.KeepAliveTimeout;
            k.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.ConfigureEndpointDefaults(endpoint => endpoint.Use(next => context => AdmitAsync(context, next)));
        });
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, IPAddress>(context =>
                RateLimitPartition.GetTokenBucketLimiter(context.Connection.RemoteIpAddress ?? IPAddress.None, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.RequestBurstPerSource,
                    TokensPerPeriod = Math.Max(1, limits.RequestsPerSecondPerSource / 10),
                    ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            o.OnRejected = async (context, ct) =>
            {
                Interlocked.Increment(ref _requestsThrottled);
                alerts.Hit("HTTP request rate per source", context.HttpContext.Connection.RemoteIpAddress?.ToString());
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = "1";
                await context.HttpContext.Response.WriteAsJsonAsync(
                    new LedgerClient.ErrorDto(RejectReason.Overloaded, "too many requests from this address; retry later"), LedgerJson.Options, ct).ConfigureAwait(false);
            };
        });
    }

    /// <summary>Adds the rate limiter to <paramref name="app"/>'s pipeline (before the routes).</summary>
    public void Use(WebApplication app) => app.UseRateLimiter();

    /// <summary>Counts a body refused by the size limit (the route saw Kestrel's 413).</summary>
    public void BodyRefused(string? source)
    {
        Interlocked.Increment(ref _bodiesRefused);
        alerts.Hit("HTTP body larger than a transaction", source);
    }

    private async Task AdmitAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var source = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        var open = Interlocked.Increment(ref _open);
        var fromSource = _perSource.AddOrUpdate(source, 1, (_, n) => n + 1);
        try
        {
            if (open > limits.MaxConnections || fromSource > limits.MaxConnectionsPerSource)
            {
                Interlocked.Increment(ref _connectionsRefused);
                alerts.Hit(open > limits.MaxConnections ? "HTTP connections in all" : "HTTP connections per source", source.ToString());
                connection.Abort();
                return;
            }

            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
            if (_perSource.AddOrUpdate(source, 0, (_, n) => n - 1) <= 0)
            {
                _perSource.TryRemove(KeyValuePair.Create(source, 0));
            }
        }
    }
}
