using System.Globalization;
using Hl7.Fhir.Model;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Fhir.Tests;

/// <summary>Exports a recording, reads the JSON back with the Firely parser and compares every value with the frames it came from.</summary>
public sealed class RoundTripTests
{
    private static readonly PatientDay Day = PatientDay.Create(new PatientDayShape
    {
        Seconds = 200, SecondsPerBatch = 7, BloodPressureEverySeconds = 40, TemperatureEverySeconds = 10, Diagnoses = 6, NoteEvery = 3, LeadOffEverySeconds = 75,
    });

    private static readonly ParsedBundle Parsed = new(FhirExporter.ToUtf8Json(Day.Input));

    private static IEnumerable<DeviceFrame> Frames(SensorKind kind) =>
        Day.Batches.SelectMany(b => b.Frames).Where(f => f.Kind == kind && f.Flags == FrameFlags.None);

    [Fact]
    public void Every_ECG_sample_comes_back_at_its_time_in_microvolts_at_the_native_rate()
    {
        var expected = Frames(SensorKind.Ecg).OrderBy(f => f.TimestampMs)
            .SelectMany(f => Enumerable.Range(0, f.Samples.Length).Select(k => (f.TimestampMs + (4L * k), f.Samples[k]))).ToList();
        var observations = Parsed.WithCode(FhirCodes.MdcOid, FhirCodes.EcgLeadIPotential).ToList();
        var actual = new List<(long, short)>();
        foreach (var o in observations.OrderBy(o => ParsedBundle.Span(o.Effective).Start))
        {
            var data = (SampledData)o.Value!;
            Assert.Equal((FhirCodes.Ucum, FhirCodes.Microvolts, 0m), (data.Origin!.System, data.Origin.Code, data.Origin.Value));
            Assert.Equal((4m, 1m, 1), (data.Period, data.Factor, data.Dimensions));
            Assert.Equal(PatientDay.WearableId.ToString("x16", CultureInfo.InvariantCulture), Parsed.DeviceOf(o.Device));
            var (start, end) = ParsedBundle.Span(o.Effective);
            var samples = data.Data!.Split(' ').Select(s => short.Parse(s, CultureInfo.InvariantCulture)).ToList();
            Assert.InRange(samples.Count, 1, 15_000);
            Assert.Equal(start + (4L * samples.Count), end);
            actual.AddRange(samples.Select((v, k) => (start + (4L * k), v)));
        }

        Assert.Equal(expected, actual);
        Assert.True(observations.Count > 200 / 60, "lead-off frames split the recording and 60 s chunks cut it further");
    }

    [Fact]
    public void Blood_pressure_panels_and_cuff_pulses_carry_the_frames_values_codes_and_units()
    {
        var expected = Frames(SensorKind.BloodPressure).Select(f => (f.TimestampMs, (int)f.Samples[0], (int)f.Samples[1], (int)f.Samples[2])).OrderBy(x => x).ToList();
        var panels = Parsed.WithCode(FhirCodes.Loinc, FhirCodes.BloodPressurePanel).Select(o =>
        {
            Assert.Equal(FhirCodes.BloodPressureProfile, o.Meta!.Profile.Single());
            var systolic = ParsedBundle.Quantity(o.Component.Single(c => c.Code!.Coding.Single().Code == FhirCodes.SystolicPressure).Value);
            var diastolic = ParsedBundle.Quantity(o.Component.Single(c => c.Code!.Coding.Single().Code == FhirCodes.DiastolicPressure).Value);
            Assert.All(new[] { systolic, diastolic }, q => Assert.Equal((FhirCodes.Ucum, FhirCodes.MillimetresOfMercury), (q.System, q.Code)));
            return (Time: ParsedBundle.Ms(o.Effective), Systolic: (int)systolic.Value!.Value, Diastolic: (int)diastolic.Value!.Value);
        }).ToList();
        var pulses = Parsed.WithCode(FhirCodes.Loinc, FhirCodes.HeartRate).Where(o => o.Device is not null).Select(o =>
        {
            var q = ParsedBundle.Quantity(o.Value);
            Assert.Equal((FhirCodes.Ucum, FhirCodes.PerMinute), (q.System, q.Code));
            return (Time: ParsedBundle.Ms(o.Effective), Rate: (int)q.Value!.Value);
        }).ToDictionary(p => p.Time, p => p.Rate);

        Assert.Equal(expected, panels.Select(p => (p.Time, p.Systolic, p.Diastolic, pulses[p.Time])).OrderBy(x => x).ToList());
        Assert.Equal(expected.Count, pulses.Count);
    }

    [Fact]
    public void Body_temperatures_are_exact_decimal_degrees_Celsius_at_the_frame_time()
    {
        var expected = Frames(SensorKind.Temperature).Select(f => (f.TimestampMs, f.Samples[0] / 100m)).OrderBy(x => x).ToList();
        var actual = Parsed.WithCode(FhirCodes.Loinc, FhirCodes.BodyTemperature).Select(o =>
        {
            var q = ParsedBundle.Quantity(o.Value);
            Assert.Equal((FhirCodes.Ucum, FhirCodes.Celsius, "vital-signs"), (q.System, q.Code, o.Category.Single().Coding.Single().Code));
            return (ParsedBundle.Ms(o.Effective), q.Value!.Value);
        }).OrderBy(x => x).ToList();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Each_diagnosis_is_a_report_with_its_findings_values_times_doctor_and_conclusion()
    {
        var reports = Parsed.All<DiagnosticReport>().ToList();
        Assert.Equal(Day.Input.Diagnoses.Count, reports.Count);
        foreach (var diagnosis in Day.Input.Diagnoses)
        {
            var report = reports.Single(r => r.Identifier.Single().Value == diagnosis.Origin.TransactionId);
            Assert.Equal(Parsed.Naming.Transaction(diagnosis.Origin.Chain), report.Identifier.Single().System);
            Assert.Equal(diagnosis.DoctorId, Parsed.IdentityOf(report.Performer.Single()));
            Assert.Equal(PatientDay.PatientId, Parsed.IdentityOf(report.Subject));
            Assert.Equal(diagnosis.Origin.BlockTimeMs, report.Issued!.Value.ToUnixTimeMilliseconds());
            var note = diagnosis.Kind == DiagnosisKind.ClinicianNote;
            Assert.Equal(note ? diagnosis.ClinicianNote : diagnosis.Disclaimer, report.Conclusion);
            Assert.Equal(note ? DiagnosticReport.DiagnosticReportStatus.Final : DiagnosticReport.DiagnosticReportStatus.Preliminary, report.Status);
            var timed = diagnosis.Findings.Where(f => f.StartMs is not null).ToList();
            var (start, end) = ParsedBundle.Span(report.Effective);
            Assert.Equal(timed.Count > 0 ? timed.Min(f => f.StartMs!.Value) : diagnosis.WindowStartMs, start);
            Assert.Equal(timed.Count > 0 ? timed.Max(f => f.EndMs!.Value) : diagnosis.WindowEndMs, end);

            var findings = report.Result.Select(Parsed.Resolve<Observation>).Where(o => o.Code!.Coding[0].System == Parsed.Naming.FindingKind).ToList();
            Assert.Equal(diagnosis.Findings.Count, findings.Count);
            foreach (var (expected, actual) in diagnosis.Findings.Zip(findings))
            {
                AssertFinding(expected, actual);
            }

            var rates = report.Result.Select(Parsed.Resolve<Observation>).Where(o => ParsedBundle.CodeOf(o) == FhirCodes.HeartRate).ToList();
            Assert.Equal(
                diagnosis.Findings.Where(f => f.Values.ContainsKey("meanHeartRateBpm")).Select(f => (decimal)f.Values["meanHeartRateBpm"]),
                rates.Select(r => ParsedBundle.Quantity(r.Value).Value!.Value));
        }
    }

    [Fact]
    public void Every_transaction_has_one_provenance_with_its_id_block_time_agent_and_targets()
    {
        var provenances = Parsed.All<Provenance>().ToList();
        Assert.Equal(Day.Batches.Count + Day.Input.Diagnoses.Count, provenances.Count);
        foreach (var batch in Day.Batches)
        {
            var provenance = provenances.Single(p => p.Entity[0].What!.Identifier!.Value == batch.Origin.TransactionId);
            Assert.Equal(Parsed.Naming.Transaction(batch.Origin.Chain), provenance.Entity[0].What!.Identifier!.System);
            Assert.Equal((Parsed.Naming.Block(batch.Origin.Chain), $"{batch.Origin.BlockHeight}:{batch.Origin.BlockHash}"), (provenance.Entity[1].What!.Identifier!.System, provenance.Entity[1].What!.Identifier!.Value));
            Assert.Equal(batch.Origin.BlockTimeMs, provenance.Recorded!.Value.ToUnixTimeMilliseconds());
            Assert.Equal(PatientDay.PatientId, Parsed.IdentityOf(provenance.Agent.Single().Who));
            var targets = provenance.Target.Select(Parsed.Resolve<Observation>).ToList();
            foreach (var frame in batch.Frames.Where(f => f.Flags == FrameFlags.None))
            {
                Assert.Contains(targets, o => Covers(o, frame));
            }
        }

        foreach (var diagnosis in Day.Input.Diagnoses)
        {
            var provenance = provenances.Single(p => p.Entity[0].What!.Identifier!.Value == diagnosis.Origin.TransactionId);
            Assert.Equal(diagnosis.DoctorId, Parsed.IdentityOf(provenance.Agent.Single().Who));
            Assert.Equal(diagnosis.Origin.TransactionId, Parsed.Resolve<DiagnosticReport>(provenance.Target[0]).Identifier.Single().Value);
            var derived = provenance.Entity.Where(e => e.Role == Provenance.ProvenanceEntityRole.Derivation).Select(e => e.What!.Identifier!.Value);
            Assert.Equal(diagnosis.Covers, derived);
            Assert.Equal(diagnosis.Follows, provenance.Entity.SingleOrDefault(e => e.Role == Provenance.ProvenanceEntityRole.Revision)?.What!.Identifier!.Value);
        }
    }

    private static bool Covers(Observation o, DeviceFrame frame) => frame.Kind switch
    {
        SensorKind.Ecg => o.Value is SampledData && ParsedBundle.Span(o.Effective).Start <= frame.TimestampMs && frame.TimestampMs < ParsedBundle.Span(o.Effective).End,
        _ => o.Effective is FhirDateTime && ParsedBundle.Ms(o.Effective) == frame.TimestampMs,
    };

    private static void AssertFinding(FindingRecord expected, Observation actual)
    {
        Assert.Equal(expected.Kind.ToString(), actual.Code!.Coding.Single().Code);
        Assert.Equal(expected.Text, ((FhirString)actual.Value!).Value);
        Assert.Equal(expected.Severity.ToString(), actual.Interpretation.Single().Coding[1].Code);
        Assert.Equal($"{expected.Algorithm} {expected.AlgorithmVersion}", actual.Method!.Text);
        if (actual.Effective is null)
        {
            Assert.Null(expected.StartMs);
        }
        else
        {
            Assert.Equal((expected.StartMs, expected.EndMs), ParsedBundle.Span(actual.Effective));
            Assert.Equal(expected.StartMs == expected.EndMs, actual.Effective is FhirDateTime);
        }

        var values = actual.Component.ToDictionary(c => c.Code!.Coding.Single().Code!, c => ParsedBundle.Quantity(c.Value));
        Assert.Equal(expected.Values.Keys.Order(StringComparer.Ordinal), values.Keys);
        foreach (var (name, value) in expected.Values)
        {
            Assert.Equal(value, (double)values[name].Value!.Value);
            Assert.Equal(FhirCodes.Ucum, values[name].System);
        }

        Assert.Equal("ms", values.GetValueOrDefault("sdnnMs")?.Code ?? "ms");
        Assert.Equal(FhirCodes.PerMinute, values.GetValueOrDefault("meanHeartRateBpm")?.Code ?? FhirCodes.PerMinute);
    }
}
