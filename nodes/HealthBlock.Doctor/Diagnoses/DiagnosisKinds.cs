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
