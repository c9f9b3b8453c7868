using System.Buffers.Binary;
using HealthBlock.Analysis;
using HealthBlock.Crypto;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Doctor.Tests;

public sealed class SealedDiagnosisTests : IDisposable
{
    private readonly IdentityKey _patient = IdentityKey.Generate();
    private readonly IdentityKey _doctor = IdentityKey.Generate();
    private readonly byte[] _key = Aead.NewKey();

    public void Dispose()
    {
        _patient.Dispose();
        _doctor.Dispose();
    }

    private DiagnosisDocument Document(ulong number = 42, uint epoch = 3, IReadOnlyList<string>? covers = null) => new()
    {
        Kind = DiagnosisKinds.AutomatedScreening,
        Patient = _patient.Id.ToString(),
        Doctor = _doctor.Id.ToString(),
        Epoch = epoch,
        Number = number,
        Covers = covers ?? [new string('a', 64)],
        WindowStartMs = 1_000,
        WindowEndMs = 2_000,
        Label = DiagnosisDocument.AutomatedScreeningLabel,
        Disclaimer = AlgorithmInfo.ScreeningDisclaimer,
        Analysis = AnalysisReport.Create([TemperatureClassifier.Analyze(3850, new TimeWindow(0.5, 0.5))]),
    };

    [Fact]
    public void A_sealed_document_opens_with_its_key_patient_doctor_and_epoch()
    {
        var document = Document();
        var sealedDocument = SealedDiagnosis.Seal(document, _key);

        var opened = SealedDiagnosis.Open(sealedDocument, _key, _patient.Id, _doctor.Id, 3);

        Assert.Equal(document.ToJson(), opened.ToJson());
        Assert.Equal(FindingKind.Fever, Assert.Single(opened.Analysis!.Findings).Kind);
    }

    [Fact]
    public void The_nonce_is_DIAG_and_the_diagnosis_number()
    {
        var sealedDocument = SealedDiagnosis.Seal(Document(number: 0x0102030405060708), _key);

        Assert.Equal("DIAG"u8.ToArray(), sealedDocument[..4]);
        Assert.Equal(0x0102030405060708UL, BinaryPrimitives.ReadUInt64BigEndian(sealedDocument.AsSpan(4)));
        Assert.Equal(Document().ToUtf8Json().Length + Aead.Overhead, SealedDiagnosis.Seal(Document(), _key).Length);
    }

    [Fact]
    public void Another_patient_doctor_epoch_key_or_a_flipped_bit_fails_authentication()
    {
        var sealedDocument = SealedDiagnosis.Seal(Document(), _key);

        Assert.Throws<CryptoException>(() => SealedDiagnosis.Open(sealedDocument, _key, _doctor.Id, _doctor.Id, 3));
        Assert.Throws<CryptoException>(() => SealedDiagnosis.Open(sealedDocument, _key, _patient.Id, _patient.Id, 3));
        Assert.Throws<CryptoException>(() => SealedDiagnosis.Open(sealedDocument, _key, _patient.Id, _doctor.Id, 4));
        Assert.Throws<CryptoException>(() => SealedDiagnosis.Open(sealedDocument, Aead.NewKey(), _patient.Id, _doctor.Id, 3));
        sealedDocument[^20] ^= 1;
        Assert.Throws<CryptoException>(() => SealedDiagnosis.Open(sealedDocument, _key, _patient.Id, _doctor.Id, 3));
    }

    [Fact]
    public void A_document_that_disagrees_with_its_nonce_is_refused()
    {
        var document = Document(number: 5);
        var wrongNonce = Aead.Seal(_key, AeadNonce.For(AeadNonce.Purpose.Diagnosis, 6), document.ToUtf8Json(), SealedDiagnosis.Aad(_patient.Id, _doctor.Id, 3));

        Assert.Throws<ProtocolException>(() => SealedDiagnosis.Open(wrongNonce, _key, _patient.Id, _doctor.Id, 3));
    }

    [Fact]
    public void Opening_against_a_transaction_checks_what_it_covers()
    {
        var covered = new byte[32];
        covered[0] = 0xaa;
        var document = Document(covers: [Convert.ToHexStringLower(covered)]);
        var sealedDocument = SealedDiagnosis.Seal(document, _key);
        var cid = Cid.Compute(sealedDocument);
        Transaction Tx(byte[] covers) => Transaction.Sign(new TransactionBody(UncheckedNetwork.Id, _doctor.Id, 1, 0, new DiagnosisPayload(_patient.Id, 3, cid, [covers], 1_000, 2_000, null)), _doctor);

        Assert.Equal(42UL, SealedDiagnosis.Open(sealedDocument, _key, Tx(covered)).Number);
        var other = (byte[])covered.Clone();
        other[1] = 1;
        Assert.Throws<ProtocolException>(() => SealedDiagnosis.Open(sealedDocument, _key, Tx(other)));
    }
}
