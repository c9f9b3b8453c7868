using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>What became of a submission through <see cref="LedgerSubmitter"/>.</summary>
/// <param name="Transaction">The transaction submitted last: a re-signed one if the first nonce was taken.</param>
/// <param name="Accepted">True when the ledger accepted it or already had it (see <paramref name="Duplicate"/>).</param>
/// <param name="Duplicate">True when the ledger already had it (committed or pending): a success, wait for the commit.</param>
/// <param name="Reason">Why it was refused (<see cref="RejectReason.None"/> when accepted).</param>
/// <param name="Message">What was wrong, for people (null when accepted).</param>
public sealed record SubmitOutcome(Transaction Transaction, bool Accepted, bool Duplicate, RejectReason Reason, string? Message)
{
    /// <summary>True when refused for now only (<see cref="RejectReasonExtensions.IsTransient"/>): submit it again later.</summary>
    public bool IsTransient => !Accepted && Reason.IsTransient();

    /// <summary>True when refused for good: the same transaction will never be accepted.</summary>
    public bool IsPermanent => !Accepted && !Reason.IsTransient();

    /// <summary>The refusal as an exception (for callers that stop on it).</summary>
    public LedgerRejectedException ToException() => new(Reason, Message ?? Reason.ToString());
}
