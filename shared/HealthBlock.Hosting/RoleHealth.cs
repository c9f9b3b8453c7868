namespace HealthBlock.Hosting;

/// <summary>An <see cref="IRoleHealth"/> made of two functions, for roles whose checks are one-liners.</summary>
/// <param name="liveness">The liveness check.</param>
/// <param name="readiness">The readiness check.</param>
public sealed class RoleHealth(Func<HealthState> liveness, Func<HealthState> readiness) : IRoleHealth
{
    /// <summary>A role that is live and ready while <paramref name="running"/> is true.</summary>
    public static RoleHealth WhileRunning(Func<bool> running) =>
        new(() => running() ? HealthState.Healthy("running") : HealthState.Unhealthy("stopped"), () => running() ? HealthState.Healthy("running") : HealthState.Unhealthy("stopped"));

    /// <inheritdoc />
    public HealthState Liveness() => liveness();

    /// <inheritdoc />
    public HealthState Readiness() => readiness();
}
