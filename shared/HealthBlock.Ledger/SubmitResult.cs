
namespace HealthBlock.Ledger;

/// <summary>The answer to a submission.</summary>
/// <param name="Accepted">True when the leader accepted it for the next block.</param>
/// <param name="TransactionId">The transaction id (hex).</param>
/// <param name="Reason">Why it was rejected (<see cref="RejectReason.None"/> when accepted).</param>
/// <param name="Message">What was wrong, for people (null when accepted).</param>
public sealed record SubmitResult(bool Accepted, string TransactionId, RejectReason Reason, string? Message)
{
    /// <summary>An acceptance.</summary>
    public static SubmitResult Accept(string transactionId) => new(true, transactionId, RejectReason.None, null);

    /// <summary>A rejection.</summary>
    public static SubmitResult Reject(string transactionId, Rejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return new(false, transactionId, rejection.Reason, rejection.Message);
    }

    /// <summary>Throws <see cref="LedgerRejectedException"/> when rejected.</summary>
    public SubmitResult EnsureAccepted() => Accepted ? this : throw new LedgerRejectedException(Reason, Message ?? Reason.ToString());
}
