using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Hosting;

/// <summary>
/// A small HTTP listener (Kestrel) that serves only <see cref="ServiceEndpoints"/>: <c>/healthz</c>, <c>/readyz</c>,
/// <c>/metrics</c>. The doctor node runs one on 127.0.0.1 (port 0 by default) and devnet one for the whole process; the
/// accounting node and the gateway serve the same routes on their own listeners. Its URL is written to a file when one is
/// given, so scripts and tests find the port the OS chose.
/// </summary>
public sealed class ServiceListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _urlFile;

    private ServiceListener(WebApplication app, Uri url, string? urlFile)
    {
        _app = app;
        Url = url;
        _urlFile = urlFile;
    }

    /// <summary>The bound base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>
    /// Starts the listener on <paramref name="endPoint"/> (<c>IP:PORT</c>; port 0 lets the OS choose) for
    /// <paramref name="meters"/>, writing its URL to <paramref name="urlFile"/> when given.
    /// </summary>
    /// <exception cref="StartupFailedException">The address is not IP:PORT, or it is in use (the message names it).</exception>
    public static async Task<ServiceListener> StartAsync(string endPoint, IRoleHealth health, IEnumerable<string> meters, ILoggerFactory? loggers = null, string? urlFile = null, string what = "--service-listen", CancellationToken cancellationToken = default)
    {
        var bind = ParseEndPoint(endPoint, what);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(bind));
        builder.Logging.ClearProviders();
        builder.Services.AddServiceTelemetry(meters);
        var app = builder.Build();
        app.UseRequestLogging(loggers ?? NullLoggerFactory.Instance);
        app.MapServiceEndpoints(health);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ListenAddresses.IsAddressInUse(e))
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw ListenAddresses.InUse(what, bind, e);
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var url = new Uri(address.EndsWith('/') ? address : address + "/");
        if (urlFile is not null)
        {
            PrivateFile.Write(urlFile, url.ToString());
        }

        return new ServiceListener(app, url, urlFile);
    }

    /// <summary>Parses <c>IP:PORT</c> (or <c>localhost:PORT</c>) for a listener, naming <paramref name="what"/> when it is not.</summary>
    /// <exception cref="StartupFailedException">Not such an address.</exception>
    public static IPEndPoint ParseEndPoint(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase) && int.TryParse(text.AsSpan(10), out var port) && port is >= 0 and <= 65535)
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        return text.Contains(':', StringComparison.Ordinal) && IPEndPoint.TryParse(text, out var ep)
            ? ep
            : throw new StartupFailedException($"{what} '{text}' is not IP:PORT (e.g. 127.0.0.1:9464; port 0 lets the system choose)");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_urlFile is not null)
        {
            try
            {
                File.Delete(_urlFile);
            }
            catch (IOException)
            {
            }
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
