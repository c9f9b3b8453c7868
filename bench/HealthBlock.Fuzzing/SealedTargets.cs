using System.Text;
using System.Text.Json;
using HealthBlock.Crypto;
using HealthBlock.Doctor;
using HealthBlock.Protocol.Content;

namespace HealthBlock.Fuzz;

/// <summary>
/// The fuzz targets behind keys: IoT batches and diagnosis documents sealed with AES-GCM (as received, and with the
/// mutated plaintext sealed properly so the mutation reaches the decoder behind the cipher), key envelopes, raw AES-GCM,
/// diagnosis JSON and encrypted key files.
/// </summary>
internal static class SealedTargets
{
    /// <summary>The targets, in report order, seeded from <paramref name="t"/>.</summary>
    public static IEnumerable<FuzzTarget> Create(HealthBlockTargets t, IReadOnlyList<byte[]> batches, IReadOnlyList<byte[]> documents, Protocol.Ledger.Transaction diagnosisTx) =>
    [
        new()
        {
            Name = "iotbatch.open",
            Decoder = "IotBatch.Open",
            Seeds = [.. batches.Select(b => t.SealBatch(b))],
            Shape = InputShape.Binary,
            Expected = HealthBlockTargets.ProtocolOrCrypto,
            MaxRandomLength = 1200,
            Run = input =>
            {
                IotBatch.Open(input, t.IotKey, t.Patient.Id, HealthBlockTargets.Epoch, HealthBlockTargets.BatchNumber);
                return FuzzOutcome.Accepted;
            },
        },
        new()
        {
            // The mutated plaintext is sealed under the right key and AAD, so the mutation reaches the decoder behind AES-GCM.
            Name = "iotbatch.open-plaintext",
            Decoder = "IotBatch.Open (mutated plaintext, sealed)",
            Seeds = batches,
            Shape = InputShape.Cbor,
            Expected = HealthBlockTargets.ProtocolOrCrypto,
            MaxRandomLength = 1200,
            Run = input =>
            {
                var batch = IotBatch.Open(t.SealBatch(input), t.IotKey, t.Patient.Id, HealthBlockTargets.Epoch, HealthBlockTargets.BatchNumber);
                HealthBlockTargets.Require(batch.Encode().AsSpan().SequenceEqual(input), "an opened IoT batch re-encodes to other bytes");
                return FuzzOutcome.Accepted;
            },
        },
        new()
        {
            Name = "livebatch.open",
            Decoder = "LiveBatch.Open",
            Seeds = [.. t.MakeLiveBatches()],
            Shape = InputShape.Binary,
            Expected = HealthBlockTargets.ProtocolOrCrypto,
            MaxRandomLength = 1200,
            Run = input =>
            {
                var batch = LiveBatch.Open(input, t.IotKey, t.Patient.Id, HealthBlockTargets.Epoch);
                HealthBlockTargets.Require(batch.Sequence == LiveBatch.SequenceOf(input), "an opened live sub-batch names another sequence than its nonce");
                return FuzzOutcome.Accepted;
            },
        },
        new()
        {
            // The mutated plaintext is sealed under the right key and AAD, so the mutation reaches the decoder behind AES-GCM.
            Name = "livebatch.open-plaintext",
            Decoder = "LiveBatch.Open (mutated plaintext, sealed)",
            Seeds = [.. t.MakeLiveBatches().Select(b => LiveBatch.Open(b, t.IotKey, t.Patient.Id, HealthBlockTargets.Epoch).Encode())],
            Shape = InputShape.Cbor,
            Expected = HealthBlockTargets.ProtocolOrCrypto,
            MaxRandomLength = 1200,
            Run = input =>
            {
                var batch = LiveBatch.Open(t.SealLive(input), t.IotKey, t.Patient.Id, HealthBlockTargets.Epoch);
                HealthBlockTargets.Require(batch.Encode().AsSpan().SequenceEqual(input), "an opened live sub-batch re-encodes to other bytes");
                return FuzzOutcome.Accepted;
            },
        },
        new()
        {
            Name = "envelope.open",
            Decoder = "Envelope.Open",
            Seeds =
            [
                Envelope.Seal(t.Doctor.Public, HealthBlockTargets.Epoch, EnvelopePurpose.IotKey, t.IotKey),
                Envelope.Seal(t.Doctor.Public, HealthBlockTargets.Epoch, EnvelopePurpose.DiagnosisKey, t.DiagnosisKey),
                Envelope.Seal(t.Doctor.Public, HealthBlockTargets.Epoch, EnvelopePurpose.IotKey, []),
                Envelope.Seal(t.Patient.Public, HealthBlockTargets.Epoch, EnvelopePurpose.IotKey, t.IotKey),
            ],
            Shape = InputShape.Binary,
            Expected = HealthBlockTargets.Crypto,
            MaxRandomLength = 200,
            Run = input =>
            {
                Envelope.Open(t.Doctor, HealthBlockTargets.Epoch, EnvelopePurpose.IotKey, input);
                return FuzzOutcome.Accepted;
            },
        },
        new()
        {
            Name = "aead.open",
            Decoder = "Aead.Open",
            Seeds =
            [
                Aead.Seal(t.AeadKey, AeadNonce.For(AeadNonce.Purpose.Batch, 1), [], t.Aad),
                Aead.Seal(t.AeadKey, AeadNonce.For(AeadNonce.Purpose.Diagnosis, 2), t.Bytes(1), t.Aad),
                Aead.Seal(t.AeadKey, AeadNonce.For(AeadNonce.Purpose.AtRest, 3), t.Bytes(100), t.Aad),
                Aead.Seal(t.AeadKey, AeadNonce.RandomAtRest(), t.Bytes(1000), t.Aad),
            ],
            Shape = InputShape.Binary,
            Expected = HealthBlockTargets.Crypto,
            MaxRandomLength = 200,
            Run = input =>
            {
                Aead.Open(t.AeadKey, input, t.Aad);
                return FuzzOutcome.Accepted;
            },
        },
        new()
        {
            Name = "diagnosis.fromjson",
            Decoder = "DiagnosisDocument.FromJson",
            Seeds = documents,
            Shape = InputShape.Json,
            Expected = [typeof(JsonException)],
            MaxRandomLength = 400,
            Run = input =>
            {
                DiagnosisDocument.FromJson(input);
                return FuzzOutcome.Accepted;
            },
        },
        new()
        {
            Name = "diagnosis.open",
            Decoder = "SealedDiagnosis.Open",
            Seeds = [.. documents.Select(t.SealDocument)],
            Shape = InputShape.Binary,
            Expected = HealthBlockTargets.ProtocolOrCrypto,
            MaxRandomLength = 400,
            Run = input =>
            {
                SealedDiagnosis.Open(input, t.DiagnosisKey, t.Patient.Id, t.Doctor.Id, HealthBlockTargets.Epoch);
                return FuzzOutcome.Accepted;
            },
        },
        new()
        {
            // What the patient's reader does with a document an authorised doctor sealed: the doctor holds the key,
            // so the plaintext is the doctor's to choose.
            Name = "diagnosis.open-plaintext",
            Decoder = "SealedDiagnosis.Open(…, Transaction) (mutated plaintext, sealed)",
            Seeds = documents,
            Shape = InputShape.Json,
            Expected = HealthBlockTargets.ProtocolOrCrypto,
            MaxRandomLength = 400,
            Run = input =>
            {
                SealedDiagnosis.Open(t.SealDocument(input), t.DiagnosisKey, diagnosisTx);
                return FuzzOutcome.Accepted;
            },
        },
        new()
        {
            // Key files exported with 1 PBKDF2 iteration so that each input is cheap; the mutations can raise it.
            Name = "keyfile.import",
            Decoder = "KeyFile.Import",
            Seeds =
            [
                Encoding.UTF8.GetBytes(KeyFile.Export(t.Patient, "patient", HealthBlockTargets.Passphrase, iterations: 1)),
                Encoding.UTF8.GetBytes(KeyFile.Export(t.Doctor, "doctor", HealthBlockTargets.Passphrase, iterations: 2)),
            ],
            Shape = InputShape.Pem,
            Expected = HealthBlockTargets.Crypto,
            MaxRandomLength = 400,
            Run = input =>
            {
                using var key = KeyFile.Import(Encoding.UTF8.GetString(input), HealthBlockTargets.Passphrase);
                return FuzzOutcome.Accepted;
            },
        },
    ];
}
