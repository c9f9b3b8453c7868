using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>Reads the ledger: committed transactions with inclusion proofs, blocks, and the state (identities, keys, balances).</summary>
/// <remarks>All members are safe for concurrent use.</remarks>
public interface ILedgerReader
{
    /// <summary>A committed transaction with its Merkle inclusion proof, or null.</summary>
    Task<CommittedTransaction?> GetTransactionAsync(ReadOnlyMemory<byte> transactionId, CancellationToken cancellationToken = default);

    /// <summary>A block, or null when the chain is not that high yet.</summary>
    /// <exception cref="LedgerRejectedException"><see cref="RejectReason.ChainUnavailable"/> when the node refuses to serve the chain.</exception>
    Task<Block?> GetBlockAsync(ChainId chain, ulong height, CancellationToken cancellationToken = default);

    /// <summary>
    /// The committed blocks of <paramref name="chain"/> from <paramref name="fromHeight"/> up to (not including)
    /// <paramref name="toHeight"/>, in order, ending early at the chain's end. A remote ledger sends them as one stream
    /// (no round trip per block); this default asks for them one by one.
    /// </summary>
    /// <exception cref="LedgerRejectedException"><see cref="RejectReason.ChainUnavailable"/> when the node refuses to serve the chain.</exception>
    async IAsyncEnumerable<Block> ReadBlocksAsync(ChainId chain, ulong fromHeight, ulong toHeight, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var h = fromHeight; h < toHeight; h++)
        {
            if (await GetBlockAsync(chain, h, cancellationToken).ConfigureAwait(false) is not { } block)
            {
                yield break;
            }

            yield return block;
        }
    }

    /// <summary>
    /// The committed transactions a party takes part in on <paramref name="chain"/> from <paramref name="fromHeight"/>,
    /// in ledger order (at most <paramref name="limit"/>; continue from the last one's height). Without proofs.
    /// </summary>
    Task<IReadOnlyList<CommittedTransaction>> GetTransactionsForAsync(IdentityId party, ChainId chain, ulong fromHeight, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>A registered identity, or null.</summary>
    Task<IdentityRecord?> GetIdentityAsync(IdentityId id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registered identities (genesis ones included) in ascending id order, of <paramref name="role"/> only when given,
    /// starting after <paramref name="after"/> (exclusive; null: from the first), at most <paramref name="limit"/>:
    /// page on from the last one's id.
    /// </summary>
    Task<IReadOnlyList<IdentityRecord>> GetIdentitiesAsync(Role? role, IdentityId? after = null, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>A patient's current key epoch and authorised doctors, or null when not a registered patient.</summary>
    Task<PatientKeys?> GetPatientKeysAsync(IdentityId patient, CancellationToken cancellationToken = default);

    /// <summary>The patient's latest key transaction (with proof), or null.</summary>
    Task<CommittedTransaction?> GetLatestKeyTransactionAsync(IdentityId patient, CancellationToken cancellationToken = default);

    /// <summary>Healthcoin balance.</summary>
    Task<ulong> GetBalanceAsync(IdentityId id, CancellationToken cancellationToken = default);

    /// <summary>The credit a patient has paid a doctor and diagnoses have not consumed yet.</summary>
    Task<ulong> GetCreditAsync(IdentityId doctor, IdentityId patient, CancellationToken cancellationToken = default);

    /// <summary>
    /// The next nonce for a signer after all committed transactions (last committed nonce + 1). A signer with
    /// transactions in flight counts on from its own last nonce.
    /// </summary>
    Task<ulong> GetNextNonceAsync(IdentityId signer, CancellationToken cancellationToken = default);

    /// <summary>The genesis the ledger grew from (needed to audit it).</summary>
    Task<Genesis> GetGenesisAsync(CancellationToken cancellationToken = default);

    /// <summary>Node status: role, term, leader, chain heights, peers, state hash.</summary>
    Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
