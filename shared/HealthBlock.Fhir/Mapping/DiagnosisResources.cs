using System.Globalization;
using Hl7.Fhir.Model;
using HealthBlock.Analysis;

namespace HealthBlock.Fhir;

/// <summary>A diagnosis as a <c>DiagnosticReport</c>, its findings as observations, and the heart rates the findings measured.</summary>
internal static class DiagnosisResources
{
    /// <summary>The value of a finding that becomes a vital-signs heart rate.</summary>
    public const string MeanHeartRateValue = "meanHeartRateBpm";

    /// <summary>Automated screenings are preliminary (awaiting a clinician); clinician notes are final.</summary>
    public static ObservationStatus ObservationStatusOf(DiagnosisRecord diagnosis) =>
        diagnosis.Kind == DiagnosisKind.ClinicianNote ? ObservationStatus.Final : ObservationStatus.Preliminary;

    /// <summary>
    /// The report: the Docchain transaction as identifier, effective over the findings' evidence (or the window when
    /// no finding has a time), issued when its block was made, the doctor as performer, the findings as results, and
    /// the clinician's note or the screening disclaimer as conclusion (R4 has no <c>DiagnosticReport.note</c>).
    /// </summary>
    public static DiagnosticReport Report(ExportContext context, DiagnosisRecord diagnosis, string url, IReadOnlyList<string> resultUrls)
    {
        var note = diagnosis.Kind == DiagnosisKind.ClinicianNote;
        var ecg = diagnosis.Findings.Any(f => IsEcgFinding(f.Kind));
        var (start, end) = EvidenceSpan(diagnosis);
        return new DiagnosticReport
        {
            Id = ExportContext.IdOf(url),
            Identifier = [Elements.Identifier(context.Naming.Transaction(diagnosis.Origin.Chain), diagnosis.Origin.TransactionId)],
            Status = note ? DiagnosticReport.DiagnosticReportStatus.Final : DiagnosticReport.DiagnosticReportStatus.Preliminary,
            Category =
            [
                // Displays as the R4 code system has them (two spaces after "EKG," included).
                note ? Elements.Concept(FhirCodes.DiagnosticServiceSection, "PHY", "Physician (Hx. Dx, admission note, etc.)")
                : ecg ? Elements.Concept(FhirCodes.DiagnosticServiceSection, "EC", "Electrocardiac (e.g., EKG,  EEC, Holter)")
                : Elements.Concept(FhirCodes.DiagnosticServiceSection, "OTH", "Other"),
            ],
            Code = note
                ? Elements.Concept(context.Naming.DiagnosisKind, "clinician-note", "Clinician note", "Clinician note on wearable data")
                : Elements.Concept(context.Naming.DiagnosisKind, "automated-screening", "Automated screening", "Automated screening of wearable data"),
            Subject = context.Patient(),
            Effective = Elements.Period(FhirTime.DateTime(start), FhirTime.DateTime(end)),
            Issued = FhirTime.Instant(diagnosis.Origin.BlockTimeMs),
            Performer = [context.Doctor(diagnosis.DoctorId)],
            Result = resultUrls.Select(u => new ResourceReference(u)).ToList(),
            Conclusion = note ? diagnosis.ClinicianNote : diagnosis.Disclaimer ?? AlgorithmInfo.ScreeningDisclaimer,
        };
    }

    /// <summary>One finding: its kind as code, its text as value, severity as interpretation, algorithm as method, named values as components.</summary>
    public static Observation Finding(ExportContext context, DiagnosisRecord diagnosis, FindingRecord finding, string url)
    {
        var kind = finding.Kind.ToString();
        var severity = finding.Severity.ToString();
        var (interpretation, interpretationDisplay) = Interpretation(finding.Severity);
        return new Observation
        {
            Id = ExportContext.IdOf(url),
            Status = ObservationStatusOf(diagnosis),
            Code = Elements.Concept(context.Naming.FindingKind, kind, kind, "Screening finding: " + kind),
            Subject = context.Patient(),
            Effective = Effective(finding),
            Performer = [context.Doctor(diagnosis.DoctorId)],
            Value = new FhirString(finding.Text),
            Interpretation =
            [
                new CodeableConcept
                {
                    Coding =
                    [
                        Elements.Coding(FhirCodes.ObservationInterpretation, interpretation, interpretationDisplay),
                        Elements.Coding(context.Naming.FindingSeverity, severity, severity),
                    ],
                    Text = "Severity: " + severity,
                },
            ],
            Method = new CodeableConcept { Text = finding.Algorithm + " " + finding.AlgorithmVersion },
            Component = finding.Values.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => Component(context, v.Key, v.Value)).ToList(),
        };
    }

    /// <summary>
    /// A finding's mean heart rate as a vital-signs heart rate, over the finding's evidence. It is tied to its finding
    /// by the report's results and the provenance they share, not by <c>derivedFrom</c>: the vital-signs profile allows
    /// <c>derivedFrom</c> to point only at other vital signs, and a finding is not one.
    /// </summary>
    public static Observation HeartRate(ExportContext context, DiagnosisRecord diagnosis, FindingRecord finding, string url)
    {
        var effective = Effective(finding) ?? Elements.Period(FhirTime.DateTime(diagnosis.WindowStartMs), FhirTime.DateTime(diagnosis.WindowEndMs));
        var observation = ReadingObservations.HeartRate(context, url, ObservationStatusOf(diagnosis), effective, ToDecimal(finding.Values[MeanHeartRateValue]), null);
        observation.Performer = [context.Doctor(diagnosis.DoctorId)];
        return observation;
    }

    /// <summary>The earliest start and latest end of the findings' evidence; the diagnosis window when none has a time.</summary>
    public static (long Start, long End) EvidenceSpan(DiagnosisRecord diagnosis)
    {
        var timed = diagnosis.Findings.Where(f => f.StartMs is not null).ToList();
        return timed.Count == 0
            ? (diagnosis.WindowStartMs, diagnosis.WindowEndMs)
            : (timed.Min(f => f.StartMs!.Value), timed.Max(f => f.EndMs!.Value));
    }

    /// <summary>A double as a decimal (finding values are finite and rounded to 4 places by the analysis library).</summary>
    public static decimal ToDecimal(double value) =>
        Elements.Normalize(decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture));

    private static DataType? Effective(FindingRecord finding) => finding switch
    {
        { StartMs: null } => null,
        { StartMs: var s, EndMs: var e } when s == e => new FhirDateTime(FhirTime.DateTime(s.Value)),
        _ => Elements.Period(FhirTime.DateTime(finding.StartMs.Value), FhirTime.DateTime(finding.EndMs!.Value)),
    };

    private static Observation.ComponentComponent Component(ExportContext context, string name, double value)
    {
        var (code, unit) = FindingValueUnits.Of(name);
        return new Observation.ComponentComponent
        {
            Code = Elements.Concept(context.Naming.FindingValue, name, name),
            Value = Elements.Ucum(ToDecimal(value), code, unit),
        };
    }

    private static (string Code, string Display) Interpretation(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Info => ("N", "Normal"),
        FindingSeverity.Critical => ("AA", "Critical abnormal"),
        _ => ("A", "Abnormal"),
    };

    private static bool IsEcgFinding(FindingKind kind) => kind is FindingKind.HeartRateSummary or FindingKind.Bradycardia or FindingKind.Tachycardia
        or FindingKind.IrregularRhythm or FindingKind.Pause or FindingKind.LeadOff or FindingKind.PoorSignalQuality or FindingKind.InsufficientSignal;
}
