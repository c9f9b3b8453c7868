namespace HealthBlock.Fuzz;

/// <summary>
/// One decoder under fuzzing: valid seed encodings, the call, and the exception types the decoder documents. Any
/// other exception is a crash. <see cref="Run"/> may throw <see cref="FuzzContractException"/> when a decoded value
/// breaks the format's contract (e.g. it re-encodes to other bytes: two byte forms of one ledger object).
/// </summary>
public sealed class FuzzTarget
{
    /// <summary>Short name (e.g. <c>tx.decode</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The API under test, for reports (e.g. <c>Transaction.Decode</c>).</summary>
    public required string Decoder { get; init; }

    /// <summary>Valid encodings that mutations start from.</summary>
    public required IReadOnlyList<byte[]> Seeds { get; init; }

    /// <summary>Which structure-aware mutations apply.</summary>
    public required InputShape Shape { get; init; }

    /// <summary>Exception types the decoder documents (subclasses included).</summary>
    public required IReadOnlyList<Type> Expected { get; init; }

    /// <summary>Calls the decoder on one input; throws the decoder's own errors as they come.</summary>
    public required Func<byte[], FuzzOutcome> Run { get; init; }

    /// <summary>Longest purely random input.</summary>
    public int MaxRandomLength { get; init; } = 600;

    /// <summary>Failures already found and reported (they are counted apart from new crashes).</summary>
    public IReadOnlyList<KnownIssue> KnownIssues { get; init; } = [];

    /// <summary>True when <paramref name="e"/> is one of the decoder's documented exceptions.</summary>
    public bool IsExpected(Exception e) => Expected.Any(t => t.IsInstanceOfType(e));
}
