using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Fhir;

/// <summary>
/// The bundle's entries in their fixed order, with every full URL known before any resource is built: the patient,
/// the doctors, the wearables, the ECG observations (device, time), the blood-pressure panels with the cuff's pulse,
/// the temperatures (ledger order), each diagnosis report followed by its findings and heart rates, then one
/// provenance per transaction (Userchain batches, then Docchain diagnoses).
/// </summary>
internal sealed class ExportPlan
{
    private ExportPlan(string bundleId, long? timestampMs, List<PlannedEntry> entries)
    {
        BundleId = bundleId;
        TimestampMs = timestampMs;
        Entries = entries;
    }

    /// <summary>The bundle's id: a version 5 UUID of the patient and every transaction exported.</summary>
    public string BundleId { get; }

    /// <summary>The newest block time of the exported records (the bundle's timestamp), or null when there are none.</summary>
    public long? TimestampMs { get; }

    public IReadOnlyList<PlannedEntry> Entries { get; }

    public static ExportPlan Create(FhirExportInput input, FhirExportOptions options)
    {
        InputChecks.Check(input, options);
        var naming = new FhirNaming(options.NamingBase);
        var batches = input.Readings.OrderBy(b => b.Origin.BlockHeight).ThenBy(b => b.Origin.TransactionId, StringComparer.Ordinal).ToList();
        var diagnoses = input.Diagnoses.OrderBy(d => d.Origin.BlockHeight).ThenBy(d => d.Origin.TransactionId, StringComparer.Ordinal).ToList();
        var devices = MergeDevices(input.Devices, batches);
        var doctors = diagnoses.Select(d => d.DoctorId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var deviceUrls = devices.ToDictionary(d => d.DeviceId, d => ExportContext.UrlOf("Device/" + ExportContext.DeviceName(d.DeviceId)));
        var doctorUrls = doctors.ToDictionary(d => d, d => ExportContext.UrlOf("Practitioner/" + d), StringComparer.Ordinal);
        var context = new ExportContext(naming, ExportContext.UrlOf("Patient/" + input.Patient.IdentityId), deviceUrls, doctorUrls);

        var entries = new List<PlannedEntry> { new(() => PartyResources.Patient(context, input.Patient)) };
        entries.AddRange(doctors.Select(d => new PlannedEntry(() => PartyResources.Practitioner(context, d, doctorUrls[d]))));
        entries.AddRange(devices.Select(d => new PlannedEntry(() => PartyResources.Device(context, d, deviceUrls[d.DeviceId]))));

        var targets = batches.Select(_ => new List<string>()).ToArray();
        foreach (var chunk in EcgTimeline.Cut(batches, options.EcgChunkSeconds, targets))
        {
            entries.Add(new PlannedEntry(() => ReadingObservations.Ecg(context, chunk), w => EcgEntryJson.Write(w, context, chunk)));
        }

        AddVitals(context, batches, targets, entries);
        var provenances = new List<PlannedEntry>();
        for (var b = 0; b < batches.Count; b++)
        {
            var (origin, batchTargets) = (batches[b].Origin, targets[b]);
            if (batchTargets.Count > 0)
            {
                provenances.Add(ProvenanceEntry(() => ProvenanceResources.ForBatch(context, origin, batchTargets)));
            }
        }

        foreach (var diagnosis in diagnoses)
        {
            var produced = AddDiagnosis(context, diagnosis, entries);
            provenances.Add(ProvenanceEntry(() => ProvenanceResources.ForDiagnosis(context, diagnosis, produced)));
        }

        entries.AddRange(provenances);
        var origins = batches.Select(b => b.Origin).Concat(diagnoses.Select(d => d.Origin)).ToList();
        long? timestamp = origins.Count == 0 ? null : origins.Max(o => o.BlockTimeMs);
        return new ExportPlan(BundleIdOf(input.Patient.IdentityId, origins), timestamp, entries);
    }

    /// <summary>A provenance entry; its full URL (a SHA-1 per transaction) is worked out when it is written, in parallel.</summary>
    private static PlannedEntry ProvenanceEntry(Func<ProvenanceRecord> describe) =>
        new(() => ProvenanceResources.ToResource(describe()), w => ProvenanceEntryJson.Write(w, describe()));

    private static void AddVitals(ExportContext context, List<ReadingBatch> batches, List<string>[] targets, List<PlannedEntry> entries)
    {
        for (var b = 0; b < batches.Count; b++)
        {
            var tx = batches[b].Origin.TransactionId;
            for (var i = 0; i < batches[b].BloodPressure.Count; i++)
            {
                var reading = batches[b].BloodPressure[i];
                var panel = ExportContext.UrlOf(Name("Observation/blood-pressure", tx, i));
                var pulse = ExportContext.UrlOf(Name("Observation/pulse", tx, i));
                entries.Add(new PlannedEntry(() => ReadingObservations.BloodPressure(context, reading, panel)));
                entries.Add(new PlannedEntry(() => ReadingObservations.Pulse(context, reading, pulse)));
                targets[b].Add(panel);
                targets[b].Add(pulse);
            }
        }

        for (var b = 0; b < batches.Count; b++)
        {
            var tx = batches[b].Origin.TransactionId;
            for (var i = 0; i < batches[b].Temperature.Count; i++)
            {
                var reading = batches[b].Temperature[i];
                var url = ExportContext.UrlOf(Name("Observation/body-temperature", tx, i));
                entries.Add(new PlannedEntry(() => ReadingObservations.Temperature(context, reading, url)));
                targets[b].Add(url);
            }
        }
    }

    /// <summary>Adds the report, its findings and their heart rates; returns every URL made (the provenance's targets).</summary>
    private static List<string> AddDiagnosis(ExportContext context, DiagnosisRecord diagnosis, List<PlannedEntry> entries)
    {
        var tx = diagnosis.Origin.TransactionId;
        var reportUrl = ExportContext.UrlOf("DiagnosticReport/" + tx);
        var results = new List<string>();
        var findingEntries = new List<PlannedEntry>();
        for (var i = 0; i < diagnosis.Findings.Count; i++)
        {
            var finding = diagnosis.Findings[i];
            var findingUrl = ExportContext.UrlOf(Name("Observation/finding", tx, i));
            findingEntries.Add(new PlannedEntry(() => DiagnosisResources.Finding(context, diagnosis, finding, findingUrl)));
            results.Add(findingUrl);
            if (finding.Values.ContainsKey(DiagnosisResources.MeanHeartRateValue))
            {
                var rateUrl = ExportContext.UrlOf(Name("Observation/heart-rate", tx, i));
                findingEntries.Add(new PlannedEntry(() => DiagnosisResources.HeartRate(context, diagnosis, finding, rateUrl)));
                results.Add(rateUrl);
            }
        }

        entries.Add(new PlannedEntry(() => DiagnosisResources.Report(context, diagnosis, reportUrl, results)));
        entries.AddRange(findingEntries);
        return [reportUrl, .. results];
    }

    private static List<WearableDevice> MergeDevices(IReadOnlyList<WearableDevice> listed, List<ReadingBatch> batches)
    {
        var kinds = new SortedDictionary<ulong, SortedSet<SensorKind>>();
        void Add(ulong id, SensorKind kind)
        {
            if (!kinds.TryGetValue(id, out var set))
            {
                kinds[id] = set = [];
            }

            set.Add(kind);
        }

        foreach (var device in listed)
        {
            kinds.TryAdd(device.DeviceId, []);
            foreach (var kind in device.Kinds)
            {
                Add(device.DeviceId, kind);
            }
        }

        foreach (var batch in batches)
        {
            foreach (var segment in batch.Ecg)
            {
                Add(segment.DeviceId, SensorKind.Ecg);
            }

            foreach (var reading in batch.BloodPressure)
            {
                Add(reading.DeviceId, SensorKind.BloodPressure);
            }

            foreach (var reading in batch.Temperature)
            {
                Add(reading.DeviceId, SensorKind.Temperature);
            }
        }

        return kinds.Select(k => new WearableDevice(k.Key, k.Value.ToList())).ToList();
    }

    /// <summary>The UUID of <c>Bundle/patient/</c> and the SHA-256 of every exported transaction (chain and id) in order.</summary>
    private static string BundleIdOf(string patient, List<LedgerOrigin> origins)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> record = stackalloc byte[66];
        foreach (var origin in origins)
        {
            record[0] = (byte)origin.Chain;
            record[1] = (byte)'/';
            Encoding.ASCII.GetBytes(origin.TransactionId, record[2..]);
            hash.AppendData(record);
        }

        return DeterministicUuid.Create($"Bundle/{patient}/{Convert.ToHexStringLower(hash.GetHashAndReset())}");
    }

    private static string Name(string prefix, string tx, int index) => string.Create(CultureInfo.InvariantCulture, $"{prefix}/{tx}/{index}");
}
