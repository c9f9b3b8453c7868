using System.Buffers.Binary;
using DotNext.IO;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Accounting;

/// <summary>
/// What a replica offers Raft as its snapshot: not the state itself but a compact record of it — the Raft entry it
/// covers (index and term), the state hash and both chain tips (block count, last hash, last time) — because every block
/// below it stays in the node's block files. Once a snapshot is offered the write-ahead log drops the entries it covers;
/// a follower that is sent one (it was down while the others compacted) fetches the blocks it lacks from a peer, applies
/// them with every rule as usual, and checks that it reaches this state hash and these tips.
/// Layout: <c>"HBRS" ‖ version (1) ‖ index (i64) ‖ term (i64) ‖ state hash (32) ‖ 2 × (block count (u64) ‖ last hash (32) ‖ last time (i64))</c>, big-endian.
/// </summary>
internal sealed class RaftSnapshot : ISnapshot
{
    /// <summary>Encoded size.</summary>
    public const int Size = 4 + 1 + 8 + 8 + 32 + (2 * (8 + 32 + 8));

    private const byte Version = 1;

    public RaftSnapshot(long index, long term, byte[] stateHash, ChainTip userchain, ChainTip docchain)
    {
        Index = index;
        Term = term;
        StateHash = stateHash;
        Userchain = userchain;
        Docchain = docchain;
    }

    /// <inheritdoc />
    public long Index { get; }

    /// <inheritdoc />
    public long Term { get; }

    /// <summary>The state hash after applying every block up to the tips.</summary>
    public byte[] StateHash { get; }

    /// <summary>Userchain's tip.</summary>
    public ChainTip Userchain { get; }

    /// <summary>Docchain's tip.</summary>
    public ChainTip Docchain { get; }

    /// <inheritdoc />
    long? IDataTransferObject.Length => Size;

    /// <inheritdoc />
    bool IDataTransferObject.IsReusable => true;

    /// <summary>The tip of <paramref name="chain"/>.</summary>
    public ChainTip Tip(ChainId chain) => chain == ChainId.Docchain ? Docchain : Userchain;

    /// <summary>The snapshot of <paramref name="state"/> at Raft entry (<paramref name="index"/>, <paramref name="term"/>).</summary>
    public static RaftSnapshot Of(LedgerState state, long index, long term) =>
        new(index, term, state.ComputeStateHash(), state.Tip(ChainId.Userchain), state.Tip(ChainId.Docchain));

    /// <inheritdoc />
    ValueTask IDataTransferObject.WriteToAsync<TWriter>(TWriter writer, CancellationToken token) => writer.WriteAsync(Encode(), null, token);

    public byte[] Encode()
    {
        var b = new byte[Size];
        "HBRS"u8.CopyTo(b);
        b[4] = Version;
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(5), Index);
        BinaryPrimitives.WriteInt64BigEndian(b.AsSpan(13), Term);
        StateHash.CopyTo(b, 21);
        WriteTip(b.AsSpan(53), Userchain);
        WriteTip(b.AsSpan(101), Docchain);
        return b;
    }

    /// <summary>Decodes a received snapshot.</summary>
    /// <exception cref="InvalidOperationException">Not a snapshot of this layout.</exception>
    public static RaftSnapshot Decode(ReadOnlySpan<byte> b)
    {
        if (b.Length != Size || !b.StartsWith("HBRS"u8) || b[4] != Version)
        {
            throw new InvalidOperationException($"A Raft snapshot of {b.Length} bytes is not a HealthBlock chain snapshot (version {Version}).");
        }

        return new RaftSnapshot(
            BinaryPrimitives.ReadInt64BigEndian(b[5..]),
            BinaryPrimitives.ReadInt64BigEndian(b[13..]),
            b.Slice(21, 32).ToArray(),
            ReadTip(b[53..], ChainId.Userchain),
            ReadTip(b[101..], ChainId.Docchain));
    }

    private static void WriteTip(Span<byte> b, ChainTip tip)
    {
        BinaryPrimitives.WriteUInt64BigEndian(b, tip.BlockCount);
        tip.LastHash.CopyTo(b[8..]);
        BinaryPrimitives.WriteInt64BigEndian(b[40..], tip.LastTimeMs);
    }

    private static ChainTip ReadTip(ReadOnlySpan<byte> b, ChainId chain) =>
        new(chain, BinaryPrimitives.ReadUInt64BigEndian(b), b.Slice(8, 32).ToArray(), BinaryPrimitives.ReadInt64BigEndian(b[40..]));
}
