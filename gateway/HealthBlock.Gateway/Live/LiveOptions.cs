namespace HealthBlock.Gateway.Live;

/// <summary>
/// The live path (docs/design-notes/ledger-growth.md): the gateway seals the frames it journalled into a live sub-batch
/// every <see cref="SealInterval"/>, publishes it at once with QoS 0 on <c>hb/live/&lt;patient&gt;</c>, and once per
/// <see cref="Period"/> commits the period's sub-batches with one IoT transaction (a Merkle root over their hashes and the
/// CID of the stored bundle).
/// </summary>
public sealed record LiveOptions
{
    /// <summary>
    /// The longest journalled frames wait to be sealed into a live sub-batch and published (default 1 s); with
    /// <see cref="SealOnWrite"/> they are normally sealed at once.
    /// </summary>
    public TimeSpan SealInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Seal as soon as frames are journalled (default true): a reading leaves for the doctors within the journal's
    /// group commit, not up to a whole <see cref="SealInterval"/> later. A sub-batch then holds what one commit group
    /// journalled (one frame per wearable and second at a patient's rates); false seals only every interval.
    /// </summary>
    public bool SealOnWrite { get; init; } = true;

    /// <summary>The IoT period: one IoT transaction commits the sub-batches of about this long (default 60 s).</summary>
    public TimeSpan Period { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The broker (mqtt://host:port) to publish live sub-batches on; null publishes on the gateway's own broker (the
    /// embedded one, which then accepts subscriptions to <c>hb/live/…</c> only, or the external one it ingests from).
    /// </summary>
    public Uri? Broker { get; init; }

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An interval is not positive, or the period is shorter than the seal interval.</exception>
    public void Validate()
    {
        if (SealInterval <= TimeSpan.Zero || Period < SealInterval)
        {
            throw new ArgumentException($"The live seal interval ({SealInterval}) must be positive and the IoT period ({Period}) at least as long.");
        }

        if (Broker is { } b && b.Scheme is not ("mqtt" or "tcp"))
        {
            throw new ArgumentException($"Live broker '{b}' must be mqtt://host:port.");
        }
    }
}
