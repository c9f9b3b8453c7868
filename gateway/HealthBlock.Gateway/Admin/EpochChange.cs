namespace HealthBlock.Gateway.Admin;

/// <summary>A committed key transaction (grant or revoke).</summary>
/// <param name="Epoch">The new key epoch (every epoch has a new IoT key).</param>
public sealed record EpochChange(uint Epoch);
