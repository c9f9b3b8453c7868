namespace HealthBlock.Gateway.Admin;

/// <summary>Opt in to (or out of) a statistics identity's cohort statistics.</summary>
/// <param name="Statistics">The statistics identity's id.</param>
/// <param name="OptIn">True to opt in, false to opt out (from the next period).</param>
public sealed record ConsentRequest(string Statistics, bool OptIn);
