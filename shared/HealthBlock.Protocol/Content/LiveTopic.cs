using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Content;

/// <summary>
/// The MQTT topic a patient's gateway publishes its sealed live sub-batches on: <c>hb/live/&lt;patient id&gt;</c>, QoS 0,
/// the payload exactly the sealed bytes of one <see cref="LiveBatch"/> (its hash is the SHA-256 of the payload). It never
/// matches a device filter <c>hb/&lt;patient&gt;/+/+</c> (one level fewer), and a patient id (base32, 32+ characters) is never "live".
/// </summary>
public static class LiveTopic
{
    /// <summary>The topic prefix.</summary>
    public const string Prefix = "hb/live/";

    /// <summary>The live topic of <paramref name="patient"/>.</summary>
    public static string For(IdentityId patient) => Prefix + patient;

    /// <summary>The patient a live topic names, or null when <paramref name="topic"/> is not a live topic.</summary>
    public static IdentityId? PatientOf(string topic)
    {
        if (topic is null || !topic.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        return IdentityId.TryParse(topic[Prefix.Length..], out var id) ? id : null;
    }
}
