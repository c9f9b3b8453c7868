using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Fhir.Tests;

/// <summary>Small hand-made inputs for the mapping's edge cases.</summary>
internal static class Inputs
{
    public const ulong SecondDevice = 0x00FF00000000BEEF;

    public static LedgerOrigin Iot(int n, long blockTimeMs) =>
        new(ChainId.Userchain, PatientDay.Hex($"edge-iot/{n}"), (ulong)(100 + n), PatientDay.Hex($"edge-block/{n}"), blockTimeMs);

    public static EcgSegment Ecg(ulong device, long startMs, int count, uint rateMilliHz = 250_000, int seed = 0) =>
        new(device, startMs, rateMilliHz, Enumerable.Range(0, count).Select(k => (short)(((k * 37) + seed) % 2001 - 1000)).ToArray());

    public static ReadingBatch Batch(int n, long blockTimeMs, params EcgSegment[] ecg) => new(Iot(n, blockTimeMs), ecg, [], []);

    public static FhirExportInput Only(params ReadingBatch[] batches) => new()
    {
        Patient = new PatientIdentity(PatientDay.PatientId),
        Readings = batches,
    };

    /// <summary>
    /// Two devices, one at 360 Hz (a period that is not a whole number of ms, chunk times between ms), the int16
    /// extremes, a negative temperature, whole-second block times, a name with non-ASCII letters, a note.
    /// </summary>
    public static FhirExportInput Unusual()
    {
        var start = PatientDay.StartMs;
        var extremes = new EcgSegment(PatientDay.WearableId, start, 250_000, new short[] { short.MinValue, short.MaxValue, 0, -1, 9, -10, 99, 100 });
        var odd = new ReadingBatch(
            Iot(1, start + 9_000),
            [Ecg(SecondDevice, start + 500, 360 * 70, 360_000, 7)],
            [new BloodPressureReading(SecondDevice, start + 1_000, 250, 30, 200)],
            [new TemperatureReading(SecondDevice, start + 2_000, -150), new TemperatureReading(SecondDevice, start + 2_000, 4000)]);
        var note = new DiagnosisRecord
        {
            Origin = new LedgerOrigin(ChainId.Docchain, PatientDay.Hex("edge-note"), 7, PatientDay.Hex("edge-doc-block"), start + 20_000),
            DoctorId = PatientDay.DoctorIds[1],
            Kind = DiagnosisKind.ClinicianNote,
            WindowStartMs = start,
            WindowEndMs = start + 9_000,
            ClinicianNote = "Überprüft — Sinusrhythmus. 心律正常.",
        };
        return new FhirExportInput
        {
            Patient = new PatientIdentity(PatientDay.PatientId, "Zoë Ångström"),
            Devices = [new WearableDevice(0x0000000000000001, [SensorKind.Temperature])],
            Readings = [Batch(0, start + 2_000, extremes), odd],
            Diagnoses = [note],
        };
    }
}
