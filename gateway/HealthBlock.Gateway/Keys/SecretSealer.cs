using System.Text;
using HealthBlock.Crypto;
using HealthBlock.Gateway.Store;

namespace HealthBlock.Gateway.Keys;

/// <summary>
/// Encrypts the gateway's secrets at rest (device keys, IoT keys, diagnosis keys): AES-256-GCM under a random local
/// key that is itself stored only as an envelope sealed to the patient's own encryption key, so the database alone
/// reveals nothing without the patient's key file and passphrase.
/// </summary>
public sealed class SecretSealer
{
    /// <summary>The meta entry holding the local key's envelope.</summary>
    internal const string MetaName = "local_key_envelope";
    private readonly byte[] _key;

    private SecretSealer(byte[] key) => _key = key;

    /// <summary>
    /// Opens the store's local key with the patient's identity, creating it on first use. One sealer per store: a second
    /// call checks the identity and gives back the first sealer, which also seals the journal's frames (<see cref="FrameSeal"/>).
    /// </summary>
    public static SecretSealer Open(GatewayStore store, IdentityKey patient)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(patient);
        var envelope = store.Meta.Get(MetaName)
            ?? store.Meta.GetOrAdd(MetaName, Envelope.Seal(patient.Public, 0, EnvelopePurpose.LocalKey, Aead.NewKey()));
        return store.UseSealer(new SecretSealer(Envelope.Open(patient, 0, EnvelopePurpose.LocalKey, envelope)));
    }

    /// <summary>Seals a secret; <paramref name="label"/> (e.g. "device:00ab…") is bound as AAD.</summary>
    public byte[] Seal(ReadOnlySpan<byte> secret, string label) =>
        Aead.Seal(_key, AeadNonce.RandomAtRest(), secret, Encoding.UTF8.GetBytes(label));

    /// <summary>Opens a sealed secret; a wrong label or altered bytes fail with <see cref="CryptoException"/>.</summary>
    public byte[] Open(ReadOnlySpan<byte> sealedSecret, string label) =>
        Aead.Open(_key, sealedSecret, Encoding.UTF8.GetBytes(label));
}
