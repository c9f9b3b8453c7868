using System.Text;
using HealthBlock.Crypto;

namespace HealthBlock.Doctor.Storage;

/// <summary>
/// Encrypts the doctor's patient keys at rest: AES-256-GCM (random <c>REST</c> nonces) under a random local key that
/// is stored only as an envelope sealed to the doctor's own encryption key (purpose <see cref="EnvelopePurpose.LocalKey"/>,
/// epoch 0), so the database alone reveals no key without the doctor's key file and passphrase. Each secret's label
/// (what it is, for which patient and epoch) is its AAD, so sealed keys cannot be swapped between rows.
/// </summary>
internal sealed class LocalSealer
{
    private const string EnvelopeName = "local_key_envelope";
    private const string OwnerName = "doctor_id";
    private readonly byte[] _key;

    private LocalSealer(byte[] key) => _key = key;

    /// <summary>Opens the database's local key with the doctor's identity, creating it on first use.</summary>
    /// <exception cref="InvalidOperationException">The data folder belongs to another doctor, or its local key envelope does not open (altered).</exception>
    public static LocalSealer Open(DoctorDatabase database, IdentityKey doctor)
    {
        var owner = database.Counters.GetMeta(OwnerName);
        if (owner is not null && Encoding.ASCII.GetString(owner) != doctor.Id.ToString())
        {
            throw new InvalidOperationException($"This data folder belongs to doctor {Encoding.ASCII.GetString(owner)}, not to {doctor.Id}.");
        }

        var envelope = database.Counters.GetMeta(EnvelopeName);
        if (envelope is null)
        {
            var key = Aead.NewKey();
            if (database.Counters.SetMetaIfAbsent(EnvelopeName, Envelope.Seal(doctor.Public, 0, EnvelopePurpose.LocalKey, key)))
            {
                database.Counters.SetMetaIfAbsent(OwnerName, Encoding.ASCII.GetBytes(doctor.Id.ToString()));
                return new LocalSealer(key);
            }

            // Another process created it first.
            envelope = database.Counters.GetMeta(EnvelopeName)!;
        }

        try
        {
            return new LocalSealer(Envelope.Open(doctor, 0, EnvelopePurpose.LocalKey, envelope));
        }
        catch (CryptoException e)
        {
            throw new InvalidOperationException($"The local key envelope of this data folder does not open with doctor {doctor.Id}'s key: sealed to another key or altered at rest ({e.Message}).", e);
        }
    }

    /// <summary>Seals a secret under its label.</summary>
    public byte[] Seal(ReadOnlySpan<byte> secret, string label) =>
        Aead.Seal(_key, AeadNonce.RandomAtRest(), secret, Encoding.UTF8.GetBytes(label));

    /// <summary>Opens a sealed secret; a wrong label or altered bytes fail with <see cref="CryptoException"/>.</summary>
    public byte[] Open(ReadOnlySpan<byte> sealedSecret, string label) =>
        Aead.Open(_key, sealedSecret, Encoding.UTF8.GetBytes(label));
}
