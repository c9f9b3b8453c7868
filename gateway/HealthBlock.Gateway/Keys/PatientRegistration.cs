using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Keys;

/// <summary>
/// The patient's registration, which the gateway waits for and never makes: an admin registers patients, like doctors,
/// from their exported identity (<c>healthblock identity export</c>, <c>healthblock admin register</c>); the ledger
/// refuses an identity registering itself (<see cref="RejectReason.SelfRegistrationRefused"/>).
/// </summary>
public static class PatientRegistration
{
    /// <summary>How often the ledger is asked again while the patient is not registered.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Returns once <paramref name="patient"/> is registered as a patient; until then says so once (a warning naming the
    /// commands an admin runs) and asks the ledger again every <paramref name="pollInterval"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The identity is registered with another role.</exception>
    public static async Task WaitAsync(ILedgerReader ledger, Crypto.PublicIdentity patient, ILogger logger, TimeProvider time, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        var waited = false;
        while (true)
        {
            var identity = await ledger.GetIdentityAsync(patient.Id, cancellationToken).ConfigureAwait(false);
            if (identity is not null)
            {
                if (identity.Role != Role.Patient)
                {
                    throw new InvalidOperationException($"Identity {patient.Id} is registered as {LedgerNames.RoleName(identity.Role)}, not as a patient.");
                }

                if (waited)
                {
                    logger.LogInformation("Patient {Patient} is registered now; starting", patient.Id);
                }

                return;
            }

            if (!waited)
            {
                logger.LogWarning(
                    "Patient {Patient} is not registered on the ledger; waiting until an admin registers it (healthblock identity export PATIENT.KEY --name NAME --out patient.json, then healthblock admin register --identity patient.json)",
                    patient.Id);
                waited = true;
            }

            await Task.Delay(pollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
