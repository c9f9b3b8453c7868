using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HealthBlock.Analysis;

namespace HealthBlock.Doctor;

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
