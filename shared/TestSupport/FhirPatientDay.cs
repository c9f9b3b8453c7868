// Shared by the FHIR test and bench projects (linked into each, not a library).
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HealthBlock.Analysis;
using HealthBlock.Crypto;
using HealthBlock.Fhir;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.TestSupport;

/// <summary>What a generated patient recording holds.</summary>
internal sealed record PatientDayShape
{
    /// <summary>Seconds of 250 Hz ECG (one 250-sample frame a second).</summary>
    public int Seconds { get; init; } = 86_400;

    /// <summary>Seconds of frames per IoT transaction (the gateway's batch; 1 is what one wearable gives).</summary>
    public int SecondsPerBatch { get; init; } = 1;

    /// <summary>A cuff reading every this many seconds.</summary>
    public int BloodPressureEverySeconds { get; init; } = 1200;

    /// <summary>A temperature reading every this many seconds.</summary>
    public int TemperatureEverySeconds { get; init; } = 10;

    /// <summary>Diagnoses over the recording (every <see cref="NoteEvery"/>-th a clinician note following the one before).</summary>
    public int Diagnoses { get; init; } = 100;

    /// <summary>Every this many diagnoses, one is a clinician note.</summary>
    public int NoteEvery { get; init; } = 25;

    /// <summary>A lead-off ECG frame (zeros, flagged) every this many seconds; 0 for none.</summary>
    public int LeadOffEverySeconds { get; init; }

    /// <summary>The patient's display name, or null.</summary>
    public string? DisplayName { get; init; }
}

/// <summary>A batch as the gateway made it: real encoded frames and its ledger place.</summary>
internal sealed record SourceBatch(LedgerOrigin Origin, IReadOnlyList<DeviceFrame> Frames);

/// <summary>A generated recording: the export input and the frames it was made from.</summary>
internal sealed record PatientDay(FhirExportInput Input, IReadOnlyList<SourceBatch> Batches)
{
    public const ulong WearableId = 0x00A1B2C3D4E5F601;

    public static readonly long StartMs = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static readonly string PatientId = IdentityOf("patient");

    public static readonly string[] DoctorIds = [IdentityOf("doctor-1"), IdentityOf("doctor-2")];

    /// <summary>Generates a recording: synthetic ECG with realistic noise, cuff and thermometer readings, findings and notes.</summary>
    public static PatientDay Create(PatientDayShape shape)
    {
        var ecg = EcgMinutes();
        var mac = new HmacFrameMac(SHA256.HashData("device-key"u8));
        uint sequence = 0;
        var batches = new List<SourceBatch>();
        for (var first = 0; first < shape.Seconds; first += shape.SecondsPerBatch)
        {
            var frames = new List<DeviceFrame>();
            for (var s = first; s < Math.Min(shape.Seconds, first + shape.SecondsPerBatch); s++)
            {
                var t = StartMs + (s * 1000L);
                var leadOff = shape.LeadOffEverySeconds > 0 && s % shape.LeadOffEverySeconds == shape.LeadOffEverySeconds - 1;
                var samples = leadOff ? new short[250] : ecg[(s / 60) % ecg.Length].AsSpan((s % 60) * 250, 250).ToArray();
                frames.Add(Frame(mac, SensorKind.Ecg, leadOff ? FrameFlags.LeadOff : FrameFlags.None, ++sequence, t, 250_000, samples));
                if (s % shape.TemperatureEverySeconds == 0)
                {
                    frames.Add(Frame(mac, SensorKind.Temperature, FrameFlags.None, ++sequence, t + 500, 100, [(short)(3650 + ((s / 10) % 40))]));
                }

                if (s % shape.BloodPressureEverySeconds == shape.BloodPressureEverySeconds / 2)
                {
                    var k = s / shape.BloodPressureEverySeconds;
                    frames.Add(Frame(mac, SensorKind.BloodPressure, FrameFlags.None, ++sequence, t + 250, 1000, [(short)(112 + (k % 30)), (short)(72 + (k % 12)), (short)(64 + (k % 20))]));
                }
            }

            var n = batches.Count;
            var height = 10 + ((ulong)n / 3);
            var origin = new LedgerOrigin(ChainId.Userchain, Hex($"iot/{n}"), height, Hex($"userchain-block/{height}"), StartMs + ((first + shape.SecondsPerBatch) * 1000L) + 400);
            batches.Add(new SourceBatch(origin, frames));
        }

        var input = new FhirExportInput
        {
            Patient = new PatientIdentity(PatientId, shape.DisplayName),
            Devices = [new WearableDevice(WearableId, [SensorKind.Ecg, SensorKind.BloodPressure, SensorKind.Temperature])],
            Readings = batches.Select(b => ReadingBatch.FromFrames(b.Origin, b.Frames)).ToList(),
            Diagnoses = Diagnoses(shape, batches),
        };
        return new PatientDay(input, batches);
    }

    public static string Hex(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    private static string IdentityOf(string name) => IdentityId.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes(name))[..20]).ToString();

    private static List<DiagnosisRecord> Diagnoses(PatientDayShape shape, List<SourceBatch> batches)
    {
        var result = new List<DiagnosisRecord>();
        if (shape.Diagnoses == 0)
        {
            return result;
        }

        var span = shape.Seconds * 1000L / shape.Diagnoses;
        for (var i = 0; i < shape.Diagnoses; i++)
        {
            var doctor = DoctorIds[i % 2];
            var origin = new LedgerOrigin(ChainId.Docchain, Hex($"diagnosis/{i}"), (ulong)(5 + i), Hex($"docchain-block/{5 + i}"), StartMs + ((i + 1) * span) + 900);
            var previous = result.Count > 0 ? result[^1] : null;
            if (previous is not null && (i + 1) % shape.NoteEvery == 0)
            {
                result.Add(new DiagnosisRecord
                {
                    Origin = origin, DoctorId = previous.DoctorId, Kind = DiagnosisKind.ClinicianNote, WindowStartMs = previous.WindowStartMs,
                    WindowEndMs = previous.WindowEndMs, Follows = previous.Origin.TransactionId,
                    ClinicianNote = string.Create(CultureInfo.InvariantCulture, $"Reviewed screening {i}: sinus rhythm, \"no action\" — next review in 3 months."),
                });
                continue;
            }

            var start = StartMs + (i * span);
            var end = start + span;
            var seconds = span / 1000.0;
            var findings = new List<Finding>
            {
                new(FindingKind.HeartRateSummary, FindingSeverity.Info, $"Mean heart rate {70 + (i % 9)}.25 bpm.", new TimeWindow(0, seconds),
                    Values(("meanHeartRateBpm", 70.25 + (i % 9)), ("minHeartRateBpm", 58.5), ("maxHeartRateBpm", 96.1234), ("beatCount", 4000 + i), ("sdnnMs", 41.7), ("analysedSeconds", seconds - 2)),
                    AlgorithmInfo.RhythmName, AlgorithmInfo.RhythmVersion),
                new(FindingKind.TemperatureNormal, FindingSeverity.Info, "Body temperature 36.65 °C.", null, Values(("temperatureCelsius", 36.65)), AlgorithmInfo.TemperatureName, AlgorithmInfo.TemperatureVersion),
            };
            if (i % 3 == 0)
            {
                findings.Insert(0, new(FindingKind.Bradycardia, FindingSeverity.Moderate, "Heart rate 55.5 bpm for 30 s.", new TimeWindow(10.004, 40.5),
                    Values(("meanHeartRateBpm", 55.5), ("durationSeconds", 30.496)), AlgorithmInfo.RhythmName, AlgorithmInfo.RhythmVersion));
            }

            if (i % 4 == 1)
            {
                findings.Insert(0, new(FindingKind.HypertensiveCrisis, FindingSeverity.Critical, "Blood pressure 182/121 mmHg.", new TimeWindow(2, 2),
                    Values(("systolicMmHg", 182), ("diastolicMmHg", 121)), AlgorithmInfo.BloodPressureName, AlgorithmInfo.BloodPressureVersion));
            }

            var report = AnalysisReport.Create(findings);
            result.Add(new DiagnosisRecord
            {
                Origin = origin, DoctorId = doctor, Kind = DiagnosisKind.AutomatedScreening, WindowStartMs = start, WindowEndMs = end,
                Disclaimer = report.Disclaimer,
                Covers = batches.Where(b => b.Frames[0].TimestampMs >= start && b.Frames[0].TimestampMs < end).Take(32).Select(b => b.Origin.TransactionId).ToList(),
                Findings = report.Findings.Select(f => FindingRecord.FromAnalysis(f, start)).ToList(),
            });
        }

        return result;
    }

    private static Dictionary<string, double> Values(params (string Name, double Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    private static DeviceFrame Frame(HmacFrameMac mac, SensorKind kind, FrameFlags flags, uint sequence, long timeMs, uint rateMilliHz, short[] samples)
    {
        var buffer = new byte[FrameLayout.FrameSize(samples.Length, 32)];
        var length = FrameWriter.Write(buffer, 0, (byte)kind, (byte)flags, WearableId, sequence, timeMs, rateMilliHz, samples, 0, samples.Length, 0, mac, 32);
        return DeviceFrame.Decode(buffer.AsSpan(0, length));
    }

    /// <summary>Ten different minutes of synthetic ECG in µV (different rates and noise), cycled over the recording.</summary>
    private static short[][] EcgMinutes() => Enumerable.Range(0, 10).Select(m =>
    {
        var ecg = SyntheticEcg.Generate(new SyntheticEcgOptions { DurationSeconds = 60, HeartRateBpm = 62 + (3 * m), Seed = m + 1, Noise = NoiseProfile.Realistic(m + 1) });
        return ecg.SamplesMv.Select(mv => (short)Math.Clamp(Math.Round(mv * 1000), short.MinValue, short.MaxValue)).ToArray();
    }).ToArray();
}
