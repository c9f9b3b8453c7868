using HealthBlock.Hosting;

namespace HealthBlock.Gateway;

/// <summary>
/// The gateway's health for <c>/healthz</c>, <c>/readyz</c> and the systemd watchdog: live while it runs; ready while
/// its batches reach the ledger and the store and its external broker, if any, is connected (frames are journalled and acknowledged either way).
/// </summary>
/// <param name="gateway">The gateway.</param>
public sealed class GatewayRoleHealth(GatewayService gateway) : IRoleHealth
{
    /// <inheritdoc />
    public HealthState Liveness() => gateway.Running ? HealthState.Healthy("running") : HealthState.Unhealthy("stopped");

    /// <inheritdoc />
    public HealthState Readiness()
    {
        if (!gateway.Running)
        {
            return HealthState.Unhealthy("stopped");
        }

        if (gateway.External is { IsConnected: false } external)
        {
            return HealthState.Unhealthy($"external broker {external.Broker} not connected (retrying)");
        }

        var status = gateway.Status();
        return status.Degraded
            ? HealthState.Unhealthy($"ledger or store unreachable: {status.Backlog} frames journalled and waiting")
            : HealthState.Healthy($"patient {status.Patient}, {status.FramesAccepted} frames accepted, backlog {status.Backlog}");
    }
}
