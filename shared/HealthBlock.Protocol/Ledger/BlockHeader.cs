using System.Security.Cryptography;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// A block header: <c>{0: version, 1: chain, 2: height, 3: previous hash, 4: Merkle root, 5: time ms, 6: proposer, 7: tx count,
/// 8: network}</c> in canonical CBOR. The block hash is SHA-256 of this encoding; height 0's previous hash is 32 zero bytes.
/// </summary>
/// <param name="Chain">Which chain.</param>
/// <param name="Height">Height, from 0.</param>
/// <param name="PreviousHash">Hash of the block at <c>Height - 1</c>.</param>
/// <param name="MerkleRoot">RFC 6962 root over the transaction ids.</param>
/// <param name="TimeMs">When the proposer sealed it.</param>
/// <param name="Proposer">The accounting node that proposed it.</param>
/// <param name="TransactionCount">Number of transactions.</param>
/// <param name="Network">The network (genesis hash) the block belongs to.</param>
public sealed record BlockHeader(ChainId Chain, ulong Height, byte[] PreviousHash, byte[] MerkleRoot, long TimeMs, IdentityId Proposer, uint TransactionCount, NetworkId Network)
{
    /// <summary>Header format version (2: the network is part of the header).</summary>
    public const uint Version = 2;

    /// <summary>Most transactions one block may hold.</summary>
    public const int MaxTransactions = 100_000;

    /// <summary>The canonical encoding.</summary>
    public byte[] Encode()
    {
        var w = CanonicalCbor.NewWriter();
        w.WriteStartMap(9);
        w.WriteUInt32(0);
        w.WriteUInt32(Version);
        w.WriteUInt32(1);
        w.WriteUInt32((byte)Chain);
        w.WriteUInt32(2);
        w.WriteUInt64(Height);
        w.WriteUInt32(3);
        w.WriteByteString(PreviousHash);
        w.WriteUInt32(4);
        w.WriteByteString(MerkleRoot);
        w.WriteUInt32(5);
        w.WriteInt64(TimeMs);
        w.WriteUInt32(6);
        w.WriteByteString(Proposer.Bytes);
        w.WriteUInt32(7);
        w.WriteUInt32(TransactionCount);
        w.WriteUInt32(8);
        w.WriteByteString(Network.Bytes);
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>The block hash.</summary>
    public byte[] Hash() => SHA256.HashData(Encode());

    /// <summary>Decodes a header.</summary>
    public static BlockHeader Decode(ReadOnlyMemory<byte> data) => CanonicalCbor.Decode(data, "block header", Read);

    internal static BlockHeader Read(CanonicalReader r)
    {
        r.BeginMap(9, 9);
        r.Key(0);
        var version = r.UInt32();
        if (version != Version)
        {
            throw new ProtocolException(ProtocolError.UnsupportedVersion, $"Block header version {version} is not supported.");
        }

        r.Key(1);
        var chain = r.Byte();
        if (chain is not ((byte)ChainId.Userchain or (byte)ChainId.Docchain))
        {
            throw r.Invalid($"unknown chain {chain}");
        }

        r.Key(2);
        var height = r.UInt64();
        r.Key(3);
        var prev = r.Bytes(32);
        r.Key(4);
        var root = r.Bytes(32);
        r.Key(5);
        var time = r.Int64();
        r.Key(6);
        var proposer = TransactionPayload.ReadId(r);
        r.Key(7);
        var count = r.UInt32();
        if (count > MaxTransactions)
        {
            throw r.Invalid($"{count} transactions (at most {MaxTransactions})");
        }

        r.Key(8);
        var network = NetworkId.FromGenesisHash(r.Bytes(NetworkId.Size));
        r.EndMap();
        return new BlockHeader((ChainId)chain, height, prev, root, time, proposer, count, network);
    }
}
