namespace HealthBlock.Web.Hosting;

/// <summary>The doctor page's rule: a patient is shown only while its current epoch names the doctor.</summary>
internal static class DoctorAccess
{
    /// <summary>The patient's summary when it grants <paramref name="records"/>' doctor now.</summary>
    /// <exception cref="PageAccessException">It does not (never did, or revoked).</exception>
    public static async Task<PatientSummary> CheckAsync(IDoctorRecords records, string? patient, CancellationToken cancellationToken)
    {
        var patients = await records.PatientsAsync(cancellationToken).ConfigureAwait(false);
        return patients.FirstOrDefault(p => p.Patient == patient && p.Authorised)
            ?? throw new PageAccessException($"patient {patient} has not granted doctor {records.Doctor} access");
    }
}
