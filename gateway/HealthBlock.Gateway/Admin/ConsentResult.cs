namespace HealthBlock.Gateway.Admin;

/// <summary>A committed consent change.</summary>
/// <param name="Location">Where it committed (chain/height/index).</param>
public sealed record ConsentResult(string Location);
