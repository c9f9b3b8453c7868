using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using HealthBlock.Protocol.Content;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Storage.Replication;

/// <summary>
/// An <see cref="IContentStore"/> over several nodes (IPFS storage nodes, embedded stores): each block is
/// written to k of the n nodes (<see cref="ReplicatedContentStoreOptions.WriteQuorum"/>) and read from any
/// node that holds an intact copy.
/// </summary>
/// <remarks>
/// <para><b>Placement.</b> For each block the nodes are ranked by rendezvous hashing of the CID with each
/// node's <see cref="IContentStore.Name"/> (<see cref="GetPlacement"/>): a put writes to the first k nodes
/// in parallel and moves on to the next node in the ranking for each one that fails, until k nodes hold the
/// block (else <see cref="WriteQuorumException"/>). A get reads the nodes in the same order, so the nodes
/// that hold a block are asked first, and the placement spreads blocks evenly.</para>
/// <para><b>Reads.</b> A node that is missing the block, unreachable or failing is skipped for the next.
/// A node that serves bytes which do not hash to the CID is skipped too, logged and reported through
/// <see cref="TamperDetected"/>, and its bytes are never returned. The block is re-verified here as well,
/// so a faulty node implementation cannot slip bad bytes through.</para>
/// <para>Nodes are not owned: disposing them is the caller's business. Every member is safe for concurrent
/// use; <see cref="TamperDetected"/> handlers may run on any thread, concurrently.</para>
/// </remarks>
public sealed class ReplicatedContentStore : IContentStore
{
    private readonly IContentStore[] _nodes;
    private readonly byte[][] _nodeKeys;
    private readonly ILogger _logger;

    /// <summary>Creates the store over <paramref name="nodes"/>.</summary>
    /// <param name="nodes">The nodes, at least <see cref="ReplicatedContentStoreOptions.WriteQuorum"/> of them; their names should be distinct and stable (they decide placement).</param>
    /// <param name="options">The write quorum and the store's name; defaults when null.</param>
    /// <param name="logger">Where node failures and tampered copies are logged; none when null.</param>
    /// <exception cref="ArgumentException">No nodes, a null node, or fewer nodes than the write quorum.</exception>
    public ReplicatedContentStore(IEnumerable<IContentStore> nodes, ReplicatedContentStoreOptions? options = null, ILogger<ReplicatedContentStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        options ??= new ReplicatedContentStoreOptions();
        _nodes = [.. nodes];
        if (_nodes.Length == 0 || _nodes.Any(n => n is null))
        {
            throw new ArgumentException("A replicated store needs at least one node, and no null nodes.", nameof(nodes));
        }

        if (options.WriteQuorum > _nodes.Length)
        {
            throw new ArgumentException($"The write quorum ({options.WriteQuorum}) exceeds the number of nodes ({_nodes.Length}).", nameof(options));
        }

        WriteQuorum = options.WriteQuorum;
        Name = options.Name;
        _nodeKeys = [.. _nodes.Select(n => Encoding.UTF8.GetBytes(n.Name))];
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Raised for each node found serving a copy that does not hash to its CID (during gets and verified locates).</summary>
    public event EventHandler<TamperDetectedEventArgs>? TamperDetected;

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The nodes, in the order given.</summary>
    public IReadOnlyList<IContentStore> Nodes => _nodes;

    /// <summary>k: how many nodes store each block.</summary>
    public int WriteQuorum { get; }

    /// <summary>The nodes in the order a put tries them and a get reads them for <paramref name="cid"/> (rendezvous hashing).</summary>
    public IReadOnlyList<IContentStore> GetPlacement(Cid cid)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var scores = new (ulong Score, int Index)[_nodes.Length];
        for (var i = 0; i < _nodes.Length; i++)
        {
            var buffer = new byte[32 + _nodeKeys[i].Length];
            cid.Digest.CopyTo(buffer);
            _nodeKeys[i].CopyTo(buffer, 32);
            scores[i] = (BinaryPrimitives.ReadUInt64BigEndian(SHA256.HashData(buffer)), i);
        }

        Array.Sort(scores, (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        return [.. scores.Select(s => _nodes[s.Index])];
    }

    /// <inheritdoc />
    /// <exception cref="WriteQuorumException">Fewer than k nodes stored the block.</exception>
    public async Task<Cid> PutAsync(ReadOnlyMemory<byte> block, CancellationToken cancellationToken = default)
    {
        if (block.Length > ContentStoreLimits.MaxBlockSize)
        {
            throw new BlockTooLargeException(block.Length, Name);
        }

        var cid = Cid.Compute(block.Span);
        var order = GetPlacement(cid);
        var written = new List<string>(WriteQuorum);
        var failures = new List<Exception>();
        var running = new Dictionary<Task<StoreException?>, IContentStore>();
        var next = 0;
        while (written.Count < WriteQuorum)
        {
            while (written.Count + running.Count < WriteQuorum && next < order.Count)
            {
                var node = order[next++];
                running.Add(PutOnAsync(node, block, cid, cancellationToken), node);
            }

            if (running.Count == 0)
            {
                break;
            }

            var done = await Task.WhenAny(running.Keys).ConfigureAwait(false);
            var finished = running[done];
            running.Remove(done);
            var error = await done.ConfigureAwait(false);
            if (error is null)
            {
                written.Add(finished.Name);
            }
            else
            {
                failures.Add(error);
                _logger.LogWarning(error, "Writing block {Cid} to {Node} failed; trying the next node", cid, finished.Name);
            }
        }

        if (written.Count < WriteQuorum)
        {
            throw new WriteQuorumException(Name, cid, WriteQuorum, written, failures);
        }

        return cid;
    }

    /// <inheritdoc />
    /// <exception cref="BlockTamperedException">Every copy found was tampered (each one is also reported through <see cref="TamperDetected"/>).</exception>
    /// <exception cref="StoreUnavailableException">No intact copy was found and some nodes could not be asked.</exception>
    public async Task<byte[]> GetAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var tampered = new List<string>();
        var failures = new List<Exception>();
        foreach (var node in GetPlacement(cid))
        {
            try
            {
                var bytes = await node.GetAsync(cid, cancellationToken).ConfigureAwait(false);
                if (cid.Matches(bytes))
                {
                    return bytes;
                }

                ReportTampered(node, new BlockTamperedException(cid, node.Name, "Caught by the replicated store: the node returned it unverified."));
                tampered.Add(node.Name);
            }
            catch (BlockTamperedException e)
            {
                ReportTampered(node, e);
                tampered.Add(node.Name);
            }
            catch (BlockNotFoundException)
            {
                // Not placed on this node: try the next.
            }
            catch (StoreException e)
            {
                failures.Add(e);
                _logger.LogWarning(e, "Reading block {Cid} from {Node} failed; trying the next node", cid, node.Name);
            }
        }

        if (failures.Count > 0)
        {
            throw new StoreUnavailableException(
                Name,
                $"No intact copy of block {cid} could be read from {Name}: {failures.Count} node(s) failed ({string.Join("; ", failures.Select(f => f.Message))})" +
                (tampered.Count > 0 ? $"; tampered copies on {string.Join(", ", tampered)}." : "."),
                cid,
                new AggregateException(failures));
        }

        if (tampered.Count > 0)
        {
            throw new BlockTamperedException(cid, Name, $"Every copy found was tampered: {string.Join(", ", tampered)}.");
        }

        throw new BlockNotFoundException(cid, Name);
    }

    /// <inheritdoc />
    /// <remarks>True when any node holds the block; false when none of the nodes that answered does.</remarks>
    /// <exception cref="StoreUnavailableException">No node could be asked.</exception>
    public async Task<bool> HasAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var failures = new List<Exception>();
        foreach (var node in GetPlacement(cid))
        {
            try
            {
                if (await node.HasAsync(cid, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (StoreException e)
            {
                failures.Add(e);
            }
        }

        if (failures.Count == _nodes.Length)
        {
            throw new StoreUnavailableException(Name, $"No node of {Name} could be asked for block {cid}: {string.Join("; ", failures.Select(f => f.Message))}", cid, new AggregateException(failures));
        }

        return false;
    }

    /// <inheritdoc />
    /// <remarks>Pins the block on every node that holds it; succeeds when at least one node pinned it.</remarks>
    /// <exception cref="BlockNotFoundException">No node holds the block.</exception>
    /// <exception cref="StoreUnavailableException">No node pinned it and some could not be asked.</exception>
    public async Task PinAsync(Cid cid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        var results = await Task.WhenAll(_nodes.Select(async node =>
        {
            try
            {
                await node.PinAsync(cid, cancellationToken).ConfigureAwait(false);
                return (Pinned: true, Error: (StoreException?)null);
            }
            catch (BlockNotFoundException)
            {
                return (Pinned: false, Error: null);
            }
            catch (StoreException e)
            {
                _logger.LogWarning(e, "Pinning block {Cid} on {Node} failed", cid, node.Name);
                return (Pinned: false, Error: e);
            }
        })).ConfigureAwait(false);

        if (results.Any(r => r.Pinned))
        {
            return;
        }

        var failures = results.Where(r => r.Error is not null).Select(r => (Exception)r.Error!).ToList();
        if (failures.Count == 0)
        {
            throw new BlockNotFoundException(cid, Name);
        }

        throw new StoreUnavailableException(Name, $"Block {cid} could not be pinned on any node of {Name}: {string.Join("; ", failures.Select(f => f.Message))}", cid, new AggregateException(failures));
    }

    /// <summary>Asks every node, in parallel, whether it holds <paramref name="cid"/>.</summary>
    /// <param name="cid">The block to look for.</param>
    /// <param name="verify">
    /// False: ask each node whether it holds the block (cheap). True: read each node's copy and re-hash it,
    /// so tampered copies show as <see cref="ReplicaState.Tampered"/> (and are reported through
    /// <see cref="TamperDetected"/>).
    /// </param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <returns>One entry per node, in the order of <see cref="Nodes"/>.</returns>
    public async Task<IReadOnlyList<BlockReplica>> LocateAsync(Cid cid, bool verify = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cid);
        return await Task.WhenAll(_nodes.Select(async node =>
        {
            try
            {
                if (!verify)
                {
                    var has = await node.HasAsync(cid, cancellationToken).ConfigureAwait(false);
                    return new BlockReplica(node, has ? ReplicaState.Present : ReplicaState.Missing);
                }

                var bytes = await node.GetAsync(cid, cancellationToken).ConfigureAwait(false);
                if (cid.Matches(bytes))
                {
                    return new BlockReplica(node, ReplicaState.Present);
                }

                var unverified = new BlockTamperedException(cid, node.Name, "Caught by the replicated store: the node returned it unverified.");
                ReportTampered(node, unverified);
                return new BlockReplica(node, ReplicaState.Tampered, unverified.Message);
            }
            catch (BlockNotFoundException)
            {
                return new BlockReplica(node, ReplicaState.Missing);
            }
            catch (BlockTamperedException e)
            {
                ReportTampered(node, e);
                return new BlockReplica(node, ReplicaState.Tampered, e.Message);
            }
            catch (StoreException e)
            {
                return new BlockReplica(node, ReplicaState.Unavailable, e.Message);
            }
        })).ConfigureAwait(false);
    }

    private static async Task<StoreException?> PutOnAsync(IContentStore node, ReadOnlyMemory<byte> block, Cid cid, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await node.PutAsync(block, cancellationToken).ConfigureAwait(false);
            return stored.Equals(cid)
                ? null
                : new StoreException($"{node.Name} stored block {cid} under CID {stored}.", node.Name, cid);
        }
        catch (StoreException e)
        {
            return e;
        }
    }

    private void ReportTampered(IContentStore node, BlockTamperedException error)
    {
        _logger.LogError(error, "Tampered copy of block {Cid} on {Node}: skipped", error.Cid, node.Name);
        TamperDetected?.Invoke(this, new TamperDetectedEventArgs(node, error));
    }
}
