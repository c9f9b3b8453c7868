using System.Globalization;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Fhir;

/// <summary>Refuses an input the mapping cannot represent faithfully, saying which record and why.</summary>
internal static class InputChecks
{
    public static void Check(FhirExportInput input, FhirExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        if (options.EcgChunkSeconds is < 1 or > 3600)
        {
            throw new FhirExportException($"The ECG chunk length must be 1 to 3600 s; got {options.EcgChunkSeconds}.");
        }

        if (options.MaxParallelism < 1)
        {
            throw new FhirExportException($"MaxParallelism must be at least 1; got {options.MaxParallelism}.");
        }

        if (input.Patient is null || !IdentityId.TryParse(input.Patient.IdentityId, out _))
        {
            throw new FhirExportException($"The patient's identity id '{input.Patient?.IdentityId}' is not an identity id (32 lowercase base32 characters).");
        }

        if (input.Devices is null || input.Readings is null || input.Diagnoses is null || input.Devices.Any(d => d?.Kinds is null))
        {
            throw new FhirExportException("The devices, readings and diagnoses lists (and each device's kinds) must not be null.");
        }

        var seen = new HashSet<(ChainId, string)>();
        foreach (var batch in input.Readings)
        {
            CheckOrigin(batch?.Origin, ChainId.Userchain, seen, "A reading batch");
            CheckBatch(batch!);
        }

        foreach (var diagnosis in input.Diagnoses)
        {
            CheckOrigin(diagnosis?.Origin, ChainId.Docchain, seen, "A diagnosis");
            CheckDiagnosis(diagnosis!);
        }
    }

    private static void CheckOrigin(LedgerOrigin? origin, ChainId chain, HashSet<(ChainId, string)> seen, string what)
    {
        if (origin is null)
        {
            throw new FhirExportException($"{what} has no ledger origin.");
        }

        if (origin.Chain != chain)
        {
            throw new FhirExportException($"{what} comes from {chain}; transaction {origin.TransactionId} says {origin.Chain}.");
        }

        if (!IsHex64(origin.TransactionId) || !IsHex64(origin.BlockHash))
        {
            throw new FhirExportException($"{what}: transaction id '{origin.TransactionId}' and block hash '{origin.BlockHash}' must be 64 lowercase hex digits.");
        }

        if (!seen.Add((origin.Chain, origin.TransactionId)))
        {
            throw new FhirExportException($"Transaction {origin.TransactionId} is given twice.");
        }
    }

    private static void CheckBatch(ReadingBatch batch)
    {
        var tx = batch.Origin.TransactionId;
        if (batch.Ecg is null || batch.BloodPressure is null || batch.Temperature is null || HasNull(batch.BloodPressure) || HasNull(batch.Temperature))
        {
            throw new FhirExportException($"Batch {tx}: the reading lists and their entries must not be null.");
        }

        foreach (var segment in batch.Ecg)
        {
            if (segment is null)
            {
                throw new FhirExportException($"Batch {tx}: an ECG segment is null.");
            }

            if (segment.RateMilliHz == 0 || segment.Microvolts.IsEmpty)
            {
                throw new FhirExportException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Batch {tx}: an ECG segment of device {ExportContext.DeviceName(segment.DeviceId)} at {segment.StartMs} ms has rate {segment.RateMilliHz} mHz and {segment.Microvolts.Length} samples; both must be above zero."));
            }
        }
    }

    private static void CheckDiagnosis(DiagnosisRecord diagnosis)
    {
        var tx = diagnosis.Origin.TransactionId;
        if (!IdentityId.TryParse(diagnosis.DoctorId, out _))
        {
            throw new FhirExportException($"Diagnosis {tx}: doctor '{diagnosis.DoctorId}' is not an identity id.");
        }

        if (diagnosis.WindowEndMs < diagnosis.WindowStartMs)
        {
            throw new FhirExportException($"Diagnosis {tx}: its window ends before it starts.");
        }

        if (diagnosis.Covers is null || diagnosis.Findings is null || diagnosis.Covers.Any(c => !IsHex64(c)) || (diagnosis.Follows is { } f && !IsHex64(f)))
        {
            throw new FhirExportException($"Diagnosis {tx}: covered and followed transactions must be 64 lowercase hex digits, and the lists must not be null.");
        }

        if (diagnosis.Kind == DiagnosisKind.ClinicianNote && string.IsNullOrWhiteSpace(diagnosis.ClinicianNote))
        {
            throw new FhirExportException($"Diagnosis {tx} is a clinician note without text.");
        }

        foreach (var finding in diagnosis.Findings)
        {
            if (finding?.Text is null || finding.Values is null || finding.Algorithm is null || finding.AlgorithmVersion is null)
            {
                throw new FhirExportException($"Diagnosis {tx}: a finding lacks its text, values or algorithm.");
            }

            if (finding.StartMs is null != finding.EndMs is null || finding.EndMs < finding.StartMs)
            {
                throw new FhirExportException($"Diagnosis {tx}: the {finding.Kind} finding's evidence span must have both ends, the end not before the start.");
            }

            if (finding.Values.Any(v => !double.IsFinite(v.Value) || string.IsNullOrEmpty(v.Key)))
            {
                throw new FhirExportException($"Diagnosis {tx}: the {finding.Kind} finding has a value that is not a finite number or has no name.");
            }
        }
    }

    private static bool HasNull<T>(IReadOnlyList<T> items)
        where T : class
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHex64(string? text)
    {
        if (text is not { Length: 64 })
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }
}
