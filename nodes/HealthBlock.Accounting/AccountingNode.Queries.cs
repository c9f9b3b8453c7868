using System.Runtime.CompilerServices;
using DotNext.Net.Cluster.Consensus.Raft;
using HealthBlock.Crypto;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

public sealed partial class AccountingNode
{
    /// <inheritdoc />
    public async Task<TxLocation> WaitForCommitAsync(ReadOnlyMemory<byte> transactionId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var id = transactionId.ToArray();
        var waiter = new TaskCompletionSource<TxLocation>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            if (_committed.FindTransaction(id) is { } location)
            {
                return location;
            }

            if (_dropped.TryGetValue(id, out var dropped))
            {
                throw new LedgerRejectedException(dropped);
            }

            if (!_waiters.TryGetValue(id, out var list))
            {
                _waiters[id] = list = [];
            }

            list.Add(waiter);
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new LedgerRejectedException(RejectReason.Timeout, $"transaction {Convert.ToHexStringLower(id)} was not committed within {timeout.TotalMilliseconds:0} ms");
        }
        finally
        {
            lock (_sync)
            {
                if (_waiters.TryGetValue(id, out var list) && list.Remove(waiter) && list.Count == 0)
                {
                    _waiters.Remove(id);
                }
            }
        }
    }

    /// <inheritdoc />
    public Task<CommittedTransaction?> GetTransactionAsync(ReadOnlyMemory<byte> transactionId, CancellationToken cancellationToken = default)
    {
        TxLocation? location;
        lock (_sync)
        {
            location = _committed.FindTransaction(transactionId.Span);
        }

        return Task.FromResult(location is { } l ? ReadTransaction(l, withProof: true) : null);
    }

    /// <inheritdoc />
    public Task<Block?> GetBlockAsync(ChainId chain, ulong height, CancellationToken cancellationToken = default) =>
        Task.FromResult(ReadBlock(chain, height));

    /// <inheritdoc />
    public Task<IReadOnlyList<CommittedTransaction>> GetTransactionsForAsync(IdentityId party, ChainId chain, ulong fromHeight, int limit = 1000, CancellationToken cancellationToken = default)
    {
        EnsureServed(chain);
        IReadOnlyList<TxLocation> locations;
        lock (_sync)
        {
            locations = _committed.GetPartyTransactions(party, chain, fromHeight, Math.Clamp(limit, 1, 10_000));
        }

        var result = new List<CommittedTransaction>(locations.Count);
        Block? block = null;
        foreach (var l in locations)
        {
            if (block is null || block.Header.Height != l.Height)
            {
                block = ReadBlock(chain, l.Height);
            }

            if (block is not null)
            {
                result.Add(CommittedTransaction.FromBlock(block, l.Index, withProof: false));
            }
        }

        return Task.FromResult<IReadOnlyList<CommittedTransaction>>(result);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Block> SubscribeAsync(ChainId chain, ulong fromHeight, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var next = fromHeight;
        var store = _stores[Index(chain)];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            EnsureServed(chain);
            var signal = Volatile.Read(ref _blockSignal).Task;
            while (next < store.Count)
            {
                yield return ReadBlock(chain, next) ?? throw new LedgerRejectedException(RejectReason.BlockMissing, $"{LedgerText.ChainName(chain)} block {next} is missing");
                next++;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<IdentityRecord?> GetIdentityAsync(IdentityId id, CancellationToken cancellationToken = default) =>
        Read(s => s.GetIdentity(id));

    /// <inheritdoc />
    public Task<PatientKeys?> GetPatientKeysAsync(IdentityId patient, CancellationToken cancellationToken = default) =>
        Read(s => s.GetPatientKeys(patient));

    /// <inheritdoc />
    public Task<CommittedTransaction?> GetLatestKeyTransactionAsync(IdentityId patient, CancellationToken cancellationToken = default)
    {
        TxLocation? location;
        lock (_sync)
        {
            location = _committed.GetPatientKeys(patient)?.LatestKeyTransaction is { } id ? _committed.FindTransaction(id) : null;
        }

        return Task.FromResult(location is { } l ? ReadTransaction(l, withProof: true) : null);
    }

    /// <inheritdoc />
    public Task<ulong> GetBalanceAsync(IdentityId id, CancellationToken cancellationToken = default) => ReadValue(s => s.GetBalance(id));

    /// <inheritdoc />
    public Task<ulong> GetCreditAsync(IdentityId doctor, IdentityId patient, CancellationToken cancellationToken = default) =>
        ReadValue(s => s.GetCredit(doctor, patient));

    /// <inheritdoc />
    public Task<ulong> GetNextNonceAsync(IdentityId signer, CancellationToken cancellationToken = default) => ReadValue(s => s.GetNextNonce(signer));

    /// <inheritdoc />
    public Task<Genesis> GetGenesisAsync(CancellationToken cancellationToken = default) => Task.FromResult(Genesis);

    /// <inheritdoc />
    public Task<LedgerStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var cluster = _cluster;
        var leader = cluster?.Leader;
        var role = leader is null ? "candidate" : IsLeader ? "leader" : "follower";
        var peers = cluster?.Members.Select(m => new PeerStatus(
            m.EndPoint.ToString() ?? "",
            m.Status.ToString().ToLowerInvariant(),
            m.IsLeader,
            !m.IsRemote)).ToList() ?? [];
        string? leaderUrl = null;
        if (leader is not null)
        {
            leaderUrl = !leader.IsRemote ? HttpUrl.ToString()
                : leader.TryGetMetadata() is { } md && md.TryGetValue(HttpMetadataKey, out var u) ? u : null;
        }

        LedgerStatus status;
        lock (_sync)
        {
            var chains = new[] { ChainId.Userchain, ChainId.Docchain }.Select(c =>
            {
                var tip = _committed.Tip(c);
                return new ChainStatus(c, tip.BlockCount, Convert.ToHexStringLower(tip.LastHash), _faults[Index(c)]);
            }).ToList();
            status = new LedgerStatus(
                NodeId.ToString(),
                role,
                cluster?.Term ?? 0,
                leader?.EndPoint.ToString(),
                leaderUrl,
                chains,
                peers,
                Convert.ToHexStringLower(_committed.ComputeStateHash()),
                Convert.ToHexStringLower(Genesis.Hash),
                Genesis.DiagnosisFee,
                _appliedIndex,
                Interlocked.Read(ref _rejectedBlocks),
                _lastRejection);
        }

        return Task.FromResult(status);
    }

    /// <summary>The committed state hash (hex), for tests and tools.</summary>
    public string StateHash
    {
        get
        {
            lock (_sync)
            {
                return Convert.ToHexStringLower(_committed.ComputeStateHash());
            }
        }
    }

    /// <summary>Number of blocks of a chain this replica has applied.</summary>
    public ulong BlockCount(ChainId chain)
    {
        lock (_sync)
        {
            return _committed.Tip(chain).BlockCount;
        }
    }

    private Task<T?> Read<T>(Func<LedgerState, T?> read)
        where T : class
    {
        lock (_sync)
        {
            return Task.FromResult(read(_committed));
        }
    }

    private Task<ulong> ReadValue(Func<LedgerState, ulong> read)
    {
        lock (_sync)
        {
            return Task.FromResult(read(_committed));
        }
    }

    private void EnsureServed(ChainId chain)
    {
        if (_faults[Index(chain)] is { } fault)
        {
            throw new LedgerRejectedException(RejectReason.ChainUnavailable, fault);
        }
    }

    private Block? ReadBlock(ChainId chain, ulong height)
    {
        EnsureServed(chain);
        var raw = _stores[Index(chain)].ReadRaw(height);
        return raw is null ? null : Block.Decode(raw);
    }

    private CommittedTransaction? ReadTransaction(TxLocation location, bool withProof) =>
        ReadBlock(location.Chain, location.Height) is { } block ? CommittedTransaction.FromBlock(block, location.Index, withProof) : null;
}
