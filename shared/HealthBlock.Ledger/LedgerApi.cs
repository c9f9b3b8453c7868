using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The ledger as the gateway, the doctor node and the CLI see it: submit transactions and await their commit, read
/// blocks and transactions with inclusion proofs, query the state, follow a chain. Implemented by the in-process
/// accounting node and by <see cref="LedgerClient"/> over HTTP; one conformance suite tests both.
/// </summary>
/// <remarks>All members are safe for concurrent use.</remarks>
public interface ILedger
{
    /// <summary>
    /// Submits a signed transaction. Accepted means the leader validated it against its speculative state and will
    /// put it in a block; await <see cref="WaitForCommitAsync"/> for the block. Rejected carries a reason code.
    /// A follower forwards the submission to the leader.
    /// </summary>
    Task<SubmitResult> SubmitAsync(Transaction transaction, CancellationToken cancellationToken = default);

    /// <summary>Waits until the transaction is committed on this node and returns where.</summary>
    /// <exception cref="LedgerRejectedException"><see cref="RejectReason.Timeout"/> after <paramref name="timeout"/>, or
    /// <see cref="RejectReason.LeadershipLost"/> when the leader dropped it (submit it again).</exception>
    Task<TxLocation> WaitForCommitAsync(ReadOnlyMemory<byte> transactionId, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>A committed transaction with its Merkle inclusion proof, or null.</summary>
    Task<CommittedTransaction?> GetTransactionAsync(ReadOnlyMemory<byte> transactionId, CancellationToken cancellationToken = default);

    /// <summary>A block, or null when the chain is not that high yet.</summary>
    /// <exception cref="LedgerRejectedException"><see cref="RejectReason.ChainUnavailable"/> when the node refuses to serve the chain.</exception>
    Task<Block?> GetBlockAsync(ChainId chain, ulong height, CancellationToken cancellationToken = default);

    /// <summary>
    /// The committed transactions a party takes part in on <paramref name="chain"/> from <paramref name="fromHeight"/>,
    /// in ledger order (at most <paramref name="limit"/>; continue from the last one's height). Without proofs.
    /// </summary>
    Task<IReadOnlyList<CommittedTransaction>> GetTransactionsForAsync(IdentityId party, ChainId chain, ulong fromHeight, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every block of <paramref name="chain"/> from <paramref name="fromHeight"/> on, in order, then each new block as it
    /// commits, until cancelled. Nothing is skipped: a follower that persists the last height it handled and subscribes
    /// from the next one misses nothing.
    /// </summary>
    IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, CancellationToken cancellationToken = default);

    /// <summary>A registered identity, or null.</summary>
    Task<IdentityRecord?> GetIdentityAsync(IdentityId id, CancellationToken cancellationToken = default);

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

/// <summary>The answer to a submission.</summary>
/// <param name="Accepted">True when the leader accepted it for the next block.</param>
/// <param name="TransactionId">The transaction id (hex).</param>
/// <param name="Reason">Why it was rejected (<see cref="RejectReason.None"/> when accepted).</param>
/// <param name="Message">What was wrong, for people (null when accepted).</param>
public sealed record SubmitResult(bool Accepted, string TransactionId, RejectReason Reason, string? Message)
{
    /// <summary>An acceptance.</summary>
    public static SubmitResult Accept(string transactionId) => new(true, transactionId, RejectReason.None, null);

    /// <summary>A rejection.</summary>
    public static SubmitResult Reject(string transactionId, Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return new(false, transactionId, rejection.Reason, rejection.Message);
    }

    /// <summary>Throws <see cref="LedgerRejectedException"/> when rejected.</summary>
    public SubmitResult EnsureAccepted() => Accepted ? this : throw new LedgerRejectedException(Reason, Message ?? Reason.ToString());
}

/// <summary>A committed transaction and where it is.</summary>
/// <param name="Transaction">The signed transaction.</param>
/// <param name="Location">Chain, block height and index.</param>
/// <param name="BlockHash">Hash of its block.</param>
/// <param name="MerkleRoot">Its block's Merkle root.</param>
/// <param name="Proof">The RFC 6962 inclusion proof of its id under <paramref name="MerkleRoot"/> (null in lists).</param>
public sealed record CommittedTransaction(Transaction Transaction, TxLocation Location, byte[] BlockHash, byte[] MerkleRoot, MerkleProof? Proof)
{
    /// <summary>True when the proof leads from the transaction id to the Merkle root.</summary>
    public bool VerifyInclusion() =>
        Proof is not null && Proof.LeafIndex == Location.Index && MerkleTree.Verify(Transaction.Id, Proof, MerkleRoot);

    /// <summary>Builds the record for transaction <paramref name="index"/> of <paramref name="block"/>.</summary>
    public static CommittedTransaction FromBlock(Block block, int index, bool withProof)
    {
        ArgumentNullException.ThrowIfNull(block);
        return new(
            block.Transactions[index],
            new TxLocation(block.Header.Chain, block.Header.Height, index),
            block.Hash,
            block.Header.MerkleRoot,
            withProof ? block.Prove(index) : null);
    }
}

/// <summary>What a node reports about itself.</summary>
/// <param name="NodeId">The node's identity id.</param>
/// <param name="Role">leader, follower or candidate.</param>
/// <param name="Term">The Raft term.</param>
/// <param name="Leader">The leader's Raft endpoint, if known.</param>
/// <param name="LeaderUrl">The leader's HTTP URL, if known.</param>
/// <param name="Chains">Per chain: block count, tip hash, fault.</param>
/// <param name="Peers">The other cluster members.</param>
/// <param name="StateHash">Hex SHA-256 of the committed state (see <see cref="LedgerState.ComputeStateHash"/>).</param>
/// <param name="GenesisHash">Hex hash of the genesis.</param>
/// <param name="DiagnosisFee">Healthcoin per diagnosis.</param>
/// <param name="AppliedIndex">The last Raft log index applied.</param>
/// <param name="RejectedBlocks">Committed blocks this replica refused as invalid (should stay 0).</param>
/// <param name="LastRejection">Why the last one was refused.</param>
public sealed record LedgerStatus(
    string NodeId,
    string Role,
    long Term,
    string? Leader,
    string? LeaderUrl,
    IReadOnlyList<ChainStatus> Chains,
    IReadOnlyList<PeerStatus> Peers,
    string StateHash,
    string GenesisHash,
    ulong DiagnosisFee,
    long AppliedIndex,
    long RejectedBlocks,
    string? LastRejection)
{
    /// <summary>Number of blocks of a chain.</summary>
    public ulong BlockCount(ChainId chain) => Chains.FirstOrDefault(c => c.Chain == chain)?.BlockCount ?? 0;
}

/// <summary>One chain's status on a node.</summary>
/// <param name="Chain">Which chain.</param>
/// <param name="BlockCount">Number of blocks (the next block's height).</param>
/// <param name="TipHash">Hex hash of the last block (zeros when empty).</param>
/// <param name="Fault">Why the node refuses to serve this chain, or null.</param>
public sealed record ChainStatus(ChainId Chain, ulong BlockCount, string TipHash, string? Fault);

/// <summary>A cluster member as a node sees it.</summary>
/// <param name="EndPoint">Its Raft endpoint.</param>
/// <param name="Status">available, unavailable or unknown.</param>
/// <param name="IsLeader">True for the leader.</param>
/// <param name="IsSelf">True for the reporting node.</param>
public sealed record PeerStatus(string EndPoint, string Status, bool IsLeader, bool IsSelf);

/// <summary>Helpers over <see cref="ILedger"/>.</summary>
public static class LedgerExtensions
{
    /// <summary>Submits, throws <see cref="LedgerRejectedException"/> on rejection, and waits for the commit.</summary>
    public static async Task<TxLocation> SubmitAndWaitAsync(this ILedger ledger, Transaction transaction, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(transaction);
        (await ledger.SubmitAsync(transaction, cancellationToken).ConfigureAwait(false)).EnsureAccepted();
        return await ledger.WaitForCommitAsync(transaction.IdBytes, timeout, cancellationToken).ConfigureAwait(false);
    }
}
