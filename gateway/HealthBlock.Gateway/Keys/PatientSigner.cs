using HealthBlock.Crypto;
using HealthBlock.Gateway.Journal;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;

namespace HealthBlock.Gateway.Keys;

/// <summary>
/// Signs and submits the patient's transactions. Nonces come from a counter in the gateway database, shared by the
/// running service and the CLI, raised to the ledger's view on start and after a nonce clash, so two processes of
/// the same patient never sign two transactions with one nonce.
/// </summary>
public sealed class PatientSigner
{
    private const string NonceCounter = "patient-nonce";
    private readonly IdentityKey _patient;
    private readonly GatewayDatabase _database;
    private readonly ILedger _ledger;
    private readonly ILogger _logger;

    /// <summary>Creates the signer.</summary>
    public PatientSigner(IdentityKey patient, GatewayDatabase database, ILedger ledger, ILogger logger)
    {
        _patient = patient;
        _database = database;
        _ledger = ledger;
        _logger = logger;
    }

    /// <summary>The patient's identity.</summary>
    public IdentityKey Patient => _patient;

    /// <summary>How long to wait for a commit.</summary>
    public TimeSpan CommitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Raises the local nonce counter to the ledger's view.</summary>
    public async Task SyncNonceAsync(CancellationToken cancellationToken = default)
    {
        var next = await _ledger.GetNextNonceAsync(_patient.Id, cancellationToken);
        _database.RaiseCounter(NonceCounter, next - 1);
    }

    /// <summary>Signs <paramref name="payload"/> with the next nonce.</summary>
    public Transaction Sign(TransactionPayload payload) =>
        Transaction.Sign(new TransactionBody(_patient.Id, _database.NextCounter(NonceCounter), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), payload), _patient);

    /// <summary>
    /// Submits a transaction and waits for its commit. A transaction the ledger already has counts as submitted. On a
    /// nonce clash (another process of this patient used a higher nonce first) it re-signs with a fresh nonce, at most
    /// a few times; <paramref name="resigned"/> learns the new transaction before it is submitted.
    /// </summary>
    public async Task<(Transaction Transaction, TxLocation Location)> SubmitAsync(Transaction transaction, Action<Transaction>? resigned = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        for (var attempt = 0; ; attempt++)
        {
            var committed = await _ledger.GetTransactionAsync(transaction.IdBytes, cancellationToken);
            if (committed is not null)
            {
                return (transaction, committed.Location);
            }

            var result = await _ledger.SubmitAsync(transaction, cancellationToken);
            if (result.Accepted || result.Reason == RejectReason.DuplicateTransaction)
            {
                return (transaction, await _ledger.WaitForCommitAsync(transaction.IdBytes, CommitTimeout, cancellationToken));
            }

            if (result.Reason == RejectReason.ReplayedNonce && attempt < 5)
            {
                _logger.LogInformation("Nonce {Nonce} was taken; re-signing {Type} with a fresh nonce", transaction.Body.Nonce, transaction.Body.Type);
                await SyncNonceAsync(cancellationToken);
                transaction = Sign(transaction.Body.Payload);
                resigned?.Invoke(transaction);
                continue;
            }

            throw new LedgerRejectedException(result.Reason, result.Message ?? result.Reason.ToString());
        }
    }

    /// <summary>Registers the patient on the ledger if it is not yet (self-registration).</summary>
    public async Task EnsureRegisteredAsync(string name, CancellationToken cancellationToken = default)
    {
        var identity = await _ledger.GetIdentityAsync(_patient.Id, cancellationToken);
        if (identity is not null)
        {
            if (identity.Role != Role.Patient)
            {
                throw new InvalidOperationException($"Identity {_patient.Id} is registered as {identity.Role}, not as a patient.");
            }

            return;
        }

        await SyncNonceAsync(cancellationToken);
        await SubmitAsync(Sign(RegisterPayload.For(_patient.Public, Role.Patient, name)), cancellationToken: cancellationToken);
        _logger.LogInformation("Registered patient {Patient}", _patient.Id);
    }
}
