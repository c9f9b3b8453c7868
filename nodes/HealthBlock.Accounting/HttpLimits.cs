namespace HealthBlock.Accounting;

/// <summary>
/// Bounds on what a client can make the ledger HTTP API hold: connections (in all and per source address), request
/// rate per source address, header and idle time. Bodies are bounded by the largest transaction and refused before
/// they are buffered. Each hit is counted (<see cref="AccountingNode.HttpLimitHits"/>) and alerted, summarised.
/// </summary>
public sealed class HttpLimits
{
    /// <summary>Most open connections (Kestrel's limit; one beyond is closed at once).</summary>
    public int MaxConnections { get; init; } = 2048;

    /// <summary>Most open connections from one IP address (a flood from one host cannot take the others' slots).</summary>
    public int MaxConnectionsPerSource { get; init; } = 128;

    /// <summary>Requests per second one IP address may make, sustained (a token bucket refilled every 100 ms).</summary>
    public int RequestsPerSecondPerSource { get; init; } = 1000;

    /// <summary>Requests one IP address may make at once above the sustained rate (the bucket's size).</summary>
    public int RequestBurstPerSource { get; init; } = 2000;

    /// <summary>How long a connection may stay idle between requests.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a client may take to send a request's headers.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Limits for a cluster whose every client shares one address (devnet and tests on loopback).</summary>
    public static HttpLimits SharedLoopback { get; } = new()
    {
        MaxConnections = 16_384,
        MaxConnectionsPerSource = 16_384,
        RequestsPerSecondPerSource = 1_000_000,
        RequestBurstPerSource = 1_000_000,
    };

    /// <summary>Throws <see cref="InvalidOperationException"/> naming the first limit out of range.</summary>
    public void Validate()
    {
        if (MaxConnections < 1 || MaxConnectionsPerSource < 1 || MaxConnectionsPerSource > MaxConnections)
        {
            throw new InvalidOperationException($"HTTP connection limits: at least 1, per source ({MaxConnectionsPerSource}) at most the total ({MaxConnections}).");
        }

        if (RequestsPerSecondPerSource < 1 || RequestBurstPerSource < 1)
        {
            throw new InvalidOperationException("HTTP request rate and burst per source must be at least 1.");
        }

        if (KeepAliveTimeout <= TimeSpan.Zero || RequestHeadersTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException("HTTP keep-alive and header timeouts must be positive.");
        }
    }
}
