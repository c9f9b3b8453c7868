using System.Formats.Cbor;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>An admin creates <paramref name="Amount"/> Healthcoin in <paramref name="To"/>'s balance.</summary>
/// <param name="To">The receiving identity.</param>
/// <param name="Amount">Amount in Healthcoin units.</param>
public sealed record IssuePayload(IdentityId To, ulong Amount) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Issue;

    internal override void Write(CborWriter w) => TransferCodec.Write(w, To, Amount);

    internal static IssuePayload ReadBody(CanonicalReader r)
    {
        var (to, amount) = TransferCodec.Read(r);
        return new(to, amount);
    }
}
