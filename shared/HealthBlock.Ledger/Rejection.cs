namespace HealthBlock.Ledger;

/// <summary>A refusal: a reason code and a message for people.</summary>
/// <param name="Reason">The machine-readable reason.</param>
/// <param name="Message">What exactly was wrong.</param>
public sealed record Rejection(RejectReason Reason, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Reason}: {Message}";
}
