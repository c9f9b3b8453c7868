using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>
/// The unsigned body of a transaction: <c>{0: version, 1: type, 2: signer id, 3: nonce, 4: time ms, 5: payload,
/// 6: network}</c> in canonical CBOR. Its SHA-256 is the transaction id. The network (the genesis hash) is signed with
/// the rest, so a transaction is valid on its own network only.
/// </summary>
/// <param name="Network">The network it is for (its genesis hash).</param>
/// <param name="Signer">The identity that signs (and, for patient transactions, the patient).</param>
/// <param name="Nonce">The signer's next nonce (strictly increasing per signer; a replay is refused).</param>
/// <param name="TimeMs">When the signer made it, ms since the Unix epoch.</param>
/// <param name="Payload">The type-specific part.</param>
public sealed record TransactionBody(NetworkId Network, IdentityId Signer, ulong Nonce, long TimeMs, TransactionPayload Payload)
{
    /// <summary>Body format version (2: the network is part of the body).</summary>
    public const uint Version = 2;

    /// <summary>The transaction type.</summary>
    public TransactionType Type => Payload.Type;

    /// <summary>The chain the transaction goes to.</summary>
    public ChainId Chain => LedgerNames.ChainOf(Type);

    /// <summary>The canonical encoding.</summary>
    public byte[] Encode()
    {
        var w = CanonicalCbor.NewWriter();
        w.WriteStartMap(7);
        w.WriteUInt32(0);
        w.WriteUInt32(Version);
        w.WriteUInt32(1);
        w.WriteUInt32((byte)Payload.Type);
        w.WriteUInt32(2);
        w.WriteByteString(Signer.Bytes);
        w.WriteUInt32(3);
        w.WriteUInt64(Nonce);
        w.WriteUInt32(4);
        w.WriteInt64(TimeMs);
        w.WriteUInt32(5);
        Payload.Write(w);
        w.WriteUInt32(6);
        w.WriteByteString(Network.Bytes);
        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>Decodes a canonical body.</summary>
    /// <exception cref="ProtocolException">Malformed or non-canonical.</exception>
    public static TransactionBody Decode(ReadOnlyMemory<byte> data) => CanonicalCbor.Decode(data, "transaction body", r =>
    {
        r.BeginMap(7, 7);
        r.Key(0);
        var version = r.UInt32();
        if (version != Version)
        {
            throw new ProtocolException(ProtocolError.UnsupportedVersion, $"Transaction version {version} is not supported.");
        }

        r.Key(1);
        var type = (TransactionType)r.Byte();
        r.Key(2);
        var signer = TransactionPayload.ReadId(r);
        r.Key(3);
        var nonce = r.UInt64();
        r.Key(4);
        var time = r.Int64();
        r.Key(5);
        var payload = TransactionPayload.Read(type, r);
        r.Key(6);
        var network = NetworkId.FromGenesisHash(r.Bytes(NetworkId.Size));
        r.EndMap();
        return new TransactionBody(network, signer, nonce, time, payload);
    });
}
