using HealthBlock.Doctor;
using HealthBlock.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Cli;

/// <summary>
/// The doctor node as a service: the node, and its small loopback HTTP listener for <c>/healthz</c>, <c>/readyz</c> and
/// <c>/metrics</c> (URL written to <c>DATA/service.url</c>). Live while the node runs; ready once it follows Userchain.
/// </summary>
internal sealed class DoctorService(string listen, string folder, ILoggerFactory loggers) : IAsyncDisposable
{
    /// <summary>The file in the data folder that holds the listener's URL while it runs.</summary>
    public const string UrlFileName = "service.url";

    private DoctorNode? _node;
    private ServiceListener? _listener;

    /// <summary>The role's health.</summary>
    public IRoleHealth Health => new RoleHealth(
        () => _node is null ? HealthState.Unhealthy("starting") : HealthState.Healthy("running"),
        () => _node is { } node ? HealthState.Healthy($"following Userchain at height {node.Counters.UserchainHeight}, {node.Counters.Diagnoses} diagnoses") : HealthState.Unhealthy("starting"));

    /// <summary>The listener's URL, once started.</summary>
    public Uri? Url => _listener?.Url;

    /// <summary>Starts the listener (before the node, so that its metrics count from the node's first diagnosis).</summary>
    /// <exception cref="StartupFailedException">The address is not IP:PORT, or it is in use.</exception>
    public async Task ListenAsync(CancellationToken cancellationToken) =>
        _listener = await ServiceListener.StartAsync(listen, Health, [DoctorMetrics.MeterName, Alerts.AlertMetrics.MeterName], loggers, Path.Combine(folder, UrlFileName), "--service-listen", cancellationToken).ConfigureAwait(false);

    /// <summary>The node started: the role is live and ready from now on.</summary>
    public void Attach(DoctorNode node) => _node = node;

    /// <summary>Stops the node (its running work ends; waiting commits resume at the next start), then the listener; returns the node's last counters.</summary>
    public async Task<DoctorCounters?> StopAsync()
    {
        var node = Interlocked.Exchange(ref _node, null);
        DoctorCounters? counters = null;
        if (node is not null)
        {
            counters = node.Counters;
            await node.DisposeAsync().ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _listener, null) is { } listener)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        return counters;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
