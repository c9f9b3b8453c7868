namespace HealthBlock.Fhir;

/// <summary>What a diagnosis document is (its <c>kind</c> field).</summary>
public enum DiagnosisKind
{
    /// <summary><c>automated-screening</c>: findings of the analysis software, for review by a clinician.</summary>
    AutomatedScreening,

    /// <summary><c>clinician-note</c>: a note written and signed by the doctor.</summary>
    ClinicianNote,
}
