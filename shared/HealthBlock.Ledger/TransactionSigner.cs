using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// Signs transactions for one identity with strictly increasing nonces (start from
/// <see cref="ILedgerReader.GetNextNonceAsync"/>). Safe for concurrent use; the key stays owned by the caller.
/// </summary>
public sealed class TransactionSigner
{
    private readonly IdentityKey _key;
    private readonly NetworkId _network;
    private readonly TimeProvider _time;
    private long _nextNonce;

    /// <summary>Creates a signer for <paramref name="network"/> whose next transaction gets <paramref name="nextNonce"/>.</summary>
    public TransactionSigner(IdentityKey key, NetworkId network, ulong nextNonce = 1, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfZero(nextNonce);
        _key = key;
        _network = network;
        _time = time ?? TimeProvider.System;
        _nextNonce = (long)nextNonce;
    }

    /// <summary>The signer's id.</summary>
    public IdentityId Id => _key.Id;

    /// <summary>The nonce the next transaction gets.</summary>
    public ulong NextNonce => (ulong)Interlocked.Read(ref _nextNonce);

    /// <summary>Signs <paramref name="payload"/> with the next nonce.</summary>
    public Transaction Sign(TransactionPayload payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var nonce = (ulong)Interlocked.Increment(ref _nextNonce) - 1;
        return Transaction.Sign(new TransactionBody(_network, _key.Id, nonce, _time.GetUtcNow().ToUnixTimeMilliseconds(), payload), _key);
    }
}
