namespace HealthBlock.Accounting;

/// <summary>How often each <see cref="HttpLimits"/> bound was hit since the node started.</summary>
/// <param name="ConnectionsRefused">Connections closed at once: over the total or the per-source limit.</param>
/// <param name="RequestsThrottled">Requests answered 429: over the per-source rate.</param>
/// <param name="BodiesRefused">Requests answered 413: a body larger than any transaction, refused before buffering.</param>
public sealed record HttpLimitHits(long ConnectionsRefused, long RequestsThrottled, long BodiesRefused);
