using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Ledger;

/// <summary>
/// The one way a party signs and submits its transactions. It signs with nonces from an <see cref="INonceCounter"/>;
/// submits without asking first (a transaction the ledger already has comes back as a duplicate, which counts as
/// submitted); on a nonce clash — another process of the same identity used the nonce first — raises the counter to the
/// ledger's view and re-signs, a few times at most, telling the caller the new transaction before submitting it (so a
/// caller that persists signed transactions can replace the old one); and waits for the commit. Whether a refusal is
/// worth retrying is <see cref="RejectReasonExtensions.IsTransient"/>.
/// </summary>
/// <remarks>Safe for concurrent use. The key stays owned by the caller.</remarks>
public sealed class LedgerSubmitter
{
    private readonly IdentityKey _key;
    private readonly NetworkId _network;
    private readonly INonceCounter _nonces;
    private readonly ILedgerWriter _writer;
    private readonly ILedgerReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the submitter for <paramref name="key"/>, signing for <paramref name="network"/>.</summary>
    public LedgerSubmitter(IdentityKey key, NetworkId network, INonceCounter nonces, ILedger ledger, TimeProvider? time = null, ILogger? logger = null)
        : this(key, network, nonces, ledger, ledger, time, logger)
    {
    }

    /// <summary>Creates the submitter for <paramref name="key"/> over a separate writer and reader, signing for <paramref name="network"/>.</summary>
    public LedgerSubmitter(IdentityKey key, NetworkId network, INonceCounter nonces, ILedgerWriter writer, ILedgerReader reader, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(nonces);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(reader);
        _key = key;
        _network = network;
        _nonces = nonces;
        _writer = writer;
        _reader = reader;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The signer.</summary>
    public IdentityId Signer => _key.Id;

    /// <summary>The network it signs for.</summary>
    public NetworkId Network => _network;

    /// <summary>How long <see cref="SubmitAndWaitAsync(Transaction, Action{Transaction}?, CancellationToken)"/> waits for a commit (30 s).</summary>
    public TimeSpan CommitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times one submission re-signs after nonce clashes before giving up (5).</summary>
    public int MaxResigns { get; init; } = 5;

    /// <summary>Signs <paramref name="payload"/> with the next nonce and the current time.</summary>
    public Transaction Sign(TransactionPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return Transaction.Sign(new TransactionBody(_network, _key.Id, _nonces.Take(), _time.GetUtcNow().ToUnixTimeMilliseconds(), payload), _key);
    }

    /// <summary>Raises the nonce counter to the ledger's view of this signer (its last committed nonce).</summary>
    public async Task SyncNonceAsync(CancellationToken cancellationToken = default)
    {
        var next = await _reader.GetNextNonceAsync(_key.Id, cancellationToken).ConfigureAwait(false);
        _nonces.RaiseTo(next - 1);
    }

    /// <summary>
    /// Submits <paramref name="transaction"/> once, re-signing on nonce clashes (<paramref name="resigned"/> learns each
    /// new transaction before it is submitted). Refusals are returned, not thrown.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(Transaction transaction, Action<Transaction>? resigned = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        for (var attempt = 0; ; attempt++)
        {
            var result = await _writer.SubmitAsync(transaction, cancellationToken).ConfigureAwait(false);
            if (result.Accepted || result.Reason == RejectReason.DuplicateTransaction)
            {
                return new SubmitOutcome(transaction, true, !result.Accepted, RejectReason.None, null);
            }

            if (result.Reason != RejectReason.ReplayedNonce || attempt >= MaxResigns)
            {
                return new SubmitOutcome(transaction, false, false, result.Reason, result.Message);
            }

            await SyncNonceAsync(cancellationToken).ConfigureAwait(false);
            var fresh = Sign(transaction.Body.Payload);
            _logger.LogInformation("Nonce {Nonce} of {Signer} was taken; {Type} re-signed with nonce {New}", transaction.Body.Nonce, _key.Id, transaction.Body.Type, fresh.Body.Nonce);
            resigned?.Invoke(fresh);
            transaction = fresh;
        }
    }

    /// <summary>Submits (as <see cref="SubmitAsync"/>) and waits for the commit; any refusal is thrown.</summary>
    /// <exception cref="LedgerRejectedException">The ledger refused it, or it was not committed within <see cref="CommitTimeout"/>.</exception>
    public async Task<(Transaction Transaction, TxLocation Location)> SubmitAndWaitAsync(Transaction transaction, Action<Transaction>? resigned = null, CancellationToken cancellationToken = default)
    {
        var outcome = await SubmitAsync(transaction, resigned, cancellationToken).ConfigureAwait(false);
        if (!outcome.Accepted)
        {
            throw outcome.ToException();
        }

        var location = await _writer.WaitForCommitAsync(outcome.Transaction.IdBytes, CommitTimeout, cancellationToken).ConfigureAwait(false);
        return (outcome.Transaction, location);
    }

    /// <summary>Signs <paramref name="payload"/>, submits it and waits for the commit.</summary>
    /// <exception cref="LedgerRejectedException">The ledger refused it, or it was not committed in time.</exception>
    public Task<(Transaction Transaction, TxLocation Location)> SubmitAndWaitAsync(TransactionPayload payload, CancellationToken cancellationToken = default) =>
        SubmitAndWaitAsync(Sign(payload), null, cancellationToken);
}
