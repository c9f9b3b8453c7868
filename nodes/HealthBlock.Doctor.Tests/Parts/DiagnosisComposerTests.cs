using HealthBlock.Analysis;
using HealthBlock.Crypto;
using HealthBlock.Doctor.Diagnosing;
using HealthBlock.Doctor.Storage;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Doctor.Tests;

/// <summary>
/// Writing and sealing the automated diagnosis (<see cref="DiagnosisComposer"/>), the patient's ECG context it reads
/// with (<see cref="EcgContext"/>), and the numbers it is sealed under (<see cref="DiagnosisNumbers"/>).
/// </summary>
public sealed class DiagnosisComposerTests : IDisposable
{
    private readonly DoctorParts _parts = new();
    private readonly IdentityKey _patient = IdentityKey.Generate();
    private readonly byte[] _diagnosisKey = Aead.NewKey();
    private readonly byte[] _deviceKey = Aead.NewKey();
    private uint _sequence;

    public void Dispose()
    {
        _patient.Dispose();
        _parts.Dispose();
    }

    [Fact]
    public void The_document_covers_the_batches_in_id_order_with_their_window_and_opens_only_for_its_patient_doctor_and_epoch()
    {
        var composer = Composer(TimeSpan.Zero);
        var late = Opened("bb", 5_000, 6_000, Temperature(3850, 5_200));
        var early = Opened("aa", 3_000, 4_000, Temperature(3650, 3_100));

        var composed = composer.Compose(_patient.Id, 4, [late, early], _diagnosisKey);

        Assert.Equal([early.Item.TxId, late.Item.TxId], composed.Covers);
        Assert.Equal((3_000L, 6_000L, 3_100L), (composed.WindowStartMs, composed.WindowEndMs, composed.EarliestReadingMs));
        var document = SealedDiagnosis.Open(composed.SealedDocument, _diagnosisKey, _patient.Id, _parts.Doctor.Id, 4);
        Assert.Equal(DiagnosisKinds.AutomatedScreening, document.Kind);
        Assert.Equal(composed.Number, document.Number);
        Assert.Equal(composed.Covers, document.Covers);
        Assert.Equal(2, document.Frames!.Temperature);
        Assert.Contains(document.Analysis!.Findings, f => f.Kind == FindingKind.Fever && f.Window!.StartSeconds == 2.2);
        Assert.ThrowsAny<CryptoException>(() => SealedDiagnosis.Open(composed.SealedDocument, _diagnosisKey, _patient.Id, _parts.Doctor.Id, 5));

        var payload = composed.ToPayload(_patient.Id, 4, HealthBlock.Protocol.Content.Cid.Compute(composed.SealedDocument));
        Assert.Equal(composed.Covers, payload.Covers.Select(Convert.ToHexStringLower));
        Assert.Null(payload.Follows);
    }

    [Fact]
    public void Each_diagnosis_gets_the_next_number_and_a_restart_skips_the_rest_of_the_reserved_block()
    {
        var numbers = new DiagnosisNumbers(_parts.Db.Counters, blockSize: 4);
        Assert.Equal([1UL, 2, 3, 4, 5], Enumerable.Range(0, 5).Select(_ => numbers.Next()));

        var afterRestart = new DiagnosisNumbers(_parts.Db.Counters, blockSize: 4);
        Assert.Equal(9UL, afterRestart.Next());
        Assert.Equal(13UL, _parts.Db.Counters.Reserve(CounterTable.DiagnosisNumber, 1));
    }

    [Fact]
    public void The_ecg_context_prepends_the_patients_preceding_ecg_only_and_keeps_no_more_than_its_length()
    {
        var context = new EcgContext(TimeSpan.FromSeconds(2));
        var first = new[] { Ecg(0), Ecg(1_000), Ecg(2_000), Temperature(3700, 2_500) };
        Assert.Equal(first.Select(f => f.TimestampMs), context.With(_patient.Id, first).Select(f => f.TimestampMs));

        var next = context.With(_patient.Id, [Ecg(3_000)]);
        Assert.Equal([1_000L, 2_000, 3_000], next.Select(f => f.TimestampMs));

        using var other = IdentityKey.Generate();
        Assert.Single(context.With(other.Id, [Ecg(3_000)]));
        Assert.Single(new EcgContext(TimeSpan.Zero).With(_patient.Id, [Ecg(4_000)]));
    }

    [Fact]
    public void A_short_ecg_batch_gets_a_rhythm_analysis_from_the_context_of_the_batches_before()
    {
        var signal = Signals.EcgMicrovolts(12);
        var composer = Composer(TimeSpan.FromSeconds(10));
        var rhythm = new List<bool>();
        for (var s = 0; s < 12; s++)
        {
            var frame = DeviceFrame.Decode(TestDevice.Frame(0xec, _deviceKey, _sequence++, SensorKind.Ecg, Signals.Second(signal, s), s * 1000L, 250_000));
            var composed = composer.Compose(_patient.Id, 1, [Opened("s" + s, s * 1000L, (s + 1) * 1000L, frame)], _diagnosisKey);
            Assert.Single(composed.Covers);
            var findings = SealedDiagnosis.Open(composed.SealedDocument, _diagnosisKey, _patient.Id, _parts.Doctor.Id, 1).Analysis!.Findings;
            rhythm.Add(findings.Any(f => f.Kind == FindingKind.HeartRateSummary));
        }

        Assert.False(rhythm[0]);
        Assert.True(rhythm[^1]);

        // Without the context the same one-second batch is too short for a rhythm analysis.
        var alone = Composer(TimeSpan.Zero).Compose(_patient.Id, 1, [Opened("alone", 11_000, 12_000, DeviceFrame.Decode(TestDevice.Frame(0xec, _deviceKey, _sequence++, SensorKind.Ecg, Signals.Second(signal, 11), 11_000, 250_000)))], _diagnosisKey);
        Assert.DoesNotContain(SealedDiagnosis.Open(alone.SealedDocument, _diagnosisKey, _patient.Id, _parts.Doctor.Id, 1).Analysis!.Findings, f => f.Kind == FindingKind.HeartRateSummary);
    }

    private DiagnosisComposer Composer(TimeSpan ecgContext) =>
        new(_parts.Doctor.Id, new DiagnosisNumbers(_parts.Db.Counters), new EcgContext(ecgContext), new BatchAnalysisOptions(), TimeProvider.System);

    private OpenedBatch Opened(string txId, long startMs, long endMs, params DeviceFrame[] frames) =>
        new(new IotItem(txId, 1, _patient.Id, 1, 1, HealthBlock.Protocol.Content.Cid.Compute([1]), startMs, endMs), frames, null, null);

    private DeviceFrame Temperature(short centiCelsius, long timeMs) =>
        DeviceFrame.Decode(TestDevice.Frame(0xe1, _deviceKey, _sequence++, SensorKind.Temperature, [centiCelsius], timeMs, 100));

    private DeviceFrame Ecg(long timeMs) =>
        DeviceFrame.Decode(TestDevice.Frame(0xec, _deviceKey, _sequence++, SensorKind.Ecg, new short[250], timeMs, 250_000));
}
