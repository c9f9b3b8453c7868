using System.Security.Cryptography.X509Certificates;
using HealthBlock.Gateway.Mqtt;

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
    /// The broker to publish live sub-batches on: <c>mqtts://host:port</c> (TLS, validated against
    /// <see cref="BrokerAuthority"/>) or <c>mqtt://host:port</c> (plaintext, an explicit opt-out); null publishes on the
    /// gateway's own broker (the embedded one, which then accepts subscriptions to <c>hb/live/…</c> only, or the external
    /// one it ingests from).
    /// </summary>
    public Uri? Broker { get; init; }

    /// <summary>The one CA a <c>mqtts://</c> <see cref="Broker"/>'s certificate must chain to (null for plaintext).</summary>
    public X509Certificate2? BrokerAuthority { get; init; }

    /// <summary>The link to <see cref="Broker"/>: TLS trusting <see cref="BrokerAuthority"/> alone, or plaintext without one.</summary>
    /// <exception cref="ArgumentException">No broker, or its scheme does not match the presence of an authority.</exception>
    public ExternalBrokerLink BrokerLink() => Broker is not { } broker
        ? throw new ArgumentException("The live options name no broker of their own.")
        : BrokerAuthority is { } authority ? ExternalBrokerLink.Tls(broker, authority, null, null) : ExternalBrokerLink.Plaintext(broker);

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An interval is not positive, the period is shorter than the seal interval, or the broker's scheme does not match its CA (mqtts:// with one, mqtt:// without).</exception>
    public void Validate()
    {
        if (SealInterval <= TimeSpan.Zero || Period < SealInterval)
        {
            throw new ArgumentException($"The live seal interval ({SealInterval}) must be positive and the IoT period ({Period}) at least as long.");
        }

        if (Broker is { } b && (BrokerAuthority is null ? b.Scheme is not ("mqtt" or "tcp") : !ExternalBrokerLink.IsTlsUrl(b)))
        {
            throw new ArgumentException(BrokerAuthority is null
                ? $"Live broker '{b}' must be mqtt://host:port (or mqtts://host:port with the CA it must chain to)."
                : $"Live broker '{b}' must be mqtts://host:port when a CA is given.");
        }
    }
}
