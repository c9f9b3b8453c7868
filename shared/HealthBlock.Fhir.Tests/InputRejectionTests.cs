using HealthBlock.Analysis;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Fhir.Tests;

/// <summary>Input the mapping cannot represent is refused with a message that names the record and the reason.</summary>
public sealed class InputRejectionTests
{
    private static readonly FhirExportInput Valid = PatientDay.Create(new PatientDayShape { Seconds = 20, SecondsPerBatch = 10, Diagnoses = 2, NoteEvery = 2 }).Input;

    private static DiagnosisRecord Screening => Valid.Diagnoses[0];

    public static TheoryData<string, string> Cases => new()
    {
        { "patient id", "identity id" },
        { "transaction id", "64 lowercase hex" },
        { "block hash", "64 lowercase hex" },
        { "duplicate transaction", "given twice" },
        { "chain", "says Userchain" },
        { "doctor id", "is not an identity id" },
        { "window", "ends before it starts" },
        { "note without text", "without text" },
        { "finding span", "evidence span" },
        { "finding value", "finite number" },
        { "covered transaction", "covered and followed" },
        { "ecg rate", "must be above zero" },
        { "chunk length", "chunk length" },
        { "naming base", "naming base" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_is_refused_with_a_message_that_says_why(string what, string message)
    {
        var options = new FhirExportOptions();
        var input = what switch
        {
            "patient id" => Valid with { Patient = new PatientIdentity("not-an-identity") },
            "transaction id" => Valid with { Readings = [Valid.Readings[0] with { Origin = Valid.Readings[0].Origin with { TransactionId = "ABCD" } }] },
            "block hash" => Valid with { Readings = [Valid.Readings[0] with { Origin = Valid.Readings[0].Origin with { BlockHash = new string('A', 64) } }] },
            "duplicate transaction" => Valid with { Readings = [Valid.Readings[0], Valid.Readings[0]] },
            "chain" => Valid with { Diagnoses = [Screening with { Origin = Screening.Origin with { Chain = ChainId.Userchain } }] },
            "doctor id" => Valid with { Diagnoses = [Screening with { DoctorId = "dr-who" }] },
            "window" => Valid with { Diagnoses = [Screening with { WindowEndMs = Screening.WindowStartMs - 1 }] },
            "note without text" => Valid with { Diagnoses = [Screening with { Kind = DiagnosisKind.ClinicianNote, ClinicianNote = " " }] },
            "finding span" => Valid with { Diagnoses = [Screening with { Findings = [Screening.Findings[0] with { StartMs = 10, EndMs = null }] }] },
            "finding value" => Valid with { Diagnoses = [Screening with { Findings = [Screening.Findings[0] with { Values = new Dictionary<string, double> { ["meanHeartRateBpm"] = double.NaN } }] }] },
            "covered transaction" => Valid with { Diagnoses = [Screening with { Covers = ["xyz"] }] },
            "ecg rate" => Valid with { Readings = [Valid.Readings[0] with { Ecg = [Valid.Readings[0].Ecg[0] with { RateMilliHz = 0 }] }] },
            _ => Valid,
        };
        options = what switch
        {
            "chunk length" => options with { EcgChunkSeconds = 0 },
            "naming base" => options with { NamingBase = "healthblock/fhir/" },
            _ => options,
        };

        var error = Assert.Throws<FhirExportException>(() => FhirExporter.ToUtf8Json(input, options));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_written_when_the_input_is_refused()
    {
        using var output = new MemoryStream();

        Assert.Throws<FhirExportException>(() => FhirExporter.Write(Valid with { Patient = new PatientIdentity("") }, output));

        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void A_failing_output_stops_the_export_with_its_exception()
    {
        var day = PatientDay.Create(new PatientDayShape { Seconds = 600, SecondsPerBatch = 1, Diagnoses = 0 }).Input;
        using var output = new FailingStream(after: 100_000);

        var error = Assert.Throws<IOException>(() => FhirExporter.Write(day, output, new FhirExportOptions { MaxParallelism = 2 }));

        Assert.Equal(FailingStream.Message, error.Message);
    }

    [Fact]
    public void A_finding_from_the_analysis_library_gets_absolute_evidence_times()
    {
        var finding = new Finding(FindingKind.Pause, FindingSeverity.High, "Pause of 3.2 s.", new TimeWindow(12.3456, 15.5), new Dictionary<string, double> { ["pauseSeconds"] = 3.2 }, "HealthBlock.RhythmAnalysis", "1.0.0");

        var record = FindingRecord.FromAnalysis(finding, 1_000_000);

        Assert.Equal((1_012_346L, 1_015_500L), (record.StartMs!.Value, record.EndMs!.Value));
        Assert.Null(FindingRecord.FromAnalysis(finding with { Window = null }, 1_000_000).StartMs);
    }

    /// <summary>A stream whose writes fail after a number of bytes, as a full disk does.</summary>
    private sealed class FailingStream(long after) : MemoryStream
    {
        public const string Message = "No space left on device (test)";

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Check(count);
            base.Write(buffer, offset, count);
        }

        private void Check(int count)
        {
            if (Length + count > after)
            {
                throw new IOException(Message);
            }
        }
    }
}
