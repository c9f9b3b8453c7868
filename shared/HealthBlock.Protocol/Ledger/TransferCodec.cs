using System.Formats.Cbor;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

internal static class TransferCodec
{
    public static void Write(CborWriter w, IdentityId to, ulong amount)
    {
        w.WriteStartMap(2);
        w.WriteUInt32(0);
        w.WriteByteString(to.Bytes);
        w.WriteUInt32(1);
        w.WriteUInt64(amount);
        w.WriteEndMap();
    }

    public static (IdentityId To, ulong Amount) Read(CanonicalReader r)
    {
        r.BeginMap(2, 2);
        r.Key(0);
        var to = TransactionPayload.ReadId(r);
        r.Key(1);
        var amount = r.UInt64();
        r.EndMap();
        if (amount == 0)
        {
            throw r.Invalid("amount of zero");
        }

        return (to, amount);
    }
}
