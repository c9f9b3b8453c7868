using HealthBlock.Hosting;

namespace HealthBlock.Gateway;

/// <summary>
/// The gateway's health for <c>/healthz</c>, <c>/readyz</c> and the systemd watchdog: live while it runs; ready while
/// its batches reach the ledger and the store (frames are journalled and acknowledged either way).
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

        var status = gateway.Status();
        return status.Degraded
            ? HealthState.Unhealthy($"ledger or store unreachable: {status.Backlog} frames journalled and waiting")
            : HealthState.Healthy($"patient {status.Patient}, {status.FramesAccepted} frames accepted, backlog {status.Backlog}");
    }
}
