using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Hosting;

/// <summary>
/// One log line per HTTP request, at Debug (category <c>HealthBlock.Http</c>): method, path, status, milliseconds.
/// ASP.NET Core's own request lines (five per request at Information) are filtered out by <see cref="RoleLogging"/>.
/// </summary>
public static class RequestLogging
{
    /// <summary>The log category of request lines.</summary>
    public const string Category = "HealthBlock.Http";

    /// <summary>Adds the request log to <paramref name="app"/>'s pipeline.</summary>
    public static IApplicationBuilder UseRequestLogging(this IApplicationBuilder app, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(loggers);
        var log = loggers.CreateLogger(Category);
        return app.Use(async (context, next) =>
        {
            if (!log.IsEnabled(LogLevel.Debug))
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                log.LogDebug("{Method} {Path}{Query} from {Client} -> {Status} in {Ms:0.0} ms", context.Request.Method, context.Request.Path, context.Request.QueryString, context.Connection.RemoteIpAddress, context.Response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
    }
}
