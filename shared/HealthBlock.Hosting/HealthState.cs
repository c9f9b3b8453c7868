namespace HealthBlock.Hosting;

/// <summary>An answer of <see cref="IRoleHealth"/>: ok or not, and one line saying why.</summary>
/// <param name="Ok">True when healthy (or ready).</param>
/// <param name="Detail">One line for people and for systemd's STATUS.</param>
public sealed record HealthState(bool Ok, string Detail)
{
    /// <summary>A healthy state.</summary>
    public static HealthState Healthy(string detail) => new(true, detail);

    /// <summary>An unhealthy state.</summary>
    public static HealthState Unhealthy(string detail) => new(false, detail);
}
