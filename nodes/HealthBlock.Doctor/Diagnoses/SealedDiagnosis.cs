using System.Buffers.Binary;
using System.Text.Json;
using HealthBlock.Crypto;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor;

/// <summary>
/// How a <see cref="DiagnosisDocument"/> is encrypted: AES-256-GCM under the diagnosis key that the patient issued to
/// the doctor (the <c>DiagnosisKey</c> envelope of the key transaction, also in the patient's gateway), with
/// <list type="bullet">
/// <item>nonce <c>"DIAG" ‖ number (u64 BE)</c> (<see cref="AeadNonce.Purpose.Diagnosis"/>), where number is the doctor's
/// persisted diagnosis counter, never reused by that doctor (so never under one key);</item>
/// <item>AAD <c>"HBD1" ‖ patient id (20) ‖ doctor id (20) ‖ epoch (u32 BE)</c>, so a ciphertext cannot be passed off
/// for another patient, doctor or epoch;</item>
/// <item>plaintext the UTF-8 JSON of the document (<see cref="DiagnosisDocument.ToUtf8Json"/>).</item>
/// </list>
/// The stored block is the sealed message <c>nonce (12) ‖ ciphertext ‖ tag (16)</c> (<see cref="Aead"/>), at most
/// 1 MiB; the diagnosis transaction carries its CID. To read one, the patient takes the doctor (the transaction's
/// signer), the payload's patient and epoch, and the doctor's diagnosis key, and calls
/// <see cref="Open(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Transaction)"/>.
/// </summary>
public static class SealedDiagnosis
{
    /// <summary>Largest sealed document (the content-store block limit).</summary>
    public const int MaxSealedSize = 1024 * 1024;

    /// <summary>The AAD binding a sealed diagnosis to its patient, doctor and epoch.</summary>
    public static byte[] Aad(IdentityId patient, IdentityId doctor, uint epoch)
    {
        var aad = new byte[4 + (2 * IdentityId.Size) + 4];
        "HBD1"u8.CopyTo(aad);
        patient.Bytes.CopyTo(aad.AsSpan(4));
        doctor.Bytes.CopyTo(aad.AsSpan(4 + IdentityId.Size));
        BinaryPrimitives.WriteUInt32BigEndian(aad.AsSpan(4 + (2 * IdentityId.Size)), epoch);
        return aad;
    }

    /// <summary>Seals a document under the diagnosis key with nonce <c>DIAG ‖ document.Number</c>.</summary>
    /// <exception cref="ArgumentException">The document's ids are malformed or it does not fit a block.</exception>
    public static byte[] Seal(DiagnosisDocument document, ReadOnlySpan<byte> diagnosisKey)
    {
        ArgumentNullException.ThrowIfNull(document);
        if (!IdentityId.TryParse(document.Patient, out var patient) || !IdentityId.TryParse(document.Doctor, out var doctor))
        {
            throw new ArgumentException("The document's patient and doctor must be identity ids.", nameof(document));
        }

        var plaintext = document.ToUtf8Json();
        if (plaintext.Length + Aead.Overhead > MaxSealedSize)
        {
            throw new ArgumentException($"A diagnosis document of {plaintext.Length} bytes does not fit one {MaxSealedSize}-byte block.", nameof(document));
        }

        return Aead.Seal(diagnosisKey, AeadNonce.For(AeadNonce.Purpose.Diagnosis, document.Number), plaintext, Aad(patient, doctor, document.Epoch));
    }

    /// <summary>
    /// Verifies and decrypts a sealed document, and checks that it names the given patient, doctor and epoch and
    /// that its number is the nonce counter it was sealed with.
    /// </summary>
    /// <exception cref="CryptoException">Wrong key, patient, doctor or epoch, or altered bytes.</exception>
    /// <exception cref="ProtocolException">The plaintext is not a diagnosis document or disagrees with its sealing.</exception>
    public static DiagnosisDocument Open(ReadOnlySpan<byte> sealedDocument, ReadOnlySpan<byte> diagnosisKey, IdentityId patient, IdentityId doctor, uint epoch)
    {
        var plaintext = Aead.Open(diagnosisKey, sealedDocument, Aad(patient, doctor, epoch));
        var fixedField = BinaryPrimitives.ReadUInt32BigEndian(sealedDocument);
        var counter = BinaryPrimitives.ReadUInt64BigEndian(sealedDocument[4..]);
        if (fixedField != (uint)AeadNonce.Purpose.Diagnosis)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "The sealed diagnosis does not use a DIAG nonce.");
        }

        DiagnosisDocument document;
        try
        {
            document = DiagnosisDocument.FromJson(plaintext);
        }
        catch (JsonException e)
        {
            throw new ProtocolException(ProtocolError.InvalidField, $"The sealed diagnosis is not a diagnosis document: {e.Message}", e);
        }

        if (document.Patient != patient.ToString() || document.Doctor != doctor.ToString() || document.Epoch != epoch || document.Number != counter)
        {
            throw new ProtocolException(ProtocolError.InvalidField, "The diagnosis document names another patient, doctor, epoch or number than its sealing.");
        }

        return document;
    }

    /// <summary>
    /// Opens the document a committed diagnosis transaction points to (fetched by its CID) and checks that it agrees
    /// with the transaction: signer, patient, epoch, covered transactions, window and followed diagnosis.
    /// </summary>
    /// <exception cref="ArgumentException">The transaction is not a diagnosis.</exception>
    /// <exception cref="CryptoException">Wrong key or altered bytes.</exception>
    /// <exception cref="ProtocolException">The document disagrees with the transaction.</exception>
    public static DiagnosisDocument Open(ReadOnlySpan<byte> sealedDocument, ReadOnlySpan<byte> diagnosisKey, Transaction diagnosisTransaction)
    {
        ArgumentNullException.ThrowIfNull(diagnosisTransaction);
        if (diagnosisTransaction.Body.Payload is not DiagnosisPayload p)
        {
            throw new ArgumentException("Not a diagnosis transaction.", nameof(diagnosisTransaction));
        }

        var document = Open(sealedDocument, diagnosisKey, p.Patient, diagnosisTransaction.Body.Signer, p.Epoch);
        var covers = p.Covers.Select(Convert.ToHexStringLower).Order(StringComparer.Ordinal);
        if (!covers.SequenceEqual(document.Covers.Order(StringComparer.Ordinal), StringComparer.Ordinal)
            || document.WindowStartMs != p.WindowStartMs
            || document.WindowEndMs != p.WindowEndMs
            || document.Follows != (p.Follows is null ? null : Convert.ToHexStringLower(p.Follows)))
        {
            throw new ProtocolException(ProtocolError.InvalidField, "The diagnosis document disagrees with its transaction (covered transactions, window or followed diagnosis).");
        }

        return document;
    }
}
