using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HealthBlock.Analysis;

namespace HealthBlock.Doctor;

/// <summary>What a diagnosis document is.</summary>
public static class DiagnosisKinds
{
    /// <summary>Findings of the automated analysis of IoT batches (<see cref="DiagnosisDocument.Analysis"/> is set).</summary>
    public const string AutomatedScreening = "automated-screening";

    /// <summary>A note written and signed by the clinician, following an earlier diagnosis (<see cref="DiagnosisDocument.ClinicianNote"/> is set).</summary>
    public const string ClinicianNote = "clinician-note";
}

/// <summary>
/// The plaintext of a diagnosis: a UTF-8 JSON object (camelCase names, enums as names) that
/// <see cref="SealedDiagnosis"/> encrypts under the doctor's diagnosis key and the content store keeps under the CID
/// of a diagnosis transaction. Every field is listed in <c>nodes/HealthBlock.Doctor/README.md</c>.
/// </summary>
/// <remarks>
/// Times are ms since the Unix epoch (the device clocks'), except finding windows (<see cref="Finding.Window"/>),
/// which are seconds from <see cref="WindowStartMs"/>. Identity ids are the 32-character base32 form; transaction
/// ids are lowercase hex. The patient, doctor, epoch and number fields repeat what the transaction and the sealing
/// bind, and <see cref="SealedDiagnosis"/>
/// checks that they agree.
/// </remarks>
public sealed record DiagnosisDocument
{
    /// <summary>The format this code writes.</summary>
    public const string CurrentFormat = "healthblock-diagnosis/1";

    /// <summary>The label of automated documents: the findings are screening, not a diagnosis by a person.</summary>
    public const string AutomatedScreeningLabel = "automated screening";

    /// <summary>The label of clinician notes.</summary>
    public const string ClinicianNoteLabel = "clinician note";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static readonly JsonSerializerOptions IndentedOptions = new(JsonOptions) { WriteIndented = true };

    /// <summary>Format name and version (<see cref="CurrentFormat"/>).</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>One of <see cref="DiagnosisKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The patient (identity id).</summary>
    public required string Patient { get; init; }

    /// <summary>The doctor who wrote and signed it (identity id).</summary>
    public required string Doctor { get; init; }

    /// <summary>The key epoch whose diagnosis key encrypts it (the transaction's epoch).</summary>
    public required uint Epoch { get; init; }

    /// <summary>The doctor's diagnosis number: the AES-GCM nonce counter it was sealed with.</summary>
    public required ulong Number { get; init; }

    /// <summary>The IoT transactions it covers (hex ids, ascending); empty for a clinician note.</summary>
    public required IReadOnlyList<string> Covers { get; init; }

    /// <summary>Start of the time window covered (ms since the Unix epoch).</summary>
    public required long WindowStartMs { get; init; }

    /// <summary>End of the time window covered.</summary>
    public required long WindowEndMs { get; init; }

    /// <summary>When the doctor node wrote it.</summary>
    public long CreatedMs { get; init; }

    /// <summary>For a follow-up, the id (hex) of the diagnosis transaction it follows; else null.</summary>
    public string? Follows { get; init; }

    /// <summary><see cref="AutomatedScreeningLabel"/> or <see cref="ClinicianNoteLabel"/>.</summary>
    public required string Label { get; init; }

    /// <summary>For automated documents, the screening disclaimer (<see cref="AlgorithmInfo.ScreeningDisclaimer"/>).</summary>
    public string? Disclaimer { get; init; }

    /// <summary>The findings of the analysis library (each with its algorithm name and version), most severe first; null for a note.</summary>
    public AnalysisReport? Analysis { get; init; }

    /// <summary>One entry per continuous ECG recording analysed (per device, frames concatenated in time order).</summary>
    public IReadOnlyList<EcgRecordingSummary> Ecg { get; init; } = [];

    /// <summary>The blood-pressure and temperature readings the findings were made from.</summary>
    public IReadOnlyList<VitalReading> Readings { get; init; } = [];

    /// <summary>What the covered batches held.</summary>
    public FrameStatistics? Frames { get; init; }

    /// <summary>The algorithms that produced the content, with their versions.</summary>
    public IReadOnlyList<AlgorithmUse> Algorithms { get; init; } = [];

    /// <summary>The clinician's note (clinician notes only).</summary>
    public string? ClinicianNote { get; init; }

    /// <summary>The compact JSON text.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The JSON text, indented for people.</summary>
    public string ToIndentedJson() => JsonSerializer.Serialize(this, IndentedOptions);

    /// <summary>The UTF-8 JSON bytes (the plaintext that is sealed).</summary>
    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, JsonOptions);

    /// <summary>Reads a document.</summary>
    /// <exception cref="JsonException">Not a diagnosis document.</exception>
    public static DiagnosisDocument FromJson(ReadOnlySpan<byte> utf8Json)
    {
        var document = JsonSerializer.Deserialize<DiagnosisDocument>(utf8Json, JsonOptions)
            ?? throw new JsonException("JSON 'null' is not a diagnosis document.");

        // JSON can put null where the type says never: refuse it here, as the format error it is.
        if (document.Format is null || document.Kind is null || document.Patient is null || document.Doctor is null ||
            document.Label is null || document.Covers is null || document.Covers.Any(c => c is null) ||
            document.Ecg is null || document.Ecg.Any(e => e is null) || document.Readings is null || document.Readings.Any(r => r is null) ||
            document.Algorithms is null || document.Algorithms.Any(a => a is null))
        {
            throw new JsonException("A diagnosis document field that must not be null is null.");
        }

        if (!document.Format.StartsWith("healthblock-diagnosis/", StringComparison.Ordinal))
        {
            throw new JsonException($"'{document.Format}' is not a diagnosis document format.");
        }

        return document;
    }

    /// <summary>Reads a document from text.</summary>
    /// <exception cref="JsonException">Not a diagnosis document.</exception>
    public static DiagnosisDocument FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return FromJson(Encoding.UTF8.GetBytes(json));
    }
}

/// <summary>One continuous ECG recording of one device and what the analysis made of it.</summary>
/// <param name="Device">The device id (16 hex digits).</param>
/// <param name="StartMs">Time of its first sample.</param>
/// <param name="EndMs">Time just after its last sample.</param>
/// <param name="SamplingFrequencyHz">Samples per second.</param>
/// <param name="SampleCount">Samples analysed, including masked ones.</param>
/// <param name="Frames">Frames concatenated into it.</param>
/// <param name="LeadOffFrames">Frames masked because the device flagged lead-off or a sensor fault.</param>
/// <param name="FilledGapSamples">Samples inserted (masked) for short gaps between frames.</param>
/// <param name="AnalysedSeconds">Seconds of clean ECG analysed.</param>
/// <param name="ExcludedSeconds">Seconds excluded (lead-off, noise, too short).</param>
/// <param name="BeatCount">R peaks detected.</param>
/// <param name="HeartRate">Heart-rate summary, or null with fewer than two RR intervals.</param>
public sealed record EcgRecordingSummary(
    string Device,
    long StartMs,
    long EndMs,
    double SamplingFrequencyHz,
    int SampleCount,
    int Frames,
    int LeadOffFrames,
    int FilledGapSamples,
    double AnalysedSeconds,
    double ExcludedSeconds,
    int BeatCount,
    HeartRateSummary? HeartRate);

/// <summary>A blood-pressure or temperature reading.</summary>
/// <param name="Kind"><c>bloodPressure</c> or <c>temperature</c>.</param>
/// <param name="Device">The device id (16 hex digits).</param>
/// <param name="TimeMs">When it was taken.</param>
/// <param name="SystolicMmHg">Systolic pressure (blood pressure only).</param>
/// <param name="DiastolicMmHg">Diastolic pressure (blood pressure only).</param>
/// <param name="PulsePerMinute">Pulse from the cuff (blood pressure only).</param>
/// <param name="TemperatureCelsius">Body temperature (temperature only).</param>
public sealed record VitalReading(
    string Kind,
    string Device,
    long TimeMs,
    int? SystolicMmHg,
    int? DiastolicMmHg,
    int? PulsePerMinute,
    double? TemperatureCelsius)
{
    /// <summary>The <see cref="Kind"/> of a blood-pressure reading.</summary>
    public const string BloodPressure = "bloodPressure";

    /// <summary>The <see cref="Kind"/> of a temperature reading.</summary>
    public const string Temperature = "temperature";
}

/// <summary>What the covered IoT batches held.</summary>
/// <param name="Total">Frames.</param>
/// <param name="Ecg">ECG frames.</param>
/// <param name="BloodPressure">Blood-pressure frames.</param>
/// <param name="Temperature">Temperature frames.</param>
/// <param name="LeadOff">ECG frames masked (lead-off or sensor fault).</param>
/// <param name="SensorFault">Blood-pressure or temperature frames skipped because the sensor flagged a fault.</param>
public sealed record FrameStatistics(int Total, int Ecg, int BloodPressure, int Temperature, int LeadOff, int SensorFault);

/// <summary>An algorithm and the version of it that was used.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Version">Its version.</param>
public sealed record AlgorithmUse(string Name, string Version);
