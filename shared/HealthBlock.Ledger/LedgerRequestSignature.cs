using HealthBlock.Crypto.Requests;

namespace HealthBlock.Ledger;

/// <summary>
/// How a ledger read is signed by the caller's identity key: <see cref="SignedRequestScheme"/> under the domain
/// <c>"HB-LEDGER-1"</c> with headers <c>HB-Ledger-Caller</c> (the caller's identity id), <c>HB-Ledger-Time</c>,
/// <c>HB-Ledger-Nonce</c> and <c>HB-Ledger-Signature</c>. Submissions are not signed this way: the transaction's own
/// signature authenticates them.
/// </summary>
public static class LedgerRequestSignature
{
    /// <summary>The scheme.</summary>
    public static SignedRequestScheme Scheme { get; } = new("HB-LEDGER-1", "HB-Ledger", withCaller: true);

    /// <summary>How far a read's time may be from the node's clock.</summary>
    public static readonly TimeSpan FreshnessWindow = TimeSpan.FromMinutes(5);
}
