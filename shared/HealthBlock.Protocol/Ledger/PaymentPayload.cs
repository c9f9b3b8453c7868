using System.Formats.Cbor;
using HealthBlock.Crypto;

namespace HealthBlock.Protocol.Ledger;

/// <summary>The signer (a patient) pays <paramref name="Amount"/> Healthcoin to doctor <paramref name="To"/>.</summary>
/// <param name="To">The doctor paid.</param>
/// <param name="Amount">Amount in Healthcoin units.</param>
public sealed record PaymentPayload(IdentityId To, ulong Amount) : TransactionPayload
{
    /// <inheritdoc />
    public override TransactionType Type => TransactionType.Payment;

    internal override void Write(CborWriter w) => TransferCodec.Write(w, To, Amount);

    internal static PaymentPayload ReadBody(CanonicalReader r)
    {
        var (to, amount) = TransferCodec.Read(r);
        return new(to, amount);
    }
}
