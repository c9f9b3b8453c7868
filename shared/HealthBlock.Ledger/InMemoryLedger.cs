using System.Runtime.CompilerServices;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// A whole ledger in memory: the same <see cref="LedgerState"/> rules as an accounting node, without Raft, HTTP or
/// files. Each accepted transaction is sealed at once into a block of its own, signed by the genesis node key given,
/// and committed. For tests of the parts that use a ledger (gateway, doctor node, CLI) and are not about replication;
/// it passes the same conformance suite as the accounting node and the HTTP client.
/// </summary>
/// <remarks>Safe for concurrent use.</remarks>
public sealed class InMemoryLedger : ILedger, IDisposable
{
    private readonly object _sync = new();
    private readonly IdentityKey _proposer;
    private readonly TimeProvider _time;
    private readonly List<Block>[] _blocks = [[], []];
    private readonly CommitWaiters _waiters;
    private readonly CommittedStateReader _reader;
    private readonly LedgerState _state;
    private TaskCompletionSource _blockSignal = NewSignal();

    /// <summary>
    /// A ledger grown from <paramref name="genesis"/>; <paramref name="proposer"/> (an accounting node of the genesis)
    /// signs its blocks and stays owned by the caller.
    /// </summary>
    /// <exception cref="ArgumentException">The proposer is not an accounting node of the genesis.</exception>
    public InMemoryLedger(Genesis genesis, IdentityKey proposer, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(genesis);
        ArgumentNullException.ThrowIfNull(proposer);
        _state = LedgerState.FromGenesis(genesis);
        if (_state.GetIdentity(proposer.Id) is not { Role: Role.AccountingNode })
        {
            throw new ArgumentException($"{proposer.Id} is not an accounting node of the genesis.", nameof(proposer));
        }

        Genesis = genesis;
        _proposer = proposer;
        _time = time ?? TimeProvider.System;
        _reader = new CommittedStateReader(genesis, _sync, () => _state, new MemoryBlocks(this), Status);
        _waiters = new CommitWaiters(_sync, () => _state, _time);
    }

    /// <summary>The genesis.</summary>
    public Genesis Genesis { get; }

    /// <summary>The committed state hash (hex).</summary>
    public string StateHash
    {
        get
        {
            lock (_sync)
            {
                return Convert.ToHexStringLower(_state.ComputeStateHash());
            }
        }
    }

    /// <inheritdoc />
    public Task<SubmitResult> SubmitAsync(Transaction transaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        lock (_sync)
        {
            if (_state.Validate(transaction) is { } invalid)
            {
                return Task.FromResult(SubmitResult.Reject(transaction.IdHex, invalid));
            }

            var chain = transaction.Body.Chain;
            var tip = _state.Tip(chain);
            var time = Math.Max(_time.GetUtcNow().ToUnixTimeMilliseconds(), _state.LastBlockTimeMs + 1);
            var block = Block.Create(Genesis.NetworkId, chain, tip.BlockCount, tip.LastHash, time, _proposer, [transaction]);
            if (_state.TryApplyBlock(block, [true]) is { } refused)
            {
                return Task.FromResult(SubmitResult.Reject(transaction.IdHex, refused));
            }

            _blocks[Index(chain)].Add(block);
            _waiters.Committed(block);
            _blockSignal.TrySetResult();
            _blockSignal = NewSignal();
        }

        return Task.FromResult(SubmitResult.Accept(transaction.IdHex));
    }

    /// <inheritdoc />
    public Task<TxLocation> WaitForCommitAsync(ReadOnlyMemory<byte> transactionId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        _waiters.WaitAsync(transactionId.ToArray(), timeout, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = fromHeight;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task signal;
            List<Block> ready;
            lock (_sync)
            {
                signal = _blockSignal.Task;
                var blocks = _blocks[Index(chain)];
                ready = next < (ulong)blocks.Count ? blocks.GetRange((int)next, blocks.Count - (int)next) : [];
            }

            foreach (var block in ready)
            {
                next++;
                yield return block;
            }

            if (ready.Count == 0)
            {
                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public Task<CommittedTransaction?> GetTransactionAsync(ReadOnlyMemory<byte> transactionId, CancellationToken cancellationToken = default) => _reader.GetTransactionAsync(transactionId, cancellationToken);

    /// <inheritdoc />
    public Task<Block?> GetBlockAsync(ChainId chain, ulong height, CancellationToken cancellationToken = default) => _reader.GetBlockAsync(chain, height, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CommittedTransaction>> GetTransactionsForAsync(IdentityId party, ChainId chain, ulong fromHeight, int limit = 1000, CancellationToken cancellationToken = default) =>
        _reader.GetTransactionsForAsync(party, chain, fromHeight, limit, cancellationToken);

    /// <inheritdoc />
    public Task<IdentityRecord?> GetIdentityAsync(IdentityId id, CancellationToken cancellationToken = default) => _reader.GetIdentityAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<IdentityRecord>> GetIdentitiesAsync(Role? role, IdentityId? after = null, int limit = 1000, CancellationToken cancellationToken = default) => _reader.GetIdentitiesAsync(role, after, limit, cancellationToken);

    /// <inheritdoc />
    public Task<PatientKeys?> GetPatientKeysAsync(IdentityId patient, CancellationToken cancellationToken = default) => _reader.GetPatientKeysAsync(patient, cancellationToken);

    /// <inheritdoc />
    public Task<CommittedTransaction?> GetLatestKeyTransactionAsync(IdentityId patient, CancellationToken cancellationToken = default) => _reader.GetLatestKeyTransactionAsync(patient, cancellationToken);

    /// <inheritdoc />
    public Task<ulong> GetBalanceAsync(IdentityId id, CancellationToken cancellationToken = default) => _reader.GetBalanceAsync(id, cancellationToken);

    /// <inheritdoc />
    public Task<ulong> GetCreditAsync(IdentityId doctor, IdentityId patient, CancellationToken cancellationToken = default) => _reader.GetCreditAsync(doctor, patient, cancellationToken);

    /// <inheritdoc />
    public Task<ulong> GetNextNonceAsync(IdentityId signer, CancellationToken cancellationToken = default) => _reader.GetNextNonceAsync(signer, cancellationToken);

    /// <inheritdoc />
    public Task<Genesis> GetGenesisAsync(CancellationToken cancellationToken = default) => _reader.GetGenesisAsync(cancellationToken);

    /// <inheritdoc />
    public Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default) => _reader.GetStatusAsync(cancellationToken);

    /// <summary>Fails every waiter; the ledger keeps its blocks.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            _waiters.FailAll(new Rejection(RejectReason.LeadershipLost, "the in-memory ledger was disposed"));
        }
    }

    private static int Index(ChainId chain) => chain == ChainId.Docchain ? 1 : 0;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LedgerStatus Status()
    {
        lock (_sync)
        {
            var chains = new[] { ChainId.Userchain, ChainId.Docchain }
                .Select(c => new ChainStatus(c, _state.Tip(c).BlockCount, Convert.ToHexStringLower(_state.Tip(c).LastHash), null))
                .ToList();
            return new LedgerStatus(
                _proposer.Id.ToString(), "leader", 1, null, null, chains, [], Convert.ToHexStringLower(_state.ComputeStateHash()),
                Convert.ToHexStringLower(Genesis.Hash), Genesis.DiagnosisFee, _blocks[0].Count + _blocks[1].Count, 0, null);
        }
    }

    private sealed class MemoryBlocks(InMemoryLedger ledger) : IBlockSource
    {
        public Block? ReadBlock(ChainId chain, ulong height)
        {
            lock (ledger._sync)
            {
                var blocks = ledger._blocks[Index(chain)];
                return height < (ulong)blocks.Count ? blocks[(int)height] : null;
            }
        }
    }
}
