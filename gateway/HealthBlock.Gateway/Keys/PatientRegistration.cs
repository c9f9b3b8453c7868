using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Keys;

/// <summary>The patient's self-registration on the ledger.</summary>
public static class PatientRegistration
{
    /// <summary>
    /// Raises the nonce counter to the ledger's view and registers the patient unless it is registered already.
    /// </summary>
    /// <exception cref="InvalidOperationException">The identity is registered with another role.</exception>
    public static async Task EnsureAsync(LedgerSubmitter submitter, ILedgerReader ledger, Crypto.PublicIdentity patient, string name, ILogger logger, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(logger);
        await submitter.SyncNonceAsync(cancellationToken).ConfigureAwait(false);
        var identity = await ledger.GetIdentityAsync(patient.Id, cancellationToken).ConfigureAwait(false);
        if (identity is not null)
        {
            if (identity.Role != Role.Patient)
            {
                throw new InvalidOperationException($"Identity {patient.Id} is registered as {LedgerNames.RoleName(identity.Role)}, not as a patient.");
            }

            return;
        }

        await submitter.SubmitAndWaitAsync(RegisterPayload.For(patient, Role.Patient, name), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Registered patient {Patient}", patient.Id);
    }
}
