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

    /// <summary>
    /// A critical finding seen on the live path, written at once: it covers no IoT transaction yet and cites the sealed
    /// live sub-batches it used (the period's IoT transaction commits them later).
    /// </summary>
    public const string Alarm = "alarm";

    /// <summary>A finding that started or ended on the live path (not critical, or a critical one ending); cites what it used.</summary>
    public const string FindingChange = "finding-change";

    /// <summary>The findings of one summary period (default 15 min), covering the period's committed IoT transactions.</summary>
    public const string Summary = "summary";
}
