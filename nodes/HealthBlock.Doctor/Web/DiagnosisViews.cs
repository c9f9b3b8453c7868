using HealthBlock.Analysis;
using HealthBlock.Web;

namespace HealthBlock.Doctor.Web;

/// <summary>
/// Turns a decrypted diagnosis document into what the pages show. A finding's window is stored in seconds from the
/// document's <see cref="DiagnosisDocument.WindowStartMs"/> (see <see cref="BatchAnalyzer"/>), so its absolute
/// evidence span is that start plus the window; an ECG finding's device is the analysed recording that holds the span.
/// </summary>
public static class DiagnosisViews
{
    /// <summary>The view of <paramref name="diagnosis"/>.</summary>
    public static DiagnosisView From(PatientDiagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(diagnosis);
        var doc = diagnosis.Document;
        var location = diagnosis.Committed.Location.ToString();
        if (doc is null)
        {
            return new DiagnosisView(diagnosis.TransactionId, diagnosis.Doctor.ToString(), DiagnosisKinds.AutomatedScreening, diagnosis.Payload.WindowStartMs, diagnosis.Payload.WindowEndMs, 0, null, [], [], null, diagnosis.Error, location);
        }

        var findings = (doc.Analysis?.Findings ?? []).OrderByDescending(f => f.Severity).Select(f => Finding(doc, f)).ToList();
        var rates = doc.Ecg.Where(e => e.HeartRate is not null).Select(e => new HeartRatePoint(e.StartMs, e.Device, Math.Round(e.HeartRate!.MeanHeartRateBpm, 1))).ToList();
        return new DiagnosisView(diagnosis.TransactionId, diagnosis.Doctor.ToString(), doc.Kind, doc.WindowStartMs, doc.WindowEndMs, doc.CreatedMs, doc.Follows, findings, rates, doc.ClinicianNote, null, location);
    }

    /// <summary>The finding with its absolute span (and, for ECG, its device).</summary>
    public static FindingView Finding(DiagnosisDocument document, Finding finding)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(finding);
        long? start = null, end = null;
        string? device = null;
        if (finding.Window is { } w)
        {
            start = document.WindowStartMs + (long)Math.Round(w.StartSeconds * 1000);
            end = document.WindowStartMs + (long)Math.Round(w.EndSeconds * 1000);
            if (IsEcg(finding.Kind))
            {
                device = document.Ecg.FirstOrDefault(e => e.StartMs <= start && end <= e.EndMs + 1)?.Device;
            }
        }

        return new FindingView(finding.Kind.ToString(), finding.Severity.ToString(), finding.Text, device, start, end, $"{finding.Algorithm} {finding.AlgorithmVersion}");
    }

    private static bool IsEcg(FindingKind kind) => kind is FindingKind.HeartRateSummary or FindingKind.Bradycardia or FindingKind.Tachycardia
        or FindingKind.IrregularRhythm or FindingKind.Pause or FindingKind.LeadOff or FindingKind.PoorSignalQuality
        or FindingKind.InsufficientSignal or FindingKind.VentricularRun;
}
