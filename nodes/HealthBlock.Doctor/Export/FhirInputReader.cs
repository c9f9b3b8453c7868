using HealthBlock.Crypto;
using HealthBlock.Fhir;
using HealthBlock.Ledger;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;
using HealthBlock.Storage;

namespace HealthBlock.Doctor.Export;

/// <summary>
/// Gathers what a FHIR export of one patient holds from the ledger and the content store: every IoT batch of the
/// patient in the time window, opened with the IoT key of its epoch, and every diagnosis about the patient, opened
/// with the diagnosis key of its doctor. The caller says which keys it holds (a patient holds all of its own; a doctor
/// the epochs it was granted), so the same reader serves both.
/// </summary>
public sealed class FhirInputReader(ILedgerReader ledger, IContentStore store)
{

    /// <summary>Batches or diagnoses skipped because no key opens them or their block is unreadable.</summary>
    public List<string> Skipped { get; } = [];

    /// <summary>Reads everything about <paramref name="patient"/> whose time overlaps [<paramref name="fromMs"/>, <paramref name="toMs"/>).</summary>
    /// <param name="patient">The patient.</param>
    /// <param name="displayName">A name to put on the Patient resource, or null (pseudonymous).</param>
    /// <param name="devices">Wearables to list even without readings.</param>
    /// <param name="iotKeyOf">The IoT key of an epoch, or null when the reader does not hold it.</param>
    /// <param name="diagnosisKeyOf">The diagnosis key of a doctor, or null.</param>
    /// <param name="fromMs">Start of the window, ms since the Unix epoch.</param>
    /// <param name="toMs">End of the window (exclusive).</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    public async Task<FhirExportInput> ReadAsync(
        IdentityId patient,
        string? displayName,
        IReadOnlyList<WearableDevice> devices,
        Func<uint, byte[]?> iotKeyOf,
        Func<IdentityId, byte[]?> diagnosisKeyOf,
        long fromMs,
        long toMs,
        CancellationToken cancellationToken)
    {
        var readings = new List<ReadingBatch>();
        await foreach (var committed in ledger.ReadAllTransactionsForAsync(patient, ChainId.Userchain, 0, cancellationToken).ConfigureAwait(false))
        {
            if (committed.Transaction.Body.Payload is not IotPayload iot || committed.Transaction.Body.Signer != patient
                || iot.WindowEndMs <= fromMs || iot.WindowStartMs >= toMs)
            {
                continue;
            }

            if (await OpenAsync(committed, patient, iot, iotKeyOf, fromMs, toMs, cancellationToken).ConfigureAwait(false) is { } batch)
            {
                readings.Add(batch);
            }
        }

        var diagnoses = new List<DiagnosisRecord>();
        foreach (var d in await PatientDiagnosisReader.ReadAsync(ledger, store, patient, diagnosisKeyOf, cancellationToken).ConfigureAwait(false))
        {
            if (d.Payload.WindowEndMs <= fromMs || d.Payload.WindowStartMs >= toMs)
            {
                continue;
            }

            if (d.Document is not { } document)
            {
                Skipped.Add($"diagnosis {d.TransactionId}: {d.Error}");
                continue;
            }

            diagnoses.Add(new DiagnosisRecord
            {
                Origin = Origin(d.Committed),
                DoctorId = d.Doctor.ToString(),
                Kind = document.Kind == DiagnosisKinds.ClinicianNote ? DiagnosisKind.ClinicianNote : DiagnosisKind.AutomatedScreening,
                WindowStartMs = document.WindowStartMs,
                WindowEndMs = document.WindowEndMs,
                Covers = document.Covers,
                Follows = document.Follows,
                Findings = [.. (document.Analysis?.Findings ?? []).Select(f => FindingRecord.FromAnalysis(f, document.WindowStartMs))],
                Disclaimer = document.Disclaimer,
                ClinicianNote = document.ClinicianNote,
            });
        }

        return new FhirExportInput
        {
            Patient = new Fhir.PatientIdentity(patient.ToString(), displayName),
            Devices = devices,
            Readings = readings,
            Diagnoses = diagnoses,
        };
    }

    private async Task<ReadingBatch?> OpenAsync(CommittedTransaction committed, IdentityId patient, IotPayload iot, Func<uint, byte[]?> iotKeyOf, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        var id = committed.Transaction.IdHex;
        if (iotKeyOf(iot.Epoch) is not { } key)
        {
            Skipped.Add($"IoT batch {iot.Batch} ({id}): no key for epoch {iot.Epoch}");
            return null;
        }

        try
        {
            var opened = IotBlock.OpenFrames(await store.GetAsync(iot.Cid, cancellationToken).ConfigureAwait(false), key, patient, iot.Epoch, iot.Batch, iot.Live is not null);
            var frames = opened.Select(f => DeviceFrame.Decode(f)).Where(f => f.TimestampMs + f.DurationMs > fromMs && f.TimestampMs < toMs).ToList();
            return frames.Count == 0 ? null : ReadingBatch.FromFrames(Origin(committed), frames);
        }
        catch (Exception e) when (e is StoreException or CryptoException or ProtocolException)
        {
            Skipped.Add($"IoT batch {iot.Batch} ({id}): {e.Message}");
            return null;
        }
    }

    private static LedgerOrigin Origin(CommittedTransaction committed) =>
        new(committed.Location.Chain, committed.Transaction.IdHex, committed.Location.Height, Convert.ToHexStringLower(committed.BlockHash), committed.BlockTimeMs);
}
