namespace HealthBlock.Gateway.Admin;

/// <summary>A committed payment.</summary>
/// <param name="Location">Where it committed (chain/height/index).</param>
public sealed record PaymentResult(string Location);
