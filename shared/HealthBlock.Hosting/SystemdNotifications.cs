using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Hosting;

/// <summary>
/// Tells systemd (<c>Type=notify</c>) how the role is doing: <c>READY=1</c> with a <c>STATUS=</c> line once the host has
/// started (every hosted service, so the role's listeners are bound), <c>STOPPING=1</c> when it begins to stop, and —
/// when the unit sets <c>WatchdogSec=</c> — <c>WATCHDOG=1</c> every half timeout while <paramref name="health"/> says the
/// role is live, so that systemd restarts a role that hangs.
/// </summary>
/// <param name="notifier">Where notifications go.</param>
/// <param name="lifetime">The host's lifetime events.</param>
/// <param name="health">The role's liveness.</param>
/// <param name="logger">Logs a missed heartbeat.</param>
public sealed class SystemdNotifications(SystemdNotifier notifier, IHostApplicationLifetime lifetime, IRoleHealth health, ILogger<SystemdNotifications> logger) : BackgroundService
{
    /// <summary>Heartbeats sent so far (for tests and status).</summary>
    public long Heartbeats => Interlocked.Read(ref _heartbeats);

    private long _heartbeats;

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        lifetime.ApplicationStarted.Register(() => notifier.Notify("READY=1\nSTATUS=" + health.Readiness().Detail));
        lifetime.ApplicationStopping.Register(() => notifier.Notify("STOPPING=1\nSTATUS=stopping"));
        return base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled || notifier.WatchdogInterval is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        do
        {
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            var live = health.Liveness();
            if (live.Ok)
            {
                notifier.Notify("WATCHDOG=1");
                Interlocked.Increment(ref _heartbeats);
            }
            else
            {
                logger.LogWarning("Not live ({Detail}): no watchdog heartbeat, systemd restarts the service if this lasts", live.Detail);
            }
        }
        while (await TickAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> TickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
